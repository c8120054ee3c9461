//! Linking, once every article is rendered: check `#anchors` against the
//! target's headings, fill "Referenced by", related articles and series.

use super::related::{compute_related, RelatedInput};
use crate::content::Article;
use crate::diag::{closest, Code, Diagnostic, Finding, Level};
use crate::markdown::Rendered;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// An article's place in its series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesPos {
    pub name: String,
    /// 1-based position.
    pub part: usize,
    /// Every part, in order.
    pub parts: Vec<usize>,
}

/// Cross-page links of every article, by id.
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub backlinks: Vec<Vec<usize>>,
    pub related: Vec<Vec<usize>>,
    pub series: Vec<Option<SeriesPos>>,
}

/// What linking needs, borrowed from the index.
pub struct LinkInput<'a> {
    pub articles: &'a [Arc<Article>],
    pub rendered: &'a [Arc<Rendered>],
    /// Position of each article by path relative to `articles/`.
    pub by_path: &'a HashMap<String, usize>,
    pub article_authors: &'a [Vec<usize>],
    pub article_topics: &'a [Vec<usize>],
}

/// Checks anchors (reporting problems) and computes the cross-page links.
pub fn fill_links(input: &LinkInput<'_>, problems: &mut Vec<Diagnostic>) -> Links {
    let related = compute_related(&RelatedParts::new(input).input());
    fill_links_with(input, related, problems)
}

/// As `fill_links`, with the related articles already known (the engine
/// keeps them while the articles' order, topics, authors and dates stay).
pub fn fill_links_with(input: &LinkInput<'_>, related: Vec<Vec<usize>>, problems: &mut Vec<Diagnostic>) -> Links {
    let n = input.articles.len();
    let mut backlinks = vec![Vec::new(); n];
    for (source, rendered) in input.rendered.iter().enumerate() {
        let article = &input.articles[source];
        for problem in &rendered.problems {
            problems.push(problem.clone().in_file(&article.source_path, article.body_line));
        }
        for local in &rendered.self_anchors {
            let link = Link {
                anchor: &local.anchor,
                written: &format!("#{}", local.anchor),
                place: (local.line, local.col),
            };
            check_anchor(article, &link, (article, rendered), problems);
        }
        for xref in &rendered.xrefs {
            let Some(&target_id) = input.by_path.get(&xref.target) else {
                continue;
            };
            if let Some(anchor) = &xref.anchor {
                let (target, target_rendered) = (&input.articles[target_id], &input.rendered[target_id]);
                let link = Link {
                    anchor,
                    written: &xref.written,
                    place: (xref.line, xref.col),
                };
                check_anchor(article, &link, (target, target_rendered), problems);
            }
            if target_id != source && backlinks[target_id].last() != Some(&source) {
                backlinks[target_id].push(source);
            }
        }
    }
    Links {
        backlinks,
        related,
        series: series_positions(input.articles),
    }
}

/// What related articles are computed from, as sorted id lists.
pub struct RelatedParts {
    pub topics: Vec<Vec<u32>>,
    pub authors: Vec<Vec<u32>>,
    pub days: Vec<i64>,
}

impl RelatedParts {
    pub fn new(input: &LinkInput<'_>) -> Self {
        let to_u32 = |lists: &[Vec<usize>]| -> Vec<Vec<u32>> {
            lists
                .iter()
                .map(|l| {
                    let mut v: Vec<u32> = l.iter().map(|&x| x as u32).collect();
                    v.sort_unstable();
                    v
                })
                .collect()
        };
        RelatedParts {
            topics: to_u32(input.article_topics),
            authors: to_u32(input.article_authors),
            days: input.articles.iter().map(|a| a.date.day_number()).collect(),
        }
    }

    pub fn input(&self) -> RelatedInput<'_> {
        RelatedInput {
            topics: &self.topics,
            authors: &self.authors,
            days: &self.days,
        }
    }
}

fn series_positions(articles: &[Arc<Article>]) -> Vec<Option<SeriesPos>> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (id, a) in articles.iter().enumerate() {
        if let Some(name) = &a.series {
            groups.entry(name.as_str()).or_default().push(id);
        }
    }
    let mut out = vec![None; articles.len()];
    for (name, mut ids) in groups {
        // Ids run newest first; a series reads oldest first.
        ids.reverse();
        for (i, &id) in ids.iter().enumerate() {
            out[id] = Some(SeriesPos {
                name: name.to_string(),
                part: i + 1,
                parts: ids.clone(),
            });
        }
    }
    out
}

/// A link to a `#anchor`, where it is in the citing article's body.
struct Link<'a> {
    anchor: &'a str,
    written: &'a str,
    place: (usize, usize),
}

fn check_anchor(
    article: &Article,
    link: &Link<'_>,
    (target, target_rendered): (&Article, &Rendered),
    problems: &mut Vec<Diagnostic>,
) {
    let (anchor, written) = (link.anchor, link.written);
    if anchor.is_empty()
        || target_rendered.headings.iter().any(|h| h.id == anchor)
        || is_note_id(anchor, target_rendered)
    {
        return;
    }
    let ids = target_rendered.headings.iter().map(|h| h.id.as_str());
    let hint = match closest(anchor, ids.clone(), 1).first() {
        Some(best) => format!("did you mean `#{best}`?"),
        None if target_rendered.headings.is_empty() => "it has no headings".to_string(),
        None => format!(
            "its headings: {}",
            ids.map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")
        ),
    };
    let message = format!(
        "broken cross-reference `{written}`: {} has no heading `#{anchor}`",
        target.source_path
    );
    let (line, col) = link.place;
    let finding = Finding::new(Code::BrokenCrossReference, message).with_suggestion(Some(hint));
    problems.push(finding.at(Level::Error, &article.source_path, article.body_line + line - 1, col));
}

fn is_note_id(anchor: &str, rendered: &Rendered) -> bool {
    let note = |prefix: &str| {
        anchor
            .strip_prefix(prefix)
            .is_some_and(|n| rendered.html.contains(&format!("id=\"{prefix}{n}\"")))
    };
    anchor == "footnotes" && rendered.html.contains("id=\"footnotes\"") || note("fn-") || note("fnref-")
}
