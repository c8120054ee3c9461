//! Files a post or a person refers to (images above all): found in the old
//! site's static or asset folders and copied into the new `static/`, else
//! pointed at the original site.

use super::lookup::{join_path, Lookup};
use super::source::{parent_dir, walk_files, SourceSite};
use std::collections::{BTreeMap, HashMap};

/// Files to copy into the new site's `static/`, and images not found.
#[derive(Debug, Default)]
pub struct Assets {
    /// Path under `static/` -> path in the source.
    pub copies: BTreeMap<String, String>,
    /// Images of the current article that the source does not have.
    pub missing: Vec<String>,
}

/// Where a reference to a file was written: for relative paths and page bundles.
pub struct Place<'a> {
    /// Folder holding the post's own resources (Hugo page bundle).
    pub bundle_dir: Option<&'a str>,
    /// The new slug, naming the folder a bundle's files go to.
    pub slug: &'a str,
    /// The page's URL on the old site, for relative paths.
    pub old_url: &'a str,
}

/// Every file of the old site's static and asset folders, by file name.
#[derive(Debug, Default)]
pub struct AssetIndex {
    /// Lowercase file name -> paths relative to the source root.
    by_name: HashMap<String, Vec<String>>,
}

impl AssetIndex {
    /// Lists the static and asset folders of `site`.
    pub fn new(site: &SourceSite) -> AssetIndex {
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for root in site.static_roots.iter().chain(&site.asset_roots) {
            for rel in walk_files(&site.root, root) {
                let name = rel.rsplit('/').next().unwrap_or(&rel).to_lowercase();
                by_name.entry(name).or_default().push(rel);
            }
        }
        AssetIndex { by_name }
    }

    /// The one file called `name` (any case) in the static or asset folders.
    pub fn find_by_name(&self, name: &str) -> Option<&str> {
        let name = name.rsplit('/').next().unwrap_or(name).to_lowercase();
        match self.by_name.get(&name).map(Vec::as_slice) {
            Some([only]) => Some(only),
            _ => None,
        }
    }

    /// The URL for `src` as written at `place`: a copied file's new path
    /// (`/images/x.png`), an absolute URL, or the original site's URL (the
    /// path recorded as missing); empty when nothing valid can be written.
    pub fn resolve(
        &self,
        site: &SourceSite,
        lookup: &Lookup,
        place: &Place<'_>,
        src: &str,
        assets: &mut Assets,
    ) -> String {
        let src = src.trim();
        if src.is_empty() || crate::content::fields::is_external(src) {
            return src.to_string();
        }
        if let Some(dir) = place.bundle_dir.filter(|_| !src.starts_with('/')) {
            let rel = join_path(dir, src);
            if site.holds_file(dir, &rel) {
                let name = rel.rsplit('/').next().unwrap_or(&rel);
                let out = format!("images/{}/{name}", place.slug);
                assets.copies.insert(out.clone(), rel);
                return format!("/{out}");
            }
        }
        let path = if src.starts_with('.') {
            join_path(parent_dir(place.old_url.trim_end_matches('/')), src)
        } else {
            format!("/{}", src.trim_start_matches('/'))
        };
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        let found = site.find_static(&path);
        // A bare file name (`crane.jpg`) may live anywhere in the asset folders.
        let found = found.or_else(|| {
            let rel = self.find_by_name(&path).filter(|_| !src.contains('/'))?;
            let root = site
                .static_roots
                .iter()
                .chain(&site.asset_roots)
                .find(|r| r.is_empty() || rel.starts_with(&format!("{r}/")))?;
            let out = rel.strip_prefix(&format!("{root}/")).unwrap_or(rel);
            Some((out.to_string(), rel.to_string()))
        });
        match found {
            Some((out, rel)) => {
                assets.copies.insert(out.clone(), rel);
                format!("/{out}")
            }
            None => {
                assets.missing.push(path.clone());
                // Without the original address there is nothing valid to
                // point at: the build rejects a local path not in static/.
                match lookup.origin() {
                    Some(_) => lookup.absolute(&path),
                    None => String::new(),
                }
            }
        }
    }
}
