"""The situation picture: events in, incidents and boards out, with the alerts their changes call for.

Pure: no I/O. The pipeline calls ``apply`` once per cycle (also with no events, so held update
alerts are released and zone counts age), stores what it returns, then hands it to the sinks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from monitor.config import Settings
from monitor.models import Alert, Event, ForceEntry, Incident, ZoneEntry, utcnow
from monitor.picture.alerts import (
    UpdateThrottle,
    force_alert,
    new_incident_alert,
    update_alert,
    zone_alert,
)
from monitor.picture.forces import ForceBoard
from monitor.picture.geo import Geography
from monitor.picture.incidents import REASON_STATUS, RETAIN, IncidentBoard
from monitor.picture.refs import SourceRefs
from monitor.picture.zones import ZoneBoard

Clock = Callable[[], datetime]


class PictureSource(Protocol):
    """What ``Picture.restore`` reads from the store."""

    def incidents(self, since: datetime | None = None) -> list[Incident]: ...
    def forces(self) -> list[ForceEntry]: ...
    def zones(self) -> list[ZoneEntry]: ...
    def alerts(self, since: datetime | None = None) -> list[Alert]: ...


@runtime_checkable
class HeldUpdatesSource(Protocol):
    """A store that also keeps the update alerts the limit holds (``monitor.store.Store`` does)."""

    def held_updates(self) -> dict[str, tuple[str, ...]]: ...


@dataclass(frozen=True)
class PictureChange:
    """What one ``apply`` changed: records to upsert, and new alerts to store before any sink."""

    incidents: tuple[Incident, ...] = ()
    forces: tuple[ForceEntry, ...] = ()
    zones: tuple[ZoneEntry, ...] = ()
    alerts: tuple[Alert, ...] = ()
    held: Mapping[str, tuple[str, ...]] | None = None
    """Every update alert the limit holds now (incident id → reasons), when that changed; else None.
    The store keeps it with the cycle, so a held update outlives the run that held it."""

    @property
    def empty(self) -> bool:
        return not (self.incidents or self.forces or self.zones or self.alerts or self.held is not None)


class Picture:
    """Incidents, the forces board and the zones board, kept up to date event by event."""

    def __init__(
        self,
        settings: Settings,
        *,
        window_h: float = 36,
        now: Clock = utcnow,
        geography: Geography | None = None,
    ) -> None:
        self._clock = now
        self.geography = geography if geography is not None else Geography.load()
        refs = SourceRefs(settings)
        self._incidents = IncidentBoard(refs, window=timedelta(hours=window_h), geo=self.geography)
        self._forces = ForceBoard(refs)
        self._zones = ZoneBoard(refs, self.geography.names())
        self._throttle = UpdateThrottle(timedelta(seconds=settings.update_gap_s))
        self._held: dict[str, tuple[str, ...]] = {}
        """What the limit held at the end of the last ``apply`` (or restore): to tell a change."""

    @classmethod
    def restore(
        cls,
        settings: Settings,
        store: PictureSource,
        *,
        window_h: float = 36,
        now: Clock = utcnow,
        at: datetime | None = None,
    ) -> Picture:
        """The picture as the store left it: recent incidents, both boards, recent update alerts;
        as of ``at`` (default: ``now()``)."""
        picture = cls(settings, window_h=window_h, now=now)
        at = at if at is not None else now()
        picture._incidents.load(store.incidents(since=at - RETAIN))
        picture._forces.load(store.forces())
        picture._zones.load(store.zones())
        picture._throttle.restore(store.alerts(since=at - picture._throttle.gap))
        if isinstance(store, HeldUpdatesSource):
            picture._throttle.hold(store.held_updates(), at)
            picture._held = picture._throttle.held()
        picture._zones.recount(picture._incidents.incidents(), at)
        return picture

    def incidents(self) -> list[Incident]:
        return self._incidents.incidents()

    def forces(self) -> list[ForceEntry]:
        return self._forces.forces()

    def zones(self) -> list[ZoneEntry]:
        return self._zones.zones()

    @property
    def holding(self) -> bool:
        """Whether an update alert is held by the limit, waiting for its time."""
        return self._throttle.holding

    def apply(self, events: Sequence[Event], *, now: datetime | None = None) -> PictureChange:
        """Merge events into the picture; return the changed records and the alerts they call for."""
        at = now if now is not None else self._clock()
        incidents: dict[str, Incident] = {}
        created: set[str] = set()
        reasons: dict[str, list[str]] = {}
        forces: dict[str, ForceEntry] = {}
        zones: set[str] = set()
        alerts: list[Alert] = []
        ordered = sorted(events, key=lambda e: (e.published, e.item_key, e.rule))
        for force in self._forces.add(ordered):
            forces[force.entry.contributor] = force.entry
            if force.status_changed:
                alerts.append(force_alert(force, at))
        for event in ordered:
            change = self._incidents.add(event)
            if change is not None:
                incidents[change.incident.id] = change.incident
                if change.created:
                    created.add(change.incident.id)
                elif change.reasons:
                    reasons.setdefault(change.incident.id, []).extend(change.reasons)
            for zone in self._zones.note(event):
                zones.add(zone.entry.zone)
                alerts.append(zone_alert(zone, at))
        for incident_id in sorted(created):
            alerts.append(new_incident_alert(incidents[incident_id], at))
        for incident_id, why in sorted(reasons.items()):
            if incident_id in created:
                continue
            # A change of status (corroborated, disputed) is what a reader must not wait for.
            allowed = self._throttle.offer(incident_id, why, at, urgent=REASON_STATUS in why)
            if allowed is not None:
                alerts.append(update_alert(incidents[incident_id], allowed, at))
        for incident_id, held_reasons in self._throttle.due(at):
            incident = self._incidents.get(incident_id)
            if incident is not None:
                alerts.append(update_alert(incident, held_reasons, at))
        self._incidents.prune(at)
        held = self._incidents.incidents()
        kept = {i.id for i in held}
        for incident_id in [i for i in self._throttle.held() if i not in kept]:
            self._throttle.drop(incident_id)  # its incident left the picture (retention)
        self._throttle.forget(kept)
        now_held = self._throttle.held()
        held_change = None if now_held == self._held else now_held
        self._held = now_held
        zones.update(z.zone for z in self._zones.recount(held, at))
        return PictureChange(
            incidents=tuple(incidents.values()),
            forces=tuple(forces.values()),
            zones=tuple(self._zones.get(z) for z in sorted(zones)),
            alerts=tuple(alerts),
            held=held_change,
        )
