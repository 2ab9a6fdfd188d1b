"""The search index answers exactly what the paper-by-paper definition (``search.matches``) does."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.search import bitset
from reader.model.paper import Paper
from reader.search.query import parse_query, scan
from reader.search.index import COMMON_SHARE, IndexPart, SearchIndex


@dataclass
class Mark:
    read: bool = False
    bookmarked: bool = False
    new: bool = True


class Marks:
    """A mark source like the store: a table of marks and a version bumped on every change."""

    def __init__(self) -> None:
        self.table: dict[str, Mark] = {}
        self.marks_version = 0
        self.flag_reads = 0

    def __call__(self, paper: Paper) -> Mark:
        return self.table.get(paper.key, Mark())

    def set(self, paper: Paper, read: bool, bookmarked: bool, new: bool = True) -> None:
        self.table[paper.key] = Mark(read, bookmarked, new)
        self.marks_version += 1

    def mark_flags(self, papers: list[Paper]) -> tuple[bytearray, bytearray]:
        self.flag_reads += 1
        return bytearray(self(p).read for p in papers), bytearray(self(p).bookmarked for p in papers)

    def new_flags(self, papers: list[Paper]) -> bytearray:
        return bytearray(self(p).new for p in papers)


# Few letters, so words share substrings and queries hit; plus case, accents, punctuation,
# a non-breaking space (whitespace to str.split) and characters that lower-case oddly.
ALPHABET = "abcAB \u00e9\u00c9-:.\"\u00a0\u03a3\u0130x"
text = st.text(alphabet=ALPHABET, max_size=30)
papers_strategy = st.lists(
    st.builds(
        lambda i, title, abstract, authors, code: Paper(
            f"{i} {title}", abstract, authors=authors, arxiv_id=f"2401.{i:05d}", code_url=code
        ),
        st.integers(0, 99999),
        text,
        text,
        st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=12), max_size=3),
        st.sampled_from([None, "https://github.com/a/b"]),
    ),
    max_size=12,
    unique_by=lambda p: p.arxiv_id,
)
query_strategy = st.one_of(
    st.text(alphabet=ALPHABET, max_size=12),
    st.lists(
        st.sampled_from(["a", "ab", "B", "-a", "title:a", "author:b", '"a b"', "is:read", "is:unread",
                         "is:bookmarked", "has:code", "-title:b", "é", "Σ", "i̇", ":", "x-a", '"b.a"', "-\"a\"",
                         "-is:read", "-is:bookmarked", "-has:code", '"is:read"', 'title:"a b"', "-",
                         "is:new", "-is:new", "is:old"]),
        max_size=4,
    ).map(" ".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(papers_strategy, query_strategy,
       st.lists(st.tuples(st.integers(0, 11), st.booleans(), st.booleans(), st.booleans())))
def test_the_index_finds_what_the_scan_finds(papers: list[Paper], query: str, marks_set: list) -> None:
    marks = Marks()
    for position, read, bookmarked, new in marks_set:
        if position < len(papers):
            marks.set(papers[position], read, bookmarked, new)
    parsed = parse_query(query)
    expected = scan(papers, parsed, marks)
    assert SearchIndex.build(papers, marks).filter(parsed) == expected
    cut = len(papers) // 2  # the same list indexed in two parts, as the library's months are
    parts = [IndexPart.build(papers[:cut]), IndexPart.build(papers[cut:])]
    assert SearchIndex(papers, marks, parts).filter(parsed) == expected  # type: ignore[arg-type]


def test_common_and_rare_tokens_both_match_and_combine() -> None:
    papers = [Paper(f"paper {i} common", "body rare" if i == 7 else "body", arxiv_id=f"2401.{i:05d}") for i in range(200)]
    index = SearchIndex.build(papers, Marks())
    assert 200 // COMMON_SHARE > 1  # "common" is common, "rare" is rare
    assert index.filter(parse_query("comm")) == list(range(200))
    assert index.filter(parse_query("rar")) == [7]
    assert index.filter(parse_query("common -rare")) == [i for i in range(200) if i != 7]
    assert index.filter(parse_query('"body rare"')) == [7]
    assert index.filter(parse_query("zzz")) == []


def test_marks_noted_by_the_reader_need_no_reread_but_changes_from_elsewhere_do() -> None:
    papers = [Paper(f"paper {i}", "x", arxiv_id=f"2401.{i:05d}") for i in range(5)]
    marks = Marks()
    index = SearchIndex.build(papers, marks)
    assert marks.flag_reads == 1
    unread = parse_query("is:unread")

    before = marks(papers[1])
    marks.set(papers[1], True, False)
    index.note_mark(papers[1], before, marks(papers[1]))
    assert index.filter(unread) == [0, 2, 3, 4]
    assert marks.flag_reads == 1  # kept current without reading every mark again

    marks.set(papers[3], True, True)  # another reader's change, merged by the store
    assert index.filter(unread) == [0, 2, 4]
    assert index.filter(parse_query("is:bookmarked")) == [3]
    assert marks.flag_reads == 2


def test_cancelled_build_stops_incomplete() -> None:
    papers = [Paper(f"paper {i}", "x") for i in range(3000)]
    assert SearchIndex.build(papers, Marks(), cancelled=lambda: True) is None
    assert SearchIndex.build(papers, Marks()) is not None


@given(st.sets(st.integers(0, 500)))
def test_bitsets_round_trip(positions: set[int]) -> None:
    bits = bitset.from_positions(positions, 501)
    assert bitset.to_positions(bits) == sorted(positions)
    assert bits.bit_count() == len(positions)
    assert bits & ~bitset.everyone(501) == 0


@given(st.lists(st.text(alphabet="abé-", min_size=1, max_size=6), min_size=0, max_size=600, unique=True), st.text(alphabet="abé-", min_size=1, max_size=3))
def test_tokens_are_found_in_the_vocabulary_by_either_path(tokens: list[str], needle: str) -> None:
    from reader.search.index import _tokens_with

    assert _tokens_with(needle, "\n".join(tokens)) == [t for t in tokens if needle in t]


def test_a_phrase_is_checked_paper_by_paper_once_while_more_is_typed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.search import index as search_index

    papers = [Paper(f"paper {i}", "sparse reward shaping" if i % 3 else "reward sparse", arxiv_id=f"2401.{i:05d}") for i in range(90)]
    index = SearchIndex.build(papers, Marks())
    checked: list[int] = []
    real = search_index.field_text
    monkeypatch.setattr(search_index, "field_text", lambda paper, field: checked.append(1) or real(paper, field))
    first = index.filter(parse_query('"sparse reward" sh'))
    assert first == [i for i in range(90) if i % 3] and checked
    checked.clear()
    assert index.filter(parse_query('"sparse reward" sha')) == first
    assert index.filter(parse_query('"sparse reward" shap')) == first
    assert checked == []
