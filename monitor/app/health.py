"""Feed health for the Feeds panel: the core's verdict (monitor.ingest.health) with a display label."""

from __future__ import annotations

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
