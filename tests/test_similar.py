"""The likeness model: words, TF-IDF postings kept in the library's database, "more like
this" with a planted near twin, learning incrementally, and the "for you" order."""

from __future__ import annotations

import random
import sqlite3
import sys
from pathlib import Path

import pytest

from reader.library import Store, connect, database_path
from reader.model import Paper, StoreError
from reader.similar import Likeness, bookmarked_keys, for_you, library_texts, rank_by_liking, texts_of
from reader.similar.learning import REWEIGH_GROWTH
from reader.similar.terms import term_counts, words

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from synth import generate  # noqa: E402

TOPICS = {
    "robots": "robot grasping manipulation gripper tactile arm dexterous pick place household objects",
    "speech": "speech audio recognition phoneme acoustic speaker waveform transcription spoken prosody",
    "proofs": "theorem proving lean formal proof tactic mathlib verification lemma premise induction",
    "weather": "weather forecasting climate precipitation atmospheric reanalysis storm temperature radar",
}


def topic_paper(rng: random.Random, topic: str, n: int) -> Paper:
    vocab = TOPICS[topic].split()
    filler = "data model training results large network learning evaluation".split()
    abstract = " ".join(rng.choice(vocab if rng.random() < 0.4 else filler) for _ in range(80))
    title = " ".join(rng.sample(vocab, 4)).title()
    return Paper(title=f"{title} {n}", abstract=abstract, arxiv_id=f"2501.{n:05d}", published="2025-01-15")


def library(count: int = 80, seed: int = 3) -> list[Paper]:
    rng = random.Random(seed)
    return [topic_paper(rng, list(TOPICS)[i % len(TOPICS)], i) for i in range(count)]


def twin_of(paper: Paper, arxiv_id: str) -> Paper:
    """The same paper with a word or two more: a near twin."""
    return Paper(title=paper.title + " Training", abstract=paper.abstract + " evaluation",
                 arxiv_id=arxiv_id, published="2025-02-01")


# words ------------------------------------------------------------------------------------


def test_words_drop_stop_words_numbers_and_fold_plurals() -> None:
    assert words("We propose the Models of 2024 robots, and a study of studies.") == ["model", "robot", "study"]
    counts = term_counts("Robot Models", "robots grasp")
    assert counts == {"robot": 3, "model": 2, "grasp": 1}  # the title counts twice


def test_hostile_text_is_only_words() -> None:
    assert words("[bold]x[/bold] \x1b[31m ∼\\sim 𝔼 naïve naïvely_") == ["bold", "31m", "sim", "naïve", "naïvely"]
    assert term_counts("", "") == {}


# more like this ----------------------------------------------------------------------------


def test_a_planted_near_twin_comes_first(tmp_path: Path) -> None:
    records, _ = generate(600, 5)
    papers = [(f"arxiv:{r['arxiv_id']}", r["title"], r["abstract"]) for r in records]
    original = papers[123]
    twin = ("arxiv:9999.00001", original[1] + ": revisited", original[2].replace(" the ", " a ")[:-80])
    model = Likeness(tmp_path)
    assert model.learn([*papers, twin], complete=True)
    assert model.ready
    found = model.more_like(original[0])
    assert found[0].key == twin[0]
    assert found[0].score > 0.8 > found[1].score
    assert original[0] not in {m.key for m in found}
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert model.more_like(twin[0])[0].key == original[0]


def test_topics_find_their_own(tmp_path: Path) -> None:
    papers = library()
    model = Likeness(tmp_path)
    model.learn(texts_of(papers), complete=True)
    by_key = {p.key: p for p in papers}
    for paper in papers[:8]:
        topic = paper.title.split()[-1]
        found = model.more_like(paper.key, limit=10)
        assert len(found) == 10
        mine = int(topic) % len(TOPICS)
        assert all(int(by_key[m.key].title.split()[-1]) % len(TOPICS) == mine for m in found[:5])


def test_a_paper_the_model_has_not_read_is_asked_by_its_text(tmp_path: Path) -> None:
    papers = library()
    model = Likeness(tmp_path)
    model.learn(texts_of(papers), complete=True)
    stranger = twin_of(papers[10], "2601.00001")
    found = model.more_like(stranger.key, stranger.title, stranger.abstract)
    assert found[0].key == papers[10].key
    assert model.more_like("arxiv:nothing", "", "") == []


