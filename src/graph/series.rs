//! Series as pages of their own (`/series/<slug>/`), listing the parts in
//! reading order; the parts link to it.

use super::link::SeriesPos;
use std::collections::HashSet;

/// One series: its name, its URL slug and its parts, oldest first.
#[derive(Debug, Clone, Hash)]
pub struct SeriesGroup {
    pub name: String,
    pub slug: String,
    pub parts: Vec<usize>,
}

/// Every series of the site, by name, and each article's series index.
pub(super) fn series_groups(series: &[Option<SeriesPos>]) -> (Vec<SeriesGroup>, Vec<Option<usize>>) {
    let mut groups: Vec<SeriesGroup> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for pos in series.iter().flatten() {
        if seen.insert(pos.name.as_str()) {
            groups.push(SeriesGroup {
                name: pos.name.clone(),
                slug: String::new(),
                parts: pos.parts.clone(),
            });
        }
    }
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    // Two names may slugify alike ("Water, Part" and "Water Part"): later ones get a number.
    let mut slugs: HashSet<String> = HashSet::new();
    for g in &mut groups {
        let base = crate::markdown::slugify(&g.name);
        let base = if base.is_empty() { "series".to_string() } else { base };
        let mut slug = base.clone();
        let mut n = 2;
        while !slugs.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        g.slug = slug;
    }
    let mut of = vec![None; series.len()];
    for (i, g) in groups.iter().enumerate() {
        for &id in &g.parts {
            of[id] = Some(i);
        }
    }
    (groups, of)
}
