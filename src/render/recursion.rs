//! Refusing recursive templates before rendering. Tera 1 has no depth limit:
//! a template that includes itself, or a macro that calls itself, overflows
//! the stack and aborts the process. So the templates' include, extends and
//! macro-call graph is checked for cycles, and a cycle is a template error
//! naming the chain. (Recursive macros are thus not supported, even bounded ones.)

use super::errors::{line_col, references};
use super::templates::TemplateSource;
use crate::diag::{Code, Diagnostic};
use regex::Regex;
use std::sync::LazyLock;

/// A template (`macro_name` None) or a macro in a template.
#[derive(Clone, PartialEq, Eq, Debug)]
struct Node {
    template: usize,
    macro_name: Option<String>,
}

/// A use of one node by another, at a byte offset of the user's source.
struct Edge {
    from: Node,
    to: Node,
    at: usize,
}

static MACRO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\{%-?\s*macro\s+(\w+)\s*\(.*?%\}(.*?)\{%-?\s*endmacro").expect("valid regex"));
static IMPORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\{%-?\s*import\s+(?:"([^"]+)"|'([^']+)')\s+as\s+(\w+)"#).expect("valid regex"));
static CALL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\w+)\s*::\s*(\w+)\s*\(").expect("valid regex"));

/// An error for the first recursion among the templates, if any.
pub(super) fn check_recursion(sources: &[TemplateSource]) -> Option<Diagnostic> {
    let edges = edges(sources);
    let mut nodes: Vec<Node> = Vec::new();
    for e in &edges {
        for n in [&e.from, &e.to] {
            if !nodes.contains(n) {
                nodes.push(n.clone());
            }
        }
    }
    let mut done = vec![false; nodes.len()];
    for start in 0..nodes.len() {
        let mut path: Vec<&Edge> = Vec::new();
        if let Some(cycle) = find_cycle(&nodes[start], &edges, &mut path, &nodes, &mut done) {
            let first = cycle[0];
            let source = &sources[first.from.template];
            let (line, col) = line_col(&source.1, first.at);
            let chain: Vec<String> = cycle
                .iter()
                .map(|e| {
                    format!(
                        "{} {} {}",
                        describe(sources, &e.from),
                        verb(e),
                        describe(sources, &e.to)
                    )
                })
                .collect();
            return Some(Diagnostic::error(
                Code::TemplateRecursion,
                &source.2,
                line,
                col,
                format!("template error: recursion: {}; templates and macros cannot use themselves, directly or through others", chain.join(", then ")),
            ));
        }
    }
    None
}

/// Depth-first search from `node`; the edges of a cycle through the current path.
fn find_cycle<'e>(
    node: &Node,
    edges: &'e [Edge],
    path: &mut Vec<&'e Edge>,
    nodes: &[Node],
    done: &mut [bool],
) -> Option<Vec<&'e Edge>> {
    let index = nodes.iter().position(|n| n == node)?;
    if done[index] {
        return None;
    }
    for edge in edges.iter().filter(|e| &e.from == node) {
        if let Some(i) = path.iter().position(|e| e.from == edge.to) {
            let mut cycle = path[i..].to_vec();
            cycle.push(edge);
            return Some(cycle);
        }
        if edge.to == *node {
            return Some(vec![edge]);
        }
        path.push(edge);
        let found = find_cycle(&edge.to, edges, path, nodes, done);
        path.pop();
        if found.is_some() {
            return found;
        }
    }
    done[index] = true;
    None
}

fn verb(edge: &Edge) -> &'static str {
    match edge.to.macro_name {
        Some(_) => "calls",
        None => "includes",
    }
}

fn describe(sources: &[TemplateSource], node: &Node) -> String {
    let name = &sources[node.template].0;
    match &node.macro_name {
        Some(m) => format!("macro `{m}` of {name}"),
        None => name.clone(),
    }
}

/// Every include, extends and macro call among the templates.
fn edges(sources: &[TemplateSource]) -> Vec<Edge> {
    let find = |name: &str| sources.iter().position(|s| s.0 == name);
    let mut edges = Vec::new();
    for (t, (_, text, _)) in sources.iter().enumerate() {
        let imports: Vec<(String, usize)> = IMPORT
            .captures_iter(text)
            .filter_map(|c| {
                let file = c.get(1).or(c.get(2))?.as_str();
                Some((c.get(3)?.as_str().to_string(), find(file)?))
            })
            .collect();
        let macros: Vec<(String, usize, usize)> = MACRO
            .captures_iter(text)
            .filter_map(|c| {
                let body = c.get(2)?;
                Some((c.get(1)?.as_str().to_string(), body.start(), body.end()))
            })
            .collect();
        let owner = |at: usize| Node {
            template: t,
            macro_name: macros.iter().find(|m| m.1 <= at && at < m.2).map(|m| m.0.clone()),
        };
        for (name, at) in references(text) {
            let is_import = text[at..]
                .trim_start_matches(['{', '%', '-', ' '])
                .starts_with("import");
            if let (false, Some(to)) = (is_import, find(&name)) {
                edges.push(Edge {
                    from: owner(at),
                    to: Node {
                        template: to,
                        macro_name: None,
                    },
                    at,
                });
            }
        }
        for c in CALL.captures_iter(text) {
            let (Some(whole), Some(ns), Some(name)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let target = match ns.as_str() {
                "self" => Some(t),
                alias => imports.iter().find(|(a, _)| a == alias).map(|(_, f)| *f),
            };
            if let Some(to) = target {
                edges.push(Edge {
                    from: owner(whole.start()),
                    to: Node {
                        template: to,
                        macro_name: Some(name.as_str().to_string()),
                    },
                    at: whole.start(),
                });
            }
        }
    }
    edges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(list: &[(&str, &str)]) -> Vec<TemplateSource> {
        list.iter()
            .map(|(n, t)| (n.to_string(), t.to_string(), format!("templates/{n}")))
            .collect()
    }

    #[test]
    fn the_built_in_theme_has_no_recursion() {
        let theme: Vec<(&str, &str)> = super::super::theme::TEMPLATES.to_vec();
        assert_eq!(check_recursion(&sources(&theme)), None);
    }

    #[test]
    fn mutual_includes_are_named_in_order() {
        let d = check_recursion(&sources(&[
            ("a.html", "x\n{% include \"b.html\" %}"),
            ("b.html", "{% include \"a.html\" %}"),
        ]))
        .unwrap();
        assert_eq!(d.place, crate::diag::Place::file("templates/a.html", 2, 1));
        assert!(
            d.message
                .contains("a.html includes b.html, then b.html includes a.html"),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_macro_calling_itself_through_an_import_is_found() {
        let d = check_recursion(&sources(&[
            ("m.html", "{% macro tree(n) %}{{ self::tree(n=n) }}{% endmacro tree %}"),
            ("page.html", "{% import \"m.html\" as m %}{{ m::tree(n=1) }}"),
        ]))
        .unwrap();
        assert!(
            d.message
                .contains("macro `tree` of m.html calls macro `tree` of m.html"),
            "{}",
            d.message
        );
        assert_eq!(d.place, crate::diag::Place::file("templates/m.html", 1, 23));
    }
}
