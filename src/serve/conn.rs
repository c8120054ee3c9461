//! The connection layer of `serve`: accepting, reading request heads and
//! writing responses, within fixed bounds. A thread per open connection
//! keeps the code plain, so the number of connections is capped; when the
//! cap is reached, the connection that has waited longest for a request is
//! closed to make room, so connections that never finish their request
//! cannot lock out a browser. Every wait has a deadline, and a handler that
//! panics costs its request a 500, never the server.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Shutdown, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Bounds on connections and the time they may take.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Connections open at once (each has a thread while open).
    pub(super) connections: usize,
    /// Time to send a whole request head, from its first byte.
    pub(super) head: Duration,
    /// Time an open connection may wait for its (next) request.
    pub(super) idle: Duration,
    /// Time to write a response.
    pub(super) write: Duration,
    /// The largest request head, in bytes.
    pub(super) head_bytes: usize,
}

/// The bounds `serve` uses (documented in docs/serve.md).
pub(super) const LIMITS: Limits = Limits {
    connections: 64,
    head: Duration::from_secs(5),
    idle: Duration::from_secs(5),
    write: Duration::from_secs(10),
    head_bytes: 16 * 1024,
};

/// Stack of a connection thread: it parses a head and copies one page.
const STACK: usize = 256 * 1024;

/// A request head, as the handler sees it.
pub(super) struct Request {
    pub(super) method: String,
    /// The request target (path and query), as sent.
    pub(super) target: String,
    pub(super) http10: bool,
    /// Headers with lowercase names.
    pub(super) headers: Vec<(String, String)>,
    /// The address the client connected to.
    pub(super) local: IpAddr,
    /// The request has a body (which is never read).
    has_body: bool,
}

impl Request {
    /// The first header called `name` (lowercase).
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Whether the connection ends after this request.
    fn closes(&self) -> bool {
        let close = self
            .header("connection")
            .is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")));
        self.http10 || close || self.has_body
    }
}

/// A complete response.
pub(super) struct Response {
    pub(super) status: u16,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Vec<u8>,
}

impl Response {
    /// A short plain-text answer.
    pub(super) fn text(status: u16, body: &str) -> Self {
        Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }
}

/// What a handler does with a request.
pub(super) enum Outcome {
    Respond(Response),
    /// Takes the connection over (the live-reload stream); it no longer
    /// counts against [`Limits::connections`].
    Upgrade(Box<dyn FnOnce(TcpStream) + Send>),
}

/// A request handler.
pub(super) trait Handler: Fn(&Request) -> Outcome + Send + Sync + 'static {}
impl<F: Fn(&Request) -> Outcome + Send + Sync + 'static> Handler for F {}

