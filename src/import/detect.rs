//! Telling a Hugo, Jekyll or Eleventy site apart by the files each needs.

use super::SourceKind;
use std::path::Path;
use walkdir::WalkDir;

/// The kind of site at `root`, or `None` when no marker file says.
pub fn detect(root: &Path) -> Option<SourceKind> {
    let has = |name: &str| root.join(name).exists();
    let eleventy_configs = [
        ".eleventy.js",
        ".eleventy.cjs",
        "eleventy.config.js",
        "eleventy.config.mjs",
        "eleventy.config.cjs",
        "eleventy.config.ts",
    ];
    if eleventy_configs.iter().any(|n| has(n)) || has_eleventy_data_file(root) {
        return Some(SourceKind::Eleventy);
    }
    if let Ok(package) = super::source::read_optional(&root.join("package.json")).ok_or(()) {
        if package.contains("@11ty/eleventy") {
            return Some(SourceKind::Eleventy);
        }
    }
    let hugo_configs = [
        "hugo.toml",
        "hugo.yaml",
        "hugo.yml",
        "hugo.json",
        "config.toml",
        "config/_default",
    ];
    if hugo_configs.iter().any(|n| has(n)) || (has("content") && (has("archetypes") || has("layouts") || has("themes")))
    {
        return Some(SourceKind::Hugo);
    }
    if has("_config.yml") || has("_config.yaml") || has("_posts") {
        return Some(SourceKind::Jekyll);
    }
    if has("content") && (has("config.yaml") || has("config.yml") || has("config.json")) {
        return Some(SourceKind::Hugo);
    }
    None
}

fn has_eleventy_data_file(root: &Path) -> bool {
    WalkDir::new(root)
        .max_depth(4)
        .into_iter()
        .filter_entry(|e| e.file_name() != "node_modules" && e.file_name() != ".git")
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains(".11tydata."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_kind() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(detect(dir.path()), None);
        std::fs::create_dir(dir.path().join("_posts")).unwrap();
        assert_eq!(detect(dir.path()), Some(SourceKind::Jekyll));
        std::fs::write(dir.path().join("hugo.toml"), "").unwrap();
        assert_eq!(detect(dir.path()), Some(SourceKind::Hugo));
        std::fs::create_dir_all(dir.path().join("content/posts")).unwrap();
        std::fs::write(dir.path().join("content/posts/posts.11tydata.js"), "").unwrap();
        assert_eq!(detect(dir.path()), Some(SourceKind::Eleventy));
    }
}
