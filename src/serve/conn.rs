//! The connection layer of `serve`: accepting, reading request heads and
//! writing responses, within fixed bounds. A thread per open connection
//! keeps the code plain, so the number of connections is capped; when the
//! cap is reached, the connection that has waited longest for a request is
//! closed to make room, so connections that never finish their request
//! cannot lock out a browser; threads of closed connections that have not
//! ended yet are counted too, so churn cannot pile threads up. Every wait has a deadline, and a handler that
//! panics costs its request a 500, never the server.

use super::wire::{read_head, refusal, write_response, Request, Response};
use std::collections::HashMap;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
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
        threads: Threads::default(),
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
    threads: Threads,
    handler: H,
}

/// Gives a new connection a slot and a thread, or refuses it.
fn admit<H: Handler>(stream: TcpStream, shared: &Arc<Shared<H>>) {
    let limits = &shared.limits;
    let admitted = shared.open.admit(&stream, limits.connections).filter(|id| {
        // Threads of closed connections end quickly; wait for them past the cap.
        let cap = limits.connections + limits.connections / 4;
        let started = shared.threads.start(cap, Duration::from_millis(250));
        if !started {
            shared.open.release(*id);
        }
        started
    });
    let Some(id) = admitted else {
        // Best effort, without blocking the accept loop.
        let _ = stream.set_nonblocking(true);
        let reply = Response::text(503, "too many connections to the preview; try again\n");
        let _ = write_response(&stream, &reply, false, true, limits);
        return;
    };
    let thread = Arc::clone(shared);
    let spawned = std::thread::Builder::new()
        .name("serve-conn".into())
        .stack_size(STACK)
        .spawn(move || {
            let _alive = ThreadGuard(&thread.threads);
            serve_connection(stream, id, &thread);
            thread.open.release(id);
        });
    if spawned.is_err() {
        shared.open.release(id);
        shared.threads.end();
    }
}

/// Connection threads alive, counting those of connections already closed
/// that have not ended yet, so the total stays bounded under churn.
#[derive(Default)]
struct Threads {
    alive: Mutex<usize>,
    ended: Condvar,
}

impl Threads {
    /// Counts a new thread; if `cap` are alive, waits up to `wait` for one
    /// to end. `false`: none did.
    fn start(&self, cap: usize, wait: Duration) -> bool {
        let alive = self.alive.lock().unwrap_or_else(|e| e.into_inner());
        let (mut alive, _) = self
            .ended
            .wait_timeout_while(alive, wait, |n| *n >= cap)
            .unwrap_or_else(|e| e.into_inner());
        if *alive >= cap {
            return false;
        }
        *alive += 1;
        true
    }

    fn end(&self) {
        let mut alive = self.alive.lock().unwrap_or_else(|e| e.into_inner());
        *alive = alive.saturating_sub(1);
        self.ended.notify_one();
    }
}

/// Ends a thread's count however the thread ends.
struct ThreadGuard<'a>(&'a Threads);

impl Drop for ThreadGuard<'_> {
    fn drop(&mut self) {
        self.0.end();
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
    let Ok(local) = stream.local_addr() else {
        return;
    };
    let mut buf = Vec::new();
    loop {
        let request = match read_head(&mut stream, &mut buf, limits, local.ip()) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(status) => {
                let _ = write_response(&stream, &Response::text(status, refusal(status)), false, true, limits);
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
                if write_response(&stream, &response, head_only, close, limits).is_err() || close {
                    return;
                }
            }
        }
        shared.open.set_waiting(id, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// A server on a free loopback port with `limits` and `handler`.
    fn start(limits: Limits, handler: impl Handler) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        spawn(listener, limits, handler).unwrap();
        port
    }

    /// The status of a one-request connection (0 if it was closed unanswered).
    fn status(port: u16, path: &str) -> u16 {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        // A refused connection may be closed before the request is sent.
        let _ = write!(stream, "GET {path} HTTP/1.0\r\n\r\n");
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        reply.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
    }

    fn ok_unless_panic(request: &Request) -> Outcome {
        assert_ne!(request.target, "/panic", "a handler failing");
        if request.target == "/slow" {
            std::thread::sleep(Duration::from_millis(800));
        }
        Outcome::Respond(Response::text(200, "ok\n"))
    }

    #[test]
    fn a_failing_handler_costs_its_request_a_500_not_the_server() {
        let port = start(LIMITS, ok_unless_panic);
        for _ in 0..LIMITS.connections + 4 {
            assert_eq!(status(port, "/panic"), 500);
        }
        assert_eq!(status(port, "/"), 200);
    }

    #[test]
    fn when_full_the_longest_waiting_connection_makes_room() {
        let limits = Limits {
            connections: 2,
            ..LIMITS
        };
        let port = start(limits, ok_unless_panic);
        let mut idle: Vec<TcpStream> = (0..2)
            .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
            .collect();
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(status(port, "/"), 200);
        // The oldest idle connection was closed for it.
        idle[0].set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        assert!(matches!(idle[0].read(&mut [0u8; 8]), Ok(0) | Err(_)));
        idle.clear();
    }

    #[test]
    fn when_every_connection_is_busy_a_new_one_is_refused_at_once() {
        let limits = Limits {
            connections: 1,
            ..LIMITS
        };
        let port = start(limits, ok_unless_panic);
        let busy = std::thread::spawn(move || status(port, "/slow"));
        std::thread::sleep(Duration::from_millis(200));
        let started = Instant::now();
        assert_eq!(status(port, "/"), 503);
        assert!(started.elapsed() < Duration::from_millis(500));
        assert_eq!(busy.join().unwrap(), 200);
    }

    #[test]
    fn a_kept_alive_connection_answers_several_requests_then_times_out() {
        let limits = Limits {
            idle: Duration::from_millis(300),
            ..LIMITS
        };
        let port = start(limits, ok_unless_panic);
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        stream
            .write_all(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let started = Instant::now();
        let mut replies = String::new();
        stream.read_to_string(&mut replies).unwrap();
        assert_eq!(replies.matches("HTTP/1.1 200 OK").count(), 2, "{replies}");
        assert_eq!(replies.matches("ok\n").count(), 1, "HEAD has no body: {replies}");
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
            "{waited:?}"
        );
    }
}
