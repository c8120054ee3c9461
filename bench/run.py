#!/usr/bin/env python3
"""Benchmark pressroom against Hugo and the lower-bound probe.

    python3 bench/run.py                               # 1k, 10k, 100k articles, 5 runs
    python3 bench/run.py --sizes 1000,10000 --runs 5 --json bench-results.json
    python3 bench/run.py --tools hugo,probe --sizes 1k  # no pressroom
    python3 bench/run.py --skip-hugo                   # machine without Hugo

For each archive size it generates (once, then cached) the same synthetic
archive in pressroom's native format and in Hugo's format with
bench/gen_archive.py, in tmpfs (/dev/shm); then, for every run, it
builds the archive with each tool in turn (pressroom, hugo, probe, pressroom,
hugo, probe, ...) into an output folder that is deleted before the run,
outside the timing. Each build is timed from start to exit; its CPU time
(user + sys) and peak resident memory come from wait4() on the build process,
taken by GNU time if installed, else by a tiny Python trampoline (see
Meter below for why not straight from this process).

It prints a Markdown table (medians over the runs) and ratios of pressroom to
Hugo and to the probe, and with --json writes every measurement to a file.
Python 3.11 standard library only.  See docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from rebuild import without_cache

REPO = Path(__file__).resolve().parent.parent
ALL_TOOLS = ("pressroom", "hugo", "probe")
DEFAULT_SEED = 20260101  # gen_archive.py's own default
BENCH = REPO / "bench"
GEN = BENCH / "gen_archive.py"
PROBE_SRC = BENCH / "probe"
HUGO_SITE = BENCH / "sites" / "hugo"
HUGO_INSTALL = "apt-get update && apt-get install -y hugo"

# pressroom's site.yaml for the native corpus: the same settings as the Hugo
# site's config.toml (title, language, base URL, 20 entries per page).
SITE_YAML = """\
# written by bench/run.py: matches bench/sites/hugo/config.toml
title: "Policy Commentary Archive"
base_url: "https://example.org/"
language: "en"
paginate: 20
"""

STAMP = ".bench-corpus.json"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def parse_sizes(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        p = part.strip().lower().replace("_", "")
        if not p:
            continue
        mult = 1
        if p.endswith("k"):
            mult, p = 1000, p[:-1]
        try:
            n = int(p) * mult
        except ValueError:
            raise argparse.ArgumentTypeError(f"bad size {part!r}") from None
        if n <= 0:
            raise argparse.ArgumentTypeError(f"bad size {part!r}")
        out.append(n)
    if not out:
        raise argparse.ArgumentTypeError("no sizes given")
    return out


def parse_tools(text: str) -> list[str]:
    tools = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in tools if t not in ALL_TOOLS]
    if bad or not tools:
        raise argparse.ArgumentTypeError(
            f"unknown tool(s) {', '.join(bad) or '(none)'}; choose from {', '.join(ALL_TOOLS)}")
    return list(dict.fromkeys(tools))


def human(n: int) -> str:
    return f"{n:,}"


def sha256_file(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def rm_tree(p: Path) -> None:
    if p.is_symlink() or p.is_file():
        p.unlink()
    elif p.exists():
        shutil.rmtree(p)


def clean_output(out: Path) -> None:
    """Delete out and any staging folders a killed build left beside it
    (pressroom builds into .NAME.building-PID and swaps it in)."""
    rm_tree(out)
    if out.parent.is_dir():
        for p in out.parent.glob(f".{out.name}.*"):
            rm_tree(p)


def count_output(out: Path) -> tuple[int, int, int]:
    """(html files, xml files, total bytes of all files) under out."""
    html = xml = size = 0
    for dirpath, _dirs, files in os.walk(out):
        for f in files:
            if f.endswith(".html"):
                html += 1
            elif f.endswith(".xml"):
                xml += 1
            try:
                size += os.lstat(os.path.join(dirpath, f)).st_size
            except OSError:
                pass
    return html, xml, size


def tail(path: Path, lines: int = 15, max_chars: int = 3000) -> str:
    try:
        data = path.read_bytes()[-64 * 1024:].decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(data.rstrip().splitlines()[-lines:])[-max_chars:]


def tool_version(cmd: list[str]) -> str:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (r.stdout or r.stderr).strip().splitlines()[0] if (r.stdout or r.stderr).strip() else ""
    except (OSError, subprocess.SubprocessError):
        return ""


# --------------------------------------------------------------------------
# Measuring one child process
# --------------------------------------------------------------------------
# Why not simply os.wait4() on a child of this script: Linux carries a
# process's peak RSS across fork and exec, so any process forked from this
# Python (20+ MiB resident) reports at least that much as ru_maxrss, which
# would swamp the probe's real peak (about 3 MiB at 1,000 articles). The tool
# is therefore started by a small intermediate process and its peak RSS is
# taken by that process's wait4(): GNU time (`/usr/bin/time -f %M`, floor
# about 1 MiB) when installed, otherwise this stdlib-only trampoline run in a
# bare interpreter (floor about 7 MiB). The floor is measured at start-up
# (running `true`) and reported with the results.
TRAMPOLINE = r"""
import os, sys, time
res = sys.argv[1]
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    except OSError as e:
        os.write(2, ("cannot run %s: %s\n" % (sys.argv[2], e)).encode())
        os._exit(127)
