"""ceasefire_violation by clause (GUIDELINE C1-C3 against C5-C10), in phrasing families written here:
truces known from theatre and date, accusations in more forms, collapse, and the guards that keep
strikes before a truce, ended or metaphorical truces, terms and purposes from counting as breaches."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from monitor.models import Category
from monitor.rules import RuleEngine, gazetteer

CV = Category.CEASEFIRE_VIOLATION


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.load(statistical=False)


def cv(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> bool:
    events = engine.classify_text(text, published=datetime(*day, 12, tzinfo=UTC))
    return any(e.category is CV and e.status != "denied" for e in events)


def cv_event(engine: RuleEngine, text: str, day: tuple[int, int, int]):  # type: ignore[no-untyped-def]
    events = engine.classify_text(text, published=datetime(*day, 12, tzinfo=UTC))
    return next(e for e in events if e.category is CV)


# --- truce windows of more theatres (C1 with the truce known from theatre and date, C6 outside) ------


@pytest.mark.parametrize(
    ("theatre", "inside", "outside"),
    [
        ("israel_iran", date(2025, 6, 24), date(2025, 6, 20)),
        ("myanmar", date(2025, 4, 10), date(2025, 3, 30)),
        ("myanmar", date(2025, 5, 20), date(2025, 7, 5)),
        ("sudan", date(2023, 5, 27), date(2023, 5, 15)),
        ("sudan", date(2023, 6, 2), date(2023, 6, 8)),
        ("western_sahara", date(2015, 3, 1), date(2020, 11, 20)),
        ("georgia", date(2008, 8, 8), date(2008, 8, 1)),
        ("georgia", date(2008, 8, 20), date(2008, 8, 10)),
        ("yemen", date(2016, 11, 20), date(2016, 11, 25)),
        ("yemen", date(2016, 10, 21), date(2016, 10, 25)),
    ],
)
def test_truce_windows(theatre: str, inside: date, outside: date) -> None:
    t = gazetteer.THEATRES[theatre]
    assert t.truce_in_force(inside)
    assert not t.truce_in_force(outside)


def test_india_china_has_no_truce() -> None:
    assert gazetteer.THEATRES["india_china"].truces == ()


@pytest.mark.parametrize(
    ("text", "theatre"),
    [
        ("Iranian missiles were intercepted over Haifa.", "israel_iran"),
        ("Israel struck a radar site near Tehran.", "israel_iran"),
        ("Regime jets bombed a village in Sagaing.", "myanmar"),
        ("Artillery hit a monastery in Karen State.", "myanmar"),
        ("Shelling resumed around Tskhinvali.", "georgia"),
        ("Polisario units fired on a berm position.", "western_sahara"),
        ("Pro-Russian fighters shelled Shyrokyne again.", "ukraine"),
        ("Heavy fighting was reported in Omdurman.", "sudan"),
    ],
)
def test_more_cues_name_their_theatre(text: str, theatre: str) -> None:
    assert theatre in gazetteer.theatres_in(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # Iran as a sponsor beside another arena is not the Israel–Iran arena
        ("Houthi rebels, armed by Iran, fired drones at a tanker.", "israel_iran"),
        ("Hezbollah, backed by Tehran, launched rockets at Metula.", "israel_iran"),
        # India with China and nothing of Pakistan: the LAC, not the Line of Control
        ("Indian and Chinese soldiers clashed in eastern Ladakh.", "india_pakistan"),
        ("Chinese troops attacked an Indian patrol near Galwan.", "india_pakistan"),
        # the US state is not the country
        ("A shooting in Atlanta, Georgia left two dead.", "georgia"),
    ],
)
def test_arenas_that_are_not_the_truce_theatre(text: str, absent: str) -> None:
    assert absent not in gazetteer.theatres_in(text)


def test_india_with_pakistan_and_china_keeps_the_line_of_control() -> None:
    text = "Indian troops returned fire across the Line of Control as China called for restraint."
    assert "india_pakistan" in gazetteer.theatres_in(text)


@pytest.mark.parametrize(
    ("text", "in_truce", "before"),
    [
        ("Israel said Iranian missiles struck near Haifa.", (2025, 6, 26), (2025, 6, 18)),
        ("Junta aircraft bombed a school in Sagaing Region, killing nine.", (2025, 4, 12), (2025, 3, 25)),
        ("Army jets carried out air strikes on Omdurman.", (2023, 5, 25), (2023, 5, 10)),
        ("Clashes broke out near Tskhinvali on Friday.", (2008, 8, 8), (2008, 8, 3)),
        ("Moroccan troops fired on Polisario positions near the berm.", (2012, 6, 1), (2021, 1, 10)),
        ("Separatists tried to storm the railway hub of Debaltseve.", (2015, 2, 18), (2014, 8, 1)),
        ("Houthi fighters fired a missile into Jizan.", (2016, 11, 20), (2016, 11, 26)),
    ],
)
def test_kinetic_in_known_truce(
    engine: RuleEngine, text: str, in_truce: tuple[int, int, int], before: tuple[int, int, int]
) -> None:
    """C1: no truce word, the truce known from the theatre and the date; C6 on a day with none."""
    assert cv(engine, text, in_truce)
    assert not cv(engine, text, before)


def test_kinetic_event_explains_itself(engine: RuleEngine) -> None:
    ev = cv_event(engine, "Junta aircraft bombed a school in Sagaing Region, killing nine.", (2025, 4, 12))
    assert ev.rule == "cv.kinetic-during-truce"
    assert "bombed" in ev.matched


@pytest.mark.parametrize(
    "text",
    [
        "The regime's onslaught went on under cover of the ceasefire.",
        "The assault on the town came a day after the truce was declared.",
        "Battles raged in Nyala on the third day of the truce.",
        "The army pressed its ground offensive in the north despite the ceasefire.",
    ],
)
def test_more_kinetic_words_with_a_truce_named(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2024, 6, 1))  # no theatre truce that day: the sentence names it


def test_sexual_assault_is_no_attack(engine: RuleEngine) -> None:
    assert not cv(engine, "A soldier was charged with sexual assault despite the truce.", (2024, 6, 1))


# --- C2: accusations in more phrasings ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Both capitals swiftly traded accusations of breaches.",
        "The rival commanders accused each other of violations on Sunday.",
        "The two sides keep exchanging allegations of violations along the front.",
        "Accusing one another of breaching the deal, the parties suspended the talks.",
    ],
)
def test_accusations_of_breaches(engine: RuleEngine, text: str) -> None:
    """An accusation of breaches presupposes the truce broken (C2), with no truce word or theatre."""
    assert cv(engine, text, (2024, 6, 1))
    assert cv_event(engine, text, (2024, 6, 1)).rule == "cv.accused-of-breaches"


@pytest.mark.parametrize(
    "text",
    [
        "Both governments traded accusations of human rights violations.",
        "The allegations of sanctions breaches were dismissed by the ministry.",
        "Athens and Ankara traded accusations of airspace violations.",
        "The club faced allegations of breaches of financial rules.",
        "The firm denied claims of a data breach.",
    ],
)
def test_accusations_of_other_breaches_negative(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2024, 6, 1))


@pytest.mark.parametrize(
    "text",
    [
        "The envoy said neither side honoured the truce.",
        "Mediators conceded the ceasefire had not been respected in the capital.",
        "The monitors found the truce had been imperfectly observed.",
        "Rebels accused the army of failing to honour the ceasefire.",
        "The militia has never honored the armistice, the governor said.",
    ],
)
def test_compliance_denied_is_a_violation(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2024, 6, 1))


def test_compliance_affirmed_is_no_violation(engine: RuleEngine) -> None:
    assert not cv(engine, "Both sides have honoured the truce so far, the envoy said.", (2024, 6, 1))


@pytest.mark.parametrize(
    "text",
    [
        "The mediators urged both armies to stop violating the truce.",
        "The council called on the rebels to cease violating the ceasefire.",
        "Officials pressed the militia to stop breaching the truce around the port.",
    ],
)
def test_call_to_stop_violating_presupposes_violations(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2024, 6, 1))


@pytest.mark.parametrize(
    "text",
    [
        "The mediators urged both armies not to violate the truce.",
        "The council called on all parties to respect the ceasefire and avoid any violation of it.",
    ],
)
def test_appeals_without_a_presupposed_violation_negative(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2024, 6, 1))


def test_accused_of_a_violation_after_a_long_object(engine: RuleEngine) -> None:
    text = (
        "The army walked out, accusing the paramilitary of ignoring any conditions of the deal "
        "and of a repeated violation of the ceasefire."
    )
    assert cv(engine, text, (2024, 6, 1))


def test_denied_accusation_stays_a_denial(engine: RuleEngine) -> None:
    text = "The ministry denied accusing the rebels of any violation of the ceasefire."
    assert not cv(engine, text, (2024, 6, 1))


@pytest.mark.parametrize(
    "text",
    [
        "The rebels accuse the coalition of violating the peace agreements.",
        "Kyiv said Moscow had breached the peace accords again.",
    ],
)
def test_peace_agreements_are_truces(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2024, 6, 1))


def test_accusations_despite_a_truce(engine: RuleEngine) -> None:
    assert cv(engine, "Accusations fly despite the truce", (2024, 6, 1))
    text = "Jerusalem rejected accusations that it fired on the crowd despite the truce."
    assert not cv(engine, text, (2024, 6, 1))


# --- C3 ------------------------------------------------------------------------------------------


def test_collapse_with_a_long_subject(engine: RuleEngine) -> None:
    text = "The truce the two armies signed last week appeared to unravel within days."
    assert cv(engine, text, (2024, 6, 1))


# --- C5/C6/C10: truces not in force, acts that are no breach ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The rebels launched attacks on army posts and ended the 20-year ceasefire.",
        "Fighters stormed a border post after the long ceasefire ended.",
        "The front resumed shelling once the truce expired at midnight.",
        "Rebels fired on the garrison after the end of the decade-old truce.",
    ],
)
def test_ended_truce_is_not_in_force(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2024, 6, 1))


def test_truce_call_is_no_truce(engine: RuleEngine) -> None:
    text = "The rebel leader blamed the army for the shelling and called the president's truce call a trick."
    assert not cv(engine, text, (2024, 6, 1))


@pytest.mark.parametrize(
    "text",
    [
        "The junta declared a ceasefire to speed relief after the earthquake that struck the north.",
        "A truce was agreed days after a powerful cyclone hit the coast.",
        "After shelling the city for weeks, the army announced a ceasefire on Monday.",
        "Following heavy airstrikes, the two sides agreed a truce in Doha.",
        "Armed groups fighting the junta said they would observe the truce.",
        "The ceasefire has largely held since fighting flared last month.",
        "The truce is meant to let engineers repair power lines destroyed in the clashes.",
        "A week of skirmishes preceded the truce, the monitors said.",
    ],
)
def test_acts_that_are_no_breach(engine: RuleEngine, text: str) -> None:
    """Hazards that strike, acts before a truce the sentence declares, who actors are, fighting that
    dates a truce, damage from earlier fighting: the truce is named, no act breaches it (C5/C6/C10)."""
    assert not cv(engine, text, (2024, 6, 1))


@pytest.mark.parametrize(
    "text",
    [
        "Israeli shelling hit a shelter for earthquake survivors despite the truce.",
        "Fighters attacked the post after the ceasefire was declared.",
        "Rebel groups fighting in the hills shelled the town despite the ceasefire.",
    ],
)
def test_acts_that_are_breaches(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2024, 6, 1))


def test_warning_in_quotes_is_hypothetical(engine: RuleEngine) -> None:
    text = 'The envoy warned "of violations of the ceasefire and their grave consequences".'
    assert not cv(engine, text, (2024, 6, 1))


@pytest.mark.parametrize(
    ("text", "positive"),
    [
        (
            "The report accused Kigali of sending troops to fight alongside the rebels despite the truce.",
            False,
        ),
        ("The agreement mandates a ceasefire covering shelling and drone attacks.", False),
        ("Rebels began to shell the town despite the truce.", True),
        ("Separatists tried to storm the hill despite the truce.", True),
    ],
)
def test_purpose_and_terms_against_acts(engine: RuleEngine, text: str, positive: bool) -> None:
    assert cv(engine, text, (2024, 6, 1)) is positive


def test_militias_at_war_are_a_truce_party(engine: RuleEngine) -> None:
    text = "Houthi militias began shelling government forces minutes after the truce came into effect."
    assert cv(engine, text, (2024, 6, 1))
    clan = "Hamas militias clashed with a rival clan in Khan Younis despite the truce."
    assert not cv(engine, clan, (2024, 6, 1))


@pytest.mark.parametrize(
    ("text", "positive"),
    [
        ("Tank shelling was still reported in Khan Younis early Friday.", False),
        ("Overnight, Israeli jets struck targets in Rafah.", False),
        ("Tank shelling was reported in Khan Younis on Friday afternoon.", True),
    ],
)
def test_first_day_of_a_truce(engine: RuleEngine, text: str, positive: bool) -> None:
    """On the day a truce took effect (Gaza, 10 Oct 2025), an act timed early or overnight may predate
    it (C6); on the following days it is in the truce (C1)."""
    assert cv(engine, text, (2025, 10, 10)) is positive
    assert cv(engine, text, (2025, 10, 12))


# --- more of the same families --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Officials accused the rebels of fresh attacks in violation of the deal.",
        "The shelling of the port breached the agreement, the governor said.",
    ],
)
def test_attacks_violating_the_deal(engine: RuleEngine, text: str) -> None:
    """A deal that attacks breach is a truce (C2), whatever the theatre and date."""
    assert cv(engine, text, (2024, 6, 1))
    assert cv_event(engine, text, (2024, 6, 1)).rule == "cv.attacks-violating-deal"


def test_strike_violating_a_labour_deal_negative(engine: RuleEngine) -> None:
    assert not cv(engine, "The union said the strike did not violate the agreement.", (2024, 6, 1))


@pytest.mark.parametrize(
    "text",
    [
        "The ceasefire deal was announced after two years of fighting.",
        "The ceasefire was declared after heavy shelling of the city.",
        "The truce came into force after a night of rocket fire.",
    ],
)
def test_truce_declared_after_the_fighting(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2024, 6, 1))


def test_bare_earlier_year_dates_the_act(engine: RuleEngine) -> None:
    """ "the 2014 war and its airstrikes", read during the Gaza truce: dated 2014, no truce then (C6);
    a number that looks like a year does not date anything; the truce's own year is not the act's."""
    day = (2025, 11, 5)
    assert not cv(engine, "The film recounts the 2014 Gaza war and its airstrikes.", day)
    assert cv(engine, "Israeli strikes killed 2000 people in Gaza, officials said.", day)
    assert cv(
        engine, "Morocco said Polisario units fired on its berm, breaking the 1991 ceasefire.", (2019, 5, 1)
    )


@pytest.mark.parametrize(
    ("text", "positive"),
    [
        ("Rebels say army broke ceasefire", True),
        ("The militia breaks truce with dawn raid", True),
        ("The minister broke the news of the ceasefire to reporters.", False),
    ],
)
def test_broke_the_truce(engine: RuleEngine, text: str, positive: bool) -> None:
    assert cv(engine, text, (2024, 6, 1)) is positive


def test_truce_between_fans_is_metaphorical(engine: RuleEngine) -> None:
    assert not cv(engine, "The truce between the two clubs' fans broke down.", (2024, 6, 1))
    assert cv(engine, "The truce between the army and the rebels broke down.", (2024, 6, 1))


def test_relief_from_shelling_is_no_shelling(engine: RuleEngine) -> None:
    assert not cv(engine, "Officials said the ceasefire has brought relief from the shelling.", (2024, 6, 1))


# --- C6: the war as background, in a theatre whose truce is in force ------------------------------

IN_GAZA_TRUCE = (2025, 11, 20)


@pytest.mark.parametrize(
    "text",
    [
        "Israel's two-year bombardment flattened much of the Strip, the UN said.",
        "More than 60,000 Palestinians have been killed in Gaza since the war began, officials said.",
        "The war started when militants attacked southern Israel, killing about 1,200 people.",
        "The hospital in Gaza City was badly damaged by Israeli strikes last year.",
        "Rescuers in Gaza recovered the bodies of people killed in earlier strikes.",
        "The bodies of 15 Palestinians killed during the war were handed over by Israel.",
        "Gunmen killed a man in a family feud in Khan Younis.",
    ],
)
def test_war_background_negative(engine: RuleEngine, text: str) -> None:
    """Acts of the war before the truce, named by span, era or an earlier time (C6), and crime (C9)."""
    assert not cv(engine, text, IN_GAZA_TRUCE)


@pytest.mark.parametrize(
    "text",
    [
        "Israeli fire killed two Palestinians east of Khan Younis, medics said.",
        "An Israeli airstrike hit a house in Beit Lahia, killing three people.",
        "Israeli troops opened fire on a crowd near the yellow line, wounding four.",
    ],
)
def test_acts_in_the_truce_still_count(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, IN_GAZA_TRUCE)


def test_last_year_dates_the_act() -> None:
    from monitor.rules.engine import _named_day

    assert _named_day("The school was hit by strikes last year.", date(2025, 11, 20)) == date(2024, 7, 1)
    assert _named_day("Troops shelled the town in 2012.", date(2025, 11, 20)) == date(2012, 7, 1)
    assert _named_day("Troops killed 2000 people.", date(2025, 11, 20)) == date(2025, 11, 20)
    assert _named_day("Troops broke the 2003 ceasefire.", date(2025, 11, 20)) == date(2025, 11, 20)


@pytest.mark.parametrize(
    ("text", "positive"),
    [
        ("India and Pakistan fought for four days before agreeing to a ceasefire.", False),
        ("Shelling intensified in the run-up to the ceasefire.", False),
        ("Artillery pounded the villages hours ahead of the truce.", False),
        ("Rebels shelled the town for days before the truce collapsed.", True),
    ],
)
def test_acts_before_a_truce(engine: RuleEngine, text: str, positive: bool) -> None:
    """C6: the act named as before the truce; before its collapse, the act was in it (C1)."""
    assert cv(engine, text, (2025, 5, 20)) is positive


# --- C7/C8/C10: what is said of the violation after it --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The army said reports of truce violations were fabricated.",
        "The ministry called the claims of a ceasefire breach baseless.",
        "Violations of the truce have been rare, observers said.",
        "The deal bars both sides from violating the ceasefire.",
        "Under the agreement, violations of the truce will be reported to the joint commission.",
        "A mechanism to investigate violations of the truce was set up on Monday.",
    ],
)
def test_violations_denied_rare_or_to_come_negative(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2024, 6, 1))


@pytest.mark.parametrize(
    "text",
    [
        "The rebels accused the army of violating the truce, which the army called false.",
        "The minister urged the rebels to address these violations of the ceasefire.",
        "Monitors said violations of the truce were frequent in the north.",
    ],
)
def test_violations_asserted_positive(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2024, 6, 1))


# --- the Afghanistan–Pakistan arena and the Victory Day truce (C1 known from theatre and date, C6) ---


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        (
            "Pakistani jets bombed a madrassa in Khost province of Afghanistan.",
            "afghanistan_pakistan",
            "india_pakistan",
        ),
        (
            "Afghan border guards traded fire with Pakistani troops overnight.",
            "afghanistan_pakistan",
            "india_pakistan",
        ),
        ("Mortar rounds landed on both sides of the Durand Line.", "afghanistan_pakistan", "india_pakistan"),
        ("Blasts shook Kabul as a Taliban delegation flew to New Delhi.", None, "india_pakistan"),
        ("A US drone hit a compound in Kandahar.", None, "afghanistan_pakistan"),
    ],
)
def test_afghanistan_with_pakistan_is_not_the_line_of_control(
    text: str, present: str | None, absent: str
) -> None:
    found = gazetteer.theatres_in(text)
    assert absent not in found
    if present is not None:
        assert present in found


def test_afghanistan_beside_india_pakistan_in_kashmir_keeps_both() -> None:
    text = "Pakistan, fighting on the Afghan frontier, also shelled Indian posts in Kashmir."
    assert {"afghanistan_pakistan", "india_pakistan"} <= gazetteer.theatres_in(text)


@pytest.mark.parametrize(
    ("text", "in_truce", "before"),
    [
        # the truce took effect in the evening of 15 October 2025: that day's fighting predates it
        (
            "Pakistani aircraft struck hideouts in Paktika, Afghan officials said.",
            (2025, 10, 18),
            (2025, 10, 15),
        ),
        ("Taliban fighters attacked a Pakistani border post near Chaman.", (2025, 11, 2), (2025, 10, 12)),
        # the Victory Day truce, 8 to 10 May 2025, and the reports of the morning after
        (
            "Russian drones hit an apartment block in Kharkiv, Ukrainian officials said.",
            (2025, 5, 9),
            (2025, 5, 14),
        ),
        ("Ukrainian forces shelled Russian positions near Belgorod.", (2025, 5, 11), (2025, 5, 5)),
    ],
)
def test_new_truce_windows_from_theatre_and_date(
    engine: RuleEngine, text: str, in_truce: tuple[int, int, int], before: tuple[int, int, int]
) -> None:
    assert cv(engine, text, in_truce)
    assert not cv(engine, text, before)


@pytest.mark.parametrize(
    "text",
    [
        "Pakistani troops and Afghan forces exchanged heavy fire along the frontier.",
        "Explosions were heard in Kabul as Pakistani jets struck targets in the city.",
    ],
)
def test_afghan_pakistan_fighting_is_no_breach_of_the_line_of_control_truce(
    engine: RuleEngine, text: str
) -> None:
    """C6: in September 2025 the Line of Control's truce was in force, the Afghan border had none."""
    assert not cv(engine, text, (2025, 9, 20))


