"""feed_health: one label and plain words per feed, from its FeedState."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.ingest.health import duration_words, feed_health, is_silent
from monitor.models import FeedState

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
OK = FeedState(
    url="u",
    polls=10,
    not_modified=4,
    items_seen=30,
    last_attempt=NOW,
    last_success=NOW - HOUR,
    last_new_item=NOW - HOUR,
    mean_gap_s=1800,
)


@pytest.mark.parametrize(
    ("state", "label", "words"),
    [
        (None, "new", "not polled yet"),
        (FeedState(url="u"), "new", "not polled yet"),
        (OK, "ok", "30 items seen, 40% of polls not modified, last success 60 min ago"),
        (
            OK.model_copy(update={"consecutive_failures": 3, "last_error": "timed out after 30 s"}),
            "failing",
            "timed out after 30 s (failed 3 times in a row); last success 60 min ago",
        ),
        (
            OK.model_copy(update={"consecutive_failures": 1, "last_error": "HTTP 429, next try 14:05"}),
            "failing",
            "HTTP 429, next try 14:05 (failed once); last success 60 min ago",
        ),
        (
            OK.model_copy(
                update={"gone": True, "consecutive_failures": 1, "last_error": "HTTP 410 Gone: gone"}
            ),
            "gone",
            "HTTP 410 Gone: gone",
        ),
        (
            OK.model_copy(update={"moved_to": "https://new.example/rss"}),
            "moved",
            "moved to https://new.example/rss",
        ),
        (
            OK.model_copy(update={"last_new_item": NOW - 5 * HOUR}),
            "silent",
            "nothing new for 5 h (usually every 30 min)",
        ),
    ],
    ids=["none", "never-polled", "ok", "failing", "retry-after", "gone", "moved", "silent"],
)
def test_feed_health(state: FeedState | None, label: str, words: str) -> None:
    got_label, got_words = feed_health(state, NOW)
    assert got_label == label
    assert got_words.startswith(words)


def test_silent_needs_a_history_and_at_least_an_hour() -> None:
    assert not is_silent(FeedState(url="u", items_seen=1, last_new_item=NOW - 100 * HOUR, mean_gap_s=60), NOW)
    fast = FeedState(url="u", items_seen=50, last_new_item=NOW - timedelta(minutes=30), mean_gap_s=60)
    assert not is_silent(fast, NOW)  # 30 × its gap, but not yet an hour
    assert is_silent(fast.model_copy(update={"last_new_item": NOW - 2 * HOUR}), NOW)


def test_duration_words() -> None:
    assert [duration_words(s) for s in (5, 600, 7200, 3 * 86400)] == ["5 s", "10 min", "2 h", "3 days"]
