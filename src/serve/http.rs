//! The HTTP side: only files of the built site, from memory. A request
//! path is decoded and checked, then looked up in the output map, so no
//! request reaches the file system (`..`, symlinks and absolute paths
//! have nothing to escape to).

use super::conn::{self, Outcome};
use super::host::Hosts;
use super::live::{errors_event, inject_script, ok_event, Hub, EVENTS_PATH};
use super::output::read;
use super::output::Output;
use super::wire::{Request, Response};
use anyhow::{bail, Result};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, RwLock};

/// Bytes percent-encoded in a path segment of a `Location`: everything but
/// unreserved characters and sub-delimiters (RFC 3986).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// An output file.
    File(String),
    /// A folder asked for without its final `/`: the `Location` to send,
    /// percent-encoded and always a path on this site (`/x/`, never `//x/`).
    Redirect(String),
    NotFound,
    /// Not a path the site could have: `..`, `\`, NUL, bad percent-encoding.
    BadRequest,
}

/// Resolves a request path (without query) against the files that exist.
pub fn resolve(path: &str, exists: impl Fn(&str) -> bool) -> Target {
    let Some(decoded) = percent_decode(path) else {
        return Target::BadRequest;
    };
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return Target::BadRequest;
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Target::BadRequest;
    }
    let rel = segments.join("/");
    if decoded.ends_with('/') {
        let index = if rel.is_empty() {
            "index.html".to_string()
        } else {
            format!("{rel}/index.html")
        };
        return if exists(&index) {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if exists(&rel) {
        Target::File(rel)
    } else if exists(&format!("{rel}/index.html")) {
        Target::Redirect(location(&segments))
    } else {
        Target::NotFound
    }
}

/// The path of a folder, from its segments: `/a/b/`, each segment
/// percent-encoded, so it is plain ASCII and cannot name another host.
fn location(segments: &[&str]) -> String {
    let mut path = String::from("/");
    for segment in segments {
        path.extend(utf8_percent_encode(segment, SEGMENT));
        path.push('/');
    }
    path
}

/// Decodes `%XX` escapes; `None` if they are malformed or not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type of an output file, by its name.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if name == "feed.xml" => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// Binds the address; a busy port gets an error that says what to do.
pub(super) fn bind(addr: SocketAddr) -> Result<TcpListener> {
    match TcpListener::bind(addr) {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => bail!(
            "port {} on {} is already in use; choose another with --port N",
            addr.port(),
            addr.ip()
        ),
        Err(e) => bail!("could not listen on {addr}: {e}"),
    }
}

/// What the server answers from, and to whom.
pub(super) struct Site {
    pub(super) output: Arc<RwLock<Output>>,
    pub(super) hub: Arc<Hub>,
    pub(super) hosts: Hosts,
}

/// Answers requests from the site's output until the process ends.
pub(super) fn spawn(listener: TcpListener, site: Site) -> Result<()> {
    conn::spawn(listener, conn::LIMITS, move |request: &Request| answer(request, &site))?;
    Ok(())
}

/// The answer to one request.
fn answer(request: &Request, site: &Site) -> Outcome {
    let (host, origin) = (request.header("host"), request.header("origin"));
    if let Err(why) = site.hosts.check(host, origin, request.local, request.http10) {
        return Outcome::Respond(Response::text(403, &why));
    }
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        let mut response = Response::text(405, "only GET and HEAD\n");
        response.headers.push(("Allow", "GET, HEAD".into()));
        return Outcome::Respond(response);
    }
    let path = request.target.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS_PATH {
        let errors = read(&site.output).errors.clone();
        let first = if errors.is_empty() {
            ok_event()
        } else {
            errors_event(&errors)
        };
        let hub = Arc::clone(&site.hub);
        return Outcome::Upgrade(Box::new(move |stream| hub.subscribe(stream, &first)));
    }
    Outcome::Respond(page(path, &read(&site.output)))
}

/// The response for a path of the site.
fn page(path: &str, out: &Output) -> Response {
    let (status, file, body) = match resolve(path, |p| out.get(p).is_some()) {
        Target::File(file) => (200, file.clone(), out.get(&file)),
        Target::Redirect(to) => {
            let mut response = Response::text(301, "moved\n");
            response.headers.push(("Location", to));
            return response;
        }
        Target::NotFound => (404, "404.html".to_string(), out.get("404.html")),
        Target::BadRequest => return Response::text(400, "bad request\n"),
    };
    let (kind, bytes) = match &body {
        Some(b) if content_type(&file).starts_with("text/html") => (content_type(&file), inject_script(b)),
        Some(b) => (content_type(&file), b.to_vec()),
        None => (
            "text/html; charset=utf-8",
            inject_script(b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>\n"),
        ),
    };
    Response {
        status,
        headers: vec![
            ("Content-Type", kind.into()),
            ("Cache-Control", "no-store".into()),
            ("X-Content-Type-Options", "nosniff".into()),
        ],
        body: bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_request_paths_safely() {
        let files = [
            "index.html",
            "articles/a/index.html",
            "style.css",
            "images/a b.svg",
            "café/index.html",
            "über/index.html",
            "a b?#%/index.html",
        ];
        let exists = |p: &str| files.contains(&p);
        let table: &[(&str, Target)] = &[
            ("/", Target::File("index.html".into())),
            ("/articles/a/", Target::File("articles/a/index.html".into())),
            ("/articles/a", Target::Redirect("/articles/a/".into())),
            ("/style.css", Target::File("style.css".into())),
            ("/images/a%20b.svg", Target::File("images/a b.svg".into())),
            ("//style.css", Target::File("style.css".into())),
            ("/nope/", Target::NotFound),
            ("/nope.html", Target::NotFound),
            ("/../etc/passwd", Target::BadRequest),
            ("/articles/../style.css", Target::BadRequest),
            ("/%2e%2e/%2e%2e/etc/passwd", Target::BadRequest),
            ("/a%5c..%5cb", Target::BadRequest),
            ("/a%00", Target::BadRequest),
            ("/%zz", Target::BadRequest),
            ("/%ff", Target::BadRequest),
            ("etc/passwd", Target::BadRequest),
            ("/./style.css", Target::BadRequest),
            ("//articles/a", Target::Redirect("/articles/a/".into())),
            ("///articles//a", Target::Redirect("/articles/a/".into())),
            ("/%2Farticles/a", Target::Redirect("/articles/a/".into())),
            ("/caf%C3%A9", Target::Redirect("/caf%C3%A9/".into())),
            ("/%C3%BCber", Target::Redirect("/%C3%BCber/".into())),
            ("/a%20b%3F%23%25", Target::Redirect("/a%20b%3F%23%25/".into())),
        ];
        for (path, want) in table {
            assert_eq!(&resolve(path, exists), want, "{path}");
        }
    }

    #[test]
    fn content_types_by_extension() {
        let table = [
            ("index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("feed.xml", "application/atom+xml; charset=utf-8"),
            ("authors/a/feed.xml", "application/atom+xml; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("favicon.svg", "image/svg+xml"),
            ("images/A.JPG", "image/jpeg"),
            ("files/report", "application/octet-stream"),
        ];
        for (path, want) in table {
            assert_eq!(content_type(path), want, "{path}");
        }
    }
}
