"""ceasefire_violation where the truce is known from the theatre and the date (GUIDELINE C1, C6):
standing armistices and ceasefires of more theatres, the cues that name them (also inside hyphenated
compounds), the arenas where a named country is not a truce party, and phrasings of breaches whose
truce is far from its verb or named as a party's side of the bargain (C2). Sentences written here."""

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


@pytest.mark.parametrize(
    ("theatre", "inside", "outside"),
    [
        ("korea", date(2024, 6, 11), date(1951, 5, 1)),
        ("cyprus", date(2023, 8, 18), date(1974, 7, 25)),
        ("ethiopia_tigray", date(2022, 5, 1), date(2022, 9, 10)),
        ("ethiopia_tigray", date(2023, 3, 1), date(2022, 1, 15)),
        ("kyrgyzstan_tajikistan", date(2021, 5, 2), date(2021, 4, 29)),
        ("kyrgyzstan_tajikistan", date(2022, 9, 20), date(2022, 9, 14)),
        ("transnistria", date(2010, 1, 1), date(1992, 6, 20)),
        ("colombia_eln", date(2024, 1, 10), date(2024, 9, 1)),
        ("sudan", date(2023, 4, 28), date(2023, 4, 16)),
        ("sudan", date(2023, 5, 2), date(2023, 5, 10)),
        ("south_sudan", date(2015, 9, 1), date(2016, 9, 1)),
        ("south_sudan", date(2018, 7, 2), date(2013, 12, 20)),
        ("northern_shan", date(2024, 3, 1), date(2024, 7, 10)),
        ("syria", date(2020, 3, 10), date(2020, 2, 15)),
        ("syria", date(2016, 3, 15), date(2016, 10, 1)),
        ("syria_northeast", date(2019, 10, 20), date(2019, 10, 9)),
        ("libya", date(2020, 1, 20), date(2020, 7, 1)),
        ("gaza", date(2014, 7, 27), date(2014, 7, 22)),
        ("gaza", date(2021, 6, 16), date(2021, 5, 15)),
        ("gaza", date(2023, 5, 20), date(2023, 5, 10)),
        ("ukraine", date(2023, 1, 7), date(2023, 1, 9)),
        ("yemen", date(2016, 4, 11), date(2016, 9, 1)),
        ("ethiopia_tigray", date(2021, 7, 10), date(2021, 12, 1)),
        ("colombia_farc", date(2015, 4, 15), date(2015, 6, 1)),
        ("colombia_eln", date(2017, 11, 1), date(2018, 2, 1)),
        ("philippines_milf", date(2022, 11, 8), date(2008, 9, 1)),
        ("mozambique_renamo", date(2015, 7, 28), date(2014, 8, 1)),
        ("libya", date(2020, 8, 27), date(2020, 8, 15)),
        ("gaza", date(2025, 3, 18), date(2025, 3, 19)),
        ("ukraine", date(2026, 2, 1), date(2026, 2, 4)),
        ("armenia_azerbaijan", date(2024, 2, 25), date(2023, 9, 19)),
        ("sri_lanka", date(2006, 5, 12), date(2008, 6, 1)),
        ("sri_lanka", date(1995, 3, 1), date(1995, 6, 1)),
        ("nepal", date(2003, 6, 22), date(2003, 10, 1)),
        ("nepal", date(2006, 6, 1), date(2025, 9, 9)),
        ("chechnya", date(1996, 6, 2), date(1996, 8, 10)),
        ("chechnya", date(1997, 5, 12), date(1999, 10, 5)),
        ("aceh", date(2003, 2, 1), date(2003, 6, 1)),
        ("abkhazia", date(2001, 10, 8), date(2008, 8, 9)),
        ("ethiopia_eritrea", date(2005, 2, 3), date(1999, 2, 6)),
        ("burundi", date(2003, 4, 27), date(2015, 5, 13)),
        ("tajikistan", date(1996, 2, 26), date(1994, 9, 19)),
        ("turkey_pkk", date(2014, 1, 1), date(2016, 1, 1)),
        ("turkey_pkk", date(2025, 6, 1), date(2024, 10, 23)),
        ("bougainville", date(1999, 1, 1), date(1996, 1, 1)),
        ("ukraine", date(2014, 9, 7), date(2014, 8, 20)),
        ("ukraine", date(2014, 11, 21), date(2015, 2, 1)),
        ("georgia", date(2004, 8, 15), date(2008, 8, 4)),
        ("philippines_npa", date(2019, 12, 25), date(2020, 1, 20)),
        ("philippines_npa", date(2020, 4, 1), date(2020, 5, 1)),
        ("rakhine", date(2023, 6, 1), date(2024, 2, 1)),
        ("colombia_clan", date(2023, 2, 10), date(2023, 4, 1)),
        ("falluja", date(2004, 4, 12), date(2004, 11, 8)),
        ("thailand_south", date(2013, 7, 20), date(2013, 9, 1)),
        ("ivory_coast", date(2004, 11, 4), date(2004, 12, 1)),
        ("darfur", date(2004, 12, 17), date(2004, 3, 1)),
        ("liberia", date(2003, 7, 29), date(2003, 5, 1)),
        ("kosovo", date(1998, 12, 28), date(1999, 4, 10)),
        ("bosnia", date(1995, 2, 9), date(1995, 6, 1)),
        ("sierra_leone", date(1999, 5, 25), date(2000, 6, 1)),
        ("philippines_milf", date(2008, 8, 18), date(2008, 9, 15)),
        ("yemen", date(2009, 9, 20), date(2009, 9, 10)),
        ("gaza", date(2003, 8, 8), date(2003, 9, 1)),
        ("croatia", date(1992, 2, 16), date(1993, 6, 1)),
        ("angola", date(1995, 4, 1), date(1999, 2, 1)),
        ("iraq_mahdi", date(2008, 2, 20), date(2007, 8, 1)),
        ("car", date(2014, 9, 1), date(2014, 6, 1)),
        ("lebanon", date(1997, 7, 8), date(2000, 5, 23)),
        ("pakistan_ttp", date(2022, 11, 16), date(2022, 12, 5)),
        ("drc_cndp", date(2008, 11, 6), date(2008, 10, 20)),
        ("drc_lusaka", date(2000, 8, 10), date(2003, 3, 1)),
        ("sudan_spla", date(2003, 3, 1), date(2001, 6, 1)),
        ("liberia", date(1996, 4, 12), date(1996, 6, 1)),
        ("south_sudan", date(2016, 7, 11), date(2016, 8, 1)),
        ("darfur", date(2010, 4, 6), date(2010, 6, 1)),
        ("iraq_mahdi", date(2008, 3, 25), date(2008, 6, 1)),
        ("aleppo_sdf", date(2025, 12, 22), date(2025, 10, 6)),
        ("drc_m23", date(2025, 4, 10), date(2025, 2, 10)),
    ],
)
def test_truce_windows(theatre: str, inside: date, outside: date) -> None:
    assert gazetteer.THEATRES[theatre].truce_in_force(inside)
    assert not gazetteer.THEATRES[theatre].truce_in_force(outside)


