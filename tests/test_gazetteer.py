"""Gazetteer: places → zones with centroids, and truce windows by theatre."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.models import UNLOCATED
from monitor.rules.gazetteer import (
    PLACES,
    THEATRES,
    ZONES,
    find_places,
    theatres_in,
    truce_in_force,
    zones_for,
)

GAZA_GOVERNORATES = {"North Gaza", "Gaza City", "Deir al-Balah", "Khan Younis", "Rafah"}


def test_every_zone_has_a_kind_and_a_plausible_centroid() -> None:
    assert set(ZONES) >= GAZA_GOVERNORATES
    assert ZONES[UNLOCATED].kind == "unlocated"
    for name, zone in ZONES.items():
        assert zone.name == name
        assert -90 <= zone.lat <= 90 and -180 <= zone.lon <= 180
        assert zone.parent is None or zone.parent in ZONES
        if zone.theatre == "gaza" and zone.kind != "theatre":
            assert 31.2 <= zone.lat <= 31.6 and 34.2 <= zone.lon <= 34.6, name
    assert all(zone in ZONES for zone in PLACES.values())
    assert ZONES["Kerem Shalom crossing"].kind == "crossing"
    assert ZONES["Yellow Line"].kind == "line"
    assert ZONES["al-Mawasi"].kind == "safe_zone"


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("strike in Jabalia camp", "North Gaza"),
        ("shelling in Beit Lahia and Beit Hanoun", "North Gaza"),
        ("raid in Shujaiya", "Gaza City"),
        ("Nuseirat, Bureij and Maghazi camps", "Deir al-Balah"),
        ("tents in al-Mawasi", "al-Mawasi"),
        ("trucks at Kerem Shalom", "Kerem Shalom crossing"),
        ("the Rafah crossing reopened", "Rafah crossing"),
        ("fire near the yellow line", "Yellow Line"),
        ("drones over Omdurman", "Khartoum"),
        ("fighting in South Kivu", "South Kivu"),
        ("shelling along the Line of Control", "Line of Control"),
        ("villages south of the Litani", "Southern Lebanon"),
    ],
)
def test_places_map_to_zones(text: str, zone: str) -> None:
    assert zone in zones_for(find_places(text))


def test_most_specific_zone_wins_and_none_is_unlocated() -> None:
    assert zones_for(find_places("Gaza: strikes on Khan Younis")) == ("Khan Younis",)
    assert zones_for(find_places("Talks in Geneva")) == (UNLOCATED,)


def test_loc_only_in_capitals() -> None:
    assert find_places("a loc of") == ()
    assert find_places("along the LoC") == ()  # mixed case is not the abbreviation
    assert find_places("shelling across the LOC")[0][1] == "Line of Control"


def test_truce_windows() -> None:
    assert not THEATRES["gaza"].truce_in_force(date(2024, 7, 1))
    assert THEATRES["gaza"].truce_in_force(date(2025, 10, 20))
    assert THEATRES["ukraine"].truce_in_force(date(2025, 4, 20))
    assert not THEATRES["ukraine"].truce_in_force(date(2025, 6, 1))
    assert theatres_in("Hezbollah fired rockets") == {"lebanon"}
    assert truce_in_force("Israeli strike in Rafah", date(2025, 11, 1))
    assert not truce_in_force("Israeli strike in Rafah", date(2024, 11, 1))
    assert not truce_in_force("Storm hits Lisbon", date(2025, 11, 1))


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("Beit Lahiya", "North Gaza"),
        ("Beit Lahia", "North Gaza"),
        ("Jabaliya camp", "North Gaza"),
        ("Beit Hanun", "North Gaza"),
        ("Shejaiya", "Gaza City"),
        ("Shujaiyya", "Gaza City"),
        ("Shuja’iyya", "Gaza City"),
        ("Zaytoun", "Gaza City"),
        ("Tel al-Hawa", "Gaza City"),
        ("Rimal", "Gaza City"),
        ("Sheikh Radwan", "Gaza City"),
        ("the Beach camp", "Gaza City"),
        ("Shati camp", "Gaza City"),
        ("Netzarim corridor", "Gaza City"),
        ("Deir el-Balah", "Deir al-Balah"),
        ("Deir al Balah", "Deir al-Balah"),
        ("Nusseirat", "Deir al-Balah"),
        ("al-Bureij", "Deir al-Balah"),
        ("Maghazi camp", "Deir al-Balah"),
        ("Khan Yunis", "Khan Younis"),
        ("Khan Younes", "Khan Younis"),
        ("Mawasi", "al-Mawasi"),
        ("Philadelphi corridor", "Rafah"),
        ("Tal al-Sultan", "Rafah"),
        ("Karem Abu Salem", "Kerem Shalom crossing"),
    ],
)
def test_spelling_variants_of_gaza_places(written: str, zone: str) -> None:
    assert [z for _, z in find_places(f"Shelling was reported in {written} on Monday.")] == [zone]