# --- C6: the truce the sentence names is over (expired, ended later in its clause, not renewed) -------


@pytest.mark.parametrize(
    "text",
    [
        "Gunfire erupted in the capital hours after the three-day ceasefire brokered by Qatar expired.",
        "Shelling resumes on the northern front as humanitarian truce lapses",
        "It was the deadliest raid since the truce between the army and the rebels ended in March.",
        "Rebel units stepped up ambushes after the government chose not to renew the ceasefire in July.",
        "Once the truce had run out, artillery pounded the eastern districts.",
        "After a week-long truce that had brought a rare calm to the city, heavy clashes broke out.",
    ],
)
def test_act_after_a_named_truce_ended_negative(engine: RuleEngine, text: str) -> None:
    """C6, on a day a truce of the theatre would otherwise be in force (Sudan, November 2025)."""
    assert not cv(engine, f"{text} Khartoum", (2025, 11, 20))
    assert not cv(engine, text, (2024, 6, 1))


@pytest.mark.parametrize(
    "text",
    [
        # the truce is the subject that ended something: it is in force
        "RSF fighters shelled a village in Darfur, defying the truce that ended the siege of the city.",
        # the act is what ended the truce (C3)
        "The rebels declared the ceasefire over after army jets bombed their headquarters.",
        # the truce broken, not over
        "Drones struck the port, breaking a ceasefire that had brought two weeks of calm.",
        "Troops fired on the camp, violating a truce that had been in place since March.",
    ],
)
def test_truce_not_over_whatever_its_clause_says_positive(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2025, 11, 20))


