#!/usr/bin/env python3
"""What search adds to a build: the synthetic archive built with
`search: true` and with `search: false`, alternately, in one run.

    python3 bench/search_cost.py --size 10000 --runs 5

Reports the median build time (wall and CPU) of each and their ratio, the index's size
(files, bytes, gzip bytes) and what a browser fetches for one query: the
manifest, the per-article filter data, the term chunks the query's words
fall in and the excerpts of the first ten results, as search.js does.
Corpora come from run.py (the same generator, seed and cache).
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: corpora, paths)


def site_root(work: Path, corpus: Path, search: bool) -> Path:
    """A site reading the corpus's content, with search on or off."""
    root = work / "search-cost" / ("on" if search else "off")
    root.mkdir(parents=True, exist_ok=True)
    for part in ("articles", "authors", "topics", "static"):
        link = root / part
        if (corpus / part).exists() and not link.exists():
            link.symlink_to(corpus / part)
    config = (corpus / "site.yaml").read_text()
    (root / "site.yaml").write_text(config + f"search: {'true' if search else 'false'}\n")
    return root


def build(binary: Path, root: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one build."""
    run.clean_output(out)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([str(binary), "build", "--root", str(root), "--out", str(out)],
                          capture_output=True, text=True)
    secs = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"build of {root} failed:\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return secs, cpu


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def words(text: str) -> list[str]:
    out, cur = [], []
    for c in text.lower():
        if c.isalnum():
            cur.append(c)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def one_query(index: Path, query: str) -> dict:
    """The files search.js fetches for `query`, and their bytes."""
    fetched = [index / "manifest.json", index / "docs.json"]
    manifest = json.loads(fetched[0].read_text())
    docs = json.loads(fetched[1].read_text())
    firsts = manifest["chunks"]
    scores: dict[int, float] | None = None
    n = len(docs["docs"])
    for w in words(query):
        i = max([0] + [k for k, f in enumerate(firsts) if f <= w])
        chunks = [i] + [k for k in range(i + 1, len(firsts)) if firsts[k].startswith(w)]
        here: dict[int, float] = {}
        for k in chunks:
            path = index / "terms" / f"{k}.json"
            fetched.append(path)
            for term, post in json.loads(path.read_text()).items():
                if not term.startswith(w):
                    continue
                idf = math.log(1 + (n - len(post) / 2 + 0.5) / (len(post) / 2 + 0.5))
                doc = 0
                for j in range(0, len(post), 2):
                    doc += post[j]
                    here[doc] = max(here.get(doc, 0.0), idf * post[j + 1])
        scores = here if scores is None else {d: s + here[d] for d, s in scores.items() if d in here}
    ranked = sorted((scores or {}).items(), key=lambda x: (-x[1], x[0]))
    fetched += [index / "docs" / f"{d}.json" for d, _ in ranked[:10]]
    data = [p.read_bytes() for p in dict.fromkeys(fetched)]
    return {"query": query, "results": len(ranked), "files": len(data),
            "bytes": sum(map(len, data)), "gzip_bytes": sum(map(gz, data))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=run.parse_sizes, default=[10000], help="articles (default 10k)")
    ap.add_argument("--runs", type=int, default=5, help="builds of each kind (default 5)")
    ap.add_argument("--query", default="procurement framework", help="the query to measure")
    ap.add_argument("--pressroom-bin", type=Path, help="use this binary (default: cargo build --release)")
    ap.add_argument("--work", type=Path, default=Path("/dev/shm/pressroom-bench"))
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    args = ap.parse_args()
    work = args.work.resolve()
    n = args.size[0]
    rec = run.ensure_corpora(work, run.GEN, run.HUGO_SITE, n, run.DEFAULT_SEED, ["native"], False)[0]
    corpus = Path(rec["path"])
    if args.pressroom_bin:
        binary = args.pressroom_bin.resolve()
    else:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=run.REPO, check=True)
        binary = run.REPO / "target" / "release" / "pressroom"
    roots = {s: site_root(work, corpus, s) for s in (True, False)}
    outs = {s: work / "search-cost" / ("out-on" if s else "out-off") for s in (True, False)}
    times: dict[bool, list[float]] = {True: [], False: []}
    cpus: dict[bool, list[float]] = {True: [], False: []}
    build(binary, roots[True], outs[True])  # warm the page cache
    for i in range(args.runs):
        for s in ((True, False) if i % 2 == 0 else (False, True)):
            wall, cpu = build(binary, roots[s], outs[s])
            times[s].append(wall)
            cpus[s].append(cpu)
            run.log(f"  run {i + 1}: search {'on ' if s else 'off'} {wall:.2f} s, {cpu:.2f} s CPU")
    index = outs[True] / "search"
    files = [p for p in index.rglob("*") if p.is_file()]
    script = outs[True] / "search.js"
    on, off = statistics.median(times[True]), statistics.median(times[False])
    cpu_on, cpu_off = statistics.median(cpus[True]), statistics.median(cpus[False])
    result = {
        "articles": n,
        "runs": args.runs,
        "median_s": {"search": round(on, 3), "no_search": round(off, 3)},
        "added_fraction": round(on / off - 1, 4),
        "median_cpu_s": {"search": round(cpu_on, 3), "no_search": round(cpu_off, 3)},
        "added_cpu_fraction": round(cpu_on / cpu_off - 1, 4),
        "load_average": os.getloadavg()[0],
        "index": {"files": len(files), "bytes": sum(p.stat().st_size for p in files),
                  "gzip_bytes": sum(gz(p.read_bytes()) for p in files)},
        "script": {"bytes": script.stat().st_size, "gzip_bytes": gz(script.read_bytes())},
        "one_query": one_query(index, args.query),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