def test_the_model_is_kept_between_sessions_in_the_library_database(tmp_path: Path) -> None:
    papers = library()
    first = Likeness(tmp_path)
    first.learn(texts_of(papers), complete=True)
    answer = first.more_like(papers[0].key)
    first.close()
    conn = sqlite3.connect(database_path(tmp_path))
    assert conn.execute("SELECT version FROM schema_versions WHERE part = 'similar'").fetchone() == (1,)
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"similar_terms", "similar_papers", "similar_postings", "similar_meta"} <= tables
    assert all(name.startswith("similar_") or name == "schema_versions" for name in tables)
    again = Likeness(tmp_path)
    assert again.ready and again.more_like(papers[0].key) == answer
    # Nothing new: the second session reads no paper's words again.
    before = conn.execute("SELECT COUNT(*), SUM(LENGTH(counts)) FROM similar_papers").fetchone()
    assert again.learn(texts_of(papers), complete=True)
    assert conn.execute("SELECT COUNT(*), SUM(LENGTH(counts)) FROM similar_papers").fetchone() == before


def test_new_papers_join_without_a_rebuild_and_are_found(tmp_path: Path) -> None:
    papers = library(200)
    model = Likeness(tmp_path)
    model.learn(texts_of(papers), complete=True)
    conn = connect(database_path(tmp_path))
    ids_before = dict(conn.execute("SELECT key, id FROM similar_papers"))
    weighed_at = conn.execute("SELECT value FROM similar_meta WHERE name = 'weighed_at'").fetchone()[0]
    twin = twin_of(papers[42], "2602.00042")
    assert model.learn(texts_of([twin]), complete=False)
    # The twin was posted at once: found from either side, the rest untouched.
    assert model.more_like(twin.key)[0].key == papers[42].key
    assert model.more_like(papers[42].key)[0].key == twin.key
    assert conn.execute("SELECT value FROM similar_meta WHERE name = 'weighed_at'").fetchone()[0] == weighed_at
    assert {k: v for k, v in conn.execute("SELECT key, id FROM similar_papers") if k in ids_before} == ids_before


def test_the_library_is_weighed_again_once_it_has_grown_enough(tmp_path: Path) -> None:
    papers = library(100)
    model = Likeness(tmp_path)
    model.learn(texts_of(papers), complete=True)
    conn = connect(database_path(tmp_path))
    more = library(100 + int(100 * REWEIGH_GROWTH) + 10, seed=9)[100:]
    model.learn(texts_of(more), complete=False)
    weighed_at = conn.execute("SELECT value FROM similar_meta WHERE name = 'weighed_at'").fetchone()[0]
    assert weighed_at == len(papers) + len(more)
    posted = conn.execute("SELECT COUNT(DISTINCT paper) FROM similar_postings").fetchone()[0]
    assert posted == len(papers) + len(more)


def test_changed_and_removed_papers_are_forgotten(tmp_path: Path) -> None:
    papers = library(60)
    model = Likeness(tmp_path)
    model.learn(texts_of(papers), complete=True)
    conn = connect(database_path(tmp_path))
    # Paper 5 now says what paper 6 says; paper 7 left the library.
    changed = Paper(title=papers[6].title, abstract=papers[6].abstract, arxiv_id=papers[5].arxiv_id)
    rest = [changed if i == 5 else p for i, p in enumerate(papers) if i != 7]
    model.learn(texts_of(rest), complete=True)
    assert model.more_like(papers[6].key)[0].key == papers[5].key
    assert conn.execute("SELECT COUNT(*) FROM similar_papers WHERE key = ?", (papers[7].key,)).fetchone()[0] == 0
    assert conn.execute(
        "SELECT COUNT(*) FROM similar_postings p JOIN similar_papers s ON s.id = p.paper WHERE s.key = ?",
        (papers[7].key,),
    ).fetchone()[0] == 0
    # Frequencies follow: the words are counted as the library now holds them.
    for term, df in conn.execute("SELECT term, df FROM similar_terms"):
        assert df == sum(term in term_counts(p.title, p.abstract) for p in rest), term


def test_a_cancelled_first_build_is_not_ready_and_resumes(tmp_path: Path) -> None:
    papers = library(1200)
    model = Likeness(tmp_path)
    calls = iter(range(10**6))
    assert not model.learn(texts_of(papers), complete=True, cancelled=lambda: next(calls) >= 2)
    assert not model.ready
    assert model.learn(texts_of(papers), complete=True)
    assert model.ready and len(model.more_like(papers[0].key)) > 0


