//! Tera set up once per build: the built-in templates, then the site's own
//! `templates/` files replacing them by name (or adding new ones).

use super::i18n::Strings;
use super::theme::TEMPLATES;
use crate::diag::{display_path, Code, Diagnostic};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use tera::Tera;

/// A template's name, text and path relative to the site root.
pub type TemplateSource = (String, String, String);

/// The compiled templates, with their sources (to place errors) and the
/// theme strings of the site's language.
pub struct Theme {
    pub tera: Tera,
    sources: Vec<TemplateSource>,
    pub strings: Strings,
    /// For each template, the strings it and the templates it uses name, so
    /// a page's context carries only those.
    used_strings: HashMap<String, Strings>,
    /// The length of the last page each template rendered: the next one's
    /// buffer is made about that size, instead of growing from Tera's 2 KB
    /// by doubling (copying a 20 KB article page four times).
    sizes: HashMap<String, AtomicUsize>,
    /// Templates another template includes, imports or extends.
    referenced: std::collections::HashSet<String>,
    /// Templates that, with those they use, can print `site` (their text
    /// names it, or dumps the whole context).
    naming_site: std::collections::HashSet<String>,
}

impl Theme {
    /// The template sources this theme was compiled from.
    pub fn sources(&self) -> &[TemplateSource] {
        &self.sources
    }

    /// The theme strings `template` can print (all of them when it uses
    /// `strings` other than as `strings.key`).
    pub fn strings_for(&self, template: &str) -> &Strings {
        self.used_strings.get(template).unwrap_or(&self.strings)
    }

    /// Whether some template includes, imports or extends `template`: a
    /// site that wrote its own `header.html` to include from its
    /// `base.html` keeps it a part of its pages, not rendered on its own.
    pub fn is_referenced(&self, template: &str) -> bool {
        self.referenced.contains(template)
    }

    /// Whether `template` (with the templates it uses) can print `site`:
    /// a part rendered for every article gets it only then.
    pub fn names_site(&self, template: &str) -> bool {
        self.naming_site.contains(template)
    }

    /// Renders `template` with `context` into a buffer sized from the last
    /// page it rendered.
    pub fn render(&self, template: &str, context: &tera::Context) -> tera::Result<String> {
        let last = self.sizes.get(template);
        let size = last.map_or(0, |n| n.load(Ordering::Relaxed));
        let mut out = Vec::with_capacity((size + size / 8).max(2048));
        self.tera.render_to(template, context, &mut out)?;
        if let Some(n) = last {
            n.store(out.len(), Ordering::Relaxed);
        }
        String::from_utf8(out).map_err(|e| tera::Error::utf8_conversion_error(e, template.to_string()))
    }

    /// A render error of `template` at the file, line and column of the
    /// failing expression.
    pub fn render_error(&self, template: &str, error: &tera::Error) -> Diagnostic {
        let (path, line, col, message) = super::errors::locate_render_error(&self.sources, template, error);
        Diagnostic::error(
            Code::TemplateRender,
            &path,
            line,
            col,
            format!("template error: {message}"),
        )
    }
}

/// Compiles the templates and reads the strings for `language`; a broken
/// template is reported at its file.
pub fn load_templates(root: &Path, language: &str, problems: &mut Vec<Diagnostic>) -> Option<Theme> {
    let strings = Strings::load(root, language, problems);
    compile_templates(template_sources(root, problems), strings, problems)
}

/// The built-in templates with the site's own in their place or beside them.
pub fn template_sources(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<TemplateSource> {
    let mut sources: Vec<(String, String, String)> = TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string(), format!("templates/{name}")))
        .collect();
    let dir = root.join("templates");
    let tree = crate::content::tree::Tree::walk(root, &["templates"]);
    let files = tree
        .entries()
        .filter(|e| matches!(e.kind, crate::content::tree::Kind::File));
    for path in files.map(|e| &e.path) {
        let name = display_path(&dir, path);
        let Some(source) = crate::content::source::read_source(root, path, problems) else {
            continue;
        };
        match sources.iter_mut().find(|(n, _, _)| *n == name) {
            Some(slot) => *slot = (name, source.text, source.path),
            None => sources.push((name, source.text, source.path)),
        }
    }
    sources
}