_, st, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(res, "w") as f:
    f.write("%r %r %r %d\n" % (wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss))
if os.WIFSIGNALED(st):
    os._exit(128 + os.WTERMSIG(st))
os._exit(os.waitstatus_to_exitcode(st))
"""


def gnu_time() -> str | None:
    p = "/usr/bin/time"
    if not os.access(p, os.X_OK):
        return None
    try:
        r = subprocess.run([p, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return p if "GNU" in (r.stdout + r.stderr) else None


PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def mem_available_kib() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def process_tree(root: int) -> list[int]:
    """root and all its descendants, root first."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in out:
            continue
        out.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                kids = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
                todo.extend(int(k) for k in kids)
        except (OSError, ValueError):
            pass
    return out


def tree_rss_kib(root: int) -> int:
    """Current resident memory of root and all its descendants."""
    total = 0
    for pid in process_tree(root):
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KIB
        except (OSError, ValueError, IndexError):
            pass
    return total


class Meter:
    """Runs one command; wall time, user+sys CPU and peak RSS of that command.

    A watchdog kills the build (its whole process group) when it runs past
    the timeout or when its resident memory passes mem_limit_kib: the
    machine is shared, and a build that balloons must fail, not bring the
    machine down (pressroom at 100,000 articles once passed 15 GB)."""

    def __init__(self, method: str, scratch: Path, mem_limit_kib: int = 0):
        self.method = method  # "gnu-time" or "python"
        self.time_bin = gnu_time() if method == "gnu-time" else None
        self.res = scratch / "rusage.txt"
        self.floor_kib = 0
        self.mem_limit_kib = mem_limit_kib

    def measure(self, cmd: list[str], log_prefix: Path, timeout: float) -> dict:
        """stdout/stderr go to files (log_prefix + .out/.err) so that no pipe
        can block the child and no reader thread competes with it for CPU."""
        self.res.unlink(missing_ok=True)
        if self.method == "gnu-time":
            full = [self.time_bin, "-f", "%M", "-o", str(self.res), *cmd]
        else:
            full = [sys.executable, "-I", "-S", "-c", TRAMPOLINE, str(self.res), *cmd]
        out_f = open(str(log_prefix) + ".out", "wb")
        err_f = open(str(log_prefix) + ".err", "wb")
        timed_out = threading.Event()
        over_memory = threading.Event()
        reaped = threading.Event()
        try:
            t0 = time.perf_counter()
            proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=out_f,
                                    stderr=err_f, start_new_session=True)

            def watchdog() -> None:
                deadline = t0 + timeout
                while not reaped.wait(0.5):
                    why = None
                    if time.perf_counter() > deadline:
                        why = timed_out
                    elif self.mem_limit_kib and tree_rss_kib(proc.pid) > self.mem_limit_kib:
                        why = over_memory
                    if why is not None:
                        why.set()
                        # Kill the build, not the process measuring it, so
                        # that its CPU time and peak RSS are still reported;
                        # then the whole group if anything is left.
                        for pid in process_tree(proc.pid)[1:]:
                            try:
                                os.kill(pid, signal.SIGKILL)
                            except OSError:
                                pass
                        if not reaped.wait(5):
                            try:
                                os.killpg(proc.pid, signal.SIGKILL)
                            except OSError:
                                pass
                        return

            dog = threading.Thread(target=watchdog, daemon=True)
            dog.start()
            try:
                _pid, status, ru = os.wait4(proc.pid, 0)
            except BaseException:  # Ctrl-C: do not leave the build running on its own
                reaped.set()
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                    os.waitpid(proc.pid, 0)
                except OSError:
                    pass
                proc.returncode = -signal.SIGKILL
                raise
            wall = time.perf_counter() - t0
            reaped.set()
            dog.join()
            proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen consistent
        finally:
            out_f.close()
            err_f.close()
        # Outer figures (include the intermediate process: ~1 ms for GNU time)
        user, sys_, maxrss = ru.ru_utime, ru.ru_stime, 0
        try:
            text = self.res.read_text().strip()
        except OSError:
            text = ""
        if self.method == "gnu-time":
            # "Command exited with non-zero status N" may precede the number
            last = text.splitlines()[-1] if text else ""
            maxrss = int(last) if last.isdigit() else 0
        elif text:
            w, u, s, m = text.split()
            wall, user, sys_, maxrss = float(w), float(u), float(s), int(m)
        return {
            "wall_s": round(wall, 4),
            "user_s": round(user, 4),
            "sys_s": round(sys_, 4),
            "cpu_s": round(user + sys_, 4),
            "maxrss_kib": maxrss,
            "exit": proc.returncode,
            "timed_out": timed_out.is_set(),
            "over_memory": over_memory.is_set(),
        }


