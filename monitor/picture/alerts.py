"""Alerts from picture changes, with deterministic ids and the ten-minute limit on incident updates.

Ids are derived from what the alert says (the incident and its state, the contributor and its new
status with the evidence), so replaying the same events yields the same ids and the store keeps one.
``sources`` counts distinct outlets: behind the incident for new and update alerts, behind the
board entry's current values (its value evidence) for a force change, and the one report that
moved a zone's declared status for a zone change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from monitor.models import Alert, Category, Entities, ForceEntry, ForceStatus, Incident, Severity, ZoneStatus
from monitor.picture.forces import ON_THE_GROUND, ForceChange
from monitor.picture.incidents import REASON_STATUS
from monitor.picture.refs import digest
from monitor.picture.zones import ZoneChange

UPDATE_GAP = timedelta(minutes=10)
"""At most one update alert per incident in this time; later changes fold into the next one
(delayed, never dropped), except a change of status, which always goes out at once."""

FORCE_SEVERITY: dict[ForceStatus, Severity] = {
    "discussed": Severity.LOW,
    "in_talks": Severity.LOW,
    "offered": Severity.MEDIUM,
    "pledged": Severity.MEDIUM,
    "authorised": Severity.MEDIUM,
    "deploying": Severity.HIGH,
    "deployed": Severity.HIGH,
    "withdrawing": Severity.MEDIUM,
    "withdrawn": Severity.MEDIUM,
    "declined": Severity.MEDIUM,
}
ZONE_SEVERITY: dict[ZoneStatus, Severity] = {
    "none": Severity.LOW,
    "safe_zone_proposed": Severity.LOW,
    "safe_zone_established": Severity.MEDIUM,
    "evacuation_ordered": Severity.HIGH,
    "struck": Severity.HIGH,
}


def _entities(incident: Incident) -> Entities:
    return Entities(
        countries=incident.countries,
        actors=incident.actors,
        places=incident.places,
        zones=incident.zones or (incident.zone,),
        casualties=incident.casualties,
    )


def new_incident_alert(incident: Incident, now: datetime) -> Alert:
    first = incident.sources[0] if incident.sources else None
    return Alert(
        id=f"new-{incident.id}",
        ts=now,
        kind="new",
        category=incident.category,
        severity=incident.severity,
        title=incident.title,
        link=first.link if first else None,
        feed=first.feed if first else None,
        published=first.published if first else incident.first_seen,
        rule=incident.rules[0] if incident.rules else None,
        incident=incident.id,
        sources=incident.source_count,
        status=incident.status,
        entities=_entities(incident),
    )


def update_alert(incident: Incident, reasons: Iterable[str], now: datetime) -> Alert:
    """An update alert; its id is the incident's state, so the same state never alerts twice."""
    feeds = sorted({s.feed for s in incident.sources})
    state = digest(incident.id, ",".join(feeds), str(incident.casualties), incident.status)
    latest = max(incident.sources, key=lambda s: s.published, default=None)
    # "status" alone does not say which way it went; the reader wants the new status.
    said = (f"now {incident.status}" if why == REASON_STATUS else why for why in reasons)
    why = ", ".join(dict.fromkeys(said))
    return Alert(
        id=f"upd-{incident.id}-{state[:10]}",
        ts=now,
        kind="update",
        category=incident.category,
        severity=incident.severity,
        title=f"{incident.title} ({why})" if why else incident.title,
        link=latest.link if latest else None,
        feed=latest.feed if latest else None,
        published=incident.last_seen,
        rule=incident.rules[-1] if incident.rules else None,
        incident=incident.id,
        sources=incident.source_count,
        status=incident.status,
        entities=_entities(incident),
    )


def value_outlets(entry: ForceEntry, feed: str) -> int:
    """Distinct outlets behind the entry's current values (its value evidence), counting ``feed``."""
    behind = set(entry.value_evidence.values())
    return len({feed} | {ref.feed for ref in entry.evidence if ref.item_key in behind})


