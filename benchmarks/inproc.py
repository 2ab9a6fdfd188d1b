"""In-process key-to-frame latencies of the reader (or of the bare app), headless.

Run by ``run.py`` as a child process per library size, so its peak RSS is the reader's
alone and no Textual state leaks between sizes; it writes one JSON object to ``--out``.

How "the frame was painted" is detected
---------------------------------------
In Textual 8 a frame is produced by ``Screen._compositor_refresh`` (called from the screen's
update timer, ``Screen._on_timer_update``, which runs at most ``TEXTUAL_FPS`` times a
second and only after the screen went idle with dirty widgets): it calls
``Compositor.render_update`` - which calls ``render_lines`` of every dirty widget, i.e.
``PaperList.render_line`` for the list rows - and hands the result to
``App._display(screen, update)``, which turns it into escape sequences and writes them to
the driver. ``App._display`` is therefore the one place every painted frame passes through,
after all widget rendering for that frame is done; we wrap it (an instance attribute, which
``Screen`` looks up as ``app._display``) and timestamp each frame when it returns. Headless,
``App._display`` returns before encoding the frame, so the wrapper encodes it itself
(``CompositorUpdate.render_segments``): the timings include the cost a terminal run pays.

We do NOT use ``pilot.pause()``: it calls ``screen._on_timer_update()`` itself, forcing a
frame the real app would only paint on its timer. ``pilot.press`` only posts the key and
waits; the timestamps come from the frame hook, not from when ``press`` returns.

Which frame counts: each measured key has a *marker* (a wrapped method that makes the state
change: ``PaperList.set_papers`` for search keystrokes, ``PaperList.watch_cursor`` for j/k,
``PaperList.refresh_paper`` for r), and the list's ``render_lines`` and the header's
``render_lines`` are wrapped to flag which widgets a frame contains. "painted" is the first
frame after the marker that contains the list (and, for search and r, the header with the
counts); "first" is the first frame after the key whatever it holds; "settled" is the last
frame before the screen went quiet (e.g. after the abstract pane caught up).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import os
import pstats
import re
import resource
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

perf = time.perf_counter


def pct(values: list[float], q: float) -> float | None:
    """The ``q``-quantile (0..1) by linear interpolation between order statistics."""
    if not values:
        return None
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def summary(values_s: list[float]) -> dict[str, Any]:
    ms = [v * 1000 for v in values_s]
    return {
        "n": len(ms),
        "p50_ms": _r(pct(ms, 0.5)),
        "p95_ms": _r(pct(ms, 0.95)),
        "max_ms": _r(max(ms) if ms else None),
    }


def _ms(v: float | None) -> float | None:
    return None if v is None else v * 1000


def _r(v: float | None, nd: int = 2) -> float | None:
    return None if v is None else round(v, nd)


def _status_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def rss_now_kb() -> int | None:
    return _status_kb("VmRSS")


def peak_rss_mb() -> float | None:
    """This process's peak RSS: ``VmHWM``, not ``ru_maxrss``, which on Linux also counts
    the parent's RSS when this process was spawned (see ptyrun.vm_hwm_kb)."""
    hwm = _status_kb("VmHWM")
    if hwm is None:
        hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return _r(hwm / 1024, 1)


@dataclass
class Frame:
    t: float
    widgets: frozenset[str]


