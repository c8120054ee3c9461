//! Lists of numbers as the cache writes them: one run of little-endian
//! bytes. serde writes a list number by number (a varint each), and reads
//! it back one number at a time; a run is read as one copy. The cache's
//! long lists of numbers (each page's reads, each search doc's terms) are
//! written so.

use serde::de::{Error, Visitor};
use serde::{Deserializer, Serialize, Serializer};

/// `numbers` as one run of bytes.
pub(super) fn run(numbers: impl Iterator<Item = u32>) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(numbers.size_hint().0 * 4);
    for n in numbers {
        bytes.extend_from_slice(&n.to_le_bytes());
    }
    bytes
}

/// Bytes written as one run (serde writes a slice number by number).
pub(super) struct Raw<'a>(pub(super) &'a [u8]);

impl Serialize for Raw<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// The number of 4 bytes.
fn number(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// The numbers of a run of bytes; none when it is not of whole numbers.
pub(super) fn numbers(bytes: &[u8]) -> Option<impl ExactSizeIterator<Item = u32> + '_> {
    bytes.len().is_multiple_of(4).then(|| bytes.chunks_exact(4).map(number))
}

/// The numbers of a run of bytes two by two; none when it is not of whole pairs.
pub(super) fn pairs(bytes: &[u8]) -> Option<impl ExactSizeIterator<Item = (u32, u32)> + '_> {
    bytes
        .len()
        .is_multiple_of(8)
        .then(|| bytes.chunks_exact(8).map(|b| (number(b), number(&b[4..]))))
}

/// A `Vec<u32>` field written as one run (`#[serde(with = ...)]`).
pub(in crate::engine) mod u32s {
    use super::*;

    /// Writes `numbers` as one run.
    pub(in crate::engine) fn serialize<S: Serializer>(numbers: &[u32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&run(numbers.iter().copied()))
    }

    /// Reads one run back.
    pub(in crate::engine) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        d.deserialize_bytes(Run)
    }

    struct Run;

    impl Visitor<'_> for Run {
        type Value = Vec<u32>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a run of little-endian 32-bit numbers")
        }

        fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<u32>, E> {
            match numbers(bytes) {
                Some(numbers) => Ok(numbers.collect()),
                None => Err(E::custom("a run of bytes that is not of whole numbers")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Reads(#[serde(with = "super::u32s")] Vec<u32>);

    #[test]
    fn a_run_comes_back_as_it_was_and_a_cut_one_is_refused() {
        let config = bincode::config::standard();
        for numbers in [vec![], vec![0, 1, 250, 251, 65_536, u32::MAX]] {
            let bytes = bincode::serde::encode_to_vec(Reads(numbers.clone()), config).unwrap();
            let borrowed = super::super::shards::decode::<Reads>(&bytes).unwrap();
            assert_eq!(borrowed.0, numbers);
            let (owned, _): (Reads, _) = bincode::serde::decode_from_slice(&bytes, config).unwrap();
            assert_eq!(owned.0, numbers);
        }
        // A run of 7 bytes, its length said as such: not whole numbers.
        let mut bytes = bincode::serde::encode_to_vec(Reads(vec![1, 2]), config).unwrap();
        bytes[0] = 7;
        bytes.pop();
        assert!(super::super::shards::decode::<Reads>(&bytes).is_err());
    }
}
