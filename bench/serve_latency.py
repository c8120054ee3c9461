#!/usr/bin/env python3
"""Edit-to-reload latency of `pressroom serve` on a large archive.

Generates (once, cached on tmpfs) an archive with bench/gen_archive.py,
starts `pressroom serve` on it, listens to the live-reload event stream as a
browser does, then saves one article again and again the way editors do
(write a temporary file, rename it over the article) and times each save
until the `reload` event arrives. Prints the median and range per edit kind.

    python3 bench/serve_latency.py --articles 10000 --runs 15
"""

import argparse
import hashlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from run import fix_slugs  # bench/run.py, beside this file

REPO = Path(__file__).resolve().parent.parent
GEN = REPO / "bench" / "gen_archive.py"


def prepare(work, articles):
    """The cached archive, made again when the generator changed."""
    site = work / f"archive-{articles}-native"
    stamp = hashlib.sha256(GEN.read_bytes()).hexdigest()
    if (site / ".complete").is_file() and (site / ".complete").read_text() == stamp:
        return site
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([sys.executable, str(GEN), "--articles", str(articles), "--out", str(site),
                    "--flavor", "native"], check=True, stdout=subprocess.DEVNULL)
    (site / "site.yaml").write_text('title: "Bench"\nbase_url: "https://example.org/"\npaginate: 20\n')
    fix_slugs(site)  # pressroom's URLs have no year: no two articles may share a slug
    (site / ".complete").write_text(stamp)
    return site


class Events:
    """The live-reload event stream, read as a browser's EventSource does."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(b"GET /__pressroom/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
        self.buf = b""
        self.in_body = False

    def next(self, timeout=60.0):
        """The name of the next event."""
        self.sock.settimeout(timeout)
        while True:
            if not self.in_body and b"\r\n\r\n" in self.buf:
                self.buf = self.buf.split(b"\r\n\r\n", 1)[1]
                self.in_body = True
            while self.in_body and b"\n\n" in self.buf:
                block, self.buf = self.buf.split(b"\n\n", 1)
                for line in block.split(b"\n"):
                    if line.startswith(b"event:"):
                        return line[6:].strip().decode()
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("event stream closed")
            self.buf += chunk


def save(path, text):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    start = time.perf_counter()
    os.rename(tmp, path)
    return start


def measure(events, path, edits):
    times = []
    for text in edits:
        start = save(path, text)
        while True:
            kind = events.next()
            if kind == "reload":
                break
            if kind == "errors":
                raise RuntimeError(f"the edit broke the site: {path}")
        times.append((time.perf_counter() - start) * 1000)
        time.sleep(0.05)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--work", default="/dev/shm/pressroom-serve-bench")
    ap.add_argument("--bin", default=None, help="pressroom binary (default: cargo build --release)")
    args = ap.parse_args()

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    site = prepare(work, args.articles)
    binary = args.bin
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        binary = REPO / "target" / "release" / "pressroom"

    started = time.perf_counter()
    server = subprocess.Popen([str(binary), "serve", "--root", str(site), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            sys.exit(f"serve did not start: {line}{server.stderr.read()}")
        load = time.perf_counter() - started
        events = Events(int(match.group(1)))
        assert events.next() == "ok"

        # An article in the middle of the archive, cited by others or not.
        articles = sorted((site / "articles").rglob("*.md"))
        path = articles[len(articles) // 2]
        original = path.read_text()
        front, body = original.split("\n---\n", 1)
        body_edits = [f"{front}\n---\n{body}\nEdit number {i}.\n" for i in range(args.runs)]
        title = re.search(r'^title: "(.*)"$', front, re.M).group(1)
        title_edits = [original.replace(f'title: "{title}"', f'title: "{title} ({i})"', 1)
                       for i in range(args.runs)]
        try:
            results = {
                "body edit": measure(events, path, body_edits),
                "title edit": measure(events, path, title_edits),
            }
        finally:
            save(path, original)
            time.sleep(0.5)
    finally:
        server.terminate()
        stderr = server.communicate(timeout=10)[1]

    rebuilds = [float(m) for m in re.findall(r"Rebuilt in ([\d.]+) ms", stderr)]
    print(f"pressroom serve on {args.articles} articles ({site})")
    print(f"initial build and start: {load:.2f} s")
    print(f"edited: {path.relative_to(site)}; {args.runs} saves per kind, save to reload event (ms):")
    print(f"{'edit':<12} {'median':>8} {'min':>8} {'max':>8}")
    for name, times in results.items():
        print(f"{name:<12} {statistics.median(times):8.1f} {min(times):8.1f} {max(times):8.1f}")
    if rebuilds:
        print(f"server-side rebuild (as logged): median {statistics.median(rebuilds):.1f} ms over {len(rebuilds)}")


if __name__ == "__main__":
    main()
