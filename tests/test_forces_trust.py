"""The forces board moves only on a contributor's own commitment or a reported movement (issue 10).

Each test feeds one item through the real engine and the real Picture and reads the board and the
force-change alerts. The sentences are written for these tests, one per shape the issue names.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_picture_builders import settings

from monitor.models import Alert, ForceEntry, Item
from monitor.picture import Picture
from monitor.rules import RuleEngine, extract

WHEN = datetime(2026, 2, 10, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.load()


def board(engine: RuleEngine, title: str, summary: str = "") -> tuple[dict[str, ForceEntry], list[Alert]]:
    item = Item(
        id="1",
        feed="reuters",
        title=title,
        summary=summary,
        published=WHEN,
        fetched_at=WHEN,
        content_hash="1",
    )
    picture = Picture(settings(), now=lambda: WHEN)
    change = picture.apply(engine.classify(item), now=WHEN)
    forces = [a for a in change.alerts if a.kind == "force_change"]
    return {f.contributor: f for f in picture.forces()}, forces


@pytest.mark.parametrize(
    "title",
    [
        # speculation about who will make up the force (F8)
        "Soldiers from Bangladesh and Jordan are expected to form the backbone of the new force (ISF)"
        " to be deployed in Gaza.",
        "Azerbaijan and Indonesia are seen as front-runners to lead the stabilisation force.",
        # a third party's claim about another state's intentions (F8)
        "Moscow's intelligence service claimed Britain was preparing 3,000 soldiers for a mission"
        " in Ukraine.",
        # a background statistic (F11)
        "As of last year, Nepal provides 6,000 uniformed personnel to UN peacekeeping.",
        "Ghana currently contributes 2,400 personnel to UN missions.",
        # plans and agreement terms (F10)
        "Under the plan, Egyptian troops would deploy to the Rafah crossing in a second phase.",
        "A draft resolution would authorize the deployment of troops from several states.",
    ],
)
def test_talk_claims_statistics_and_plans_never_move_a_contributor(engine: RuleEngine, title: str) -> None:
    entries, alerts = board(engine, title)
    moved = {c: e.status for c, e in entries.items() if e.status not in ("discussed", "in_talks")}
    assert moved == {} and not [a for a in alerts if a.status not in ("discussed", "in_talks")], (
        moved,
        alerts,
    )


def test_talks_put_a_contributor_in_talks_at_most(engine: RuleEngine) -> None:
    entries, _ = board(engine, "Washington is in talks with Italy about contributing troops to the force.")
    assert {c: e.status for c, e in entries.items()} in ({}, {"Italy": "in_talks"})


def test_a_departure_from_home_is_a_movement_in_transit(engine: RuleEngine) -> None:
    entries, alerts = board(
        engine, "Malaysia says its first 800 soldiers for the Gaza stabilisation force have left Kuala Lumpur"
    )
    entry = entries["Malaysia"]
    assert entry.status == "deploying"
    assert 800 in (entry.troops, entry.present)
    assert alerts and "800 troops" in alerts[0].title


def test_a_sent_contingent_carries_its_number_and_place_into_the_alert(engine: RuleEngine) -> None:
    entries, alerts = board(engine, "Jordan sent 450 soldiers to the crossing")
    entry = entries["Jordan"]
    assert entry.status in ("deploying", "deployed")
    assert entry.present == 450 and entry.present_where == "the crossing"
    (alert,) = alerts
    assert alert.title == "Jordan: new → deployed, 450 troops, the crossing"
    assert alert.entities.troops == 450


def test_a_pledge_to_a_named_place_says_the_place(engine: RuleEngine) -> None:
    entries, alerts = board(
        engine, "Jordan has agreed to send a battalion of 600 soldiers to the Rafah crossing."
    )
    assert entries["Jordan"].status == "pledged"
    assert entries["Jordan"].troops == 600 and entries["Jordan"].where == "Rafah crossing"
    assert alerts[0].title == "Jordan: new → pledged, 600 troops, Rafah crossing"


def test_a_reported_own_commitment_moves_the_contributor(engine: RuleEngine) -> None:
    entries, _ = board(engine, "Kenya said it would commit 1,200 ground forces to the stabilisation force.")
    assert entries["Kenya"].status == "pledged" and entries["Kenya"].troops == 1200


def test_a_conditional_own_statement_is_an_offer(engine: RuleEngine) -> None:
    entries, _ = board(engine, "Norway said it would send troops only if a ceasefire could be verified.")
    assert entries["Norway"].status == "offered"


@pytest.mark.parametrize(
    "text",
    [
        "Two killed as Israeli troops and militants exchange fire",
        "Three dead after soldiers open fire near the fence",
        "Five people wounded when troops fired on a crowd",
    ],
)
def test_casualty_counts_are_never_troop_numbers(engine: RuleEngine, text: str) -> None:
    assert extract.troops(text) == (None, None)
    for event in engine.classify_text(text, published=WHEN):
        assert event.entities.troops is None


def test_a_troop_number_is_still_read(engine: RuleEngine) -> None:
    assert extract.troops("Italy will send up to 200 carabinieri to the region")[0] == 200
    assert extract.troops("2,000 Egyptian soldiers crossed into Sinai") == (2000, None)
