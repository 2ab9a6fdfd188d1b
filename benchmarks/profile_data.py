"""The reader's data-side costs without the UI: what the handlers and the loader spend, and
where the memory goes.

    .venv/bin/python benchmarks/profile_data.py --size 50000 [--cprofile] [--memory]

On the cached synthetic library of that size (see synth.py; built if missing) it times,
each in isolation: ``Store.open``, ``Store.library()``, the search index as the reader
makes it (``index_cache.load_or_build``: built in its two parts, then read back),
``store.counts(papers)`` (what ``MainScreen._show_listing`` runs on the UI thread),
``store.mark_flags(papers)`` (what the index reads the marks with), and
``SearchIndex.filter`` for every prefix of the benchmark's queries, as the search bar
would call it. ``--cprofile`` prints
the top functions of each step; ``--memory`` runs the load under ``tracemalloc`` and
prints the allocation sites holding the most memory once the library and its index are
loaded, and the peak.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(label: str, fn, profile: bool, repeat: int = 1):  # type: ignore[no-untyped-def]
    prof = cProfile.Profile() if profile else None
    best = float("inf")
    result = None
    for _ in range(repeat):
        if prof:
            prof.enable()
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
        if prof:
            prof.disable()
    print(f"{best * 1000:10.1f} ms  {label}   (RSS {rss_mb():.0f} MB)")
    if prof:
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats("tottime").print_stats(12)
        print("\n".join("      " + line for line in out.getvalue().splitlines()[6:22]))
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=50000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cache-dir")
    p.add_argument("--cprofile", action="store_true")
    p.add_argument("--memory", action="store_true")
    args = p.parse_args()

    from reader.search.query import parse_query
    from reader.search import index_cache
    from reader.library.store import Store

    cached, meta = synth.ensure_library(args.size, args.seed, synth.cache_root(args.cache_dir))
    work = Path(tempfile.mkdtemp(prefix="paper-reader-profile-"))
    data = work / "data"
    shutil.copytree(cached, data)
    try:
        if args.memory:
            tracemalloc.start(1)
        print(f"{args.size} papers; RSS at start {rss_mb():.0f} MB")
        store = Store(data)
        timed("Store.open (state.json: marks)", store.open, args.cprofile)
        papers = timed("Store.library() (every shard: parse, Paper objects, clones)", store.library, args.cprofile)
        kept = work / "index"
        kept.mkdir()
        timed("index_cache.load_or_build: both parts built and kept", lambda: index_cache.load_or_build(kept, papers, store), args.cprofile)
        index = timed("index_cache.load_or_build: both parts read back", lambda: index_cache.load_or_build(kept, papers, store), args.cprofile)
        if args.memory:
            gc.collect()
            snap = tracemalloc.take_snapshot()
            current, peak = tracemalloc.get_traced_memory()
            print(f"\ntraced now {current / 2**20:.0f} MB, peak {peak / 2**20:.0f} MB; RSS {rss_mb():.0f} MB")
            for stat in snap.statistics("lineno")[:14]:
                frame = stat.traceback[0]
                print(f"  {stat.size / 2**20:8.1f} MB {stat.count:9d} blocks  {frame.filename.split('site-packages/')[-1]}:{frame.lineno}")
            tracemalloc.stop()
            print()
        timed("store.counts(papers)  [MainScreen._show_listing, UI thread]", lambda: store.counts(papers), args.cprofile, 3)
        timed("store.mark_flags(papers)  [the index's marks]", lambda: store.mark_flags(papers), args.cprofile, 3)
        keep = papers[len(papers) // 2]
        timed("papers.index(a paper mid-list)  [ReadingSession: the cursor kept on its paper]", lambda: papers.index(keep), args.cprofile, 3)
        t = time.perf_counter()
        gc.collect()
        print(f"{(time.perf_counter() - t) * 1000:10.1f} ms  gc.collect() (a full collection with all this loaded; {len(gc.get_objects())} tracked objects)")
        for query in (synth.QUERY_WORD, synth.QUERY_TWO_WORDS, f"author:{synth.QUERY_AUTHOR}", "is:unread"):
            times = []
            prof = cProfile.Profile() if args.cprofile else None
            for i in range(1, len(query) + 1):
                q = parse_query(query[:i])
                if prof:
                    prof.enable()
                t = time.perf_counter()
                if q.is_empty:
                    result = list(range(len(papers)))
                else:
                    result = index.filter(q)
                shown = [papers[j] for j in result]
                times.append((query[:i], (time.perf_counter() - t) * 1000, len(shown)))
                if prof:
                    prof.disable()
            worst = max(times, key=lambda x: x[1])
            print(
                f"{sum(x[1] for x in times) / len(times):10.1f} ms  mean filter per keystroke of {query!r} "
                f"(worst {worst[1]:.1f} ms at {worst[0]!r}, {worst[2]} shown)"
            )
            if prof:
                out = io.StringIO()
                pstats.Stats(prof, stream=out).strip_dirs().sort_stats("tottime").print_stats(8)
                print("\n".join("      " + line for line in out.getvalue().splitlines()[6:16]))
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
