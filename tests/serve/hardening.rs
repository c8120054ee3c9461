//! The preview server under hostile or careless requests: redirects that
//! must stay on the site and never fail, names it must not answer to, and
//! connections that must not exhaust it. Each test runs the real binary.

use super::http::Served;
use crate::common::write;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The `Location` header of a reply, as sent.
fn location(head: &str) -> &str {
    head.lines()
        .find_map(|l| l.strip_prefix("location: "))
        .unwrap_or_else(|| panic!("no location in {head}"))
}

/// A field of `/proc/PID/status` (`Threads`, `VmRSS`), as a number.
fn proc_status(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

#[test]
fn non_ascii_redirects_are_encoded_and_never_stop_the_server() {
    let site = Served::start_with("full", &[], |root| {
        write(&root.join("static/café/index.html"), b"cafe page\n");
        let article = root.join("articles/2023/zoning-reform.md");
        let text = std::fs::read_to_string(&article).unwrap();
        let text = text.replace("aliases: [\"/2023/09/05/zoning/\"]", "aliases: [\"/über/\"]");
        std::fs::write(article, text).unwrap();
    });
    // More requests than the server has workers.
    for _ in 0..8 {
        let reply = site.get("/caf%C3%A9");
        assert_eq!(reply.status, 301, "{}{}", reply.head, reply.body);
        assert_eq!(location(&reply.head), "/caf%c3%a9/");
        let alias = site.get("/%C3%BCber");
        assert_eq!(alias.status, 301, "{}{}", alias.head, alias.body);
        assert_eq!(location(&alias.head), "/%c3%bcber/");
    }
    assert!(site.get("/caf%C3%A9/").body.starts_with("cafe page\n"));
    assert!(site.get("/%C3%BCber/").body.contains("/articles/zoning-reform/"));
    assert_eq!(site.get("/").status, 200, "the server still answers");
}

#[test]
fn redirects_stay_on_the_site() {
    let site = Served::start("full");
    for path in [
        "//articles/zoning-reform",
        "///articles/zoning-reform",
        "/%2Farticles/zoning-reform",
        "//articles//zoning-reform",
    ] {
        let reply = site.get(path);
        assert_eq!(reply.status, 301, "{path}");
        assert_eq!(location(&reply.head), "/articles/zoning-reform/", "{path}");
    }
    for path in ["/\\evil.example/articles", "/%5Cevil.example"] {
        assert_eq!(site.get(path).status, 400, "{path}");
    }
}

#[test]
fn answers_only_loopback_names_unless_another_is_allowed() {
    let site = Served::start_with("full", &["--allow-host", "preview.test"], |_| {});
    let port = site.port;
    let get = |host: &str, path: &str, extra: &str| {
        site.send(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
        ))
    };
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("LOCALHOST:{port}"),
        format!("preview.test:{port}"),
        "preview.test".to_string(),
    ] {
        assert_eq!(get(&host, "/", "").status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        String::new(),
    ] {
        let reply = get(&host, "/", "");
        assert_eq!(reply.status, 403, "Host: {host}");
        assert!(reply.body.contains("--allow-host"), "{}", reply.body);
        assert!(!reply.body.contains("<html"), "{}", reply.body);
    }
    // HTTP/1.1 requires a Host header.
    let bare = site.send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(bare.status, 403);
    assert!(bare.body.contains("--allow-host"), "{}", bare.body);

    // The live-reload stream: the same names, and only pages of the site.
    let events = |host: &str, origin: &str| get(host, "/__pressroom/events", origin);
    assert_eq!(events("evil.example", "").status, 403);
    let cross = events("localhost", "Origin: http://evil.example\r\n");
    assert_eq!(cross.status, 403, "{}", cross.head);
    assert_eq!(events("localhost", "Origin: null\r\n").status, 403);
    let mut own = TcpStream::connect(("127.0.0.1", port)).unwrap();
    own.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        own,
        "GET /__pressroom/events HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: http://localhost:{port}\r\n\r\n"
    )
    .unwrap();
    let mut head = [0u8; 64];
    let n = own.read(&mut head).unwrap();
    let head = String::from_utf8_lossy(&head[..n]);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
}