# --- C5/C6: a truce agreed after (or amid) the acts the sentence names, or reached only later ------


@pytest.mark.parametrize(
    "text",
    [
        "The two neighbours agreed a truce with each other after mortar fire killed six villagers.",
        "Rival commanders sign ceasefire following deadly skirmishes near the dam",
        "Both governments have reached a 72-hour ceasefire amid escalating shelling along the frontier.",
        "The truce announcement came two days after artillery duels left dozens dead.",
        "Border troops traded fire and jets bombed outposts before the capitals declared a ceasefire.",
    ],
)
def test_truce_agreed_after_the_acts_negative(engine: RuleEngine, text: str) -> None:
    """C5/C6, also on a day a truce of the theatre is in force (Gaza, November 2025)."""
    assert not cv(engine, text, (2024, 6, 1))
    assert not cv(engine, f"{text} Gaza", (2025, 11, 20))


@pytest.mark.parametrize(
    "text",
    [
        # the agreement is the time of the act, in an "after" clause of its own
        "Hours after the two sides agreed a ceasefire following days of clashes, artillery hit the town.",
        # the truce broken, whatever came before it
        "Militants fired rockets, violating a newly agreed truce just hours after it took effect.",
        # the truce's end told in an aside of its own: the act was in it
        "Troops shelled the villages in the last hours of the truce, which expired at dawn.",
    ],
)
def test_truce_in_force_for_the_act_positive(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2024, 6, 1))


