"""The kept search index: read back only for the very papers it was built from, and never
trusted when it is damaged."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reader.data import index_cache
from reader.data.paper import Paper
from reader.data.search import parse_query, scan
from reader.data.search_index import COMMON_SHARE, SearchIndex

QUERIES = ["diffusion", "dif", "d", "sparse reward", '"sparse reward"', "author:nakamura", "title:model",
           "-diffusion", "is:unread", "has:code", "naka -diff", "zzz", "é", "gpt-4"]


class Marks:
    marks_version = 0

    def __init__(self, read: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.read = read

    def mark_flags(self, papers):  # type: ignore[no-untyped-def]
        return bytearray(i in self.read for i in range(len(papers))), bytearray(len(papers))

    def __call__(self, paper: Paper):  # type: ignore[no-untyped-def]
        return Marks.Mark(paper.arxiv_id in {f"2401.{i:05d}" for i in self.read})

    class Mark:
        def __init__(self, read: bool) -> None:
            self.read, self.bookmarked = read, False


def papers(count: int = 300) -> list[Paper]:
    words = ["diffusion", "model", "sparse", "reward", "gpt-4", "différent", "token", "grid"]
    return [
        Paper(
            f"A {words[i % 8]} model {i}",
            " ".join(words[(i * k) % 8] for k in range(1, 9)) + f" unique{i}",
            arxiv_id=f"2401.{i:05d}",
            authors=[f"Ann Lee{i % 5}", "Yuki Nakamura" if i % 9 == 0 else "Bo Chen"],
            code_url="https://github.com/a/b" if i % 4 == 0 else None,
        )
        for i in range(count)
    ]


def test_a_kept_index_answers_as_the_one_built(tmp_path: Path) -> None:
    listed = papers()
    marks = Marks({1, 2, 30})
    built = SearchIndex(listed, marks)
    assert len(listed) // COMMON_SHARE > 1  # both token kinds are kept
    digest = index_cache.list_digest(listed)
    index_cache.save(tmp_path, built, digest)
    loaded = index_cache.load(tmp_path, listed, marks, digest)
    assert loaded is not None and loaded.complete
    for query in QUERIES:
        parsed = parse_query(query)
        assert loaded.filter(parsed) == built.filter(parsed) == scan(listed, parsed, marks), query


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


def test_an_index_of_other_papers_is_not_used(tmp_path: Path) -> None:
    listed = papers()
    index_cache.save(tmp_path, SearchIndex(listed, Marks()), index_cache.list_digest(listed))
    other = listed[:-1]
    assert index_cache.load(tmp_path, other, Marks(), index_cache.list_digest(other)) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw[:-1],
        lambda raw: raw + b"\x00",
        lambda raw: b"X" + raw[1:],
        lambda raw: raw.replace(b'"count": 300', b'"count": 301'),
        lambda raw: raw.replace(b'"rare_ends": [', b'"rare_ends": [-5, '),
        lambda raw: raw[:-4] + b"\xff\xff\xff\x7f",  # the last position, far out of range
        lambda raw: raw[:40] + b"{not json" + raw[49:],
    ],
)
def test_a_damaged_index_file_is_ignored(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    listed = papers()
    digest = index_cache.list_digest(listed)
    index_cache.save(tmp_path, SearchIndex(listed, Marks()), digest)
    path = tmp_path / index_cache.FILE_NAME
    path.write_bytes(damage(path.read_bytes()))
    assert index_cache.load(tmp_path, listed, Marks(), digest) is None


async def test_the_reader_keeps_the_library_index_and_reads_it_back(data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.cli import make_app
    from reader.data.store import Store

    store = Store(data_dir)
    store.open()
    store.add_papers([replace(p, published=f"2024-01-{1 + i % 28:02d}") for i, p in enumerate(papers(2100))])
    store.close()

    async def searched(query: str) -> list[str]:
        app = make_app(["--offline", "--data-dir", str(data_dir)])
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(400):
                if getattr(app.screen, "index", None) is not None:
                    break
                await pilot.pause(0.05)
            assert app.screen.index is not None
            await pilot.press("slash", *query, "enter")
            return [p.title for p in app.screen.paper_list.papers]

    first = await searched("nakamura")
    assert (data_dir / index_cache.FILE_NAME).exists()
    monkeypatch.setattr(SearchIndex, "_tokenize", lambda *a: pytest.fail("the kept index was built again"))
    assert await searched("nakamura") == first
    assert len(first) == len(range(0, 2100, 9))