@pytest.mark.parametrize(
    ("text", "theatre"),
    [
        ("New clashes broke out on the Armenian-Azerbaijani border overnight.", "armenia_azerbaijan"),
        ("Baku and Yerevan blamed each other for the shooting.", "armenia_azerbaijan"),
        ("Indo-Pak troops exchanged fire in the Akhnoor sector.", "india_pakistan"),
        ("S.Korea fires warning shots as N.Korean soldiers cross the border", "korea"),
        ("Soldiers crossed the Military Demarcation Line on Sunday.", "korea"),
        ("A Turkish Cypriot checkpoint near Nicosia was expanded.", "cyprus"),
        ("The TPLF said federal forces shelled Alamata.", "ethiopia_tigray"),
        ("Kyrgyz and Tajik border guards exchanged fire near Batken.", "kyrgyzstan_tajikistan"),
        ("SPLA-IO forces attacked government positions near Yei.", "south_sudan"),
        ("The TNLA said junta troops shelled its positions near Lashio.", "northern_shan"),
        ("Regime forces shelled villages south of Idleb.", "syria"),
        ("Sea Tigers attacked a navy convoy off Trincomalee.", "sri_lanka"),
        ("The army said it clashed with rebels in Jajarkot, western Nepal.", "nepal"),
        ("Russian artillery pounded villages south of Grozny.", "chechnya"),
        ("GAM rebels ambushed an army patrol near Lhokseumawe.", "aceh"),
        ("Shells landed near Sukhumi after midday.", "abkhazia"),
        ("Troops moved into the Temporary Security Zone near Badme.", "ethiopia_eritrea"),
        ("The FNL shelled the outskirts of Bujumbura.", "burundi"),
        ("Opposition units resumed combat near Tavildara.", "tajikistan"),
        ("Turkish jets struck PKK camps in the Qandil mountains.", "turkey_pkk"),
        ("Fighting flared again near Arawa.", "bougainville"),
        ("A drone attack struck a vehicle near Nabatiyeh.", "lebanon"),
        ("BSF personnel came under fire from across the border in Samba.", "india_pakistan"),
        ("The drone fired at an excavator on the Kfardounin–Deir Kifa road.", "lebanon"),
    ],
)
def test_cues_name_their_theatre(text: str, theatre: str) -> None:
    assert theatre in gazetteer.theatres_in(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # an ally in another war, not an armistice party
        ("North Korean units trained in Russia were deployed in the Kursk region.", "korea"),
        # Eritrea is no party to the Tigray truces (C9)
        ("Eritrean soldiers were accused of killing civilians in Tigray after the truce.", "ethiopia_tigray"),
        # "sudan" inside "South Sudan" is not the Sudan of the army and the RSF
        ("The South Sudanese army clashed with rebels in Upper Nile.", "sudan"),
        # the Kurdish north-east is not the arena of Idlib's truces
        ("Turkish drones struck Kurdish positions near Qamishli.", "syria"),
        # Egypt's Rafah and its Sinai campaign are not the Gaza truce's arena
        ("Egypt boosted troop numbers around Rafah in Sinai against Islamic State militants.", "gaza"),
        # Russia's forces in Belarus, with nothing of Ukraine named, are not on the Donbas line
        ("Russian troops arrived in Belarus for joint drills.", "ukraine"),
        # Israel's strikes in Syria are not between the parties of Syria's truces
        ("Israeli jets struck targets near Damascus overnight.", "syria"),
        # India's Border Security Force on the Bangladesh border is not on the Line of Control
        ("BSF personnel shot dead a Bangladeshi man near the border fence.", "india_pakistan"),
        # Ethiopia alone is not the Tigray arena: the Amhara conflict has no truce here
        ("An Ethiopian drone strike killed 30 people in Amhara.", "ethiopia_tigray"),
    ],
)
def test_arenas_that_are_not_the_truce_theatre(text: str, absent: str) -> None:
    assert absent not in gazetteer.theatres_in(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "South Korean troops fired warning shots after North Korean soldiers crossed the border.",
            (2024, 6, 11),
        ),
        ("Tigrayan forces and federal troops clashed near Kobo on Wednesday, the TPLF said.", (2022, 8, 24)),
        ("Kyrgyz forces opened fire on three Tajik border villages.", (2022, 9, 17)),
        ("Israeli strikes in Lebanon have continued despite a ceasefire struck last year.", (2025, 11, 20)),
        ("Tuesday's escalation on the Armenian border came two years after the 2020 war.", (2022, 9, 13)),
        ("Azerbaijan shoots down an Armenian military helicopter near Karabakh.", (2014, 11, 12)),
        (
            "Israeli jets struck Gaza after incendiary balloons were launched from the territory.",
            (2021, 6, 16),
        ),
        ("The MILF and government troops clashed in Basilan.", (2022, 11, 10)),
        ("Renamo attacked a police unit in Tete province.", (2015, 7, 14)),
        ("Heavy shelling rocked Khartoum as the army and the RSF fought on.", (2023, 4, 28)),
        ("In the night, new clashes broke out on the Armenian-Azerbaijani border.", (2022, 9, 13)),
        # an offensive launched, fire returned, a line crossed (C1)
        ("Azerbaijan launched an offensive on Armenian positions.", (2022, 9, 13)),
        ("The Indian side retaliated with heavy gun fire.", (2023, 10, 27)),
        ("Armenia said its troops took retaliatory actions against Azerbaijani forces.", (2022, 9, 13)),
        ("Ethiopian troops and Tigrayan fighters engaged in combat near Kobo.", (2022, 8, 24)),
        ("North Korean soldiers crossed the Military Demarcation Line on Sunday.", (2024, 6, 11)),
        ("North Korean soldiers violated the military demarcation line, Seoul said.", (2024, 6, 11)),
        ("Suspected LTTE cadres killed eight sailors in a claymore attack on a navy bus.", (2006, 5, 12)),
        ("Chechen fighters attacked a Russian checkpoint near Shali.", (1996, 6, 2)),
        ("Maoists opened fire on an army patrol in Rolpa, Nepal.", (2003, 6, 22)),
    ],
)
def test_kinetic_in_a_known_truce(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert cv(engine, text, day)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # weapons tests are not acts against the other party (C9)
        ("North Korea fired a ballistic missile into the sea on Tuesday.", (2024, 6, 11)),
        ("North Korea test-fired two cruise missiles, Seoul said.", (2024, 6, 11)),
        # acts before the truce took effect (C6)
        (
            "In the hours leading up to the ceasefire, jets intensified their airstrikes on Gaza.",
            (2025, 10, 10),
        ),
        # a counter-insurgency encounter is not between the truce's parties (C9)
        (
            "One terrorist was killed by the forces in an encounter in Kashmir's Shopian district.",
            (2023, 11, 9),
        ),
        # a truce agreed in words the truce list did not know, a right reserved, a rule of engagement (C5, C8)
        ("The two armies agreed to cease firing along the Line of Control from midnight.", (2021, 2, 25)),
        ("Both sides reserved their right to respond to truce breaches.", (2020, 1, 12)),
        (
            "Rebel forces were directed to cease all hostilities and act only in self-defence when attacked.",
            (2018, 7, 2),
        ),
        # fire at or near peacekeepers' patrols is not between the truce parties (C9)
        ("Israeli drone, tank fire target UNIFIL patrol in southern Lebanon", (2025, 10, 26)),
        ("Israeli fire in southern Lebanon injures peacekeeper", (2025, 12, 27)),
        # peacekeepers fired at are not a truce party; a landmine going off is no act of the day (C9)
        ("Israeli soldiers had shot at UNIFIL peacekeepers from a tank near Naqoura.", (2025, 3, 1)),
        ("A Thai soldier was injured after stepping on a landmine near the Cambodian border.", (2025, 8, 12)),
        # a deal struck, a weapon system, an aircraft type (C5, F11)
        ("Ceasefire Agreement Struck Between the Junta and the Brotherhood Alliance", (2024, 1, 12)),
        ("Crews of the S-400 missile system went on combat duty near Donetsk.", (2021, 5, 1)),
        # an offensive that is no act of war
        ("Seoul launched a charm offensive towards Pyongyang.", (2024, 6, 11)),
        # a year that names a war dates its acts in no truce, even where truces came and went that year
        ("The film recounts the 2014 Gaza war and its airstrikes.", (2025, 11, 5)),
        ("Veterans of the 2021 conflict recalled the airstrikes on Gaza City.", (2025, 11, 5)),
        # a weapon's name is no act
        ("RSF fighters wave assault rifles in footage released on Sunday in Khartoum.", (2023, 4, 30)),
        # the same acts outside the windows (C6)
        ("Tigrayan forces and federal troops clashed near Kobo on Wednesday, the TPLF said.", (2021, 12, 1)),
        ("Heavy shelling rocked Khartoum as the army and the RSF fought on.", (2023, 4, 17)),
        ("Chechen fighters attacked a Russian checkpoint near Shali.", (1999, 11, 2)),
        # the peace of a past war's truce is no truce of today's unrest
        ("Police opened fire on protesters in Kathmandu, killing 19 people.", (2025, 9, 9)),
        ("Suspected LTTE cadres killed eight sailors in a claymore attack on a navy bus.", (2008, 6, 1)),
    ],
)
def test_not_a_breach(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert not cv(engine, text, day)


@pytest.mark.parametrize(
    "text",
    [
        # accusations in more forms (C2)
        "Kinshasa and the rebels trade claims of violations of the ceasefire in Goma",
        "The deadline passed without progress, with each side accusing the other of violations of the truce.",
        # a party's "end of the ceasefire" is its side of the bargain, not the truce's end
        "Hamas officials claimed Israel violated their end of the ceasefire agreement.",
        "The rebels said the army had broken its end of the truce.",
        # a truce far from its passive verb
        "The 72-hour truce that the army and the paramilitary group agreed in the capital on Friday under"
        " pressure from mediators has been violated.",
        # the truce's end is the act that breaks it (C3)
        "Truce ends with new fighting between the army and the rebels",
        # an adverb inside the violation phrase
        "Residents said the army was not fully respecting the ceasefire.",
    ],
)
def test_breach_phrasings(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2025, 11, 20))


