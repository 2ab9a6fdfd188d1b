"""The site's views in the reader, every view key pressed through Pilot, against a real
HTTP server on 127.0.0.1 holding a day, weeks, a month, trending and search answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers.settling import until_idle
from reader.cli import make_app
from reader.library.store import Store
from reader.screens.main import MainScreen
from tests.httpserver import FixtureServer, Recorded, Reply

from test_app_keys import typed


def item(arxiv_id: str, title: str, upvotes: int, stars: int | None, published: str) -> dict[str, Any]:
    """One paper as the daily papers API gives it."""
    paper: dict[str, Any] = {
        "id": arxiv_id, "title": title, "summary": f"The abstract of {title}.", "upvotes": upvotes,
        "publishedAt": f"{published}T12:00:00.000Z",
        "authors": [{"_id": f"a{arxiv_id}", "name": "Ada Lovelace", "hidden": False}],
    }
    if stars is not None:
        paper["githubRepo"], paper["githubStars"] = f"https://github.com/example/{arxiv_id}", stars
    return {"paper": paper, "title": title}


DAY = [item("2503.10001", "Day One", 5, 10, "2025-03-17"), item("2503.10002", "Day Two", 50, None, "2025-03-16"),
       item("2503.10003", "Day Three", 20, 900, "2025-03-18")]
WEEK = [item(f"2503.2000{i}", f"Week Paper {i}", i, None, f"2025-03-1{i}") for i in range(1, 6)]
WEEK_12 = [item("2503.30001", "Week Twelve Paper", 1, None, "2025-03-18")]
MONTH = [item(f"2503.4000{i}", f"Month Paper {i}", 10 - i, i, f"2025-03-0{i}") for i in range(1, 5)]
TRENDING = [item("2503.50001", "Trending Paper", 99, 7, "2025-03-10")]
SEARCH = [item("2310.60001", "Searched Paper About Alignment", 4, None, "2023-10-01")]


def daily_route(request: Recorded) -> Reply:
    params = request.params
    if params.get("sort") == "trending":
        return Reply.json(TRENDING)
    if params.get("p", "0") != "0":
        return Reply.json([])
    if "week" in params:
        return Reply.json(WEEK_12 if params["week"] == "2025-W12" else WEEK)
    if "month" in params:
        return Reply.json(MONTH)
    return Reply.json(DAY if params.get("date") == "2025-03-18" else [])


def search_route(request: Recorded) -> Reply:
    return Reply.json(SEARCH if "alignment" in request.params.get("q", "") else [])


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    with FixtureServer({"/api/daily_papers": daily_route, "/api/papers/search": search_route}) as server:
        monkeypatch.setenv("PAPER_READER_BASE_URL", server.url)
        yield server


def day_app(data_dir: Path):
    return make_app(["--date", "2025-03-18", "--data-dir", str(data_dir)])


async def settled(pilot) -> MainScreen:
    await until_idle(pilot)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


def titles(screen: MainScreen) -> list[str]:
    return [p.title for p in screen.paper_list.papers]


def current(screen: MainScreen) -> str:
    paper = screen.paper_list.current
    assert paper is not None
    return paper.title


def asked(server: FixtureServer, key: str) -> list[str]:
    return [r.params[key] for r in server.requests if key in r.params]


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_number_keys_show_each_view_and_keep_its_cursor(server: FixtureServer, data_dir: Path) -> None:
    app = day_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert titles(screen) == ["Day One", "Day Two", "Day Three"]
        assert "1 Daily" in str(screen.tabs.render())
        await pilot.press("j")
        await pilot.press("2")
        screen = await settled(pilot)
        assert screen.views.current.name == "Weekly"
        assert titles(screen) == [f"Week Paper {i}" for i in range(1, 6)]
        assert "Weekly papers" in screen.status.title
        await pilot.press("j", "j", "j")
        await pilot.press("3")
        await settled(pilot)
        assert titles(screen)[0] == "Month Paper 1" and "Monthly papers" in screen.status.title
        await pilot.press("4")
        await settled(pilot)
        assert titles(screen) == ["Trending Paper"]
        await pilot.press("5")
        await settled(pilot)
        assert set(titles(screen)) >= {"Day One", "Week Paper 3", "Month Paper 2", "Trending Paper"}
        weeks_asked = len(asked(server, "week"))
        await pilot.press("2")  # loaded already: shown again without a fetch, as it was left
        await pilot.pause()
        assert current(screen) == "Week Paper 4" and len(asked(server, "week")) == weeks_asked
        await pilot.press("1")
        await pilot.pause()
        assert current(screen) == "Day Two" and asked(server, "date") == ["2025-03-18"]
        await pilot.press("6")
        await pilot.pause()
        assert screen.views.current.name == "Daily"
        assert any("press S" in note for note in notes(app))


async def test_each_view_keeps_its_own_filter(server: FixtureServer, data_dir: Path) -> None:
    app = day_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await pilot.press("slash", *typed("two"), "enter")
        await pilot.pause()
        assert titles(screen) == ["Day Two"]
        await pilot.press("2")
        await settled(pilot)
        assert len(titles(screen)) == 5 and screen.search_bar.value == ""
        await pilot.press("1")
        await pilot.pause()
        assert titles(screen) == ["Day Two"] and screen.search_bar.value == "two"


async def test_colon_goes_to_a_period_and_a_bad_one_changes_nothing(server: FixtureServer, data_dir: Path) -> None:
    app = day_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await pilot.press("colon", *typed("2025-W12"), "enter")
        screen = await settled(pilot)
        assert screen.views.current.name == "Weekly" and titles(screen) == ["Week Twelve Paper"]
        assert asked(server, "week")[-1] == "2025-W12" and "2025-W12" in screen.status.title
        await pilot.press("right_square_bracket")  # `]` steps on from there
        await settled(pilot)
        assert asked(server, "week")[-1] == "2025-W13"
        await pilot.press("colon", *typed("2025-02-30"), "enter")
        await settled(pilot)
        assert screen.views.current.name == "Weekly" and "2025-W13" in screen.status.title
        assert any("February 2025 has 28 days" in note for note in notes(app))
        await pilot.press("colon", *typed("2025-03-15"), "enter")  # a Saturday: none that day
        await settled(pilot)
        assert screen.views.current.name == "Daily" and titles(screen) == []
        assert "no papers on Hugging Face for this day" in (screen.status.notice or "")
        await pilot.press("colon", *typed("trending"), "enter")
        await settled(pilot)
        assert screen.views.current.name == "Trending" and titles(screen) == ["Trending Paper"]


async def test_S_searches_the_site_into_the_search_view_and_the_library(server: FixtureServer, data_dir: Path) -> None:
    app = day_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await pilot.press("S", *typed("alignment"), "enter")
        screen = await settled(pilot)
        assert screen.views.current.name == "Search" and titles(screen) == ["Searched Paper About Alignment"]
        assert [r.params.get("q") for r in server.requests if r.path == "/api/papers/search"] == ["alignment"]
        assert "6 Search" in str(screen.tabs.render())
        await pilot.press("1", "6")
        await pilot.pause()
        assert titles(screen) == ["Searched Paper About Alignment"]
        await pilot.press("slash", *typed("nothing-like-it"), "enter")
        await pilot.pause()
        assert titles(screen) == []  # the search bar filters within the results
        await pilot.press("S", "escape")
        await pilot.pause()
        assert screen.views.current.name == "Search"
    store = Store(data_dir)
    store.open()
    assert "Searched Paper About Alignment" in [p.title for p in store.library()]
    store.close()


async def test_s_cycles_the_order_and_the_cursor_stays_on_its_paper(server: FixtureServer, data_dir: Path) -> None:
    app = day_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await pilot.press("j", "j")
        assert current(screen) == "Day Three"
        await pilot.press("s")
        await pilot.pause()
        assert titles(screen) == ["Day Two", "Day Three", "Day One"] and current(screen) == "Day Three"
        assert "most upvoted" in str(screen.tabs.render())
        await pilot.press("s")
        await pilot.pause()
        assert titles(screen) == ["Day Three", "Day One", "Day Two"]  # newest
        await pilot.press("s")
        await pilot.pause()
        assert titles(screen) == ["Day Three", "Day One", "Day Two"]  # most code stars
        assert "most code stars" in str(screen.tabs.render())
        await pilot.press("2")
        await settled(pilot)
        assert "site's order" in str(screen.tabs.render())  # each view has its own order
        await pilot.press("1", "s")
        await pilot.pause()
        assert titles(screen) == ["Day One", "Day Two", "Day Three"] and current(screen) == "Day Three"


async def test_n_steps_through_unread_papers_A_marks_all_read_and_z_undoes(server: FixtureServer, data_dir: Path) -> None:
    app = day_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await pilot.press("j", "r", "k")  # Day Two read
        await pilot.press("n")
        assert current(screen) == "Day Three"
        await pilot.press("n")
        await pilot.pause()
        assert current(screen) == "Day One" and any("Wrapped to the top" in n for n in notes(app))
        await pilot.press("N")
        await pilot.pause()
        assert current(screen) == "Day Three" and any("Wrapped to the bottom" in n for n in notes(app))
        await pilot.press("A")
        await pilot.pause()
        assert screen.status.unread == 0 and any("Marked 2 papers read · z undoes it" in n for n in notes(app))
        await pilot.press("n")
        await pilot.pause()
        assert any("No unread papers shown" in n for n in notes(app))
        await pilot.press("z")
        await pilot.pause()
        assert screen.status.unread == 2
        assert any("Undone: marked 2 papers read · z now undoes: read: Day Two" in n for n in notes(app))
        await pilot.press("z")
        await pilot.pause()
        assert screen.status.unread == 3
        await pilot.press("z")
        await pilot.pause()
        assert any("Nothing to undo" in n for n in notes(app))
    store = Store(data_dir)
    store.open()
    assert store.counts(store.library()) == (3, 0)
    store.close()


async def test_a_second_start_shows_as_new_exactly_what_arrived_since(server: FixtureServer, data_dir: Path) -> None:
    app = day_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert screen.status.new == 3 and screen.status.new_since is None
        await pilot.press("r")
        await pilot.pause(0.2)
        assert screen.status.new == 3  # seen, and still shown as new for the rest of the visit
    DAY.append(item("2503.10004", "Day Four", 1, None, "2025-03-18"))
    try:
        app = day_app(data_dir)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await settled(pilot)
            assert screen.status.new == 1 and screen.status.new_since  # "since Tue 09:14"
            await pilot.press("slash", *typed("is:new"), "enter")
            await pilot.pause()
            assert titles(screen) == ["Day Four"]
            assert screen.store.mark(screen.paper_list.current).new
            assert not screen.store.mark(screen.paper_list.current).read  # new is not unread's
    finally:
        DAY.pop()


async def test_offline_a_view_shows_its_saved_copy_and_its_age(server: FixtureServer, data_dir: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    app = day_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await pilot.press("2")
        await settled(pilot)
    app = make_app(["--date", "2025-03-18", "--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await pilot.press("2")
        screen = await settled(pilot)
        assert titles(screen) == [f"Week Paper {i}" for i in range(1, 6)]
        assert "offline — showing the library's copy from" in (screen.status.notice or "")


def test_export_new_lists_the_papers_never_on_screen(data_dir: Path) -> None:
    import json
    import subprocess
    import sys

    from reader.session.loader import sample_papers

    store = Store(data_dir)
    store.open()
    papers = store.add_papers(sample_papers())
    store.see(papers[:-2])
    store.close()
    done = subprocess.run([sys.executable, "-m", "reader", "export", "--offline", "--new", "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert [p["title"] for p in json.loads(done.stdout)] == [p.title for p in papers[-2:]]


VIEW_KEYS = {
    "Daily": "1", "Weekly": "2", "Monthly": "3", "Trending": "4", "Library": "5", "Search view": "6",
    "File or sample view": "7",
    "Go to a period": ":", "Search Hugging Face": "S", "Order": "s", "Next unread": "n",
    "Previous unread": "N", "Mark all shown read": "A",
}


async def test_help_palette_and_footer_list_the_view_keys_and_the_keymap_moves_them(data_dir: Path) -> None:
    from rich.console import Console

    from reader.screens.help import HelpScreen
    from reader.settings import default_config_path

    path = default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[keys]\nundo_mark = "U"\n', encoding="utf-8")
    app = make_app(["--sample", "--data-dir", str(data_dir)])
    async with app.run_test(size=(160, 60)) as pilot:
        screen = await settled(pilot)
        assert " s Order " in screen.query_one("KeyHints").render().plain
        commands = {c.title: c.help for c in app.get_system_commands(screen)}
        for title, key in VIEW_KEYS.items():
            assert title in commands, title
        assert commands["Undo mark"] == "key: U"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=160, record=True)
        console.print(app.screen.query_one("#help-table").content)
        rows = {line.split(maxsplit=1)[-1].strip(): line.split()[0]
                for line in console.export_text().splitlines() if line.strip()}
        for title, key in VIEW_KEYS.items():
            assert rows.get(title) == key, (title, rows.get(title))
        assert rows["Undo mark"] == "U"
        await pilot.press("escape", "A", "U")
        await pilot.pause()
        assert screen.status.unread == 31  # the moved key undid the whole change


async def test_a_sorted_library_is_indexed_again_and_searched_whole(data_dir: Path) -> None:
    from reader.model import Paper

    store = Store(data_dir)
    store.open()
    store.add_papers([Paper(title=f"Paper number {i}", arxiv_id=f"2401.{i:05d}", upvotes=i % 97,
                            published=f"2024-01-{1 + i % 28:02d}") for i in range(2100)])
    store.close()
    app = make_app(["--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert len(screen.papers) == 2100
        await pilot.press("s")
        screen = await settled(pilot)
        assert screen.index is not None and not screen.status.indexing
        upvotes = [p.upvotes for p in screen.papers]
        assert upvotes == sorted(upvotes, reverse=True)
        await pilot.press("slash", *typed("number 2099"), "enter")
        await pilot.pause()
        assert titles(screen) == ["Paper number 2099"]


async def test_a_first_visit_loads_in_the_background_while_keys_answer(server: FixtureServer, data_dir: Path) -> None:
    import asyncio

    def slow_month(request: Recorded) -> Reply:
        reply = daily_route(request)
        if "month" in request.params:
            reply.delay = 1.0
        return reply

    server.routes["/api/daily_papers"] = slow_month
    app = day_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await pilot.press("3")
        await pilot.pause()
        assert screen.views.current.name == "Monthly" and screen.status.loading
        assert "loading" in str(screen.query_one("#status").render())
        await pilot.press("1")  # the month is still coming: the daily list answers at once
        await pilot.pause()
        assert titles(screen) == ["Day One", "Day Two", "Day Three"] and not screen.status.loading
        await pilot.press("j")
        assert current(screen) == "Day Two"
        for _ in range(100):
            if screen.views.by_number(3).loaded:
                break
            await asyncio.sleep(0.05)
        assert titles(screen) == ["Day One", "Day Two", "Day Three"]  # arrived elsewhere: not shown here
        await pilot.press("3")
        await pilot.pause()
        assert titles(screen)[0] == "Month Paper 1" and not screen.status.loading


async def test_switching_to_a_view_without_a_notice_keeps_the_list_where_it_is(server: FixtureServer,
                                                                               data_dir: Path) -> None:
    app = day_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
    app = make_app(["--date", "2025-03-18", "--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert screen.status.notice  # offline: the day's saved copy, said in the header
        top = screen.paper_list.region.y
        await pilot.press("5")  # the library: no notice
        screen = await settled(pilot)
        assert not screen.status.notice
        assert screen.paper_list.region.y == top  # the header kept its height: no layout, no jump
        await pilot.press("1")
        screen = await settled(pilot)
        assert screen.paper_list.region.y == top


async def test_7_goes_back_to_the_sample_the_reader_started_on(data_dir: Path) -> None:
    app = make_app(["--sample", "--offline", "--data-dir", str(data_dir)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        sample = screen.views.current
        await pilot.press("5")
        screen = await settled(pilot)
        assert screen.views.current.name == "Library"
        await pilot.press("7")
        assert screen.views.current is sample and screen.session.counts.total == 31
    app = make_app(["--offline", "--data-dir", str(data_dir)])  # the library
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await pilot.press("7")
        await pilot.pause()
        assert screen.views.current.name == "Library"
        assert any("No file or sample view" in n.message for n in app._notifications)