# --------------------------------------------------------------------------
# Corpora
# --------------------------------------------------------------------------
def corpus_dir(work: Path, flavor: str, n: int, seed: int) -> Path:
    return work / "corpus" / f"{flavor}-{n}-s{seed}"


def corpus_is_current(d: Path, want: dict) -> bool:
    try:
        return json.loads((d / STAMP).read_text()) == want
    except (OSError, ValueError):
        return False


SLUG_MARK = "  # bench/run.py: unique slug"


def fix_slugs(native: Path) -> tuple[int, int]:
    """Give every article whose file name an earlier year already used an
    explicit `slug: NAME-YEAR`.

    gen_archive.py keeps slugs unique per year only (its Hugo site puts the
    year in the URL), while pressroom serves every article at
    /articles/<slug>/ and rejects duplicate slugs (SPEC.md), as its error
    message says: "give one of them another `slug:`". That is what this does,
    for a few dozen articles of 10,000; the Markdown is
    untouched, and cross-references name files, not slugs. Idempotent: a file
    that already has a slug: line is left alone. Returns (articles changed
    now, articles carrying a bench slug in all).
    """
    by_stem: dict[str, list[Path]] = {}
    for dirpath, _dirs, files in os.walk(native / "articles"):
        for f in files:
            if f.endswith(".md"):
                by_stem.setdefault(f[:-3], []).append(Path(dirpath) / f)
    taken = set(by_stem)
    changed = total = 0
    for stem in sorted(by_stem):
        paths = sorted(by_stem[stem], key=lambda p: p.parent.name)
        for p in paths[1:]:  # the earliest keeps its name
            total += 1
            text = p.read_text(encoding="utf-8")
            head = text.split("\n---\n", 1)[0]
            if "\nslug:" in head:
                continue
            new, k = f"{stem}-{p.parent.name}", 2
            while new in taken:
                new, k = f"{stem}-{p.parent.name}-{k}", k + 1
            taken.add(new)
            assert text.startswith("---\n"), p
            p.write_text(f"---\nslug: {json.dumps(new)}{SLUG_MARK}\n" + text[4:], encoding="utf-8")
            changed += 1
    return changed, total


def ensure_corpora(work: Path, gen: Path, hugo_site: Path, n: int, seed: int,
                   flavors: list[str], regen: bool, fix: bool = True) -> list[dict]:
    """Generate the missing corpora of size n (flavors in parallel: one
    python process each); return one record per flavor."""
    gen_hash = sha256_file(gen)
    records, pending = [], []
    for flavor in flavors:
        d = corpus_dir(work, flavor if fix or flavor != "native" else "native-raw", n, seed)
        want = {"articles": n, "seed": seed, "flavor": flavor, "gen_archive_sha256": gen_hash}
        rec = {"flavor": flavor, "articles": n, "path": str(d), "generated": False,
               "gen_seconds": None}
        records.append(rec)
        if not regen and corpus_is_current(d, want):
            continue
        tmp = d.with_name(d.name + ".tmp")
        rm_tree(tmp)
        rm_tree(d)
        tmp.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, str(gen), "--articles", str(n), "--out", str(tmp),
               "--flavor", flavor, "--seed", str(seed)]
        log(f"  generating {flavor} corpus of {human(n)} articles -> {d}")
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        pending.append((rec, proc, time.perf_counter(), tmp, d, want))
    for rec, proc, t0, tmp, d, want in pending:
        out, _ = proc.communicate()
        secs = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"gen_archive.py failed for {rec['flavor']} {n}:\n{out}")
        (tmp / STAMP).write_text(json.dumps(want))
        tmp.rename(d)
        rec["generated"] = True
        rec["gen_seconds"] = round(secs, 2)
        log(f"  generated {rec['flavor']} {human(n)} in {secs:.1f} s ({out.strip()})")
    # Site configuration: rewritten every time (cheap), so edits are picked up.
    for rec in records:
        d = Path(rec["path"])
        if rec["flavor"] == "native":
            (d / "site.yaml").write_text(SITE_YAML)
            if fix:
                changed, total = fix_slugs(d)
                rec["slugs_added"] = total
                if changed:
                    log(f"  gave {changed} articles an explicit unique slug (pressroom's URLs have no year)")
        elif rec["flavor"] == "hugo":
            shutil.copy2(hugo_site / "config.toml", d / "config.toml")
            rm_tree(d / "layouts")
            shutil.copytree(hugo_site / "layouts", d / "layouts")
            for leftover in ("resources", ".hugo_build.lock"):
                rm_tree(d / leftover)
    return records


