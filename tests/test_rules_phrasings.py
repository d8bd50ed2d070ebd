"""Clause families in more of their real-world phrasings (GUIDELINE C1, C2, F1, F11), each tried with
sentences written here: verb classes, inflections and subject types rather than single sentences."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.models import Category
from monitor.rules import RuleEngine, extract, gazetteer

CV, FD = Category.CEASEFIRE_VIOLATION, Category.FORCE_DEPLOYMENT
IN_TRUCE = (2025, 11, 20)  # Gaza, Lebanon, Sudan, DRC: a truce in force


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.load(statistical=False)


def cats(engine: RuleEngine, text: str, day: tuple[int, int, int] = IN_TRUCE) -> set[Category]:
    events = engine.classify_text(text, published=datetime(*day, 12, tzinfo=UTC))
    return {e.category for e in events if e.status != "denied"}


# --- names with a possessive -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "theatres"),
    [
        ("Israel's army", {"gaza", "lebanon"}),
        ("Israel’s army", {"gaza", "lebanon"}),
        ("Hamas's gunmen", {"gaza"}),
        ("Sudan’s army", {"sudan"}),
    ],
)
def test_possessive_names_place_the_text(text: str, theatres: set[str]) -> None:
    """ "Israel's", with either apostrophe, names Israel: the theatre is known (C6)."""
    assert gazetteer.theatres_in(text) == theatres


def test_possessive_names_are_entities() -> None:
    ents = extract.entities("Russia's drones struck Kharkiv's outskirts, Ukraine’s air force said.")
    assert set(ents.countries) == {"Russia", "Ukraine"}
    assert ents.places == ("Kharkiv",)


def test_possessive_theatre_dates_an_attack(engine: RuleEngine) -> None:
    """C1 with the truce known from the theatre: the only cue is a possessive."""
    text = "Renewed attacks came despite Israel’s public commitment to the first stage of the deal."
    assert CV in cats(engine, text)
    assert CV not in cats(engine, text, (2024, 7, 10))  # no truce then (C6)


# --- C1: kinetic verbs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Israeli jets pounded targets in Rafah overnight despite the ceasefire.", IN_TRUCE),
        ("Israeli forces blew up a row of buildings east of Khan Younis.", IN_TRUCE),
        ("Explosions shook Gaza City as the army detonated houses near the yellow line.", IN_TRUCE),
        ("Russia launched waves of drones at Odesa during the Easter truce.", (2025, 4, 20)),
        ("Fresh confrontations with M23 fighters were reported near Masisi.", IN_TRUCE),
        ("Troops skirmished with rebels along the river despite the truce.", IN_TRUCE),
        ("A gun battle broke out between the two armies on the border after the truce.", (2025, 7, 30)),
        ("Two men were wounded by Israeli fire in Khan Younis, medics said.", IN_TRUCE),
        ("Blasts were heard in Jammu after the ceasefire as drones flew overhead.", (2025, 5, 11)),
    ],
)
def test_kinetic_phrasings(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert CV in cats(engine, text, day)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # C6: the same verbs when no truce is in force
        ("Israeli jets pounded targets in Rafah overnight.", (2024, 7, 10)),
        # C9: a terrorist attack is no act of a truce party
        ("Leaders vowed a response to the terror attack in Kashmir.", (2025, 4, 23)),
        ("The terrorist attacks in the valley killed 26 tourists.", (2025, 4, 23)),
    ],
)
def test_kinetic_phrasings_negative(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert CV not in cats(engine, text, day)


# --- C2: accusations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Kyiv accused Moscow of breaking the Easter truce.", (2025, 4, 20)),
        ("The army said the rebels were breaking the ceasefire every night.", IN_TRUCE),
        ("Armenia and Azerbaijan exchanged accusations over the truce on Monday.", (2020, 10, 12)),
        ("The ceasefire was soon clouded by mutual accusations from both armies.", (2025, 7, 30)),
        ("Each side accused the other of firing first, hours into the truce.", (2025, 7, 30)),
        ("Both capitals accuse one another of wrecking the ceasefire.", (2025, 7, 30)),
        ("The army and the rebels blame one another for the shooting during the truce.", IN_TRUCE),
    ],
)
def test_accusation_phrasings(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert CV in cats(engine, text, day)


@pytest.mark.parametrize(
    "text",
    [
        "The two sides exchanged accusations over who stalled the ceasefire talks.",  # C5
        "Any side breaking the truce will be punished, the council warned.",  # C8
        "The minister said no one was breaking the ceasefire.",  # C7 / negation
    ],
)
def test_accusation_phrasings_negative(engine: RuleEngine, text: str) -> None:
    assert CV not in cats(engine, text)


# --- F1: who moves, and how ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # security personnel the guideline counts
        "The governor deployed the National Guard to the capital on Sunday.",
        "Hundreds of guardsmen were sent to the city after the riots.",
        "Turkey has sent commandos to the border with Syria.",
        "A regiment of paratroopers was dispatched to the island.",
        "Two formed police units arrived in Bangui from Rwanda.",
        # arrivals phrased as landing, flying in, pouring in, airlifts
        "Bangladeshi peacekeepers touched down in Juba on Sunday.",
        "Fresh troops poured into the border region overnight.",
        "The soldiers flew in aboard a chartered airliner.",
        "Nigeria airlifted 800 soldiers to the mission area.",
        # orders to a place
        "The Pentagon ordered 1,500 more troops to the southern border.",
        "Trump orders thousands more troops to the southern border",
        # withdrawals phrased as coming home, abandoning positions
        "Thousands of American troops are coming home from Iraq this month.",
        "Malaysian peacekeepers back home after a year in Lebanon",
        "Kurdish fighters abandoned their positions along the border on Monday.",
        # a movement that goes on is not a presence that stays (F11)
        "Israel continues to deploy soldiers and tanks near the border.",
        "More peacekeepers continued to arrive in the capital on Tuesday.",
        # the contributor's own announced plan, with its day between
        "The ministry disclosed plans on Wednesday to send 800 troops to the border.",
    ],
)
def test_movement_phrasings(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "The general ordered his troops to open fire on the crowd.",  # F12: troops ordered to act
        "Israeli evacuation orders force families into ever-smaller areas.",  # orders, the noun
        "The president has not ordered troops to the border, a spokesman said.",  # F7
        "Pakistani drones were seen flying in several districts after the military action.",  # nobody moved
        "Israeli troops continue to hold positions along the line.",  # F11: presence
        "The ministry is considering plans on Wednesday to send troops.",  # F8
        # F11: a record, and a dated aside about the subject's past
        "Kenyan police first arrived in Haiti in June 2024.",
        "The president, who sent troops into the region in 2014, met the envoy on Friday.",
    ],
)
def test_movement_phrasings_negative(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


# --- round two: subjects, advances, records, ideas ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("M23 rebels seized the town of Mulamba despite the Doha agreement.", IN_TRUCE),
        ("Israeli troops advanced toward the centre of Khan Younis after the truce.", IN_TRUCE),
        ("Ukraine says Russia broke its own truce within hours", (2025, 4, 20)),
    ],
)
def test_advances_and_breaks(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert CV in cats(engine, text, day)


@pytest.mark.parametrize(
    "text",
    [
        "Elements of the 101st Airborne Division are deploying to Romania.",  # a division
        "South Korea dispatches anti-piracy unit to Gulf of Aden",  # a unit
        "Nepalese blue helmets took over from the Irish battalion in southern Lebanon.",  # a rotation
        # a long subject between the forces and the verb
        "Some 3,000 additional US troops from the 82nd Airborne Division are being sent to Poland.",
    ],
)
def test_units_and_long_subjects(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # F11: a relative clause dates the movement long before the report: what the force is
        (
            "The soldiers, who were deployed to the mission area in August 2020, built 290 roads.",
            (2021, 6, 29),
        ),
        ("China joined the peacekeeping mission in Liberia in December 2003.", (2008, 4, 30)),
        # F11: a pluperfect posting is the background of the story
        ("The 36th division had been deployed to northern Gaza in the first months of the war.", IN_TRUCE),
        # F8: a deployment weighed as an idea, the gerund the subject of a modal
        ("Therefore, sending this frigate will be a turning point.", IN_TRUCE),
        ("Macron said that sending in ground troops should not be ruled out.", IN_TRUCE),
        ("Deploying foreign soldiers there could inflame the conflict, analysts said.", IN_TRUCE),
        # "sending a message" is no force sent
        ("Any force deployed there would be sent to send a message to the army, he said.", IN_TRUCE),
    ],
)
def test_records_and_ideas_negative(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert FD not in cats(engine, text, day)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # the same movements reported when they happen: the date is the report's own
        ("The soldiers were deployed to the mission area in August 2020.", (2020, 9, 2)),
        ("Kenyan police arrived in Haiti in June 2024.", (2024, 6, 26)),
        # a date in another clause dates something else
        ("The UN is sending troops to the country, which declared independence in July 2011.", (2012, 2, 1)),
        # the gerund that is not a subject: a movement reported
        ("The army is sending 500 more soldiers, which will arrive on Monday.", IN_TRUCE),
        # a dated movement as the clause's own news, however old (F1)
        ("Kenya deployed her troops to Somalia in October 2011.", (2016, 8, 23)),
        # reported speech shifts "have been deployed" to "had been deployed": news, not background
        (
            "Intelligence officials said on Thursday that the first units had been deployed in Kursk.",
            IN_TRUCE,
        ),
    ],
)
def test_records_and_ideas_positive(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert FD in cats(engine, text, day)


# --- C6/C10: when the truce is not in force, or the act is said not to breach it -------------------


def test_israel_named_with_gaza_is_in_gaza() -> None:
    """A party to two truces is placed by the other names of the text; alone it may be in either."""
    assert gazetteer.theatres_in("Israel struck a school in Gaza.") == {"gaza"}
    assert gazetteer.theatres_in("Israel struck a convoy near Tyre in Lebanon.") == {"lebanon"}
    assert gazetteer.theatres_in("Israel struck overnight.") == {"gaza", "lebanon"}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # 2014: the Lebanon truce of the time does not cover a strike in Gaza (C6)
        ("Israel struck a school in Gaza, killing ten people.", (2014, 8, 4)),
        # Thailand–Cambodia between the collapse of the July truce and the December one (C6)
        ("Fighting continued across the border in eight Thai provinces.", (2025, 12, 17)),
        # violence up to the moment a truce begins (C6)
        ("Shelling went on up until the ceasefire began at midnight.", IN_TRUCE),
        ("Rebels held back the attacking troops until a truce was reached.", IN_TRUCE),
        # an act declared not to breach the truce (C10); striking a deal
        ("Washington says the targeted strike doesn't break the truce.", IN_TRUCE),
        ("Egypt boosted its forces in Sinai after striking a deal with Israel.", IN_TRUCE),
    ],
)
def test_no_truce_in_force_or_no_breach(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert CV not in cats(engine, text, day)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Israel struck a school in Gaza, killing ten people.", (2025, 11, 20)),
        ("Israeli drones struck a car near Tyre in Lebanon.", (2015, 6, 1)),  # the 2006 truce
        ("Thai jets struck Cambodian positions as clashes spread along the border.", (2025, 12, 8)),
        ("Cambodian troops fired on Thai positions along the border.", (2026, 1, 5)),  # after 27 December
    ],
)
def test_truce_in_force_by_theatre(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert CV in cats(engine, text, day)


# --- noun-only headlines, and a named contributor's own plan ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Deployment of 500 Kenyan police to Haiti",
        "Arrival of the first Jamaican soldiers in Port-au-Prince",
        "Israeli troop pullback from Gaza City",
        "Withdrawal of rebel militias. Photo: AFP",
        "UNMISS peacekeepers return",
        "Homecoming of the 12th Nepalese contingent",
    ],
)
def test_noun_headlines(engine: RuleEngine, text: str) -> None:
    events = [e for e in engine.classify_text(text) if e.category is FD]
    assert events and events[0].matched


@pytest.mark.parametrize(
    "text",
    [
        "Deployment of Kenyan police to Haiti delayed again",  # what became of it is said
        "Withdrawal of Israeli troops a condition for any deal, Hamas says",  # F9
        "IDF to return to predetermined area",  # F10: the verb in a headline's future
        "Talks focused on the deployment of troops to the border.",  # not a headline
        "Possible deployment of Egyptian troops to Gaza",  # F8
        "Deployment of troops to Gaza: what we know",  # an explainer
    ],
)
def test_noun_headlines_negative(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "The United States plans to withdraw its remaining troops from Syria over the next few months.",
        "NATO plans to reduce its forces in the region by half, a spokesman said.",
        "Canada plans to pull its soldiers out of Latvia next year.",
    ],
)
def test_named_contributor_own_plan(engine: RuleEngine, text: str) -> None:
    """F2: a named contributor's plan for its own forces is its commitment."""
    assert FD in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Officials said the government plans to withdraw its troops next year.",  # nobody named
        "Officials said the US plans to send an international force to the enclave.",  # not its own
        "Analysts say Turkey plans to send troops to the region.",  # no own forces said
    ],
)
def test_plans_stay_plans(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


# --- clause breaks, rotations, presence -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # F7 across "but": the forces belong to the negated clause, not to what is offered
        "The US said it would not send troops to Gaza, but will provide logistics.",
        "President Trump ruled out US boots on the ground, but offered air support.",
        # F11: a present passive posting says where forces are
        "About 10,000 UN troops are stationed in Lebanon.",
        "Some 2,000 soldiers are deployed in the buffer zone.",
        # remains brought home are not a withdrawal
        "Key measures include repatriating fallen soldiers and curbing misinformation.",
    ],
)
def test_clauses_and_presence_negative(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Troops arrived in the capital on Monday but left again on Friday.",  # the first clause holds
        "Salvadoran soldiers joined the Kenyan-led mission in Haiti on Sunday.",  # F1 joining a force
        "The monitoring team began patrolling the ceasefire line on Friday.",  # F5 at work
        "Some 1,000 soldiers of the Nepalese contingent were repatriated after their tour ended.",
        "The peacekeepers were rotated out of Lebanon last week.",
        "More troops are deployed to the border as tensions rise.",  # "deployed to": a movement
    ],
)
def test_clauses_and_rotations_positive(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


def test_rejection_then_own_accusation(engine: RuleEngine) -> None:
    """C7/C2: a rejection followed by "and said ..." starts the speaker's own accusation."""
    text = "Pakistan rejected India's accusations and said Indian forces had violated the ceasefire."
    assert CV in cats(engine, text, (2025, 5, 12))
    assert CV not in cats(
        engine, "Pakistan rejected claims its forces had violated the ceasefire.", (2025, 5, 12)
    )


def test_truce_carries_over_but(engine: RuleEngine) -> None:
    """C2: the truce is the subject of both halves of "took effect ..., but was violated"."""
    text = "A truce agreed on September 4 took effect but was violated on September 17."
    assert CV in cats(engine, text)


# --- more of F1: timed moves, teams, returns, entering vacated ground ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # the forces themselves are the subject of a timed move
        "About 2,000 additional service members are expected to deploy to the border next week.",
        # a team that is a military unit, however many words follow "team"
        "A team of 140 Chinese peacekeepers landed in Hangzhou after a year in Liberia.",
        # a skill of the force, not a training offer (F13)
        "The police officers, who are trained in crowd control, were deployed to the capital.",
        # returns and arrivals home
        "The first batch of 283 soldiers got back on April 20.",
        "The return of the contingent marks the end of the mission.",
        "The second echelon will finish its journey home in the coming days, the army said.",
        # a contingent starting its mission
        "New Moldovan contingent starts peacekeeping mission in Kosovo",
        # the withdrawal named by the noun alone, reported begun
        "Although the withdrawal has begun, it is smaller than expected, the official added.",
        # forces entering ground another force has left
        "Lebanese troops entered the town of Khiam after the Israeli withdrawal.",
        # weapons and aircraft sent to a region (F6)
        "The US deployed more fighter jets to the Middle East.",
    ],
)
def test_more_movements(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Indonesia is expected to deploy troops to the force.",  # F8: who will send
        "A return to normal military positions marks the second phase of the agreement.",  # F10
        "The withdrawal from the treaty has begun, the ministry said.",  # not forces
        "The withdrawal has not begun, officials said.",  # F7
        "Israeli troops entered Jenin at dawn in a large raid.",  # F12: an incursion
        "A medical team of 40 doctors landed in Amman on Monday.",  # F13
    ],
)
def test_more_movements_negative(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Hamas accused Israel of reneging on the ceasefire deal.", IN_TRUCE),
        ("M23 says the Congolese army is ignoring the ceasefire", IN_TRUCE),
        ("Israeli bombardment of Khan Younis continued despite the truce.", IN_TRUCE),
        ("An air raid hit Rafah despite the ceasefire.", IN_TRUCE),
    ],
)
def test_more_violations(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert CV in cats(engine, text, day)


# --- hard negatives in more of their phrasings (F8, F11, C6) ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A deployment of European troops to Ukraine remains uncertain.",  # F8
        "It is unclear when the first troops will arrive.",  # F8
        "A decision on sending troops has not yet been made.",  # F8
        "Troops deployed in the area are on high alert.",  # F11: where forces are
        "Soldiers stationed at the border post came under fire overnight.",  # F11/F12
        "Kenya has deployed peacekeepers to missions across Africa for decades.",  # F11: a tally
    ],
)
def test_hard_negative_phrasings_fd(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


def test_posted_forces_in_a_headline_move(engine: RuleEngine) -> None:
    """ "US troops deployed to Poland" with no verb after it is a headline reporting the move (F1)."""
    assert FD in cats(engine, "US troops deployed to Poland amid tensions")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # C6: a truce only under talks, pressed for
        (
            "Israeli airstrikes killed 50 Palestinians in Gaza, as talks on a ceasefire continued.",
            (2024, 7, 10),
        ),
        ("Russian missiles hit Kyiv as Trump pressed for a ceasefire.", (2025, 11, 20)),
        # the war's toll is background, not an act during the truce
        (
            "Israel's war in Gaza has killed more than 68,000 people, the health ministry says.",
            (2025, 11, 20),
        ),
    ],
)
def test_hard_negative_phrasings_cv(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert CV not in cats(engine, text, day)


def test_truce_named_in_force_still_counts(engine: RuleEngine) -> None:
    assert CV in cats(engine, "Russian missiles hit Kyiv despite the ceasefire.", (2025, 4, 20))


# --- departures and arrivals by sea and air, rotations, decisions --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The 10th batch of Chinese peacekeepers to South Sudan set out from Zhengzhou on Tuesday.",
        "A total of 410 Chinese peacekeepers embarked for Lebanon on Sunday.",
        "A Ghanaian battalion has relieved the outgoing Nigerian contingent.",
        "Two Chinese warships docked in Djibouti on Monday.",
        "The USS Gerald R. Ford strike group moved to the eastern Mediterranean.",  # a middle initial
        "Britain is to send 500 more troops to Estonia.",  # a named contributor's decision (F2)
    ],
)
def test_departures_and_rotations(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Israeli troops are to withdraw within 60 days under the deal.",  # F10
        "The troops are to pull back once the truce holds, the plan says.",  # F10
        "The minister set out plans for the army's future.",  # not a force setting out
    ],
)
def test_departures_and_rotations_negative(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


def test_attack_named_as_a_time(engine: RuleEngine) -> None:
    """ "after the attack" dates another event: no act during the truce is reported (C1)."""
    text = "Indian warships were deployed in the Arabian Sea after the attack."
    assert cats(engine, text, (2025, 5, 20)) == {FD}
    assert CV in cats(
        engine, "Two were killed in Rafah after the Israeli strike on a tent, despite the truce."
    )


# --- F7 across asides, F9 through quotes, F4/F5 observers, police -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # F7: a negation or denial before a short aside between commas
        "The Pentagon said there are no plans, at this point, to deploy troops to Gaza.",
        "Russia denied on Monday, in a statement, that it had moved troops to the border.",
        "Neither Egypt nor Jordan, both close to the talks, will contribute soldiers.",
        # F9/F8: a modal right before a quotation
        'The rebels said the army should "pull back its troops first".',
        # F13: observers of elections and commentators are no mission
        "Election observers arrived in Caracas on Sunday.",
        "Observers said the army had not moved.",
    ],
)
def test_asides_quotes_observers_negative(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # an aside with no negation leaves the movement standing
        "Israeli troops, backed by tanks, pulled out of the camp at dawn.",
        "The army said, in a statement, that it had withdrawn its troops from the ridge.",
        # F5: an observer mission at work; F1: police contingents
        "The observer mission began its work along the border on Friday.",
        "The first UN monitors arrived in Damascus on Sunday.",
        "Riot police were deployed to the square ahead of the protest.",
        "The Chadian gendarmes left for the Central African Republic.",
    ],
)
def test_asides_quotes_observers_positive(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


# --- F8 ways and efforts, F11 habits and recent years, F10 future steps under a deal -----------------


@pytest.mark.parametrize(
    "text",
    [
        "Commanders have been looking for a face-saving way to redeploy troops.",  # F8
        "Officials made an attempt to send more soldiers, without success.",  # F8
        "Previous governments tended to deploy only small numbers of troops.",  # F11: a habit
        "Their presence was boosted in recent years by American troops.",  # F11
        "The police units will be deployed in accordance with the court's order.",  # F10
        "The army will withdraw from the town under the terms of the ceasefire.",  # F10
    ],
)
def test_ways_habits_terms_negative(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # a step reported as under way, even "in accordance with" a deal (F1)
        "The US has started pulling out troops in accordance with the peace deal.",
        "The US has begun moving troops out of the country under the terms of the agreement.",
        "Their arrival brings the total number of troops in the mission to 2,749.",
    ],
)
def test_steps_under_way_positive(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


# --- C6: theatres named by more of their places, and dates written without a year -----------------


@pytest.mark.parametrize(
    ("text", "theatre"),
    [
        ("Shelling hit Sidon on Monday.", "lebanon"),
        ("Drones struck Odesa overnight.", "ukraine"),
        ("Fighters stormed a village near Kadugli.", "sudan"),
        ("Clashes were reported near Walikale.", "drc_m23"),
        ("Firing was reported in Kupwara.", "india_pakistan"),
        ("Government forces bombarded Homs.", "syria"),
    ],
)
def test_more_places_name_their_theatre(text: str, theatre: str) -> None:
    assert theatre in gazetteer.theatres_in(text)


@pytest.mark.parametrize(
    ("text", "day", "violation"),
    [
        # the Annan-plan ceasefire in Syria (April-June 2012)
        ("Activists said Homs was bombarded on Sunday by government forces.", (2012, 4, 16), True),
        ("Activists said Homs was bombarded on Sunday by government forces.", (2012, 1, 19), False),
        # a day written without a year dates the act: 9 October is before the 17 October 2019 pause
        ("Ankara launched a cross-border attack against Syria's Kurds on October 9.", (2019, 10, 20), False),
        ("Turkish shelling hit Ras al-Ain on October 19, the Kurds said.", (2019, 10, 20), True),
    ],
)
def test_theatre_and_date_decide(
    engine: RuleEngine, text: str, day: tuple[int, int, int], violation: bool
) -> None:
    assert (CV in cats(engine, text, day)) is violation


def test_days_without_year() -> None:
    when = extract.days_without_year("attacks on 28 December and on Jan. 2", datetime(2020, 1, 3).date())
    assert [d.isoformat() for d in when] == ["2019-12-28", "2020-01-02"]
    assert extract.days_without_year("on May 3, 2020", datetime(2020, 6, 1).date()) == []


@pytest.mark.parametrize(
    "text",
    [
        "The Pentagon put 8,500 troops on heightened alert for deployment to Europe.",
        "Several thousand more troops have been put on notice that they could be sent to the border.",
    ],
)
def test_troops_put_on_alert(engine: RuleEngine, text: str) -> None:
    """F3: an order that readies troops to deploy."""
    assert FD in cats(engine, text)


def test_troops_on_alert_where_they_are(engine: RuleEngine) -> None:
    assert FD not in cats(engine, "Soldiers at the border posts are on high alert.")


@pytest.mark.parametrize(
    "text",
    [
        # how a statement was made is not talks with a contributor (F8 stays for real talks)
        "Speaking to reporters on Friday, the minister confirmed a battalion had been sent to the border.",
        "Talking to the press, the minister confirmed that a battalion had been sent to the border.",
        # a commanding authority states its own forces' next move (F2)
        "In a statement, the Kremlin said troops would return to their bases after the exercises.",
    ],
)
def test_statements_not_talks(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


def test_talks_with_contributors_stay_talks(engine: RuleEngine) -> None:
    text = "Washington has been talking to the Pentagon's partners about contributing troops."
    assert FD not in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Indonesia says 20,000 troops trained for the Gaza stabilization force",  # F3 preparation
        "ASEAN to Oversee Cambodia-Thailand Border Ceasefire",  # F4/F5 monitors
        "Unarmed UN observers will monitor the ceasefire line, the council said.",
        "Officials said additional Russian manpower was being sent to the region.",  # manpower
    ],
)
def test_preparations_and_monitors(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Egypt and Jordan have trained Palestinian police for the future force.",  # F13
        "Thailand urged ASEAN to monitor the border ceasefire.",  # F9
        "The UN said it was monitoring the situation closely along the border.",
        "Diplomats discussed whether ASEAN would monitor the truce.",  # F8
    ],
)
def test_preparations_and_monitors_negative(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # words of force used for other things, with a truce in force (C1 needs the act)
        "The photo captured the moment the ceasefire was announced in Gaza.",
        "Drones delivered aid to villages in southern Lebanon.",
        "Gaza's residents took control of their lives after the truce.",
        "The ceasefire was broken up into three stages.",
        "Police seized two tonnes of cocaine near the Gaza crossing, despite the truce.",
    ],
)
def test_force_words_used_otherwise(engine: RuleEngine, text: str) -> None:
    assert CV not in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "M23 rebels captured the town of Luofu despite the Doha ceasefire.",
        "The RSF seized control of Babanusa after the truce was declared.",
    ],
)
def test_ground_taken_in_truce(engine: RuleEngine, text: str) -> None:
    assert CV in cats(engine, text)


