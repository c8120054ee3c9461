//! Which templates each template uses, and the hash of that closure with
//! the theme strings: a page made with `article.html` changes when any
//! template it extends, includes or imports changes, and no other.

use crate::render::{template_references, Strings, TemplateSource};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Each template's text with the text of every template it names (through
/// `extends`, `include` or `import`), the theme strings and whether another
/// template names it, hashed, by template name.
pub(super) fn template_hashes(sources: &[TemplateSource], strings: &Strings) -> HashMap<String, u64> {
    let strings = serde_json::to_string(strings).unwrap_or_default();
    let names: Vec<&str> = sources.iter().map(|(n, _, _)| n.as_str()).collect();
    let mentions: Vec<Vec<usize>> = sources
        .iter()
        .map(|(_, text, _)| {
            template_references(text)
                .into_iter()
                .filter_map(|(name, _)| names.iter().position(|n| *n == name))
                .collect()
        })
        .collect();
    (0..sources.len())
        .map(|start| {
            let mut seen = vec![false; sources.len()];
            let mut stack = vec![start];
            while let Some(i) = stack.pop() {
                if !std::mem::replace(&mut seen[i], true) {
                    stack.extend(&mentions[i]);
                }
            }
            // Whether another template names this one decides whether a
            // part like `header.html` is rendered on its own
            // (render/partials.rs), so a page made with it depends on that too.
            let named = mentions
                .iter()
                .enumerate()
                .any(|(j, m)| j != start && m.contains(&start));
            let mut h = DefaultHasher::new();
            strings.hash(&mut h);
            named.hash(&mut h);
            for (_, source) in sources.iter().enumerate().filter(|(i, _)| seen[*i]) {
                (&source.0, &source.1).hash(&mut h);
            }
            (names[start].to_string(), h.finish())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> TemplateSource {
        (name.to_string(), text.to_string(), format!("templates/{name}"))
    }

    #[test]
    fn a_template_changes_with_the_templates_it_names() {
        let before = [
            source("base.html", "<body>{% block content %}{% endblock content %}</body>"),
            source("macros.html", "{% macro card(a) %}{{ a }}{% endmacro card %}"),
            source(
                "article.html",
                "{% extends \"base.html\" %}{% import 'macros.html' as m %}",
            ),
            source("atom.xml", "<feed/>"),
        ];
        let mut after = before.clone();
        after[1].1.push_str("<!-- changed -->");
        let (a, b) = (
            template_hashes(&before, &Strings::default()),
            template_hashes(&after, &Strings::default()),
        );
        assert_ne!(a["article.html"], b["article.html"], "imports macros.html");
        assert_ne!(a["macros.html"], b["macros.html"]);
        assert_eq!(a["base.html"], b["base.html"]);
        assert_eq!(a["atom.xml"], b["atom.xml"]);
    }
}
