#!/usr/bin/env python3
"""Time rebuilds: a clean build, a rebuild with nothing changed and a
rebuild after one article's body changed, for two or more pressroom
binaries interleaved in one run (without the build cache, for binaries
that have one).

    python3 bench/rebuild.py --corpus /dev/shm/pressroom-bench/corpus/native-10000-s20260101 \\
        --bin main=/path/to/main/pressroom --bin new=target/release/pressroom --runs 5

With --cache, the rebuilds use the build cache (`build --cache`): each run
is a clean build without it (`--no-cache`, no output), a first build that
writes the cache, an untimed edit and its undoing (so the output has been
replaced once, as in steady use), then cached rebuilds with nothing changed, after one
article's body changed, and after its title changed (the article is put
back, and built once untimed, between the edits).

The corpus (made by bench/run.py, or bench/gen_archive.py) is copied to
WORK first, because one of its articles is edited and put back on every
run. Each build runs with --timings; wall and CPU time (user + sys, from
wait4) and peak RSS are recorded, and the `write` phase (render and write
every page) from the timings. Python 3.11 standard library only. See
docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

CASES = ("clean", "same", "edit")
CACHED_CASES = ("clean", "first", "same", "body", "title")


def build(binary: str, corpus: Path, out: Path, extra: list[str] | None = None) -> dict[str, float]:
    start = time.perf_counter()
    child = subprocess.Popen([binary, "build", "-q", "--timings", "--root", str(corpus), "--out", str(out),
                              *(extra or [])],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = child.stderr.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{binary} failed:\n{err}")
    # With nothing changed there is no write phase.
    write = next((float(l.split()[1]) for l in err.splitlines() if l.strip().startswith("write")), 0.0)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mib": usage.ru_maxrss / 1024, "write": write / 1000}


def without_cache(binary: str) -> list[str]:
    """`--no-cache` for a binary that has a build cache (on by default), so
    that the plain cases time builds without it."""
    help_text = subprocess.run([binary, "build", "--help"], capture_output=True, text=True).stdout
    return ["--no-cache"] if "--no-cache" in help_text else []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True, help="a native archive (site.yaml, articles/, authors/)")
    ap.add_argument("--bin", action="append", required=True, metavar="NAME=PATH", help="a binary to time; repeat")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", type=Path, default=Path("/dev/shm/pressroom-rebuild"))
    ap.add_argument("--json", type=Path, help="write every measurement here")
    ap.add_argument("--cache", action="store_true", help="time cached rebuilds (see above)")
    args = ap.parse_args()
    cases = CACHED_CASES if args.cache else CASES
    bins = dict(b.split("=", 1) for b in args.bin)
    corpus = args.work / "corpus"
    shutil.rmtree(args.work, ignore_errors=True)
    shutil.copytree(args.corpus, corpus)
    article = sorted(corpus.glob("articles/**/*.md"))[len(list(corpus.glob("articles/**/*.md"))) // 2]
    original = article.read_text()
    runs: dict[str, dict[str, list[dict[str, float]]]] = {n: {c: [] for c in cases} for n in bins}
    for r in range(args.runs):
        for name, binary in bins.items():
            out = args.work / f"out-{name}"
            shutil.rmtree(out, ignore_errors=True)
            if args.cache:
                cached_run(binary, corpus, out, args.work / f"cache-{name}", article, runs[name], f"{r}{name}")
                print(f"run {r + 1}/{args.runs} {name} done", file=sys.stderr, flush=True)
                continue
            plain = without_cache(binary)
            runs[name]["clean"].append(build(binary, corpus, out, plain))
            runs[name]["same"].append(build(binary, corpus, out, plain))
            article.write_text(body_edited(original, f"Edited in run {r} of {name}."))
            try:
                runs[name]["edit"].append(build(binary, corpus, out, plain))
            finally:
                article.write_text(original)
            print(f"run {r + 1}/{args.runs} {name} done", file=sys.stderr, flush=True)
    first = next(iter(bins))
    print(f"load average after: {os.getloadavg()[0]:.2f}; medians of {args.runs}; ratios against {first}")
    if args.cache:
        print_cached(runs, bins)
    else:
        print("| case | binary | wall s | CPU s | write phase s | peak RSS MiB | CPU ratio |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for case in CASES:
            base = statistics.median(m["cpu"] for m in runs[first][case])
            for name in bins:
                med = {k: statistics.median(m[k] for m in runs[name][case]) for k in ("wall", "cpu", "write", "rss_mib")}
                print(f"| {case} | {name} | {med['wall']:.2f} | {med['cpu']:.2f} | {med['write']:.2f} | "
                      f"{med['rss_mib']:.0f} | {med['cpu'] / base:.3f} |")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1))


def body_edited(original: str, sentence: str) -> str:
    """The article with `sentence` as its body's first paragraph: a new word
    in the text, so the edit reaches the page and the search index (a line
    appended at the end could join a footnote, which search leaves out)."""
    head, sep, body = original.partition("\n---\n")
    if not sep:
        raise SystemExit("the benchmark article has no front matter to edit after")
    return f"{head}{sep}\n{sentence}\n\n{body}"


def cached_run(binary: str, corpus: Path, out: Path, cache: Path, article: Path,
               runs: dict[str, list[dict[str, float]]], tag: str) -> None:
    """One round of the cached cases for one binary."""
    shutil.rmtree(cache, ignore_errors=True)
    with_cache = ["--cache", str(cache)]
    original = article.read_text()
    runs["clean"].append(build(binary, corpus, out, ["--no-cache"]))
    shutil.rmtree(out, ignore_errors=True)
    runs["first"].append(build(binary, corpus, out, with_cache))
    # One untimed edit and its undoing, so that the output has been swapped
    # once, as before any later build (which then finds the spare beside it).
    article.write_text(body_edited(original, f"Warm-up edit {tag}."))
    build(binary, corpus, out, with_cache)
    article.write_text(original)
    build(binary, corpus, out, with_cache)
    runs["same"].append(build(binary, corpus, out, with_cache))
    title = next(l for l in original.splitlines() if l.startswith("title: "))
    edits = {"body": body_edited(original, f"Edited in run {tag}."),
             "title": original.replace(title, f"{title[:-1]} (run {tag})\"", 1)}
    try:
        for case, text in edits.items():
            article.write_text(text)
            runs[case].append(build(binary, corpus, out, with_cache))
            article.write_text(original)
            build(binary, corpus, out, with_cache)
    finally:
        article.write_text(original)


def print_cached(runs: dict[str, dict[str, list[dict[str, float]]]], bins: dict[str, str]) -> None:
    """Each binary's cached cases against its own clean build of the same run."""
    print("| case | binary | wall s | CPU s | peak RSS MiB | CPU vs clean | wall vs clean |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name in bins:
        clean = {k: statistics.median(m[k] for m in runs[name]["clean"]) for k in ("wall", "cpu")}
        for case in CACHED_CASES:
            med = {k: statistics.median(m[k] for m in runs[name][case]) for k in ("wall", "cpu", "rss_mib")}
            print(f"| {case} | {name} | {med['wall']:.3f} | {med['cpu']:.3f} | {med['rss_mib']:.0f} | "
                  f"{med['cpu'] / clean['cpu']:.3f} | {med['wall'] / clean['wall']:.3f} |")


if __name__ == "__main__":
    main()
