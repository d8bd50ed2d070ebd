"""The zones board: per zone, how many incidents lately, the last one, the declared status, the trend.

The zones are the gazetteer's (when the rules package provides one) plus every zone events name,
plus "unlocated". Counts are by an incident's first report; the trend compares the last 24 hours
with the daily mean of the last seven days. Only happenings on the ground count (``COUNTED``):
reconstruction, diplomacy and force-movement incidents are listed elsewhere but never make a zone
look busier or more violent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, get_args

from monitor.models import UNLOCATED, Event, Incident, ZoneEntry, ZoneStatus
from monitor.picture.incidents import COUNTED
from monitor.picture.refs import SourceRefs

Trend = Literal["rising", "steady", "falling"]
STATUSES: frozenset[str] = frozenset(get_args(ZoneStatus)) - {"none"}
_ALIASES: dict[str, ZoneStatus] = {
    "proposed": "safe_zone_proposed",
    "established": "safe_zone_established",
    "evacuation": "evacuation_ordered",
    "strike": "struck",
}
DAY = timedelta(hours=24)
WEEK = timedelta(days=7)
RISING = 1.5
"""The last 24 hours rise when they hold this many times the daily mean of the week (and at least 2)."""
FALLING = 0.5
"""... and fall when they hold less than this share of it (with at least 2 in the week)."""


def zone_status_of(event: Event) -> ZoneStatus | None:
    """The declared zone status an event reports (detail "zone_status"), if any."""
    value = event.detail.get("zone_status", "").strip().lower()
    value = _ALIASES.get(value, value)
    if value not in STATUSES:
        return None
    status: ZoneStatus = value  # type: ignore[assignment]  # checked against the Literal's values
    return status


def trend(count_24h: int, count_7d: int) -> Trend:
    mean = count_7d / 7
    if count_24h >= 2 and count_24h > RISING * mean:
        return "rising"
    if count_7d >= 2 and count_24h < FALLING * mean:
        return "falling"
    return "steady"


@dataclass(frozen=True)
class ZoneChange:
    """A zone whose declared status changed; ``previous`` is the status before."""

    entry: ZoneEntry
    previous: ZoneStatus
    event: Event


class ZoneBoard:
    """Keeps one ZoneEntry per zone."""

    def __init__(self, refs: SourceRefs, names: Iterable[str]) -> None:
        self._refs = refs
        self._entries: dict[str, ZoneEntry] = {}
        for name in (*names, UNLOCATED):
            self._entries.setdefault(name, ZoneEntry(zone=name))

    def load(self, entries: Iterable[ZoneEntry]) -> None:
        for entry in entries:
            self._entries[entry.zone] = entry

    def zones(self) -> list[ZoneEntry]:
        """The board, busiest zone first."""
        return sorted(self._entries.values(), key=lambda z: (-z.count_24h, -z.count_7d, z.zone))

    def get(self, zone: str) -> ZoneEntry:
        return self._entries.get(zone) or ZoneEntry(zone=zone)

    def note(self, event: Event) -> list[ZoneChange]:
        """Apply a declared status (safe zone proposed, established, evacuation ordered, struck)."""
        status = zone_status_of(event)
        if status is None or event.status == "denied":
            return []
        zones = [z for z in event.entities.zones if z and z != UNLOCATED] or [UNLOCATED]
        changes = []
        for zone in dict.fromkeys(zones):
            entry = self._entries.get(zone) or ZoneEntry(zone=zone)
            if not _moves(entry, status, event):
                continue
            new = entry.model_copy(
                update={
                    "status": status,
                    "status_at": event.published,
                    "status_source": self._refs.ref(event),
                }
            )
            self._entries[zone] = new
            changes.append(ZoneChange(new, entry.status, event))
        return changes

    def recount(self, incidents: Iterable[Incident], now: datetime) -> list[ZoneEntry]:
        """Recount every zone at ``now``; returns the entries that changed."""
        day: dict[str, int] = {}
        week: dict[str, int] = {}
        last: dict[str, Incident] = {}
        for incident in incidents:
            if incident.category not in COUNTED:
                continue
            zone = incident.zone or UNLOCATED
            at = incident.first_seen
            if at > now or at <= now - WEEK:
                continue
            week[zone] = week.get(zone, 0) + 1
            if at > now - DAY:
                day[zone] = day.get(zone, 0) + 1
            if zone not in last or (at, incident.id) > (last[zone].first_seen, last[zone].id):
                last[zone] = incident
        changed = []
        for zone in set(self._entries) | set(week):
            entry = self._entries.get(zone) or ZoneEntry(zone=zone)
            c24, c7 = day.get(zone, 0), week.get(zone, 0)
            latest = last.get(zone)
            new = entry.model_copy(
                update={
                    "count_24h": c24,
                    "count_7d": c7,
                    "trend": trend(c24, c7),
                    "last_incident": latest.id if latest else entry.last_incident,
                    "last_incident_at": latest.first_seen if latest else entry.last_incident_at,
                }
            )
            if new != entry or zone not in self._entries:
                self._entries[zone] = new
                changed.append(new)
        return sorted(changed, key=lambda z: z.zone)


def _moves(entry: ZoneEntry, status: ZoneStatus, event: Event) -> bool:
    """Whether a reported status replaces the current one: a proposal never demotes a zone, and
    nothing older than the current status's evidence replaces it."""
    if status == entry.status:
        return False
    if status == "safe_zone_proposed":
        return entry.status == "none"
    return entry.status_at is None or event.published >= entry.status_at
