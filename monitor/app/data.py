"""The store as the app sees it: the reads for the first paint and detail screens, and the marks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Protocol

from monitor.app.board import Snapshot
from monitor.models import Alert, Event, FeedState, ForceEntry, Incident, Item, ZoneEntry

ALERT_WINDOW = timedelta(days=7)


class StoreView(Protocol):
    """The subset of ``monitor.store.Store`` the app uses."""

    def feed_states(self) -> Mapping[str, FeedState]: ...
    def item(self, key: str) -> Item | None: ...
    def items(self, since: datetime | None = None) -> list[Item]: ...
    def events(self, since: datetime | None = None) -> list[Event]: ...
    def incidents(self, since: datetime | None = None) -> list[Incident]: ...
    def forces(self) -> list[ForceEntry]: ...
    def zones(self) -> list[ZoneEntry]: ...
    def alerts(self, since: datetime | None = None) -> list[Alert]: ...
    def acknowledged(self) -> set[str]: ...
    def muted(self) -> set[str]: ...
    def acknowledge(self, incident_ids: Iterable[str], *, on: bool = True) -> None: ...
    def mute(self, incident_ids: Iterable[str], *, on: bool = True) -> None: ...


def snapshot(store: StoreView, now: datetime) -> Snapshot:
    """What the store holds now, shaped like a pipeline report."""
    return Snapshot(
        at=now,
        incidents=store.incidents(),
        forces=store.forces(),
        zones=store.zones(),
        alerts=store.alerts(since=now - ALERT_WINDOW),
        feeds=dict(store.feed_states()),
    )


def events_of(store: StoreView, incident: Incident) -> list[Event]:
    """The events merged into ``incident``, oldest first."""
    keys = set(incident.event_keys)
    items = {s.item_key for s in incident.sources}
    found = [
        e
        for e in store.events(since=incident.first_seen - timedelta(days=1))
        if f"{e.item_key}|{e.rule}" in keys or (not keys and e.item_key in items)
    ]
    return sorted(found, key=lambda e: e.published)
