//! Files a post or a person refers to (images above all): found in the old
//! site's static or asset folders and copied into the new `static/`, else
//! pointed at the original site.

use super::lookup::{join_path, Lookup};
use super::source::{parent_dir, walk_files, SourceSite};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// Files to copy into the new site's `static/`, and images not found.
#[derive(Debug, Default)]
pub struct Assets {
    /// Path under `static/` -> path in the source.
    pub copies: BTreeMap<String, String>,
    /// Images of the current article that the source does not have.
    pub missing: Vec<String>,
    /// Files of the current article copied under another name, since
    /// another file took theirs: (source path, new path under `static/`).
    pub renamed: Vec<(String, String)>,
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
    /// Path under `static/` -> the source file copied there, for every
    /// article and person: two files never share a name.
    claimed: RefCell<HashMap<String, String>>,
}

impl AssetIndex {
    /// Lists the static and asset folders of `site`.
    pub fn new(site: &SourceSite) -> AssetIndex {
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for root in site.static_roots.iter().chain(&site.asset_roots) {
            let under = |rel: &String| {
                rel.strip_prefix(root.as_str())
                    .unwrap_or(rel)
                    .trim_start_matches('/')
                    .to_string()
            };
            for rel in walk_files(&site.root, root)
                .into_iter()
                .filter(|rel| site.published(&under(rel)))
            {
                let name = rel.rsplit('/').next().unwrap_or(&rel).to_lowercase();
                by_name.entry(name).or_default().push(rel);
            }
        }
        AssetIndex {
            by_name,
            claimed: RefCell::default(),
        }
    }

    /// Records that the source file `rel` is copied to `out` under
    /// `static/`, and returns the URL it gets there. When another file
    /// took that name (a page bundle's `photo.jpg` and the static folder's
    /// own, say), it gets the first free name beside it (`photo-2.jpg`),
    /// recorded in `assets.renamed`.
    fn claim(&self, out: String, rel: String, assets: &mut Assets) -> String {
        let mut claimed = self.claimed.borrow_mut();
        let (stem, ext) = match out.rfind('.').filter(|&dot| dot > out.rfind('/').map_or(0, |s| s + 1)) {
            Some(dot) => (&out[..dot], &out[dot..]),
            None => (out.as_str(), ""),
        };
        let name = (1..)
            .map(|n| {
                if n == 1 {
                    out.clone()
                } else {
                    format!("{stem}-{n}{ext}")
                }
            })
            .find(|name| claimed.get(name).is_none_or(|taken| *taken == rel))
            .unwrap_or_default();
        if name != out {
            assets.renamed.push((rel.clone(), name.clone()));
        }
        claimed.insert(name.clone(), rel.clone());
        assets.copies.insert(name.clone(), rel);
        format!("/{name}")
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
                return self.claim(format!("images/{}/{name}", place.slug), rel, assets);
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
            Some((out, rel)) => self.claim(out, rel, assets),
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
