"""Pilot tests: the app driven by keys on fixed demo data, asserting on what it shows and stores."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from app_fixtures import HOSTILE_TITLES, NOW, build_incidents, demo_batch, demo_store
from textual.content import Content
from textual.widgets import DataTable, Select

from monitor.app.app import SituationRoom
from monitor.app.board import PAGE_SIZE, Snapshot
from monitor.app.screens.detail import ForceScreen, IncidentScreen
from monitor.app.screens.filters import FiltersScreen
from monitor.app.screens.main import MainScreen
from monitor.app.sink import AppSink
from monitor.app.widgets.incidents import IncidentTable
from monitor.app.widgets.status import StatusLine
from monitor.models import Category, Severity
from monitor.store import Batch, Store

SIZE = (120, 40)


@dataclass
class Opened:
    urls: list[str]

    def __call__(self, url: str) -> None:
        self.urls.append(url)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with demo_store(tmp_path / "data") as opened:
        yield opened


def make_app(store: Store, **kwargs: object) -> tuple[SituationRoom, Opened]:
    opened = Opened([])
    app = SituationRoom(store, now=lambda: NOW, opener=opened, **kwargs)  # type: ignore[arg-type]
    return app, opened


def table_titles(app: SituationRoom) -> list[str]:
    table = app.screen.query_one(IncidentTable)
    return [str(table.get_row_at(r)[4]) for r in range(table.row_count)]


async def test_main_screen_shows_every_board(store: Store) -> None:
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.query_one("#incident-table", DataTable).row_count == 24
        assert screen.query_one("#forces", DataTable).row_count == 4
        assert screen.query_one("#zones", DataTable).row_count == 7
        assert screen.query_one("#feeds", DataTable).row_count == 6
        status = screen.query_one(StatusLine)
        # old-f never recorded a successful poll: neither OK nor failing
        assert (status.feeds_ok, status.feeds_failing, status.unacknowledged) == (3, 2, 10)
        feeds = screen.query_one("#feeds", DataTable)
        health = {str(feeds.get_row_at(r)[0]): str(feeds.get_row_at(r)[1]) for r in range(feeds.row_count)}
        assert health == {
            "wire-a": "OK",
            "outlet-b": "OK",
            "outlet-c": "failing",
            "ngo-d": "silent",
            "party-e": "gone",
            "old-f": "moved",
        }


async def test_incidents_newest_first(store: Store) -> None:
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(IncidentTable)
        ids = [table.ids[r] for r in range(table.row_count)]
        assert ids == sorted(ids)  # fixture ids grow as incidents get older


async def test_hostile_titles_show_literally(store: Store) -> None:
    from monitor.app.safe import plain

    store.commit(demo_batch(40))
    app, _ = make_app(store)  # every hostile title is among the first 40
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for title in HOSTILE_TITLES:
            titles = table_titles(app)
            assert plain(title) in titles, title
            app.screen.query_one(IncidentTable).move_cursor(row=titles.index(plain(title)))
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, IncidentScreen)
            headline = app.screen.query_one("#headline").render()
            assert isinstance(headline, Content)
            assert headline.plain.startswith(plain(title))
            assert "\x1b" not in headline.plain
            await pilot.press("escape")
            await pilot.pause()
            assert app.is_running  # [@click=app.quit] did not act
        assert "[@click=app.quit]w" in titles and "[link=https://evil.example]z" in titles


async def test_click_on_markup_title_does_not_act(store: Store) -> None:
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = table_titles(app).index("[@click=app.quit]w")
        table = app.screen.query_one(IncidentTable)
        table.move_cursor(row=row)
        await pilot.pause()
        region = table.region
        await pilot.click(IncidentTable, offset=(50, row + 1 - table.scroll_offset.y))
        await pilot.pause()
        assert app.is_running
        assert region.width > 0


async def test_navigation_detail_and_back(store: Store) -> None:
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        assert screen.incident.id == "inc-00002"
        sources = screen.query_one("#sources", DataTable)
        assert sources.row_count == 3  # every source, with outlet, tier and link
        outlets = {str(sources.get_row_at(r)[1]) for r in range(3)}
        assert outlets == {"wire-a", "outlet-b", "outlet-c"}
        assert "https://outlet-c.example/news/2" in str(sources.get_row_at(0)[5])  # oldest report first
        evidence = screen.query_one("#evidence").render()
        assert isinstance(evidence, Content)
        assert "safe_zone.basic" in evidence.plain
        assert any("reverse" in str(span.style) for span in evidence.spans)  # the evidence is highlighted
        entities = screen.query_one("#entities").render()
        assert isinstance(entities, Content) and "Egypt" in entities.plain
        history = screen.query_one("#history").render()
        assert isinstance(history, Content) and "reported by" in history.plain
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_force_detail_shows_evidence_per_status(store: Store) -> None:
    app, opened = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#forces", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ForceScreen)
        assert screen.force.contributor == "Indonesia"
        table = screen.query_one("#sources", DataTable)
        assert table.row_count == 2
        await pilot.press("o")
        assert opened.urls == ["https://wire-a.example/f/1"]


async def test_enter_on_a_zone_filters_incidents(store: Store) -> None:
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        zones = app.screen.query_one("#zones", DataTable)
        zones.focus()
        await pilot.press("enter")  # the busiest zone: Rafah
        await pilot.pause()
        shown = [app.board.incidents[i] for i in app.screen.query_one(IncidentTable).ids]
        assert shown and {i.zone for i in shown} == {"Rafah"}
        assert app.screen.focused is app.screen.query_one(IncidentTable)


async def test_search_filters_titles(store: Store) -> None:
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"drone", "enter")
        await pilot.pause()
        titles = table_titles(app)
        assert titles and all("Drone" in t for t in titles)
        await pilot.press("escape")
        await pilot.pause()
        assert len(table_titles(app)) == 24


async def test_filters_dialog(store: Store) -> None:
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FiltersScreen)
        dialog.query_one("#category", Select).value = Category.CEASEFIRE_VIOLATION
        dialog.query_one("#severity", Select).value = Severity.HIGH
        dialog.query_one("#zone", Select).value = "Rafah"
        dialog.query_one("#hours", Select).value = "24 h"
        await pilot.click("#apply")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        table = app.screen.query_one(IncidentTable)
        shown = [app.board.incidents[i] for i in table.ids]
        assert shown
        for incident in shown:
            assert incident.category == Category.CEASEFIRE_VIOLATION
            assert incident.severity.rank >= Severity.HIGH.rank
            assert incident.zone == "Rafah"
            assert (NOW - incident.last_seen).total_seconds() <= 24 * 3600
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 24


async def test_unacknowledged_only_and_acknowledge_persists(store: Store) -> None:
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert store.acknowledged() == {"inc-00000"}
        assert app.screen.query_one(StatusLine).unacknowledged == 9
        await pilot.press("u")
        await pilot.pause()
        assert "inc-00000" not in app.screen.query_one(IncidentTable).ids
        assert app.screen.query_one(IncidentTable).row_count == 23
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("up", "a")  # toggles back
        await pilot.pause()
        assert store.acknowledged() == set()


async def test_mute_persists_and_leaves_the_ticker(store: Store) -> None:
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "m")
        await pilot.pause()
        assert store.muted() == {"inc-00001"}
        assert all(a.incident != "inc-00001" for a in app.board.unacknowledged_alerts())
        assert "muted" in app.board.status_of(app.board.incidents["inc-00001"])


async def test_acknowledged_marks_load_from_the_store(store: Store) -> None:
    store.acknowledge(["inc-00000", "inc-00001"])
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(StatusLine).unacknowledged == 8


async def test_open_link_from_main_and_detail(store: Store) -> None:
    app, opened = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        assert opened.urls == ["https://wire-a.example/news/0"]
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("tab", "enter")  # the detail scrolls at once; Tab reaches the sources, oldest first
        await pilot.press("down", "enter")
        assert opened.urls[1:] == ["https://outlet-b.example/news/1", "https://wire-a.example/news/1"]


async def test_link_is_shown_when_no_browser_starts(store: Store) -> None:
    app = SituationRoom(store, now=lambda: NOW, opener=lambda url: False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        shown = [n.message for n in app._notifications]
        assert shown == ["No browser could be started. The link: https://wire-a.example/news/0"]


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "file:///etc/passwd", "https://a.example/x y", "ftp://a.example/f"]
)
async def test_open_link_refuses_other_schemes(tmp_path: Path, link: str) -> None:
    incident = build_incidents(1, now=NOW)[0]
    source = incident.sources[0].model_copy(update={"link": link})
    store = Store.open(tmp_path, now=lambda: NOW)
    store.commit(Batch(incidents=[incident.model_copy(update={"sources": (source,)})]))
    app, opened = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert opened.urls == []


async def test_paging_keeps_the_table_to_one_page(store: Store) -> None:
    store.commit(demo_batch(120))
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(IncidentTable)
        assert table.row_count == PAGE_SIZE == 50
        first = table.ids[0]
        await pilot.press("n")
        await pilot.pause()
        assert table.row_count == 50 and table.ids[0] == "inc-00050"
        await pilot.press("n", "n")
        await pilot.pause()
        assert table.row_count == 20
        await pilot.press("p", "p", "p")
        await pilot.pause()
        assert table.ids[0] == first


async def test_command_palette_runs_actions(store: Store) -> None:
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Acknowledge incident")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert store.acknowledged() == {"inc-00000"}


async def test_every_binding_of_ours_has_a_palette_entry(store: Store) -> None:
    from monitor.app.commands import ActionsProvider
    from monitor.app.keys import APP_KEYS, MAIN_KEYS

    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        provider = ActionsProvider(app.screen)
        actions = {action for _, _, action, _ in provider._available()}
        for binding in [*APP_KEYS, *MAIN_KEYS]:
            assert binding.action in actions, binding.action


async def test_ticker_moves_on_and_returns_to_the_newest(store: Store) -> None:
    from monitor.app.widgets.ticker import AlertTicker

    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ticker = app.screen.query_one(AlertTicker)
        first = ticker.render().plain
        ticker._step()
        await pilot.pause()
        moved = ticker.render().plain
        assert moved != first and moved.split("  ◆  ")[0] == first.split("  ◆  ")[1]
        await pilot.press("a")  # the newest is acknowledged: the ticker starts again from the new newest
        await pilot.pause()
        assert ticker.start == 0


async def test_theme_toggles_between_light_and_dark(store: Store) -> None:
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dark = app.current_theme.dark
        await pilot.press("t")
        assert app.current_theme.dark is not dark


async def test_no_color_is_honoured(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app, _ = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.no_color


async def test_reports_from_the_pipeline_update_the_boards(store: Store) -> None:
    more = build_incidents(30, now=datetime(2026, 11, 24, 6, 0, tzinfo=NOW.tzinfo))
    fresh = [i.model_copy(update={"id": f"new-{n}"}) for n, i in enumerate(more)]

    async def runner(sink: AppSink, stop: asyncio.Event) -> None:
        await sink.deliver(Snapshot(at=NOW, incidents=fresh[:10]))
        await sink.deliver(Snapshot(at=NOW, incidents=fresh[10:]))
        await stop.wait()

    app, _ = make_app(store, runner=runner)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if len(app.board.incidents) == 54:
                break
        await pilot.pause()
        table = app.screen.query_one(IncidentTable)
        assert table.row_count == PAGE_SIZE
        assert table.ids[0] == "new-0"
        assert table.current_id() == "new-0"  # a cursor at the top stays with the newest
        assert "Incidents 54" in str(app.screen.query_one("#incidents").border_title)


async def test_quitting_stops_the_pipeline_thread_and_a_last_report_is_harmless(store: Store) -> None:
    stopped: list[bool] = []

    async def runner(sink: AppSink, stop: asyncio.Event) -> None:
        await stop.wait()
        # what was fetched before the stop is committed and delivered while the app closes
        await sink.deliver(Snapshot(at=NOW, incidents=build_incidents(3, now=NOW)))
        stopped.append(True)

    app, _ = make_app(store, runner=runner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
    assert await asyncio.to_thread(app.pipeline_done.wait, 10)
    assert stopped == [True]


def _failing(message: str) -> Callable[[AppSink, asyncio.Event], object]:
    async def runner(sink: AppSink, stop: asyncio.Event) -> None:
        raise RuntimeError(message)

    return runner


async def test_a_failing_pipeline_is_shown_in_words_and_the_app_stays(store: Store) -> None:
    app, _ = make_app(store, runner=_failing("feeds.yaml disappeared"))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if app.trouble:
                break
        assert app.is_running
        assert "feeds.yaml disappeared" in app.trouble
        status = app.screen.query_one(StatusLine)
        assert "feeds.yaml disappeared" in status.render().plain
        await pilot.press("down")
        assert app.screen.query_one(IncidentTable).cursor_row == 1


async def test_a_report_changing_incidents_on_the_page_redraws_only_their_cells(store: Store) -> None:
    # The page keeps the same incidents on the same rows: the table is not rebuilt, the changed
    # cells are drawn again, and every other cell stays the one already drawn.
    sinks: list[AppSink] = []

    async def runner(sink: AppSink, stop: asyncio.Event) -> None:
        sinks.append(sink)
        await stop.wait()

    app, _ = make_app(store, runner=runner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while not sinks:
            await pilot.pause(0.02)
        table = app.screen.query_one(IncidentTable)
        ids = table.ids
        before = [table.get_row_at(r) for r in range(table.row_count)]
        third = app.board.incidents[ids[2]]
        hostile = "[bold red]Shelling[/] in [@click=app.quit]Rafah"
        changed = third.model_copy(update={"title": hostile, "status": "disputed"})
        await sinks[0].deliver(Snapshot(at=NOW, incidents=[changed]))
        for _ in range(50):
            await pilot.pause(0.02)
            if app.board.incidents[ids[2]] is changed:
                break
        await pilot.pause()
        assert table.ids == ids
        after = [table.get_row_at(r) for r in range(table.row_count)]
        assert str(after[2][4]) == hostile  # literally: no markup parsed
        assert "disputed" in str(after[2][6])
        for row in (0, 1, 3, len(ids) - 1):
            assert all(a is b for a, b in zip(after[row], before[row], strict=True)), row
        assert [a is b for a, b in zip(after[2], before[2], strict=True)] == [True] * 4 + [False, True, False]
        await pilot.press("a")  # acknowledge the first row: its status cell alone is drawn again
        await pilot.pause()
        marked = table.get_row_at(0)
        assert str(marked[6]).startswith("✓")
        assert [a is b for a, b in zip(marked, after[0], strict=True)] == [True] * 6 + [False]
