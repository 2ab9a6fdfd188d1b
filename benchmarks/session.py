"""What a user lives through, measured from outside on the installed reader in a real pty.

- cold start with the first-screen cache, without it, and after a SIGKILL (a mark was
  changed, so the cache no longer matches the files), each right after a bare Textual app's;
- a search typed a key at a time 0.5 s, 1 s and 3 s after the first paint and once the
  reader is idle (everything loaded and indexed), a few starts each and the slowest
  reported, timed from its last key until the header shows its result (``<matches> of
  <papers> match``, for whichever list is shown);
- peak RSS over a whole session: start, load, index, 20 searches, scroll to the end, and
  the process's ``VmHWM`` read right before the quit key;
- a fetch of 50 new papers into the library from a local HTTP server answering as the
  Hugging Face API does: wall time and bytes written (``wchar`` of the process, and the
  size of every file it replaced in the data dir).

Run alone: ``.venv/bin/python benchmarks/session.py --data-dir DIR --meta META.json``.
"""

from __future__ import annotations

import argparse
import http.server
import json
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from terminal import Terminal

SEARCH_DELAYS = (0.5, 1.0, 3.0)
SESSION_SEARCHES = 20
SESSION_WORDS = ("diffusion", "reward sparse", "author:nakamura", "is:unread", "agent", "title:video")
FETCH_PAPERS = 50
FETCH_DAY = "2026-02-28"  # the day after the synthetic library's newest
FIRST_SCREEN_FILE = "first-screen.json"
ANY_RESULT = re.compile(r"\d+ of (?:newest )?\d+ match")


def _result_needle(meta: dict[str, Any]) -> re.Pattern[str]:
    """The header once the typed query's result is shown: its count over one of the lists
    the screen can show, or over the newest papers while the index is being built."""
    pairs = [f"{count} of {total} match" for total, count in meta["search_counts"].items()]
    return re.compile(r"(?<!\d)(?:" + "|".join(map(re.escape, pairs)) + r")|\d+ of newest \d+ match")


def _start(argv: list[str], env: dict[str, str], needle: str, timeout: float) -> tuple[Terminal, float]:
    term = Terminal(argv, env)
    painted = term.wait_for(needle, timeout)
    if painted is None:
        term.close()
        raise RuntimeError(f"no first paint of {needle!r}: {term.text[-300:]!r}")
    return term, painted


def _search(term: Terminal, query: str, needle: re.Pattern[str] | None, timeout: float) -> float | None:
    """Type ``/query``; seconds from its last key until ``needle`` (by default: any
    result) is on screen; None when it never came."""
    term.send("/")
    term.pump(0.08)
    last = term.type(query)
    mark = len(term.text)
    shown = term.wait_for(needle or ANY_RESULT, timeout, start=mark)
    return None if shown is None else shown - last


def cold_starts(argv: list[str], bare_argv: list[str], bare_needle: str, env: dict[str, str],
                data_dir: Path, meta: dict[str, Any], runs: int, timeout: float) -> dict[str, Any]:
    """Each reader start right after a bare app's start: a kind's ratio is the median of
    those pairs' ratios, so the VM's speed, which drifts by a fifth within minutes, moves
    both sides of every ratio alike."""
    needle = meta["newest_title"][:20]
    out: dict[str, list[float]] = {"cached": [], "no_cache": [], "after_kill": []}
    bares: dict[str, list[float]] = {kind: [] for kind in out}
    warm, _ = _start(argv, env, needle, timeout)  # fills the page cache; saves the first screen
    warm.wait_idle()
    warm.quit()

    def paired(kind: str) -> Terminal:
        bare, at = _start(bare_argv, env, bare_needle, 60)
        bare.quit()
        bares[kind].append(at)
        term, at = _start(argv, env, needle, timeout)
        out[kind].append(at)
        term.wait_idle()
        return term

    for _ in range(runs):
        paired("cached").quit()
        (data_dir / FIRST_SCREEN_FILE).unlink(missing_ok=True)
        paired("no_cache").quit()  # saves the first screen again
        term, _ = _start(argv, env, needle, timeout)
        term.pump(0.5)
        term.send("r")  # a mark changes: the saved first screen no longer matches
        term.pump(1.0)
        term.kill()
        paired("after_kill").quit()
    every_bare = [at for kind in bares for at in bares[kind]]
    result: dict[str, Any] = {"bare_ms": round(statistics.median(every_bare) * 1000, 1),
                              "runs": {**out, "bare": bares}}
    for kind in out:
        result[f"{kind}_ms"] = round(statistics.median(out[kind]) * 1000, 1)
        result[f"{kind}_ratio"] = round(statistics.median(r / b for r, b in zip(out[kind], bares[kind])), 2)
    return result


