"""force_deployment where the force is named by what it is called, not by a word for troops: peace
operations by their acronyms, private military companies; a plan the contributor has made known (F2
against F8); forces and weapons moved to a border (F6). Sentences written here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.models import Category
from monitor.rules import RuleEngine

FD = Category.FORCE_DEPLOYMENT


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.load(statistical=False)


def fd(engine: RuleEngine, text: str) -> bool:
    events = engine.classify_text(text, published=datetime(2025, 11, 20, 12, tzinfo=UTC))
    return any(e.category is FD and e.status != "denied" for e in events)


@pytest.mark.parametrize(
    "text",
    [
        "SAMIM withdraws from Cabo Delgado after three years",
        "MINUSMA completed its withdrawal from the Timbuktu camp on Sunday.",
        "EUFOR deployed reserve companies to Tuzla on Monday.",
        "The Wagner Group is withdrawing from Mali, its Telegram channel said.",
        "Wagner Group leaving Mali after heavy losses",
        "The Africa Corps deployed 200 fighters to the north of the country.",
        # a plan made known by the contributor is its decision (F2)
        "The United States has announced plans to scale back its military presence in Romania.",
        "NATO allies were notified of US plans to cut the number of troops stationed in Romania.",
        # moved to a border, with more than one thing moved (F6)
        "North Korea moves troops and heavy weapons to South Korea border",
    ],
)
def test_named_forces_move(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # the same names with no movement of the force
        "MINUSMA said the situation in Timbuktu was calm.",
        "The Wagner Group's founder died in a plane crash.",
        "EUFOR is monitoring the situation closely.",
        # plans nobody has made known as the contributor's decision (F8)
        "Analysts said the US plans to cut troops in Romania.",
        "Diplomats discussed plans to deploy troops to Gaza.",
        # a wagner that is not the company
        "Richard Wagner's operas were withdrawn from the festival programme.",
    ],
)
def test_no_movement(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # national forces by their own names, armed groups by their acronyms
        "The Bundeswehr has ended its deployment in Mali.",
        "UPDF step up deployment in eastern DRC",
        "M23 withdrew from the town of Sake on Friday.",
        # forces boarding the planes that carry them
        "The first group of 100 Kenyan troops boarded a plane at Goma airport bound for Nairobi.",
        # an order to move, a transfer between countries, a presence cut
        "The 82nd Airborne Division had been ordered to move to Poland.",
        "A further 1,000 troops will be transferred from Germany to Romania, the Pentagon said.",
        "The US reduced its military presence from 2,000 to 900 troops.",
    ],
)
def test_more_movements(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Navy commandos boarded the hijacked ship and freed the crew.",
        "Passengers boarded the plane as soldiers watched.",
        "The company cut its carbon footprint by half.",
        "The army ordered residents to move to shelters.",
    ],
)
def test_no_more_movements(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        # forces entering a state named by the built-in @state set
        ("Ugandan troops have entered the Democratic Republic of Congo.", True),
        ("A military convoy entered Somalia through the border point on Wednesday.", True),
        ("A humanitarian pause agreed by the two sides entered into force on Friday.", False),
        # a phase reported begun is the movement under way (F1); a phase a deal lays down is not (F10)
        ("The mission has begun the second phase of a drawdown of its troops from the country.", True),
        ("The second phase of its withdrawal started with the handover of a forward operating base.", True),
        ("Under the deal, the second phase will see troops withdraw from the corridor.", False),
    ],
)
def test_entries_and_phases(engine: RuleEngine, text: str, moves: bool) -> None:
    assert fd(engine, text) is moves


def test_state_is_a_built_in_term_set() -> None:
    from monitor.rules.loader import _state_terms

    terms = _state_terms()
    assert "=uganda" in terms and "=drc" in terms and "=congolese" in terms


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        # monitors let in, entering, beginning their mission or patrols (F5)
        ("Russia allows EU monitors into the buffer zone", True),
        ("EU observers begin mission near the breakaway region", True),
        ("Election observers began their mission in the capital.", False),
        # a state handing over its facilities or returning a base (F1)
        ("France began transferring its facilities in Senegal in March.", True),
        ("France returned Camp Geille, its largest base in the country, to the host army.", True),
        ("The city handed over the keys to the new stadium.", False),
        # a rotation begun; rotations counted are a record
        ("Rotation of peacekeepers in the south kicks off", True),
        ("During the 14-year mission, twenty-three rotations of the contingent took place.", False),
        # soldiers who have left, further from the verb
        ("The 2,000 soldiers who have so far left the country include 400 from Kenya.", True),
    ],
)
def test_monitors_handovers_rotations(engine: RuleEngine, text: str, moves: bool) -> None:
    assert fd(engine, text) is moves


def test_a_user_rule_file_can_name_state_and_default_sets() -> None:
    from monitor.rules.loader import compile_rules, default_rules_text

    user = """
