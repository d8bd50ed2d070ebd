"""The app attached to a running ``watch`` (a real subprocess on a loopback feed): a live read-only
view that follows each commit, never polls the feeds, and acknowledges through the marks log."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable

from monitor.app.app import SituationRoom
from monitor.app.attach import Attached
from monitor.app.widgets.incidents import IncidentTable
from monitor.app.widgets.status import StatusLine
from monitor.store import Store
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
