//! The server as a browser sees it: the real binary on a free port, pages
//! fetched over HTTP, files of a fixture site edited, and the live-reload
//! events and new content checked.

use crate::common::{copy_dir, fixture, write};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `pressroom serve` on a copy of a fixture, stopped when dropped.
pub(super) struct Served {
    dir: tempfile::TempDir,
    child: Child,
    pub(super) port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Served {
    pub(super) fn start(name: &str) -> Self {
        Self::start_with(name, &[], |_| {})
    }

    /// Serves a copy of a fixture changed by `setup`, with more options.
    pub(super) fn start_with(name: &str, args: &[&str], setup: impl FnOnce(&std::path::Path)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture(name), dir.path());
        setup(dir.path());
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("pressroom"))
            .args(["serve", "--port", "0"])
            .args(args)
            .arg("--root")
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let (mut pipe, sink) = (child.stderr.take().unwrap(), Arc::clone(&stderr));
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no URL in `{line}`: {}", stderr.lock().unwrap()));
        Served {
            dir,
            child,
            port,
            stderr,
        }
    }

    pub(super) fn path(&self, rel: &str) -> std::path::PathBuf {
        self.dir.path().join(rel)
    }

    /// Saves a file the way many editors do: a temporary file renamed over it.
    fn save(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        let tmp = path.with_extension("md.tmp");
        write(&tmp, text.as_bytes());
        std::fs::rename(&tmp, &path).unwrap();
    }

    pub(super) fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.save(rel, &text.replacen(from, to, 1));
    }

    /// The server's process id.
    pub(super) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(super) fn get(&self, path: &str) -> Reply {
        self.send(&format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n"))
    }

    /// Sends a raw request and reads the reply until the server closes
    /// (status 0 if nothing came within 10 s).
    pub(super) fn send(&self, request: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        Reply {
            status: head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0),
            head: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }

    pub(super) fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET /__pressroom/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        Events {
            reader: BufReader::new(stream),
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) head: String,
    pub(super) body: String,
}

/// A live-reload event stream.
pub(super) struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The next event's name and data, within 20 s (the server's
    /// keep-alive comments do not count).
    pub(super) fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        let start = std::time::Instant::now();
        loop {
            assert!(start.elapsed() < Duration::from_secs(20), "no event within 20 s");
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).expect("an event within 20 s");
            assert!(n > 0, "event stream closed");
            let line = line.trim_end();
            if let Some(v) = line.strip_prefix("event:") {
                name = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push_str(v.trim());
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
    }

    /// Skips events until one named `want`.
    pub(super) fn until(&mut self, want: &str) -> String {
        loop {
            let (name, data) = self.next();
            if name == want {
                return data;
            }
            assert_ne!(name, "errors", "unexpected errors: {data}");
        }
    }
}

#[test]
fn serves_only_site_files_with_the_right_types() {
    let site = Served::start("full");
    let home = site.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.head.contains("content-type: text/html; charset=utf-8"),
        "{}",
        home.head
    );
    assert!(home.body.contains("new EventSource(\"/__pressroom/events\")"));
    assert!(home.body.trim_end().ends_with("</script>\n</body>\n</html>") || home.body.contains("</script>\n</body>"));

    let feed = site.get("/feed.xml");
    assert!(feed.head.contains("application/atom+xml"), "{}", feed.head);
    assert!(!feed.body.contains("EventSource"), "only HTML pages get the script");
    assert!(site.get("/style.css").head.contains("text/css"));
    assert!(site.get("/images/reservoir.svg").head.contains("image/svg+xml"));

    let folder = site.get("/articles/zoning-reform");
    assert_eq!(folder.status, 301);
    assert!(folder.head.contains("location: /articles/zoning-reform/"));

    let missing = site.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "the site's own 404 page");

    for escape in [
        "/../site.yaml",
        "/articles/../../site.yaml",
        "/%2e%2e/site.yaml",
        "/..%2fsite.yaml",
    ] {
        let reply = site.get(escape);
        assert!(reply.status == 400 || reply.status == 404, "{escape}: {}", reply.status);
        assert!(
            !reply.body.contains("Northgate Policy Review\"\ndescription"),
            "{escape}"
        );
    }
    // Sources are not output: nothing outside the built site is served.
    assert_eq!(site.get("/site.yaml").status, 404);
    assert_eq!(site.get("/articles/2023/zoning-reform.md").status, 404);
}

#[test]
fn built_output_never_has_the_reload_script() {
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("public");
    crate::common::build_ok(&fixture("full"), &out, &[]);
    for (path, bytes) in crate::common::read_tree(&out) {
        assert!(!String::from_utf8_lossy(&bytes).contains("__pressroom"), "{path}");
    }
}

