"""Clause-level behaviours found on real news (issue 10), each tried with sentences written here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.models import Category
from monitor.rules import RuleEngine

CV, FD = Category.CEASEFIRE_VIOLATION, Category.FORCE_DEPLOYMENT


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.load(statistical=False)


def cats(engine: RuleEngine, text: str, day: tuple[int, int, int] = (2025, 11, 20)) -> set[Category]:
    events = engine.classify_text(text, published=datetime(*day, 12, tzinfo=UTC))
    return {e.category for e in events if e.status != "denied"}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # C2 + C6: violations reported where the theatre's truce is known on the date
        ("India said several breaches occurred along the Line of Control overnight.", (2025, 6, 2)),
        ("Yemen's government listed 30 violations by the Houthis in Hodeidah since Tuesday.", (2018, 12, 24)),
        ("The coalition alleged 9 contraventions by Houthi fighters near the port.", (2015, 5, 14)),
        # C2 over C9: a militia said to violate the truce is a truce party
        ("The Houthi militias have violated the truce, the coalition said.", (2015, 5, 14)),
        # a halt in fighting is a truce; "further added" is not hypothetical
        ("Moscow said Kyiv violated the halt in fighting 400 times.", (2025, 4, 20)),
        (
            "The army further added that despite violations by the rebels in Goma, it showed restraint.",
            (2025, 8, 1),
        ),
        # C1 with the truce known from theatre and date
        ("Pakistani troops began unprovoked firings along the LoC on Sunday.", (2020, 7, 1)),
        ("Armenian officials said Azerbaijani forces shelled villages near Stepanakert.", (2021, 5, 3)),
    ],
)
def test_violations_found(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert CV in cats(engine, text, day)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Pakistani troops began unprovoked firings along the LoC on Sunday.", (2025, 5, 8)),  # no truce then
        ("Rights groups warned of violations of international law in Gaza.", (2025, 11, 20)),
        ("The army said it executed over 300 drone strikes on rebel depots in Sudan.", (2025, 3, 1)),
        ("The two countries extended their trade truce by 90 days.", (2025, 8, 12)),
        ("An airstrike hit Khan Younis hours before the ceasefire took effect.", (2025, 10, 10)),  # C6
        ("Hockey players and owners agreed a truce in their strike over pay.", (2025, 11, 20)),  # C10
        ("Hamas said it remains committed to the ceasefire in Gaza.", (2025, 11, 20)),  # C7
    ],
)
def test_not_violations(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert CV not in cats(engine, text, day)


@pytest.mark.parametrize(
    "text",
    [
        "A contingent of 250 Rwandan police officers landed in Bangui on Monday.",  # F1 security personnel
        "Two hundred Fijian blue helmets arrived in the Golan on Sunday.",
        "The two neighbours agreed to station regional monitoring teams along the border.",  # F4/F5
        "An interim observer group conducted an inspection of the frontier districts.",
        "The alliance council approved the deployment of 400 more troops.",  # F4
        "Brazil has accepted the post of deputy commander of the mission.",
        "Ethiopia began repositioning troops along the northern border.",  # F1
        "The army said it had removed its troops from three villages.",
        "Romania said in May it was boosting troop numbers on its eastern flank.",  # F6; "May" the month
        "The first 120 soldiers of a battalion expected to total 800 arrived in Kalemie.",
        "Kenya said it would commit 500 more officers to the mission.",  # F2 reported own commitment
        "Israeli tanks were seen pulling back from the edge of the town.",  # F1 weapons pulled back
        "The army said it had commenced the phased withdrawal of its forces from the valley.",
        "The prime minister directed a phased withdrawal of troops from the border.",
        "Fifty Nepalese peacekeepers are leaving home for Lebanon this week.",
        "The last foreign troops leave the province after eight years.",
        "The contingent handed over its last base to the national army.",
        "The Security Council endorsed the creation of an international stabilization force.",  # F4
    ],
)
def test_deployments_found(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        'Washington "calls on Belgrade to withdraw its forces" from the boundary, a spokesman said.',  # F9
        "Coalition warships deployed off the coast shelled rebel positions.",  # F12
        "The militia committed 21 violations of the truce, officials said.",  # F2 is not "commit violations"
        "Officials invited foreign diplomats to observe the handover.",  # F13
        "The army reaffirmed its commitment to the ceasefire.",
        "Our troops are present in the area and ready to respond if necessary.",  # F11 / F12
        "A draft resolution to authorize the force is circulating in New York.",  # F10
        "The terms of the agreement include the army deploying along the river, with police following.",
        "Few nations have been willing to commit troops to the force.",  # F7
        "Over the past decade, Fiji has dispatched 4,000 troops to UN missions.",  # F11 statistic
        "Three countries have expressed the most interest in sending troops, officials said.",  # F8
    ],
)
def test_not_deployments(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # F1: naval forces sent, sailing or on passage count as forces moving
        "The navy has dispatched two frigates to the Red Sea to escort merchant ships.",
        "The destroyer sailed from Norfolk for the eastern Mediterranean on Monday.",
        "Two Italian warships passed through the Strait of Messina on their way to the Gulf.",
        "The frigate departed Portsmouth for a seven-month deployment east of Suez.",
        # F1: arrivals confirmed, new arrivals, contingents flown in
        "Police in Juba confirmed the arrival of 120 Rwandan peacekeepers at the airport.",
        "New troop arrivals bring the mission to 3,000 personnel.",
        "The Chadian soldiers travelled aboard a chartered airliner to Bangui.",
        # F5: observers starting their work on the ground
        "A team of regional observers began work along the frontier on Tuesday.",
        # F1: a timetable for an already sent contingent is reported, not speculated
        "A third rotation of 400 Kenyan police officers is scheduled to arrive next week.",
        # F1: forces closing or handing bases to another army withdraw from them
        "The last French soldiers closed their base in Gao and handed it to the Malian army.",
        "The final coalition base was handed to the Iraqi army on Sunday.",
        # F2: the commanding authority's spokesperson states its own forces' next move
        "The army spokesman told reporters that the army would withdraw from the town by Friday.",
        # F13 does not block when the non-military word is only the speaker
        "The envoy said that the army's withdrawal from the ridge had started.",
        # F1: a send-off or a farewell to a departing unit; a team that is a military unit
        "The minister bade farewell to 600 soldiers leaving for the mission in Mali.",
        "The departing troops boarded two chartered aircraft at dawn.",
        "A peacekeeping team from the army left for the Golan Heights on Monday.",
        "The new team of peacekeepers will replace the Irish contingent next week.",
        # F4: hosts admit a bloc's monitors, with its full name and acronym in between
        "Both governments agreed to allow the Association of Southeast Asian Nations (ASEAN) to monitor it.",
        # a named contingent in a future passive stays the contributor's own plan (F2)
        "A force of 3,000 Pakistani soldiers will be deployed in Rafah, the ministry said.",
        # F2/F3: the contributor's own announced plan to move its forces
        "The ministry disclosed plans to send 1,500 troops to the border this week.",
        "Ghana and Togo also plan to contribute personnel to the mission.",
        # F2: the armed group's own statement, with a date or an outlet between "said" and "they would"
        "The rebels said on Sunday that they would withdraw from the town.",
        "Officers of the rebel group told Reuters they would pull their forces back from the airport.",
        # F13 does not block when the non-military word is the audience
        "The force commander told journalists that the rebel group will retreat to the hills.",
        # "as of" a time of day dates the report; only a year or month makes it a tally (F11)
        "As of midday, the army said it had withdrawn its troops to the agreed line.",
    ],
)
def test_deployment_families_b10(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # F8: talks with and proposals to other states about contributing
        "Among the states Washington is talking to about contributing troops are Chile and Peru.",
        "Paris has proposed that countries such as Ghana, Senegal and Benin contribute soldiers.",
        "According to the plans, the frigate will be based in Darwin permanently.",
        "The officers are preparing for the arrival of a bigger contingent next month.",
        # F11: a long-run tally
        "In the last thirty years, Britain has reduced its military presence in the Gulf.",
        # F10: a deadline given by a deal, and a plan's key clause wherever it is named
        "The truce gives rebel forces 48 hours to withdraw from the city.",
        "An army deployment along the border is a key clause in the accord.",
        # F8/F12: readiness to react is not readiness to deploy
        "The president instructed the forces to be prepared to respond to any attack.",
        # a third party's statement about another army is no commitment
        "The mediator said the troops would pull back to the line.",
        # F11: the contingent now serving was deployed earlier
        "The current contingent of Fijian soldiers was deployed in March of last year.",
        # F13 still holds for a team that is not military
        "A medical team was sent to the border town on Monday.",
        # F8/F10: an unnamed force as the subject of a future passive is a plan
        "Officials said an international force will be deployed in Gaza once the truce holds.",
        "Under discussion is whether a multinational mission would be sent to the port.",
        # F8: plans discussed, or a plan nobody is said to own
        "European officials are discussing plans to send troops to the region.",
        "Officials said the US plans to send an international force to the enclave.",
        # a power station hit is not forces stationed
        "RSF drones hit a power station in Atbara on Sunday.",
        "As of June, the mission had 7,500 peacekeepers deployed from 48 countries.",
        # F8: meetings still to work out a withdrawal
        "The generals agreed to meet again to work out how and when to withdraw troops from the hill.",
        # "said ... would" with another modal word before it stays hypothetical
        "The rebels said on Sunday that they could perhaps withdraw, and would if asked.",
        # F4 without an admission: hosts refuse observers, however long the bloc's name
        "The two sides refused to allow the Association of Southeast Asian Nations (ASEAN) to monitor it.",
    ],
)
def test_not_deployments_b10(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # F1: a named contingent's own timetable is a movement in transit, not a maybe
        "The rest of the Zambian battalion is due to arrive in Bangui on Friday.",
        "The returning Fijian contingent is expected to land at Nadi airport in two batches.",
        "The remaining Irish soldiers are expected to arrive in Beirut next week, the army said.",
        # F1: a withdrawal named as a noun and reported done or ordered
        "The pullout took place overnight, the ministry said.",
        "Moscow ordered the withdrawal on Wednesday.",
        # F1: a force's withdrawal from a place, in a noun phrase (headline style)
        "Rebels retake the town after army withdrawal from its outskirts",
        # F1: contingents returning home, leaving by exit/depart/draw out, removed
        "The 9th contingent will return to Nepal on Sunday.",
        "UNAMID peacekeepers return home",
        "5,000 British troops to exit Iraq within a year",
        "The remaining coalition troops will depart in the coming days, it added.",
        "The army has begun to draw small numbers of troops out of the region.",
        "Washington will remove all combat troops from the country by December, the Pentagon said.",
        # F2: agreeing to the withdrawal, the force named or not
        "The militia agreed to the withdrawal after talks with the governor.",
        "The Kurds have agreed to withdraw from the border strip.",
        # F1: a brigade combat team is a military unit, not a non-military team (F13)
        "The 3rd Brigade Combat Team began deploying soldiers to Kuwait on Monday.",
        # F1: an arrival that brings a mission's strength up
        "Their arrival brings the number of troops in the mission to 2,700.",
        # F1: UN mission names are forces
        "With Jordan pulling out of UNAMSIL last year, the mission was short of troops.",
    ],
)
def test_deployment_families_b15(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # F10: forces the subject of a future withdrawal with a deadline, nobody stating it
        "All NATO combat troops will leave the country by December.",
        "The peacekeepers will gradually withdraw until a final departure date in 2027.",
        "All military and police units will be withdrawn from the country in April.",
        "Their departure leaves the city unguarded after the last foreign troops withdraw by year-end.",
        # F10: a future step "as planned"; a drawdown plan
        "The rest of the contingent, 166 troops, will return home on December 15 as planned.",
        "The president will unveil a force drawdown plan on Wednesday.",
        # F11: a contributor's record, not a movement now
        "China first sent peacekeepers to the region in May 2006.",
        "In November 2007 and July 2008, Ghana sent a total of 300 engineers to the mission.",
        "Ukraine has contributed to the mission since 2004, initially deploying 260 troops.",
        "US troops have been stationed in the country since 2015.",
        "The brigade has deployed twice to Iraq.",
        "The US has had about 5,000 troops stationed in the country.",
        "While deployed, the battalion conducted two live-fire exercises.",
        # F8: apparent moves, leaders who seem ready, talks to discuss a withdrawal
        "Kyiv warned that the apparent withdrawal of Russian forces from the north is a rotation.",
        "The president seems ready to extend the troop presence.",
        "The UN will convene the parties by video link to discuss a troop withdrawal from the port.",
        # F9: a party that "needed to withdraw" is a condition set by others
        "Regional leaders said the rebels needed to withdraw from the towns or face a regional force.",
        # F7: "none of ..." negates its verb however long the subject
        "None of the roughly 2,000 troops deployed to the country had withdrawn as of Friday.",
        # F8 stays: a bare plan, and an expectation of who will be deployed
        "Officials said the government plans to withdraw its troops next year.",
        "More troops were also expected to be deployed from Ethiopia, he said.",
        # not a withdrawal: returning fire, returning to talks, leaving a treaty
        "The soldiers returned fire after the ambush on the convoy.",
        "The army said the rebels would return to talks in Doha.",
        "The president ordered the withdrawal from the arms control treaty.",
        "Army forces began to remove earth mounds erected near the village.",
    ],
)
def test_not_deployments_b15(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("The pullout took place overnight, the ministry said.", "fd.withdrawal-done"),
        ("Rebels retake the town after army withdrawal from its outskirts", "fd.withdrawal-from"),
        ("The 9th contingent will return to Nepal on Sunday.", "fd.return"),
        ("The militia agreed to the withdrawal after talks with the governor.", "fd.agree-withdraw"),
    ],
)
def test_new_rules_explain_themselves(engine: RuleEngine, text: str, rule: str) -> None:
    """Every new family still names its rule and the evidence it matched."""
    (event,) = [e for e in engine.classify_text(text) if e.category is FD]
    assert event.rule == rule
    assert event.matched and event.span[1] > event.span[0]
