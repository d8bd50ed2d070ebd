"""Extractors: countries with demonyms, actors, troop and casualty numbers with qualifiers."""

from __future__ import annotations

import pytest

from monitor.rules import extract


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Indonesian troops", ("Indonesia",)),
        ("an Emirati official and an Egyptian general", ("United Arab Emirates", "Egypt")),
        ("Qatari and Azerbaijani diplomats", ("Qatar", "Azerbaijan")),
        ("American officials", ("United States",)),
        ("US troops", ("United States",)),
        ("U.S. personnel", ("United States",)),
        ("the UAE and the UK", ("United Arab Emirates", "United Kingdom")),
        ("let us go", ()),
        ("Pakistani and Indian forces", ("Pakistan", "India")),
        ("Thai and Cambodian soldiers", ("Thailand", "Cambodia")),
        ("the Democratic Republic of the Congo and Rwanda", ("DR Congo", "Rwanda")),
        ("ISRAEL STRIKES GAZA", ("Israel",)),
    ],
)
def test_countries(text: str, expected: tuple[str, ...]) -> None:
    assert extract.countries(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Israeli forces and the IDF", ("Israeli forces",)),
        ("Hamas and Islamic Jihad", ("Hamas", "Islamic Jihad")),
        ("Hezbollah fired rockets", ("Hezbollah",)),
        ("Sudan's Rapid Support Forces (RSF)", ("RSF",)),
        ("M23 rebels", ("M23",)),
    ],
)
def test_actors(text: str, expected: tuple[str, ...]) -> None:
    assert extract.actors(text) == expected


@pytest.mark.parametrize(
    ("text", "number", "qualifier"),
    [
        ("will provide up to 200 troops in support roles", 200, "up to"),
        ("about two dozen U.S. personnel", 24, "about"),
        ("prepared to dispatch 20,000 troops", 20000, None),
        ("a force of roughly 20,000 troops", 20000, "roughly"),
        ("at least 1,500 soldiers", 1500, "at least"),
        ("a dozen observers", 12, None),
        ("thirty-five peacekeepers", 35, None),
        ("some 1.5 thousand soldiers", 1500, "some"),
        ("thousands of fighters", None, None),
        ("a contingent of troops", None, None),
    ],
)
def test_troops(text: str, number: int | None, qualifier: str | None) -> None:
    assert extract.troops(text) == (number, qualifier)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("airstrikes that killed 104 people", 104),
        ("Three Palestinians killed near the yellow line", 3),
        ("at least 20 killed in air strike", 20),
        ("the death of at least 33 individuals", 33),
        ("killing two soldiers", 2),
        ("more than 400 Palestinian deaths", 400),
        ("no one was hurt", None),
    ],
)
def test_casualties(text: str, number: int | None) -> None:
    assert extract.casualties(text) == number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("20,000", 20000),
        ("two dozen", 24),
        ("a dozen", 12),
        ("1.5 million", 1_500_000),
        ("forty-two", 42),
        ("lots", None),
    ],
)
def test_parse_number(text: str, number: int | None) -> None:
    assert extract.parse_number(text) == number


def test_entities_fall_back_to_item_places() -> None:
    ents = extract.entities("Troops pulled back overnight.", context="Rafah: troops pulled back overnight.")
    assert ents.places == ("Rafah",)
    assert ents.zones == ("Rafah",)