class Probe:
    """Timestamps of painted frames, which watched widgets each held, and marker calls.

    Also the cost of each screen update (``Screen._on_timer_update``: layout when needed,
    render of the dirty regions, display), patched on the class before any screen starts
    its timer, and whether it had to lay out the screen.
    """

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self._rendered: set[str] = set()
        self.markers: dict[str, list[float]] = {}
        self.updates: list[tuple[float, float, bool]] = []  # (start, end, layout)
        self.gcs: list[tuple[float, float, int]] = []  # (start, end, generation)
        self.frame_profiler: cProfile.Profile | None = None  # profiles screen updates only
        self._gc_start = 0.0

        def on_gc(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                self._gc_start = perf()
            else:
                self.gcs.append((self._gc_start, perf(), info.get("generation", -1)))

        gc.callbacks.append(on_gc)
        from textual.screen import Screen

        if not getattr(Screen, "_bench_patched", False):
            original = Screen._on_timer_update

            def _on_timer_update(screen: Any) -> None:
                probe = Screen._bench_probe
                layout = bool(screen._layout_required)
                prof = probe.frame_profiler
                start = perf()
                if prof is not None:
                    prof.enable()
                try:
                    original(screen)
                finally:
                    if prof is not None:
                        prof.disable()
                    probe.updates.append((start, perf(), layout))

            Screen._on_timer_update = _on_timer_update
            Screen._bench_patched = True
        Screen._bench_probe = self

    def install_display(self, app: Any) -> None:
        from textual._compositor import CompositorUpdate

        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            if app.is_headless and isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)  # what a terminal run would encode
            self.frames.append(Frame(perf(), frozenset(self._rendered)))
            self._rendered.clear()

        app._display = display

    def watch_widget(self, widget: Any, name: str) -> None:
        original = widget.render_lines

        def render_lines(crop: Any) -> Any:
            self._rendered.add(name)
            return original(crop)

        widget.render_lines = render_lines

    def marker(self, obj: Any, method: str, name: str) -> None:
        original = getattr(obj, method)
        times = self.markers.setdefault(name, [])

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                return original(*args, **kwargs)
            finally:
                times.append(perf())

        setattr(obj, method, wrapped)


class Settler:
    """Press a key and wait until its frames are painted and the screen is quiet."""

    def __init__(self, app: Any, pilot: Any, probe: Probe, quiet: float = 0.06) -> None:
        self.app = app
        self.pilot = pilot
        self.probe = probe
        self.quiet = quiet

    def _screen_busy(self) -> bool:
        screen = self.app.screen
        return bool(
            screen._dirty_widgets
            or screen._layout_required
            or screen._repaint_required
            or screen._scroll_required
        )

    async def press(
        self,
        key: str,
        marker: str | None,
        need: tuple[str, ...] = ("list",),
        timeout: float = 60.0,
    ) -> dict[str, float | None]:
        probe = self.probe
        n_frames = len(probe.frames)
        marks = probe.markers.get(marker, []) if marker else []
        n_marks = len(marks)
        t0 = perf()
        await self.pilot.press(key)
        while True:
            now = perf()
            frames = probe.frames[n_frames:]
            last = frames[-1].t if frames else t0
            marked = len(marks) > n_marks
            if marked or marker is None:
                if (
                    now - max(last, marks[-1] if marked else t0) >= self.quiet
                    and not self._screen_busy()
                ):
                    break
            if now - t0 > timeout:
                break
            if self.app._exception is not None or not self.app.is_running:
                raise RuntimeError(f"the app stopped while handling {key!r}: {self.app._exception!r}")
            await asyncio.sleep(0.002)
        frames = probe.frames[n_frames:]
        updates = [u for u in probe.updates if u[0] >= t0]
        gcs = [g for g in probe.gcs if g[0] >= t0]
        out: dict[str, float | None] = {
            "first": frames[0].t - t0 if frames else None,
            "settled": frames[-1].t - t0 if frames else None,
            "painted": None,
            "handled": (marks[n_marks] - t0) if len(marks) > n_marks else None,
            "frames": len(frames),
            "update_cost": max((u[1] - u[0] for u in updates), default=None),
            "layouts": sum(1 for u in updates if u[2]),
            "painted_update": None,  # cost of the screen update that painted the list
            "painted_layout": None,
            "gc": sum(g[1] - g[0] for g in gcs),
            "gc2": sum(1 for g in gcs if g[2] == 2),
        }
        if marker is None:
            out["painted"] = out["first"]
        elif len(marks) > n_marks:
            m = marks[n_marks]  # the first state change this key made
            done: list[float] = []
            for want in need:
                hit = next((f.t for f in frames if f.t > m and want in f.widgets), None)
                if hit is None and want != "list":
                    continue  # the header did not need repainting
                done.append(hit if hit is not None else float("nan"))
            if done and all(d == d for d in done):
                out["painted"] = max(done) - t0
                t_paint = max(done)
                for u in updates:
                    if u[0] <= t_paint <= u[1] + 1e-9:
                        out["painted_update"] = u[1] - u[0]
                        out["painted_layout"] = u[2]
        return out


