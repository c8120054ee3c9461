//! The connection layer of `serve`: accepting, reading request heads and
//! writing responses, within fixed bounds. A thread per open connection
//! keeps the code plain, so the number of connections is capped; when the
//! cap is reached, a connection waiting on its client is closed to make
//! room (see `slots`), so connections that never finish their request, or
//! never read the answers, cannot lock out a browser; threads of closed
//! connections that have not ended yet are counted too, so churn cannot
//! pile threads up. Every wait has a deadline, and a handler that panics
//! costs its request a 500, never the server.

use super::slots::{Open, State, ThreadGuard, Threads};
use super::wire::{read_head, refusal, write_response, Request, Response};
use std::net::{TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
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
    /// Time to write a response, or all the responses to requests sent
    /// without waiting for the earlier answers.
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
        let _ = write_response(&stream, &reply, false, true, Instant::now() + limits.write);
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

/// Answers the requests of one connection until it closes or times out.
/// Requests a client sends before reading the earlier answers (pipelined)
/// share one write deadline, so a client that sends many and reads none
/// holds the connection for [`Limits::write`] at most, not that per request.
fn serve_connection<H: Handler>(mut stream: TcpStream, id: u64, shared: &Shared<H>) {
    let limits = &shared.limits;
    let _ = stream.set_nodelay(true);
    let Ok(local) = stream.local_addr() else {
        return;
    };
    let mut buf = Vec::new();
    let mut deadline = Instant::now() + limits.write;
    loop {
        // Nothing left over from earlier requests: this one starts afresh.
        let fresh = buf.is_empty();
        let request = match read_head(&mut stream, &mut buf, limits, local.ip()) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(status) => {
                let refused = Response::text(status, refusal(status));
                let _ = write_response(&stream, &refused, false, true, Instant::now() + limits.write);
                return;
            }
        };
        if fresh {
            deadline = Instant::now() + limits.write;
        }
        shared.open.set(id, State::Busy);
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
                shared.open.set(id, State::Writing);
                if write_response(&stream, &response, head_only, close, deadline).is_err() || close {
                    return;
                }
            }
        }
        shared.open.set(id, State::Waiting);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};

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
        if request.target == "/big" {
            return Outcome::Respond(Response {
                status: 200,
                headers: Vec::new(),
                body: vec![b'x'; 16 * 1024],
            });
        }
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

    /// A connection that sends `count` requests for `/big` at once.
    fn pipeline(port: u16, count: usize) -> TcpStream {
        let stream = super::super::wire::tests::small_client(([127, 0, 0, 1], port).into());
        let requests = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n".repeat(count);
        let mut writer = stream.try_clone().unwrap();
        // Sent from a thread: the server may stop reading before the end.
        std::thread::spawn(move || writer.write_all(requests.as_bytes()));
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        stream
    }

    /// Each response had a deadline of its own, so a client sending many
    /// requests at once and reading just fast enough for each held its
    /// connection as long as it liked: the burst shares one deadline.
    #[test]
    fn pipelined_requests_share_one_write_deadline() {
        let limits = Limits {
            write: Duration::from_millis(300),
            ..LIMITS
        };
        let served = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&served);
        let port = start(limits, move |request: &Request| {
            count.fetch_add(1, Ordering::SeqCst);
            ok_unless_panic(request)
        });
        let mut stream = pipeline(port, 400);
        let trickle = |stream: &mut TcpStream, ms: u64| {
            let mut chunk = [0u8; 4096];
            let started = Instant::now();
            while started.elapsed() < Duration::from_millis(ms) {
                // About 400 KB/s: each response is read well within the limit.
                if matches!(stream.read(&mut chunk), Ok(0) | Err(_)) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        };
        trickle(&mut stream, 1500);
        let after_deadline = served.load(Ordering::SeqCst);
        trickle(&mut stream, 1500);
        let later = served.load(Ordering::SeqCst);
        assert!(after_deadline < 400, "all {after_deadline} requests answered");
        assert_eq!(later, after_deadline, "the connection kept being answered");
    }

    /// When every slot wrote answers to clients that never read them, a
    /// new connection got 503 until their write limits ran out.
    #[test]
    fn clients_that_never_read_make_room_for_a_new_one() {
        let limits = Limits {
            connections: 4,
            write: Duration::from_secs(60),
            ..LIMITS
        };
        let port = start(limits, ok_unless_panic);
        let stuck: Vec<TcpStream> = (0..4).map(|_| pipeline(port, 100)).collect();
        std::thread::sleep(Duration::from_millis(500));
        let started = Instant::now();
        assert_eq!(status(port, "/"), 200);
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        drop(stuck);
    }
}