# --- C1: a people named in the plural names its theatre ("Palestinians were killed") ---------------


@pytest.mark.parametrize(
    ("text", "theatre"),
    [
        ("Four Palestinians were killed near the school, medics said.", "gaza"),
        ("Gazans fleeing the shelling crowded the coast road.", "gaza"),
        ("Two Ukrainians died when a drone hit the bus.", "ukraine"),
        ("Yemenis in the port city reported heavy bombardment.", "yemen"),
        ("Armenians in the border village said shots were fired overnight.", "armenia_azerbaijan"),
        ("Cambodians living near the temple fled the artillery.", "thailand_cambodia"),
    ],
)
def test_plural_peoples_name_their_theatre(text: str, theatre: str) -> None:
    assert theatre in gazetteer.theatres_in(text)


def test_plural_palestinians_killed_in_a_gaza_truce(engine: RuleEngine) -> None:
    text = "At least nine Palestinians were killed on Tuesday, health officials said."
    assert cv(engine, text, (2025, 11, 25))  # the October 2025 truce in force: C1
    assert not cv(engine, text, (2024, 7, 10))  # no truce then: C6


def test_plural_syrians_are_another_arena_than_gaza() -> None:
    assert "gaza" not in gazetteer.theatres_in("Israeli strikes killed three Syrians near Quneitra.")


