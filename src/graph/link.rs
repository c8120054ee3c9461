//! Linking, once every article is rendered: check `#anchors` against the
//! target's headings, fill "Referenced by", related articles and series.

use super::related::{compute_related, RelatedInput};
use crate::content::Article;
use crate::diag::{closest, line_col, Diagnostic, Level};
use crate::markdown::Rendered;
use std::collections::BTreeMap;

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
    pub articles: &'a [Article],
    pub rendered: &'a [Rendered],
    pub article_authors: &'a [Vec<usize>],
    pub article_topics: &'a [Vec<usize>],
}

/// Checks anchors (reporting problems) and computes the cross-page links.
pub fn fill_links(input: &LinkInput<'_>, problems: &mut Vec<Diagnostic>) -> Links {
    let n = input.articles.len();
    let mut backlinks = vec![Vec::new(); n];
    for (source, rendered) in input.rendered.iter().enumerate() {
        let article = &input.articles[source];
        for problem in &rendered.problems {
            problems.push(at_offset(
                article,
                problem.offset,
                problem.level,
                problem.message.clone(),
            ));
        }
        for (anchor, offset) in &rendered.self_anchors {
            check_anchor(article, anchor, *offset, (article, rendered), problems);
        }
        for xref in &rendered.xrefs {
            if let Some(anchor) = &xref.anchor {
                let (target, target_rendered) = (&input.articles[xref.target], &input.rendered[xref.target]);
                check_anchor(article, anchor, xref.offset, (target, target_rendered), problems);
            }
            if xref.target != source && backlinks[xref.target].last() != Some(&source) {
                backlinks[xref.target].push(source);
            }
        }
    }

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
    let topics = to_u32(input.article_topics);
    let authors = to_u32(input.article_authors);
    let days: Vec<i64> = input.articles.iter().map(|a| a.date.day_number()).collect();
    let related = compute_related(&RelatedInput {
        topics: &topics,
        authors: &authors,
        days: &days,
    });

    Links {
        backlinks,
        related,
        series: series_positions(input.articles),
    }
}

fn series_positions(articles: &[Article]) -> Vec<Option<SeriesPos>> {
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

fn check_anchor(
    article: &Article,
    anchor: &str,
    offset: usize,
    (target, target_rendered): (&Article, &Rendered),
    problems: &mut Vec<Diagnostic>,
) {
    if anchor.is_empty()
        || target_rendered.headings.iter().any(|h| h.id == anchor)
        || is_note_id(anchor, target_rendered)
    {
        return;
    }
    let written = written_link(&article.body, offset);
    let ids = target_rendered.headings.iter().map(|h| h.id.as_str());
    let hint = match closest(anchor, ids.clone(), 1).first() {
        Some(best) => format!("; did you mean `#{best}`?"),
        None if target_rendered.headings.is_empty() => "; it has no headings".to_string(),
        None => format!(
            "; its headings: {}",
            ids.map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")
        ),
    };
    let message = format!(
        "broken cross-reference `{written}`: {} has no heading `#{anchor}`{hint}",
        target.source_path
    );
    problems.push(at_offset(article, offset, Level::Error, message));
}

fn is_note_id(anchor: &str, rendered: &Rendered) -> bool {
    let note = |prefix: &str| {
        anchor
            .strip_prefix(prefix)
            .is_some_and(|n| rendered.html.contains(&format!("id=\"{prefix}{n}\"")))
    };
    anchor == "footnotes" && rendered.html.contains("id=\"footnotes\"") || note("fn-") || note("fnref-")
}

/// The link destination as written at `offset` of the body.
fn written_link(body: &str, offset: usize) -> &str {
    let rest = body.get(offset..).unwrap_or("");
    let end = rest.find(|c: char| c == ')' || c.is_whitespace()).unwrap_or(rest.len());
    &rest[..end]
}

/// A diagnostic at a byte offset of an article's body.
pub(super) fn at_offset(article: &Article, offset: usize, level: Level, message: String) -> Diagnostic {
    let (line, col) = line_col(&article.body, offset);
    let line = article.body_line + line - 1;
    match level {
        Level::Error => Diagnostic::error(&article.source_path, line, col, message),
        Level::Warning => Diagnostic::warning(&article.source_path, line, col, message),
    }
}
