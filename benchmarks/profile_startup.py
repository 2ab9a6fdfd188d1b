"""Where the reader's cold start goes: a timeline of milestones, or a cProfile, up to the
first frame that shows the list - run in a real pty like the cold-start benchmark.

    .venv/bin/python benchmarks/profile_startup.py --data-dir DIR [--cprofile OUT.prof]

It starts the reader as ``paper-reader --offline --data-dir DIR`` does (``reader.cli.main``)
with a few class-level wrappers that note the time of each milestone, exits the app right
after the first frame that has list rows in it, and prints the timeline (ms since this
script started; add ~20 ms of interpreter start-up before that). With ``--full`` it runs
until the reader goes idle (whole library and search index loaded), then quits with ``q``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

T0 = time.perf_counter()
MARKS: list[tuple[str, float]] = []


def mark(name: str) -> None:
    MARKS.append((name, (time.perf_counter() - T0) * 1000))


def child(args: argparse.Namespace) -> None:
    """Runs inside the pty."""
    prof = None
    if args.cprofile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    import textual.app  # noqa: F401

    mark("import textual.app")
    import reader.cli as cli

    mark("import reader.cli")
    from textual.app import App

    from reader.app import PaperReaderApp  # noqa: F401
    from reader.library.store import Store
    from reader.screens.main import MainScreen

    mark("import reader.app (screens, widgets)")

    orig_open = Store.open

    def open_(self):  # type: ignore[no-untyped-def]
        mark("Store.open start")
        try:
            return orig_open(self)
        finally:
            mark("Store.open end")

    Store.open = open_

    orig_iter = Store.iter_library

    def iter_library(self):  # type: ignore[no-untyped-def]
        mark("worker: iter_library start")
        n = 0
        for batch in orig_iter(self):
            n += 1
            if n == 1:
                mark(f"worker: first shard read ({len(batch)} papers)")
            yield batch
        mark(f"worker: all {n} shards read")

    Store.iter_library = iter_library

    orig_mount = MainScreen.on_mount

    def on_mount(self):  # type: ignore[no-untyped-def]
        mark("MainScreen.on_mount")
        return orig_mount(self)

    MainScreen.on_mount = on_mount

    orig_show = MainScreen._show_listing

    def show(self, listing, partial):  # type: ignore[no-untyped-def]
        mark(f"_show_listing start ({len(listing.papers)} papers, partial={partial})")
        orig_show(self, listing, partial)
        mark("_show_listing end")

    MainScreen._show_listing = show

    from reader.search import index_cache

    orig_load_or_build = index_cache.load_or_build

    def load_or_build(data_dir, papers, *args, **kwargs):  # type: ignore[no-untyped-def]
        mark(f"search index start ({len(papers)} papers)")
        index = orig_load_or_build(data_dir, papers, *args, **kwargs)
        mark("search index ready")
        return index

    index_cache.load_or_build = load_or_build

    orig_display = App._display
    state = {"frames": 0, "done": False}

    def display(self, screen, renderable):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        orig_display(self, screen, renderable)
        if renderable is None:
            return
        state["frames"] += 1
        has_rows = isinstance(screen, MainScreen) and len(screen.paper_list.papers) > 0
        if state["frames"] == 1:
            mark("first frame written")
        if has_rows and not state["done"]:
            state["done"] = True
            mark(f"first frame with list rows written (display {1000 * (time.perf_counter() - start):.1f} ms)")
            if not args.full:
                self.exit()

    App._display = display

    orig_compositor_refresh = None
    try:
        from textual.screen import Screen

        orig_compositor_refresh = Screen._compositor_refresh

        def compositor_refresh(self):  # type: ignore[no-untyped-def]
            if state["frames"] < 4 or not state["done"]:
                t = time.perf_counter()
                orig_compositor_refresh(self)
                mark(f"  frame {state['frames']} ({type(self).__name__}) render+display {1000 * (time.perf_counter() - t):.1f} ms")
            else:
                orig_compositor_refresh(self)

        Screen._compositor_refresh = compositor_refresh
    except AttributeError:
        pass

    code = cli.main(["--offline", "--data-dir", args.data_dir])
    mark("app exited")
    if prof is not None:
        prof.disable()
        prof.dump_stats(args.cprofile)
    with open(args.timeline, "w") as fh:
        json.dump({"marks": MARKS, "exit": code}, fh)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", required=True)
    p.add_argument("--cprofile", help="write a cProfile of the whole start-up here")
    p.add_argument("--full", action="store_true", help="stop at the search index, not the first list frame")
    p.add_argument("--timeline", help=argparse.SUPPRESS)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args)
        return 0
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import tempfile

    import ptyrun

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        timeline = fh.name
    argv = [sys.executable, os.path.abspath(__file__), "--child", "--data-dir", args.data_dir, "--timeline", timeline]
    if args.cprofile:
        argv += ["--cprofile", os.path.abspath(args.cprofile)]
    if args.full:
        argv.append("--full")
    if args.full:  # quit once the reader has gone idle (library and index loaded)
        res = ptyrun.run(argv, [], wait_idle=True, timeout=600)
    else:  # the child exits by itself after the first list frame
        res = ptyrun.run(argv, [], timeout=0.0, quit_timeout=600, quit_key=b"")
    with open(timeline) as fh:
        data = json.load(fh)
    os.unlink(timeline)
    for name, ms in data["marks"]:
        print(f"{ms:9.1f} ms  {name}")
    print(f"exit {res.exit_code}, peak RSS {max(res.maxrss_kb or 0, res.wait4_maxrss_kb or 0) / 1024:.0f} MB (wait4: includes this script)")
    if args.cprofile:
        import pstats

        stats = pstats.Stats(args.cprofile).strip_dirs()
        stats.sort_stats("cumulative").print_stats(45)
    return 0


if __name__ == "__main__":
    sys.exit(main())
