//! One term's postings in a part of the index: the articles holding it and
//! its weight in each, in article order. A build holds every part's at
//! once, so they are kept as variable-length numbers, a few bytes a
//! posting rather than eight.

/// A term's postings: for each, the article id's distance from the
/// previous one (the first's from 0) and the weight, each a LEB128 number.
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub(super) struct Postings {
    bytes: Vec<u8>,
    /// The last posting's id, the next one's distance is counted from.
    last: u32,
}

impl Postings {
    /// Adds a posting after the last one, for a later article.
    pub(super) fn push(&mut self, id: u32, weight: u32) {
        push_number(&mut self.bytes, id - self.last);
        push_number(&mut self.bytes, weight);
        self.last = id;
    }

    /// The article ids and weights, in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut at = 0;
        let mut id = 0;
        std::iter::from_fn(move || {
            if at >= self.bytes.len() {
                return None;
            }
            id += read_number(&self.bytes, &mut at);
            Some((id, read_number(&self.bytes, &mut at)))
        })
    }

    /// Gives back the room kept for more postings.
    pub(super) fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
    }
}

/// Appends `n` as LEB128: seven bits a byte, low bits first, the high bit
/// set on every byte but the last.
fn push_number(bytes: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        bytes.push(n as u8 | 0x80);
        n >>= 7;
    }
    bytes.push(n as u8);
}

/// The LEB128 number at `at`, which is moved past it.
fn read_number(bytes: &[u8], at: &mut usize) -> u32 {
    let mut n = 0u32;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        n |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_read_back_as_written() {
        let written = [
            (0, 1),
            (1, 127),
            (128, 128),
            (16_511, 9),
            (4_294_967_295, 4_294_967_295),
        ];
        let mut postings = Postings::default();
        for (id, weight) in written {
            postings.push(id, weight);
        }
        assert_eq!(postings.iter().collect::<Vec<_>>(), written);
    }
}
