"""Classes of phrasing the engine once missed, each tried with several wordings (GUIDELINE C6, C7, C9, F2,
F6, F13), so a fix holds for the class and not for one sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from monitor.models import UNLOCATED, Category, Event
from monitor.rules import RuleEngine
from monitor.rules.extract import named_days
from monitor.rules.terms import tokenize

CV = Category.CEASEFIRE_VIOLATION
FD = Category.FORCE_DEPLOYMENT
UXO = Category.UXO
AFTER_GAZA_TRUCE = datetime(2025, 11, 20, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.load(statistical=False)


def cats(engine: RuleEngine, text: str, when: datetime = AFTER_GAZA_TRUCE) -> set[Category]:
    return {e.category for e in engine.classify_text(text, published=when) if e.status != "denied"}


# --- F6: mobilisation or reinforcement phrased as movement ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Russia has moved thousands of additional troops toward the front near "
        "Pokrovsk, Ukrainian officials said.",
        "The RSF brought hundreds of fresh fighters toward El Obeid over the weekend, witnesses said.",
        "Azerbaijan is transferring more troops and artillery to the border, Yerevan says.",
        "M23 rebels have been moving reinforcements towards Uvira, local sources reported.",
        "Pakistan shifted extra battalions to the frontier overnight.",
        "Kinshasa is rushing more soldiers to the front line in South Kivu.",
    ],
)
def test_forces_moved_to_a_front_are_a_deployment(engine: RuleEngine, text: str) -> None:
    [ev] = [e for e in engine.classify_text(text, published=AFTER_GAZA_TRUCE) if e.category is FD]
    assert ev.detail["stage"] == "deploying"


@pytest.mark.parametrize(
    "text",
    [
        "Russia could move more troops to the front if the talks fail, analysts said.",
        "Ukraine denied it had moved extra troops to the border.",
        "The minister moved to calm fears about the army.",
        "Residents brought more food to the soldiers' families.",
    ],
)
def test_movement_hedged_denied_or_figurative_is_not(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


def test_the_reporting_country_is_not_the_contributor(engine: RuleEngine) -> None:
    text = (
        "Russia has moved thousands of additional troops toward the front near "
        "Pokrovsk, Ukrainian officials said."
    )
    [ev] = [e for e in engine.classify_text(text) if e.category is FD]
    assert ev.detail["contributors"] == "Russia"


# --- F2: a future-tense commitment beside a negated location clause ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Up to 200 US troops will support the mission from bases outside Gaza, "
        "and none will be deployed inside the enclave.",
        "About 200 American personnel will staff the coordination centre in "
        "southern Israel; they will not go into Gaza.",
        "Some 150 U.S. soldiers will serve at the command post outside the "
        "Strip, and none will be stationed in Gaza.",
    ],
)
def test_us_commitment_is_outside_gaza_never_inside(engine: RuleEngine, text: str) -> None:
    [ev] = [e for e in engine.classify_text(text) if e.category is FD]
    assert ev.detail["stage"] == "pledged"
    assert ev.detail["where"] == "outside Gaza"
    assert ev.detail["contributors"] == "United States"
    assert "Gaza Strip" not in ev.entities.zones
    assert UNLOCATED in ev.entities.zones or "Israel" in " ".join(ev.entities.zones)


def test_future_commitment_role_is_support(engine: RuleEngine) -> None:
    text = (
        "Up to 200 US troops will support the mission from bases outside Gaza, "
        "and none will be deployed inside the enclave."
    )
    [ev] = [e for e in engine.classify_text(text) if e.category is FD]
    assert ev.detail["role"] == "support"
    assert ev.detail["qualifier"] == "up to"


@pytest.mark.parametrize(
    "text",
    [
        "No American soldiers will take part in the mission, the Pentagon said.",
        "Israeli troops will remain in five positions in southern Lebanon.",
        "Italy will contribute about 150 carabinieri to train the new Palestinian police.",
        "Jordan will send officers to help train Gaza's police force.",
    ],
)
def test_refusals_status_quo_and_training_are_not_deployments(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


# --- C6: a date named in the text overrides the publication date ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Israeli jets struck targets in Gaza in July 2024 as negotiators met in Doha.",
        "In August 2024, Hezbollah fired dozens of rockets at northern Israel.",
        "Israeli tanks shelled the outskirts of Khan Younis on 5 March 2024, residents said.",
        "An airstrike on Rafah on May 26, 2024 killed dozens in a tent camp.",
    ],
)
def test_strike_dated_before_the_truce_is_not_a_violation(engine: RuleEngine, text: str) -> None:
    assert CV not in cats(engine, text)


def test_strike_dated_inside_the_truce_still_is(engine: RuleEngine) -> None:
    text = "Israeli jets struck targets in Khan Younis on 20 November 2025, killing three."
    assert CV in cats(engine, text, datetime(2026, 1, 5, tzinfo=UTC))


def test_strike_without_a_date_uses_the_publication_date(engine: RuleEngine) -> None:
    text = "Israeli jets struck targets in Khan Younis, killing three."
    assert CV in cats(engine, text)
    assert CV not in cats(engine, text, datetime(2024, 7, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("in July 2024 as", [date(2024, 7, 31)]),
        ("on 5 March 2024", [date(2024, 3, 5)]),
        ("March 5, 2024 and Sept. 2025", [date(2024, 3, 5), date(2025, 9, 30)]),
        ("on Tuesday", []),
        ("in 2024", []),
    ],
)
def test_named_days(text: str, days: list[date]) -> None:
    assert named_days(text) == days


# --- C7: a denial with an excuse ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The army denied that its soldiers had violated the truce, saying they fired warning shots only.",
        "The ministry denied that its forces had breached the ceasefire, saying they had only returned fire.",
        "The army said its soldiers fired only warning shots at suspects "
        "approaching the line and denied any breach of the truce.",
        "Hamas denied violating the ceasefire, saying its fighters opened fire in self-defence.",
    ],
)
def test_denial_with_an_excuse_is_not_a_violation(engine: RuleEngine, text: str) -> None:
    assert CV not in cats(engine, text)
    [ev] = [e for e in engine.classify_text(text, published=AFTER_GAZA_TRUCE) if e.status == "denied"]
    assert ev.detail["denies"] == CV


def test_denial_beside_an_attack_in_its_own_right_is_a_violation(engine: RuleEngine) -> None:
    text = (
        "Hamas has denied involvement in a recent shooting near Rafah, which Israel cited as "
        "justification for its latest airstrikes."
    )
    assert CV in cats(engine, text)


# --- C9: ordnance left from the war going off is uxo, not a violation ------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Unexploded shell wounds three children in Khan Younis",
        "An old Israeli shell exploded in a house in Jabalia, wounding two girls, the civil defence said.",
        "A leftover bomb went off in Deir al-Balah, killing a farmer.",
        "Explosive remnants of war killed two boys in Beit Lahia despite the ceasefire.",
    ],
)
def test_old_ordnance_is_not_a_violation(engine: RuleEngine, text: str) -> None:
    assert CV not in cats(engine, text)


# --- demo-scenario classes seen through the pipeline -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hamas gunmen execute seven men in Gaza City over alleged collaboration with Israel. Masked "
        "gunmen shot dead seven men in a street after accusing them of working for Israel.",
        "Gunmen publicly executed three alleged collaborators in Khan Younis. Witnesses said the men "
        "were shot in front of a crowd.",
        "RSF fighters carried out summary executions in El Geneina. Dozens of men were shot dead.",
    ],
)
def test_killings_in_an_execution_story_are_a_reprisal_only(engine: RuleEngine, text: str) -> None:
    found = cats(engine, text)
    assert Category.REPRISAL in found
    assert CV not in found


def test_a_strike_beside_an_execution_story_is_still_a_violation(engine: RuleEngine) -> None:
    text = (
        "Hamas gunmen executed three alleged collaborators in Gaza City. Hours later an Israeli "
        "airstrike killed two men in Khan Younis."
    )
    assert {CV, Category.REPRISAL} <= cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Israeli military denies troops advanced beyond yellow line in Shujaiya. The military rejected "
        "Palestinian reports that its forces had pushed past the line, saying troops had only fired "
        "at militants who approached them.",
        "Soldiers shot at two men who approached the fence, the army said, denying any breach of the truce.",
    ],
)
def test_a_denial_is_not_talks_about_contributing_forces(engine: RuleEngine, text: str) -> None:
    events = engine.classify_text(text, published=AFTER_GAZA_TRUCE)
    assert not [e for e in events if e.detail.get("stage") == "in_talks"]
    assert CV not in cats(engine, text)


@pytest.mark.parametrize(
    ("text", "talking"),
    [
        ("The UAE is still in discussions about joining the stabilisation force.", "United Arab Emirates"),
        ("Washington has approached Malaysia about contributing troops.", "Malaysia"),
        ("Five countries are in talks to join the force, U.S. officials say.", None),
        (
            "Indonesia will send up to 2,000 troops to the force, its defence minister said after talks "
            "with U.S. officials.",
            None,
        ),
    ],
)
def test_who_is_in_talks(engine: RuleEngine, text: str, talking: str | None) -> None:
    events = engine.classify_text(text, published=AFTER_GAZA_TRUCE)
    in_talks = [e.detail.get("contributors") for e in events if e.detail.get("stage") == "in_talks"]
    assert in_talks == ([talking] if talking else [])


def test_staying_outside_gaza_is_not_declining(engine: RuleEngine) -> None:
    text = (
        "American personnel will operate from installations outside Gaza and will not deploy on the "
        "ground inside the territory, U.S. officials said."
    )
    events = engine.classify_text(text, published=AFTER_GAZA_TRUCE)
    assert not [e for e in events if e.detail.get("stage") == "declined"]


@pytest.mark.parametrize(
    "text",
    [
        "Indonesia ready to send up to 1,200 troops to Gaza force once mandate is agreed",
        "Pakistan offers troops to Gaza stabilisation force",
        "Azerbaijan is prepared to send a battalion to the Gaza mission.",
    ],
)
def test_a_force_named_after_gaza_is_not_a_place_inside_gaza(engine: RuleEngine, text: str) -> None:
    [ev] = [e for e in engine.classify_text(text, published=AFTER_GAZA_TRUCE) if e.category is FD]
    assert ev.detail.get("where") != "inside Gaza"


# --- records built without validation are the records validation would build -------------------


@pytest.mark.parametrize(
    "text",
    [
        "Up to 200 US troops will support the mission from bases outside Gaza, and none will be "
        "deployed inside the enclave.",
        "Israeli drone strike kills four militants near Khan Younis despite the truce.",
        "Movement denies any clash with occupation forces in Rafah",
    ],
)
def test_engine_events_equal_validated_records(engine: RuleEngine, text: str) -> None:
    events = engine.classify_text(text, published=AFTER_GAZA_TRUCE)
    assert events
    for ev in events:
        again = Event.model_validate(ev.model_dump(mode="json"))
        assert again == ev
        assert again.model_dump(mode="json") == ev.model_dump(mode="json")
        assert set(ev.__dict__) == set(Event.model_fields)
        assert set(ev.entities.__dict__) == set(type(ev.entities).model_fields)


def test_a_word_that_only_starts_a_trigger_phrase_makes_no_candidate(engine: RuleEngine) -> None:
    plain = tokenize("New rail link opens to passengers")
    assert engine.candidates(set(plain), " ".join(plain)) == []
    fired = tokenize("Gunmen opened fire on a bus in Rafah")
    assert "cv.kinetic-during-truce" in {r.id for r in engine.candidates(set(fired), " ".join(fired))}
    assert CV in cats(engine, "Gunmen opened fire on a bus in Rafah despite the truce")
