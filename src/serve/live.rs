//! Live reload: a small script added to every served HTML page listens to
//! server-sent events, reloads the page after a rebuild, and shows the
//! errors of a failed rebuild over the page. Built pages never carry it.

use crate::diag::Diagnostic;
use std::io::Write;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where the script listens.
pub const EVENTS_PATH: &str = "/__pressroom/events";

/// The script added before `</body>` of every HTML page served.
const SCRIPT: &str = r#"<script>/* pressroom serve: live reload */
(() => {
  const source = new EventSource("/__pressroom/events");
  let overlay = null;
  const hide = () => { if (overlay) { overlay.remove(); overlay = null; } };
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("ok", hide);
  source.addEventListener("errors", (event) => {
    hide();
    const errors = JSON.parse(event.data);
    overlay = document.createElement("div");
    overlay.id = "pressroom-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;" +
      "padding:2rem;background:rgba(24,24,27,.96);color:#fafafa;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace";
    const title = document.createElement("h2");
    title.style.cssText = "margin:0 0 1rem;font:bold 1.2rem/1.3 system-ui,sans-serif;color:#fca5a5";
    title.textContent = errors.length + (errors.length === 1 ? " error" : " errors") +
      ": this page is the last version that built. Fix the file and save; this goes away.";
    const list = document.createElement("pre");
    list.style.cssText = "margin:0;white-space:pre-wrap;overflow-wrap:anywhere";
    list.textContent = errors.join("\n");
    const close = document.createElement("button");
    close.textContent = "Hide";
    close.style.cssText = "position:absolute;top:1rem;right:1rem;font:inherit;padding:.2rem .8rem";
    close.addEventListener("click", hide);
    overlay.append(title, list, close);
    document.body.append(overlay);
  });
})();
</script>
"#;

/// Adds the live-reload script to an HTML page, before its last `</body>`.
pub fn inject_script(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// One server-sent event.
fn event(name: &str, data: &str) -> String {
    let mut text = format!("event: {name}\n");
    for line in data.lines() {
        text.push_str(&format!("data: {line}\n"));
    }
    if data.is_empty() {
        text.push_str("data:\n");
    }
    text.push('\n');
    text
}

/// The `errors` event: each problem as printed in the terminal.
pub(super) fn errors_event(errors: &[Diagnostic]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    event("errors", &serde_json::to_string(&lines).unwrap_or_default())
}

/// The `reload` event, naming the files that changed.
pub(super) fn reload_event(changed: &[String]) -> String {
    event("reload", &serde_json::to_string(changed).unwrap_or_default())
}

/// The `ok` event: the site builds again (and no page changed).
pub(super) fn ok_event() -> String {
    event("ok", "")
}

/// Live-reload streams open at once (each is a browser tab).
const MAX_STREAMS: usize = 64;

/// Time to send an event to one browser before it is dropped.
const EVENT_WRITE: Duration = Duration::from_secs(1);

/// How often every stream gets a comment, so closed tabs are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The browsers listening for events. They hold no thread: a stream is a
/// socket written to when something happens, at most [`MAX_STREAMS`].
#[derive(Default)]
pub(super) struct Hub {
    clients: Mutex<Vec<TcpStream>>,
}

impl Hub {
    /// Starts an event stream on a connection and sends `first`, the
    /// site's current state; refuses it (503) when too many are open.
    pub(super) fn subscribe(&self, mut stream: TcpStream, first: &str) {
        let _ = stream.set_write_timeout(Some(EVENT_WRITE));
        let mut clients = self.lock();
        if clients.len() >= MAX_STREAMS {
            let body = "too many live-reload streams are open; close some preview tabs\n";
            let _ = write!(
                stream,
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            return;
        }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                    Connection: close\r\n\r\nretry: 500\n\n";
        let sent = stream
            .write_all(head.as_bytes())
            .and_then(|_| stream.write_all(first.as_bytes()))
            .and_then(|_| stream.flush());
        if sent.is_ok() {
            clients.push(stream);
        }
    }

    /// Sends an event to every browser, forgetting those that left or
    /// stopped reading.
    pub(super) fn broadcast(&self, event: &str) {
        self.lock()
            .retain_mut(|s| s.write_all(event.as_bytes()).and_then(|_| s.flush()).is_ok());
    }

    /// Sends a comment to every stream now and then, until the process ends.
    pub(super) fn keep_alive(hub: &Arc<Hub>) -> std::io::Result<()> {
        let hub = Arc::clone(hub);
        std::thread::Builder::new()
            .name("serve-keep-alive".into())
            .spawn(move || loop {
                std::thread::sleep(KEEP_ALIVE);
                hub.broadcast(":\n\n");
            })
            .map(drop)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<TcpStream>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end_tag() {
        let page = inject_script(b"<html><body><p>&lt;/body&gt;</p></BODY></html>");
        let text = String::from_utf8(page).unwrap();
        assert!(text.starts_with("<html><body><p>&lt;/body&gt;</p><script>"), "{text}");
        assert!(text.ends_with("</script>\n</BODY></html>"));
        let bare = String::from_utf8(inject_script(b"<p>no body tag")).unwrap();
        assert!(bare.starts_with("<p>no body tag<script>"));
    }

    #[test]
    fn events_are_framed_as_server_sent_events() {
        assert_eq!(
            reload_event(&["index.html".into()]),
            "event: reload\ndata: [\"index.html\"]\n\n"
        );
        assert_eq!(ok_event(), "event: ok\ndata:\n\n");
        let errors = errors_event(&[Diagnostic::error(
            crate::diag::Code::InvalidYaml,
            "articles/a.md",
            3,
            7,
            "bad \"date\"",
        )]);
        assert_eq!(
            errors,
            "event: errors\ndata: [\"articles/a.md:3:7: error: bad \\\"date\\\"\"]\n\n"
        );
    }
}
