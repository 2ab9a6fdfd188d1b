"""Synthetic libraries for the benchmark, built with the real ``Store`` API and cached.

A library of N papers is a pure function of (N, seed, GEN_VERSION): titles ~80 characters,
abstracts ~1,200 characters of word-like text drawn from a Zipf-weighted vocabulary (common
function and ML words first, a long tail of rarer made-up words so searches have selective
and common terms), 3-20 authors from a pool of about three distinct names per paper (as in
a real library: most names occur once, a few prolific ones often), a third with GitHub
code links, arXiv-like ids, publication dates over ~3 years (more papers recently) and
upvotes; a fifth of the papers carry a read and/or bookmark mark. The library is saved as
a user's would be: saved lists of days, weeks, months, searches and a few imports of
10,000 papers each.

The data dir is built once per key into ``<cache>/lib-n<N>-s<seed>-g<GEN_VERSION>/data``
and reused; ``meta.json`` next to it says what was built (count, newest title, the query
words' document frequencies). A half-built dir is never reused: it is built under a
temporary name and renamed when complete.

Run alone: ``.venv/bin/python benchmarks/synth.py --sizes 1000 [--seed 1] [--cache-dir D]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

GEN_VERSION = 3
"""Bump when the generator changes: cached libraries of another version are not reused."""

END_DATE = date(2026, 2, 27)
SPAN_DAYS = 3 * 365
MARKED_FRACTION = 0.2
BATCH = 5000  # papers per add_papers call (a batch never spans two months)
AUTHORS_PER_PAPER = 3  # distinct author names in the library per paper
IMPORT_SIZE = 10_000  # papers in each large import saved as a list
MAX_IMPORTS = 5

# The words the in-process search benchmark types (see inproc.py). Their document
# frequencies are recorded in meta.json; with the default vocabulary they are about:
#   "diffusion" ~13% of papers; "reward" ~11% and "sparse" ~13%, both ~1.5%; "nakamura" in
#   the authors of ~4.5%.
QUERY_WORD = "diffusion"
QUERY_TWO_WORDS = "reward sparse"
QUERY_AUTHOR = "nakamura"
QUERY_SEARCH = "pruning"  # typed in the session benchmark when no better word is found
SEARCH_LIST_WORDS = ("alignment", "diffusion", "agent", "robot", "quantization", "reward", "video", "proof")
LIST_DAYS, LIST_WEEKS, LIST_MONTHS = 60, 12, 12
FIRST_SCREEN_ROWS = 200  # reader/library/first_screen.py

FUNCTION_WORDS = (
    "the of and to a in we that for is on with by our this as from are which an be can "
    "show it at these their its than both while such into using through between over "
    "not only also more however based"
).split()

CONTENT_WORDS = (
    "model models language learning training data performance large method task tasks "
    "results approach framework propose reasoning generation benchmark existing new "
    "evaluation inference visual multimodal text image video agent agents transformer "
    "attention tokens token fine-tuning pretraining dataset datasets experiments accuracy "
    "efficient efficiency scaling parameters alignment instruction policy reinforcement "
    "optimization gradient loss objective representation representations embedding "
    "retrieval context long-context memory generalization robustness evaluation human "
    "preference feedback quality state-of-the-art baseline baselines significantly "
    "improves outperforms achieves demonstrate extensive analysis open-source code "
    "released compute latency throughput speech audio 3d scene reconstruction rendering "
    "segmentation detection recognition captioning grounding planning tool search web "
    "mathematical math problem solving chain-of-thought verification self-improvement "
    "synthetic distillation teacher student small mixture experts routing sparse dense "
    "quantization pruning compression kernel hardware gpu memory-efficient parallel "
    "diffusion denoising sampling score flow matching autoregressive decoder encoder "
    "vision-language spatial temporal physical world simulation robot manipulation "
    "navigation control reward safety jailbreak harmful bias fairness privacy "
    "watermark detection hallucination factuality calibration uncertainty interpretability "
    "mechanistic circuits probing neurons layers depth width curriculum data-efficient "
    "low-resource multilingual translation code-generation software repository program "
    "theorem proof formal medical clinical biology protein molecule chemistry materials "
    "weather climate graph node edge knowledge question answering summarization dialogue "
    "conversation user personalization recommendation ranking evaluation-suite leaderboard"
).split()

FIRST_NAMES = (
    "Wei Yu Jing Li Xin Hao Yang Chen Ming Lei Jun Hui Ying Fang Tao Bo Kai Lin Rui Qi "
    "Hiroshi Yuki Takumi Sakura Kenji Aiko Min-jun Ji-woo Seo-yeon Arjun Priya Rahul Ananya "
    "Vikram Neha Aditya Sanjay Deepa Omar Fatima Ahmed Layla Yusuf Amir Sara Noah Emma Liam "
    "Olivia Lucas Mia Ethan Sophia Mason Ava James Isabella Benjamin Charlotte Elijah Amelia "
    "Daniel Harper Matthew Evelyn David Abigail Joseph Emily Samuel Elizabeth Henry Sofia "
    "Alexander Camila Sebastian Luna Jack Chloe Owen Grace Marco Giulia Luca Francesca "
    "Matteo Chiara Pierre Camille Antoine Julie Hugo Léa Jonas Lena Felix Anna Maximilian "
    "Laura Pablo Lucía Diego María Javier Carmen Ivan Olga Dmitri Natalia Sergei Elena "
    "Mateus Beatriz Thiago Gabriela Kwame Ama Chidi Ngozi Tariq Zainab Emre Elif Mehmet Zeynep"
).split()

SURNAMES = (
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo "
    "Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan Pan Jiang "
    "Cai Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Nakamura Tanaka Suzuki Takahashi "
    "Watanabe Ito Yamamoto Kobayashi Kato Yoshida Kim Lee Park Choi Jung Kang Cho Yoon "
    "Sharma Gupta Singh Kumar Patel Reddy Iyer Nair Das Mehta Rao Khan Ali Hassan Hussein "
    "Rahman Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez "
    "Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Thompson "
    "White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker "
    "Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Rossi Russo "
    "Ferrari Esposito Bianchi Romano Colombo Ricci Dubois Durand Lefebvre Moreau Laurent "
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Ivanov "
    "Smirnov Kuznetsov Popov Petrov Silva Santos Oliveira Souza Pereira Costa Okafor "
    "Mensah Adeyemi Yilmaz Kaya Demir Nguyen Tran Pham Hoang Cohen Levi Friedman Novak"
).split()

ORGS = (
    "Google DeepMind|Meta AI|Microsoft Research|OpenAI|Anthropic|NVIDIA|Alibaba Group|"
    "Tencent|ByteDance Seed|Baidu|Shanghai AI Laboratory|Tsinghua University|Peking University|"
    "Stanford University|MIT|Carnegie Mellon University|UC Berkeley|University of Oxford|"
    "ETH Zurich|EPFL|Mila|Allen Institute for AI|Hugging Face|Apple|Amazon|Samsung|"
    "KAIST|Seoul National University|University of Tokyo|National University of Singapore|"
    "Zhejiang University|Fudan University|Max Planck Institute|INRIA|University of Toronto"
).split("|")

_SYLLABLES = (
    "ka ri to mo na se lu vi ra en ol ix um ar pe do qua zen tri fo ga bel cor dra ny "
    "sol mir tek val xo zu ph th st gr ul on ex im ber lin tas dor mek rav sul"
).split()


class Corpus:
    """The vocabulary and author pool, with cumulative weights for ``random.choices``."""

    def __init__(self, rng: random.Random, n: int) -> None:
        made_up: list[str] = []
        seen = set(FUNCTION_WORDS) | set(CONTENT_WORDS)
        while len(made_up) < 12000:
            word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
            if word not in seen and len(word) >= 4:
                seen.add(word)
                made_up.append(word)
        # Function words take ~40% of the text (as in real abstracts); the rest follows a
        # Zipf law over the ML words then the made-up tail, so a word's rank sets how many
        # papers contain it.
        self.words = FUNCTION_WORDS + CONTENT_WORDS + made_up
        nf = len(FUNCTION_WORDS)
        func_w = [0.40 * (1 / (r + 2)) for r in range(nf)]
        func_total = sum(func_w)
        func_w = [w * 0.40 / func_total for w in func_w]
        content = [1 / (r + 8) ** 1.02 for r in range(len(self.words) - nf)]
        total = sum(content)
        content = [w * 0.60 / total for w in content]
        self.cum = list(itertools.accumulate(func_w + content))
        self.content_words = CONTENT_WORDS + made_up
        self.content_cum = list(itertools.accumulate(content))
        # Author pool: about three distinct names per paper (Zipf: prolific authors first).
        want = max(9000, AUTHORS_PER_PAPER * n)
        pool = {f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(9000)}
        while len(pool) < want:
            surname = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            pool.add(f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES + [surname] * 4)}-{surname}"
                     if rng.random() < 0.1 else f"{rng.choice(FIRST_NAMES)} {surname}")
        self.authors = sorted(pool)
        rng.shuffle(self.authors)
        self.author_cum = list(itertools.accumulate(1 / (r + 20) ** 0.35 for r in range(len(self.authors))))
        self.handles = [
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(3000)
        ]

    def text(self, rng: random.Random, chars: int) -> str:
        """Sentences of 10-30 words until about ``chars`` characters."""
        words = rng.choices(self.words, cum_weights=self.cum, k=chars // 6 + 8)
        out: list[str] = []
        length = 0
        i = 0
        while length < chars and i < len(words):
            n = rng.randint(10, 30)
            sentence = words[i : i + n]
            i += n
            if not sentence:
                break
            sentence[0] = sentence[0].capitalize()
            s = " ".join(sentence) + "."
            out.append(s)
            length += len(s) + 1
        return " ".join(out)

    def title(self, rng: random.Random, chars: int) -> str:
        words = rng.choices(self.content_words, cum_weights=self.content_cum, k=chars // 5 + 4)
        out: list[str] = []
        length = 0
        for i, w in enumerate(words):
            if length >= chars:
                break
            if i == 2 and rng.random() < 0.35:
                out[-1] += ":"
            elif i > 2 and rng.random() < 0.12:
                out.append(rng.choice(("for", "with", "via", "of", "in")))
            out.append(w.capitalize() if not w[:1].isupper() else w)
            length += len(w) + 1
        return " ".join(out)


def _dates(rng: random.Random, n: int) -> list[date]:
    """``n`` publication days over SPAN_DAYS before END_DATE, density growing linearly."""
    start = END_DATE - timedelta(days=SPAN_DAYS)
    # inverse CDF of a density proportional to (1 + 2t) on [0, 1]
    out = []
    for _ in range(n):
        u = rng.random()
        t = (-1 + (1 + 8 * u) ** 0.5) / 2
        out.append(start + timedelta(days=min(SPAN_DAYS, int(t * SPAN_DAYS))))
    return out


def generate(n: int, seed: int) -> tuple[list[dict], Corpus]:
    """Paper records (``Paper`` field dicts), oldest first."""
    rng = random.Random(seed)
    corpus = Corpus(rng, n)
    days = sorted(_dates(rng, n))
    seq_in_month: dict[tuple[int, int], int] = {}
    records = []
    for day in days:
        ym = (day.year, day.month)
        seq = seq_in_month[ym] = seq_in_month.get(ym, 0) + rng.randint(1, 4)
        arxiv_id = f"{day.year % 100:02d}{day.month:02d}.{seq:05d}"
        n_authors = min(20, max(3, int(rng.lognormvariate(1.8, 0.55))))
        authors = list(dict.fromkeys(rng.choices(corpus.authors, cum_weights=corpus.author_cum, k=n_authors)))
        has_code = rng.random() < 1 / 3
        org = rng.choice(ORGS) if rng.random() < 0.45 else None
        handle = rng.choice(corpus.handles)
        title = corpus.title(rng, max(30, min(160, int(rng.gauss(80, 18)))))
        slug = "-".join(title.lower().replace(":", "").split()[:3])
        records.append(
            {
                "title": title,
                "abstract": corpus.text(rng, max(400, min(2200, int(rng.gauss(1200, 260))))),
                "arxiv_id": arxiv_id,
                "authors": authors,
                "author_count": len(authors),
                "organization": org,
                "published": day.isoformat(),
                "submitted": (day + timedelta(days=rng.randint(0, 3))).isoformat(),
                "upvotes": int(rng.paretovariate(1.3)) - 1 + rng.randint(0, 5),
                "comments": rng.randint(0, 3) if rng.random() < 0.3 else None,
                "code_url": f"https://github.com/{handle}/{slug}" if has_code else None,
                "project_url": f"https://{handle}.github.io/{slug}/" if rng.random() < 0.1 else None,
                "github_stars": int(rng.paretovariate(1.1) * 10) if has_code else None,
            }
        )
    return records, corpus


def _doc_freq(records: list[dict], needle: str, field: str | None = None) -> float:
    if not records:
        return 0.0
    if field == "author":
        hits = sum(1 for r in records if needle in "\n".join(r["authors"]).lower())
    else:
        hits = sum(1 for r in records if needle in f"{r['title']}\n{r['abstract']}".lower())
    return hits / len(records)


def cache_root(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    return Path(tempfile.gettempdir()) / "paper-reader-bench"


def library_dir(root: Path, n: int, seed: int) -> Path:
    return root / f"lib-n{n}-s{seed}-g{GEN_VERSION}"


def ensure_library(n: int, seed: int, root: Path, log=print) -> tuple[Path, dict]:  # type: ignore[no-untyped-def]
    """The cached data dir for (n, seed), built first if missing; returns (data_dir, meta)."""
    target = library_dir(root, n, seed)
    meta_path = target / "meta.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("complete") and meta.get("count") == n:
            return target / "data", meta
    root.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target)
    building = Path(tempfile.mkdtemp(prefix=f".building-n{n}-", dir=root))
    try:
        meta = build(n, seed, building / "data", log)
        (building / "meta.json").write_text(json.dumps(meta, indent=2))
        os.replace(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return target / "data", meta


def build(n: int, seed: int, data_dir: Path, log=print) -> dict:  # type: ignore[no-untyped-def]
    """Generate and store a library of ``n`` papers with the real ``Store`` API."""
    from reader.model.paper import Paper
    from reader.library.store import Store

    t0 = time.perf_counter()
    records, _corpus = generate(n, seed)
    t_gen = time.perf_counter() - t0
    papers = [Paper(**r) for r in records]
    store = Store(data_dir)
    store.open()
    t1 = time.perf_counter()
    try:
        # Batches of one month at most, newest first, each one transaction.
        by_month: dict[str, list[Paper]] = {}
        for p in papers:
            by_month.setdefault(p.published[:7], []).append(p)
        for month in sorted(by_month, reverse=True):
            chunk = by_month[month]
            for i in range(0, len(chunk), BATCH):
                store.add_papers(chunk[i : i + BATCH])
        t2 = time.perf_counter()
        lists = save_lists(store, papers, random.Random(seed + 2))
        t_lists = time.perf_counter() - t2
        rng = random.Random(seed + 1)
        marked = rng.sample(range(n), int(n * MARKED_FRACTION))
        reads = bookmarks = 0
        for i in marked:
            kind = rng.random()
            if kind < 0.85:
                store.set_read(papers[i], True)
                reads += 1
            if kind >= 0.60:
                store.set_bookmarked(papers[i], True)
                bookmarks += 1
        store.flush()
    finally:
        store.close()
    t3 = time.perf_counter()
    # The list paints newest first: by published date, then title (Store.iter_library's order).
    newest = min(records, key=lambda r: (tuple(-int(x) for x in r["published"].split("-")), r["title"]))
    # Check against the real store order (only the newest shard is read).
    check = Store(data_dir)
    check.open()
    try:
        first = next(iter(check.iter_library()))[0]
    finally:
        check.close()
    if first.title != newest["title"]:
        raise RuntimeError(f"newest paper mismatch: {first.title!r} != {newest['title']!r}")
    sample = records[:: max(1, n // 5000)]
    ordered = sorted(records, key=lambda r: r["title"])
    ordered.sort(key=lambda r: r["published"], reverse=True)
    newest_month = [r for r in ordered if r["published"][:7] == ordered[0]["published"][:7]]
    query = _search_word(records, _corpus)
    hits = lambda rs, word=query: sum(1 for r in rs if word in _text(r))  # noqa: E731
    size = sum(f.stat().st_size for f in data_dir.rglob("*") if f.is_file())
    meta = {
        "complete": True,
        "count": n,
        "seed": seed,
        "gen_version": GEN_VERSION,
        "newest_title": newest["title"],
        "newest_key": f"arxiv:{newest['arxiv_id']}",
        "marked": len(marked),
        "read": reads,
        "bookmarked": bookmarks,
        "unread": n - reads,
        "months": len({r["published"][:7] for r in records}),
        "bytes_on_disk": size,
        "avg_title_chars": round(sum(len(r["title"]) for r in records) / n, 1),
        "avg_abstract_chars": round(sum(len(r["abstract"]) for r in records) / n, 1),
        "avg_authors": round(sum(len(r["authors"]) for r in records) / n, 2),
        "with_code": sum(1 for r in records if r["code_url"]),
        "doc_freq_sampled": {
            QUERY_WORD: round(_doc_freq(sample, QUERY_WORD), 4),
            **{w: round(_doc_freq(sample, w), 4) for w in QUERY_TWO_WORDS.split()},
            QUERY_TWO_WORDS: round(
                sum(1 for r in sample if all(w in f"{r['title']}\n{r['abstract']}".lower() for w in QUERY_TWO_WORDS.split()))
                / len(sample),
                4,
            ),
            f"author:{QUERY_AUTHOR}": round(_doc_freq(sample, QUERY_AUTHOR, "author"), 4),
        },
        "distinct_authors_per_paper": round(len({a for r in records for a in r["authors"]}) / n, 2),
        "saved_lists": lists,
        "search_query": query,
        # "<matches> of <list size> match" in the header, for each list the screen can show
        "search_counts": {
            str(len(ordered)): hits(ordered),
            str(len(newest_month)): hits(newest_month),
            str(min(FIRST_SCREEN_ROWS, n)): hits(ordered[:FIRST_SCREEN_ROWS]),
        },
        "build_seconds": {
            "generate": round(t_gen, 2), "add_papers": round(t2 - t1, 2), "saved_lists": round(t_lists, 2),
            "marks": round(t3 - t2 - t_lists, 2),
        },
    }
    log(
        f"  built {n} papers in {t3 - t0:.1f}s (generate {t_gen:.1f}s, add_papers {t2 - t1:.1f}s, "
        f"marks {t3 - t2:.1f}s), {size / 1e6:.0f} MB on disk"
    )
    return meta


def _search_word(records: list[dict], corpus: Corpus) -> str:
    """A seven-letter word in 0.3-3% of the papers whose first six letters are in more of
    them: typed a key at a time, its last key changes the header's count, so the result
    on screen is told from the one before it."""
    sample = [_text(r) for r in records[:: max(1, len(records) // 3000)]]
    for word in corpus.words[len(FUNCTION_WORDS) + len(CONTENT_WORDS):]:
        if len(word) != 7 or not word.isalpha():
            continue
        count = sum(word in t for t in sample)
        if 0.003 <= count / len(sample) <= 0.03:
            full, prefix = sum(word in _text(r) for r in records), sum(word[:6] in _text(r) for r in records)
            if prefix > full:
                return word
    return QUERY_SEARCH


def _text(record: dict) -> str:
    """What a word is searched in (``reader.search.field_text`` of the whole paper)."""
    return "\x00".join((record["title"].lower(), "\n".join(record["authors"]).lower(), record["abstract"].lower()))


def save_lists(store, papers: list, rng: random.Random) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Save the lists a user would have: the newest days, weeks and months, searches and
    a few large imports. Returns how many lists of each kind."""
    by_day: dict[str, list] = {}
    for paper in papers:
        by_day.setdefault(paper.published, []).append(paper)
    days = sorted(by_day, reverse=True)
    lists: dict[str, list] = {}
    for day in days[:LIST_DAYS]:
        lists[f"day:{day}"] = by_day[day]
    weeks: dict[str, list] = {}
    months: dict[str, list] = {}
    for day in days:
        year, week, _ = date.fromisoformat(day).isocalendar()
        weeks.setdefault(f"week:{year}-W{week:02d}", []).extend(by_day[day])
        months.setdefault(f"month:{day[:7]}", []).extend(by_day[day])
    lists.update(dict(list(weeks.items())[:LIST_WEEKS]))
    lists.update(dict(list(months.items())[:LIST_MONTHS]))
    searches = 0
    for word in SEARCH_LIST_WORDS:
        found = [p for p in papers if word in p.title.lower() or word in p.abstract.lower()][-100:]
        lists[f"search:{word}"] = found
        searches += 1
    imports = min(MAX_IMPORTS, len(papers) // IMPORT_SIZE)
    for k in range(imports):
        lists[f"file:import-{k + 1}.json"] = rng.sample(papers, IMPORT_SIZE)
    for name, chunk in lists.items():
        store.add_papers(chunk, listing=name)
    return {"days": min(LIST_DAYS, len(days)), "weeks": min(LIST_WEEKS, len(weeks)),
            "months": min(LIST_MONTHS, len(months)), "searches": searches, "imports": imports}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache-dir")
    args = parser.parse_args(argv)
    root = cache_root(args.cache_dir)
    for n in (int(s) for s in args.sizes.split(",")):
        data, meta = ensure_library(n, args.seed, root)
        print(data)
        print(json.dumps({k: meta[k] for k in ("count", "newest_title", "doc_freq_sampled", "avg_title_chars", "avg_abstract_chars")}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
