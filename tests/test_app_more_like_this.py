"""`m` (more like this), pressed through Textual's Pilot: the planted near twin first,
`enter` going to it, `escape` closing, and the view while the model is still learning."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path

from rich.text import Text

from helpers.settling import until_idle
from reader.cli import make_app
from reader.library import Store
from reader.model import Paper
from reader.screens.help import HelpScreen
from reader.screens.main import MainScreen
from reader.screens.likeness_keeper import LikenessKeeper
from reader.screens.more_like_this import MoreLikeThisScreen

WORDS = {
    "robots": "robot grasping manipulation gripper tactile arm dexterous household".split(),
    "speech": "speech audio phoneme acoustic speaker waveform transcription prosody".split(),
    "proofs": "theorem lean formal proof tactic mathlib lemma premise".split(),
}
FILLER = "data model training large network learning evaluation benchmark".split()


def papers_on_topics(count: int) -> list[Paper]:
    rng = random.Random(7)
    out = []
    for i in range(count):
        topic = list(WORDS)[i % len(WORDS)]
        vocab = WORDS[topic] + [f"{topic}{rng.randint(0, 40)}" for _ in range(6)]
        abstract = " ".join(rng.choice(vocab if rng.random() < 0.5 else FILLER) for _ in range(70))
        out.append(Paper(title=f"{' '.join(rng.sample(vocab, 3)).title()} {i}", abstract=abstract,
                         arxiv_id=f"2501.{i:05d}", published=f"2025-01-{1 + i % 20:02d}"))
    return out


def near_twin(paper: Paper) -> Paper:
    """The same paper with a few words more, and a title that looks like markup."""
    return Paper(title=paper.title + " [b]Revisited[/b]", abstract=paper.abstract + " with a larger benchmark",
                 arxiv_id="2501.90000", published="2025-01-25")


async def settled(pilot) -> MainScreen:
    await until_idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def similar_view(pilot) -> MoreLikeThisScreen:
    await pilot.press("m")
    view = pilot.app.screen
    assert isinstance(view, MoreLikeThisScreen)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return view


def message_of(view: MoreLikeThisScreen) -> str:
    return str(view.query_one("#similar-message").content)


def library_with_twin(data_dir: Path) -> tuple[Paper, Paper]:
    *papers, last = papers_on_topics(46)
    newest = Paper(title=last.title, abstract=last.abstract, arxiv_id="2501.80000", published="2025-01-28")
    twin = near_twin(newest)
    with Store(data_dir) as store:
        store.add_papers([*papers, newest, twin])
    return newest, twin


async def test_m_lists_the_planted_twin_first_and_enter_goes_to_it(data_dir: Path) -> None:
    newest, twin = library_with_twin(data_dir)
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert screen.paper_list.current.key == newest.key
        view = await similar_view(pilot)
        assert view.matches[0][0].key == twin.key
        scores = [score for _, score in view.matches]
        assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]
        assert newest.key not in {p.key for p, _ in view.matches}
        assert twin.title.endswith("[b]Revisited[/b]")  # shown as typed, never as markup
        assert "most like this one first" in message_of(view)
        first_row = view.option_list.get_option_at_index(0).prompt
        assert isinstance(first_row, Text) and twin.title in first_row.plain and f"{scores[0]:.2f}" in first_row.plain
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.paper_list.current.key == twin.key  # the twin is in the list: the cursor went there


async def test_escape_closes_and_down_enter_picks_the_second(data_dir: Path) -> None:
    newest, twin = library_with_twin(data_dir)
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await similar_view(pilot)
        await pilot.press("escape")
        assert app.screen is screen and screen.paper_list.current.key == newest.key
        view = await similar_view(pilot)
        second = view.matches[1][0]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is screen and screen.paper_list.current.key == second.key


async def test_the_model_is_kept_and_answers_at_once_next_session(data_dir: Path) -> None:
    newest, twin = library_with_twin(data_dir)
    for _ in range(2):
        app = make_app(["--offline", "--data-dir", str(data_dir)])
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot)
            view = await similar_view(pilot)
            assert view.matches[0][0].key == twin.key
    assert (data_dir / "library.sqlite3").exists()


class Gated(list):
    """A list whose reading waits for ``gate``: a library still being learned."""

    def __init__(self, papers: list[Paper], gate: threading.Event) -> None:
        super().__init__(papers)
        self.gate = gate

    def __iter__(self) -> Iterator[Paper]:
        self.gate.wait(timeout=30)
        return super().__iter__()


async def test_while_the_model_learns_the_view_says_so_then_fills_in(data_dir: Path) -> None:
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        current = screen.paper_list.current
        twin = near_twin(current)
        gate = threading.Event()
        # A reader whose library has never been learned: its model lives in a fresh dir.
        fresh = Store(data_dir.parent / "fresh")
        fresh.open()
        screen.likeness = LikenessKeeper(screen, fresh)
        screen.likeness.learn(Gated([*screen.papers, twin, *papers_on_topics(30)], gate), whole_library=True)
        await pilot.press("m")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, MoreLikeThisScreen)
        assert "Still learning the library's words" in message_of(view)
        assert not view.matches
        gate.set()
        for _ in range(400):
            if view.matches:
                break
            await pilot.pause(0.05)
        assert view.matches[0][0].key == twin.key
        await pilot.press("enter")  # the twin is not in the list shown: its abstract is
        await pilot.pause()
        assert app.screen is screen
        assert screen.paper_list.current.key == current.key
        assert screen.abstract.text.startswith(twin.title)


async def test_help_lists_more_like_this(data_dir: Path) -> None:
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table").content
        from rich.console import Console

        console = Console(width=120, record=True)
        console.print(table)
        assert "More like this" in console.export_text()


DAY_FILE = Path(__file__).parent / "fixtures" / "api-daily-2025-03-18.json"


async def test_on_a_day_list_m_finds_a_twin_kept_only_in_the_library(data_dir: Path) -> None:
    """The library (fetched earlier, never shown this session) is learned after the day's
    list, so its papers answer too; `enter` on one the list lacks shows its abstract."""
    argv = ["--file", str(DAY_FILE), "--data-dir", str(data_dir)]
    app = make_app(argv)
    async with app.run_test(size=(120, 40)) as pilot:
        current = (await settled(pilot)).paper_list.current
    twin = near_twin(current)
    with Store(data_dir) as store:
        store.add_papers([twin, *papers_on_topics(30)])
    app = make_app(argv)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert screen.paper_list.current.key == current.key
        assert twin.key not in {p.key for p in screen.papers}
        view = await similar_view(pilot)
        assert view.matches[0][0].key == twin.key
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.paper_list.current.key == current.key
        assert screen.abstract.text.startswith(twin.title)


async def test_the_for_you_order_follows_a_bookmark_made_with_b(data_dir: Path) -> None:
    newest, twin = library_with_twin(data_dir)
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        papers = list(screen.papers)
        assert screen.likeness.rank(papers) == papers  # no bookmark yet: the order stays
        await pilot.press("b")
        await pilot.pause()
        ranked = screen.likeness.rank(papers)
        assert sorted(p.key for p in ranked) == sorted(p.key for p in papers)
        assert [p.key for p in ranked[:2]] == [newest.key, twin.key]


async def test_the_sample_shown_for_an_empty_library_answers_m(data_dir: Path) -> None:
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert "sample" in screen.status.title.lower()
        view = await similar_view(pilot)
        assert len(view.matches) >= 5
        assert {p.key for p, _ in view.matches} <= {p.key for p in screen.papers}


async def test_s_reaches_the_for_you_order_and_puts_the_bookmarks_twin_next(data_dir: Path) -> None:
    newest, twin = library_with_twin(data_dir)
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        first = screen.paper_list.current
        await pilot.press("b")  # bookmark the newest paper, whose twin is in the library
        await pilot.pause()
        for _ in range(4):  # site's order -> upvoted -> newest -> code stars -> for you
            await pilot.press("s")
            await settled(pilot)
        assert "for you" in str(screen.tabs.render())
        keys = [p.key for p in screen.papers]
        assert set(keys[:2]) == {first.key, twin.key}
        assert screen.paper_list.current.key == first.key  # the cursor stays on its paper