def test_a_damaged_database_is_a_one_line_error(tmp_path: Path) -> None:
    database_path(tmp_path).write_bytes(b"this is not a database at all" * 100)
    model = Likeness(tmp_path)
    with pytest.raises(StoreError) as caught:
        model.learn(texts_of(library(5)), complete=True)
    assert "damaged" in str(caught.value) and "\n" not in str(caught.value)


def test_keys_and_text_are_kept_literally(tmp_path: Path) -> None:
    hostile = [Paper(title="[red]Robot'); DROP TABLE similar_terms;--", abstract="robot grasp ∼\\sim",
                     arxiv_id="2501.99999"), *library(20)]
    hostile.append(Paper(title="Robot grasp [red]", abstract="robot grasp gripper", arxiv_id="2501.99998"))
    model = Likeness(tmp_path)
    model.learn(texts_of(hostile), complete=True)
    assert model.more_like(hostile[0].key)[0].key == hostile[-1].key


# for you -----------------------------------------------------------------------------------


def test_for_you_ranks_by_likeness_to_the_bookmarks(tmp_path: Path) -> None:
    papers = library(80)
    model = Likeness(tmp_path)
    model.learn(texts_of(papers), complete=True)
    speech = [p for i, p in enumerate(papers) if i % len(TOPICS) == 1]
    ranked = rank_by_liking(model, papers, [speech[0].key, speech[1].key])
    assert sorted(ranked, key=lambda p: p.key) == sorted(papers, key=lambda p: p.key)
    assert {p.key for p in ranked[: len(speech)]} == {p.key for p in speech}
    assert rank_by_liking(model, papers, []) == papers  # no bookmarks: the order stays


def test_for_you_reads_the_bookmarks_from_the_store(tmp_path: Path) -> None:
    papers = library(40)
    with Store(tmp_path) as store:
        store.add_papers(papers)
        model = Likeness(tmp_path)
        assert model.learn(library_texts(store), complete=True)
        shown = store.library()
        proofs = [p for p in shown if int(p.title.split()[-1]) % len(TOPICS) == 2]
        store.set_bookmarked(proofs[0], True)
        assert bookmarked_keys(shown, store) == [proofs[0].key]
        rank = for_you(model, lambda: shown, store)
        ranked = rank(shown)
        assert {p.key for p in ranked[: len(proofs)]} == {p.key for p in proofs}
        store.set_bookmarked(proofs[0], False)
        assert rank(shown) == shown


# sharing the database ----------------------------------------------------------------------


def test_learning_waits_for_another_writer_of_the_database(tmp_path: Path) -> None:
    import threading

    papers = library(60)
    model = Likeness(tmp_path)
    model.learn(texts_of(papers[:10]), complete=True)
    other = connect(database_path(tmp_path))
    other.execute("CREATE TABLE IF NOT EXISTS papers_elsewhere (key TEXT)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO papers_elsewhere VALUES ('x')")
    outcome: list[bool] = []
    learner = threading.Thread(target=lambda: outcome.append(model.learn(texts_of(papers), complete=True)))
    learner.start()
    learner.join(0.5)
    assert learner.is_alive() and not outcome  # waiting for the lock, not failing
    other.commit()
    learner.join(20)
    assert outcome == [True]
    assert model.more_like(papers[30].key)


def test_two_readers_learning_the_same_library_at_once_agree(tmp_path: Path) -> None:
    import threading

    papers = library(1500)
    first, second = Likeness(tmp_path), Likeness(tmp_path)
    first.learn(texts_of(papers[:20]), complete=True)
    errors: list[BaseException] = []

    def learn(model: Likeness) -> None:
        try:
            model.learn(texts_of(papers), complete=True)
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=learn, args=(m,)) for m in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    conn = connect(database_path(tmp_path))
    assert conn.execute("SELECT COUNT(*) FROM similar_papers").fetchone()[0] == len(papers)
    sample = papers[:50]
    for term, df in conn.execute("SELECT term, df FROM similar_terms WHERE term IN ('robot', 'speech', 'lean')"):
        assert df == sum(term in term_counts(p.title, p.abstract) for p in papers), term
    assert first.more_like(sample[0].key) == second.more_like(sample[0].key)
