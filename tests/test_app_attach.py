"""The app attached to a running ``watch`` (a real subprocess on a loopback feed): a live read-only
view that follows each commit, never polls the feeds, and acknowledges through the marks log."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable

from monitor.app.app import SituationRoom
from monitor.app.attach import Attached
from monitor.app.launch import _feeds_runner
from monitor.app.supervise import load
from monitor.app.widgets.incidents import IncidentTable
from monitor.app.widgets.status import StatusLine
from monitor.store import Store
from monitor.store.follow import AttachedStore
from monitor.store.marks import MARKS_LOG
from tests.watch_support import FeedServer, WatchProcess, plain_item, write_config

pytestmark = pytest.mark.slow

FIRST = "Israeli airstrike kills 5 in Khan Younis despite ceasefire"
LATER = "Israeli tank fire kills 3 in Jabalia in breach of the truce"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def titles(app: SituationRoom) -> list[str]:
    table = app.screen.query_one(IncidentTable)
    return [str(table.get_row_at(r)[4]) for r in range(table.row_count)]


async def until(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def test_an_attached_app_follows_watch_and_its_marks_survive(
    server: FeedServer, tmp_path: Path
) -> None:
    server.add(plain_item("g0", FIRST))
    config, data = write_config(tmp_path / "feeds.yaml", server.url()), tmp_path / "data"
    with WatchProcess(config, data, "--interval", "1") as watch:
        assert FIRST in watch.next_line(30)
        attached = Attached.open(data, retention_days=30)
        app = SituationRoom(attached.store, runner=attached.runner())
        app.attached = attached.label
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            status = app.screen.query_one(StatusLine)
            assert status.attached == f"attached to watch (pid {watch.proc.pid})"
            assert any(FIRST in t for t in titles(app))
            # a new item on the feed: watch polls it, commits, and the app shows it within a second
            server.add(plain_item("g1", LATER))
            assert LATER in watch.next_line(30)
            # (how soon: benchmarks/attach_latency.py; here only that it comes)
            await until(lambda: any(LATER in t for t in titles(app)), 10, "the new incident in the app")
            # acknowledge in the attached app while watch holds the store's lock
            table = app.screen.query_one("#incident-table", DataTable)
            table.focus()
            row = next(r for r in range(table.row_count) if LATER in str(table.get_row_at(r)[4]))
            table.move_cursor(row=row)
            await pilot.press("a")
            await pilot.pause()
            acked = set(app.board.acknowledged)
            assert len(acked) == 1
            # watch goes away: nothing polls the feeds any more, the view stays
            assert watch.stop() == 0
            polls = server.polls
            await asyncio.sleep(2.0)
            assert server.polls == polls  # the attached app never polls
            assert not attached.store.writer_alive()  # what makes the app say the writer stopped
    # the mark survives: the app alone (as the store's writer) and a new attached view both see it
    with Store.open(data) as store:
        assert store.acknowledged() == acked
    assert Attached.open(data, retention_days=30).store.acknowledged() == acked


MARK = (
    "import sys; from pathlib import Path; from monitor.store.follow import AttachedStore; "
    "view = AttachedStore(Path(sys.argv[1])); getattr(view, sys.argv[2])([sys.argv[3]])"
)


def mark_from_another_process(data: Path, what: str, incident_id: str) -> None:
    """Acknowledge or mute as a second viewer attached to the same data directory would."""
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": root}
    subprocess.run(
        [sys.executable, "-c", MARK, str(data), what, incident_id], check=True, env=env, timeout=60
    )


def status(app: SituationRoom, title: str) -> str:
    table = app.screen.query_one(IncidentTable)
    return next(
        str(table.get_row_at(r)[6]) for r in range(table.row_count) if title in str(table.get_row_at(r)[4])
    )


async def test_marks_made_in_one_attached_view_show_in_the_others(server: FeedServer, tmp_path: Path) -> None:
    server.add(plain_item("g0", FIRST), plain_item("g1", LATER))
    config, data = write_config(tmp_path / "feeds.yaml", server.url()), tmp_path / "data"
    with WatchProcess(config, data, "--interval", "1") as watch:
        lines = watch.next_line(30) + watch.next_line(30)
        assert FIRST in lines and LATER in lines
        attached = Attached.open(data, retention_days=30)
        other = AttachedStore(data)  # a second viewer, in this process
        app = SituationRoom(attached.store, runner=attached.runner())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            by_title = {i.title: i.id for i in app.board.incidents.values()}
            first, later = by_title[FIRST], by_title[LATER]
            # a viewer in another process acknowledges: the app shows it without a restart
            mark_from_another_process(data, "acknowledge", first)
            await until(lambda: status(app, FIRST).startswith("✓"), 10, "the other viewer's ack")
            assert app.board.acknowledged == {first}
            # acknowledged and muted here: the other viewer sees both as soon as it looks
            table = app.screen.query_one("#incident-table", DataTable)
            table.focus()
            table.move_cursor(
                row=next(r for r in range(table.row_count) if LATER in str(table.get_row_at(r)[4]))
            )
            await pilot.press("m")
            await pilot.pause()
            assert other.muted() == {later} and other.acknowledged() == {first}
            # watch commits each second and folds the marks into its state, compacting the log...
            await until(lambda: (data / MARKS_LOG).read_bytes().count(b"\n") == 1, 10, "a compacted log")
            # ...and every view still says the same, the app included, after a mark made later
            mark_from_another_process(data, "mute", first)
            await until(lambda: status(app, FIRST).startswith("×"), 10, "the other viewer's mute")
            assert status(app, LATER).startswith("×")
            assert other.muted() == {first, later} and other.acknowledged() == {first}
            assert watch.stop() == 0
    with Store.open(data) as store:
        assert store.muted() == {first, later} and store.acknowledged() == {first}


async def test_an_app_that_writes_the_store_itself_shows_marks_from_an_attached_viewer(
    server: FeedServer, tmp_path: Path
) -> None:
    server.add(plain_item("g0", FIRST))
    config, data = write_config(tmp_path / "feeds.yaml", server.url()), tmp_path / "data"
    with Store.open(data) as store:
        app = SituationRoom(store, runner=_feeds_runner(store, load(config), config))
        async with app.run_test(size=(120, 40)) as pilot:
            await until(lambda: any(FIRST in t for t in titles(app)), 20, "the first poll")
            incident = next(iter(app.board.incidents))
            # an app attached to this one (it holds the lock) acknowledges, from its own process
            mark_from_another_process(data, "acknowledge", incident)
            await until(lambda: status(app, FIRST).startswith("✓"), 10, "the attached viewer's ack")
            await pilot.press("q")
        assert store.acknowledged() == {incident}