# --------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------
def build_probe(src: Path, target: Path) -> Path:
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    log(f"building the probe: cargo build --release --locked in {src} "
        f"(CARGO_TARGET_DIR={target})")
    t0 = time.perf_counter()
    r = subprocess.run(["cargo", "build", "--release", "--locked"], cwd=src, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit(f"building the probe failed:\n{r.stdout[-4000:]}")
    log(f"  probe ready in {time.perf_counter() - t0:.1f} s")
    return target / "release" / "probe"


def build_pressroom(rev: str | None, work: Path) -> tuple[Path | None, str]:
    """cargo build --release at the repository root, or, with rev, in a copy
    of that commit exported under work (the work tree is not touched).
    Returns (binary, error)."""
    env = dict(os.environ)
    src = REPO
    if rev:
        src = work / "pressroom-src"
        full = subprocess.run(["git", "rev-parse", "--verify", rev + "^{commit}"], cwd=REPO,
                              capture_output=True, text=True)
        if full.returncode != 0:
            return None, f"unknown commit {rev}: {full.stderr.strip()}"
        stamp = src / ".bench-rev"
        if not (stamp.is_file() and stamp.read_text() == full.stdout.strip()):
            # a fresh copy; an unchanged one is kept so that cargo has nothing to redo
            rm_tree(src)
            src.mkdir(parents=True)
            archive = subprocess.run(["git", "archive", "--format=tar", full.stdout.strip()], cwd=REPO,
                                     capture_output=True)
            if archive.returncode != 0:
                return None, f"git archive {rev} failed: {archive.stderr.decode(errors='replace').strip()}"
            subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
            stamp.write_text(full.stdout.strip())
        env["CARGO_TARGET_DIR"] = str(work / "pressroom-target")
    log(f"building pressroom: cargo build --release in {src}")
    t0 = time.perf_counter()
    r = subprocess.run(["cargo", "build", "--release"], cwd=src, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        return None, "cargo build --release failed:\n" + "\n".join(r.stdout.splitlines()[-25:])
    target = Path(env.get("CARGO_TARGET_DIR", src / "target"))
    if not target.is_absolute():
        target = src / target
    binary = target / "release" / "pressroom"
    if not binary.is_file():
        return None, f"cargo build succeeded but {binary} does not exist"
    log(f"  pressroom ready in {time.perf_counter() - t0:.1f} s")
    return binary, ""


def tool_command(tool: str, bins: dict[str, Path], corpora: dict[str, Path], out: Path,
                 probe_jobs: int) -> list[str]:
    if tool == "pressroom":
        # A clean build: the build cache (on by default) would reuse the
        # last run's rendering.
        return [str(bins["pressroom"]), "build", "--root", str(corpora["native"]), "--out", str(out),
                *without_cache(str(bins["pressroom"]))]
    if tool == "hugo":
        return [str(bins["hugo"]), "--quiet", "-s", str(corpora["hugo"]), "-d", str(out)]
    if tool == "probe":
        # the probe reads ARCHIVE/articles itself: pass the corpus root.
        return [str(bins["probe"]), "--jobs", str(probe_jobs), str(corpora["native"]), str(out)]
    raise ValueError(tool)


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------
def summarize(res: dict) -> None:
    runs = [r for r in res["runs"] if r["ok"]]
    if not runs:
        return
    res["median_wall_s"] = round(statistics.median(r["wall_s"] for r in runs), 4)
    res["min_wall_s"] = min(r["wall_s"] for r in runs)
    res["max_wall_s"] = max(r["wall_s"] for r in runs)
    res["median_cpu_s"] = round(statistics.median(r["cpu_s"] for r in runs), 4)
    res["median_maxrss_mib"] = round(statistics.median(r["maxrss_kib"] for r in runs) / 1024, 1)
    res["max_maxrss_mib"] = round(max(r["maxrss_kib"] for r in runs) / 1024, 1)
    last = runs[-1]
    res["files"] = last["html"] + last["xml"]
    res["html_files"] = last["html"]
    res["xml_files"] = last["xml"]
    res["output_mib"] = round(last["bytes"] / 2**20, 1)
    counts = {r["html"] + r["xml"] for r in runs}
    res["files_vary"] = len(counts) > 1


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 3)


def compute_ratios(results: list[dict]) -> list[dict]:
    by = {(r["articles"], r["tool"]): r for r in results}
    out = []
    for n in sorted({r["articles"] for r in results}):
        pr = by.get((n, "pressroom"))
        if not pr or pr["status"] != "ok":
            continue
        row = {"articles": n}
        for other in ("hugo", "probe"):
            o = by.get((n, other))
            if o and o["status"] == "ok":
                row[f"pressroom_vs_{other}"] = {
                    "wall": ratio(pr["median_wall_s"], o["median_wall_s"]),
                    "cpu": ratio(pr["median_cpu_s"], o["median_cpu_s"]),
                    "rss": ratio(pr["median_maxrss_mib"], o["median_maxrss_mib"]),
                }
        if len(row) > 1:
            out.append(row)
    return out


def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.3f}" if x < 10 else f"{x:.2f}"