# --- C1: a tally of the truce itself, the war's sides, attacks called on to stop ------------------


@pytest.mark.parametrize(
    "text",
    [
        "The toll of people killed in Gaza during the ceasefire has risen to 312, the ministry said.",
        "In total, 57 Lebanese have been killed by Israeli strikes since the truce took effect.",
        "Medics said air strikes have killed 40 Gazans since the ceasefire, bringing the total to 69,200.",
    ],
)
def test_tally_within_the_truce_positive(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2025, 11, 20))


@pytest.mark.parametrize(
    "text",
    [
        "The total number of Palestinians killed since the war began has passed 69,000.",
        "Israeli strikes destroyed the hospital during the war, months before the truce.",
    ],
)
def test_tally_of_the_war_stays_background_negative(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2025, 11, 20))


def test_sides_of_the_war_name_parties_not_a_time(engine: RuleEngine) -> None:
    text = "Residents said the truce was breached by both sides of the war within hours."
    assert cv(engine, text, (2025, 11, 20))


@pytest.mark.parametrize(
    "text",
    [
        "The Lebanese president urged Washington to press Israel to halt the ongoing air strikes.",
        "Beirut called on the guarantors to stop Israeli raids on southern villages.",
        "Aoun again asked the monitoring committee to stop the strikes on Lebanese territory.",
    ],
)
def test_call_to_stop_attacks_under_way_positive(engine: RuleEngine, text: str) -> None:
    """During the Lebanon truce (November 2025): the attacks to stop are going on (C1)."""
    assert cv(engine, text, (2025, 11, 24))


