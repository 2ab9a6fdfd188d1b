"""The kept search index: read back only for the very papers it was built from, and never
trusted when it is damaged."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reader.search import index_cache
from reader.model.paper import Paper
from reader.search.query import parse_query, scan
from reader.search.index import COMMON_SHARE, IndexPart, SearchIndex

QUERIES = ["diffusion", "dif", "d", "sparse reward", '"sparse reward"', "author:nakamura", "title:model",
           "-diffusion", "is:unread", "has:code", "naka -diff", "zzz", "é", "gpt-4"]


class Marks:
    marks_version = 0

    def __init__(self, read: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.read = read

    def mark_flags(self, papers):  # type: ignore[no-untyped-def]
        return bytearray(i in self.read for i in range(len(papers))), bytearray(len(papers))

    def new_flags(self, papers):  # type: ignore[no-untyped-def]
        return bytearray(len(papers))

    def __call__(self, paper: Paper):  # type: ignore[no-untyped-def]
        return Marks.Mark(paper.arxiv_id in {f"2401.{i:05d}" for i in self.read})

    class Mark:
        def __init__(self, read: bool) -> None:
            self.read, self.bookmarked = read, False


def papers(count: int = 300, months: int = 3) -> list[Paper]:
    """Papers of ``months`` months, newest month first, as the library lists them."""
    words = ["diffusion", "model", "sparse", "reward", "gpt-4", "différent", "token", "grid"]
    return [
        Paper(
            f"A {words[i % 8]} model {i}",
            " ".join(words[(i * k) % 8] for k in range(1, 9)) + f" unique{i}",
            arxiv_id=f"2401.{i:05d}",
            authors=[f"Ann Lee{i % 5}", "Yuki Nakamura" if i % 9 == 0 else "Bo Chen"],
            code_url="https://github.com/a/b" if i % 4 == 0 else None,
            published=f"2024-{12 - i * months // count:02d}-01",
        )
        for i in range(count)
    ]


class Builds:
    """Counts the parts built (rather than read back)."""

    def __init__(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        self.sizes: list[int] = []
        real = IndexPart.build.__func__  # type: ignore[attr-defined]

        def build(cls, run, cancelled=lambda: False):  # type: ignore[no-untyped-def]
            self.sizes.append(len(run))
            return real(cls, run, cancelled)

        monkeypatch.setattr(IndexPart, "build", classmethod(build))


def test_months_are_runs_of_the_list_and_the_newest_two_are_one_part() -> None:
    listed = papers(300, months=3)
    assert index_cache.month_runs(listed) == [(0, 100), (100, 200), (200, 300)]
    assert index_cache.index_parts(listed) == [(0, 200), (200, 300)]
    assert index_cache.index_parts(listed[:200]) == [(0, 200)]
    assert index_cache.month_runs([]) == [] and index_cache.index_parts([]) == []
    assert index_cache.month_runs([Paper("undated")]) == [(0, 1)]


def test_a_kept_index_answers_as_the_one_built(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    listed = papers()
    marks = Marks({1, 2, 30})
    builds = Builds(monkeypatch)
    built = index_cache.load_or_build(tmp_path, listed, marks)
    assert builds.sizes == [200, 100]
    assert len(list((tmp_path / index_cache.DIR_NAME).glob("*.part"))) == 2
    loaded = index_cache.load_or_build(tmp_path, listed, marks)
    assert builds.sizes == [200, 100]  # both parts read back
    assert built is not None and loaded is not None
    whole = SearchIndex.build(listed, marks)
    assert len(listed) // 3 // COMMON_SHARE > 1  # both token kinds are kept in both parts
    for query in QUERIES:
        parsed = parse_query(query)
        assert loaded.filter(parsed) == built.filter(parsed) == whole.filter(parsed) == scan(listed, parsed, marks), query


def test_a_new_paper_reindexes_the_recent_part_only(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    listed = papers()
    index_cache.load_or_build(tmp_path, listed, Marks())
    builds = Builds(monkeypatch)
    newer = [replace(listed[0], title="A brand new paper", arxiv_id="2402.00001"), *listed]
    index = index_cache.load_or_build(tmp_path, newer, Marks())
    assert builds.sizes == [201]
    assert index is not None and index.filter(parse_query("brand")) == [0]
    assert index.filter(parse_query("unique250")) == [251]
    assert len(list((tmp_path / index_cache.DIR_NAME).glob("*.part"))) == 2  # the replaced part is gone


def test_any_change_to_the_searched_text_or_order_gives_another_digest() -> None:
    listed = papers(50)
    digest = index_cache.list_digest(listed)
    assert index_cache.list_digest(papers(50)) == digest
    for changed in (
        [replace(listed[0], abstract=listed[0].abstract + "x"), *listed[1:]],
        [replace(listed[0], title=listed[0].title + "x"), *listed[1:]],
        [replace(listed[0], authors=[*listed[0].authors, "New"]), *listed[1:]],
        [listed[1], listed[0], *listed[2:]],
        listed[:-1],
    ):
        assert index_cache.list_digest(changed) != digest


def test_a_cancelled_build_gives_no_index(tmp_path: Path) -> None:
    assert index_cache.load_or_build(tmp_path, papers(3000, months=1), Marks(), cancelled=lambda: True) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw[:-1],
        lambda raw: raw + b"\x00",
        lambda raw: b"X" + raw[1:],
        lambda raw: raw.replace(b'"count": 200', b'"count": 201'),
        lambda raw: raw.replace(b'"rare_ends": [', b'"rare_ends": [-5, '),
        lambda raw: raw[:-24] + bytes([raw[-24] ^ 0xFF]) + raw[-23:],  # a posting, flipped
        lambda raw: raw[:40] + b"{not json" + raw[49:],
    ],
)
def test_a_damaged_part_is_ignored_and_built_again(tmp_path: Path, monkeypatch, damage) -> None:  # type: ignore[no-untyped-def]
    listed = papers()
    index_cache.load_or_build(tmp_path, listed, Marks())
    newest = index_cache.list_digest(listed[:200]) + index_cache.SUFFIX
    path = tmp_path / index_cache.DIR_NAME / newest
    path.write_bytes(damage(path.read_bytes()))
    builds = Builds(monkeypatch)
    index = index_cache.load_or_build(tmp_path, listed, Marks())
    assert builds.sizes == [200]
    assert index is not None and index.filter(parse_query("unique99")) == [99]


def test_a_header_asking_for_more_postings_than_the_file_holds_is_refused(tmp_path: Path) -> None:
    """A damaged count must not make the reader allocate gigabytes before noticing."""
    import json
    import struct

    listed = papers()
    index_cache.load_or_build(tmp_path, listed, Marks())
    path = tmp_path / index_cache.DIR_NAME / (index_cache.list_digest(listed[:200]) + index_cache.SUFFIX)
    raw = path.read_bytes()
    start = len(index_cache.MAGIC)
    (length,) = struct.unpack("<I", raw[start : start + 4])
    header = json.loads(raw[start + 4 : start + 4 + length])
    header["part"]["fields"][0]["rare_ends"][-1] = 10**12
    bigger = json.dumps(header).encode()
    path.write_bytes(raw[:start] + struct.pack("<I", len(bigger)) + bigger + raw[start + 4 + length :])
    assert index_cache._read(path, header["digest"], 200) is None
