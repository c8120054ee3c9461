#!/usr/bin/env python3
"""Resource bounds of `pressroom serve` under many slow clients.

Starts `pressroom serve` on the repository's sample archive on a free
loopback port, opens N connections that never finish their request (half
send nothing, half send part of a request head and then one byte a second),
and samples the server's thread count and resident memory from /proc while
timing an ordinary page request every half second. Prints the figures.

    python3 bench/serve_slow_clients.py --clients 2000 --seconds 20
"""

import argparse
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def proc_status(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def fetch(port):
    """Seconds to fetch / (None if it failed) and the status."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            reply = b""
            while chunk := s.recv(65536):
                reply += chunk
        return time.monotonic() - started, reply.split(b" ", 2)[1].decode()
    except OSError as e:
        return None, str(e)


def open_slow(port, n):
    clients = []
    for i in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.setblocking(False)
            if i % 2:
                s.send(b"GET / HTTP/1.1\r\nHost: local")
            clients.append(s)
        except OSError:
            pass
    return clients


def trickle(clients):
    for s in clients:
        try:
            s.send(b"h")
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--binary", default=str(REPO / "target/release/pressroom"))
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.clients * 2 + 256), hard))

    server = subprocess.Popen([args.binary, "serve", "--port", "0", "--root", str(REPO)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        pid = server.pid
        time.sleep(0.5)
        idle = (proc_status(pid, "Threads"), proc_status(pid, "VmRSS"))
        print(f"idle: {idle[0]} threads, {idle[1] / 1024:.1f} MB RSS; GET / {fetch(port)}")
        started = time.monotonic()
        clients = open_slow(port, args.clients)
        print(f"opened {len(clients)} slow connections in {time.monotonic() - started:.1f} s")
        threads, rss, times, failed = [], [], [], []
        last_trickle = 0.0
        while time.monotonic() - started < args.seconds:
            threads.append(proc_status(pid, "Threads"))
            rss.append(proc_status(pid, "VmRSS"))
            took, status = fetch(port)
            if took is None or status != "200":
                failed.append(status)
            else:
                times.append(took)
            if time.monotonic() - last_trickle >= 1:
                trickle(clients)
                last_trickle = time.monotonic()
            time.sleep(0.5)
        times.sort()
        print(f"under load: threads max {max(threads)}, RSS max {max(rss) / 1024:.1f} MB; "
              f"GET / {len(times)} ok, median {times[len(times) // 2] * 1000:.1f} ms, "
              f"max {times[-1] * 1000:.1f} ms; {len(failed)} failed {failed[:3]}")
        for s in clients:
            s.close()
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
