"""Two judgement findings: one report makes one incident (remains over UXO), and a place named only
beside a safe zone that has no agreed location gets no zone status. Sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_picture_builders import settings

from monitor.models import Category, Item
from monitor.picture import Picture
from monitor.rules import RuleEngine

WHEN = datetime(2026, 2, 12, 3, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.load(statistical=False)


def item(title: str, summary: str = "", n: str = "1") -> Item:
    return Item(
        id=n, feed="reuters", title=title, summary=summary, published=WHEN, fetched_at=WHEN, content_hash=n
    )


def categories(engine: RuleEngine, title: str, summary: str = "") -> list[Category]:
    return [e.category for e in engine.classify(item(title, summary))]


def test_ordnance_slowing_a_remains_search_is_one_remains_report(engine: RuleEngine) -> None:
    title = "Recovery of two hostages' bodies held up by rubble and unexploded shells"
    summary = (
        "Crews looking for the remains of deceased hostages must first clear live ordnance, officials said."
    )
    assert categories(engine, title, summary) == [Category.HOSTAGE_REMAINS]
    picture = Picture(settings(), now=lambda: WHEN)
    change = picture.apply(engine.classify(item(title, summary)), now=WHEN)
    assert [i.category for i in change.incidents] == [Category.HOSTAGE_REMAINS]


def test_ordnance_and_remains_as_separate_happenings_stay_two_events(engine: RuleEngine) -> None:
    cats = categories(
        engine,
        "Unexploded ordnance kills a boy in Khan Younis",
        "Separately, the bodies of two deceased hostages were handed to the Red Cross.",
    )
    assert Category.UXO in cats and Category.HOSTAGE_REMAINS in cats


def test_ordnance_on_its_own_is_still_uxo(engine: RuleEngine) -> None:
    assert categories(engine, "Demining teams clear unexploded ordnance near Beit Lahia") == [Category.UXO]


def test_zones_not_agreed_give_no_place_a_status(engine: RuleEngine) -> None:
    title = "Protected zones for civilians debated after Khan Younis killings"
    summary = (
        "Planners of the international force are discussing safe zones for civilians, after gunmen killed"
        " four men in Khan Younis. No sites have been agreed yet."
    )
    events = engine.classify(item(title, summary))
    zone_events = [e for e in events if e.category is Category.SAFE_ZONE]
    assert zone_events and all("zone_status" not in e.detail for e in zone_events)
    picture = Picture(settings(), now=lambda: WHEN)
    picture.apply(events, now=WHEN)
    assert all(z.status == "none" for z in picture.zones()), picture.zones()


def test_place_of_another_event_is_not_the_zone(engine: RuleEngine) -> None:
    events = engine.classify(item("Safe zones for civilians discussed after Khan Younis killings"))
    (zone,) = [e for e in events if e.category is Category.SAFE_ZONE]
    assert "Khan Younis" not in zone.entities.zones
    assert "zone_status" not in zone.detail


def test_a_proposed_zone_with_its_own_place_still_moves_the_board(engine: RuleEngine) -> None:
    events = engine.classify(item("Army proposes a humanitarian zone in al-Mawasi"))
    (zone,) = [e for e in events if e.category is Category.SAFE_ZONE]
    assert zone.entities.zones == ("al-Mawasi",) and zone.detail["zone_status"] == "safe_zone_proposed"
    picture = Picture(settings(), now=lambda: WHEN)
    picture.apply(events, now=WHEN)
    assert {z.zone: z.status for z in picture.zones()}.get("al-Mawasi") == "safe_zone_proposed"