@pytest.mark.parametrize(
    "text",
    [
        "The agreement requires Israel and Hezbollah to halt attacks within 24 hours.",
        "Mediators urged Israel and Hezbollah to stop fighting and return to talks.",
    ],
)
def test_terms_to_stop_attacks_negative(engine: RuleEngine, text: str) -> None:
    """A term or appeal to stop attacks nobody names as under way (C5)."""
    assert not cv(engine, text, (2025, 11, 24))


# --- C2: a truce or its commitments not kept, undermined or feigned ---------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Kyiv accused Moscow of undermining the Easter truce with its troop movements.", (2025, 4, 20)),
        ("The rebels are only pretending to respect the ceasefire, the governor said.", (2025, 4, 20)),
        (
            "Officials said the militia sabotaged the truce by moving fighters into the buffer zone.",
            (2025, 4, 20),
        ),
        # the truce known from the theatre and the date: Sudan (Jeddah, May 2023), Libya (Tripoli, 2019)
        ("The army accused the RSF in Khartoum of failing to honour their commitments.", (2023, 5, 28)),
        (
            "Tripoli said the brigade had failed to honor a deal to pull its fighters out of the airport.",
            (2019, 1, 20),
        ),
    ],
)
def test_truce_not_kept_is_an_accusation_positive(
    engine: RuleEngine, text: str, day: tuple[int, int, int]
) -> None:
    assert cv(engine, text, day)


@pytest.mark.parametrize(
    "text",
    [
        "Diplomats warned that any new offensive could undermine the ceasefire.",
        "The ministry denied undermining the truce.",
        "Both delegations accused each other of undermining the ceasefire talks.",
        "The company was accused of failing to honour its commitments to workers.",
    ],
)
def test_truce_not_kept_negative(engine: RuleEngine, text: str) -> None:
    """C8 (a warning), C7 (a denial), C5 (talks, not a truce in force), no truce at all."""
    assert not cv(engine, text, (2025, 4, 20))


# --- C9: a suicide bombing is a militant's act; C10: a lull the truce brought ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "A suicide bomber blew himself up at a checkpoint near Rafah, killing two guards.",
        "Five policemen died in a suicide car bomb attack on a station in Kandahar.",
    ],
)
def test_suicide_bombings_are_no_truce_party_act_negative(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2025, 11, 20))


@pytest.mark.parametrize(
    "text",
    [
        "Since the truce began, there has been a sharp drop in shelling along the border.",
        "The ceasefire has reduced the level of violence and airstrikes across the Strip.",
    ],
)
def test_lull_brought_by_the_truce_negative(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, f"{text} Gaza", (2025, 11, 20))


@pytest.mark.parametrize(
    "text",
    [
        "Despite a drop in attacks since the truce, Israeli drones struck a tent camp in Khan Younis.",
        "Israeli tanks shelled Rafah on Tuesday in the deadliest attack since the ceasefire took effect.",
    ],
)
def test_attack_beside_a_lull_positive(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2025, 11, 20))


