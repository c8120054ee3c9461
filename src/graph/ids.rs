//! Stable ids: an article is the same article from one change to the next
//! when its file (relative to `articles/`) is the same; an author or topic
//! when its slug is. Ids are interned strings, so they are small and cheap
//! to compare, and they never move when other articles come or go.

use hashbrown::HashTable;
use std::collections::HashMap;

/// An interned string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Sym(u32);

impl Sym {
    /// The symbol as a number, for hashing and page keys.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An article: its file's path relative to `articles/`, interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ArticleId(pub Sym);

/// A fast hash for maps keyed by ids (FxHash's multiply-rotate): the keys
/// are the site's own small numbers, not untrusted input.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// The hash of a map whose keys are hashes already (XXH3 values, or the
/// multiply-rotate hashes of `related.rs`): the key's low 64 bits, not a
/// hash of a hash. Only for keys whose low bits are already well mixed.
#[derive(Default, Clone, Copy)]
pub struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A map keyed by ids.
pub type IdMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<IdHasher>>;

/// Strings to symbols; a string keeps its symbol for the interner's life.
/// Each text is held once: the table holds symbols, found by the hash of
/// their texts (a cached build makes it anew from 10,000 texts and more).
#[derive(Default)]
pub struct Interner {
    by_text: HashTable<Sym>,
    texts: Vec<Box<str>>,
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interner").field("texts", &self.texts).finish()
    }
}

/// The hash a text is found by.
fn text_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

impl Interner {
    /// The symbol of `text`, made on first use.
    pub fn intern(&mut self, text: &str) -> Sym {
        if let Some(sym) = self.get(text) {
            return sym;
        }
        let sym = Sym(self.texts.len() as u32);
        self.texts.push(text.into());
        let texts = &self.texts;
        self.by_text
            .insert_unique(text_hash(text), sym, |s| text_hash(&texts[s.index()]));
        sym
    }

    /// The symbol of `text`, if it has one.
    pub fn get(&self, text: &str) -> Option<Sym> {
        let texts = &self.texts;
        self.by_text
            .find(text_hash(text), |s| &*texts[s.index()] == text)
            .copied()
    }

    /// Every text, in the order of their symbols.
    pub fn texts(&self) -> &[Box<str>] {
        &self.texts
    }

    /// An interner whose symbols are those `texts` had (as `texts` gave
    /// them), so that ids kept from an earlier run mean the same files. A
    /// text given twice keeps its first symbol.
    pub fn from_texts(texts: Vec<Box<str>>) -> Interner {
        let mut by_text = HashTable::with_capacity(texts.len());
        for (i, text) in texts.iter().enumerate() {
            let hash = text_hash(text);
            if by_text.find(hash, |s: &Sym| texts[s.index()] == *text).is_none() {
                by_text.insert_unique(hash, Sym(i as u32), |s| text_hash(&texts[s.index()]));
            }
        }
        Interner { by_text, texts }
    }

    /// The text of a symbol.
    pub fn text(&self, sym: Sym) -> &str {
        &self.texts[sym.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_keeps_its_symbol() {
        let mut i = Interner::default();
        let a = i.intern("2019/a.md");
        let b = i.intern("2019/b.md");
        assert_ne!(a, b);
        assert_eq!(i.intern("2019/a.md"), a);
        assert_eq!(i.text(b), "2019/b.md");
        assert_eq!(i.get("nope.md"), None);
    }

    /// An interner made again from its texts gives every text its symbol,
    /// and new texts the next ones.
    #[test]
    fn an_interner_from_its_texts_keeps_every_symbol() {
        let mut i = Interner::default();
        let texts: Vec<String> = (0..500).map(|n| format!("{}/{n}.md", 2000 + n % 7)).collect();
        let syms: Vec<Sym> = texts.iter().map(|t| i.intern(t)).collect();
        let mut again = Interner::from_texts(i.texts().to_vec());
        for (text, sym) in texts.iter().zip(&syms) {
            assert_eq!(again.get(text), Some(*sym));
            assert_eq!(again.intern(text), *sym);
        }
        assert_eq!(again.intern("new.md"), Sym(500));
        assert_eq!(again.get("new.md"), Some(Sym(500)));
    }
}
