"""paper-reader benchmark: cold start, search, j/k, read toggle, export and memory by library size.

    .venv/bin/python benchmarks/run.py --sizes 1000,10000,50000,100000 --runs 5 \\
        --out benchmarks/results/latest.json

See benchmarks/README.md for what each figure means and how it is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import ptyrun  # noqa: E402
import session  # noqa: E402
import synth  # noqa: E402
from bare_app import READY_TEXT  # noqa: E402

VENV_BIN = Path(sys.executable).parent
READER = str(VENV_BIN / "paper-reader")
COLS, ROWS = 120, 40

# Targets at sizes below 100,000; at 100,000 and above every target is doubled.
TARGETS = {
    "first_paint_ratio": 1.5,  # first painted list / bare Textual app first paint
    "search_p95_ms": 50.0,
    "jk_p95_ms": 16.0,
    "toggle_screen_p95_ms": 16.0,
    "toggle_disk_p95_ms": 1000.0,
    "rss_mb": 250.0,
    "session_search_ms": 150.0,  # a search typed at any moment, last key to result on screen
    "session_rss_mb": 190.0,  # peak RSS over a whole session, read right before quitting
}
SEARCH_KINDS = ("word", "two_words", "author", "is_unread")


CHILD_ENV: dict[str, str] = dict(os.environ)


def set_child_env(cache_root: Path, bytecode_cache: bool) -> None:
    """The environment every measured process gets.

    With ``bytecode_cache`` (the default) compiled bytecode is kept under the benchmark's
    cache dir (``PYTHONPYCACHEPREFIX``), never next to the sources, and
    ``PYTHONDONTWRITEBYTECODE`` is dropped: after the warm-up run no module is compiled at
    start-up, as for an installed reader. Without it the environment is passed as is.
    """
    CHILD_ENV.clear()
    CHILD_ENV.update(os.environ)
    if bytecode_cache:
        CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(cache_root / "pycache")


def snapshot_reader(ref: str, into: Path) -> str:
    """Export ``reader/`` and ``styles/`` at git ``ref`` into ``into`` and make every measured
    process import that copy (``PYTHONPATH`` comes before the editable install's path).
    Returns the commit. Others may edit ``reader/`` during a long run; this keeps all sizes
    on one version. Nothing in the repository is touched (``git archive`` only reads)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", commit, "reader", "styles"], cwd=REPO, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    CHILD_ENV["PYTHONPATH"] = str(into) + (os.pathsep + CHILD_ENV["PYTHONPATH"] if CHILD_ENV.get("PYTHONPATH") else "")
    where = subprocess.run(
        [sys.executable, "-c", "import reader, sys; sys.stdout.write(reader.__file__)"],
        env=CHILD_ENV, capture_output=True, text=True, check=True, cwd=into,
    ).stdout
    if not where.startswith(str(into)):
        raise RuntimeError(f"the snapshot of {ref} is not what gets imported ({where})")
    return commit


def targets_for(size: int) -> dict[str, float]:
    factor = 2.0 if size >= 100_000 else 1.0
    return {k: v * factor for k, v in TARGETS.items()}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def rnd(v: float | None, nd: int = 3) -> float | None:
    return None if v is None else round(v, nd)


def run_child(argv: list[str], timeout: float, **kw: Any) -> tuple[int, float, int, str]:
    """Run ``argv`` to completion; (exit code, wall seconds, peak RSS in KB, stderr tail).

    The peak RSS is the child's ``VmHWM`` polled while it runs (see ``ptyrun.vm_hwm_kb``
    for why not ``wait4``'s ``ru_maxrss``); it can miss growth in the last 10 ms.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV, **kw)
    assert proc.stderr is not None
    os.set_blocking(proc.stderr.fileno(), False)
    err = b""
    deadline = t0 + timeout
    hwm = 0
    next_poll = 0.0
    while True:
        now = time.perf_counter()
        if now >= next_poll:
            hwm = max(hwm, ptyrun.vm_hwm_kb(proc.pid) or 0)
            next_poll = now + 0.01
        try:
            chunk = proc.stderr.read()
            if chunk:
                err = (err + chunk)[-4000:]
        except (BlockingIOError, TypeError):
            pass
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, ru = os.wait4(proc.pid, 0)
            break
        time.sleep(0.002)
    wall = time.perf_counter() - t0
    try:
        rest = proc.stderr.read()
        if rest:
            err = (err + rest)[-4000:]
    except (BlockingIOError, TypeError):
        pass
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, wall, hwm or ru.ru_maxrss, err.decode("utf-8", "replace")


# --- cold start ---------------------------------------------------------------------------


FIRST_SCREEN_FILE = "first-screen.json"  # reader/library/first_screen.py FILE_NAME


def cold_start(size: int, data_dir: Path, meta: dict, runs: int) -> dict[str, Any]:
    title_needle = meta["newest_title"][:20]
    loaded_needle = f" {size} papers"
    reader_argv = [READER, "--offline", "--data-dir", str(data_dir)]
    bare_argv = [sys.executable, str(HERE / "bare_app.py")]
    timeout = 60 + size / 500
    reader_runs: list[dict[str, Any]] = []
    bare_runs: list[dict[str, Any]] = []
    for i in range(runs + 1):  # run 0 warms the page cache and __pycache__; not counted
        b = ptyrun.run(bare_argv, [READY_TEXT], cols=COLS, rows=ROWS, timeout=60, env=CHILD_ENV)
        r = ptyrun.run(
            reader_argv, [title_needle, loaded_needle], cols=COLS, rows=ROWS, timeout=timeout,
            wait_idle=True, env=CHILD_ENV,
        )
        for res, needle, name in ((b, READY_TEXT, "bare"), (r, title_needle, "reader")):
            if needle not in res.found or res.exit_code != 0 or res.killed:
                raise RuntimeError(
                    f"{name} cold start failed at {size}: found={res.found} exit={res.exit_code} "
                    f"killed={res.killed}; screen tail: {res.tail[-200:]!r}"
                )
        if i == 0:
            continue
        bare_runs.append({"first_paint_s": b.found[READY_TEXT], "maxrss_mb": b.maxrss_kb / 1024})
        reader_runs.append(
            {
                "first_paint_s": r.found[title_needle],
                "full_library_s": r.found.get(loaded_needle),
                "idle_s": r.idle_at,
                "quit_to_exit_s": (r.exited_at - r.quit_sent_at) if r.exited_at and r.quit_sent_at else None,
                "maxrss_mb": r.maxrss_kb / 1024,
                "wait4_maxrss_mb": (r.wait4_maxrss_kb or 0) / 1024,
            }
        )
        log(
            f"    run {i}: reader first paint {r.found[title_needle] * 1000:.0f} ms, "
            f"full {1000 * (r.found.get(loaded_needle) or float('nan')):.0f} ms, idle {r.idle_at or 0:.2f} s, "
            f"RSS {r.maxrss_kb / 1024:.0f} MB; bare {b.found[READY_TEXT] * 1000:.0f} ms"
        )
    # The runs above start, as every start after the first does, from the first screen the
    # previous run saved at exit. These start without it: a first start, or one right after
    # the marks or the library changed on disk.
    unsaved: list[float] = []
    unsaved_bare: list[float] = []
    for i in range(runs):
        (data_dir / FIRST_SCREEN_FILE).unlink(missing_ok=True)
        b = ptyrun.run(bare_argv, [READY_TEXT], cols=COLS, rows=ROWS, timeout=60, env=CHILD_ENV)
        if READY_TEXT not in b.found:
            raise RuntimeError(f"bare cold start failed at {size}: {b.tail[-200:]!r}")
        unsaved_bare.append(b.found[READY_TEXT])
        r = ptyrun.run(reader_argv, [title_needle], cols=COLS, rows=ROWS, timeout=timeout, env=CHILD_ENV)
        if title_needle not in r.found or r.exit_code != 0 or r.killed:
            raise RuntimeError(f"reader cold start without a saved first screen failed at {size}: {r.tail[-200:]!r}")
        unsaved.append(r.found[title_needle])
    log(f"    without a saved first screen: first paint {', '.join(f'{t * 1000:.0f}' for t in unsaved)} ms")
    first = median([r["first_paint_s"] for r in reader_runs])
    bare = median([b["first_paint_s"] for b in bare_runs])
    # Each reader start ran right after a bare app's: the ratio is the median of the pairs'
    # ratios, so the VM's drift within the run moves both sides of each ratio alike.
    pairs = [r["first_paint_s"] / b["first_paint_s"] for r, b in zip(reader_runs, bare_runs)]
    unsaved_pairs = [r / b for r, b in zip(unsaved, unsaved_bare)]
    return {
        "needle": title_needle,
        "first_paint_ms": rnd(first * 1000, 1),
        "bare_first_paint_ms": rnd(bare * 1000, 1),
        "ratio": rnd(median(pairs), 2),
        "unsaved_first_paint_ms": rnd(median(unsaved) * 1000, 1),
        "unsaved_ratio": rnd(median(unsaved_pairs), 2),
        "full_library_ms": rnd(median([r["full_library_s"] for r in reader_runs if r["full_library_s"]]) * 1000, 1),
        "idle_s": rnd(median([r["idle_s"] for r in reader_runs if r["idle_s"]]), 2),
        "quit_to_exit_ms": rnd(median([r["quit_to_exit_s"] for r in reader_runs if r["quit_to_exit_s"]]) * 1000, 1),
        "rss_mb": rnd(max(r["maxrss_mb"] for r in reader_runs), 1),
        "bare_rss_mb": rnd(max(b["maxrss_mb"] for b in bare_runs), 1),
        "runs": {"reader": reader_runs, "bare": bare_runs},
    }


# --- a user's session ---------------------------------------------------------------------


def user_session(size: int, data_dir: Path, meta: dict, runs: int, search_starts: int) -> dict[str, Any]:
    """``session.py``'s figures: cold starts (cached, not, after a kill), searches typed early
    and late, a whole session's peak RSS, a fetch of 50 papers."""
    from bare_app import READY_TEXT

    timeout = 60 + size / 500
    argv = [READER, "--offline", "--data-dir", str(data_dir)]
    out: dict[str, Any] = {}
    log("    cold starts: with the first screen, without it, after a SIGKILL")
    out["cold_start"] = session.cold_starts(argv, [sys.executable, str(HERE / "bare_app.py")], READY_TEXT,
                                            CHILD_ENV, data_dir, meta, runs, timeout)
    log(f"      {out['cold_start']}")
    log(f"    searches typed 0.5 s, 1 s, 3 s after the first paint and when idle, {search_starts} starts each")
    out["search"] = session.early_searches(argv, CHILD_ENV, meta, timeout, search_starts)
    log(f"      {out['search']}")
    log("    a whole session's peak RSS")
    out["session"] = session.whole_session(argv, CHILD_ENV, meta, timeout)
    log(f"      {out['session']}")
    log("    a fetch of 50 papers")
    out["fetch"] = session.fetch(READER, CHILD_ENV, data_dir, timeout)
    log(f"      {out['fetch']}")
    return out


# --- export -------------------------------------------------------------------------------


def export(size: int, data_dir: Path, work: Path, runs: int) -> dict[str, Any]:
    out = work / "export.json"
    walls, rss = [], []
    for i in range(runs):
        if out.exists():
            out.unlink()
        argv = [READER, "export", "--offline", "--data-dir", str(data_dir), "--format", "json", "-o", str(out)]
        code, wall, maxrss, err = run_child(argv, timeout=120 + size / 200)
        if code != 0:
            raise RuntimeError(f"export failed at {size} (exit {code}): {err[-500:]}")
        walls.append(wall)
        rss.append(maxrss / 1024)
        if i == 0:
            # checked in a child: parsing 200 MB here would swell this process, and every
            # child spawned after it would start from that high-water mark
            check = subprocess.run(
                [sys.executable, "-c", "import json, sys; r = json.load(open(sys.argv[1], encoding='utf-8'));"
                 " print(len(r), len({x['key'] for x in r}))", str(out)],
                capture_output=True, text=True, check=True,
            )
            n_records, n_keys = map(int, check.stdout.split())
            complete = n_records == size and n_keys == size
            size_mb = out.stat().st_size / 1e6
            if not complete:
                raise RuntimeError(f"export at {size} has {n_records} records, {n_keys} distinct papers")
    out.unlink(missing_ok=True)
    return {
        "wall_ms": rnd(median(walls) * 1000, 1),
        "all_wall_ms": [rnd(w * 1000, 1) for w in walls],
        "complete": complete,
        "file_mb": rnd(size_mb, 1),
        "rss_mb": rnd(max(rss), 1),
    }


# --- in-process ---------------------------------------------------------------------------


def inprocess(size: int, data_dir: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    out = work / "inproc.json"
    argv = [
        sys.executable,
        str(HERE / "inproc.py"),
        "--data-dir", str(data_dir),
        "--count", str(size),
        "--out", str(out),
        "--search-reps", str(args.search_reps),
        "--jk-presses", str(args.jk_presses),
        "--toggles", str(args.toggles),
    ]
    if args.experiment:
        argv += ["--experiment", args.experiment]
    if args.profile:
        argv += ["--profile", args.profile, "--profile-dir", str(Path(args.profile_dir) / f"n{size}")]
    code, wall, maxrss, err = run_child(argv, timeout=1800 + size / 20)
    if code != 0:
        raise RuntimeError(f"in-process benchmark failed at {size} (exit {code}): {err[-2000:]}")
    result = json.loads(out.read_text())
    result["process_peak_rss_mb"] = rnd(maxrss / 1024, 1)
    result["wall_s"] = rnd(wall, 1)
    return result


def bare_inprocess(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    out = work / "bare.json"
    argv = [sys.executable, str(HERE / "inproc.py"), "--bare", "--jk-presses", str(args.jk_presses), "--out", str(out)]
    code, _, _, err = run_child(argv, timeout=300)
    if code != 0:
        raise RuntimeError(f"bare in-process benchmark failed: {err[-1000:]}")
    return json.loads(out.read_text())


# --- report -------------------------------------------------------------------------------


def _p(d: dict | None, key: str = "p95_ms") -> float | None:
    return None if not d else d.get(key)


def figures(size: int, res: dict[str, Any]) -> dict[str, Any]:
    """The headline figures of one size and whether each meets its target."""
    t = targets_for(size)
    cs, ip, ex = res.get("cold_start"), res.get("inprocess"), res.get("export")
    f: dict[str, Any] = {}
    us = res.get("user_session")
    if us:
        c = us["cold_start"]
        for kind in ("cached", "no_cache", "after_kill"):
            f[f"us_{kind}"] = (c[f"{kind}_ratio"], c[f"{kind}_ratio"] <= t["first_paint_ratio"])
        f["us_bare_ms"] = c["bare_ms"]
        for moment in ("0.5", "1.0", "3.0", "idle"):
            ms = us["search"][f"at_{moment}"]
            f[f"us_search_{moment}"] = (ms, ms is not None and ms <= t["session_search_ms"])
        rss = us["session"]["peak_rss_mb"]
        f["us_rss"] = (rss, rss is not None and rss <= t["session_rss_mb"])
        f["us_fetch_ms"] = us["fetch"]["wall_ms"]
        f["us_fetch_mb"] = us["fetch"]["wchar_mb"]  # every byte the process wrote, the database in place too
    if cs:
        f["first_paint_ms"] = cs["first_paint_ms"]
        f["bare_ms"] = cs["bare_first_paint_ms"]
        f["first_paint_ratio"] = (cs["ratio"], cs["ratio"] <= t["first_paint_ratio"])
        if "unsaved_ratio" in cs:
            f["unsaved_ratio"] = (cs["unsaved_ratio"], cs["unsaved_ratio"] <= t["first_paint_ratio"])
        f["full_library_ms"] = cs["full_library_ms"]
        f["rss_mb"] = (cs["rss_mb"], cs["rss_mb"] <= t["rss_mb"])
    if ex:
        f["export_ms"] = ex["wall_ms"]
    if ip:
        for kind in SEARCH_KINDS:
            p = ip["search"][kind]["painted"]
            f[f"search_{kind}"] = ((p["p50_ms"], p["p95_ms"]), p["p95_ms"] is not None and p["p95_ms"] <= t["search_p95_ms"])
        p = ip["jk"]["painted"]
        f["jk"] = ((p["p50_ms"], p["p95_ms"]), p["p95_ms"] is not None and p["p95_ms"] <= t["jk_p95_ms"])
        p = ip["toggle"]["screen"]["painted"]
        f["toggle_screen"] = ((p["p50_ms"], p["p95_ms"]), p["p95_ms"] is not None and p["p95_ms"] <= t["toggle_screen_p95_ms"])
        p = ip["toggle"]["disk"]
        f["toggle_disk"] = ((p["p50_ms"], p["p95_ms"]), p["p95_ms"] is not None and p["p95_ms"] <= t["toggle_disk_p95_ms"])
        p = ip["unread_only"]["painted"]
        f["unread_only"] = ((p["p50_ms"], p["p95_ms"]), p["p95_ms"] is not None and p["p95_ms"] <= t["search_p95_ms"])
        if "view_switch" in ip:
            p = ip["view_switch"]["painted"]
            f["view_switch"] = ((p["p50_ms"], p["p95_ms"]), p["p95_ms"] is not None and p["p95_ms"] <= t["jk_p95_ms"])
        f["rss_inproc_mb"] = ip["process_peak_rss_mb"]  # reader + benchmark harness: no target
    return f


def _cell(value: Any) -> str:
    ok = None
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bool):
        value, ok = value
    if value is None:
        text = "-"
    elif isinstance(value, tuple):
        text = "/".join("-" if v is None else f"{v:.0f}" if v >= 10 else f"{v:.1f}" for v in value)
    elif isinstance(value, float):
        text = f"{value:.2f}" if value < 10 else f"{value:.0f}"
    else:
        text = str(value)
    return text + ("" if ok is None else " ok" if ok else " MISS")


def print_tables(results: dict[int, dict[str, Any]], out=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    t1 = [
        ("papers", None),
        ("first paint ms", "first_paint_ms"),
        ("bare ms", "bare_ms"),
        ("ratio", "first_paint_ratio"),
        ("ratio unsaved", "unsaved_ratio"),
        ("full list ms", "full_library_ms"),
        ("export json ms", "export_ms"),
        ("RSS MB (pty)", "rss_mb"),
        ("RSS MB (in-proc, +harness)", "rss_inproc_mb"),
    ]
    t2 = [
        ("papers", None),
        ("search word", "search_word"),
        ("search 2 words", "search_two_words"),
        ("author:", "search_author"),
        ("is:unread", "search_is_unread"),
        ("j/k", "jk"),
        ("r screen", "toggle_screen"),
        ("r disk", "toggle_disk"),
        ("u (extra)", "unread_only"),
        ("view switch", "view_switch"),
    ]
    t0 = [
        ("papers", None),
        ("bare ms", "us_bare_ms"),
        ("cached", "us_cached"),
        ("no cache", "us_no_cache"),
        ("after kill", "us_after_kill"),
        ("search 0.5s", "us_search_0.5"),
        ("1s", "us_search_1.0"),
        ("3s", "us_search_3.0"),
        ("idle", "us_search_idle"),
        ("session RSS MB", "us_rss"),
        ("fetch 50 ms", "us_fetch_ms"),
        ("fetch MB written", "us_fetch_mb"),
    ]
    base = TARGETS
    fp, ss = f"<={base['first_paint_ratio']}x", f"<={base['session_search_ms']:.0f}"
    target_rows = {
        0: ["target", "", fp, fp, fp, ss, ss, ss, ss, f"<={base['session_rss_mb']:.0f}", "", ""],
        1: [
            "target", "", "", f"<={base['first_paint_ratio']}x", f"(<={base['first_paint_ratio']}x)", "", "",
            f"<={base['rss_mb']:.0f}", "",
        ],
        2: [
            "target p95",
            f"<={base['search_p95_ms']:.0f}", f"<={base['search_p95_ms']:.0f}", f"<={base['search_p95_ms']:.0f}",
            f"<={base['search_p95_ms']:.0f}", f"<={base['jk_p95_ms']:.0f}", f"<={base['toggle_screen_p95_ms']:.0f}",
            f"<={base['toggle_disk_p95_ms']:.0f}", f"({base['search_p95_ms']:.0f})", f"<={base['jk_p95_ms']:.0f}",
        ],
    }
    tables = (("A user's session in a pty: first paint / bare, search ms until on screen, memory, fetch", t0),
              ("Cold start, export and memory (medians; RSS = peak)", t1), ("Key to repaint, ms p50/p95", t2))
    for n, (title, cols) in enumerate(tables):
        rows = [[c[0] for c in cols], target_rows[n]]
        if not any(figures(size, res).keys() & {c[1] for c in cols[1:]} for size, res in results.items()):
            continue
        for size, res in sorted(results.items()):
            f = figures(size, res)
            rows.append([f"{size:,}"] + [_cell(f.get(key)) for _, key in cols[1:]])
        widths = [max(len(r[i]) for r in rows) for i in range(len(cols))]
        print(f"\n{title}  (targets double at 100,000 papers)", file=out)
        for i, row in enumerate(rows):
            print("  ".join(cell.rjust(w) for cell, w in zip(row, widths)), file=out)
            if i == 1:
                print("  ".join("-" * w for w in widths), file=out)


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "textual": version("textual"),
        "rich": version("rich"),
        "tinydb": version("tinydb"),
        "platform": platform.platform(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


def git_info() -> dict[str, Any]:
    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""

    return {"commit": git("rev-parse", "HEAD"), "reader_changes": git("status", "--short", "reader")}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="paper-reader benchmark (see benchmarks/README.md)")
    p.add_argument("--sizes", default="10000,50000,100000", help="library sizes, comma-separated")
    p.add_argument("--runs", type=int, default=5, help="cold-start and export runs per size (median)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default=str(HERE / "results" / "latest.json"))
    p.add_argument("--cache-dir", help="where generated libraries are kept (default: $TMPDIR/paper-reader-bench)")
    p.add_argument("--search-reps", type=int, default=3, help="times each search query is typed")
    p.add_argument("--search-starts", type=int, default=3,
                   help="starts per moment of the session's searches (the slowest is reported)")
    p.add_argument("--jk-presses", type=int, default=200)
    p.add_argument("--toggles", type=int, default=20)
    p.add_argument(
        "--no-bytecode-cache", action="store_true",
        help="do not give the measured processes a bytecode cache (PYTHONPYCACHEPREFIX)",
    )
    p.add_argument(
        "--reader-ref", metavar="REF",
        help="measure reader/ as committed at this git ref (e.g. HEAD), not the live working tree",
    )
    p.add_argument(
        "--experiment", default="",
        help="in-process what-if monkeypatches (gc-freeze, status-no-layout); see inproc.py",
    )
    p.add_argument("--skip", default="", help="phases to skip: session,coldstart,export,inprocess")
    p.add_argument("--profile", default="", help="cProfile these in-process phases: load,search,jk,toggle,all")
    p.add_argument("--profile-dir", default=str(HERE / "results" / "profiles"))
    args = p.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    skip = set(filter(None, args.skip.split(",")))
    root = synth.cache_root(args.cache_dir)
    set_child_env(root, not args.no_bytecode_cache)
    work_root = Path(tempfile.mkdtemp(prefix="paper-reader-bench-work-"))
    reader_commit = snapshot_reader(args.reader_ref, work_root / "snapshot") if args.reader_ref else None
    started = datetime.now(timezone.utc)
    report: dict[str, Any] = {
        "timestamp": started.isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "git": git_info(),
        "config": {
            "sizes": sizes, "runs": args.runs, "seed": args.seed, "terminal": f"{COLS}x{ROWS}",
            "search_reps": args.search_reps, "search_starts": args.search_starts,
            "jk_presses": args.jk_presses, "toggles": args.toggles,
            "generator_version": synth.GEN_VERSION, "cache_dir": str(root),
            "bytecode_cache": CHILD_ENV.get("PYTHONPYCACHEPREFIX"),
            "experiment": args.experiment,
            "reader_ref": args.reader_ref,
            "reader_commit": reader_commit or "working tree (see git per size)",
        },
        "targets": {"base": TARGETS, "at_100000_and_above": targets_for(100_000)},
        "sizes": {},
    }
    results: dict[int, dict[str, Any]] = {}
    out_path = Path(args.out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if "inprocess" not in skip:
            log("bare Textual app: key-to-frame floor in-process")
            report["bare_inprocess"] = bare_inprocess(args, work_root)
        for size in sizes:
            log(f"== {size:,} papers")
            t = time.perf_counter()
            cached, meta = synth.ensure_library(size, args.seed, root, log=log)
            log(f"  library {cached} ({time.perf_counter() - t:.1f}s)")
            work = work_root / f"n{size}"
            data_dir = work / "data"

            def fresh_copy() -> Path:
                """A copy of the cached library for one part: the parts mark papers and the
                session fetches 50 more, which must not change what the next part measures."""
                shutil.rmtree(data_dir, ignore_errors=True)
                shutil.copytree(cached, data_dir)
                return data_dir

            res: dict[str, Any] = {"library": {k: v for k, v in meta.items() if k != "complete"}}
            res["load_average_before"] = os.getloadavg()
            res["git"] = git_info()  # others may commit to reader/ during a long run
            if "session" not in skip:
                log("  a user's session in a pty")
                res["user_session"] = user_session(size, fresh_copy(), meta, args.runs, args.search_starts)
            if "coldstart" not in skip:
                log(f"  cold start in a {COLS}x{ROWS} pty, {args.runs} runs (+1 warm-up)")
                res["cold_start"] = cold_start(size, fresh_copy(), meta, args.runs)
            if "export" not in skip:
                log("  export --format json")
                res["export"] = export(size, fresh_copy(), work, args.runs)
            if "inprocess" not in skip:
                log("  in-process: search, j/k, r, u")
                res["inprocess"] = inprocess(size, fresh_copy(), work, args)
            res["load_average_after"] = os.getloadavg()
            res["figures"] = figures(size, res)
            results[size] = res
            report["sizes"][str(size)] = res
            shutil.rmtree(work, ignore_errors=True)
            out_path.write_text(json.dumps(report, indent=2, default=list))  # partial results survive a crash
            print_tables({size: res}, out=sys.stderr)
    finally:
        shutil.rmtree(work_root, ignore_errors=True)
    report["duration_s"] = round((datetime.now(timezone.utc) - started).total_seconds(), 1)
    out_path.write_text(json.dumps(report, indent=2, default=list))
    print_tables(results)
    print(f"\nwritten {out_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
