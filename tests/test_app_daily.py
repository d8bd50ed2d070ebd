"""Pilot tests of the app for daily use: help, every panel by keyboard at 80×24, details that scroll,
the feed detail, columns that give way, search, pause, acknowledge all, bell, remembered theme."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from app_fixtures import NOW, build_incidents, demo_store
from textual.widgets import DataTable, Select

from monitor.app.app import SituationRoom
from monitor.app.board import Board, Filters, Snapshot
from monitor.app.screens.confirm import ConfirmScreen
from monitor.app.screens.detail import FeedScreen, IncidentScreen
from monitor.app.screens.filters import FiltersScreen
from monitor.app.screens.help import HelpScreen
from monitor.app.screens.main import MainScreen
from monitor.app.sink import AppSink
from monitor.app.widgets.incidents import IncidentTable, visible_columns
from monitor.app.widgets.labels import short_time
from monitor.app.widgets.status import StatusLine
from monitor.models import Alert, Category, Severity
from monitor.store import Store

SMALL = (80, 24)
BIG = (120, 40)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with demo_store(tmp_path / "data") as opened:
        yield opened


def make_app(store: Store, **kwargs: object) -> SituationRoom:
    return SituationRoom(store, now=lambda: NOW, opener=lambda url: None, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_opens_with_question_mark_or_f1_and_closes_with_esc_or_question_mark(
    store: Store, key: str
) -> None:
    from monitor.app.keys import (
        APP_KEYS,
        CONFIRM_KEYS,
        DETAIL_KEYS,
        FEED_KEYS,
        FILTER_KEYS,
        HELP_KEYS,
        INCIDENT_KEYS,
        MAIN_KEYS,
        key_names,
    )

    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(s.render()) for s in app.screen.query(".help-keys, .help-does"))
        every = [*APP_KEYS, *MAIN_KEYS, *DETAIL_KEYS, *INCIDENT_KEYS, *FEED_KEYS, *HELP_KEYS]
        for binding in [*every, *FILTER_KEYS, *CONFIRM_KEYS]:
            assert key_names(binding) in shown and binding.tooltip in shown, binding
        await pilot.press("pagedown")  # scrolls at once, no Tab first
        await pilot.pause()
        assert app.screen.query_one("#help").scroll_y > 0
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press(key, "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_palette_keys_entry_is_the_help_screen_and_esc_closes_it(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Keys") == 1 and "Quit" not in titles  # Quit is ours, once
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Keys")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_one_theme_command_in_the_palette(store: Store) -> None:
    from monitor.app.commands import ActionsProvider

    app = make_app(store)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        ours = [does for does, *_ in ActionsProvider(app.screen)._available() if "theme" in does.casefold()]
        system = [c.title for c in app.get_system_commands(app.screen) if "theme" in c.title.casefold()]
        assert len(ours) + len(system) == 2  # Textual's theme picker and the t key, no second toggle
        assert system == ["Theme"]


async def test_every_panel_is_reached_by_tab_at_80x24_and_enter_on_a_zone_works(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        reached = []
        for _ in range(4):
            reached.append(app.screen.focused.id if app.screen.focused else None)
            await pilot.press("tab")
            await pilot.pause()
        assert reached == ["incident-table", "zones", "forces", "feeds"]
        zones = app.screen.query_one("#zones", DataTable)
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.focused is zones
        assert zones.region.height > 0 and zones.region.y < 24  # scrolled into view under the map
        await pilot.press("enter")
        await pilot.pause()
        shown = {app.board.incidents[i].zone for i in app.screen.query_one(IncidentTable).ids}
        assert shown == {"Rafah"}


async def test_detail_scrolls_at_once_with_pagedown(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        detail = app.screen.query_one("#detail")
        await pilot.press("pagedown")
        await pilot.pause()
        assert detail.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        history = app.screen.query_one("#history")
        assert history.region.height > 0  # History is reachable, not below the fold for ever


async def test_enter_on_a_feed_shows_its_url_status_and_whole_error(store: Store) -> None:
    long_error = "HTTP 403 Forbidden (failed on every retry; the server said: " + "x" * 150 + ")"
    states = store.feed_states()
    app = make_app(store)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        failing = states["outlet-c"].model_copy(update={"last_error": long_error, "last_status": 403})
        app.post_message(_report(feeds={"outlet-c": failing}))
        await pilot.pause()
        await pilot.press("4")  # the feeds panel; trouble is listed first
        await pilot.pause()
        feeds = app.screen.query_one("#feeds", DataTable)
        while feeds.coordinate_to_cell_key(feeds.cursor_coordinate).row_key.value != "outlet-c":
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FeedScreen) and screen.feed_name == "outlet-c"
        plain = " ".join(str(v.render()) for v in screen.query(".feed-label, .feed-value"))
        assert long_error in plain
        assert "https://outlet-c.example/rss" in plain and "403" in plain
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


def _report(**fields: object) -> object:
    from monitor.app.messages import ReportArrived

    return ReportArrived(Snapshot(at=NOW, **fields))  # type: ignore[arg-type]


def test_feed_polls_are_remembered_from_reports() -> None:
    from app_fixtures import build_feeds

    board = Board()
    feeds = build_feeds()
    board.apply(Snapshot(at=NOW, feeds=feeds))
    later = NOW + timedelta(minutes=5)
    failed = feeds["outlet-c"].model_copy(update={"last_attempt": later, "last_error": "HTTP 500 oops"})
    board.apply(Snapshot(at=later, feeds={"outlet-c": failed}))
    ok = feeds["wire-a"].model_copy(update={"last_attempt": later, "last_success": later, "last_status": 200})
    board.apply(Snapshot(at=later, feeds={"wire-a": ok}))
    assert [(p.ok, p.error) for p in board.polls["outlet-c"]] == [(False, "HTTP 500 oops")]
    assert [(p.ok, p.status) for p in board.polls["wire-a"]] == [(True, 200)]


@pytest.mark.parametrize(
    ("width", "dropped"),
    [(200, set()), (100, set()), (90, {"src"}), (80, {"src", "category"})],
)
def test_incident_columns_give_way_by_priority(width: int, dropped: set[str]) -> None:
    shown = dict(visible_columns(width, 12))
    assert {"time", "sev", "category", "zone", "title", "src", "status"} - set(shown) == dropped
    assert shown["title"] >= 24
    assert sum(w + 2 for w in shown.values()) + 3 <= width


async def test_forces_changed_column_appears_when_there_is_room(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        forces = app.screen.query_one("#forces", DataTable)
        names = [str(c.label) for c in forces.columns.values()]
        assert "changed" in names
        width = sum(c.get_render_width(forces) for c in forces.columns.values())
        assert width <= forces.size.width  # nothing cut at the panel's edge


def test_times_show_the_hour_whatever_the_day() -> None:
    assert short_time(NOW - timedelta(minutes=5), NOW) == "03:55"
    assert short_time(NOW - timedelta(days=3), NOW) == "21 Nov 04:00"


@pytest.mark.parametrize(
    ("query", "title", "found"),
    [
        ("khan yunis", "Shelling east of Khan Younis", True),
        ("KHAN YOUNIS", "Shelling east of Khan Yunis", True),
        ("killed", "Two kills reported in Rafah", True),
        ("kills", "two killed", True),
        ("shelling", "Tanks shelled the camp", True),
        ("deir el-balah", "Strike in Deir al-Balah", True),
        ("rafah", "Evacuation ordered in Rafāh", True),
        ("jabaliya", "Raid in Jabalia", True),
        ("drone", "Gunfire at an aid queue", False),
        ("beit lahia", "Raid in Jabalia", False),  # two places of one governorate stay two
    ],
)
def test_search_finds_what_a_person_means(query: str, title: str, found: bool) -> None:
    incident = build_incidents(1, now=NOW)[0].model_copy(update={"title": title, "zone": "x", "actors": ()})
    board = Board()
    board.apply(Snapshot(at=NOW, incidents=[incident]))
    assert bool(board.view(Filters(text=query), NOW)) is found


def test_search_reads_summaries_actors_and_countries() -> None:
    incident = build_incidents(1, now=NOW)[0].model_copy(
        update={"title": "Incident", "actors": ("Hamas",), "countries": ("Egypt",), "zone": "x"}
    )
    board = Board()
    board.apply(Snapshot(at=NOW, incidents=[incident]))
    assert board.view(Filters(text="egypt hamas"), NOW)
    assert not board.view(Filters(text="bulldozer"), NOW)
    board.add_summaries({incident.sources[0].item_key: "A bulldozer cleared the road."})
    assert board.view(Filters(text="bulldozers"), NOW)


async def test_search_matches_are_highlighted_without_markup(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"khan yunis", "enter")
        await pilot.pause()
        table = app.screen.query_one(IncidentTable)
        titles = [
            table.get_row_at(r)[[n for n, _ in table.shown].index("title")] for r in range(table.row_count)
        ]
        assert titles and all("Khan Younis" in t.plain for t in titles)
        first = titles[0]
        marked = [first.plain[s.start : s.end] for s in first.spans if "reverse" in str(s.style)]
        assert "Khan Younis" in " ".join(marked)


async def test_search_on_markup_text_shows_it_literally(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"click", "enter")
        await pilot.pause()
        table = app.screen.query_one(IncidentTable)
        title = table.get_row_at(0)[[n for n, _ in table.shown].index("title")]
        assert title.plain == "[@click=app.quit]w"
        assert app.is_running


async def test_space_pauses_with_a_count_of_what_waits(store: Store) -> None:
    more = [i.model_copy(update={"id": f"new-{n}"}) for n, i in enumerate(build_incidents(3, now=NOW))]
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("space")
        app.post_message(_report(incidents=more))
        await pilot.pause()
        status = app.screen.query_one(StatusLine)
        assert "PAUSED, 3 new" in status.render().plain
        assert "new-0" not in app.screen.query_one(IncidentTable).ids
        await pilot.press("space")
        await pilot.pause()
        assert "PAUSED" not in status.render().plain
        assert app.screen.query_one(IncidentTable).ids[0] == "new-0"


async def test_shift_a_acknowledges_everything_shown_after_asking(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"rafah", "enter")
        await pilot.pause()
        shown = set(app.screen.query_one(IncidentTable).ids)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing changes
        await pilot.pause()
        assert store.acknowledged() == set()
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert store.acknowledged() == shown and len(shown) > 3


def _critical_alert(n: int) -> Alert:
    return Alert(
        id=f"crit-{n}",
        ts=NOW,
        kind="new",
        category=Category.CEASEFIRE_VIOLATION,
        severity=Severity.CRITICAL,
        title="Strike",
        incident=None,
    )


async def test_bell_rings_on_critical_alerts_only_when_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    rang: list[bool] = []
    app = make_app(store)
    monkeypatch.setattr(app, "bell", lambda: rang.append(True))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.post_message(_report(alerts=[_critical_alert(1)]))
        await pilot.pause()
        assert rang == []  # off by default
        await pilot.press("b")
        app.post_message(_report(alerts=[_critical_alert(2)]))
        await pilot.pause()
        assert rang == [True]
        assert "bell on" in app.screen.query_one(StatusLine).render().plain


async def test_bell_setting_from_feeds_yaml_turns_it_on(store: Store) -> None:
    app = make_app(store, bell=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.bell_on_critical


async def test_theme_is_remembered(store: Store, tmp_path: Path) -> None:
    prefs = tmp_path / "state" / "app.json"
    app = make_app(store, prefs=prefs)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert not prefs.exists()  # nothing written until the theme changes
        await pilot.press("t")
        await pilot.pause()
        chosen = app.theme
    again = make_app(store, prefs=prefs)
    async with again.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert again.theme == chosen != "textual-dark"


async def test_filter_dialog_labels_are_the_tables(store: Store) -> None:
    from monitor.app.widgets.labels import CATEGORY_LABEL

    app = make_app(store)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FiltersScreen)
        select = app.screen.query_one("#category", Select)
        labels = [str(prompt) for prompt, _ in select._options[1:]]
        assert labels == [CATEGORY_LABEL[c] for c in Category]
        assert "violation" in labels and "ceasefire_violation" not in labels


async def test_header_says_what_it_counts_and_pages_are_shown(store: Store) -> None:
    from app_fixtures import demo_batch

    store.commit(demo_batch(120))
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert "unacked alerts" in app.screen.query_one(StatusLine).render().plain
        panel = app.screen.query_one("#incidents")
        assert "page 1 of 3" in str(panel.border_subtitle)
        await pilot.press("n")
        await pilot.pause()
        assert "51–100 of 120" in str(panel.border_subtitle)


async def test_r_asks_the_pipeline_to_poll_now(store: Store) -> None:
    asked: list[str] = []

    async def runner(sink: AppSink, stop: asyncio.Event) -> None:
        get = asyncio.ensure_future(sink.requests.get())
        done, _ = await asyncio.wait({get, asyncio.ensure_future(stop.wait())}, return_when="FIRST_COMPLETED")
        if get in done:
            asked.append(get.result())
        await stop.wait()

    app = make_app(store, runner=runner)
    async with app.run_test(size=SMALL) as pilot:
        for _ in range(20):
            await pilot.pause(0.05)
            if app._sink is not None:
                break
        await pilot.press("r")
        for _ in range(40):
            await pilot.pause(0.05)
            if asked:
                break
        assert asked == ["poll"]


async def test_search_reads_stored_summaries_after_loading_them(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"morning of the report")  # only the fixture summaries say this
        for _ in range(40):
            await pilot.pause(0.05)
            if app.board.summaries:
                break
        await pilot.pause()
        assert app.screen.query_one(IncidentTable).row_count == 24
        await pilot.press(*" zzz")
        await pilot.pause()
        assert app.screen.query_one(IncidentTable).row_count == 0


def test_typing_on_gives_what_a_fresh_search_gives() -> None:
    rows = build_incidents(40, now=NOW)
    typed = Board()
    typed.apply(Snapshot(at=NOW, incidents=rows))
    for query in (
        "k",
        "ki",
        "kil",
        "killi",
        "killin",
        "killing",
        "killing g",
        "killing gaza",
        "r",
        "ra",
        "rafah",
    ):
        again = Board()
        again.apply(Snapshot(at=NOW, incidents=rows))
        assert [i.id for i in typed.view(Filters(text=query), NOW)] == [
            i.id for i in again.view(Filters(text=query), NOW)
        ], query


def test_search_reads_titles_as_shown_not_their_escape_sequences() -> None:
    incident = build_incidents(1, now=NOW)[0].model_copy(
        update={"title": "\x1b[31mred alert\x1b[0m in Rafah", "zone": "x"}
    )
    board = Board()
    board.apply(Snapshot(at=NOW, incidents=[incident]))
    assert board.view(Filters(text="red alert"), NOW)


def test_every_screen_takes_its_bindings_from_the_key_table() -> None:
    from monitor.app import keys
    from monitor.app.screens.detail import DetailScreen, FeedScreen, ForceScreen

    tables = {
        SituationRoom: keys.APP_KEYS,
        MainScreen: keys.MAIN_KEYS,
        DetailScreen: keys.DETAIL_KEYS,
        IncidentScreen: keys.INCIDENT_KEYS,
        FeedScreen: keys.FEED_KEYS,
        HelpScreen: keys.HELP_KEYS,
        FiltersScreen: keys.FILTER_KEYS,
        ConfirmScreen: keys.CONFIRM_KEYS,
    }
    for screen, table in tables.items():
        assert table == screen.BINDINGS, screen
    assert "BINDINGS" not in vars(ForceScreen)  # the detail screen's own


async def test_help_says_which_feeds_yaml_is_in_use(store: Store, tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    app = make_app(store, config=config, prefs=tmp_path / "app.json")
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        where = str(app.screen.query_one("#help-where").render())
        prefs = str(app.screen.query_one("#help-prefs").render())
        assert str(config) in where and str(tmp_path / "app.json") in prefs
        assert "Theme" not in where  # each on a line of its own


def test_held_reports_count_each_new_incident_once() -> None:
    from monitor.app.board import HeldReports

    board = Board()
    old = build_incidents(2, now=NOW)
    board.apply(Snapshot(at=NOW, incidents=old))
    fresh = [i.model_copy(update={"id": f"new-{n}"}) for n, i in enumerate(build_incidents(3, now=NOW))]
    held = HeldReports()
    held.add(Snapshot(at=NOW, incidents=[*old, fresh[0]]), board)
    held.add(Snapshot(at=NOW, incidents=fresh), board)  # new-0 again, updated
    assert held.new == 3
    assert len(held.release()) == 2 and held.new == 0


async def test_a_source_title_and_link_cut_in_the_table_are_shown_in_full_below(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        full = app.screen.query_one("#source-full")
        first = str(full.render())
        assert "Drone strike on a vehicle in Gaza City, two killed" in first
        assert "https://outlet-b.example/news/1" in first
        await pilot.press("tab", "down")
        await pilot.pause()
        assert "https://wire-a.example/news/1" in str(full.render())


async def test_slash_inside_the_search_box_is_typed(store: Store) -> None:
    from textual.widgets import Input

    app = make_app(store)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"a/b")
        await pilot.pause()
        assert app.screen.query_one("#search", Input).value == "a/b"