def force_alert(change: ForceChange, now: datetime) -> Alert:
    entry, event = change.entry, change.event
    was = change.previous.replace("_", " ") if change.previous else "new"
    # On the ground, the number and place are those of the personnel there ("300 soldiers sent to the
    # crossing"); before, those the contributor declared.
    count, qualifier, where = entry.troops, entry.troops_qualifier, entry.where
    if entry.status in ON_THE_GROUND:
        if entry.present is not None:
            count, qualifier = entry.present, entry.present_qualifier
        where = entry.present_where or where
    numbers = ""
    if count is not None:
        numbers = f", {qualifier + ' ' if qualifier else ''}{count} troops"
    # Role and place are what a reader asks next ("troops for what, and where?").
    numbers += "".join(f", {value}" for value in (entry.role, where) if value)
    return Alert(
        id=f"force-{digest(entry.contributor, entry.status, event.item_key)}",
        ts=now,
        kind="force_change",
        category=Category.FORCE_DEPLOYMENT,
        severity=FORCE_SEVERITY[entry.status],
        title=f"{entry.contributor}: {was} → {entry.status.replace('_', ' ')}{numbers}",
        link=event.link,
        feed=event.feed,
        published=event.published,
        rule=event.rule,
        sources=value_outlets(entry, event.feed),
        status=entry.status,
        entities=Entities(countries=(entry.contributor,), troops=count, troops_qualifier=qualifier),
    )


def zone_alert(change: ZoneChange, now: datetime) -> Alert:
    entry, event = change.entry, change.event
    return Alert(
        id=f"zone-{digest(entry.zone, entry.status, event.item_key)}",
        ts=now,
        kind="zone_change",
        category=Category.SAFE_ZONE,
        severity=ZONE_SEVERITY[entry.status],
        title=f"{entry.zone}: {change.previous.replace('_', ' ')} → {entry.status.replace('_', ' ')}",
        link=event.link,
        feed=event.feed,
        published=event.published,
        rule=event.rule,
        sources=1,  # a declared status rests on one report: the one that moved it
        status=entry.status,
        entities=Entities(zones=(entry.zone,)),
    )


class UpdateThrottle:
    """Lets one update alert per incident through every ``gap``; holds and folds the rest.

    An update is delayed, never dropped: what is held is handed out by ``held`` so the store keeps
    it with each commit, and taken back by ``hold`` when a later run restores the picture; ``due``
    releases it once the gap has passed. A change of status (corroborated, disputed) is never held.
    """

    def __init__(self, gap: timedelta = UPDATE_GAP) -> None:
        self._gap = gap
        self._last: dict[str, datetime] = {}
        self._pending: dict[str, tuple[str, ...]] = {}

    @property
    def gap(self) -> timedelta:
        return self._gap

    def restore(self, alerts: Iterable[Alert]) -> None:
        """Remember recent update alerts from the store, so a restart does not reset the limit."""
        for alert in alerts:
            if alert.kind == "update" and alert.incident:
                last = self._last.get(alert.incident)
                self._last[alert.incident] = alert.ts if last is None else max(last, alert.ts)

    def hold(self, held: Mapping[str, Sequence[str]], now: datetime) -> None:
        """Take back the updates an earlier run held (as ``held`` gave them), to release when due.

        One whose last alert is no longer known (older than the gap) is due at once.
        """
        for incident_id, reasons in held.items():
            folded = (*self._pending.get(incident_id, ()), *reasons)
            self._pending[incident_id] = tuple(dict.fromkeys(folded))
            self._last.setdefault(incident_id, now - self._gap)

    def held(self) -> dict[str, tuple[str, ...]]:
        """The updates held now, by incident id: what the store keeps so no run drops them."""
        return dict(self._pending)

    @property
    def holding(self) -> bool:
        return bool(self._pending)

    def offer(
        self, incident_id: str, reasons: Iterable[str], now: datetime, *, urgent: bool = False
    ) -> tuple[str, ...] | None:
        """The reasons to alert with now (folded with held ones), or None when the update is held.

        ``urgent`` (a change of status) goes out now whatever the gap, and starts a new gap.
        """
        folded = tuple(dict.fromkeys((*self._pending.get(incident_id, ()), *reasons)))
        last = self._last.get(incident_id)
        if not urgent and last is not None and now - last < self._gap:
            self._pending[incident_id] = folded
            return None
        self._pending.pop(incident_id, None)
        self._last[incident_id] = now
        return folded

    def due(self, now: datetime) -> list[tuple[str, tuple[str, ...]]]:
        """Held updates whose gap has passed, released (and counted) now."""
        ready = [i for i in self._pending if now - self._last[i] >= self._gap]
        out = []
        for incident_id in sorted(ready):
            out.append((incident_id, self._pending.pop(incident_id)))
            self._last[incident_id] = now
        return out

    def drop(self, incident_id: str) -> None:
        """Forget a held update whose incident is gone from the picture (nothing left to say)."""
        self._pending.pop(incident_id, None)

    def forget(self, keep: set[str]) -> None:
        """Drop state of incidents no longer held."""
        for incident_id in [i for i in self._last if i not in keep and i not in self._pending]:
            del self._last[incident_id]