rules:
  - id: local.troops-in-state
    category: force_deployment
    severity: low
    trigger: ["=landed in"]
    all: [["@personnel"], ["@state"]]
    examples:
      match: ["Marines landed in Haiti on Monday."]
      no_match: ["Marines landed in the bay on Monday."]
"""
    rules = compile_rules([("default", default_rules_text()), ("user.yaml", user)])
    rule = next(r for r in rules if r.id == "local.troops-in-state")
    engine = RuleEngine(rules)

    def hit(text: str) -> bool:
        return any(h.rule.id == rule.id and h.guard is None for h in engine.hits(text))

    assert hit("Marines landed in Haiti on Monday.")
    assert not hit("Marines landed in the bay on Monday.")


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        # a state named by its capital (@state), and attribution that sets no condition
        ('"Our special forces units entered Juba to secure it," the army chief said.', True),
        ("The first aid trucks entered Juba on Monday.", False),  # no force
        (
            "A UN source told AFP on condition of anonymity that soldiers entered the Democratic "
            "Republic of Congo at the border point, in a region ravaged by war.",
            True,
        ),
        ("Troops will enter the province only on condition that the rebels disarm.", False),
        ("Russian troops entered the war in its first week.", False),
    ],
)
def test_entering_a_state(engine: RuleEngine, text: str, moves: bool) -> None:
    assert fd(engine, text) is moves


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        # a move that continues one weighed earlier in the sentence, with no verb of its own (F8)
        (
            "The administration is considering withdrawing 4,500 troops from Korea to be redeployed to Guam.",
            False,
        ),
        (
            "The administration is considering withdrawing 4,500 troops from Korea, shifting them to Guam.",
            False,
        ),
        (
            "Officials are considering sending more warships to the region, further bolstering its forces.",
            False,
        ),
        # a move made, or one with its own verb, stays a move (F1)
        ("The army withdrew 2,000 troops from the border, shifting them to the capital.", True),
        ("Egypt plans to deploy troops to replace Burundian forces, who are gradually withdrawing.", True),
    ],
)
def test_a_weighed_move_and_its_continuation(engine: RuleEngine, text: str, moves: bool) -> None:
    assert fd(engine, text) is moves


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        # a commanding authority states the forces' next move, the subject named with its modifiers (F2)
        ("The deputy commander announced that coalition forces would withdraw from the base.", True),
        ("A ministry spokesman said army troops and police would start pulling out on Thursday.", True),
        # the same said of a plan's terms or under a condition stays a plan (F10)
        ("The deputy commander said coalition forces would withdraw only if the attacks stopped.", False),
    ],
)
def test_an_authority_states_the_forces_next_move(engine: RuleEngine, text: str, moves: bool) -> None:
    assert fd(engine, text) is moves


def test_orders_to_a_state_and_the_built_in_to_state_set() -> None:
    from monitor.rules.loader import compile_rules, default_rules_text

    user = """
rules:
  - id: local.flown-to-state
    category: force_deployment
    severity: low
    trigger: ["=flown"]
    all: [["@personnel"], ["@to_state"]]
    examples:
      match: ["Marines were flown to Haiti on Monday."]
      no_match: ["Marines were flown to the carrier on Monday."]
"""
    rules = compile_rules([("default", default_rules_text()), ("user.yaml", user)])
    engine = RuleEngine(rules)

    def hit(rule_id: str, text: str) -> bool:
        return any(h.rule.id == rule_id and h.guard is None for h in engine.hits(text))

    assert hit("local.flown-to-state", "Marines were flown into Haiti on Monday.")
    assert not hit("local.flown-to-state", "Marines were flown to the carrier on Monday.")
    assert hit("fd.order-to", "Biden ordered 3,000 troops to Romania and Germany.")
    assert not hit(
        "fd.order-to", "The commander ordered his troops to halt their advance towards the capital."
    )


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        # a force counted where it is, or said to be there already: presence (F11)
        ("Okinawa hosts over half of the 50,000 U.S. troops stationed in Japan.", False),
        ("The drills will include the Marine Expeditionary Unit, already stationed in the region.", False),
        (
            "The posture is larger, with over 100,000 military personnel stationed across Europe.",
            False,
        ),
        # moves, however they are phrased
        ("1,000 Kenyan police officers deployed in Haiti", True),
        ("The U.S. has already deployed 200 troops to Israel to help coordinate the truce.", True),
        ("Israeli forces are now stationed along the yellow line, the army said.", True),
    ],
)
def test_presence_counted_or_already_there(engine: RuleEngine, text: str, moves: bool) -> None:
    assert fd(engine, text) is moves
