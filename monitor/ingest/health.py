"""Feed health as a label and a few plain words, from a FeedState (pure; used by the app and feeds check)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from monitor.models import FeedState

HealthLabel = Literal["ok", "failing", "silent", "gone", "moved", "new"]

SILENT_FACTOR = 5
"""A feed is silent when nothing new came for this many times its usual gap between items."""
MIN_SILENT_GAP = timedelta(hours=1)
"""...and for at least this long (a feed that publishes every minute is not silent after five)."""


def duration_words(seconds: float) -> str:
    """A duration as a person says it: "45 s", "20 min", "3 h", "2 days"."""
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


def is_silent(state: FeedState, now: datetime) -> bool:
    """True when a feed that used to publish has brought nothing new for five times its usual gap."""
    if state.last_new_item is None or state.mean_gap_s is None or state.items_seen < 2:
        return False
    quiet = now - state.last_new_item
    return quiet > max(timedelta(seconds=state.mean_gap_s * SILENT_FACTOR), MIN_SILENT_GAP)


def feed_health(state: FeedState | None, now: datetime) -> tuple[HealthLabel, str]:
    """(label, words) for one feed: gone, failing, moved, silent, new or ok."""
    if state is None or (state.last_attempt is None and state.polls == 0):
        return "new", "not polled yet"
    if state.gone:
        return "gone", state.last_error or "the server said the feed is gone (HTTP 410); polling stopped"
    if state.consecutive_failures > 0:
        times = "once" if state.consecutive_failures == 1 else f"{state.consecutive_failures} times in a row"
        words = f"{state.last_error or 'failed'} (failed {times})"
        if state.last_success is not None:
            words += f"; last success {duration_words((now - state.last_success).total_seconds())} ago"
        return "failing", words
    if state.moved_to:
        return "moved", f"moved to {state.moved_to} (update feeds.yaml)"
    if is_silent(state, now) and state.last_new_item is not None and state.mean_gap_s is not None:
        quiet = duration_words((now - state.last_new_item).total_seconds())
        usual = duration_words(state.mean_gap_s)
        return "silent", f"nothing new for {quiet} (usually every {usual})"
    share = round(100 * state.not_modified / state.polls) if state.polls else 0
    words = f"{state.items_seen} items seen, {share}% of polls not modified"
    if state.last_success is not None:
        words += f", last success {duration_words((now - state.last_success).total_seconds())} ago"
    return "ok", words
