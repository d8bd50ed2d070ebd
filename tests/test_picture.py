"""The picture as a whole: alerts (new, throttled updates, force and zone changes) and restore."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from test_picture_builders import T0, event, load_bundles, settings

from monitor.models import Alert, Category, Event, ForceEntry, Incident, ZoneEntry
from monitor.picture import Picture, PictureChange
from monitor.store import Batch, Store

NOW = T0 + timedelta(hours=1)
RAFAH = {"places": ("Rafah",), "zones": ("Rafah",), "actors": ("Hamas",)}


def report(feed: str, item: str, hours: float = 0.5, **kw: Any) -> Event:
    return event(
        feed=feed, item=item, hours=hours, title="Gunmen fire on Israeli troops in Rafah", **{**RAFAH, **kw}
    )


def test_new_incident_alert_then_one_update_per_ten_minutes_folding_changes() -> None:
    picture = Picture(settings())
    first = picture.apply([report("reuters", "1")], now=NOW)
    assert [a.kind for a in first.alerts] == ["new"]
    (incident,) = first.incidents
    assert first.alerts[0].incident == incident.id and first.alerts[0].sources == 1

    second = picture.apply([report("bbc", "2")], now=NOW + timedelta(minutes=1))
    assert [a.kind for a in second.alerts] == ["update"]
    assert "new outlet" in second.alerts[0].title and second.alerts[0].status == "corroborated"
    assert second.alerts[0].title.endswith("(new outlet, now corroborated)")

    held = picture.apply([report("ap", "3", casualties=3)], now=NOW + timedelta(minutes=5))
    assert held.alerts == ()
    assert held.incidents[0].source_count == 3  # the record changes; only the alert waits
    held2 = picture.apply([report("aljazeera", "4")], now=NOW + timedelta(minutes=8))
    assert held2.alerts == ()

    released = picture.apply([], now=NOW + timedelta(minutes=11))
    (alert,) = released.alerts
    assert alert.kind == "update" and alert.sources == 4
    assert "new outlet" in alert.title and "higher casualties" in alert.title
    assert picture.apply([], now=NOW + timedelta(minutes=30)).alerts == ()


def test_same_events_give_the_same_alert_ids() -> None:
    feeds, pairs = load_bundles()
    events = [ev for _, ev in pairs]
    a = Picture(feeds).apply(events, now=NOW)
    b = Picture(feeds).apply(list(reversed(events)), now=NOW + timedelta(minutes=3))
    assert sorted(x.id for x in a.alerts) == sorted(x.id for x in b.alerts)
    assert len({x.id for x in a.alerts}) == len(a.alerts)


def test_force_and_zone_alerts() -> None:
    picture = Picture(settings())
    change = picture.apply(
        [
            event(
                item="f",
                category=Category.FORCE_DEPLOYMENT,
                countries=("Indonesia",),
                troops=20000,
                detail={"stage": "offered"},
            ),
            event(
                item="z",
                category=Category.SAFE_ZONE,
                zones=("al-Mawasi",),
                detail={"zone_status": "evacuation_ordered"},
            ),
        ],
        now=NOW,
    )
    kinds = {a.kind: a for a in change.alerts}
    assert kinds["force_change"].title == "Indonesia: new → offered, 20000 troops"
    assert kinds["zone_change"].title == "al-Mawasi: none → evacuation ordered"
    assert kinds["zone_change"].severity == "high"
    assert kinds["force_change"].sources == 1 and kinds["zone_change"].sources == 1
    assert [f.contributor for f in change.forces] == ["Indonesia"]
    assert "al-Mawasi" in {z.zone for z in change.zones}


def test_force_alert_counts_the_outlets_behind_the_entry_values() -> None:
    picture = Picture(settings())
    force = {"category": Category.FORCE_DEPLOYMENT, "countries": ("Indonesia",)}
    first = picture.apply([event(feed="reuters", item="1", detail={"stage": "in_talks"}, **force)], now=NOW)
    assert [a.sources for a in first.alerts if a.kind == "force_change"] == [1]
    # Another outlet gives the numbers, a third moves the status: three outlets back the entry.
    later = picture.apply(
        [
            event(feed="bbc", item="2", hours=0.6, troops=1200, detail={"stage": "offered"}, **force),
            event(
                feed="ap",
                item="3",
                hours=0.7,
                detail={"stage": "pledged", "role": "police training"},
                **force,
            ),
        ],
        now=NOW + timedelta(minutes=1),
    )
    changes = [a for a in later.alerts if a.kind == "force_change"]
    assert [a.sources for a in changes] == [1, 2]
    assert changes[-1].title == "Indonesia: offered → pledged, 1200 troops, police training"


@dataclass
class Records:
    """What a store hands back: the records a picture returned, upserted by key."""

    incidents_: dict[str, Incident] = field(default_factory=dict)
    forces_: dict[str, ForceEntry] = field(default_factory=dict)
    zones_: dict[str, ZoneEntry] = field(default_factory=dict)
    alerts_: dict[str, Alert] = field(default_factory=dict)

    def keep(self, change: PictureChange) -> None:
        for inc in change.incidents:
            self.incidents_[inc.id] = Incident.model_validate(inc.model_dump(mode="json"))
        self.forces_.update(
            {f.contributor: ForceEntry.model_validate(f.model_dump(mode="json")) for f in change.forces}
        )
        self.zones_.update(
            {z.zone: ZoneEntry.model_validate(z.model_dump(mode="json")) for z in change.zones}
        )
        self.alerts_.update({a.id: a for a in change.alerts})

    def incidents(self, since: datetime | None = None) -> list[Incident]:
        return [i for i in self.incidents_.values() if since is None or i.last_seen >= since]

    def forces(self) -> list[ForceEntry]:
        return list(self.forces_.values())

    def zones(self) -> list[ZoneEntry]:
        return list(self.zones_.values())

    def alerts(self, since: datetime | None = None) -> list[Alert]:
        return [a for a in self.alerts_.values() if since is None or a.ts >= since]


def test_restored_picture_continues_where_the_live_one_stopped() -> None:
    feeds, pairs = load_bundles()
    events = [ev for _, ev in pairs]
    cut = len(events) // 2
    now = T0 + timedelta(days=5)
    live, records = Picture(feeds), Records()
    records.keep(live.apply(events[:cut], now=now))
    restored = Picture.restore(feeds, records, now=lambda: now)
    assert sorted(i.id for i in restored.incidents()) == sorted(i.id for i in live.incidents())
    assert restored.apply(events[:cut], now=now).empty  # already seen: nothing new
    records.keep(restored.apply(events[cut:], now=now))
    whole = Picture(feeds)
    whole.apply(events, now=now)

    def groups(p: Picture) -> set[frozenset[str]]:
        return {frozenset(i.event_keys) for i in p.incidents()}

    assert groups(restored) == groups(whole)


def test_restore_keeps_the_update_limit_across_a_restart() -> None:
    records = Records()
    picture = Picture(settings())
    records.keep(picture.apply([report("reuters", "1")], now=NOW))
    records.keep(picture.apply([report("bbc", "2")], now=NOW + timedelta(minutes=1)))
    restarted = Picture.restore(settings(), records, now=lambda: NOW + timedelta(minutes=2))
    change = restarted.apply([report("ap", "3")], now=NOW + timedelta(minutes=3))
    assert change.alerts == ()
    assert change.incidents[0].source_count == 3


def test_restore_from_a_real_store_across_a_reopen(tmp_path: Path) -> None:
    feeds, pairs = load_bundles()
    events = [ev for _, ev in pairs]
    cut = len(events) // 2
    now = T0 + timedelta(days=5)
    live = Picture(feeds)
    change = live.apply(events[:cut], now=now)
    with Store.open(tmp_path, now=lambda: now) as store:
        store.commit(
            Batch(
                incidents=list(change.incidents),
                forces=list(change.forces),
                zones=list(change.zones),
                alerts=list(change.alerts),
            )
        )
    with Store.open(tmp_path, now=lambda: now) as store:
        restored = Picture.restore(feeds, store, now=lambda: now)
    assert {i.id: i for i in restored.incidents()} == {i.id: i for i in live.incidents()}
    assert {z.zone: z for z in restored.zones()} == {z.zone: z for z in live.zones()}
    assert restored.apply(events[:cut], now=now).empty
    rest = restored.apply(events[cut:], now=now)
    assert {a.id for a in rest.alerts}.isdisjoint({a.id for a in change.alerts})
    whole = Picture(feeds)
    whole.apply(events, now=now)
    assert {frozenset(i.event_keys) for i in restored.incidents()} == {
        frozenset(i.event_keys) for i in whole.incidents()
    }
