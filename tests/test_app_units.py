"""Table-driven tests of the app's pure parts: display sanitising, links, feed health, filters, paging."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from app_fixtures import NOW, build_feeds, build_incidents

from monitor.app.board import Board, Filters, Snapshot, page_of
from monitor.app.health import feed_health
from monitor.app.launch import run_pipeline
from monitor.app.links import is_openable
from monitor.app.messages import PipelineWarning
from monitor.app.safe import cell, content, plain
from monitor.app.sink import AppSink
from monitor.app.widgets.zonemap import by_map_name, draw_map, shade
from monitor.config import Settings
from monitor.models import Category, FeedState, Severity, ZoneEntry
from monitor.store import Store


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("[bold]x", "[bold]x"),
        ("[@click=app.quit]w", "[@click=app.quit]w"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]0;title\x07after", "after"),
        ("\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x9b2Jx", "x"),
        ("a\x00b\x07c\x7fd", "abcd"),
        ("right\u202eto-left", "rightto-left"),
        ("  many \n\t spaces ", "many spaces"),
        ("\x1bPdevice\x1b\\ok", "ok"),
        (None, ""),
    ],
)
def test_plain_strips_sequences_keeps_text(raw: str | None, shown: str) -> None:
    assert plain(raw) == shown
    assert content(raw).plain == shown
    assert cell(raw).plain == shown


def test_plain_truncates_with_an_ellipsis() -> None:
    assert plain("abcdef", max_len=4) == "abc…"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://a.example/x", True),
        ("http://a.example/", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("https://a.example/a b", False),
        ("https://a.example/\x1b[2J", False),
        ("https:///nohost", False),
        ("-https://a.example", False),
        (None, False),
    ],
)
def test_is_openable(url: str | None, ok: bool) -> None:
    assert is_openable(url) is ok


@pytest.mark.parametrize(
    ("name", "status", "words"),
    [
        ("wire-a", "OK", "120 items"),
        ("outlet-c", "failing", "the server answered 503"),
        ("ngo-d", "silent", "nothing new for 3 days"),
        ("party-e", "gone", "410"),
        ("old-f", "moved", "https://new-f.example/rss"),
    ],
)
def test_feed_health_in_words(name: str, status: str, words: str) -> None:
    health = feed_health(build_feeds()[name], NOW)
    assert health.status == status
    assert words in health.words


def test_feed_health_new_before_first_poll() -> None:
    assert feed_health(FeedState(url="https://x.example"), NOW).status == "new"


def _board(count: int = 40) -> Board:
    board = Board()
    board.apply(Snapshot(at=NOW, incidents=build_incidents(count)))
    return board


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (Filters(category=Category.UXO), lambda i: i.category == Category.UXO),
        (Filters(min_severity=Severity.HIGH), lambda i: i.severity.rank >= Severity.HIGH.rank),
        (Filters(zone="Gaza City"), lambda i: i.zone == "Gaza City"),
        (Filters(hours=6), lambda i: NOW - i.last_seen <= timedelta(hours=6)),
        (Filters(text="khan"), lambda i: "khan" in (i.title + i.zone).casefold()),
    ],
)
def test_filters_keep_only_matching(filters: Filters, check: object) -> None:
    board = _board()
    rows = board.view(filters, NOW)
    assert rows
    assert len(rows) < len(board.incidents)
    assert all(check(i) for i in rows)  # type: ignore[operator]


def test_unacknowledged_filter_hides_acknowledged() -> None:
    board = _board()
    board.set_marks(["inc-00000"], [])
    rows = board.view(Filters(unacknowledged=True), NOW)
    assert "inc-00000" not in {i.id for i in rows}
    assert len(rows) == 39


def test_view_is_cached_until_data_changes() -> None:
    board = _board()
    first = board.view(Filters(), NOW)
    assert board.view(Filters(), NOW) is first
    shown = [i.id for i in first]
    new = build_incidents(1, now=NOW + timedelta(hours=1))[0].model_copy(update={"id": "inc-new"})
    board.apply(Snapshot(at=NOW, incidents=[new]))
    # a few changes are patched into the cached list in place: what counts is that it shows them
    assert [i.id for i in board.view(Filters(), NOW)] == ["inc-new", *shown]
    assert len(board.view(Filters(), NOW)) == len(board.incidents)


@pytest.mark.parametrize(
    ("rows", "number", "expect"), [(120, 0, (0, 3, 50)), (120, 9, (2, 3, 20)), (0, 1, (0, 1, 0))]
)
def test_page_of_clamps(rows: int, number: int, expect: tuple[int, int, int]) -> None:
    page = page_of(build_incidents(rows) if rows else [], number)
    assert (page.number, page.count, len(page.rows)) == expect


@pytest.mark.parametrize(("count", "glyph"), [(0, "·"), (1, "░"), (4, "▒"), (7, "▓"), (25, "█")])
def test_map_shading(count: int, glyph: str) -> None:
    assert shade(count)[0] == glyph


def test_map_draws_every_governorate_crossing_and_the_yellow_line() -> None:
    zones = by_map_name(
        {"Khan Yunis": ZoneEntry(zone="Khan Yunis", count_24h=7), "Rafah": ZoneEntry(zone="Rafah")}
    )
    drawn = draw_map(zones, wide=True).plain
    for name in ("North Gaza", "Gaza City", "Deir al-Balah", "Khan Younis", "Rafah", "Erez", "Kerem Shalom"):
        assert name in drawn
    assert "yellow line" in drawn and "┊" in drawn
    assert "▓" in drawn  # Khan Younis, under its other spelling, is shaded
    large = draw_map(zones, wide=True, scale=2).plain.splitlines()
    assert len(large) == len(drawn.splitlines()) + 7  # every governorate twice as tall


def test_every_governorate_and_mapped_crossing_of_the_gazetteer_has_a_place_on_the_map() -> None:
    from monitor.app.widgets.zonemap import ALIASES, CROSSINGS, GOVERNORATES
    from monitor.rules.gazetteer import ZONES

    governorates = {n for n, z in ZONES.items() if z.kind == "governorate"}
    assert {ALIASES[n.casefold()] for n in governorates} == {name for name, _, _ in GOVERNORATES}
    for crossing in CROSSINGS:
        assert any(ALIASES.get(n.casefold()) == crossing for n in ZONES), crossing


async def test_no_enabled_feed_is_said_in_the_app(store: Store) -> None:
    posted: list[object] = []

    class Target:
        def post_message(self, message: object) -> bool:
            posted.append(message)
            return True

    stop = asyncio.Event()
    stop.set()
    from monitor.app.supervise import Loaded
    from monitor.picture import Picture
    from monitor.rules import RuleEngine

    settings = Settings(source="feeds.yaml")
    loaded = Loaded(settings, RuleEngine.load())
    picture = Picture.restore(settings, store)
    await run_pipeline(store, loaded, picture, AppSink(Target()), stop, interval=None)  # type: ignore[arg-type]
    warnings = [m.text for m in posted if isinstance(m, PipelineWarning)]
    assert warnings == ["no enabled feeds in feeds.yaml: nothing to poll (add feeds, or try --demo)"]
