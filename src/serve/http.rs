//! The HTTP side: only files of the built site, from memory. A request
//! path is decoded and checked, then looked up in the output map, so no
//! request reaches the file system (`..`, symlinks and absolute paths
//! have nothing to escape to).

use super::live::{errors_event, inject_script, ok_event, Hub, EVENTS_PATH};
use super::output::Output;
use super::preview::read;
use anyhow::{bail, Result};
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use tiny_http::{Header, Method, Request, Response, Server};

/// Threads answering requests (pages come from memory, so a few suffice).
const THREADS: usize = 4;

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// An output file.
    File(String),
    /// A folder asked for without its final `/`.
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
        Target::Redirect(format!("{decoded}/"))
    } else {
        Target::NotFound
    }
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
pub(super) fn bind(addr: SocketAddr) -> Result<Server> {
    match Server::http(addr) {
        Ok(server) => Ok(server),
        Err(e) => {
            let in_use = e
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::AddrInUse);
            if in_use {
                bail!(
                    "port {} on {} is already in use; choose another with --port N",
                    addr.port(),
                    addr.ip()
                );
            }
            bail!("could not listen on {addr}: {e}");
        }
    }
}

/// Answers requests from `output` on a few threads.
pub(super) fn spawn(server: Server, output: Arc<RwLock<Output>>, hub: Arc<Hub>) {
    let server = Arc::new(server);
    for _ in 0..THREADS {
        let (server, output, hub) = (Arc::clone(&server), Arc::clone(&output), Arc::clone(&hub));
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                answer(request, &output, &hub);
            }
        });
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn answer(request: Request, output: &RwLock<Output>, hub: &Hub) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("only GET and HEAD\n").with_status_code(405));
        return;
    }
    let path = request.url().split(['?', '#']).next().unwrap_or("/").to_string();
    if path == EVENTS_PATH {
        let errors = read(output).errors.clone();
        let first = if errors.is_empty() {
            ok_event()
        } else {
            errors_event(&errors)
        };
        hub.subscribe(request.into_writer(), &first);
        return;
    }
    let (status, file, body) = {
        let out = read(output);
        match resolve(&path, |p| out.get(p).is_some()) {
            Target::File(file) => (200, file.clone(), out.get(&file)),
            Target::Redirect(to) => {
                drop(out);
                let response = Response::empty(301).with_header(header("Location", &to));
                let _ = request.respond(response);
                return;
            }
            Target::NotFound => (404, "404.html".to_string(), out.get("404.html")),
            Target::BadRequest => (400, String::new(), None),
        }
    };
    let kind = content_type(&file);
    let bytes: Vec<u8> = match (&body, status) {
        (Some(b), _) if kind.starts_with("text/html") => inject_script(b),
        (Some(b), _) => b.to_vec(),
        (None, 404) => inject_script(b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>\n"),
        (None, _) => b"bad request\n".to_vec(),
    };
    let kind = if body.is_none() {
        "text/html; charset=utf-8"
    } else {
        kind
    };
    let response = Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_request_paths_safely() {
        let files = ["index.html", "articles/a/index.html", "style.css", "images/a b.svg"];
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