@pytest.mark.parametrize(
    "text",
    [
        "The rebels attacked the town after the end of the ceasefire.",
        "The truce ended with the signing of a peace deal.",
        "The 72-hour truce that the army and the paramilitary group agreed in the capital on Friday under"
        " pressure from mediators has not been violated.",
        "Rebels said the truce that was agreed in the capital on Friday might be violated if talks fail.",
    ],
)
def test_not_breach_phrasings(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2019, 1, 10))


@pytest.mark.parametrize(
    ("text", "day", "violation"),
    [
        # Aleppo's Kurdish-held districts, under the government–SDF ceasefire of October 2025
        ("Intense clashes occurred between army and SDF forces around Sheikh Maqsoud.", (2025, 12, 23), True),
        ("Government forces shelled Ashrafiyeh, killing one civilian.", (2025, 12, 23), True),
        ("Intense clashes occurred between army and SDF forces around Sheikh Maqsoud.", (2025, 10, 6), False),
        # Beirut's Ashrafieh is not Aleppo's
        ("A drone struck a car in Ashrafieh, killing two.", (2023, 11, 10), False),
        # the AFC/M23's unilateral ceasefire of 22 February 2025: attacks after it are its breaches (C4)
        ("Congolese forces launched attacks on rebel positions in Walikale and Masisi.", (2025, 4, 10), True),
        (
            "Congolese forces launched attacks on rebel positions in Walikale and Masisi.",
            (2025, 2, 10),
            False,
        ),
    ],
)
def test_truces_of_2025_in_aleppo_and_the_kivus(
    engine: RuleEngine, text: str, day: tuple[int, int, int], violation: bool
) -> None:
    assert cv(engine, text, day) is violation


