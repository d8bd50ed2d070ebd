"""Honest health for cron and services: exit 1 when every feed failed, a start line, a periodic
summary while feeds keep failing, and a header that counts a feed OK only after a success."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.app.health import header_counts
from monitor.models import FeedState
from monitor.sinks.watch_run import FeedHealthReport, failing_summary
from tests.watch_support import FeedServer, WatchProcess, plain_item, run_once, write_config

NOW = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
OK = FeedState(url="http://a", polls=3, last_attempt=NOW, last_success=NOW)
FAILING = FeedState(
    url="http://b",
    polls=2,
    last_attempt=NOW,
    consecutive_failures=2,
    last_error="HTTP 500",
    next_poll=NOW + timedelta(minutes=4),
)
NEVER = FeedState(url="http://c")
POLLED_NOTHING_YET = FeedState(url="http://d", polls=1, last_attempt=NOW)


def test_header_counts_ok_only_after_a_successful_poll() -> None:
    feeds = {"a": OK, "b": FAILING, "c": NEVER, "d": POLLED_NOTHING_YET}
    assert header_counts(feeds, (), NOW) == (1, 1)
    assert header_counts(feeds, ("a",), NOW) == (0, 2)


def test_failing_summary_names_each_failing_feed_with_its_next_try() -> None:
    line = failing_summary({"a": OK, "b": FAILING}, NOW)
    assert line == "1 of 2 feed(s) failing: b (2x, next try 04:04 UTC: HTTP 500)"
    assert failing_summary({"a": OK}, NOW) is None


async def test_a_summary_comes_on_the_clock_even_without_any_cycle() -> None:
    said: list[str] = []
    states = {"a": OK, "b": FAILING}
    stop = asyncio.Event()
    report = FeedHealthReport(warn=said.append)
    task = asyncio.create_task(report.keep_reporting(lambda: states, stop, every_s=0.05, now=lambda: NOW))
    await asyncio.sleep(0.18)
    stop.set()
    await task
    assert 2 <= len(said) <= 4 and all(s.startswith("1 of 2 feed(s) failing: b") for s in said)
    states["b"] = OK  # recovered: silence again
    said.clear()
    stop = asyncio.Event()
    task = asyncio.create_task(report.keep_reporting(lambda: states, stop, every_s=0.05, now=lambda: NOW))
    await asyncio.sleep(0.12)
    stop.set()
    await task
    assert said == []


@pytest.mark.slow
def test_once_exits_1_when_every_feed_failed_with_or_without_the_flag(tmp_path: Path) -> None:
    with FeedServer() as server:
        config = write_config(tmp_path / "feeds.yaml", server.url("/broken"), server.url("/down"))
        plain = run_once(config, tmp_path / "d1")
        assert plain.returncode == 1, plain.stderr
        assert "every enabled feed failed" in plain.stderr
        # the next run finds both waiting out their backoff: still every feed failing
        again = run_once(config, tmp_path / "d1")
        assert again.returncode == 1, again.stderr
        strict = run_once(config, tmp_path / "d2", "--fail-on-feed-errors")
        assert strict.returncode == 1
        # one of two failing is not "every": the flag keeps its meaning for "some"
        server.add(plain_item("g0", "Israeli airstrike kills 5 in Khan Younis despite ceasefire"))
        mixed = write_config(tmp_path / "mixed.yaml", server.url(), server.url("/broken"))
        assert run_once(mixed, tmp_path / "d3").returncode == 0
        assert run_once(mixed, tmp_path / "d4", "--fail-on-feed-errors").returncode == 1


@pytest.mark.slow
def test_a_follow_run_prints_one_start_line(tmp_path: Path) -> None:
    with FeedServer() as server:
        config = write_config(tmp_path / "feeds.yaml", server.url(), server.url("/broken"))
        with WatchProcess(config, tmp_path / "data", "--interval", "1") as watch:
            server.wait_for_poll(30)
            server.wait_for_poll(30)
            assert watch.stop() == 0
            err = watch.stderr()
    starts = [line for line in err.splitlines() if "polling" in line]
    assert starts == [f"situation-room watch: polling 2 feed(s) every 1 s into {tmp_path / 'data'}"]
    assert "feed wire-1:" in err