def fmt_mib(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:,.0f}" if x >= 10 else f"{x:.1f}"


def fmt_ratio(x: float | None) -> str:
    return "–" if x is None else (f"{x:.2f}×" if x < 100 else f"{x:.0f}×")


def markdown(results: list[dict], ratios: list[dict], runs: int) -> str:
    lines = [
        f"| articles | tool | wall s (median) | wall s (min–max) | CPU s (user+sys) | peak RSS MiB | files (html+xml) | output MiB | runs |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    for r in results:
        n = human(r["articles"])
        if r["status"] == "ok":
            okruns = sum(1 for x in r["runs"] if x["ok"])
            files = human(r["files"]) + (" (varies)" if r.get("files_vary") else "")
            lines.append(
                f"| {n} | {r['tool']} | {fmt_s(r['median_wall_s'])} | "
                f"{fmt_s(r['min_wall_s'])}–{fmt_s(r['max_wall_s'])} | {fmt_s(r['median_cpu_s'])} | "
                f"{fmt_mib(r['median_maxrss_mib'])} | {files} | {fmt_mib(r['output_mib'])} | {okruns}/{runs} |")
        else:
            word = "FAILED" if r["status"] == "failed" else "skipped"
            lines.append(f"| {n} | {r['tool']} | {word} | | | | | | |")
            if r.get("reason"):
                notes.append((n, r["tool"], word, r["reason"]))
    out = "\n".join(lines)
    if ratios:
        rl = ["\n\n| articles | pressroom/Hugo wall | pressroom/Hugo CPU | pressroom/Hugo RSS | "
                  "pressroom/probe wall | pressroom/probe CPU | pressroom/probe RSS |",
              "|---:|---:|---:|---:|---:|---:|---:|"]
        for row in ratios:
            h = row.get("pressroom_vs_hugo", {})
            p = row.get("pressroom_vs_probe", {})
            rl.append(f"| {human(row['articles'])} | {fmt_ratio(h.get('wall'))} | {fmt_ratio(h.get('cpu'))} | "
                      f"{fmt_ratio(h.get('rss'))} | {fmt_ratio(p.get('wall'))} | {fmt_ratio(p.get('cpu'))} | "
                      f"{fmt_ratio(p.get('rss'))} |")
        out += "\n".join(rl)
    noisy = [f"{r['tool']} at {human(r['articles'])}" for r in results
             if r["status"] == "ok" and len(r["runs"]) > 1
             and (r["max_wall_s"] - r["min_wall_s"]) > 0.3 * r["median_wall_s"]]
    if noisy:
        out += ("\n\nNoisy: the wall times of " + ", ".join(noisy) + " spread over more than 30% of "
                "their median (other work on the machine?). CPU times are steadier; rerun on a quiet "
                "machine before trusting wall-time ratios.")
    for n, tool, word, reason in notes:
        body = reason.strip().replace("\n", "\n    ")
        out += f"\n\n{tool} at {n} articles {word}:\n    {body}"
    return out + "\n"


# --------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Full description: docs/benchmarks.md",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=parse_sizes, default=[1000, 10000, 100000],
                    help="comma-separated article counts, 'k' allowed (default 1000,10000,100000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and size (default 5)")
    ap.add_argument("--warmup", type=int, default=0,
                    help="untimed runs per tool and size before the timed ones (default 0)")
    ap.add_argument("--tools", type=parse_tools, default=list(ALL_TOOLS),
                    help="comma-separated subset of pressroom,hugo,probe (default all, in that order)")
    ap.add_argument("--skip-hugo", action="store_true", help="leave Hugo out (machine without it)")
    ap.add_argument("--hugo-max", type=int, default=50000,
                    help="run Hugo only for sizes up to this many articles; 0 = no limit "
                         "(default 50000: Hugo needs ~14 GB and minutes per build at 100k)")
    ap.add_argument("--json", type=Path, help="write all measurements to this JSON file")
    ap.add_argument("--work", type=Path, default=Path("/dev/shm/pressroom-bench"),
                    help="cache of corpora, outputs and the probe's build (default /dev/shm/pressroom-bench; "
                         "keep it on tmpfs)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"corpus seed (default {DEFAULT_SEED})")
    ap.add_argument("--prepare", action="store_true",
                    help="only generate (and cache) the corpora the selected tools and sizes need, "
                         "then exit; prints how long each took")
    ap.add_argument("--raw-slugs", action="store_true",
                    help="leave gen_archive.py's slugs as they are (unique per year only), so that pressroom "
                         "reports the duplicates; uses a separate cached corpus (native-raw-N)")
    ap.add_argument("--regen", action="store_true", help="regenerate corpora even if cached")
    ap.add_argument("--probe-jobs", type=int, default=2, help="threads for the probe (default 2)")
    ap.add_argument("--pressroom-bin", type=Path,
                    help="use this pressroom binary instead of running cargo build --release")
    ap.add_argument("--rev", metavar="COMMIT",
                    help="build pressroom from this commit (exported with git archive into WORK, own "
                         "target dir) instead of the work tree")
    ap.add_argument("--hugo-bin", default="hugo", help="Hugo executable (default: hugo on PATH)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before one build is killed (default 1800)")
    ap.add_argument("--mem-limit", type=float, metavar="GIB",
                    help="kill a build whose resident memory passes this many GiB (reported as a failure); "
                         "0 = no limit (default: 80%% of the memory available at start)")
    ap.add_argument("--timings", action="store_true",
                    help="after the timed runs, build once more with `pressroom build --timings` "
                         "and include its report")
    ap.add_argument("--rss-method", choices=["auto", "gnu-time", "python"], default="auto",
                    help="who takes the peak RSS: GNU time (/usr/bin/time, apt package `time`) or a "
                         "stdlib Python trampoline; auto = GNU time if installed (default)")
    ap.add_argument("--keep-output", action="store_true",
                    help="keep each tool's last output under WORK/out (default: delete after counting)")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    tools = [t for t in args.tools if not (t == "hugo" and args.skip_hugo)]
    if not tools:
        sys.exit("no tools left to run")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    if not str(work).startswith("/dev/shm"):
        log(f"warning: {work} is not under /dev/shm; output on a disk file system measures the "
            f"file system as much as the generator (docs/benchmarks.md)")
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    method = args.rss_method
    if method == "auto":
        method = "gnu-time" if gnu_time() else "python"
    elif method == "gnu-time" and not gnu_time():
        sys.exit("--rss-method gnu-time: /usr/bin/time is not GNU time (apt-get install -y time)")
    if args.mem_limit is None:
        mem_limit_kib = int(mem_available_kib() * 0.8)
    else:
        mem_limit_kib = int(args.mem_limit * 2**20)
    meter = Meter(method, work, mem_limit_kib)
    if mem_limit_kib:
        log(f"a build is killed when its resident memory passes {mem_limit_kib / 2**20:.1f} GiB (--mem-limit)")
    floor = meter.measure(["true"], logs / "floor", 60)
    meter.floor_kib = floor["maxrss_kib"]
    log(f"peak RSS taken by {method}; floor (RSS reported for `true`): {meter.floor_kib / 1024:.1f} MiB")
    load1 = os.getloadavg()[0]
    if load1 > 0.5:
        log(f"warning: load average {load1:.2f} before the start: other work on this machine will "
            f"slow every tool; compare only figures from one run of this script")

    bins: dict[str, Path] = {}
    if args.prepare:  # corpora only: no builds, nothing to check
        tools = [t for t in tools if t != "pressroom"] + (["probe"] if "pressroom" in tools else [])
        tools = list(dict.fromkeys(tools))
    meta_versions: dict[str, str] = {}
    setup: dict[str, float] = {}
    build_error: str = ""
    if "hugo" in tools and not args.prepare:
        h = shutil.which(args.hugo_bin)
        if not h:
            sys.exit(f"hugo not found. Install it with `{HUGO_INSTALL}` (Debian's package), "
                     f"or run with --skip-hugo / --tools pressroom,probe.")
        bins["hugo"] = Path(h)
        meta_versions["hugo"] = tool_version([h, "version"])
    if "probe" in tools and not args.prepare:
        t0 = time.perf_counter()
        bins["probe"] = build_probe(PROBE_SRC, work / "probe-target")
        setup["probe_build_s"] = round(time.perf_counter() - t0, 2)
    if "pressroom" in tools and not args.prepare:
        if args.pressroom_bin:
            bins["pressroom"] = args.pressroom_bin.resolve()
        else:
            t0 = time.perf_counter()
            b, build_error = build_pressroom(args.rev, work)
            setup["pressroom_build_s"] = round(time.perf_counter() - t0, 2)
            if b:
                bins["pressroom"] = b
            else:
                log("pressroom: " + build_error.splitlines()[0])
        if "pressroom" in bins:
            meta_versions["pressroom"] = tool_version([str(bins["pressroom"]), "--version"])

    if args.pressroom_bin:
        git_rev = f"{args.pressroom_bin}"
    else:
        git_rev = subprocess.run(["git", "rev-parse", "--short", args.rev or "HEAD"], cwd=REPO,
                                 capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "templates", "static",
                                "Cargo.toml", "Cargo.lock"], cwd=REPO, capture_output=True, text=True).stdout
        if dirty.strip() and not args.rev:
            git_rev += " + uncommitted changes"
    meta = {
        "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "git_rev": git_rev, "host": platform.node(), "kernel": platform.release(),
        "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(), "python": platform.python_version(),
        "rustc": tool_version(["rustc", "--version"]), "versions": meta_versions,
        "sizes": args.sizes, "runs": args.runs, "warmup": args.warmup, "tools": tools,
        "hugo_max": args.hugo_max, "seed": args.seed, "work": str(work),
        "probe_jobs": args.probe_jobs, "setup": setup,
        "rss_method": method, "rss_floor_kib": meter.floor_kib, "mem_limit_kib": mem_limit_kib, "raw_slugs": args.raw_slugs,
        "commands": {
            "pressroom": "pressroom build --root NATIVE --out OUT",
            "hugo": "hugo --quiet -s HUGO -d OUT",
            "probe": f"probe --jobs {args.probe_jobs} NATIVE OUT",
        },
    }
    report = {"meta": meta, "corpora": [], "results": [], "ratios": [], "timings": []}

    def save() -> None:
        report["ratios"] = compute_ratios(report["results"])
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(report, indent=2) + "\n")

    for n in args.sizes:
        log(f"\n== {human(n)} articles ==")
        size_tools = list(tools)
        results: dict[str, dict] = {}
        for tool in tools:
            results[tool] = {"articles": n, "tool": tool, "status": "ok", "reason": "", "runs": []}
        if "hugo" in tools and args.hugo_max and n > args.hugo_max:
            results["hugo"].update(status="skipped", reason=f"{human(n)} > --hugo-max {human(args.hugo_max)}")
            size_tools.remove("hugo")
        if "pressroom" in tools and "pressroom" not in bins:
            results["pressroom"].update(status="failed", reason=build_error)
            size_tools.remove("pressroom")
        flavors = []
        if any(t in size_tools for t in ("pressroom", "probe")):
            flavors.append("native")
        if "hugo" in size_tools:
            flavors.append("hugo")
        recs = (ensure_corpora(work, GEN, HUGO_SITE, n, args.seed, flavors, args.regen,
                               fix=not args.raw_slugs) if flavors else [])
        report["corpora"].extend(recs)
        corpora = {r["flavor"]: Path(r["path"]) for r in recs}
        if args.prepare:
            continue
        outs = {t: work / "out" / f"{t}-{n}" for t in size_tools}
        (work / "out").mkdir(exist_ok=True)

        active = list(size_tools)
        total = args.warmup + args.runs
        for i in range(total):
            timed = i >= args.warmup
            label = f"run {i - args.warmup + 1}/{args.runs}" if timed else f"warm-up {i + 1}/{args.warmup}"
            for tool in list(active):
                out = outs[tool]
                clean_output(out)  # clean output, outside the timing
                cmd = tool_command(tool, bins, corpora, out, args.probe_jobs)
                m = meter.measure(cmd, logs / f"{tool}-{n}-{i}", args.timeout)
                html, xml, nbytes = count_output(out) if out.exists() else (0, 0, 0)
                m.update(html=html, xml=xml, bytes=nbytes, timed=timed, load1=os.getloadavg()[0])
                problem = ""
                if m["timed_out"]:
                    problem = f"killed after --timeout {args.timeout:g} s"
                elif m["over_memory"]:
                    problem = (f"killed when its resident memory passed --mem-limit "
                               f"{meter.mem_limit_kib / 2**20:.1f} GiB")
                elif m["exit"] != 0:
                    problem = f"exit status {m['exit']}"
                elif html == 0:
                    problem = "exited 0 but wrote no .html file"
                m["ok"] = not problem
                if not args.keep_output:
                    clean_output(out)
                log(f"  {label:13} {tool:9} {m['wall_s']:8.3f} s wall {m['cpu_s']:8.3f} s cpu "
                    f"{m['maxrss_kib'] / 1024:8.0f} MiB  {html + xml} files"
                    + (f"  FAILED: {problem}" if problem else ""))
                if problem:
                    err = tail(logs / f"{tool}-{n}-{i}.err") or tail(logs / f"{tool}-{n}-{i}.out")
                    results[tool].update(
                        status="failed",
                        reason=f"{problem}, after {m['wall_s']:.1f} s wall, {m['cpu_s']:.1f} s CPU, "
                               f"peak RSS {m['maxrss_kib'] / 1024:,.0f} MiB:\n{' '.join(cmd)}\n"
                               f"--- stderr (tail) ---\n{err or '(empty)'}")
                    results[tool]["runs"].append(m)
                    active.remove(tool)  # a failing build is not timed again
                    continue
                if timed:
                    results[tool]["runs"].append(m)
        for tool in tools:
            summarize(results[tool])
            report["results"].append(results[tool])
        if args.timings and "pressroom" in active:
            out = outs["pressroom"]
            clean_output(out)
            cmd = tool_command("pressroom", bins, corpora, out, args.probe_jobs) + ["--timings"]
            try:
                r = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
                code, text = r.returncode, (r.stderr + r.stdout).strip()
            except subprocess.TimeoutExpired:
                code, text = None, f"killed after --timeout {args.timeout:g} s"
            if not args.keep_output:
                clean_output(out)
            report["timings"].append({"articles": n, "exit": code, "report": text})
            log(f"  pressroom --timings at {human(n)} (exit {code}):\n{text}")
        save()

    gen_lines = [f"- {r['flavor']} {human(r['articles'])}: generated in {r['gen_seconds']} s"
                 for r in report["corpora"] if r["generated"]]
    if args.prepare:
        print("Corpora in " + str(work / "corpus") + ":")
        for r in report["corpora"]:
            how = f"generated in {r['gen_seconds']} s" if r["generated"] else "cached"
            print(f"- {r['flavor']} {human(r['articles'])}: {how}")
        return 0
    meta["finished"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    meta["loadavg_end"] = os.getloadavg()
    save()
    print(f"\nBenchmark on {meta['host']} ({meta['cpus']} CPUs), pressroom: {git_rev}, "
          f"{args.runs} runs each, medians; corpora and output in {work}\n")
    print(markdown(report["results"], report["ratios"], args.runs))
    print(f"Peak RSS taken by {method} (floor: `true` shows {meter.floor_kib / 1024:.1f} MiB).")
    slug_lines = [f"{human(r['articles'])}: {human(r['slugs_added'])}" for r in report["corpora"]
                  if r.get("slugs_added")]
    if slug_lines:
        print("Native corpus articles given an explicit `slug: NAME-YEAR` so that pressroom's "
              "/articles/<slug>/ URLs are unique (--raw-slugs to disable): " + ", ".join(slug_lines) + ".")
    if gen_lines:
        print("Corpora generated this time:\n" + "\n".join(gen_lines))
    for t in report["timings"]:
        print(f"\npressroom build --timings, {human(t['articles'])} articles:\n```\n{t['report']}\n```")
    if args.json:
        print(f"\nJSON: {args.json}")
    return 1 if any(r["status"] == "failed" for r in report["results"]) else 0


if __name__ == "__main__":
    sys.exit(main())
