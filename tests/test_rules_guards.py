"""Guards, one table per guideline clause: each row is a text and whether the category must fire."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.models import Category
from monitor.rules import RuleEngine

CV = Category.CEASEFIRE_VIOLATION
FD = Category.FORCE_DEPLOYMENT
IN_TRUCE = datetime(2025, 11, 20, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.load(statistical=False)


def fires(engine: RuleEngine, text: str, category: Category, when: datetime = IN_TRUCE) -> bool:
    return any(
        e.category is category and e.status != "denied" for e in engine.classify_text(text, published=when)
    )


CV_TABLE = [
    # C1 kinetic during a truce, with and without the word
    ("C1", "Israeli gunfire killed a man near the yellow line in Khan Younis.", True),
    ("C1", "Thai and Cambodian troops traded artillery fire despite the truce.", True),
    ("C1", "A drone attack hit a market in Jammu hours after the ceasefire began.", True),
    # C2 accusations and counts
    ("C2", "Beirut accused Israel of violating the truce 1,500 times.", True),
    ("C2", "Both sides accused each other of breaching the ceasefire overnight.", True),
    # C3 collapse
    ("C3", "The fragile truce collapsed after a night of heavy shelling.", True),
    # C5 declared, agreed, extended, proposed
    ("C5", "The two sides agreed to extend the ceasefire for 30 days.", False),
    ("C5", "The ceasefire took effect at noon on Friday.", False),
    ("C5", "Mediators proposed a new truce to end the fighting.", False),
    # C6 no truce in force
    ("C6", "Warplanes struck the city as envoys called for a ceasefire.", False),
    # C7 denial
    ("C7", "The army denied that its soldiers had violated the ceasefire.", False),
    ("C7", "Officials rejected claims of a truce violation as fabricated.", False),
    # C8 hypothetical, threat, doubt
    ("C8", "Any breach of the truce would be met with force, the general warned.", False),
    ("C8", "Officials fear the ceasefire could collapse within days.", False),
    # C9 internal violence
    ("C9", "Gunmen executed six alleged collaborators in a public square despite the ceasefire.", False),
    # C10 metaphor, holding, lull
    ("C10", "Washington and Beijing extended their trade truce.", False),
    ("C10", "The ceasefire held overnight with no clashes reported.", False),
    ("C8", "Will the truce collapse after the latest strikes?", False),
]


@pytest.mark.parametrize(
    ("clause", "text", "expected"), CV_TABLE, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CV_TABLE)]
)
def test_ceasefire_violation_clauses(engine: RuleEngine, clause: str, text: str, expected: bool) -> None:
    assert fires(engine, text, CV) is expected


def test_c6_same_strike_before_and_after_the_truce(engine: RuleEngine) -> None:
    text = "Israeli strikes on Beit Hanoun killed six people."
    assert fires(engine, text, CV, IN_TRUCE)
    assert not fires(engine, text, CV, datetime(2024, 8, 1, tzinfo=UTC))


FD_TABLE = [
    ("F1", "Turkish soldiers arrived at the border crossing on Monday.", True),
    ("F1", "Israeli troops withdrew from two neighbourhoods of Rafah.", True),
    ("F1", "The army redeployed a brigade to the northern front.", True),
    ("F2", "Morocco pledged an infantry battalion to the force.", True),
    ("F2", "Albania has agreed to send troops to the mission.", True),
    ("F3", "Vietnam says it stands ready to deploy peacekeepers if the UN asks.", True),
    ("F4", "The Security Council voted to authorise a stabilization force.", True),
    ("F5", "Regional observers deployed to the border to monitor the truce.", True),
    ("F6", "The rebels mobilised thousands of fighters near the city.", True),
    ("F7", "Britain will not send troops, the prime minister said.", False),
    ("F7", "Spain has ruled out sending soldiers to the force.", False),
    ("F7", "No country has yet pledged troops to the force.", False),
    ("F8", "Japan could send troops to the mission, analysts say.", False),
    ("F8", "Egypt is expected to send the largest contingent.", False),
    ("F8", "Officials are considering sending peacekeepers next year.", False),
    ("F9", "The UN urged member states to send troops quickly.", False),
    ("F9", "Kinshasa demanded that foreign troops withdraw from the east.", False),
    ("F10", "Under the plan, Israeli forces would withdraw in three phases.", False),
    ("F10", "The deal requires Hezbollah fighters to withdraw north of the river.", False),
    ("F11", "Israeli troops remain deployed on five hills in the south.", False),
    ("F11", "Civilians were told to stay away from deployed forces.", False),
    ("F12", "Militants fired at troops near the border fence.", False),
    ("F12", "Snipers targeted soldiers guarding the crossing.", False),
    ("F13", "Egypt sent a technical team to help search for bodies.", False),
    ("F13", "Jordan offered to train police forces for Gaza.", False),
    ("F13", "The retailer deploys robots in its warehouses.", False),
    ("F8", "Will Indonesia send troops to Gaza?", False),
    ("F2", "Kazakhstan joins the international stabilization force.", True),
]


@pytest.mark.parametrize(
    ("clause", "text", "expected"), FD_TABLE, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(FD_TABLE)]
)
def test_force_deployment_clauses(engine: RuleEngine, clause: str, text: str, expected: bool) -> None:
    assert fires(engine, text, FD) is expected


def test_guard_is_scoped_to_its_clause(engine: RuleEngine) -> None:
    text = "Turkey said it was ready to provide troops, but Israel has said it does not support this."
    assert fires(engine, text, FD)


def test_a_past_step_under_the_deal_is_reported_not_a_term(engine: RuleEngine) -> None:
    assert fires(engine, "Under the agreement, Israeli troops pulled back from central Gaza City.", FD)
    assert not fires(engine, "Under the agreement, Israeli troops will pull back from central Gaza City.", FD)


SECONDARY = [
    ("Israel ordered residents into the humanitarian zone in al-Mawasi.", Category.SAFE_ZONE),
    ("Hamas handed over the remains of two deceased hostages.", Category.HOSTAGE_REMAINS),
    ("Demining teams cleared unexploded ordnance from the school.", Category.UXO),
    ("Donors pledged $2 billion for reconstruction.", Category.RECONSTRUCTION),
    ("Gunmen executed three men accused of collaborating.", Category.REPRISAL),
    ("Negotiators in Doha discussed a new proposal.", Category.DIPLOMACY),
]


@pytest.mark.parametrize(("text", "category"), SECONDARY)
def test_secondary_tags(engine: RuleEngine, text: str, category: Category) -> None:
    assert fires(engine, text, category)


def test_safe_zone_status(engine: RuleEngine) -> None:
    [ev] = [
        e
        for e in engine.classify_text("Evacuation orders issued for the humanitarian zone")
        if e.category is Category.SAFE_ZONE
    ]
    assert ev.detail["zone_status"] == "evacuation_ordered"
