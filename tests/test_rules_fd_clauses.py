"""force_deployment clause families (GUIDELINE F1-F13) in phrasings written here, not copied from any
corpus: for each family, sentences that must fire and near neighbours that must not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.models import Category
from monitor.rules import RuleEngine
from monitor.rules.fd_clauses import extra_guard, lifted
from monitor.rules.terms import tokenize

FD = Category.FORCE_DEPLOYMENT
ALL_FD_GUARDS = frozenset(
    {"negation", "denial", "modality", "appeal", "agreement", "target", "status_quo", "non_military"}
)


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.load(statistical=False)


def fd(engine: RuleEngine, text: str, published: datetime = datetime(2025, 11, 20, 12, tzinfo=UTC)) -> bool:
    events = engine.classify_text(text, published=published)
    return any(e.category is FD and e.status != "denied" for e in events)


def _guard_at(text: str, word: str) -> str | None:
    toks = tokenize(text)
    at = toks.index(word)
    return extra_guard(ALL_FD_GUARDS, toks, (0, len(toks)), (at, 1))


# --- F9: one state orders or sets a deadline for another's forces to leave ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mali's transitional government ordered French troops to leave the country within a month.",
        "Iraq's parliament has given the US until the end of the year to withdraw its soldiers.",
        "Sudan's junta told Chadian forces to withdraw from the border area.",
        "Somalia's cabinet ordered all Ethiopian troops to be withdrawn by December.",
    ],
)
def test_a_host_ordering_foreign_forces_out_is_a_demand(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Russia's defence minister ordered Russian troops to withdraw from the right bank.",
        "The general ordered his troops to pull back from the ridge.",
        "French troops began to leave the country, Mali's government said.",
    ],
)
def test_a_commander_ordering_own_forces_out_still_counts(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


def test_the_order_guard_needs_a_foreign_object() -> None:
    assert (
        _guard_at("Kenya's president ordered Ugandan units to withdraw from the town.", "withdraw")
        == "appeal"
    )
    assert _guard_at("Kenya's president ordered Kenyan units to withdraw from the town.", "withdraw") is None
    assert _guard_at("The president ordered units to withdraw from the town.", "withdraw") is None


# --- F10: a withdrawal listed among a deal's other terms ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The two governments agreed to pull back their forces, reopen the crossings and exchange prisoners.",
        "The militias will withdraw from the airport, remove checkpoints and release detainees.",
        "Both presidents agreed on a truce and a troop pullback at the summit.",
    ],
)
def test_withdrawal_among_deal_terms_is_a_term(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "The two armies began to withdraw their forces on Monday, and reopened the crossings.",
        "The rebels agreed to the withdrawal after the army chief met their commander.",
        "Israel declared a ceasefire and began pulling back its troops.",
    ],
)
def test_withdrawal_begun_beside_other_terms_still_counts(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


# --- F11: forces named as already where they are ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The brigade's headquarters staff are already stationed in the capital.",
        "Gendarmes already deployed on the island know the terrain well.",
        "Some 300 engineers have been already based at the port for a year.",
    ],
)
def test_already_posted_forces_are_a_presence(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


def test_already_arriving_forces_still_move(engine: RuleEngine) -> None:
    assert fd(engine, "The first soldiers have already arrived in the capital.")


# --- F13 / F12 / F8: withdrawing from talks, ready to fight, willing to talk ---------------------


@pytest.mark.parametrize(
    "text",
    [
        "The rebel army withdrew from negotiations over a truce on Tuesday.",
        "The militia has pulled out of the talks on a ceasefire.",
        "Our soldiers are ready to fight to the last man, the commander said.",
        "The army is prepared to defend every village, its chief declared.",
        "The premier said he is willing to discuss the proposal to send foreign troops.",
    ],
)
def test_not_a_force_moving(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


def test_ready_to_send_is_still_an_offer(engine: RuleEngine) -> None:
    assert fd(engine, "Pakistan says it is ready to send troops to the force if asked.")


# --- lifted guards: pledges, completed processes, the contributor's own "could" -------------------


@pytest.mark.parametrize(
    "text",
    [
        "Canada committed to deploy a battle group to Latvia.",
        "Spain has committed to send 300 soldiers to the mission.",
        "The ceremony marked the end of the withdrawal of the contingent from the north.",
        "Officials said the forces had ended their disengagement process on the plateau.",
        "The president said his country could contribute up to 5,000 troops to the mission.",
        "The defence minister said they may send a battalion to the force.",
        "The prime minister said Norway would withdraw its troops by the end of the year.",
    ],
)
def test_lifted_guards_report_commitments_and_completions(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "The army remains committed to the ceasefire.",
        "There is no end in sight to the withdrawal of the troops.",
        "Analysts said Vietnam could send troops to the force.",
        "Talks ended without agreement on the withdrawal of foreign forces.",
    ],
)
def test_guards_still_hold_around_lifted_words(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


def test_lifted_reads_only_its_own_words() -> None:
    toks = tokenize("Canada committed to deploy a battle group.")
    assert lifted("denial", toks, (0, len(toks)), (toks.index("deploy"), 1))
    toks = tokenize("Canada is committed to the truce and will deploy nobody.")
    assert not lifted("denial", toks, (0, len(toks)), (toks.index("deploy"), 1))


# --- recall families: handovers, entries, ends of presence, flights, build-ups, plans -----------


@pytest.mark.parametrize(
    "text",
    [
        "The peacekeepers handed over their last camp in the north to the national police.",
        "The mission hands over two of its remaining bases to local authorities",
        "The contingent completed the handover of its logistics compound to the army.",
        "Government soldiers entered the demilitarised zone on Sunday after the rebels withdrew.",
        "The army said its units had entered the villages of the border district.",
        "The Gulf state said it had ended the presence of its troops in the country.",
        "The government concluded the military presence of its special forces abroad.",
        "A further 80 police officers will fly to the islands on Thursday.",
        "Residents reported a troop build-up along the frontier.",
        "The ministry announced last week plans to dispatch 3,000 soldiers to the border.",
        "Several countries have moved forward with plans to send troops to the mission.",
        "The UN launched a phased withdrawal of its peacekeepers from the province.",
        "Disengagement at the last two friction points was completed on Friday.",
        "The rebels are moving a large number of fighters toward the city.",
        "The council decided to deploy 60 civilian monitors along the frontier.",
    ],
)
def test_recall_families_fire(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Hamas handed over the bodies of two hostages to the Red Cross near a base in Gaza.",
        "Troops entered the region in a dawn raid on militant hideouts.",
        "Demonstrators demanded an end to the presence of foreign troops.",
        "Talks will resume after complete disengagement along the line.",
        "Villagers brought more food to the soldiers at the checkpoint.",
        "Analysts said plans to send troops were unlikely to be approved.",
        "The minister will fly to the capital for talks on the force.",
    ],
)
def test_recall_families_do_not_overreach(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


# --- second round: objects posted, delegations, pledges of conduct, fortification, timetables --


@pytest.mark.parametrize(
    "text",
    [
        # F11/F12: forces named, after a determiner, by where they are posted
        "The governor praised the soldiers stationed at the airport for their discipline.",
        "Gunmen fired on the Kenyan troops positioned near the crossing.",
        # F13: officials sent to talk or assess are no contingent
        "Turkey sent a senior military delegation to Tripoli ahead of the planned deployment.",
        "Rwanda has dispatched a technical military team to the capital for an assessment.",
        # C7/F10: a pledge of conduct, not of troops
        "Both armies reaffirmed their commitment to respect the truce.",
        "The mission pledged to cooperate with the authorities on an orderly withdrawal of troops.",
        # F12 / F13: fortifying a line, bolstering ties
        "Rebel forces were fortifying their positions outside the town.",
        "The army bolstered its military cooperation with Egypt.",
        # F10: a timetable or a plan's future step
        "The pullout of the blue helmets, scheduled for completion by June, will be done in stages.",
        "The drawdown of troops is expected to be completed by the end of the month.",
        "The next phase will see some 1,500 soldiers leave four bases in the east.",
        "The plan entails a complete withdrawal of the foreign forces by spring.",
        # F5 sources: monitors as a source of news are no observer mission
        "According to conflict monitors, the army has conducted dozens of strikes.",
    ],
)
def test_second_round_negatives(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "The troops stationed at the airport were flown home on Monday.",
        "US troops deployed to Poland",
        "Rwanda sent an advance team of 100 peacekeepers to the capital.",
        "Fiji pledged 300 soldiers to the mission on Tuesday.",
        "Both sides reinforced military presence along the frontier.",
        "The withdrawal of the blue helmets was completed in June.",
        "The country is doubling the number of its soldiers deployed on the islands.",
    ],
)
def test_second_round_positives(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


# --- third round: movements told as subjects, ends of missions, take-offs, relocations, approaches


@pytest.mark.parametrize(
    "text",
    [
        "The pullback came a day after the commanders met at the border.",
        "Their redeployment follows weeks of clashes in the north.",
        "Officials said the withdrawal of the marines was part of a broader drawdown.",
        "The first deployment touched down at the airport before dawn.",
        "The council decided to end the mission early and bring the peacekeepers home.",
        "Member states voted to end the operation and repatriate the soldiers by June.",
        "The last Belgian paratroopers took off from the airfield on Sunday.",
        "The ministry said it has relocated 300 soldiers from the port to the capital.",
        "More militia fighters and armoured vehicles were approaching the city, witnesses said.",
        "A large number of tanks are approaching the border, the governor said.",
        "The withdrawing soldiers managed to return to their home country from the enclave.",
    ],
)
def test_third_round_positives(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "The possible deployment is part of a wider plan for the region.",
        "Talks about the pullout came to nothing.",
        "A withdrawal would follow the vote, diplomats said.",
        "The army has no intention to end the mission and bring the troops home.",
        "Two men approaching the soldiers at the checkpoint were shot.",
        "The army relocated thousands of displaced families away from the front.",
        "Fighter jets took off from the carrier to strike the port.",
    ],
)
def test_third_round_negatives(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


# --- fourth round: announced moves, state plans, ongoing moves, tasks, airlifts, approvals ------


@pytest.mark.parametrize(
    "text",
    [
        "The defence minister announced that the marines would pull back to the coast.",
        "The general told reporters that 500 more troops would head to the capital.",
        "The premier spoke after announcing 200 additional soldiers would arrive on Friday.",
        "Britain announces phased pullout from the province",
        "Residents said some militiamen were still in the town and that extra fighters were being sent.",
        "Artillery units are currently being pulled back from the line.",
        "The regional contingent has begun to fulfil its tasks at the airport.",
        "Navy ships ferried 900 soldiers to the northern islands.",
        "The council approved Ghana's request to join the mission.",
        "Their commanders ended combat operations as they handed over the last base to the army.",
        "Officials said all remaining forces have now left the country.",
        "Canada boosts its contingent in Latvia",
    ],
)
def test_fourth_round_positives(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Under the deal, the troops would pull back to the coast.",
        "Analysts expect the troops would head to the capital if talks fail.",
        "The army carried out strikes on the port.",
        "Trucks delivered food to the soldiers at the front.",
        "The council approved Ghana's participation in the peace conference.",
        "The soldiers remain stationed in the town, officials said.",
    ],
)
def test_fourth_round_negatives(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


# --- fifth round: conditions first, far-future timetables, stage labels, records, documents ----


@pytest.mark.parametrize(
    "text",
    [
        "If the battalion pulls out, the town falls.",
        "Once the new barracks are built, the regiment will be stationed near the coast.",
        "The first companies of the battalion will arrive next summer, the ministry said.",
        "About 200 monitors will be deployed in the first phase, an official told the agency.",
        "Phase two: allied troops stationed at rear bases to train the army.",
        "The ceremony marked 40 years since the arrival of the peacekeepers on the island.",
        "The battalion was the third sent by Nepal to the mission.",
        "Irish troops are among the largest contingents deployed with the mission.",
        "The envoys signed a memorandum which centres on the withdrawal of foreign troops.",
        "The regional force, which is set to replace the current mission, is still being formed.",
        "The soldiers contributed to rebuilding two schools in the town.",
        "An oversight committee, including the UN force, was established to monitor compliance.",
    ],
)
def test_fifth_round_negatives(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # F3: the contributor's own conditional offer still counts
        "If the Security Council agrees, Indonesia will send 20,000 troops.",
        "Should a mission be needed, we are ready to send our soldiers as peacekeepers.",
        "When the troops arrived in the capital, crowds lined the streets.",
        "The contingent will return home on Sunday after a year abroad.",
        "The navy's two frigates were the only ships sent to the gulf this year.",
    ],
)
def test_fifth_round_positives(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


# --- sixth round: milestones, advance teams, asides in a told movement, deadline openers -------


@pytest.mark.parametrize(
    "text",
    [
        "The alliance confirmed on Monday the start of the withdrawal from the northern bases.",
        "A parade marked the completion of the deployment in the border province.",
        "An advance party landed at the airport on Tuesday to prepare the mission's quarters.",
        "The drawdown, which began in March, included dozens of flights and road convoys.",
        'The pullback "was carried out without incident", the army said.',
        "Some 800 members of the engineering brigade are due to leave the region next week.",
        "Reinforcements from the 3rd division will soon join the border operation.",
    ],
)
def test_sixth_round_positives(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Before June 2026, the mission will leave all its bases in the province.",
        "By March 2027 the last contingents will withdraw under the plan.",
        "Delegates argued over the start of the withdrawal at the conference.",
    ],
)
def test_sixth_round_negatives(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


def test_positions_reinforced_with_more_forces_are_a_mobilisation(engine: RuleEngine) -> None:
    """Fortifying a line is tactical (F12), but filling it with more forces mobilises them (F6)."""
    assert fd(engine, "The militia reinforced its positions with thousands of fighters near the dam.")
    assert not fd(engine, "The militia reinforced its positions near the dam with sandbags.")


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen entered the border region at night, killing four villagers.",
        "Militia fighters entered the territory and abducted two farmers.",
        "Aid trucks entered the region under army escort.",
    ],
)
def test_entries_that_are_raids_or_convoys_are_not_deployments(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "The departure of the chief executive came after a boardroom dispute.",
        "The withdrawal of the bill followed protests outside parliament.",
        "Her withdrawal from the race came as a surprise to party officials.",
    ],
)
def test_told_movement_nouns_outside_the_military(engine: RuleEngine, text: str) -> None:
    """ "Withdrawal" and "departure" are also said of bills, candidates and executives: told as
    events, they need forces, a state, a truce or the group whose move it is (F13)."""
    assert not fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "The mayor handed over the keys of the city to the visiting delegation.",
        "The firm handed over its main camp site to a rival operator.",
    ],
)
def test_handovers_without_a_force_are_not_withdrawals(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


def test_a_state_named_by_its_short_name_hands_over_a_base(engine: RuleEngine) -> None:
    assert fd(engine, "Last UK base handed to Afghan army ahead of pullout")


# --- seventh round: dated pledges, "why" questions, reduced relatives, moves under way ----------


def test_a_dated_pledge_is_not_a_record(engine: RuleEngine) -> None:
    """A move told years ago as what a force is (a relative clause, "since its deployment") is a
    record (F11); the same move told as the clause's own news is a movement (F1), and one pledged
    or stated as future is a commitment whatever year it names (F2)."""
    later = datetime(2026, 6, 1, 12, tzinfo=UTC)

    def at(text: str) -> bool:
        events = engine.classify_text(text, published=later)
        return any(e.category is FD for e in events)

    assert at("Norway committed to station a battalion in Latvia in 2022.")
    assert at("Norway will begin deploying a battalion to Latvia in early 2024.")
    assert at("Norway deployed a battalion to Latvia in March 2022.")
    assert not at("The soldiers belong to a battalion that was deployed to Latvia in March 2022.")
    assert not at("Critics have faulted the battalion since its deployment to Latvia in March 2022.")


@pytest.mark.parametrize(
    "text",
    [
        "Why is France sending warships to the gulf?",
        "A company of Nepalese peacekeepers expected to deploy next week will be based at the airport.",
        "Officials said only the tanks are still being moved back from the ridge.",
        "An advance team of the mission arrived in the capital on Monday.",
    ],
)
def test_seventh_round_positives(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Will France send warships to the gulf?",
        "Analysts said Nepal was expected to deploy peacekeepers next year.",
    ],
)
def test_seventh_round_negatives(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


# --- eighth round: decisions that set a force, approvals of joining ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The Security Council decided that the new mission would comprise up to 3,000 troops.",
        "The cabinet decided the marines would leave the port by the weekend.",
        "The bloc's council approved Burundi's request to formally join AMISOM.",
    ],
)
def test_decisions_and_approvals_set_a_force(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Diplomats said the council could decide that the mission would comprise 3,000 troops.",
        "A draft resolution says the force would consist of 2,000 soldiers.",
        "Ministers decided to discuss whether the troops would leave.",
    ],
)
def test_undecided_force_terms_stay_guarded(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


# --- ninth round: transitive flights, command posts, orders home, targets where posted ---------


@pytest.mark.parametrize(
    "text",
    [
        "Kenya has begun flying its first police officers to Haiti.",
        "The regional bloc appointed a Kenyan general to command the force.",
        "The Kremlin ordered the troops back to their barracks.",
    ],
)
def test_ninth_round_positives(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Hamas fighters attacked Israeli troops stationed near the yellow line.",
        "Militants fired at Malian soldiers positioned outside the town.",
        "Fighter jets flew over the troops during the parade.",
    ],
)
def test_ninth_round_negatives(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


def test_committed_to_a_gerund_pledges_troops_only_for_a_move(engine: RuleEngine) -> None:
    assert not fd(engine, "The soldiers committed to defending the city fought on.")
    assert fd(engine, "Bangladesh has committed to sending 1,000 peacekeepers to the mission.")


# --- tenth round: patrols begun, conscripts, moves closer to a front, aircraft used in strikes --


@pytest.mark.parametrize(
    "text",
    [
        "The peacekeeping force's first units have started patrolling the buffer zone.",
        "The junta has recruited and deployed thousands of new conscripts to the front.",
        "Belarus moved troops and heavy equipment closer to the Ukrainian border.",
        "The alliance is stepping up its presence in the east with new brigades.",
    ],
)
def test_tenth_round_positives(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "A UN report said the army had deployed drones to strike villages.",
        "The air force sent helicopters against rebel positions on Monday.",
    ],
)
def test_aircraft_put_to_use_in_strikes_are_not_deployments(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


# --- eleventh round: pushed reinforcements, evacuated positions, fleets; posted subjects --------


@pytest.mark.parametrize(
    "text",
    [
        "Sudan's army has pushed reinforcements toward El Fasher.",
        "The Israeli army has evacuated its positions in the corridor.",
        "The navy's 46th escort fleet set sail for the Gulf of Aden.",
        "Kenyan officers deployed in Haiti",
    ],
)
def test_eleventh_round_positives(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan officers stationed in Haiti have complained about pay.",
        "Germany has long stationed troops in Lithuania.",
        "Marines positioned at the embassy said the night was quiet.",
    ],
)
def test_eleventh_round_negatives(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        ("Soldiers of the Mission-Ready Battalion remained in their barracks all year.", False),
        ("The combat-ready brigade took part in the annual exercise.", False),
        ("The president ordered the army to ready 5,000 troops for the mission.", True),
    ],
)
def test_ready_as_a_name_or_state_is_no_preparation(engine: RuleEngine, text: str, moves: bool) -> None:
    """ "Mission-Ready Battalion", "combat-ready brigade" name a state; "to ready troops" orders a
    preparation (F3)."""
    assert fd(engine, text) is moves


# --- F3: an offer of forces, not of peace; "volunteer" the verb, not the kind of fighter ----------


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        ("Ignoring the numerous peace offers of the government, the rebel forces launched an attack.", False),
        ("Special forces and volunteer fighters assisted the government in its offensive.", False),
        ("Brazil offered a contingent of 800 peacekeepers for the mission.", True),
        ("Fiji volunteered 200 soldiers for the observer force.", True),
    ],
)
def test_offers_of_forces(engine: RuleEngine, text: str, moves: bool) -> None:
    assert fd(engine, text) is moves


# --- F7/F8/F9 words the guards now read: reluctance, openness, anticipation, invitations ---------


@pytest.mark.parametrize(
    "text",
    [
        "Members unwilling to commit ground troops were asked to provide intelligence instead.",
        "The president is hesitant to leave any troops in the country.",
        "Parliament remains reluctant to send soldiers abroad.",
        "A newspaper wrote that 15 nations are open to sending their troops.",
        "The mission is anticipated to leave the country by the end of December.",
        "The host government invited the regional bloc to deploy its forces in the east.",
        "The two armies' operations chiefs agreed to observe the ceasefire along the border.",
        "Rebels agreed to a government offer of a truce to let aid through.",
        "The drill will test the readiness and ability of the forces on duty.",
        "The forces crossed the border and moved 3.5 kilometres into the country, the premier said.",
    ],
)
def test_guarded_readings(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "The regional bloc deployed its forces in the east at the host government's invitation.",
        "Both sides agreed to allow ASEAN observers to monitor the ceasefire.",
        "The country said it is ready to send 1,000 troops to the mission.",
    ],
)
def test_still_movements(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


# --- names, statistics, truces offered and readiness to fight are no deployments ------------------


@pytest.mark.parametrize(
    "text",
    [
        "Austrian troops made up the biggest contingent in the UN Disengagement Observer Force (UNDOF).",
        "19,815 is the number of peacekeepers deployed to the mission.",
        "Contingents are deployed for a period that varies from six to eight months.",
        "Over the course of these missions, a total of 36 countries contributed troops.",
        "The ceasefire resulted so far in 14 breaches committed by government forces.",
        "The army said it was preparing for a variety of scenarios including a resumption of hostilities.",
        "The country's armed forces delivered a swift and appropriate response.",
        "The army says the rockets landed in an open area, and there were no injuries.",
        "The president offers cease-fire to rebels",
        "The opposition agrees to observe 7-day truce",
    ],
)
def test_not_deployments(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Austria withdrew its troops from the Golan Heights in June.",
        "Ghana committed an infantry battalion to the force on Monday.",
        "Transport planes delivered the first units of the contingent to the capital.",
    ],
)
def test_deployments_kept(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Israeli forces opened fire on one of the peacekeeping force's patrols, UNIFIL announced.",
        "Troops prevented the observers from entering the security zone they set up around the town.",
        "The soldiers fired from near a position the army has established inside the border.",
        "The soldiers returned to the North after the army fired warning shots.",
        "The Kenyan forces will be based in Goma, the regional bloc said.",
    ],
)
def test_tactical_or_planned_not_deployments(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


# --- round ten: the speaker's own forces in reported speech ----------------------------------------


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        # F2: the speaker states what its own forces will do
        ("The prime minister said his army would complete its withdrawal within a few days.", True),
        ("The defence minister said their troops would leave the buffer zone on Friday.", True),
        # F9/F8: the same words under a condition
        ("The rebel leader told reporters his forces would withdraw only if talks were held.", False),
        ("The envoy said he would like to see the army deploy its forces in the south.", False),
    ],
)
def test_the_speakers_own_forces(engine: RuleEngine, text: str, moves: bool) -> None:
    assert fd(engine, text) is moves


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        # F11: the withdrawal only describes the place where the sentence's own act happened
        (
            "Hamas attacked Israeli forces beyond the yellow line, the area our troops have withdrawn to"
            " under the deal, the spokesperson said.",
            False,
        ),
        ("A man was shot in an area from which Israeli forces had previously withdrawn.", False),
        # F1: the withdrawal is the news
        ("Israeli forces withdrew from the area on Friday.", True),
    ],
)
def test_a_place_described_by_a_withdrawal(engine: RuleEngine, text: str, moves: bool) -> None:
    assert fd(engine, text) is moves


@pytest.mark.parametrize(
    "text",
    [
        # F10: the terms and conditions of a deal, not a movement reported
        "Thailand is obligated to repatriate 18 Cambodian soldiers once the truce holds for 72 hours.",
        "Among the key terms is the full withdrawal of the tribal forces beyond the villages.",
        "The parties also confirmed their commitment to refrain from troop movements along the border.",
        # F11: a force where it is
        "More than 6,000 sailors and Marines are presently deployed in the region.",
    ],
)
def test_terms_and_presence_round_ten_negative(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text, datetime(2025, 12, 27, 12, tzinfo=UTC))


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        ("Hegseth directed the Nimitz Carrier Strike Group to the region.", True),
        ("A team of Kenyan special forces officers landed in Port-au-Prince on Monday.", True),
        ("The first of an expected 150 National Guard troops began arriving in Memphis.", True),
        ("A team of rescue specialists landed in Port-au-Prince on Monday.", False),
        ("Reuters journalists observed government forces deploying at the oil field.", True),
        ("Journalists were deployed to the front to cover the offensive.", False),
        # F8: a future movement only the media report; F2: the same from an official
        ("According to reports from Kan 11 News, Indonesia is set to deploy thousands of soldiers.", False),
        ("According to a defence ministry spokesman, the battalion will deploy on Monday.", True),
        # F1 arrived: welcomed on arrival, or off the plane
        ("The force commander warmly welcomed the Salvadoran contingent at the airport.", True),
        ("Kenyan police officers disembarked at Toussaint Louverture airport on Tuesday.", True),
        ("US naval ships stationed at a base in Bahrain left port earlier this week.", True),
        ("The destroyer fired two missiles at the drone boat.", False),
        ("Officials are considering sending additional warships to the region.", False),
    ],
)
def test_warships_and_military_aircraft_moved(engine: RuleEngine, text: str, moves: bool) -> None:
    assert fd(engine, text, datetime(2025, 6, 17, 12, tzinfo=UTC)) is moves


# --- round twelve: mandates extended, disengagement begun, trainers, more states, habits ---------


@pytest.mark.parametrize(
    "text",
    [
        # F4: a parliament or cabinet extends the mandate of a contributor's troops abroad
        "The parliament in Ankara voted on Tuesday to extend the mandate for troops serving in Qatar.",
        "Lawmakers approved a two-year extension of the army's mission with the UN force.",
        "The cabinet extended the deployment of the navy's task force off the coast by six months.",
        # F1: a disengagement reported as begun, not only as completed
        "The two armies have commenced disengagement at three friction points on the plateau.",
        "Rival forces begin disengagement along the disputed ridge",
        # F1: military trainers are armed personnel moved
        "Military instructors from the alliance arrived in the capital on Sunday.",
        # F2: a state the extractor does not report "is to" send troops
        "Ireland is to send 130 peacekeepers to the mission in the Golan Heights.",
        "South Korea is to send its eighth batch of troops to the Gulf state this month.",
        # F1/F2: soldiers sent to train another army are moved all the same
        "Seoul will dispatch 12 naval commandos to the Gulf next month to help train the emirate's troops.",
        # F2/F1: joining a peace operation named by its acronym; a contingent rotated
        "Four hundred Nepalese troops join UNIFIL in southern Lebanon",
        "Uganda rotates troops in Somalia",
        # F4: a bloc launches a mission, activates its standby force, stands up a task force
        "The European Union launched its new naval mission to protect shipping in the Red Sea.",
        "Regional Bloc Activates Standby Force",
        "The navy is standing up a new multinational task force for the region.",
        "The mandate of the bloc's preventive mission in the kingdom has been extended by six months.",
        # F1: warships sailing through a strait, a naval escort taskforce sailing, arriving, leaving
        "Two destroyers sailed through the strait on Thursday, the navy said.",
        "The 30th naval escort taskforce set sail for the gulf from its home port.",
        "The navy's escort taskforce arrived in the gulf to relieve the previous one.",
        # F1/F6: troops ordered to a border, a reinforcement ordered, a rotation commencing
        "The governor orders 1,000 National Guard troops to border",
        "The ministry ordered the reinforcement of troops in the northern state.",
        "Rotation exercise for the battalion's peacekeepers commences",
        # F1: troops enter a state in a headline's present, or cross its border into it
        "1,000 Saudi troops enter Bahrain",
        "Kenyan troops crossed the border into Somalia on Sunday, residents said.",
        # F2/F1: a recall, troops brought home, plans approved by the force's own council
        "The prime minister says he will recall the country's troops from Iraq as soon as possible.",
        "He ordered the defence minister to bring the troops stationed abroad home.",
        "NATO begins its mission in the north",
        # F6: reservists called up; F1: a headline's soldiers "off to" a mission, an HMAS ship departing
        "39,000 More Reservists Called to Active Duty",
        "Ghanaian soldiers off to Congo",
        "HMAS Brisbane has departed its home port for the regional deployment.",
        # F1: troops come ashore, the army called in to keep order, a rotation launched
        "Later, three rubber boats came ashore and around 24 troops walked up through the dunes.",
        "The interior ministry called in the army to manage the escalating protests.",
        "Rotation of CIS Peacekeepers Launched in the Conflict Zone",
        # F1: a base turned over by the force leaving it
        "US forces turned over the air base to the host government on Friday.",
        # F2: a named contributor's plan for its own forces, named by their demonym
        "The minister said the U.S. plans to withdraw a third of the 36,000 American troops in the country.",
    ],
)
def test_round_twelve_families_fire(engine: RuleEngine, text: str) -> None:
    assert fd(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # a mandate asked for, or a truce's (F8, F9, F10)
        "The presidency submitted a motion seeking to extend the mandate of troops abroad.",
        "The council extended the ceasefire monitoring mission's mandate by a year.",
        # training a police force is a training offer (F13)
        "The republic will send officers to help train the new police force.",
        # what a force does as a rule (F11)
        "The alliance routinely deploys reserve battalions to the region for exercises.",
        "Whenever a clash breaks out, the peacekeepers quickly deploy extra troops to the area.",
        # a rotating chair is no rotation of troops
        "The bloc's rotating presidency passed to a country that has troops in the mission.",
        # a mission of rescue, one still considered, a standby force that could be activated
        "The army launched a rescue mission after the floods.",
        "Ministers are considering whether to launch a naval mission in the strait.",
        "The bloc said it could activate its standby force if talks fail.",
        # a plan for another state's forces stays a plan (F8)
        "The U.S. plans to withdraw some of the German troops from the base, a report said.",
        # warships firing in a strait are used, not moved (F12); a fishing fleet is no force
        "Two destroyers fired on the boats in the strait on Thursday, the navy said.",
        "The fishing fleet set sail for the gulf from its home port.",
        # a mission that began years ago is background; remembering is no recall; bodies brought home
        "The mission began in 2013 after an armed rebellion in the north.",
        "The minister recalled that the troops had suffered heavy losses.",
        "A plane brought home the bodies of the soldiers killed in the attack.",
        "After they attempted to cross into Israel, troops fired at their legs.",
        # a call-up that could come; soldiers off to vote
        "The ministry could call up reservists if the talks fail.",
        "Soldiers off to the polls as the army votes early",
        # bodies washed ashore; an army that would be called in only if
        "The bodies of two soldiers washed ashore near the port.",
        "The government said it would not call in the army unless the protests spread.",
        # a contributor's tally over the years (F11)
        "So far the kingdom has dispatched a total of 4,210 peacekeepers to eight missions.",
        "The navy has sent 60 warships to the gulf on a rotational basis since 2009.",
        # a decision not yet taken, a review, a threat to leave (F8)
        "Seoul yet to decide on sending naval unit to the strait",
        "The government is reviewing sending a destroyer to the region.",
        "The president has threatened to withdraw his troops from the regional task force.",
    ],
)
def test_round_twelve_neighbours_do_not_fire(engine: RuleEngine, text: str) -> None:
    assert not fd(engine, text)


def test_a_disengagement_still_to_come_is_not_reported_done(engine: RuleEngine) -> None:
    text = "The two armies are set to complete disengagement at both points by the end of the month."
    stages = {e.detail.get("stage") for e in engine.classify_text(text) if e.category is FD}
    assert "withdrawn" not in stages


def test_a_total_of_soldiers_moving_is_still_a_movement(engine: RuleEngine) -> None:
    # "a total of" counts a record only with the perfect; a convoy that departed is a movement (F1)
    assert fd(engine, "He confirmed that a total of 13 trucks carrying 57 soldiers had already departed.")