# --- C6: a truce that was never part of the deal; fighting resumed inside a truce (C1) --------------


@pytest.mark.parametrize(
    "text",
    [
        "A truce was not included in the accord, and within days the army shelled rebel camps.",
        "A ceasefire is not part of the framework, so the raids on the valley went on.",
    ],
)
def test_truce_never_agreed_negative(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2024, 6, 1))


@pytest.mark.parametrize(
    "text",
    [
        "Shelling resumed hours after the truce took effect, residents said.",
        "Clashes resumed after the ceasefire came into force at midnight.",
        "The ceasefire was not respected: army jets bombed the town within an hour.",
    ],
)
def test_fighting_resumed_inside_the_truce_positive(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2024, 6, 1))


# --- C1: a flare-up or an escalation while a truce is in force ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The flare-up along the frontier is the gravest test yet of the ceasefire.",
        "A sharp escalation in the south on Sunday left the truce hanging by a thread.",
        "Residents of Khan Younis described the overnight escalation as the worst since October.",
    ],
)
def test_flare_up_during_a_truce_positive(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2025, 11, 20))


@pytest.mark.parametrize(
    "text",
    [
        "Mediators urged de-escalation as the truce in Gaza entered its second month.",
        "Diplomats warned that any escalation could wreck the ceasefire.",
        "Officials met in Cairo to prevent an escalation along the Gaza border.",
        "Rebels in the north reported a new escalation, months before any ceasefire.",
    ],
)
def test_escalation_not_reported_during_a_truce_negative(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2025, 11, 20))


# --- C1: "further" of a report is no act to come; Aden is in Yemen -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The agency further reported that Houthi fighters shelled a market in Marib.",
        "The governor further said Houthi drones attacked the port overnight.",
    ],
)
def test_further_reported_attacks_positive(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2022, 6, 1))  # the 2022 UN truce in Yemen


@pytest.mark.parametrize(
    "text",
    [
        "The envoy said any further attacks on Marib would be answered.",
        "Officials fear further shelling of Houthi positions near Marib.",
    ],
)
def test_further_acts_to_come_negative(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2022, 6, 1))


def test_aden_names_yemen(engine: RuleEngine) -> None:
    text = "Coalition jets bombed rebel positions on the outskirts of Aden."
    assert "yemen" in gazetteer.theatres_in(text)
    assert cv(engine, text, (2022, 6, 1))
    assert not cv(engine, text, (2022, 12, 1))


# --- C6: Lebanon only as Syria's neighbour; Quneitra and the Golan are another arena than Gaza -------


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("Government troops shelled a town on the road from Damascus to Lebanon.", "syria", "lebanon"),
        ("Syrian army units attacked smugglers near the Lebanese border.", "syria", "lebanon"),
        # Israel's acts in Syria are in none of Syria's truces either (C9)
        ("Israeli tanks fired at a village near Quneitra.", None, "gaza"),
        ("Israeli artillery hit a post on the Golan.", None, "lebanon"),
    ],
)
def test_syrian_arena_is_not_the_lebanon_or_gaza_truce(text: str, present: str | None, absent: str) -> None:
    found = gazetteer.theatres_in(text)
    assert absent not in found
    if present is not None:
        assert present in found


@pytest.mark.parametrize(
    "text",
    [
        "Israeli jets struck Hezbollah depots in Syria and southern Lebanon.",
        "Hezbollah fighters crossed from Syria into Lebanon under Israeli fire.",
    ],
)
def test_israel_or_hezbollah_keep_the_lebanon_arena(text: str) -> None:
    assert "lebanon" in gazetteer.theatres_in(text)


# --- C1: fresh acts are news, whatever background phrase comes before them ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The sides traded blame in the wake of fresh drone strikes along the Line of Control.",
        "Villagers fled in the aftermath of new shelling near Kupwara on Sunday.",
    ],
)
def test_fresh_acts_after_a_background_phrase_positive(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2025, 5, 12))


@pytest.mark.parametrize(
    "text",
    [
        "Rebuilding began in the wake of the shelling along the Line of Control last year.",
        "Homes destroyed in earlier strikes near Kupwara are still in ruins.",
    ],
)
def test_acts_named_as_background_negative(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2025, 5, 12))


# --- C2: a breach of agreed maps, lines or terms while a truce is in force ---------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "Hamas accused Israel of moving the yellow markers in Gaza, in breach of the agreed maps.",
            (2025, 11, 20),
        ),
        ("Officials in Gaza said the new army posts violated the agreed line of withdrawal.", (2025, 11, 20)),
        ("Kyiv said the Russian convoy's route breached the terms of the Easter truce.", (2025, 4, 20)),
    ],
)
def test_breach_of_agreed_maps_or_terms_positive(
    engine: RuleEngine, text: str, day: tuple[int, int, int]
) -> None:
    assert cv(engine, text, day)


def test_agreed_terms_without_a_truce_negative(engine: RuleEngine) -> None:
    text = "The club said the transfer breached the agreed terms of the contract."
    assert not cv(engine, text, (2025, 11, 20))


# --- the truce's after-acts and lulls do not swallow what the sentence goes on to report ------------


