"""Feed health in words for the Feeds panel: OK, failing (why), silent, gone, moved, waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from monitor.models import FeedState

HealthStatus = Literal["OK", "failing", "silent", "gone", "moved", "waiting"]

SILENT_FACTOR = 4.0
"""A feed is silent when nothing new came for this many times its usual gap…"""
SILENT_FLOOR = timedelta(hours=6)
"""…and for at least this long."""


@dataclass(frozen=True)
class Health:
    status: HealthStatus
    words: str


def feed_health(state: FeedState | None, now: datetime) -> Health:
    """How one feed is doing, with the reason in plain words."""
    if state is None or (state.polls == 0 and state.last_attempt is None):
        return Health("waiting", "not polled yet")
    if state.gone:
        return Health("gone", "the server says the feed is gone (410); polling stopped")
    if state.moved_to:
        return Health("moved", f"moved permanently to {state.moved_to}")
    if state.consecutive_failures:
        reason = state.last_error or f"HTTP {state.last_status}"
        times = "once" if state.consecutive_failures == 1 else f"{state.consecutive_failures} times"
        return Health("failing", f"failed {times}: {reason}")
    if state.last_new_item is not None and state.mean_gap_s:
        quiet = now - state.last_new_item
        if quiet > max(SILENT_FLOOR, timedelta(seconds=state.mean_gap_s * SILENT_FACTOR)):
            return Health("silent", f"nothing new for {_span(quiet)}")
    return Health("OK", f"{state.items_seen} items" if state.items_seen else "answering")


def _span(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} d"
