"""The plain-text table `situation-room feeds check` prints: each feed's settings and last known health."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from monitor.config import FeedConfig, Settings
from monitor.ingest.health import duration_words, is_silent
from monitor.models import FeedState, utcnow
from monitor.text import sanitize

COLUMNS = ("NAME", "TIER", "PARTY", "INTERVAL", "URL", "STATUS")


def feed_status(
    feed: FeedConfig, state: FeedState | None, now: datetime | None = None, *, location: str | None = None
) -> str:
    """One short phrase for a feed's health, from the store's record of its last polls.

    ``location`` is what the poller fetched for the feed (``Settings.location``: a local file's path
    made absolute); without it, the url as configured. "silent" uses the poller's own test
    (``is_silent``), so the app and this table agree.
    """
    if not feed.enabled:
        return "disabled"
    if state is None or state.url != (location or feed.url):
        # A state recorded for another URL belongs to the old config: the feed starts afresh.
        return "not polled yet"
    if state.gone:
        return "gone (HTTP 410): polling stopped"
    parts: list[str] = []
    if state.moved_to:
        parts.append(f"moved to {state.moved_to}")
    if state.consecutive_failures:
        error = state.last_error or f"HTTP {state.last_status}"
        parts.append(f"failing ({state.consecutive_failures}x): {error}")
    elif state.last_success is not None and is_silent(state, now or utcnow()):
        quiet = duration_words(
            ((now or utcnow()) - (state.last_new_item or state.last_success)).total_seconds()
        )
        parts.append(f"silent: nothing new for {quiet}, last success {_when(state.last_success)}")
    elif state.last_success is not None:
        parts.append(f"ok, last success {_when(state.last_success)}, {state.items_seen} items seen")
    else:
        parts.append("not polled yet")
    if state.parse_notes:
        parts.append("parse notes: " + "; ".join(state.parse_notes))
    return "; ".join(parts)


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def render_feeds_table(
    settings: Settings, states: Mapping[str, FeedState], *, now: datetime | None = None
) -> str:
    """A fixed-width table of every feed, one line each, ending with a newline."""
    now = now or utcnow()
    rows: list[Sequence[str]] = [COLUMNS]
    # Names and URLs can come from an imported OPML file, so every cell is treated as hostile text.
    for feed in settings.feeds:
        rows.append(
            (
                sanitize(feed.name),
                feed.tier,
                sanitize(feed.party) if feed.party else "-",
                f"{feed.interval}s",
                sanitize(feed.url),
                sanitize(feed_status(feed, states.get(feed.name), now, location=settings.location(feed))),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    enabled = len(settings.enabled_feeds())
    lines.append(f"{len(settings.feeds)} feeds, {enabled} enabled ({settings.source})")
    return "\n".join(lines) + "\n"