@pytest.mark.parametrize(
    ("text", "day", "violation"),
    [
        # fire as the act itself: aimed at a side's positions, answered, or from across the line (C1)
        ("Armenian forces periodically fire on positions of the Azerbaijani army.", (2021, 12, 8), True),
        ("North Korean soldiers fire on a South Korean guard post.", (2024, 6, 11), True),
        (
            "A mine blast near the Line of Control led to cross-border fire from both sides.",
            (2025, 6, 2),
            True,
        ),
        ("The Azerbaijani forces retaliated against the fire, said the ministry.", (2021, 12, 8), True),
        ("The opposing side was silenced with return fire, the Armenian ministry said.", (2021, 12, 8), True),
        (
            "The Israeli military reported hitting dozens of rocket launchers in southern Lebanon.",
            (2025, 3, 22),
            True,
        ),
        # the same acts where no truce was in force, and fire that is a blaze
        (
            "The Israeli military reported hitting dozens of rocket launchers in southern Lebanon.",
            (2024, 3, 22),
            False,
        ),
        ("Firefighters brought the fire in Gaza City under control after six hours.", (2025, 11, 20), False),
    ],
)
def test_fire_aimed_or_answered(
    engine: RuleEngine, text: str, day: tuple[int, int, int], violation: bool
) -> None:
    assert cv(engine, text, day) is violation


