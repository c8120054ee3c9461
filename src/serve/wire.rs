//! HTTP/1.1 on the wire for the preview: request heads read against a
//! deadline and parsed by httparse, and whole responses written back.
//! Only what `serve` needs: GET and HEAD, no request bodies.

use super::conn::Limits;
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, TcpStream};
use std::time::Instant;

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
    pub(super) fn closes(&self) -> bool {
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

/// The text sent with a status the connection layer answers by itself.
pub(super) fn refusal(status: u16) -> &'static str {
    match status {
        408 => "the request head took too long to arrive\n",
        431 => "the request head is too large\n",
        _ => "malformed request\n",
    }
}

/// Reads until `buf` starts with a complete request head, and takes it
/// out. `Ok(None)`: the client closed or stayed idle too long; `Err`: the
/// status to answer with before closing.
pub(super) fn read_head(
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

/// Writes a response, its head and (unless the request was HEAD) its
/// body, all of it before `deadline`.
pub(super) fn write_response(
    stream: &TcpStream,
    response: &Response,
    head_only: bool,
    close: bool,
    deadline: Instant,
) -> std::io::Result<()> {
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
    write_before(stream, &bytes, deadline)
}

/// Writes all of `bytes` before `deadline`. The time left is set again
/// before every write call, so a client that reads a little at a time
/// cannot stretch the deadline (as `write_all`, retrying partial writes
/// with the same timeout, would let it).
fn write_before(mut stream: &TcpStream, mut bytes: &[u8], deadline: Instant) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero());
        let Some(left) = left else {
            return Err(ErrorKind::TimedOut.into());
        };
        stream.set_write_timeout(Some(left))?;
        match stream.write(bytes) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use rustix::net::{sockopt, AddressFamily, SocketType};
    use std::net::{SocketAddr, TcpListener};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    /// A connection to `addr` with a receive buffer of a few KiB, so what
    /// it reads reaches the sender in small steps, as over a slow network.
    pub(in crate::serve) fn small_client(addr: SocketAddr) -> TcpStream {
        let fd = rustix::net::socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
        sockopt::set_socket_recv_buffer_size(&fd, 4096).unwrap();
        rustix::net::connect(&fd, &addr).unwrap();
        TcpStream::from(fd)
    }

    /// A client that reads a little at a time made progress often enough
    /// to renew a timeout set once per 64 KiB chunk, so one response could
    /// take minutes; the deadline holds for the whole response.
    #[test]
    fn a_client_reading_slowly_cannot_stretch_a_response_past_its_deadline() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = small_client(listener.local_addr().unwrap());
        let server = listener.accept().unwrap().0;
        sockopt::set_socket_send_buffer_size(&server, 4096).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let reader = std::thread::spawn(move || {
            // About 25 KB/s: a 64 KiB chunk takes seconds.
            let mut chunk = [0u8; 512];
            while !stopped.load(Ordering::SeqCst) && client.read(&mut chunk).is_ok_and(|n| n > 0) {
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let response = Response {
            status: 200,
            headers: Vec::new(),
            body: vec![b'x'; 4 * 1024 * 1024],
        };
        let started = Instant::now();
        let written = write_response(&server, &response, false, true, started + Duration::from_millis(300));
        let took = started.elapsed();
        stop.store(true, Ordering::SeqCst);
        assert_eq!(written.map_err(|e| e.kind()), Err(ErrorKind::TimedOut));
        assert!(took < Duration::from_millis(1000), "{took:?}");
        reader.join().unwrap();
    }
}