def phase_summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """p50/p95 of every timing of a phase's key presses (seconds in, milliseconds out)."""

    def col(name: str) -> list[float]:
        return [r[name] for r in results if r.get(name) is not None and r[name] == r[name]]

    names = ("painted", "first", "settled", "handled", "update_cost", "painted_update", "gc")
    out = {name: summary(col(name)) for name in names}
    out["missing_painted"] = sum(1 for r in results if r.get("painted") is None)
    if results:
        out["painted_by_layout_frame"] = sum(1 for r in results if r.get("painted_layout"))
        out["gen2_collections"] = sum(r.get("gc2", 0) for r in results)
        out["frames_per_key"] = _r(sum(r["frames"] for r in results) / len(results))
        out["layouts_per_key"] = _r(sum(r["layouts"] for r in results) / len(results))
    return out


class DiskWatcher(threading.Thread):
    """Polls state.json (stat every 2 ms; reads it only when it changed) for a mark."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True, name="bench-disk-watcher")
        self.path = path
        self.done = threading.Event()
        self.found_at: float | None = None
        self._target: tuple[str, bool] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._fp: tuple[int, int, int] | None = None

    def expect(self, key: str, read: bool) -> None:
        with self._lock:
            self.done.clear()
            self.found_at = None
            self._fp = None
            self._target = (key, read)

    def stop(self) -> None:
        self._stop.set()

    def _read_flag(self, key: str) -> bool | None:
        raw = self.path.read_bytes()
        at = raw.find(b'{"key":' + json.dumps(key).encode())
        if at >= 0:
            end = raw.find(b"}", at)
            m = re.search(rb'"read":(true|false)', raw[at:end])
            if m:
                return m.group(1) == b"true"
        try:  # not in the compact layout this expects: parse it properly
            for doc in json.loads(raw).get("marks", {}).values():
                if doc.get("key") == key:
                    return bool(doc.get("read"))
        except ValueError:
            pass
        return None

    def run(self) -> None:
        while not self._stop.wait(0.002):
            with self._lock:
                target = self._target
            if target is None:
                continue
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                continue
            fp = (st.st_ino, st.st_size, st.st_mtime_ns)
            if fp == self._fp:
                continue
            self._fp = fp
            try:
                flag = self._read_flag(target[0])
            except OSError:
                continue
            if flag == target[1]:
                with self._lock:
                    if self._target == target:
                        self.found_at = perf()
                        self._target = None
                        self.done.set()


class Profiler:
    """cProfile around one phase, dumped to ``<dir>/<phase>.prof`` with a text summary.

    A phase named ``frames-<phase>`` profiles only the screen updates (layout, render,
    display) during ``<phase>``; a plain phase profiles the main thread throughout.
    """

    def __init__(self, directory: str | None, phases: set[str], probe: Probe) -> None:
        self.directory = Path(directory) if directory else None
        self.phases = phases
        self.probe = probe
        self.prof: cProfile.Profile | None = None
        self.frames: cProfile.Profile | None = None

    def start(self, phase: str) -> None:
        if not self.directory:
            return
        if phase in self.phases or "all" in self.phases:
            self.prof = cProfile.Profile()
            self.prof.enable()
        elif f"frames-{phase}" in self.phases:
            self.frames = self.probe.frame_profiler = cProfile.Profile()

    def stop(self, phase: str) -> None:
        if self.directory is None:
            return
        if self.prof is not None:
            self.prof.disable()
            self._dump(self.prof, phase)
            self.prof = None
        if self.frames is not None:
            self.probe.frame_profiler = None
            self._dump(self.frames, f"frames-{phase}")
            self.frames = None

    def _dump(self, prof: cProfile.Profile, name: str) -> None:
        assert self.directory is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        prof.dump_stats(self.directory / f"{name}.prof")
        with open(self.directory / f"{name}.txt", "w") as fh:
            stats = pstats.Stats(prof, stream=fh).strip_dirs()
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(40)


async def wait_until(pred: Callable[[], bool], timeout: float, step: float = 0.01) -> bool:
    end = perf() + timeout
    while not pred():
        if perf() > end:
            return False
        await asyncio.sleep(step)
    return True


def _keys(text: str) -> list[str]:
    return list(text)  # pilot.press maps " " to space and ":" to colon itself


EXPERIMENTS = {
    "gc-freeze": "gc.collect(); gc.freeze() once the library and its index are loaded, so the "
    "collector's full passes stop walking every paper",
    "search-sync": "the search bar filters the list while handling the key, before its own repaint "
    "(instead of via a Changed message the screen handles after the bar was painted); the reader "
    "does the equivalent itself since 99f65b9",
}


def apply_experiments_early(names: str) -> None:
    """Class-level what-if patches, made before the app exists (see apply_experiments)."""
    for name in filter(None, names.split(",")):
        if name not in EXPERIMENTS:
            raise SystemExit(f"unknown experiment {name!r}: {', '.join(EXPERIMENTS)}")
        if name == "search-sync":
            from types import SimpleNamespace

            from textual.widgets import Input

            from reader.screens.main import MainScreen
            from reader.widgets.search_bar import SearchBar

            def _watch_value(self: Any, value: str) -> None:
                Input._watch_value(self, value)  # posts Changed; dropped below
                screen = self.screen
                if isinstance(screen, MainScreen):
                    MainScreen._on_search_changed(screen, SimpleNamespace(value=value))

            def post_message(self: Any, message: Any) -> bool:
                if isinstance(message, Input.Changed):
                    return True  # already handled synchronously
                return Input.post_message(self, message)

            SearchBar._watch_value = _watch_value
            SearchBar.post_message = post_message


def apply_experiments(names: str, app: Any, screen: Any) -> None:
    """What-if changes made by monkeypatching this process only (never the files): they
    measure a proposed fix to the reader; results with any of them are not the reader's."""
    for name in filter(None, names.split(",")):
        if name == "gc-freeze":
            gc.collect()
            gc.freeze()


