"""Small parts of the watch command: seconds arguments and the feed-health lines on stderr."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.cli import _seconds
from monitor.models import FeedState
from monitor.pipeline import CycleReport
from monitor.sinks.watch_run import FeedHealthReport


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("90s", 90), ("15m", 900), ("1h", 3600), ("0.5", 0.5), (" 2S ", 2)]
)
def test_seconds(text: str, seconds: float) -> None:
    assert _seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "s", "soon", "0", "-5m", "nan", "inf", "1d"])
def test_bad_seconds(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        _seconds(text)


def report(failed: tuple[str, ...], feeds: dict[str, FeedState]) -> CycleReport:
    at = datetime(2026, 11, 20, tzinfo=UTC)
    return CycleReport(
        at=at,
        items=(),
        events=(),
        alerts=(),
        incidents=(),
        forces=(),
        zones=(),
        feeds=feeds,
        failed_feeds=failed,
    )


async def test_feed_health_says_when_a_feed_fails_and_when_it_recovers() -> None:
    lines: list[str] = []
    health = FeedHealthReport(warn=lines.append)
    down = FeedState(url="http://127.0.0.1:9/f", consecutive_failures=1, last_error="connection refused")
    await health.deliver(report(("wire-0",), {"wire-0": down}))
    await health.deliver(report(("wire-0",), {"wire-0": down.model_copy(update={"consecutive_failures": 2})}))
    assert lines == ["feed wire-0: connection refused"]  # said once, not every cycle
    await health.deliver(report((), {"wire-0": down.model_copy(update={"consecutive_failures": 0})}))
    assert lines[-1] == "feed wire-0: recovered"
    await health.deliver(report((), {"wire-0": down.model_copy(update={"consecutive_failures": 0})}))
    assert len(lines) == 2


async def test_feed_health_names_a_feed_held_back_by_earlier_failures() -> None:
    lines: list[str] = []
    health = FeedHealthReport(warn=lines.append)
    waiting = FeedState(
        url="http://127.0.0.1:9/f",
        consecutive_failures=3,
        last_error="connection refused",
        next_poll=datetime(2026, 11, 20, 0, 8, tzinfo=UTC),
    )
    await health.deliver(report((), {"wire-0": waiting, "wire-1": FeedState(url="http://127.0.0.1:9/g")}))
    assert lines == ["feed wire-0: still failing (3x, next try 2026-11-20 00:08 UTC): connection refused"]
    assert health.failing == {"wire-0"}
    await health.deliver(report((), {"wire-0": waiting}))
    assert len(lines) == 1  # said once


def test_the_default_exec_timeout_is_the_hooks() -> None:
    from monitor.sinks.exec_hook import DEFAULT_TIMEOUT_S
    from monitor.sinks.watch_run import WatchOptions

    assert WatchOptions(config=Path("feeds.yaml"), data_dir=None).exec_timeout_s == DEFAULT_TIMEOUT_S
