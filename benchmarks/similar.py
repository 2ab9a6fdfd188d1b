"""More like this at scale: the likeness model's build, its answers, and its memory.

A library of N synthetic papers (``synth.generate``, the same generator as the other
benchmarks, fed as (key, title, abstract) without a Store) is learned into a fresh
``library.sqlite3``; then ``m`` is asked for papers spread over the library, both as the
model's answer alone and with the answer's keys found among the N papers in memory (what
the view does before it paints). Also timed: a second session's learning pass over the
unchanged library, 50 new papers joining, the "for you" order of the whole library for
20 bookmarks, and the peak RSS of this process (``VmHWM``) before and after the build.

Run: ``.venv/bin/python benchmarks/similar.py [--sizes 50000] [--queries 200]``. Target:
``m`` at 50,000 papers p95 ≤ 50 ms once built.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate  # noqa: E402

from reader.model import Paper  # noqa: E402
from reader.similar import Likeness, rank_by_liking, texts_of  # noqa: E402
from reader.screens.likeness_keeper import find_papers  # noqa: E402

TARGET_MS = 50.0


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(size: int, queries: int, seed: int) -> dict[str, object]:
    records, _ = generate(size, seed)
    papers = [Paper(**record) for record in records]
    del records
    rss_papers = peak_rss_mb()
    data_dir = Path(tempfile.mkdtemp(prefix="similar-bench-"))
    model = Likeness(data_dir)
    started = time.perf_counter()
    assert model.learn(texts_of(papers), complete=True)
    build_s = time.perf_counter() - started
    rss_built = peak_rss_mb()
    started = time.perf_counter()
    assert model.learn(texts_of(papers), complete=True)
    relearn_s = time.perf_counter() - started
    step = max(1, size // queries)
    asked = papers[::step][:queries]
    model.more_like(asked[0].key)  # the connection opened, the schema checked
    answer_ms: list[float] = []
    shown_ms: list[float] = []
    found_counts: list[int] = []
    for paper in asked:
        started = time.perf_counter()
        matches = model.more_like(paper.key, paper.title, paper.abstract)
        middle = time.perf_counter()
        found = find_papers([m.key for m in matches], [papers])
        ended = time.perf_counter()
        answer_ms.append((middle - started) * 1000)
        shown_ms.append((ended - started) * 1000)
        found_counts.append(len(found))
    new = [Paper(title=f"{p.title} revisited", abstract=p.abstract, arxiv_id=f"9{i:04d}.00001")
           for i, p in enumerate(papers[:50])]
    started = time.perf_counter()
    assert model.learn(texts_of(new), complete=False)
    join_s = time.perf_counter() - started
    liked = [p.key for p in papers[:: max(1, size // 20)][:20]]
    started = time.perf_counter()
    ranked = rank_by_liking(model, papers, liked)
    for_you_s = time.perf_counter() - started
    assert len(ranked) == len(papers)
    database = data_dir / "library.sqlite3"
    db_mb = sum(p.stat().st_size for p in data_dir.iterdir()) / 1e6
    model.close()
    return {
        "papers": size,
        "build_s": round(build_s, 2),
        "relearn_unchanged_s": round(relearn_s, 2),
        "join_50_s": round(join_s, 3),
        "m_answer_ms_median": round(statistics.median(answer_ms), 2),
        "m_answer_ms_p95": round(percentile(answer_ms, 0.95), 2),
        "m_with_papers_ms_median": round(statistics.median(shown_ms), 2),
        "m_with_papers_ms_p95": round(percentile(shown_ms, 0.95), 2),
        "m_answers_median": statistics.median(found_counts),
        "for_you_whole_library_s": round(for_you_s, 3),
        "peak_rss_mb_papers_in_memory": round(rss_papers, 1),
        "peak_rss_mb_after_build": round(rss_built, 1),
        "database_mb": round(db_mb, 1),
        "database": str(database),
        "target_met": percentile(shown_ms, 0.95) <= TARGET_MS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000", help="comma-separated library sizes")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",")):
        result = run(size, args.queries, args.seed)
        shutil.rmtree(Path(str(result.pop("database"))).parent, ignore_errors=True)
        print(json.dumps(result, indent=2), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