def early_searches(argv: list[str], env: dict[str, str], meta: dict[str, Any], timeout: float,
                   starts: int) -> dict[str, Any]:
    """``starts`` starts per moment: the search typed that long after the first paint, or
    (``idle``) once the reader has loaded and indexed everything. A moment's figure is the
    slowest of its starts (the target holds for a search typed at any moment), every
    start's in ``at_<moment>_all``."""
    needle = _result_needle(meta)
    out: dict[str, Any] = {"query": meta["search_query"]}
    for delay in (*SEARCH_DELAYS, "idle"):
        took_ms: list[float | None] = []
        for _ in range(starts):
            term, painted = _start(argv, env, meta["newest_title"][:20], timeout)
            if delay == "idle":
                term.wait_idle()
            else:
                term.pump(max(0.0, painted + float(delay) - term.now()))
            took = _search(term, meta["search_query"], needle, timeout)
            took_ms.append(None if took is None else round(took * 1000, 1))
            term.send("\x1b")  # out of the search bar (with "q" in one write it would be alt+q)
            term.pump(0.2)
            term.quit()
        out[f"at_{delay}"] = None if None in took_ms else max(took_ms)  # type: ignore[type-var]
        out[f"at_{delay}_all"] = took_ms
    return out


def whole_session(argv: list[str], env: dict[str, str], meta: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Start, load, index, 20 searches, scroll to the end; the peak RSS right before quitting."""
    size = meta["count"]
    term, painted = _start(argv, env, meta["newest_title"][:20], timeout)
    loaded = term.wait_for(f" {size} papers", timeout)
    idle = term.wait_idle(timeout=timeout)
    for i in range(SESSION_SEARCHES):
        _search(term, SESSION_WORDS[i % len(SESSION_WORDS)], None, timeout)
        mark = len(term.text)
        term.send("\x1b")  # clears the search
        term.wait_for(f" {size} papers", timeout, start=mark)
    term.send("G")
    term.wait_idle(0.3, 10)
    rss = term.peak_rss_mb()
    code = term.quit()
    return {"first_paint_ms": round(painted * 1000, 1), "loaded_s": loaded and round(loaded, 2),
            "idle_s": round(idle, 2), "peak_rss_mb": rss and round(rss, 1), "exit_code": code}


def _api_items(count: int) -> list[dict[str, Any]]:
    items = []
    for i in range(count):
        arxiv = f"2602.{90000 + i:05d}"
        paper = {
            "id": arxiv, "title": f"Fetched paper {i} on sparse attention for long video",
            "summary": "We study the fetch of a day's papers into a big library. " * 20,
            "authors": [{"_id": f"a{i}{k}", "name": f"Fetch Author {i}-{k}", "hidden": False} for k in range(6)],
            "publishedAt": f"{FETCH_DAY}T10:00:00.000Z", "submittedOnDailyAt": f"{FETCH_DAY}T12:00:00.000Z",
            "upvotes": i, "githubRepo": f"https://github.com/fetch/p{i}" if i % 3 == 0 else None,
        }
        items.append({"paper": paper, "title": paper["title"], "summary": paper["summary"],
                      "publishedAt": paper["publishedAt"], "numComments": 0})
    return items


class _Api(http.server.BaseHTTPRequestHandler):
    body = b"[]"

    def do_GET(self) -> None:  # noqa: N802
        first = "p=0" in self.path or "p=" not in self.path
        payload = self.body if self.path.startswith("/api/daily_papers") and first else b"[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


def fetch(reader: str, env: dict[str, str], data_dir: Path, timeout: float) -> dict[str, Any]:
    """``paper-reader export --date`` of a day of 50 new papers served on 127.0.0.1."""
    _Api.body = json.dumps(_api_items(FETCH_PAPERS)).encode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    before = {p: p.stat().st_mtime_ns for p in data_dir.rglob("*") if p.is_file()}
    child_env = dict(env, PAPER_READER_BASE_URL=f"http://127.0.0.1:{server.server_address[1]}")
    argv = [reader, "export", "--data-dir", str(data_dir), "--date", FETCH_DAY, "--format", "json", "-o", "/dev/null"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=child_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wchar = 0
    while proc.poll() is None:
        try:
            for line in Path(f"/proc/{proc.pid}/io").read_text().splitlines():
                if line.startswith("wchar:"):
                    wchar = int(line.split()[1])
        except OSError:
            pass
        time.sleep(0.005)
        if time.perf_counter() - t0 > timeout:
            proc.kill()
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    server.shutdown()
    if proc.returncode != 0:
        raise RuntimeError(f"fetch failed ({proc.returncode}): {err[-500:]}")
    changed = [p for p in data_dir.rglob("*") if p.is_file() and before.get(p) != p.stat().st_mtime_ns]
    return {"wall_ms": round(wall * 1000, 1), "wchar_mb": round(wchar / 1e6, 2),
            "files_rewritten": sorted(str(p.relative_to(data_dir)) for p in changed),
            "bytes_rewritten_mb": round(sum(p.stat().st_size for p in changed) / 1e6, 2)}


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--meta", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    import os
    from bare_app import READY_TEXT

    meta = json.loads(args.meta.read_text())
    reader = str(Path(sys.executable).parent / "paper-reader")
    env = dict(os.environ)
    timeout = 60 + meta["count"] / 500
    reader_argv = [reader, "--offline", "--data-dir", str(args.data_dir)]
    out = {
        "cold_start": cold_starts(reader_argv, [sys.executable, str(here / "bare_app.py")], READY_TEXT, env,
                                  args.data_dir, meta, args.runs, timeout),
        "search": early_searches(reader_argv, env, meta, timeout, args.runs),
        "session": whole_session(reader_argv, env, meta, timeout),
        "fetch": fetch(reader, env, args.data_dir, timeout),
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
