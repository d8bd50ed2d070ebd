"""The forces board: the ladder from talk to deployment, numbers with qualifiers, and the defences."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from test_picture_builders import T0, event, settings

from monitor.models import Category, ForceEntry, ForceStatus
from monitor.picture import Picture

NOW = T0 + timedelta(days=1)
FD, DIP = Category.FORCE_DEPLOYMENT, Category.DIPLOMACY


def board(*events: dict[str, Any]) -> dict[str, ForceEntry]:
    picture = Picture(settings())
    for n, ev in enumerate(events):
        picture.apply([event(item=str(n), hours=n, **ev)], now=NOW)
    return {e.contributor: e for e in picture.forces()}


def test_us_pledge_keeps_up_to_role_and_outside_gaza_and_present_apart() -> None:
    forces = board(
        {
            "category": FD,
            "countries": ("United States",),
            "troops": 200,
            "troops_qualifier": "up to",
            "detail": {"stage": "pledged", "role": "support", "where": "outside Gaza"},
            "title": "US to provide up to 200 troops in support roles",
            "matched": "The US will provide up to 200 troops in support roles, though none will be "
            "deployed inside Gaza itself.",
        },
        {
            "category": FD,
            "countries": ("United States",),
            "troops": 24,
            "troops_qualifier": "about",
            "detail": {"stage": "deployed", "where": "in the region"},
            "title": "About two dozen US personnel already in the region",
        },
    )
    us = forces["United States"]
    assert us.status == "deployed"
    assert (us.troops, us.troops_qualifier) == (200, "up to")
    assert (us.present, us.present_qualifier, us.present_where) == (24, "about", "in the region")
    assert (us.role, us.where) == ("support", "outside Gaza")
    assert us.value_evidence["troops"] == "reuters\x1f0"
    assert us.value_evidence["present"] == "reuters\x1f1"
    assert {r.item_key for r in us.evidence} == {"reuters\x1f0", "reuters\x1f1"}


def test_none_inside_gaza_never_places_troops_inside_gaza() -> None:
    forces = board(
        {
            "category": FD,
            "countries": ("United States",),
            "detail": {"stage": "pledged", "where": "inside Gaza"},
            "matched": "None will be deployed inside Gaza itself, the official said.",
        }
    )
    assert forces["United States"].where == "outside Gaza"


def test_talks_list_puts_each_country_in_talks() -> None:
    names = ("Indonesia", "United Arab Emirates", "Egypt", "Qatar", "Azerbaijan")
    forces = board({"category": DIP, "countries": names, "detail": {"stage": "in_talks"}})
    assert {n: forces[n].status for n in names} == dict.fromkeys(names, "in_talks")


def test_detail_contributors_override_countries() -> None:
    forces = board(
        {
            "category": DIP,
            "countries": ("United States", "Indonesia", "Qatar"),
            "detail": {"stage": "in_talks", "contributors": "Indonesia, Qatar"},
        }
    )
    assert set(forces) == {"Indonesia", "Qatar"}


@pytest.mark.parametrize(
    ("stages", "final"),
    [
        (("discussed", "in_talks", "offered", "deployed"), "deployed"),
        (("pledged", "in_talks"), "pledged"),  # no demotion by a lesser report
        (("deployed", "withdrawing", "withdrawn"), "withdrawn"),
        (("withdrawn", "withdrawing"), "withdrawn"),
        (("in_talks", "declined"), "declined"),
        (("declined", "in_talks"), "declined"),  # talk does not undo a refusal
        (("declined", "offered"), "offered"),  # the contributor's own later offer does
    ],
)
def test_ladder(stages: tuple[ForceStatus, ...], final: ForceStatus) -> None:
    forces = board(*({"category": FD, "countries": ("Egypt",), "detail": {"stage": s}} for s in stages))
    assert forces["Egypt"].status == final


def test_denied_event_never_promotes() -> None:
    forces = board(
        {"category": FD, "countries": ("Egypt",), "detail": {"stage": "in_talks"}},
        {"category": FD, "countries": ("Egypt",), "detail": {"stage": "deployed"}, "status": "denied"},
    )
    assert forces["Egypt"].status == "in_talks"


def test_ruled_out_sets_declined_even_if_tagged_as_an_offer() -> None:
    forces = board(
        {
            "category": FD,
            "countries": ("Azerbaijan",),
            "detail": {"stage": "offered"},
            "matched": "Azerbaijan has ruled out sending any of its troops to Gaza.",
        }
    )
    assert forces["Azerbaijan"].status == "declined"


def test_an_old_report_cannot_reverse_a_newer_status() -> None:
    picture = Picture(settings())
    picture.apply(
        [event(item="new", hours=10, category=FD, countries=("Qatar",), detail={"stage": "declined"})],
        now=NOW,
    )
    picture.apply(
        [event(item="old", hours=1, category=FD, countries=("Qatar",), detail={"stage": "offered"})], now=NOW
    )
    assert picture.forces()[0].status == "declined"


def test_repeated_reports_do_not_churn() -> None:
    picture = Picture(settings())
    first = picture.apply(
        [event(item="1", category=FD, countries=("Egypt",), troops=500, detail={"stage": "offered"})], now=NOW
    )
    assert [a.kind for a in first.alerts] == ["force_change"]
    again = picture.apply(
        [
            event(
                feed="bbc",
                item="2",
                hours=1,
                category=FD,
                countries=("Egypt",),
                troops=500,
                detail={"stage": "offered"},
            )
        ],
        now=NOW,
    )
    assert again.forces == ()
    assert again.alerts == ()


def test_diplomacy_without_a_stage_is_not_a_force_report() -> None:
    assert board({"category": DIP, "countries": ("Qatar",)}) == {}


def test_numbers_of_a_sentence_naming_several_countries_go_to_none() -> None:
    forces = board(
        {"category": FD, "countries": ("United States",), "troops": 200, "detail": {"stage": "pledged"}},
        {
            "category": DIP,
            "countries": ("Indonesia", "United States"),
            "troops": 2000,
            "detail": {"stage": "in_talks", "role": "peacekeeping"},
        },
    )
    assert (forces["United States"].troops, forces["United States"].role) == (200, None)
    assert forces["Indonesia"].status == "in_talks" and forces["Indonesia"].troops is None


def test_talk_is_not_a_declared_number() -> None:
    forces = board({"category": DIP, "countries": ("Qatar",), "troops": 500, "detail": {"stage": "in_talks"}})
    assert forces["Qatar"].troops is None


def test_a_report_that_commits_and_refuses_a_place_is_not_a_refusal() -> None:
    picture = Picture(settings())
    title = "Washington commits up to 200 support troops to Gaza force but keeps them outside the Strip"
    picture.apply(
        [
            event(
                item="x",
                rule="a",
                category=FD,
                countries=("United States",),
                troops=200,
                detail={"stage": "pledged", "where": "inside Gaza"},
                title=title,
            ),
            event(
                item="x",
                rule="b",
                category=DIP,
                countries=("United States",),
                detail={"stage": "declined", "where": "outside Gaza"},
                title=title,
                matched="They will not deploy on the ground inside the territory.",
            ),
        ],
        now=NOW,
    )
    (us,) = picture.forces()
    assert (us.status, us.where) == ("pledged", "outside Gaza")


def test_personnel_already_somewhere_are_present_not_declared() -> None:
    forces = board(
        {
            "category": FD,
            "countries": ("United States",),
            "troops": 200,
            "troops_qualifier": "up to",
            "detail": {"stage": "pledged"},
        },
        {
            "category": FD,
            "countries": ("United States",),
            "troops": 24,
            "troops_qualifier": "about",
            "detail": {"stage": "authorised"},
            "matched": "About two dozen U.S. military personnel already in region to set up Gaza mission.",
        },
    )
    us = forces["United States"]
    assert (us.troops, us.troops_qualifier) == (200, "up to")
    assert (us.present, us.present_qualifier, us.present_where) == (24, "about", "in the region")


def test_a_generic_role_does_not_replace_a_specific_one() -> None:
    forces = board(
        {"category": FD, "countries": ("Egypt",), "detail": {"stage": "offered", "role": "logistics"}},
        {"category": FD, "countries": ("Egypt",), "detail": {"stage": "pledged", "role": "peacekeeping"}},
    )
    assert (forces["Egypt"].status, forces["Egypt"].role) == ("pledged", "logistics")


def test_parties_to_the_conflict_never_join_the_forces_board() -> None:
    forces = board(
        {
            "category": DIP,
            "countries": ("Israel", "Palestine"),
            "detail": {"stage": "in_talks", "countries": "Israel, Palestine"},
            "title": "Israeli military denies troops advanced beyond yellow line",
        },
        {
            "category": DIP,
            "countries": ("Israel", "Egypt"),
            "detail": {"stage": "in_talks"},
            "title": "Egypt and Israel discuss the stabilisation force",
        },
    )
    assert set(forces) == {"Egypt"}


DECLARED = {
    "category": FD,
    "countries": ("United States",),
    "troops": 200,
    "troops_qualifier": "up to",
    "detail": {"stage": "pledged", "role": "support", "where": "outside Gaza"},
    "matched": "The US will provide up to 200 troops in support roles.",
}
PRESENT = {
    "category": FD,
    "countries": ("United States",),
    "troops": 24,
    "troops_qualifier": "about",
    "detail": {"stage": "authorised", "role": "coordination"},
    "matched": "About two dozen U.S. personnel have already arrived in the region to set up the HQ that "
    "will coordinate the force.",
}


@pytest.mark.parametrize(
    "order", [(DECLARED, PRESENT), (PRESENT, DECLARED)], ids=["declared-first", "present-first"]
)
def test_personnel_present_do_not_redefine_the_declared_role(order: tuple[dict[str, Any], ...]) -> None:
    us = board(*order)["United States"]
    assert us.role == "support"
    assert (us.troops, us.present) == (200, 24)


def test_personnel_present_give_a_role_when_none_is_declared() -> None:
    assert board(PRESENT)["United States"].role == "coordination"
