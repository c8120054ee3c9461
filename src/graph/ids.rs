//! Stable ids: an article is the same article from one change to the next
//! when its file (relative to `articles/`) is the same; an author or topic
//! when its slug is. Ids are interned strings, so they are small and cheap
//! to compare, and they never move when other articles come or go.

use std::collections::HashMap;

/// An interned string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(u32);

impl Sym {
    /// The symbol as a number, for hashing and page keys.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An article: its file's path relative to `articles/`, interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(pub Sym);

/// Strings to symbols; a string keeps its symbol for the interner's life.
#[derive(Debug, Default)]
pub struct Interner {
    by_text: HashMap<Box<str>, Sym>,
    texts: Vec<Box<str>>,
}

impl Interner {
    /// The symbol of `text`, made on first use.
    pub fn intern(&mut self, text: &str) -> Sym {
        if let Some(&sym) = self.by_text.get(text) {
            return sym;
        }
        let sym = Sym(self.texts.len() as u32);
        self.texts.push(text.into());
        self.by_text.insert(text.into(), sym);
        sym
    }

    /// The symbol of `text`, if it has one.
    pub fn get(&self, text: &str) -> Option<Sym> {
        self.by_text.get(text).copied()
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
}
