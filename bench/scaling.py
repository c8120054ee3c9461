#!/usr/bin/env python3
"""How pressroom's costs grow with the archive: N against 4N.

    python3 bench/scaling.py                 # N = 1250, 3 runs each
    python3 bench/scaling.py --n 2500 --runs 5

Two shapes that once cost quadratic time or memory:

- `one-author`: N articles with one author and one date (what an import
  with one fallback author and file-time dates produces), built with
  `pressroom build`;
- `broken-xrefs`: N articles, each with a cross-reference to a missing
  file one letter off an existing one (so every error gets a "did you
  mean"), checked with `pressroom check`.

For each shape it generates archives of N and 4N articles in a temporary
folder, then runs the two sizes alternately (N, 4N, N, 4N, ...) and takes
the median wall time and peak resident memory (from wait4) of each. The
target is that 4x the input costs at most 6x the time and the memory
(linear is 4x). Exit status 1 when a ratio is above 6.

Python 3 standard library only; builds pressroom with `cargo build --release`
unless --bin is given. Generated archives are deleted at the end.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIMIT = 6.0


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_site(root: Path, n: int, shape: str) -> None:
    write(root / "site.yaml", 'title: "Scaling"\nbase_url: "https://example.org/"\n')
    write(root / "authors/staff.yaml", 'name: "Staff Writer"\n')
    for i in range(n):
        body = f"Paragraph {i} of the archive, long enough to have a summary.\n"
        if shape == "broken-xrefs":
            # `note-00042.md` exists; `nte-00042.md` does not.
            body += f"\nSee [the earlier note](nte-{(i + 1) % n:05}.md).\n"
        front = f'title: "Note {i}"\ndate: 2024-01-02\nauthors: staff\n'
        write(root / f"articles/note-{i:05}.md", f"---\n{front}---\n\n{body}")


def run_once(binary: Path, root: Path, shape: str) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in KiB and exit status of one run."""
    out = root / "public"
    if out.exists():
        shutil.rmtree(out)
    if shape == "broken-xrefs":
        args = [str(binary), "check", "--root", str(root)]
    else:
        args = [str(binary), "build", "--root", str(root), "--out", str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    expected = 1 if shape == "broken-xrefs" else 0
    if code != expected:
        sys.exit(f"{shape}: exit status {code}, expected {expected}:\n{err.decode(errors='replace')[-2000:]}")
    if shape == "broken-xrefs" and b"did you mean" not in err:
        sys.exit("broken-xrefs: no suggestion in the report")
    return wall, usage.ru_maxrss, code


def measure(binary: Path, work: Path, shape: str, n: int, runs: int) -> dict[int, tuple[float, float]]:
    sizes = (n, 4 * n)
    roots = {}
    for size in sizes:
        roots[size] = work / f"{shape}-{size}"
        make_site(roots[size], size, shape)
    samples: dict[int, list[tuple[float, int]]] = {s: [] for s in sizes}
    for _ in range(runs):
        for size in sizes:
            wall, rss, _ = run_once(binary, roots[size], shape)
            samples[size].append((wall, rss))
    return {
        s: (statistics.median(w for w, _ in samples[s]), statistics.median(r for _, r in samples[s]) / 1024)
        for s in sizes
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1250, help="the smaller size (default 1250)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument("--bin", type=Path, help="pressroom binary (default: cargo build --release)")
    parser.add_argument("--shapes", default="one-author,broken-xrefs")
    args = parser.parse_args()
    binary = args.bin
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        binary = REPO / "target/release/pressroom"
    worst = 0.0
    print(f"| shape | N | time N | time 4N | ratio | peak MB N | peak MB 4N | ratio |")
    print(f"|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="pressroom-scaling-") as tmp:
        for shape in args.shapes.split(","):
            m = measure(binary.resolve(), Path(tmp), shape, args.n, args.runs)
            (t1, m1), (t4, m4) = m[args.n], m[4 * args.n]
            rt, rm = t4 / t1, m4 / m1
            worst = max(worst, rt, rm)
            print(f"| {shape} | {args.n} | {t1:.2f} s | {t4:.2f} s | {rt:.1f}x | {m1:.0f} | {m4:.0f} | {rm:.1f}x |")
    print(f"\nworst ratio {worst:.1f}x (limit {LIMIT:.0f}x)")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
