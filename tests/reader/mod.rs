//! What readers, search engines and reference managers get from a build:
//! structured data, JSON Feed, citations, series, the topic vocabulary,
//! the table of contents, image sizes and the search index.

mod search_index;
mod structured;
mod vocabulary;

use crate::common::{build_ok, read_tree, repo_root};
use std::collections::BTreeMap;

/// The sample archive built at `https://example.org/`.
pub(crate) fn sample() -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    build_ok(&repo_root(), dir.path(), &[]);
    read_tree(dir.path())
}

/// A built file as text.
pub(crate) fn text<'a>(files: &'a BTreeMap<String, Vec<u8>>, path: &str) -> std::borrow::Cow<'a, str> {
    String::from_utf8_lossy(files.get(path).unwrap_or_else(|| panic!("{path} was not built")))
}

/// The output file an absolute URL of the sample build names, if built.
pub(crate) fn resolves(files: &BTreeMap<String, Vec<u8>>, url: &str) -> bool {
    let Some(path) = url.strip_prefix("https://example.org/") else {
        return false;
    };
    let path = path.split('#').next().unwrap_or(path);
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    files.contains_key(&file)
}
