"""Source references: who reported an event, with the feed's tier and party from the settings."""

from __future__ import annotations

import hashlib

from monitor.config import Settings
from monitor.models import Event, SourceRef, Tier

DEFAULT_TIER: Tier = "outlet"
"""Tier given to a feed the settings no longer list (removed since the event was stored)."""


class SourceRefs:
    """Builds the SourceRef of an event; caches each feed's tier and party (settings are immutable)."""

    def __init__(self, settings: Settings) -> None:
        self._feeds: dict[str, tuple[Tier, str | None]] = {f.name: (f.tier, f.party) for f in settings.feeds}

    def ref(self, event: Event) -> SourceRef:
        tier, party = self._feeds.get(event.feed, (DEFAULT_TIER, None))
        return SourceRef(
            feed=event.feed,
            tier=tier,
            party=party,
            item_key=event.item_key,
            title=event.title,
            link=event.link,
            published=event.published,
        )


def event_key(event: Event) -> str:
    """The identity of one rule firing on one item (what Incident.event_keys holds)."""
    return f"{event.item_key}|{event.rule}"


def digest(*parts: str) -> str:
    """A short stable hash of some strings: the basis of every id the picture makes."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8"))
    return h.hexdigest()[:16]