/// Compiles template sources into one Tera, with the built-in filters and
/// pressroom's `fill`; recursive templates are refused before they can run.
pub fn compile_templates(
    sources: Vec<TemplateSource>,
    strings: Strings,
    problems: &mut Vec<Diagnostic>,
) -> Option<Theme> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_markup);
    tera.register_filter("fill", super::i18n::fill_filter);
    let pairs: Vec<(&str, &str)> = sources.iter().map(|(n, t, _)| (n.as_str(), t.as_str())).collect();
    if let Err(e) = tera.add_raw_templates(pairs) {
        problems.push(parse_error(&sources, &e));
        return None;
    }
    if let Some(d) = super::recursion::check_recursion(&sources) {
        problems.push(d);
        return None;
    }
    let used_strings = sources
        .iter()
        .filter_map(|(name, _, _)| {
            let texts = super::errors::referenced_closure(&sources, name)
                .into_iter()
                .map(|s| s.1.as_str());
            Some((name.clone(), strings.subset(texts)?))
        })
        .collect();
    let naming_site = sources
        .iter()
        .filter(|(name, _, _)| {
            super::errors::referenced_closure(&sources, name)
                .iter()
                .any(|(_, text, _)| text.contains("site") || text.contains("__tera_context"))
        })
        .map(|(name, _, _)| name.clone())
        .collect();
    let sizes = sources
        .iter()
        .map(|(name, _, _)| (name.clone(), AtomicUsize::new(0)))
        .collect();
    let referenced = sources
        .iter()
        .flat_map(|(_, text, _)| super::errors::references(text))
        .map(|(name, _)| name)
        .collect();
    Some(Theme {
        tera,
        sources,
        strings,
        used_strings,
        sizes,
        referenced,
        naming_site,
    })
}

/// A template that does not compile, at the tag left open when there is one,
/// else where Tera's parser gave up.
fn parse_error(sources: &[TemplateSource], e: &tera::Error) -> Diagnostic {
    let message = error_chain(e);
    // Tera names the template in quotes and the place as ` --> line:col`.
    let Some((_, text, path)) = sources
        .iter()
        .find(|(name, _, _)| message.contains(&format!("'{name}'")) || message.contains(&format!("\"{name}\"")))
    else {
        return Diagnostic::site(Code::TemplateSyntax, format!("template error: {message}"));
    };
    let tidy = tidy_parse_error(&message);
    let (line, col, message) = match super::errors::unclosed_tag(text) {
        Some((line, col, unclosed)) if message.contains("--> ") => (line, col, format!("{unclosed} ({tidy})")),
        _ => {
            let (line, col) = parse_position(&message).unwrap_or((1, 1));
            (line, col, tidy)
        }
    };
    Diagnostic::error(
        Code::TemplateSyntax,
        path,
        line,
        col,
        format!("template error: {message}"),
    )
}

/// The problem a failed page render is: the template's own, or (for an
/// error that is not a template's) one at `template`.
pub fn template_problem(error: &anyhow::Error, template: &str) -> Diagnostic {
    match error.downcast_ref::<Diagnostic>() {
        Some(problem) => problem.clone(),
        None => Diagnostic::error(
            Code::TemplateRender,
            &format!("templates/{template}"),
            1,
            1,
            format!("{error:#}"),
        ),
    }
}

/// Tera's parse errors draw the source with a caret over several lines;
/// the position is reported separately, so keep the first and last parts.
fn tidy_parse_error(message: &str) -> String {
    match (message.find(" --> "), message.rfind("= ")) {
        (Some(start), Some(end)) if end > start => {
            format!("{} {}", message[..start].trim_end(), message[end + 2..].trim())
        }
        _ => message.to_string(),
    }
}

/// `line:col` from a parser message such as `--> 3:14`.
fn parse_position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("--> ")? + 4..];
    let (line, rest) = rest.split_once(':')?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

/// A Tera error with its causes, on one line.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ").replace('\n', " ")
}

/// Escapes text for HTML and XML alike (Tera's default also escapes `/`,
/// which bloats every URL).
fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    // SIMD-scanned; escapes `&`, `<`, `>`, `"` and `'`.
    if pulldown_cmark_escape::escape_html(&mut out, text).is_err() {
        out = text.to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    /// `site` is named by a template itself, by one it includes, or by a
    /// dump of the whole context; a card that names none of these is not
    /// given `site`.
    #[test]
    fn templates_that_can_print_site_are_known() {
        let source = |name: &str, text: &str| (name.to_string(), text.to_string(), format!("templates/{name}"));
        let sources = vec![
            source("card.html", "{{ card.title }}"),
            source("named.html", "{{ site.title }}"),
            source("part.html", "{{ site.base_path }}"),
            source("outer.html", "{% include \"part.html\" %}"),
            source("dump.html", "{{ __tera_context }}"),
        ];
        let theme = super::compile_templates(sources, super::Strings::default(), &mut Vec::new()).unwrap();
        assert!(!theme.names_site("card.html"));
        for name in ["named.html", "part.html", "outer.html", "dump.html"] {
            assert!(theme.names_site(name), "{name}");
        }
    }

    #[test]
    fn escapes_markup_characters_but_not_slashes() {
        assert_eq!(
            super::escape_markup("a/b & <c> \"d\" 'é'"),
            "a/b &amp; &lt;c&gt; &quot;d&quot; &#39;é&#39;"
        );
        let long = "x".repeat(70);
        for text in ["a/b é", "", "&", "'", long.as_str(), &format!("{long}<")] {
            let mut escaped = String::new();
            pulldown_cmark_escape::escape_html(&mut escaped, text).unwrap();
            assert_eq!(super::escape_markup(text), escaped, "{text:?}");
        }
    }
}
