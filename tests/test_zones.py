"""The zones board: counts over 24 hours and 7 days, the last incident, declared status, trend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_picture_builders import T0, event, settings

from monitor.models import UNLOCATED, Category, Event
from monitor.picture import Picture
from monitor.picture.zones import trend

SZ = Category.SAFE_ZONE


def strike(n: int, hours: float, zone: str = "Khan Younis") -> Event:
    return event(item=f"s{n}", hours=hours, places=(f"Place {n}",), zones=(zone,), title=f"Strike {n}")


def test_counts_last_incident_and_trend() -> None:
    picture = Picture(settings())
    now = T0 + timedelta(days=7)
    events = [strike(n, h) for n, h in enumerate((0, 60, 100, 150, 160, 165))]
    change = picture.apply(events, now=now)
    zones = {z.zone: z for z in picture.zones()}
    ky = zones["Khan Younis"]
    assert (ky.count_24h, ky.count_7d) == (3, 5)  # the first is more than seven days old
    assert ky.trend == "rising"
    assert ky.last_incident == max(picture.incidents(), key=lambda i: i.first_seen).id
    assert "Khan Younis" in {z.zone for z in change.zones}
    assert UNLOCATED in zones


def test_counts_age_without_new_events() -> None:
    picture = Picture(settings())
    picture.apply([strike(1, 0), strike(2, 1)], now=T0 + timedelta(hours=2))
    later = picture.apply([], now=T0 + timedelta(days=3))
    (ky,) = [z for z in later.zones if z.zone == "Khan Younis"]
    assert (ky.count_24h, ky.count_7d, ky.trend) == (0, 2, "falling")


def test_only_happenings_count_in_a_zone() -> None:
    picture = Picture(settings())
    plans = [
        event(
            item="r", category=Category.RECONSTRUCTION, zones=("Rafah",), title="Rebuilding starts in Rafah"
        ),
        event(
            item="d", category=Category.DIPLOMACY, zones=("Rafah",), title="Envoys discuss the Rafah crossing"
        ),
        event(
            item="f", category=Category.FORCE_DEPLOYMENT, zones=("Rafah",), title="Army moves tanks to Rafah"
        ),
    ]
    picture.apply(plans, now=T0 + timedelta(hours=1))
    assert len(picture.incidents()) == 3  # listed as incidents ...
    rafah = {z.zone: z for z in picture.zones()}["Rafah"]
    assert (rafah.count_24h, rafah.count_7d, rafah.last_incident) == (0, 0, None)  # ... never counted
    picture.apply([event(item="u", category=Category.UXO, zones=("Rafah",))], now=T0 + timedelta(hours=2))
    rafah = {z.zone: z for z in picture.zones()}["Rafah"]
    assert (rafah.count_24h, rafah.count_7d) == (1, 1)


@pytest.mark.parametrize(
    ("day", "week", "expected"),
    [
        (0, 0, "steady"),
        (1, 1, "steady"),
        (3, 3, "rising"),
        (0, 7, "falling"),
        (1, 7, "steady"),
        (2, 4, "rising"),
    ],
)
def test_trend(day: int, week: int, expected: str) -> None:
    assert trend(day, week) == expected


def test_declared_status_proposed_then_established_then_struck() -> None:
    picture = Picture(settings())
    now = T0 + timedelta(days=1)
    steps = [("proposed", 1), ("safe_zone_established", 2), ("safe_zone_proposed", 3), ("struck", 4)]
    kinds = []
    for status, hours in steps:
        change = picture.apply(
            [
                event(
                    item=status,
                    hours=hours,
                    category=SZ,
                    zones=("al-Mawasi",),
                    detail={"zone_status": status},
                    title=f"al-Mawasi {status}",
                )
            ],
            now=now,
        )
        kinds.append([a.title for a in change.alerts if a.kind == "zone_change"])
    zone = {z.zone: z for z in picture.zones()}["al-Mawasi"]
    assert zone.status == "struck"
    assert zone.status_source is not None and zone.status_source.item_key == "reuters\x1fstruck"
    assert kinds == [
        ["al-Mawasi: none → safe zone proposed"],
        ["al-Mawasi: safe zone proposed → safe zone established"],
        [],  # a proposal never demotes an established zone
        ["al-Mawasi: safe zone established → struck"],
    ]


def test_safe_zones_without_a_place_are_proposed_on_unlocated() -> None:
    picture = Picture(settings())
    picture.apply(
        [
            event(
                category=SZ,
                detail={"zone_status": "safe_zone_proposed"},
                title="Civilian safe zones discussed",
            )
        ],
        now=T0,
    )
    assert {z.zone: z.status for z in picture.zones()}[UNLOCATED] == "safe_zone_proposed"


def test_denied_status_is_ignored() -> None:
    picture = Picture(settings())
    change = picture.apply(
        [event(category=SZ, status="denied", zones=("Rafah",), detail={"zone_status": "evacuation_ordered"})],
        now=T0,
    )
    assert change.alerts == ()
    assert {z.zone: z.status for z in picture.zones()}.get("Rafah", "none") == "none"