#[test]
fn slow_and_idle_connections_are_bounded_and_timed_out() {
    let site = Served::start("full");
    let pid = site.pid();
    let threads_before = proc_status(pid, "Threads");
    // Many connections that never finish their request.
    let slow: Vec<TcpStream> = (0..400)
        .map(|i| {
            let mut s = TcpStream::connect(("127.0.0.1", site.port)).unwrap();
            if i % 2 == 0 {
                s.write_all(b"GET / HTTP/1.1\r\nHost: local").unwrap();
            }
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let threads = proc_status(pid, "Threads");
    assert!(
        threads <= threads_before + 80,
        "{threads} threads with {} slow connections (from {threads_before})",
        slow.len()
    );
    let started = Instant::now();
    assert_eq!(site.get("/").status, 200);
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());

    // An idle connection is closed by the server.
    let mut idle = TcpStream::connect(("127.0.0.1", site.port)).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let started = Instant::now();
    let mut byte = [0u8; 256];
    let closed = idle.read(&mut byte).is_ok();
    assert!(
        closed && started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
    drop(slow);
}

/// A connection with a receive buffer of a few KiB, as the clients of
/// the attack below open them.
fn small_client(port: u16) -> TcpStream {
    use rustix::net::{sockopt, AddressFamily, SocketType};
    let fd = rustix::net::socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    sockopt::set_socket_recv_buffer_size(&fd, 4096).unwrap();
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    rustix::net::connect(&fd, &addr).unwrap();
    TcpStream::from(fd)
}

/// Clients that fill every connection slot with requests sent at once and
/// never read the answers kept every slot writing, so every new connection
/// got 503 for half a minute: a browser is served while they stay connected.
#[test]
fn clients_that_send_many_requests_and_never_read_do_not_lock_out_a_browser() {
    // Large answers fill the socket buffers after a few, so every
    // connection soon waits on a client that does not read.
    let site = Served::start_with("full", &[], |root| {
        write(&root.join("static/large.txt"), &vec![b'x'; 512 * 1024]);
    });
    let requests = "GET /large.txt HTTP/1.1\r\nHost: localhost\r\n\r\n".repeat(40);
    let stuck: Vec<TcpStream> = (0..64)
        .map(|_| {
            let mut stream = small_client(site.port);
            stream.write_all(requests.as_bytes()).unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    for _ in 0..3 {
        let started = Instant::now();
        let reply = site.get("/");
        assert_eq!(reply.status, 200, "{}{}", reply.head, reply.body);
        assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
        std::thread::sleep(Duration::from_millis(500));
    }
    drop(stuck);
}

#[test]
fn a_request_head_sent_byte_by_byte_is_cut_off() {
    let site = Served::start("full");
    let mut stream = TcpStream::connect(("127.0.0.1", site.port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let started = Instant::now();
    let mut cut = false;
    for byte in b"GET / HTTP/1.1\r\nX-Slow: ".iter().chain(b"a".repeat(200).iter()) {
        if stream.write_all(&[*byte]).is_err() {
            cut = true;
            break;
        }
        let mut buf = [0u8; 256];
        match stream.read(&mut buf) {
            Ok(_) => {
                cut = true;
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                cut = true;
                break;
            }
            Err(_) => {}
        }
    }
    assert!(cut, "a trickled request head was never cut off");
    assert!(started.elapsed() < Duration::from_secs(12), "{:?}", started.elapsed());
}

#[test]
fn live_reload_streams_are_bounded_and_hold_no_request_slot() {
    let site = Served::start("full");
    let open = |port: u16| {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET /__pressroom/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).unwrap();
        (String::from_utf8_lossy(&head).into_owned(), stream)
    };
    // More streams than the server has connection slots (64).
    let streams: Vec<(String, TcpStream)> = (0..64).map(|_| open(site.port)).collect();
    assert!(streams.iter().all(|(head, _)| head == "HTTP/1.1 200"));
    let (refused, _) = open(site.port);
    assert_eq!(refused, "HTTP/1.1 503");
    let started = Instant::now();
    assert_eq!(site.get("/").status, 200);
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}