/// Accepts connections on `listener` and answers them with `handler`, on
/// threads of their own, until the process ends.
pub(super) fn spawn(listener: TcpListener, limits: Limits, handler: impl Handler) -> std::io::Result<()> {
    let shared = Arc::new(Shared {
        limits,
        open: Open::default(),
        handler,
    });
    std::thread::Builder::new()
        .name("serve-accept".into())
        .spawn(move || loop {
            match listener.accept() {
                Ok((stream, _)) => admit(stream, &shared),
                // Out of file descriptors, say: let some connections close.
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        })
        .map(drop)
}

struct Shared<H> {
    limits: Limits,
    open: Open,
    handler: H,
}

/// Gives a new connection a slot and a thread, or refuses it.
fn admit<H: Handler>(stream: TcpStream, shared: &Arc<Shared<H>>) {
    let Some(id) = shared.open.admit(&stream, shared.limits.connections) else {
        // Best effort, without blocking the accept loop.
        let _ = stream.set_nonblocking(true);
        let reply = Response::text(503, "too many connections to the preview; try again\n");
        let _ = write_response(&stream, &reply, false, true);
        return;
    };
    let thread = Arc::clone(shared);
    let spawned = std::thread::Builder::new()
        .name("serve-conn".into())
        .stack_size(STACK)
        .spawn(move || {
            serve_connection(stream, id, &thread);
            thread.open.release(id);
        });
    if spawned.is_err() {
        shared.open.release(id);
    }
}

/// The open connections, and whether each is waiting for a request.
#[derive(Default)]
struct Open {
    slots: Mutex<HashMap<u64, Slot>>,
    next: AtomicU64,
}

struct Slot {
    /// Since when the connection waits for a request (`None`: busy).
    waiting: Option<Instant>,
    /// A handle to close it with.
    stream: TcpStream,
}

impl Open {
    /// A slot for a new connection; when all are taken, the connection
    /// waiting longest is closed for it. `None` if every one is busy.
    fn admit(&self, stream: &TcpStream, max: usize) -> Option<u64> {
        let handle = stream.try_clone().ok()?;
        let mut slots = self.lock();
        if slots.len() >= max {
            let (_, oldest) = slots.iter().filter_map(|(id, slot)| Some((slot.waiting?, *id))).min()?;
            if let Some(slot) = slots.remove(&oldest) {
                let _ = slot.stream.shutdown(Shutdown::Both);
            }
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let waiting = Some(Instant::now());
        slots.insert(
            id,
            Slot {
                waiting,
                stream: handle,
            },
        );
        Some(id)
    }

    /// Marks a connection as waiting for a request, or busy answering one.
    fn set_waiting(&self, id: u64, waiting: bool) {
        if let Some(slot) = self.lock().get_mut(&id) {
            slot.waiting = waiting.then(Instant::now);
        }
    }

    fn release(&self, id: u64) {
        self.lock().remove(&id);
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Slot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Answers the requests of one connection until it closes or times out.
fn serve_connection<H: Handler>(mut stream: TcpStream, id: u64, shared: &Shared<H>) {
    let limits = &shared.limits;
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(limits.write));
    let Ok(local) = stream.local_addr() else {
        return;
    };
    let mut buf = Vec::new();
    loop {
        let request = match read_head(&mut stream, &mut buf, limits, local.ip()) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(status) => {
                let _ = write_response(&stream, &Response::text(status, refusal(status)), false, true);
                return;
            }
        };
        shared.open.set_waiting(id, false);
        let outcome = catch_unwind(AssertUnwindSafe(|| (shared.handler)(&request)))
            .unwrap_or_else(|_| Outcome::Respond(Response::text(500, "internal error in the preview server\n")));
        match outcome {
            Outcome::Upgrade(take) => {
                shared.open.release(id);
                take(stream);
                return;
            }
            Outcome::Respond(response) => {
                let head_only = request.method == "HEAD";
                let close = request.closes();
                if write_response(&stream, &response, head_only, close).is_err() || close {
                    return;
                }
            }
        }
        shared.open.set_waiting(id, true);
    }
}

fn refusal(status: u16) -> &'static str {
    match status {
        408 => "the request head took too long to arrive\n",
        431 => "the request head is too large\n",
        _ => "malformed request\n",
    }
}

/// Reads until `buf` starts with a complete request head, and takes it
/// out. `Ok(None)`: the client closed or stayed idle too long; `Err`: the
/// status to answer with before closing.
fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    limits: &Limits,
    local: IpAddr,
) -> Result<Option<Request>, u16> {
    let mut deadline = Instant::now() + if buf.is_empty() { limits.idle } else { limits.head };
    let mut chunk = [0u8; 4096];
    loop {
        if let Some((request, len)) = parse(buf, local)? {
            buf.drain(..len);
            return Ok(Some(request));
        }
        if buf.len() >= limits.head_bytes {
            return Err(431);
        }
        let Some(left) = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) else {
            return if buf.is_empty() { Ok(None) } else { Err(408) };
        };
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => {
                if buf.is_empty() {
                    deadline = Instant::now() + limits.head;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Ok(None),
        }
    }
}

/// A complete request head at the start of `buf`, and its length.
fn parse(buf: &[u8], local: IpAddr) -> Result<Option<(Request, usize)>, u16> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut head = httparse::Request::new(&mut headers);
    let len = match head.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(431),
        Err(_) => return Err(400),
    };
    let headers: Vec<(String, String)> = head
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let has_body = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" || (n == "content-length" && v.trim() != "0"));
    let request = Request {
        method: head.method.unwrap_or_default().to_string(),
        target: head.path.unwrap_or_default().to_string(),
        http10: head.version == Some(0),
        headers,
        local,
        has_body,
    };
    Ok(Some((request, len)))
}

/// Writes a response: its head, and its body unless the request was HEAD.
fn write_response(mut stream: &TcpStream, response: &Response, head_only: bool, close: bool) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        // Values are the server's own; one that could split the head is dropped.
        if !value.bytes().any(|b| b.is_ascii_control()) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    head.push_str(if close {
        "Connection: close\r\n\r\n"
    } else {
        "Connection: keep-alive\r\n\r\n"
    });
    let mut bytes = head.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&response.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}
