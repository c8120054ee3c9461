//! The benchmarks' lower bound: the least work any generator built on
//! serde_yaml and pulldown-cmark must do for an archive, with nothing
//! across pages (no links between articles, no author, topic or archive
//! pages, no feeds).
//!
//! ```text
//! probe [--jobs N] ARCHIVE OUT
//! ```
//!
//! For every `ARCHIVE/articles/YEAR/NAME.md` (pressroom's layout) it splits
//! off the YAML front matter, deserializes it, renders the Markdown body and
//! writes one small HTML page to `OUT/articles/YEAR/NAME/index.html`. The
//! articles are shared out to N threads (default: one per core).

use pulldown_cmark::{html, Options, Parser};
use pulldown_cmark_escape::{escape_href, escape_html, FmtWriter};
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use std::{fs, process, thread};

/// The front matter the benchmark archives carry.
#[derive(Deserialize)]
struct FrontMatter {
    title: String,
    date: String,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    summary: String,
}

/// What one thread did: pages written and their bytes.
#[derive(Default)]
struct Tally {
    pages: usize,
    bytes: usize,
}

fn main() {
    let (jobs, archive, out) = match parse_args(std::env::args().skip(1).collect()) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("probe: {message}\nusage: probe [--jobs N] ARCHIVE OUT");
            process::exit(2);
        }
    };
    let start = Instant::now();
    match run(jobs, &archive, &out) {
        Ok(tally) => eprintln!(
            "probe: {} pages, {} bytes, {:.3} s, {jobs} threads",
            tally.pages,
            tally.bytes,
            start.elapsed().as_secs_f64()
        ),
        Err(message) => {
            eprintln!("probe: {message}");
            process::exit(1);
        }
    }
}

fn parse_args(mut args: Vec<String>) -> Result<(usize, PathBuf, PathBuf), String> {
    let mut jobs = thread::available_parallelism().map_or(1, |n| n.get());
    if args.first().map(String::as_str) == Some("--jobs") {
        let value = args.get(1).ok_or("--jobs needs a number")?;
        jobs = value
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .ok_or(format!("--jobs {value}: not a positive number"))?;
        args.drain(..2);
    }
    match <[String; 2]>::try_from(args) {
        Ok([archive, out]) => Ok((jobs, archive.into(), out.into())),
        Err(_) => Err("expected ARCHIVE and OUT".into()),
    }
}

/// Every article file, sorted so that runs share the work out alike.
fn article_files(archive: &Path) -> Result<Vec<PathBuf>, String> {
    let root = archive.join("articles");
    let list = |dir: &Path| -> Result<Vec<PathBuf>, String> {
        let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        entries
            .map(|entry| entry.map(|e| e.path()).map_err(|e| format!("{}: {e}", dir.display())))
            .collect()
    };
    let mut files = Vec::new();
    for year in list(&root)?.into_iter().filter(|p| p.is_dir()) {
        files.extend(
            list(&year)?
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "md")),
        );
    }
    files.sort();
    Ok(files)
}

fn run(jobs: usize, archive: &Path, out: &Path) -> Result<Tally, String> {
    let files = article_files(archive)?;
    let next = AtomicUsize::new(0);
    let worker = || -> Result<Tally, String> {
        let mut tally = Tally::default();
        let mut page = String::with_capacity(64 * 1024);
        loop {
            let Some(file) = files.get(next.fetch_add(1, Ordering::Relaxed)) else {
                return Ok(tally);
            };
            page.clear();
            render(file, &mut page).map_err(|e| format!("{}: {e}", file.display()))?;
            write_page(file, out, &page)?;
            tally.pages += 1;
            tally.bytes += page.len();
        }
    };
    thread::scope(|scope| {
        let handles: Vec<_> = (0..jobs).map(|_| scope.spawn(worker)).collect();
        handles.into_iter().try_fold(Tally::default(), |sum, handle| {
            let part = handle.join().map_err(|_| "a thread panicked".to_string())??;
            Ok(Tally {
                pages: sum.pages + part.pages,
                bytes: sum.bytes + part.bytes,
            })
        })
    })
}

/// `(front matter, body)` of a file that starts with a `---` fence.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some((&rest[..end + 1], &rest[end + 5..]))
}

/// One article's page: its front matter as a header, then its body.
fn render(file: &Path, page: &mut String) -> Result<(), String> {
    let text = fs::read_to_string(file).map_err(|e| e.to_string())?;
    let (yaml, body) = split_front_matter(&text).ok_or("no front matter between --- lines")?;
    let front: FrontMatter = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
    page.push_str("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    push_html_text(page, &front.title);
    page.push_str("</title></head><body><article><h1>");
    push_html_text(page, &front.title);
    let _ = write!(page, "</h1><p><time>{}</time>", front.date);
    for author in &front.authors {
        page.push_str(" <a href=\"/authors/");
        push_href(page, author);
        page.push_str("/\">");
        push_html_text(page, author);
        page.push_str("</a>");
    }
    page.push_str("</p><ul class=\"topics\">");
    for topic in &front.topics {
        page.push_str("<li>");
        push_html_text(page, topic);
        page.push_str("</li>");
    }
    page.push_str("</ul><p class=\"summary\">");
    push_html_text(page, &front.summary);
    page.push_str("</p>\n");
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    html::push_html(page, Parser::new_ext(body, options));
    page.push_str("</article></body></html>\n");
    Ok(())
}

/// `text` escaped for HTML text or attribute values (writing to a String cannot fail).
fn push_html_text(page: &mut String, text: &str) {
    let _ = escape_html(FmtWriter(page), text);
}

/// `text` escaped for a URL in an attribute.
fn push_href(page: &mut String, text: &str) {
    let _ = escape_href(FmtWriter(page), text);
}

/// `OUT/articles/YEAR/NAME/index.html` for `ARCHIVE/articles/YEAR/NAME.md`.
fn write_page(file: &Path, out: &Path, page: &str) -> Result<(), String> {
    let year = file.parent().and_then(Path::file_name).unwrap_or_default();
    let name = file.file_stem().unwrap_or_default();
    let dir = out.join("articles").join(year).join(name);
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join("index.html");
    fs::write(&path, page).map_err(|e| format!("{}: {e}", path.display()))
}