@pytest.mark.parametrize(
    ("text", "violation"),
    [
        # a truce reached after the acts: the sentence is about the new truce (C5, C6), even where the
        # theatre had one in force already
        (
            "A ceasefire has been reached in Sheikh Maqsoud in Aleppo after intense clashes.",
            False,
        ),
        ("Ceasefire reached in Aleppo after SDF and government clashes", False),
        ("The truce follows one of the fiercest flare-ups in Aleppo in months.", False),
        # the truce first, then the acts; or a truce ended by them (C1, C3)
        ("The truce in Aleppo was followed by fresh clashes around Sheikh Maqsoud.", True),
        ("A ceasefire agreed in October collapsed this week after fresh clashes in Aleppo.", True),
    ],
)
def test_truce_reached_after_the_acts(engine: RuleEngine, text: str, violation: bool) -> None:
    assert cv(engine, text, (2025, 12, 23)) is violation


@pytest.mark.parametrize(
    ("text", "violation"),
    [
        # a war's cumulative toll is its record (C6); a toll counted since the truce is the breaches' (C1)
        (
            "Israel's offensive in Gaza has killed more than 71,000 Palestinians, health authorities say.",
            False,
        ),
        ("The two-year offensive has killed more than 72,000 people and wounded more than 171,000.", False),
        ("Israeli strikes since the ceasefire took effect have killed more than 1,000 people in Gaza.", True),
        ("Israeli air strikes have killed at least 12 people in Gaza, medics said.", True),
    ],
)
def test_a_wars_toll_is_its_record(engine: RuleEngine, text: str, violation: bool) -> None:
    assert cv(engine, text, (2026, 1, 5)) is violation


