//! A part's terms and their numbers. Nearly every term is a word of at
//! most 15 bytes: those are keys of 16 bytes (the bytes, zeros, the
//! length), made from a few loads of the word (a copy of a length not known
//! in advance is a call, and reading the key back right after it stalls),
//! hashed as two words and compared without a call; the rest are boxed. A
//! build looks a term up for every word of every article (11.5 million at
//! 10,000 articles), so this is a hot map.

use super::TermMap;
use std::hash::{Hash, Hasher};

/// A term of at most 15 bytes: its bytes, zeros, and its length last.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Short([u8; 16]);

impl Short {
    fn new(term: &str) -> Option<Short> {
        let bytes = term.as_bytes();
        let n = bytes.len();
        if n >= 16 {
            return None;
        }
        let (low, high) = match n {
            0..=8 => (word(bytes), 0),
            _ => (word(&bytes[..8]), word(&bytes[8..])),
        };
        let mut key = [0; 16];
        key[..8].copy_from_slice(&low.to_le_bytes());
        key[8..].copy_from_slice(&(high | (n as u64) << 56).to_le_bytes());
        Some(Short(key))
    }

    fn as_str(&self) -> &str {
        // The bytes came from a `&str`.
        std::str::from_utf8(&self.0[..usize::from(self.0[15])]).unwrap_or_default()
    }
}

/// Up to 8 bytes as a little-endian number, zeros above them: read with
/// at most three loads, overlapping where the length is not a power of two.
fn word(bytes: &[u8]) -> u64 {
    let at = |i: usize, len: usize| -> u64 {
        let mut w = [0; 8];
        w[..len].copy_from_slice(&bytes[i..i + len]);
        u64::from_le_bytes(w) << (8 * i)
    };
    let n = bytes.len();
    match n {
        0 => 0,
        1..=3 => at(0, 1) | at(n / 2, 1) | at(n - 1, 1),
        4..=7 => at(0, 4) | at(n - 4, 4),
        _ => at(0, 8),
    }
}

impl Hash for Short {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let (low, high) = self.0.split_at(8);
        state.write_u64(u64::from_le_bytes(low.try_into().unwrap_or_default()));
        state.write_u64(u64::from_le_bytes(high.try_into().unwrap_or_default()));
    }
}

/// Terms and their numbers.
#[derive(Default)]
pub(super) struct Terms {
    short: TermMap<Short, u32>,
    long: TermMap<Box<str>, u32>,
}

impl Terms {
    /// `term`'s number, if it has one.
    pub(super) fn get(&self, term: &str) -> Option<u32> {
        match Short::new(term) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(term).copied(),
        }
    }

    /// Gives `term` number `n`.
    pub(super) fn insert(&mut self, term: &str, n: u32) {
        match Short::new(term) {
            Some(key) => self.short.insert(key, n),
            None => self.long.insert(term.into(), n),
        };
    }

    /// Every term with its number, in no order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, u32)> + '_ {
        let short = self.short.iter().map(|(k, &n)| (k.as_str(), n));
        short.chain(self.long.iter().map(|(k, &n)| (&**k, n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_terms_are_kept_apart_and_whole() {
        let words = [
            "",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklm",
            "a",
            "a\0",
            "fifteen_bytes_x",
            "sixteen_bytes_xx",
            "élan",
            "日本語日本語",
            "a".repeat(40).leak(),
        ];
        let mut terms = Terms::default();
        for (n, w) in words.iter().enumerate() {
            terms.insert(w, n as u32);
        }
        for (n, w) in words.iter().enumerate() {
            assert_eq!(terms.get(w), Some(n as u32), "{w:?}");
        }
        assert_eq!(terms.get("b"), None);
        let mut all: Vec<(&str, u32)> = terms.iter().collect();
        all.sort_by_key(|&(_, n)| n);
        assert_eq!(all.iter().map(|&(w, _)| w).collect::<Vec<_>>(), words);
        for w in words.iter().filter(|w| w.len() < 16) {
            let mut key = [0; 16];
            key[..w.len()].copy_from_slice(w.as_bytes());
            key[15] = w.len() as u8;
            assert!(Short::new(w) == Some(Short(key)), "{w:?}");
        }
    }
}