def test_positions_taken_over(engine: RuleEngine) -> None:
    assert FD in cats(engine, "Lebanese army takes over Hezbollah positions south of Litani")
    assert FD not in cats(engine, "The army will not take over the positions, the general said.")


def test_fire_traded_in_truce(engine: RuleEngine) -> None:
    assert CV in cats(engine, "Hezbollah, Israel trade fire despite truce")
    assert CV in cats(
        engine, "The two armies were trading fire along the border hours after the truce.", (2025, 7, 30)
    )


# --- F1: the forces and their verb across an aside; a movement named as a noun -------------------


@pytest.mark.parametrize(
    "text",
    [
        "Eritrean soldiers, whose presence both governments long denied and residents widely reported, "
        "are pulling out of the border towns.",
        "Eritrean soldiers (whose presence both governments long denied and residents widely reported) "
        "were pulling out of the border towns.",
        "The French withdrawal from the base was completed on Tuesday.",
        "The Ghanaian deployment to the buffer zone began this week.",
        "Peacekeepers made their way to the flashpoint town overnight.",
    ],
)
def test_movements_across_asides_and_named_as_nouns(engine: RuleEngine, text: str) -> None:
    assert FD in cats(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        # the aside is skipped, not the clause: a force that is the object of an attack still is not moving
        "Kenyan soldiers, who had guarded the airport since March, were attacked by gunmen.",
        "A French withdrawal from the base is being discussed by ministers.",  # talks (F8)
        "The plan calls for the disengagement of forces within 30 days.",  # plan terms (F10)
        "Opposition leaders demanded a Russian withdrawal from the region.",  # a demand (F8)
        "The deployment of Ghanaian troops was delayed again.",  # not under way
    ],
)
def test_movements_named_as_nouns_negative(engine: RuleEngine, text: str) -> None:
    assert FD not in cats(engine, text)