# --- round twelve: strikes after the news of a truce, before it takes effect (C6) ----------------


@pytest.mark.parametrize(
    "text",
    [
        "Airstrikes killed dozens across the territory after news of a ceasefire deal on Wednesday.",
        "Shelling went on overnight despite the ceasefire announcement, residents said.",
        "Warplanes struck the capital hours before an impending ceasefire between the two sides.",
    ],
)
def test_acts_before_an_announced_truce_takes_effect_are_no_breach(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2031, 3, 5))


def test_acts_despite_a_truce_in_force_still_breach_it(engine: RuleEngine) -> None:
    assert cv(engine, "Shelling went on overnight despite the ceasefire, residents said.", (2031, 3, 5))


@pytest.mark.parametrize(
    "text",
    [
        # a demand that a named party stop its breaches presupposes them (C2)
        "The group urged the guarantors to make Israel halt its ceasefire violations in Gaza.",
        # an agreement named by its own name, in a theatre whose truce is in force (C2)
        "Officials in Gaza say the army's latest moves violate the Sharm el-Sheikh Agreement.",
        # the parties blame each other for fighting where a truce is in force (C2)
        "Both sides in Gaza accused each other of igniting a new surge of violence.",
    ],
)
def test_breaches_presupposed_named_or_blamed_under_a_truce(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2025, 11, 20))


def test_ending_violations_does_not_end_the_truce() -> None:
    from monitor.rules.engine import _ended_truce_named
    from monitor.rules.terms import tokenize

    assert not _ended_truce_named(tokenize("Israel must end violations before the ceasefire moves on."))
    assert _ended_truce_named(tokenize("Clashes resumed after the army moved to end the ceasefire."))