#[test]
fn each_kind_of_edit_reloads_the_browser_with_the_new_content() {
    let site = Served::start("full");
    let mut events = site.events();
    assert_eq!(events.next().0, "ok");

    site.replace(
        "articles/2024/rents-and-reserves.md",
        "Up four percent.",
        "Up nine percent.",
    );
    let changed = events.until("reload");
    assert!(changed.contains("articles/rents-and-reserves/index.html"), "{changed}");
    assert!(site
        .get("/articles/rents-and-reserves/")
        .body
        .contains("Up nine percent."));

    site.replace(
        "articles/2022/rainy-day-funds.md",
        "Rainy-Day Funds, Explained",
        "Reserve Funds, Explained",
    );
    events.until("reload");
    assert!(site.get("/archive/2022/").body.contains("Reserve Funds, Explained"));
    assert!(site
        .get("/articles/zoning-reform/")
        .body
        .contains("Reserve Funds, Explained"));

    let new = "articles/2025/fresh.md";
    write(
        &site.path(new),
        b"---\ntitle: \"Fresh Thinking\"\ndate: 2025-02-01\nauthors: [dev-rao]\n---\n\nNew.\n",
    );
    events.until("reload");
    assert!(site.get("/").body.contains("Fresh Thinking"));
    assert_eq!(site.get("/articles/fresh/").status, 200);

    std::fs::remove_file(site.path(new)).unwrap();
    events.until("reload");
    assert_eq!(site.get("/articles/fresh/").status, 404);

    let template = std::fs::read_to_string(crate::common::repo_root().join("templates/article.html")).unwrap();
    write(
        &site.path("templates/article.html"),
        template
            .replace(
                "{% endblock content %}",
                "<p>Template edited.</p>{% endblock content %}",
            )
            .as_bytes(),
    );
    events.until("reload");
    assert!(site.get("/articles/zoning-reform/").body.contains("Template edited."));
    assert!(!site.get("/").body.contains("Template edited."));

    write(
        &site.path("static/images/reservoir.svg"),
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><!--new--></svg>",
    );
    // The article showing the image states its size, read from the file.
    assert_eq!(
        events.until("reload"),
        "[\"articles/water-rates-part-1/index.html\",\"images/reservoir.svg\"]"
    );
    assert!(site.get("/images/reservoir.svg").body.contains("<!--new-->"));

    site.replace(
        "site.yaml",
        "title: \"Northgate Policy Review\"",
        "title: \"Northgate Review\"",
    );
    events.until("reload");
    assert!(site.get("/authors/").body.contains("Northgate Review"));
}

#[test]
fn errors_show_in_the_terminal_and_the_browser_until_fixed() {
    let site = Served::start("full");
    let mut events = site.events();
    assert_eq!(events.next().0, "ok");
    let page = "/articles/rents-and-reserves/";
    let before = site.get(page).body;

    site.replace(
        "articles/2024/rents-and-reserves.md",
        "date: 2024-05-02",
        "date: 2024-13-02",
    );
    let (name, data) = events.next();
    assert_eq!(name, "errors");
    assert!(
        data.contains("articles/2024/rents-and-reserves.md:3:7: error: "),
        "{data}"
    );
    assert_eq!(site.get(page).body, before, "the last good page is still served");
    // A page opened now shows the overlay at once.
    let mut late = site.events();
    assert_eq!(late.next().0, "errors");

    // Fixing the date and breaking a link in one save.
    let text = std::fs::read_to_string(site.path("articles/2024/rents-and-reserves.md")).unwrap();
    site.save(
        "articles/2024/rents-and-reserves.md",
        &text
            .replace("date: 2024-13-02", "date: 2024-05-02")
            .replace("(../2023/zoning-reform.md)", "(../2023/zoning-reforms.md)"),
    );
    let (name, data) = events.next();
    assert_eq!(name, "errors");
    assert!(
        data.contains("rents-and-reserves.md:11:42: error: broken cross-reference `../2023/zoning-reforms.md`"),
        "{data}"
    );

    // Fixed back to what was served: the overlay goes, with no page to reload.
    site.replace(
        "articles/2024/rents-and-reserves.md",
        "zoning-reforms.md",
        "zoning-reform.md",
    );
    assert_eq!(events.next().0, "ok");
    let mut fresh = site.events();
    assert_eq!(fresh.next().0, "ok");
    std::thread::sleep(Duration::from_millis(200));
    let terminal = site.stderr.lock().unwrap().clone();
    assert!(
        terminal.contains("articles/2024/rents-and-reserves.md:3:7: error: "),
        "{terminal}"
    );
    assert!(terminal.contains("serving the last pages that built"), "{terminal}");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = crate::common::pressroom()
        .args(["serve", "--port", &port, "--root"])
        .arg(fixture("full"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "port {port} on 127.0.0.1 is already in use; choose another with --port N"
        )),
        "{stderr}"
    );
}

#[test]
fn listens_on_loopback_unless_told() {
    let site = Served::start("full");
    // The printed URL is a loopback one, and the socket is bound to it.
    let out = Command::new("ss").args(["-ltnH"]).output();
    if let Ok(out) = out {
        let listing = String::from_utf8_lossy(&out.stdout).into_owned();
        let line = listing.lines().find(|l| l.contains(&format!(":{} ", site.port)));
        if let Some(line) = line {
            assert!(line.contains(&format!("127.0.0.1:{}", site.port)), "{line}");
        }
    }
    let help = crate::common::pressroom().args(["serve", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("[default: 127.0.0.1]"));
}
