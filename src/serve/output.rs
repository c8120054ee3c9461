//! The site as served: every output file in memory, and whether the last
//! rebuild succeeded. The preview writes it; the HTTP threads read it.

use crate::diag::Diagnostic;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The files of the last good build, and the problems of the latest one.
#[derive(Default)]
pub struct Output {
    /// Rendered pages by output path (`articles/x/index.html`).
    pub pages: HashMap<String, Arc<[u8]>>,
    /// Static files by output path; like `build`, they win over a page at
    /// the same path.
    pub statics: HashMap<String, Arc<[u8]>>,
    /// Errors of the latest rebuild; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
}

impl Output {
    /// The file at an output path.
    pub fn get(&self, path: &str) -> Option<Arc<[u8]>> {
        self.statics.get(path).or_else(|| self.pages.get(path)).cloned()
    }

    /// Every file, as `build` would write it.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files: BTreeMap<String, Vec<u8>> = self.pages.iter().map(|(p, b)| (p.clone(), b.to_vec())).collect();
        files.extend(self.statics.iter().map(|(p, b)| (p.clone(), b.to_vec())));
        files
    }
}
