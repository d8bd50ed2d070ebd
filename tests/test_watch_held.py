"""No alert is lost to the update limit: a status change goes out at once, a held update is stored
with the cycle and sent when due by the same run or the next (after --once, kill -9, the demo's end)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.config import Settings
from monitor.models import Category, Entities, Event, Severity
from monitor.picture import Picture
from monitor.store import Batch, Store
from tests.service_support import MultiFeedServer, write_feeds
from tests.watch_support import WatchProcess, plain_item, run_once, wait_for

STRIKE = "Israeli airstrike kills 5 in Khan Younis despite ceasefire"
SECOND = "Israeli strike on Khan Younis kills five, breaching truce"
THIRD = "Khan Younis strike: five killed as Israeli jets hit homes despite truce"
DENIAL = "Israeli military denies carrying out any strike in Khan Younis"
NOW = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)


def lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture
def server() -> Iterator[MultiFeedServer]:
    with MultiFeedServer() as srv:
        for name in ("a", "b", "c", "idf"):
            srv.add(name)
        yield srv


def feeds_yaml(tmp_path: Path, server: MultiFeedServer, extra: str = "") -> Path:
    feeds = [
        ("Outlet A", server.url("a"), None),
        ("Outlet B", server.url("b"), None),
        ("Outlet C", server.url("c"), None),
        ("IDF", server.url("idf"), "Israel"),
    ]
    return write_feeds(tmp_path / "feeds.yaml", feeds, extra=extra)


@pytest.mark.slow
def test_three_once_runs_the_third_prints_the_disputed_update(
    server: MultiFeedServer, tmp_path: Path
) -> None:
    config, data = feeds_yaml(tmp_path, server), tmp_path / "data"
    server.add("a", plain_item("a1", STRIKE))
    first = lines(run_once(config, data, "--interval", "1").stdout)
    assert [(r["kind"], r["status"]) for r in first] == [("new", "reported")]
    server.add("b", plain_item("b1", SECOND))
    second = lines(run_once(config, data, "--interval", "1").stdout)
    assert [(r["kind"], r["status"]) for r in second] == [("update", "corroborated")]
    server.add("idf", plain_item("d1", DENIAL))
    third = run_once(config, data, "--interval", "1")
    assert third.returncode == 0, third.stderr
    (disputed,) = lines(third.stdout)
    assert disputed["kind"] == "update" and disputed["status"] == "disputed"
    assert disputed["incident"] == first[0]["incident"]
    assert "now disputed" in str(disputed["title"])


def held_in_store(data: Path) -> dict[str, object]:
    try:
        state = json.loads((data / "state.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return dict(state.get("held", {}))


@pytest.mark.slow
def test_kill_9_while_an_update_is_held_the_next_run_sends_it(
    server: MultiFeedServer, tmp_path: Path
) -> None:
    config, data = feeds_yaml(tmp_path, server, extra="update_gap_s: 6\n"), tmp_path / "data"
    server.add("a", plain_item("a1", STRIKE))
    with WatchProcess(config, data, "--interval", "1") as watch:
        assert json.loads(watch.next_line(30))["kind"] == "new"
        server.add("b", plain_item("b1", SECOND))
        corroborated = json.loads(watch.next_line(30))
        assert corroborated["status"] == "corroborated"  # a status change: not held
        server.add("c", plain_item("c1", THIRD))  # a third outlet within the gap: held
        wait_for(lambda: held_in_store(data), 20, "the held update in the committed state")
        watch.proc.send_signal(signal.SIGKILL)
        watch.proc.wait(timeout=20)
        assert watch.lines.empty()
    time.sleep(6.5)  # the gap has passed
    rerun = run_once(config, data, "--interval", "1")
    assert rerun.returncode == 0, rerun.stderr
    (update,) = lines(rerun.stdout)
    assert update["kind"] == "update" and update["sources"] == 3
    assert "new outlet" in str(update["title"])
    assert held_in_store(data) == {}
    assert run_once(config, data, "--interval", "1").stdout == ""


@pytest.mark.slow
def test_a_once_run_keeps_what_it_held_and_a_later_run_sends_it(
    server: MultiFeedServer, tmp_path: Path
) -> None:
    config, data = feeds_yaml(tmp_path, server, extra="update_gap_s: 4\n"), tmp_path / "data"
    server.add("a", plain_item("a1", STRIKE))
    assert [r["kind"] for r in lines(run_once(config, data, "--interval", "1").stdout)] == ["new"]
    server.add("b", plain_item("b1", SECOND))
    assert [r["status"] for r in lines(run_once(config, data, "--interval", "1").stdout)] == ["corroborated"]
    server.add("c", plain_item("c1", THIRD))
    early = run_once(config, data, "--interval", "1")
    assert early.stdout == ""  # held: within the gap of the last update
    assert held_in_store(data)  # and nothing is left only in memory
    time.sleep(4.5)
    late = lines(run_once(config, data, "--interval", "1").stdout)
    assert [(r["kind"], r["sources"]) for r in late] == [("update", 3)]


@pytest.mark.slow
def test_the_demo_emits_disputed_updates(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "watch", "--demo", "--speed", "20"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    recs = lines(result.stdout)
    assert any(r["kind"] == "update" and r["status"] == "disputed" for r in recs), [r["title"] for r in recs]


# --- in process: the limit and the store ---------------------------------------------------------


def report(feed: str, item: str, minutes: float = 0, title: str = STRIKE) -> Event:
    return Event(
        item_key=f"{feed}\x1f{item}",
        feed=feed,
        title=title,
        published=NOW + timedelta(minutes=minutes),
        category=Category.CEASEFIRE_VIOLATION,
        severity=Severity.HIGH,
        rule="cv.test",
        matched=title,
        entities=Entities(
            countries=("Israel",), places=("Khan Younis",), zones=("Khan Younis",), casualties=5
        ),
    )


def settings(gap_s: int = 600) -> Settings:
    return Settings.model_validate({"update_gap_s": gap_s})


def test_a_held_update_survives_a_store_reopen_and_goes_out_when_due(tmp_path: Path) -> None:
    picture = Picture(settings())
    with Store.open(tmp_path, now=lambda: NOW) as store:
        for step, (feed, at) in enumerate((("reuters", 0), ("bbc", 1), ("ap", 2))):
            change = picture.apply([report(feed, str(step), at)], now=NOW + timedelta(minutes=at))
            store.commit(
                Batch(
                    incidents=list(change.incidents),
                    alerts=list(change.alerts),
                    held_updates=None if change.held is None else dict(change.held),
                )
            )
        assert change.alerts == () and change.held  # the third outlet, within the gap: held
    with Store.open(tmp_path, now=lambda: NOW) as store:
        assert list(store.held_updates().values()) == [("new outlet",)]
        restored = Picture.restore(settings(), store, now=lambda: NOW + timedelta(minutes=3))
    assert restored.holding
    assert restored.apply([], now=NOW + timedelta(minutes=5)).alerts == ()  # not yet due
    due = restored.apply([], now=NOW + timedelta(minutes=12))
    (update,) = due.alerts
    assert update.kind == "update" and update.sources == 3 and "new outlet" in update.title
    assert due.held == {}


def test_a_status_change_is_never_held() -> None:
    picture = Picture(settings())
    picture.apply([report("reuters", "1")], now=NOW)
    picture.apply([report("bbc", "2", 1)], now=NOW + timedelta(minutes=1))
    third = picture.apply([report("ap", "3", 2)], now=NOW + timedelta(minutes=2))
    assert third.alerts == ()  # more outlets, same status: held
    denial = report("idf", "4", 3, title="Israeli military denies carrying out any strike in Khan Younis")
    denial = denial.model_copy(update={"status": "denied"})
    change = picture.apply([denial], now=NOW + timedelta(minutes=3))
    assert [a.status for a in change.alerts] == ["disputed"]
    # the held "new outlet" folded into the status update: nothing is left held
    assert "new outlet" in change.alerts[0].title and not picture.holding
