"""The engine end to end on texts: seed facts, guards per clause, attribution, force detail, speed paths."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.models import UNLOCATED, Category, Item
from monitor.rules import RuleEngine

CV = Category.CEASEFIRE_VIOLATION
FD = Category.FORCE_DEPLOYMENT
AFTER_GAZA_TRUCE = datetime(2025, 11, 20, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.load(statistical=False)


def cats(engine: RuleEngine, text: str, when: datetime = AFTER_GAZA_TRUCE) -> set[Category]:
    return {e.category for e in engine.classify_text(text, published=when) if e.status != "denied"}


# --- the seed facts ---------------------------------------------------------------------------

SEED_US = (
    "According to the officials, the United States will provide up to 200 troops in support roles, "
    "though none will be deployed inside Gaza itself."
)


def test_seed_us_troops_are_a_deployment_outside_gaza(engine: RuleEngine) -> None:
    events = [e for e in engine.classify_text(SEED_US) if e.category is FD]
    assert len(events) == 1
    ev = events[0]
    assert ev.entities.countries == ("United States",)
    assert ev.entities.troops == 200
    assert ev.entities.troops_qualifier == "up to"
    assert ev.detail["where"] == "outside Gaza"
    assert ev.detail["role"] == "support"
    assert ev.detail["stage"] == "pledged"
    assert "Gaza Strip" not in ev.entities.zones
    assert ev.entities.zones == (UNLOCATED,)


def test_destination_country_is_not_a_contributor(engine: RuleEngine) -> None:
    text = "U.S. officials said America will send roughly 200 troops to Israel to support the truce."
    [ev] = [e for e in engine.classify_text(text) if e.category is FD]
    assert ev.detail["contributors"] == "United States"
    assert ev.detail["where"] == "Israel"


def test_seed_two_dozen_personnel(engine: RuleEngine) -> None:
    [ev] = [
        e
        for e in engine.classify_text("About two dozen U.S. personnel were sent to the region.")
        if e.category is FD
    ]
    assert (ev.entities.troops, ev.entities.troops_qualifier) == (24, "about")


def test_seed_talks_are_diplomacy_in_talks_not_deployment(engine: RuleEngine) -> None:
    text = (
        "Washington is currently in talks with several countries, including Indonesia, the United Arab "
        "Emirates, Egypt, Qatar, and Azerbaijan, to contribute personnel or resources to the "
        "multinational force."
    )
    events = engine.classify_text(text)
    assert FD not in {e.category for e in events}
    [dip] = [e for e in events if e.category is Category.DIPLOMACY]
    assert dip.detail["stage"] == "in_talks"
    assert dip.detail["contributors"] == "Indonesia, United Arab Emirates, Egypt, Qatar, Azerbaijan"
    assert "where" not in dip.detail
    for country in ("Indonesia", "United Arab Emirates", "Egypt", "Qatar", "Azerbaijan"):
        assert country in dip.entities.countries


def test_seed_executions_are_reprisal_not_violation(engine: RuleEngine) -> None:
    got = cats(
        engine, "Reports say Hamas executed seven men in Gaza City accused of collaborating with Israel."
    )
    assert Category.REPRISAL in got
    assert CV not in got


def test_refusal_gives_declined_stage_on_a_non_deployment_event(engine: RuleEngine) -> None:
    events = engine.classify_text("Azerbaijan has ruled out sending any of its troops to Gaza.")
    assert FD not in {e.category for e in events}
    [dip] = [e for e in events if e.category is Category.DIPLOMACY]
    assert dip.detail["stage"] == "declined"
    assert dip.entities.countries[0] == "Azerbaijan"


# --- context: a truce in force ----------------------------------------------------------------


def test_strike_in_gaza_counts_only_while_the_truce_holds(engine: RuleEngine) -> None:
    text = "Israeli air strike kills four in Nuseirat camp"
    assert CV in cats(engine, text, AFTER_GAZA_TRUCE)
    assert CV not in cats(engine, text, datetime(2024, 7, 13, tzinfo=UTC))


def test_denial_with_a_separate_asserted_strike_is_a_violation(engine: RuleEngine) -> None:
    text = (
        "Hamas denied involvement in a shooting near Rafah, "
        "which Israel cited to justify its latest airstrikes."
    )
    assert CV in cats(engine, text)


def test_pure_denial_is_not_a_violation_but_is_kept_as_denied(engine: RuleEngine) -> None:
    events = engine.classify_text("Pakistan denies claims that its forces violated the ceasefire")
    assert CV not in {e.category for e in events}
    assert [e.status for e in events] == ["denied"]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Thailand accused Cambodia of violating the ceasefire on Tuesday.", "accused"),
        ("Moscow claimed Kyiv had violated the energy moratorium.", "claimed"),
        ("Shelling hit two villages in the south despite the truce.", "reported"),
    ],
)
def test_attribution_sets_status(engine: RuleEngine, text: str, status: str) -> None:
    [ev] = [e for e in engine.classify_text(text) if e.category is CV]
    assert ev.status == status


# --- items and events ---------------------------------------------------------------------------


def test_classify_item_fills_event_fields(engine: RuleEngine) -> None:
    item = Item(
        id="x1",
        feed="wire",
        title="Lebanese army deploys troops south of the Litani",
        summary="Units moved into several villages after the Israeli withdrawal.",
        link="https://example.org/a",
        published=datetime(2025, 1, 8, tzinfo=UTC),
        fetched_at=datetime(2025, 1, 8, tzinfo=UTC),
        content_hash="h",
    )
    [ev] = engine.classify(item)
    assert ev.category is FD
    assert ev.item_key == item.key
    assert ev.feed == "wire" and ev.link == item.link and ev.title == item.title
    assert ev.entities.zones == ("Southern Lebanon",)
    assert ev.span is not None and item.text[ev.span[0] : ev.span[1]] == ev.matched
    assert ev.detail["stage"] == "deploying"


def test_unrelated_text_has_no_events(engine: RuleEngine) -> None:
    assert engine.classify_text("Shares rose in Tokyo as exporters gained.") == []


def test_untagged_place_is_unlocated(engine: RuleEngine) -> None:
    [ev] = [e for e in engine.classify_text("Kenya pledged 1,000 troops to the mission.") if e.category is FD]
    assert ev.entities.zones == (UNLOCATED,)


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("Israeli troops began pulling back from Gaza City on Friday.", "withdrawing"),
        ("Israeli forces withdrew from the Netzarim corridor overnight.", "withdrawn"),
        ("The first 300 Indonesian soldiers arrived in Egypt on Monday.", "deployed"),
        ("Bangladesh pledged 1,500 peacekeepers to the force.", "pledged"),
        ("Italy said it is ready to send 400 soldiers to the force.", "offered"),
        ("The Security Council authorised an international stabilization force.", "authorised"),
    ],
)
def test_force_stage(engine: RuleEngine, text: str, stage: str) -> None:
    [ev] = [e for e in engine.classify_text(text) if e.category is FD]
    assert ev.detail["stage"] == stage


def test_candidates_only_for_rules_whose_words_occur(engine: RuleEngine) -> None:
    assert engine.candidates({"shares", "rose", "in", "tokyo"}) == []
    ids = {r.id for r in engine.candidates({"troops", "deployed"})}
    assert "fd.deploy" in ids
    assert "cv.violation" not in ids


def test_role_from_the_summary_when_the_title_names_only_the_force(engine: RuleEngine) -> None:
    item = Item(
        id="r1",
        feed="wire",
        title="U.S. to provide up to 200 troops for Gaza stabilisation force",
        summary="The troops will serve in support roles, assisting with coordination and logistics.",
        published=AFTER_GAZA_TRUCE,
        fetched_at=AFTER_GAZA_TRUCE,
        content_hash="h",
    )
    [ev] = [e for e in engine.classify(item) if e.category is FD]
    assert ev.detail["role"] == "support"
