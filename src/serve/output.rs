//! The site as served: every output file in memory, and whether the last
//! rebuild succeeded. The preview writes it; the HTTP threads read it.

use crate::diag::Diagnostic;
use crate::render::theme;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
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

    /// Takes in pages rendered again (or gone, with no bytes).
    pub fn apply_pages(&mut self, files: &[(String, Option<Arc<[u8]>>)]) {
        for (path, bytes) in files {
            match bytes {
                Some(bytes) => self.pages.insert(path.clone(), Arc::clone(bytes)),
                None => self.pages.remove(path),
            };
        }
    }
}

/// The static files to serve: the site's `list` (read again where
/// `touched` or not yet read) over the theme's assets. Returns them with
/// the paths whose bytes changed, appeared or went away.
pub(super) fn read_statics(
    root: &Path,
    list: &[String],
    touched: &HashSet<String>,
    search: bool,
    known: &HashMap<String, Arc<[u8]>>,
) -> (HashMap<String, Arc<[u8]>>, Vec<String>) {
    let mut wanted: HashMap<String, Option<Arc<[u8]>>> = HashMap::new();
    for rel in list {
        let kept = known.get(rel).filter(|_| !touched.contains(rel)).cloned();
        wanted.insert(rel.clone(), kept);
    }
    for (path, bytes) in theme::site_assets(search) {
        wanted
            .entry(path.to_string())
            .or_insert_with(|| Some(Arc::from(*bytes)));
    }
    let fresh: Vec<(String, Option<Arc<[u8]>>)> = wanted
        .into_par_iter()
        .map(|(rel, kept)| {
            let bytes = kept.or_else(|| std::fs::read(root.join("static").join(&rel)).ok().map(Arc::from));
            (rel, bytes)
        })
        .collect();
    let mut statics = HashMap::new();
    let mut changed = Vec::new();
    for (rel, bytes) in fresh {
        let Some(bytes) = bytes else { continue };
        if known.get(&rel) != Some(&bytes) {
            changed.push(rel.clone());
        }
        statics.insert(rel, bytes);
    }
    changed.extend(known.keys().filter(|k| !statics.contains_key(*k)).cloned());
    (statics, changed)
}