@pytest.mark.parametrize(
    "text",
    [
        # monitors sent to stop violations in general assert none (C10)
        "Officials were sent to Gaza as ceasefire monitors in an attempt to stop truce violations.",
        # blame for talks is no breach (C10)
        "Israel and Hamas blamed each other for the stalled talks in Cairo.",
    ],
)
def test_purposes_and_blame_for_talks_are_no_breach(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2025, 11, 20))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # the theatres added in round twelve, named by their parties or places
        ("NPA rebels ambushed an army patrol in Iloilo, the military said.", (2019, 12, 25)),
        ("Artillery shelled the outskirts of Mariupol overnight, the city council said.", (2014, 9, 7)),
        ("Mortar shells hit Tskhinvali, injuring ten people.", (2005, 9, 21)),
        ("The Arakan Army attacked two border posts in Rathedaung township.", (2023, 11, 13)),
        # a headline whose truce is threatened by the acts it names; a rocket in a headline's present
        ("Ukraine ceasefire threatened following shelling near Mariupol", (2014, 9, 7)),
        ("Gaza Militants Fire Rocket at Israeli Town, Despite Truce", (2012, 3, 13)),
        ("Violence Spoils Start of Christmas Truce with Communist Rebels", (2019, 12, 23)),
    ],
)
def test_round_twelve_truces_and_headlines(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert cv(engine, text, day)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # the same acts outside the truces' windows (C6)
        ("NPA rebels ambushed an army patrol in Iloilo, the military said.", (2019, 11, 20)),
        ("Artillery shelled the outskirts of Mariupol overnight, the city council said.", (2014, 8, 20)),
        ("The Arakan Army attacked two border posts in Rathedaung township.", (2024, 2, 1)),
    ],
)
def test_round_twelve_acts_outside_the_windows(
    engine: RuleEngine, text: str, day: tuple[int, int, int]
) -> None:
    assert not cv(engine, text, day)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # India's navy against attacks on shipping is not on the Line of Control (C6)
        (
            "India's navy deployed warships in the Arabian Sea after a string of attacks on merchant ships.",
            (2023, 12, 27),
        ),
        # Tripoli's armed groups clashing with each other are no parties to the Libyan truce (C9)
        ("Clashes erupted between Rada and the 444 Brigade in Tripoli, killing 55 people.", (2023, 8, 16)),
    ],
)
def test_arenas_that_are_not_the_truce(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert not cv(engine, text, day)


def test_the_truce_parties_still_breach_it(engine: RuleEngine) -> None:
    assert cv(engine, "Haftar's forces shelled Tripoli's southern suburbs overnight.", (2021, 3, 5))
    assert cv(engine, "Pakistani troops fired across the Line of Control in Poonch.", (2023, 12, 27))


@pytest.mark.parametrize(
    "text",
    [
        "Rebels, troops break truce in the hills",
        "Landmine blast threatens truce in the north",
        "Recent violence and attacks on the monitors have seriously jeopardised the truce.",
        "It is not the first time the rebels have violated the ceasefire on a national holiday.",
        "By the weekend the unravelling of the ceasefire was complete.",
    ],
)
def test_headline_breaks_threats_and_unravelling(engine: RuleEngine, text: str) -> None:
    assert cv(engine, text, (2031, 3, 5))


@pytest.mark.parametrize(
    "text",
    [
        "Rebels threaten to break truce if talks fail",
        "Any new attack could threaten the truce, officials warned.",
        "Blast rocks the capital moments after the ceasefire is announced",
        "The rebels have not violated the ceasefire, the monitors said.",
    ],
)
def test_threats_to_come_and_denials_are_no_breach(engine: RuleEngine, text: str) -> None:
    assert not cv(engine, text, (2031, 3, 5))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Government jets bombed rebel positions in Bouake, the New Forces said.", (2004, 11, 4)),
        ("Serb gunners fired three grenades at Bosnian positions in Sarajevo.", (1995, 2, 9)),
        ("Heavy fighting broke out near Podujevo between Serb police and the KLA.", (1998, 12, 28)),
        ("LURD fighters shelled Monrovia's port on Monday.", (2003, 7, 29)),
    ],
)
def test_round_twelve_second_cycle_truces(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert cv(engine, text, day)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "Katyusha rockets slammed into northern Israel after Hezbollah fighters fired from Lebanon.",
            (1997, 7, 8),
        ),
        ("Mahdi Army fighters clashed with Iraqi and US soldiers in Sadr City overnight.", (2008, 2, 20)),
        ("Government troops attacked UNITA strongholds in Huila province.", (1995, 4, 1)),
        ("Fighting was reported near Sisak and around Zadar, the Croatian radio said.", (1992, 2, 16)),
    ],
)
def test_round_twelve_third_cycle_truces(engine: RuleEngine, text: str, day: tuple[int, int, int]) -> None:
    assert cv(engine, text, day)


def test_acts_in_the_countdown_to_a_truce_are_before_it(engine: RuleEngine) -> None:
    text = "In the countdown to the 2am ceasefire, rocket salvoes continued and jets struck the town."
    assert not cv(engine, text, (2031, 3, 5))
    assert cv(
        engine, "Despite the ceasefire, rocket salvoes continued and jets struck the town.", (2031, 3, 5)
    )