async def bench_reader(args: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).parent))
    from synth import QUERY_AUTHOR, QUERY_TWO_WORDS, QUERY_WORD

    from reader.cli import make_app
    from reader.screens.main import MainScreen
    from reader.widgets.status_line import StatusLine

    data_dir = Path(args.data_dir)
    expected = args.count
    import reader

    result: dict[str, Any] = {"count": expected, "experiments": args.experiment, "reader_file": reader.__file__}
    probe = Probe()
    profiler = Profiler(args.profile_dir, set(args.profile.split(",")) if args.profile else set(), probe)
    apply_experiments_early(args.experiment)
    t_start = perf()
    profiler.start("load")
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    probe.install_display(app)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(lambda: isinstance(app.screen, MainScreen), 30)
        screen = app.screen
        plist = screen.paper_list
        probe.watch_widget(plist, "list")
        probe.watch_widget(screen.query_one("#status", StatusLine), "status")
        probe.marker(plist, "set_papers", "set_papers")
        probe.marker(plist, "watch_cursor", "cursor")
        probe.marker(plist, "refresh_paper", "refresh_paper")
        await wait_until(lambda: len(plist.papers) > 0, 600)
        t_first = perf()
        ok = await wait_until(lambda: not screen.status.loading and len(screen.papers) == expected, 600)
        t_loaded = perf()
        if not ok:
            raise RuntimeError(f"library did not load: {len(screen.papers)} of {expected} papers")
        await app.workers.wait_for_complete()
        await wait_until(lambda: screen.index is not None or expected <= 2000, 600)
        t_index = perf()
        profiler.stop("load")
        apply_experiments(args.experiment, app, screen)
        gc.collect()
        await asyncio.sleep(0.3)
        result["load"] = {
            "first_list_s": _r(t_first - t_start, 3),
            "full_library_s": _r(t_loaded - t_start, 3),
            "index_ready_s": _r(t_index - t_start, 3),
            "rss_after_load_mb": _r((rss_now_kb() or 0) / 1024, 1),
            "peak_rss_after_load_mb": peak_rss_mb(),
        }
        settler = Settler(app, pilot, probe)
        screen.search_bar.cursor_blink = False  # a blinking cursor paints twice a second

        # --- search -------------------------------------------------------------------
        queries = {
            "word": QUERY_WORD,
            "two_words": QUERY_TWO_WORDS,
            "author": f"author:{QUERY_AUTHOR}",
            "is_unread": "is:unread",
        }
        search: dict[str, Any] = {}
        clears: list[dict[str, Any]] = []
        profiler.start("search")
        for kind, query in queries.items():
            presses: list[dict[str, Any]] = []
            per_key = []
            for rep in range(args.search_reps):
                await settler.press("slash", None)
                for ch in _keys(query):
                    r = await settler.press(ch, "set_papers", need=("list", "status"))
                    presses.append(r)
                    if rep == 0:
                        per_key.append([ch, len(plist.papers), _r(_ms(r["handled"]), 1), _r(_ms(r["painted"]), 1)])
                matches = len(plist.papers)
                clears.append(await settler.press("escape", "set_papers", need=("list", "status")))
            search[kind] = {
                "query": query,
                "matches": matches,
                "keystrokes": len(presses),
                **phase_summary(presses),
                "per_key_first_rep": per_key,
            }
        search["clear_escape"] = phase_summary(clears)
        profiler.stop("search")
        result["search"] = search

        # --- j / k --------------------------------------------------------------------
        plist.focus()
        await settler.press("g", "cursor")
        presses = []
        profiler.start("jk")
        half = args.jk_presses // 2
        for key in ["j"] * half + ["k"] * (args.jk_presses - half):
            presses.append(await settler.press(key, "cursor", need=("list",)))
        profiler.stop("jk")
        result["jk"] = phase_summary(presses)

        # --- r: on screen and on disk -------------------------------------------------
        watcher = DiskWatcher(data_dir / "state.json")
        watcher.start()
        presses, disk_t = [], []
        profiler.start("toggle")
        try:
            for _ in range(args.toggles):
                paper = plist.current
                want = not app.store.mark(paper).read
                watcher.expect(paper.key, want)
                t0 = perf()
                presses.append(await settler.press("r", "refresh_paper", need=("list", "status")))
                await asyncio.get_running_loop().run_in_executor(None, watcher.done.wait, 10)
                if watcher.found_at is not None:
                    disk_t.append(watcher.found_at - t0)
        finally:
            watcher.stop()
            profiler.stop("toggle")
        result["toggle"] = {"screen": phase_summary(presses), "disk": summary(disk_t), "toggles": args.toggles}

        # --- u: unread-only filter (an extra: a whole-list filter on one key) -----------
        presses = []
        for _ in range(args.u_presses):
            presses.append(await settler.press("u", "set_papers", need=("list", "status")))
        result["unread_only"] = phase_summary(presses)

        # --- 1 / 5: a switch between two loaded views (the library and the daily list) --
        await settler.press("1", None)  # the first visit loads in a worker
        await app.workers.wait_for_complete()
        await wait_until(lambda: not screen.status.loading, 600)
        presses = []
        for key in ["5", "1"] * max(1, args.view_switches // 2):
            presses.append(await settler.press(key, "set_papers", need=("list", "status")))
        result["view_switch"] = phase_summary(presses)

        result["rss_end_mb"] = _r((rss_now_kb() or 0) / 1024, 1)
        result["peak_rss_mb"] = peak_rss_mb()
        t_quit = perf()
        await pilot.press("q")
    result["quit_s"] = _r(perf() - t_quit, 3)
    result["frames_total"] = len(probe.frames)
    return result


async def bench_bare(args: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).parent))
    from bare_app import BareApp

    probe = Probe()
    app = BareApp()
    probe.install_display(app)
    probe.marker(app, "action_step", "step")
    async with app.run_test(size=(120, 40)) as pilot:
        probe.watch_widget(app.query_one("#text"), "list")
        await asyncio.sleep(0.3)
        settler = Settler(app, pilot, probe)
        presses = []
        for i in range(args.jk_presses):
            presses.append(await settler.press("j" if i % 2 == 0 else "k", "step"))
    return {"key_to_frame": phase_summary(presses), "peak_rss_mb": peak_rss_mb()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="in-process latency benchmark (run by run.py)")
    parser.add_argument("--data-dir")
    parser.add_argument("--count", type=int, default=0, help="papers in the library")
    parser.add_argument("--bare", action="store_true", help="measure the bare app's key-to-frame floor")
    parser.add_argument("--jk-presses", type=int, default=200)
    parser.add_argument("--toggles", type=int, default=20)
    parser.add_argument("--search-reps", type=int, default=3, help="times each query is typed")
    parser.add_argument("--u-presses", type=int, default=10)
    parser.add_argument("--view-switches", type=int, default=10, help="switches between two loaded views")
    parser.add_argument("--profile", default="", help="phases to cProfile: load,search,jk,toggle or all")
    parser.add_argument("--profile-dir")
    parser.add_argument(
        "--experiment", default="",
        help="what-if monkeypatches, comma-separated: " + "; ".join(f"{k}: {v}" for k, v in EXPERIMENTS.items()),
    )
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    coro = bench_bare(args) if args.bare else bench_reader(args)
    result = asyncio.run(coro)
    Path(args.out).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
