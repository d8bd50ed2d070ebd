"""Retention against a wrong clock, on a real store in a temp dir.

A clock two months ahead for one run used to expire all history, the seen ledger and the pending
hook alerts without a word; once the clock was back, the same items were news again and alert ids
already delivered were handed to the sinks a second time.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from feedserver import FeedServer, Request, respond
from pytest_httpserver import HTTPServer
from test_store import T0, Clock, full_batch, make_alert

from monitor.config import Limits
from monitor.ingest.fetch import Fetcher, ServerDate, parse_server_date
from monitor.store import Batch, Store, StoreReader
from monitor.store.clock import estimate_offset


@pytest.fixture
def web() -> Iterator[HTTPServer]:
    """A real HTTP server on 127.0.0.1 (werkzeug), sending its own Date on every response."""
    with HTTPServer(host="127.0.0.1", port=0) as running:
        yield running


def open_store(data: Path, clock: Clock, warnings: list[str]) -> Store:
    return Store.open(data, now=clock, retention_days=30, warn=warnings.append)


def fill(data: Path, clock: Clock) -> None:
    """Ten days of ordinary use up to T0: history every day, alerts delivered to watch but not exec."""
    with open_store(data, clock, []) as store:
        for n in range(10):
            clock.at = T0 - timedelta(days=9 - n)
            batch = full_batch(n + 1, at=clock.at)
            batch.sinks = ("watch", "exec")
            store.commit(batch)
            store.mark_emitted("watch", [f"alert-{n + 1}"])


def test_one_run_with_the_clock_61_days_ahead_deletes_nothing_and_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = Clock(T0)
    fill(data, clock)
    warnings: list[str] = []

    clock.at = T0 + timedelta(days=61)
    with open_store(data, clock, warnings) as store:
        assert len(store.alerts()) == 10
        assert len(store.incidents()) == 10
        assert len(store.items()) == 30
        assert len(store.pending_alerts("exec")) == 10  # still owed to the hook
        store.commit(full_batch(50, at=clock.at))  # a cycle saved at the wrong date
    assert len(warnings) == 1
    assert "61 days after the newest record" in warnings[0]
    assert "not as of the clock" in warnings[0]

    warnings.clear()
    clock.at = T0 + timedelta(days=1)  # the clock is put right
    with open_store(data, clock, warnings) as store:
        assert len(store.alerts()) == 11
        assert len(store.items()) == 33
        assert len(store.pending_alerts("exec")) == 10
        # Raised again (same content, so the same id): not handed to watch, which delivered it.
        again = make_alert(3, ts=clock.at)
        store.commit(Batch(alerts=[again], sinks=("watch", "exec")))
        assert "alert-3" not in [a.id for a in store.pending_alerts("watch")]
        assert "alert-3" in [a.id for a in store.pending_alerts("exec")]
    assert any("before the newest record" in w for w in warnings)


def test_pending_alerts_are_never_expired(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = Clock(T0)
    fill(data, clock)
    with open_store(data, clock, []) as store:
        for day in range(1, 41):  # forty days of real use later, history expires as it should
            clock.at = T0 + timedelta(days=day)
            store.commit(full_batch(100 + day, at=clock.at))
        assert min(a.ts for a in store.alerts()) > T0
    with open_store(data, clock, []) as store:
        assert sorted(a.id for a in store.pending_alerts("exec")) == sorted(
            f"alert-{n}" for n in range(1, 11)
        )


def test_a_delivered_id_is_remembered_by_count_not_by_date(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = Clock(T0)
    with open_store(data, clock, []) as store:
        store.commit(Batch(alerts=[make_alert(1)], sinks=("watch",)))
        store.mark_emitted("watch", ["alert-1"])
    clock.at = T0 + timedelta(days=400)  # history long gone...
    with open_store(data, clock, []) as store:
        store.commit(full_batch(2, at=clock.at))
    with open_store(data, clock, []) as store:
        assert store.alerts()[0].id == "alert-2"
        store.commit(Batch(alerts=[make_alert(1, ts=clock.at)], sinks=("watch",)))
        assert [a.id for a in store.pending_alerts("watch")] == ["alert-2"]  # ...alert-1 is not owed again


def test_the_servers_time_is_the_median_of_one_vote_per_server() -> None:
    day = timedelta(days=1)
    dates = [
        ServerDate("a.example:https", -61 * day, loopback=False),
        ServerDate("a.example:https", 400 * day, loopback=False),  # the same server again: one vote
        ServerDate("b.example:https", -61 * day + timedelta(seconds=2), loopback=False),
        ServerDate("c.example:https", 5000 * day, loopback=False),  # one wild server moves nothing
        None,  # a local file, or no Date
    ]
    assert estimate_offset(dates) == -61 * day + timedelta(seconds=2)  # the middle of three
    assert estimate_offset([None, None]) is None
    assert estimate_offset([]) is None


def test_a_loopback_server_agreeing_with_the_clock_confirms_nothing() -> None:
    same = ServerDate("127.0.0.1:8080", timedelta(seconds=1), loopback=True)
    relayed = ServerDate("127.0.0.1:3128", timedelta(days=-61), loopback=True)
    outside = ServerDate("news.example:https", timedelta(seconds=-1), loopback=False)
    assert estimate_offset([same]) is None
    assert estimate_offset([relayed]) == timedelta(days=-61)  # a proxy passing a remote Date on
    assert estimate_offset([same, relayed]) is None  # half the loopback servers agree: no word
    assert estimate_offset([relayed, outside]) == timedelta(seconds=-1)  # outside servers decide


def test_date_headers_are_read_leniently_and_loopback_is_recognised() -> None:
    now = datetime(2027, 1, 20, 12, 0, tzinfo=UTC)
    date = parse_server_date("Fri, 20 Nov 2026 12:00:00 GMT", "http://127.0.0.1:8080/feed", now)
    assert date == ServerDate("127.0.0.1:8080", timedelta(days=-61), loopback=True)
    assert parse_server_date(None, "https://x.example/", now) is None
    assert parse_server_date("yesterday", "https://x.example/", now) is None
    assert parse_server_date("Thu, 01 Jan 1970 00:00:00 GMT", "https://x.example/", now) is None
    outside = parse_server_date("Wed, 20 Jan 2027 11:59:58 GMT", "https://x.example/a", now)
    assert outside == ServerDate("x.example:https", timedelta(seconds=-2), loopback=False)
    assert parse_server_date("Wed, 20 Jan 2027 11:59:58 GMT", "http://[::1]:81/", now).loopback  # type: ignore[union-attr]
    assert parse_server_date("Wed, 20 Jan 2027 11:59:58 GMT", "http://localhost/", now).loopback  # type: ignore[union-attr]


async def test_a_fetch_reports_the_servers_date_for_200_and_304_and_none_for_files(tmp_path: Path) -> None:
    sent = datetime.now(UTC) - timedelta(days=61)  # a server whose clock says two months ago
    date = ("Date", format_datetime(sent, usegmt=True))

    async def ok(_request: Request, writer: asyncio.StreamWriter) -> None:
        await respond(writer, 200, b"<rss/>", [date])

    async def same(_request: Request, writer: asyncio.StreamWriter) -> None:
        await respond(writer, 304, b"", [date])

    async def no_date(_request: Request, writer: asyncio.StreamWriter) -> None:
        await respond(writer, 200, b"<rss/>")

    feeds = await FeedServer().start()
    local = tmp_path / "local.xml"
    local.write_text("<rss/>", encoding="utf-8")
    try:
        async with Fetcher(Limits()) as fetcher:
            dated = [await fetcher.fetch(feeds.route(p, h)) for p, h in (("/a", ok), ("/b", same))]
            undated = [await fetcher.fetch(feeds.route("/c", no_date)), await fetcher.fetch(str(local))]
    finally:
        await feeds.close()
    for result in dated:
        assert result.server_date is not None
        assert result.server_date.loopback
        assert result.server_date.origin == f"127.0.0.1:{feeds.port}"
        assert abs(result.server_date.offset + timedelta(days=61)) < timedelta(seconds=30)
    assert [r.server_date for r in undated] == [None, None]


def test_cycles_saved_with_the_clock_ahead_are_dated_by_the_servers_time(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = Clock(T0)
    fill(data, clock)
    ahead = timedelta(days=61)
    warnings: list[str] = []
    for run in range(3):  # three runs, each saving a cycle, with the clock two months ahead
        clock.at = T0 + ahead + timedelta(hours=run)
        with open_store(data, clock, warnings) as store:
            store.commit(replace_offset(full_batch(50 + run, at=clock.at), -ahead))
            assert len(store.items()) == 30 + 3 * (run + 1)
    assert {p.name[:10] for p in (data / "items").glob("*.json")} <= {
        (T0 - timedelta(days=d)).date().isoformat() for d in range(10)
    }
    assert len(warnings) == 3  # once per run
    assert all("61 days after" in w for w in warnings)
    # The first run has asked no server when it opens the store; the next two go by the estimate kept.
    assert "newest record" in warnings[0]
    assert all("Date headers" in w for w in warnings[1:])

    reader = StoreReader.open(data, retention_days=30, now=clock)
    assert len(reader.items()) == 39  # a reader reckons as the writer does

    clock.at = T0 + timedelta(days=1)  # the clock is put right
    with open_store(data, clock, []) as store:
        store.commit(replace_offset(full_batch(60, at=clock.at), timedelta(seconds=-1)))
        assert len(store.items()) == 42
        assert len(store.alerts()) == 14


def test_servers_confirming_the_clock_let_history_expire_after_a_real_pause(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = Clock(T0)
    fill(data, clock)
    clock.at = T0 + timedelta(days=61)  # away two months, the clock right all along
    warnings: list[str] = []
    with open_store(data, clock, warnings) as store:
        assert len(store.items()) == 30  # no server asked yet: held back, as before
        store.commit(replace_offset(full_batch(50, at=clock.at), timedelta(seconds=1)))
        assert len(store.items()) == 3  # the servers agree with the clock: the old history is due
        assert len(store.pending_alerts("exec")) == 10  # and what is owed still is
    assert not [w for w in warnings if "Date headers" in w]


def test_an_old_estimate_is_dropped_once_the_clock_is_set_back(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = Clock(T0)
    fill(data, clock)
    clock.at = T0 + timedelta(days=61)
    with open_store(data, clock, []) as store:
        store.commit(replace_offset(full_batch(50, at=clock.at), timedelta(days=-61)))
    clock.at = T0 + timedelta(days=40)  # set back to (what it thinks is) the truth; no Date since
    warnings: list[str] = []
    with open_store(data, clock, warnings) as store:
        store.commit(full_batch(51, at=clock.at))  # a local file only
        assert len(store.items()) == 36  # today's rule: nothing past the newest record + margin
    assert not [w for w in warnings if "Date headers" in w]
    assert [w for w in warnings if "40 days after the newest record" in w]


def history_files(data: Path) -> set[str]:
    return {
        f"{p.parent.name}/{p.name}"
        for d in ("items", "seen", "incidents", "alerts")
        for p in (data / d).glob("*.json")
    }


def replace_offset(batch: Batch, offset: timedelta) -> Batch:
    batch.clock_offset = offset
    return batch


RSS_ITEM = """<item><title>{title}</title><link>https://local.example/{n}</link><guid>local-{n}</guid>
<pubDate>{date}</pubDate></item>"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs libfaketime (apt-get install faketime)")
def test_watch_with_the_clock_ahead_then_back_writes_no_alert_twice(tmp_path: Path) -> None:
    """The whole thing as a user meets it: `watch --once` runs under faketime (+61 days, then now)."""
    now = datetime.now(UTC)
    items = [
        RSS_ITEM.format(n=n, title=title, date=format_datetime(now - timedelta(hours=n), usegmt=True))
        for n, title in enumerate(
            [
                "Israeli airstrike kills five in Khan Younis despite ceasefire",
                "Hamas hands over remains of two hostages to the Red Cross",
                "Indonesia pledges up to 2,000 troops for the stabilization force",
            ]
        )
    ]
    feed = tmp_path / "local.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
        + "".join(items)
        + "</channel></rss>",
        encoding="utf-8",
    )
    config = tmp_path / "feeds.yaml"
    config.write_text(f"feeds:\n  - name: Local\n    url: {feed}\n    tier: wire\n", encoding="utf-8")
    data = tmp_path / "data"

    def watch(*faketime: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "monitor", "--config", str(config), "--data-dir", str(data)]
        return subprocess.run(
            [*faketime, *command, "watch", "--once", "--format", "jsonl"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={"PATH": "/usr/bin:/bin", "FAKETIME_DONT_FAKE_MONOTONIC": "1", "HOME": str(tmp_path)},
        )

    first = watch()
    assert first.returncode == 0, first.stderr
    ids = [line for line in first.stdout.splitlines() if line.strip()]
    assert ids, first.stderr

    ahead = watch("faketime", "-f", "+61d")
    assert ahead.returncode == 0, ahead.stderr
    assert "61 days after the newest record" in ahead.stderr
    assert "Traceback" not in ahead.stderr

    back = watch()
    assert back.returncode == 0, back.stderr
    written = [*first.stdout.splitlines(), *ahead.stdout.splitlines(), *back.stdout.splitlines()]
    alert_ids = [json.loads(line)["id"] for line in written if line.strip()]
    assert len(alert_ids) == len(set(alert_ids)), written


TITLES = [
    "Israeli airstrike kills five in Khan Younis despite ceasefire",
    "Hamas hands over remains of two hostages to the Red Cross",
    "Indonesia pledges up to 2,000 troops for the stabilization force",
    "Egypt hosts talks on the second phase of the ceasefire",
    "Shelling reported east of Gaza City overnight",
    "Aid convoy of 300 trucks enters through Kerem Shalom",
]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs libfaketime (apt-get install faketime)")
def test_three_runs_ahead_of_a_server_with_a_date_then_one_back_lose_nothing(
    tmp_path: Path, web: HTTPServer
) -> None:
    """`watch --once` under faketime (+61 days) three times, then at the right time, against a
    server on 127.0.0.1 that sends its own (right) Date, as every HTTP server does; each run brings
    a new report, so each saves a cycle."""
    now = datetime.now(UTC)
    config = tmp_path / "feeds.yaml"
    config.write_text(
        f"feeds:\n  - name: Wire\n    url: {web.url_for('/feed.xml')}\n    tier: wire\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"

    def serve(count: int) -> None:
        items = [
            RSS_ITEM.format(n=n, title=TITLES[n], date=format_datetime(now - timedelta(hours=n), usegmt=True))
            for n in range(count)
        ]
        body = '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        web.clear()
        web.expect_request("/feed.xml").respond_with_data(
            body + "".join(items) + "</channel></rss>", content_type="application/rss+xml"
        )

    def watch(*faketime: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "monitor", "--config", str(config), "--data-dir", str(data)]
        return subprocess.run(
            [*faketime, *command, "watch", "--once", "--format", "jsonl"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={"PATH": "/usr/bin:/bin", "FAKETIME_DONT_FAKE_MONOTONIC": "1", "HOME": str(tmp_path)},
        )

    runs = []
    serve(3)
    runs.append(first := watch())
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip(), first.stderr
    assert "Date headers" not in first.stderr
    first_chunks = history_files(data)
    for n in range(3):
        serve(4 + n)
        runs.append(ahead := watch("faketime", "-f", "+61d"))
        assert ahead.returncode == 0, ahead.stderr
        assert "Traceback" not in ahead.stderr
        assert ahead.stderr.count("61 days after") == 1, ahead.stderr  # said once a run
    assert "Date headers" in runs[-1].stderr
    assert {p.name[:10] for p in (data / "items").glob("*.json")} == {now.date().isoformat()}

    runs.append(back := watch())
    assert back.returncode == 0, back.stderr
    assert "Traceback" not in back.stderr
    assert history_files(data) >= first_chunks  # nothing deleted: the first run's history is all there
    reader = StoreReader.open(data)
    assert sorted(i.title for i in reader.items()) == sorted(TITLES)
    first_alerts = {json.loads(line)["id"] for line in first.stdout.splitlines() if line.strip()}
    assert first_alerts <= {a.id for a in reader.alerts()}
    written = [line for run in runs for line in run.stdout.splitlines() if line.strip()]
    alert_ids = [json.loads(line)["id"] for line in written]
    assert len(alert_ids) == len(set(alert_ids)), written
    assert len(alert_ids) > 3  # the new reports raised alerts of their own
