"""Feed health for the Feeds panel: the core's verdict (monitor.ingest.health) with a display label."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from monitor.ingest.health import HealthLabel
from monitor.ingest.health import feed_health as core_feed_health
from monitor.models import FeedState

LABEL: dict[HealthLabel, str] = {
    "ok": "OK",
    "failing": "failing",
    "silent": "silent",
    "gone": "gone",
    "moved": "moved",
    "new": "new",
}


@dataclass(frozen=True)
class Health:
    status: str
    words: str


def feed_health(state: FeedState | None, now: datetime) -> Health:
    """How one feed is doing, with the reason in plain words."""
    label, words = core_feed_health(state, now)
    return Health(LABEL[label], words)


def header_counts(feeds: Mapping[str, FeedState], failed: Collection[str], now: datetime) -> tuple[int, int]:
    """(OK, failing) for the status line. A feed is OK only after a successful poll and while not
    failing: one never polled yet (or never answered) is neither, however it may turn out."""
    ok = failing = 0
    for name, state in feeds.items():
        status = feed_health(state, now).status
        if name in failed or status in ("failing", "gone"):
            failing += 1
        elif state.last_success is not None:
            ok += 1
    return ok, failing