@pytest.mark.parametrize(
    "text",
    [
        "The two sides agreed a ceasefire in October after two years of war, and since then Israeli"
        " strikes have killed 300 Gazans.",
        "Hamas and Israel reached a truce following months of talks, but Israeli tanks shelled Rafah.",
        "Gunmen attacked a checkpoint in Rafah as the truce that had held for weeks frayed.",
    ],
)
def test_acts_the_sentence_goes_on_to_report_positive(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2025, 11, 20))


def test_truce_that_expires_later_is_in_force_positive(engine: RuleEngine) -> None:
    """C1: the present of the truce's end is its future, the act inside it."""
    text = "Israeli drones struck Khan Younis as the truce that expires in March entered its second month."
    assert cv(engine, text, (2024, 6, 1))


@pytest.mark.parametrize(
    "text",
    [
        "Border guards reported intense battles along the frontier despite the ceasefire agreement.",
        "Battles broke out near the dam hours after the truce began.",
    ],
)
def test_battles_during_a_truce_positive(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2024, 6, 1))


def test_a_battle_for_votes_is_no_fighting_negative(engine: RuleEngine) -> None:
    assert not cv(
        engine, "Gaza's factions face an intense battle for votes despite the truce.", (2025, 11, 20)
    )


# --- round ten: "breaking" a truce, breach nouns after a verb that also means trade, a truce at risk --


@pytest.mark.parametrize(
    "text",
    [
        "Ethnic armed groups accuse junta of breaking truce",
        "Rebels Accuse Army of Breaking China-Brokered Ceasefire",
        "Government and rebels trade ceasefire violation claims",
        "The six-week truce is threatened as Hamas cites Israeli violations.",
        "Israel-Hamas truce falters",
        "Rebels Tear Up Truce As Violence Rages",
    ],
)
def test_breaking_trading_claims_and_a_truce_at_risk_positive(engine: RuleEngine, text: str) -> None:
    """C2: the accusation reports the breach; a truce "is threatened" by violations it cites."""
    assert cv(engine, text, (2025, 11, 20))


@pytest.mark.parametrize(
    "text",
    [
        "Hamas threatened to violate the truce if the crossings stay shut.",
        "The army warned of violations of the truce.",
        "The trade truce between the two powers is breaking down over tariffs.",
    ],
)
def test_threats_and_trade_truces_negative(engine: RuleEngine, text: str) -> None:
    """C8: a threat or a warning of breaches; C10: a trade truce is no armed truce."""
    assert not cv(engine, text, (2025, 11, 20))


@pytest.mark.parametrize(
    "text",
    [
        "No less than 242 breaches of the cessation of hostilities were recorded in the first week.",
        "The ceasefire that entered into force on Monday has already been violated by the rebels.",
        "Government forces shelled the town in violation of the Minsk agreements.",
    ],
)
def test_counted_breaches_and_named_accords_positive(engine: RuleEngine, text: str) -> None:
    """C2: a count of breaches is no negation; an adverb inside the passive; accords named as truces."""
    assert cv(engine, text, (2020, 7, 28))


def test_no_breaches_is_still_a_negation_negative(engine: RuleEngine) -> None:
    assert not cv(
        engine, "No breaches of the cessation of hostilities were recorded this week.", (2020, 7, 28)
    )


@pytest.mark.parametrize(
    "text",
    [
        "Both sides agreed in principle to halt strikes on energy targets after the talks.",
        "Under the truce the army has agreed to halt any further airstrikes, bombardment, or shelling.",
        "The rebels pledged not to launch attacks on army camps.",
    ],
)
def test_acts_a_party_agreed_to_stop_are_terms_negative(engine: RuleEngine, text: str) -> None:
    """C5: the acts a party agreed or pledged to stop are the truce's terms, not acts."""
    assert not cv(engine, text, (2025, 11, 20))


def test_an_act_after_the_agreement_is_still_an_act_positive(engine: RuleEngine) -> None:
    text = "Israel agreed to halt airstrikes on Gaza, but its jets struck Khan Younis on Tuesday."
    assert cv(engine, text, (2025, 11, 20))


@pytest.mark.parametrize(
    ("text", "breach"),
    [
        # C7: the breach is what the reports say, and a party dismisses the reports
        ("Indian army rubbishes media reports of ceasefire violation by Pakistan", False),
        ("The army dismissed the claims made by local media that rebels had violated the ceasefire.", False),
        # C2: a claim rejected, then the party's own charge
        ("Tehran rejects the claims, accusing Israel of violating the ceasefire.", True),
    ],
)
def test_reports_a_party_dismisses(engine: RuleEngine, text: str, breach: bool) -> None:
    assert cv(engine, text, (2025, 8, 5)) is breach


@pytest.mark.parametrize(
    ("text", "breach"),
    [
        # C5: the acts a pause stops
        ("Putin agreed to pause energy strikes for a week because of the frigid conditions.", False),
        ("A short pause in Russian attacks on the energy grid brought relief this week.", False),
        # C2: asking for breaches to be investigated presupposes them
        ("Armenia demands Azerbaijan investigate border ceasefire violations", True),
    ],
)
def test_pauses_and_investigations(engine: RuleEngine, text: str, breach: bool) -> None:
    assert cv(engine, text, (2026, 1, 31)) is breach
