"""Places → zones, with approximate centroids for maps, and the truce windows of each theatre.

Centroids are approximate (about ±5 km for Gaza's governorates and crossings, ±50 km for the larger
theatres): good enough to put a marker on a map, not for targeting or distance measurements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from monitor.models import UNLOCATED
from monitor.rules.phrases import PhraseIndex

ZoneKind = Literal["governorate", "crossing", "line", "safe_zone", "theatre", "unlocated"]


@dataclass(frozen=True, slots=True)
class Zone:
    """A named area events are grouped by; ``parent`` is the enclosing zone (None at the top)."""

    name: str
    kind: ZoneKind
    lat: float
    lon: float
    parent: str | None = None
    theatre: str | None = None


@dataclass(frozen=True, slots=True)
class Theatre:
    """A conflict and the periods a truce between its parties was in force (end None: still in force)."""

    key: str
    name: str
    truces: tuple[tuple[date, date | None], ...]

    def truce_in_force(self, day: date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.truces)

    def truce_begins(self, day: date) -> bool:
        """Whether a truce took effect on ``day`` (and none was in force already)."""
        return any(start == day for start, _ in self.truces) and not any(
            start < day and (end is None or day <= end) for start, end in self.truces
        )


THEATRES: dict[str, Theatre] = {
    t.key: t
    for t in (
        # Gaza: the truces of 2008–2023, the Nov 2023 pause, the Jan–Mar 2025 ceasefire, the Oct 2025 one
        Theatre(
            "gaza",
            "Gaza",
            (
                # the Egyptian-brokered truce of June 2008 (until the raid of 4 November), the ceasefires
                # that ended Cast Lead (18 January 2009) and Pillar of Defence (21 November 2012)
                # the factions' hudna of 29 June 2003, until Hamas and Islamic Jihad called it off on
                # 21 August 2003
                (date(2003, 6, 29), date(2003, 8, 21)),
                (date(2008, 6, 19), date(2008, 11, 3)),
                (date(2009, 1, 18), date(2012, 11, 13)),
                (date(2012, 11, 21), date(2014, 7, 7)),
                # 2014: Israel's acceptance of the Egyptian proposal (15 July), the humanitarian windows
                # of 17 and 26-27 July, the 72-hour truces of 1 and 5-19 August, the open-ended
                # ceasefire of 26 August, which held, with flare-ups, until May 2021
                (date(2014, 7, 15), date(2014, 7, 15)),
                (date(2014, 7, 17), date(2014, 7, 17)),
                (date(2014, 7, 26), date(2014, 7, 27)),
                (date(2014, 8, 1), date(2014, 8, 1)),
                (date(2014, 8, 5), date(2014, 8, 19)),
                (date(2014, 8, 26), date(2021, 5, 9)),
                # the ceasefires of 21 May 2021, 7 August 2022 and 13 May 2023
                (date(2021, 5, 21), date(2022, 8, 4)),
                (date(2022, 8, 7), date(2023, 5, 8)),
                (date(2023, 5, 13), date(2023, 10, 6)),
                (date(2023, 11, 24), date(2023, 11, 30)),
                # the January 2025 ceasefire, to the strikes of the early hours of 18 March that ended it
                (date(2025, 1, 19), date(2025, 3, 18)),
                (date(2025, 10, 10), None),
            ),
        ),
        # the 2006 cessation of hostilities (UNSC 1701) until Oct 2023, and the Nov 2024 ceasefire
        # the Israel–Hezbollah understandings of July 1993 and April 1996 until Israel left southern
        # Lebanon (from 22 May 2000); then the 2006 cessation of hostilities
        Theatre(
            "lebanon",
            "Israel–Lebanon",
            (
                (date(1993, 7, 31), date(2000, 5, 21)),
                (date(2006, 8, 14), date(2023, 10, 7)),
                (date(2024, 11, 27), None),
            ),
        ),
        # the July 2025 ceasefire until the December 2025 clashes, and the 27 December 2025 ceasefire
        Theatre(
            "thailand_cambodia",
            "Thailand–Cambodia",
            ((date(2025, 7, 28), date(2025, 12, 8)), (date(2025, 12, 27), None)),
        ),
        # the 2003 Line of Control ceasefire (reaffirmed Feb 2021) until Operation Sindoor, and 10 May 2025
        Theatre(
            "india_pakistan",
            "India–Pakistan",
            ((date(2003, 11, 26), date(2025, 5, 6)), (date(2025, 5, 10), None)),
        ),
        # Minsk II until the invasion; the energy moratorium (30 days from 18 March 2025); the Easter truce;
        # the Victory Day truce
        Theatre(
            "ukraine",
            "Russia–Ukraine",
            (
                # Poroshenko's unilateral ceasefire of 20–30 June 2014, and the Minsk Protocol's of 5
                # September 2014, until its collapse in the fighting for Donetsk airport (January 2015)
                (date(2014, 6, 20), date(2014, 6, 30)),
                (date(2014, 9, 5), date(2015, 1, 22)),
                (date(2015, 2, 15), date(2022, 2, 23)),
                # Russia's unilateral Orthodox Christmas truce, noon 6 January to midnight 7 January 2023
                (date(2023, 1, 6), date(2023, 1, 7)),
                (date(2025, 3, 18), date(2025, 4, 17)),
                (date(2025, 4, 19), date(2025, 4, 21)),
                # the Victory Day truce, midnight 7–8 May to midnight 10–11 May 2025
                (date(2025, 5, 8), date(2025, 5, 11)),
                # the pause in strikes on energy facilities in the cold of late January 2026, from the
                # night of Friday 30 January until Russia's barrage of 3 February
                (date(2026, 1, 30), date(2026, 2, 3)),
            ),
        ),
        # the truces of April 2023 (the Eid truce from 6 am on 21 April, the US-brokered 72-hour truce of
        # 24-25 April and its two 72-hour extensions, to 3 May), the Jeddah short-term
        # ceasefire (in force 22 May 2023, 21:45; extended five days on 29 May), and the RSF's declared
        # acceptance of a humanitarian truce (6 Nov 2025)
        Theatre(
            "sudan",
            "Sudan",
            (
                (date(2023, 4, 21), date(2023, 5, 3)),
                (date(2023, 5, 22), date(2023, 6, 3)),
                (date(2025, 11, 6), None),
            ),
        ),
        # Luanda (Nov 2022) until the Oct 2023 fighting; Aug 2024 Luanda until Goma fell; the AFC/M23's
        # unilateral ceasefire of 22 February 2025, the Doha declaration of April and Doha (Jul 2025)
        Theatre(
            "drc_m23",
            "DRC–M23",
            (
                (date(2022, 11, 25), date(2023, 10, 6)),
                (date(2024, 8, 4), date(2025, 1, 25)),
                (date(2025, 2, 22), None),
            ),
        ),
        # the 2015 humanitarian pause, the October 2016 three-day truce and the 48-hour truce from noon
        # on 19 November 2016, the Stockholm/Hodeidah ceasefire, the 2022 UN truce
        Theatre(
            "yemen",
            "Yemen",
            (
                (date(2015, 5, 12), date(2015, 5, 17)),
                # the cessation of hostilities of 10 April 2016, until the Kuwait talks ended in August
                (date(2016, 4, 10), date(2016, 8, 6)),
                # the Saada war's humanitarian truce of 4 September 2009 and the Eid truce of 19 September
                (date(2009, 9, 4), date(2009, 9, 5)),
                (date(2009, 9, 19), date(2009, 9, 21)),
                (date(2016, 10, 20), date(2016, 10, 22)),
                (date(2016, 11, 19), date(2016, 11, 21)),
                (date(2018, 12, 18), date(2021, 11, 30)),
                (date(2022, 4, 2), date(2022, 10, 2)),
            ),
        ),
        Theatre("sweida", "Syria–Sweida", ((date(2025, 7, 16), None),)),
        # the 1994 Bishkek ceasefire until Sep 2020, the Oct 2020 humanitarian truces, the Nov 2020 ceasefire,
        # the Sep 2023 ceasefire
        Theatre(
            "armenia_azerbaijan",
            "Armenia–Azerbaijan",
            (
                (date(1994, 5, 12), date(2020, 9, 26)),
                (date(2020, 10, 10), date(2020, 11, 9)),
                (date(2020, 11, 10), date(2023, 9, 18)),
                # the ceasefire of 20 September 2023 that ended Azerbaijan's offensive, the border
                # regime since and the peace agreement initialled in August 2025
                (date(2023, 9, 20), None),
            ),
        ),
        # the Sep 2018 Tripoli truce until the Apr 2019 offensive, and the 2020 truces
        Theatre(
            "libya",
            "Libya",
            (
                (date(2018, 9, 4), date(2019, 4, 3)),
                # the Turkish–Russian truce of 12 January 2020, until the GNA's push of early June
                (date(2020, 1, 12), date(2020, 6, 4)),
                # the ceasefire both governments declared on 21 August 2020, made national on 23 October
                (date(2020, 8, 21), None),
            ),
        ),
        # the Annan-plan ceasefire (12 April 2012, until the UN observers suspended their work on 16
        # June); the US–Russian cessation of hostilities of 27 February 2016, nominally in force until the
        # truce of 12–19 September 2016 replaced it; the Sochi memorandum on Idlib (17
        # September 2018, until the offensive of late April 2019), the truce of 31 August 2019 (until the
        # December offensive), that of 12 January 2020, and the Moscow ceasefire of 6 March 2020 (until
        # the offensive of 27 November 2024)
        Theatre(
            "syria",
            "Syria",
            (
                (date(2012, 4, 12), date(2012, 6, 16)),
                (date(2016, 2, 27), date(2016, 9, 19)),
                (date(2018, 9, 17), date(2019, 4, 29)),
                (date(2019, 8, 31), date(2019, 12, 18)),
                (date(2020, 1, 12), date(2020, 1, 26)),
                (date(2020, 3, 6), date(2024, 11, 26)),
            ),
        ),
        # the ceasefire that ended the twelve-day war (in effect 24 June 2025, 06:08 GMT)
        Theatre("israel_iran", "Israel–Iran", ((date(2025, 6, 24), None),)),
        # the junta's post-earthquake ceasefire (from 2 April 2025, extended to 30 April, 31 May, 30 June)
        Theatre("myanmar", "Myanmar", ((date(2025, 4, 2), date(2025, 6, 30)),)),
        # the Sochi (Dagomys) ceasefire of June 1992 and the joint peacekeeping force it set up, to the
        # end of July 2008; Saakashvili's unilateral ceasefire of the evening of 7 August 2008, broken
        # that night, and the six-point ceasefire of 12 August 2008 (the week of skirmishes before 7
        # August is read as the war's start, no truce's)
        Theatre(
            "georgia",
            "Georgia–South Ossetia",
            (
                (date(1992, 6, 28), date(2008, 7, 31)),
                (date(2008, 8, 7), date(2008, 8, 8)),
                (date(2008, 8, 12), None),
            ),
        ),
        # the UN-monitored 1991 ceasefire (MINURSO, 6 September 1991) until the Polisario declared it
        # over on 13 November 2020
        Theatre("western_sahara", "Western Sahara", ((date(1991, 9, 6), date(2020, 11, 12)),)),
        # Afghanistan–Pakistan: the 48-hour truce took effect at 6 pm on 15 October 2025 (the reports of
        # that day are of the fighting before it), was extended on 17 October until the Doha talks, and
        # the Doha ceasefire of 19 October; still upheld by both sides after the Istanbul talks failed
        Theatre("afghanistan_pakistan", "Afghanistan–Pakistan", ((date(2025, 10, 16), None),)),
        # the Korean War armistice of 27 July 1953, never replaced by a peace treaty: the Military
        # Demarcation Line and the DMZ are its lines
        Theatre("korea", "Korea", ((date(1953, 7, 27), None),)),
        # the de facto ceasefire of 16 August 1974 along the lines UNFICYP has patrolled since
        Theatre("cyprus", "Cyprus", ((date(1974, 8, 16), None),)),
        # Ethiopia–Tigray: the humanitarian truce declared on 24 March 2022, broken by the offensive of
        # the morning of 24 August 2022, and the Pretoria cessation of hostilities of 2 November 2022
        Theatre(
            "ethiopia_tigray",
            "Ethiopia–Tigray",
            (
                # the government's unilateral ceasefire of 28 June 2021, until the state of emergency
                (date(2021, 6, 28), date(2021, 11, 2)),
                (date(2022, 3, 24), date(2022, 8, 24)),
                (date(2022, 11, 2), None),
            ),
        ),
        # Kyrgyzstan–Tajikistan: the ceasefire agreed on the evening of 29 April 2021 (renewed on 1 May)
        # and the one agreed on 16 September 2022 after that week's clashes (border treaty: March 2025)
        Theatre(
            "kyrgyzstan_tajikistan",
            "Kyrgyzstan–Tajikistan",
            ((date(2021, 4, 30), date(2021, 5, 31)), (date(2022, 9, 16), None)),
        ),
        # north-east Syria: the October 2019 pause of the Turkish offensive against the Kurdish-led forces,
        # with the Sochi deal that followed
        Theatre("syria_northeast", "Syria (north-east)", ((date(2019, 10, 17), date(2019, 10, 29)),)),
        # Aleppo's Kurdish-held districts: the government–SDF ceasefire agreed on 7 October 2025 there (in
        # force from the 8th: the clashes the pages of the 7th report were the night before)
        Theatre("aleppo_sdf", "Syria–Aleppo (SDF districts)", ((date(2025, 10, 8), None),)),
        # South Sudan: the cessation of hostilities of 23 January 2014 and the permanent ceasefire of 29
        # August 2015, until the Juba fighting of July 2016; the cessation of hostilities in force from 24
        # December 2017, the permanent ceasefire of 1 July 2018 and the revitalised agreement after it
        Theatre(
            "south_sudan",
            "South Sudan",
            ((date(2014, 1, 23), date(2016, 7, 12)), (date(2017, 12, 24), None)),
        ),
        # northern Shan State: the junta's truce with the Three Brotherhood Alliance brokered in Kunming
        # (11–12 January 2024), until the alliance resumed its offensive on 25 June 2024
        Theatre("northern_shan", "Myanmar–northern Shan", ((date(2024, 1, 12), date(2024, 6, 25)),)),
        # Transnistria: the ceasefire agreement of 21 July 1992, kept by a joint peacekeeping force
        Theatre("transnistria", "Moldova–Transnistria", ((date(1992, 7, 21), None),)),
        # Colombia: the government's bilateral ceasefire with the ELN, 3 August 2023 to 3 August 2024
        Theatre(
            "colombia_eln",
            "Colombia–ELN",
            # the bilateral ceasefire of October 2017 - January 2018 too
            ((date(2017, 10, 1), date(2018, 1, 9)), (date(2023, 8, 3), date(2024, 8, 3))),
        ),
        # Colombia–FARC: the FARC's unilateral ceasefire of 20 December 2014 (suspended after the attack
        # of May 2015), that of 20 July 2015, and the bilateral ceasefire of 29 August 2016 that led to
        # the peace agreement of November 2016
        Theatre(
            "colombia_farc",
            "Colombia–FARC",
            ((date(2014, 12, 20), date(2015, 5, 22)), (date(2015, 7, 20), date(2016, 12, 31))),
        ),
        # the Philippines: the government–MILF ceasefire of July 2003 (broken by the MILF commanders'
        # attacks of August 2008, which are its breach; restored
        # in July 2009), which the 2014 peace agreement kept
        Theatre(
            "philippines_milf",
            "Philippines–MILF",
            ((date(2003, 7, 18), date(2008, 8, 31)), (date(2009, 7, 23), None)),
        ),
        # Mozambique: the cessation of hostilities between the government and Renamo of 5 September 2014,
        # Dhlakama's truces from December 2016 and the peace agreement of August 2019
        Theatre("mozambique_renamo", "Mozambique–Renamo", ((date(2014, 9, 5), None),)),
        # Sri Lanka: the cessation of hostilities of 8 January 1995 (broken by the LTTE on 19 April), the
        # LTTE's unilateral truces of 24 December 2000 (to 24 April 2001) and 24 December 2001, and the
        # Ceasefire Agreement of 22 February 2002, until the government ended it on 16 January 2008
        Theatre(
            "sri_lanka",
            "Sri Lanka",
            (
                (date(1995, 1, 8), date(1995, 4, 19)),
                (date(2000, 12, 24), date(2001, 4, 24)),
                (date(2001, 12, 24), date(2008, 1, 16)),
            ),
        ),
        # Nepal: the government–Maoist ceasefires of 23 July 2001 (to 23 November), 29 January 2003 (to
        # 27 August), the Maoists' unilateral truce of 3 September 2005 (to 2 January 2006), and the
        # ceasefire of late April 2006 that the peace accord of 21 November 2006 made permanent; ended
        # here with the Maoists in government, so that no later unrest reads as a breach
        Theatre(
            "nepal",
            "Nepal",
            (
                (date(2001, 7, 23), date(2001, 11, 23)),
                (date(2003, 1, 29), date(2003, 8, 27)),
                (date(2005, 9, 3), date(2006, 1, 2)),
                (date(2006, 4, 27), date(2008, 5, 28)),
            ),
        ),
        # Chechnya: the heavy-weapons truce of 13 February 1995, Yeltsin's moratorium of 28 April–12 May
        # 1995, the military accord of 30 July 1995 (to the Gudermes fighting of mid-December), the
        # ceasefire of 1 June 1996 (to the offensive of 9 July), the Lebed–Maskhadov ceasefire of 22
        # August 1996 and the Khasavyurt accords, until the second war (autumn 1999); Maskhadov's
        # unilateral ceasefire of February 2005
        Theatre(
            "chechnya",
            "Chechnya",
            (
                (date(1995, 2, 13), date(1995, 2, 20)),
                (date(1995, 4, 28), date(1995, 5, 12)),
                (date(1995, 7, 30), date(1995, 12, 14)),
                (date(1996, 6, 1), date(1996, 7, 9)),
                (date(1996, 8, 22), date(1999, 9, 30)),
                (date(2005, 2, 1), date(2005, 2, 28)),
            ),
        ),
        # Aceh: the humanitarian pause of 2 June 2000, the Cessation of Hostilities Agreement of 9
        # December 2002 (until martial law on 19 May 2003) and the Helsinki accord of 15 August 2005
        Theatre(
            "aceh",
            "Aceh",
            (
                (date(2000, 6, 2), date(2001, 1, 15)),
                (date(2002, 12, 9), date(2003, 5, 19)),
                (date(2005, 8, 15), date(2012, 12, 31)),
            ),
        ),
        # Abkhazia: the Sochi ceasefire of 27 July 1993 (broken on 16 September) and the Moscow agreement
        # on a ceasefire and separation of forces of 14 May 1994, until the war of August 2008
        Theatre(
            "abkhazia",
            "Georgia–Abkhazia",
            ((date(1993, 7, 28), date(1993, 9, 16)), (date(1994, 5, 14), date(2008, 8, 7))),
        ),
        # Ethiopia–Eritrea: the Algiers cessation of hostilities of 18 June 2000, with the UN's temporary
        # security zone, until the peace of July 2018
        Theatre("ethiopia_eritrea", "Ethiopia–Eritrea", ((date(2000, 6, 18), date(2018, 7, 8)),)),
        # Burundi: the Arusha ceasefires with the CNDD-FDD (7 October and 2 December 2002) and the FNL's
        # of 7 September 2006, until the FNL laid down its arms (April 2009)
        Theatre("burundi", "Burundi", ((date(2002, 12, 2), date(2009, 4, 21)),)),
        # Tajikistan: the Tehran ceasefire of 17 September 1994 (in force from 20 October), extended
        # until the peace accord of 27 June 1997
        Theatre("tajikistan", "Tajikistan", ((date(1994, 10, 20), date(1997, 6, 27)),)),
        # Turkey–PKK: the PKK's ceasefire of 1 September 1999 (to 1 June 2004), the truce of 21 March 2013
        # (until July 2015), and the ceasefire of 1 March 2025
        Theatre(
            "turkey_pkk",
            "Turkey–PKK",
            (
                (date(1999, 9, 1), date(2004, 6, 1)),
                (date(2013, 3, 21), date(2015, 7, 24)),
                (date(2025, 3, 1), None),
            ),
        ),
        # Bougainville: the Burnham truce of 10 October 1997 and the Lincoln ceasefire of 30 April 1998,
        # until the peace agreement of August 2001
        Theatre("bougainville", "Bougainville", ((date(1997, 10, 10), date(2001, 8, 30)),)),
        # the Philippines–NPA: the unilateral ceasefires of both sides from 21 August 2016 (to 3 February
        # 2017), the holiday truces of 24–26 and 31 December 2017 – 1 January 2018 and of 23 December
        # 2019 – 7 January 2020, and the ceasefire for the pandemic (19 March – 15 April 2020)
        Theatre(
            "philippines_npa",
            "Philippines–NPA",
            (
                (date(2016, 8, 21), date(2017, 2, 3)),
                (date(2017, 12, 24), date(2017, 12, 26)),
                (date(2017, 12, 31), date(2018, 1, 1)),
                (date(2019, 12, 23), date(2020, 1, 7)),
                (date(2020, 3, 19), date(2020, 4, 15)),
            ),
        ),
        # Rakhine: the informal truce between the junta and the Arakan Army of 26 November 2022, until
        # the Arakan Army's offensive of 13 November 2023
        Theatre("rakhine", "Myanmar–Rakhine", ((date(2022, 11, 26), date(2023, 11, 13)),)),
        # Colombia–Clan del Golfo: the bilateral ceasefire of 1 January 2023, suspended on 19 March 2023
        Theatre("colombia_clan", "Colombia–Clan del Golfo", ((date(2023, 1, 1), date(2023, 3, 19)),)),
        # Falluja: the US Marines' halt of 9 April 2004 and the truce talks, until the Falluja Brigade
        # took over the city at the end of the month
        Theatre("falluja", "Iraq–Falluja", ((date(2004, 4, 9), date(2004, 4, 30)),)),
        # southern Thailand: the Ramadan peace initiative agreed with the BRN (10 July – 18 August 2013)
        Theatre("thailand_south", "Thailand (deep south)", ((date(2013, 7, 10), date(2013, 8, 18)),)),
        # Ivory Coast: the ceasefire of 3 May 2003, until the government's air strikes on Bouaké of 4–6
        # November 2004 (its breach)
        Theatre("ivory_coast", "Ivory Coast", ((date(2003, 5, 3), date(2004, 11, 6)),)),
        # Darfur: the N'Djamena humanitarian ceasefire (in force 11 April 2004), until the Darfur Peace
        # Agreement of May 2006
        # and the government–JEM ceasefire of the Doha framework (23 February 2010), until JEM left the
        # talks in May 2010
        Theatre(
            "darfur",
            "Sudan–Darfur",
            ((date(2004, 4, 11), date(2006, 5, 4)), (date(2010, 2, 23), date(2010, 5, 3))),
        ),
        # Liberia: the Accra ceasefire of 17 June 2003 and the peace agreement of 18 August 2003, until
        # the elected government took office (January 2006)
        # and the Abuja accord's ceasefire of August 1995 (broken in Monrovia in April 1996) and its
        # renewal of August 1996, to the 1997 elections
        Theatre(
            "liberia",
            "Liberia",
            (
                (date(1995, 8, 26), date(1996, 4, 30)),
                (date(1996, 8, 20), date(1997, 7, 19)),
                (date(2003, 6, 17), date(2006, 1, 16)),
            ),
        ),
        # Kosovo: the Holbrooke–Milošević agreement of 13 October 1998 and its verification mission,
        # until NATO's air campaign began on 24 March 1999
        Theatre("kosovo", "Kosovo", ((date(1998, 10, 13), date(1999, 3, 23)),)),
        # Bosnia: the Sarajevo ceasefire of 10 February 1994 (to the end of April), the cessation of
        # hostilities of 31 December 1994 (in force for four months from 1 January 1995), and the
        # ceasefire of 12 October 1995 that Dayton made the peace
        Theatre(
            "bosnia",
            "Bosnia",
            (
                (date(1994, 2, 10), date(1994, 4, 30)),
                (date(1995, 1, 1), date(1995, 4, 30)),
                (date(1995, 10, 12), date(1996, 12, 31)),
            ),
        ),
        # Sierra Leone: the Lomé ceasefire of 24 May 1999 and the peace accord of July, until the RUF
        # seized UN peacekeepers in May 2000; the Abuja ceasefire of 10 November 2000, to the war's end
        Theatre(
            "sierra_leone",
            "Sierra Leone",
            ((date(1999, 5, 24), date(2000, 5, 1)), (date(2000, 11, 10), date(2002, 1, 18))),
        ),
        # Croatia: the Sarajevo ceasefire of 3 January 1992 (the Vance plan), until Operation Maslenica
        # (its breach, 22 January 1993); the Zagreb ceasefire of 29 March 1994, until Operation Flash
        Theatre(
            "croatia",
            "Croatia",
            ((date(1992, 1, 3), date(1993, 1, 31)), (date(1994, 3, 29), date(1995, 5, 3))),
        ),
        # Angola: the Bicesse accords (31 May 1991, until the war resumed after the 1992 elections) and
        # the Lusaka Protocol's ceasefire of 22 November 1994, until the war resumed in December 1998
        Theatre(
            "angola",
            "Angola",
            ((date(1991, 5, 31), date(1992, 10, 31)), (date(1994, 11, 22), date(1998, 12, 4))),
        ),
        # Iraq: the Mahdi Army's freeze of 29 August 2007 (renewed in February 2008), which the fighting
        # of the Basra offensive from 25 March 2008 broke
        Theatre("iraq_mahdi", "Iraq–Mahdi Army", ((date(2007, 8, 29), date(2008, 4, 30)),)),
        # Central African Republic: the Brazzaville cessation of hostilities of 23 July 2014, to the
        # Bangui Forum of May 2015
        Theatre("car", "Central African Republic", ((date(2014, 7, 23), date(2015, 5, 10)),)),
        # Pakistan–TTP: the ceasefire the TTP agreed in June 2022, until it called it off on 28 November
        Theatre("pakistan_ttp", "Pakistan–TTP", ((date(2022, 6, 2), date(2022, 11, 28)),)),
        # DRC: the CNDP's unilateral ceasefire of 29 October 2008; the Lusaka ceasefire of 10 July 1999,
        # to the Pretoria agreement of December 2002
        Theatre("drc_cndp", "DRC–CNDP", ((date(2008, 10, 29), date(2008, 12, 31)),)),
        Theatre("drc_lusaka", "DRC (Lusaka)", ((date(1999, 7, 10), date(2002, 12, 17)),)),
        # Sudan's north–south war: the Nuba Mountains ceasefire of 19 January 2002 and the cessation of
        # hostilities of 15 October 2002, to the Comprehensive Peace Agreement (January 2005)
        Theatre("sudan_spla", "Sudan–SPLA", ((date(2002, 1, 19), date(2005, 1, 9)),)),
        # India–China on the Line of Actual Control: disengagements, no truce; named so that India with
        # China is not read as the India–Pakistan Line of Control
        Theatre("india_china", "India–China", ()),
    )
}

_Z = Zone
ZONES: dict[str, Zone] = {
    z.name: z
    for z in (
        _Z(UNLOCATED, "unlocated", 0.0, 0.0),
        # Gaza
        _Z("Gaza Strip", "theatre", 31.42, 34.37, None, "gaza"),
        _Z("North Gaza", "governorate", 31.54, 34.51, "Gaza Strip", "gaza"),
        _Z("Gaza City", "governorate", 31.50, 34.46, "Gaza Strip", "gaza"),
        _Z("Deir al-Balah", "governorate", 31.42, 34.35, "Gaza Strip", "gaza"),
        _Z("Khan Younis", "governorate", 31.34, 34.30, "Gaza Strip", "gaza"),
        _Z("Rafah", "governorate", 31.29, 34.25, "Gaza Strip", "gaza"),
        _Z("al-Mawasi", "safe_zone", 31.35, 34.26, "Khan Younis", "gaza"),
        _Z("Kerem Shalom crossing", "crossing", 31.22, 34.28, "Rafah", "gaza"),
        _Z("Rafah crossing", "crossing", 31.25, 34.26, "Rafah", "gaza"),
        _Z("Erez crossing", "crossing", 31.56, 34.56, "North Gaza", "gaza"),
        _Z("Zikim crossing", "crossing", 31.60, 34.52, "North Gaza", "gaza"),
        _Z("Kissufim crossing", "crossing", 31.38, 34.40, "Deir al-Balah", "gaza"),
        _Z("Yellow Line", "line", 31.42, 34.40, "Gaza Strip", "gaza"),
        # Israel–Lebanon
        _Z("Lebanon", "theatre", 33.85, 35.86, None, "lebanon"),
        _Z("Southern Lebanon", "theatre", 33.27, 35.40, "Lebanon", "lebanon"),
        _Z("Beirut", "theatre", 33.89, 35.50, "Lebanon", "lebanon"),
        _Z("Bekaa Valley", "theatre", 33.85, 36.00, "Lebanon", "lebanon"),
        # Thailand–Cambodia
        _Z("Thailand–Cambodia border", "theatre", 14.40, 103.70, None, "thailand_cambodia"),
        # India–Pakistan
        _Z("Line of Control", "line", 34.00, 74.20, None, "india_pakistan"),
        _Z("Jammu", "theatre", 32.73, 74.86, "Line of Control", "india_pakistan"),
        _Z("Kashmir", "theatre", 34.08, 74.80, "Line of Control", "india_pakistan"),
        # Russia–Ukraine
        _Z("Ukraine front line", "line", 48.00, 37.80, None, "ukraine"),
        _Z("Kyiv", "theatre", 50.45, 30.52, None, "ukraine"),
        _Z("Kursk", "theatre", 51.73, 36.19, "Ukraine front line", "ukraine"),
        # Sudan
        _Z("Khartoum", "theatre", 15.50, 32.56, None, "sudan"),
        _Z("Darfur", "theatre", 13.50, 24.50, None, "sudan"),
        _Z("Kordofan", "theatre", 12.50, 29.50, None, "sudan"),
        # DRC
        _Z("North Kivu", "theatre", -0.79, 29.05, None, "drc_m23"),
        _Z("South Kivu", "theatre", -2.50, 28.86, None, "drc_m23"),
    )
}

# place name as written (lower case) → zone name
PLACES: dict[str, str] = {
    "gaza strip": "Gaza Strip",
    "gaza": "Gaza Strip",
    "enclave": "Gaza Strip",
    "north gaza": "North Gaza",
    "northern gaza": "North Gaza",
    "jabalia": "North Gaza",
    "jabaliya": "North Gaza",
    "beit lahia": "North Gaza",
    "beit hanoun": "North Gaza",
    "gaza city": "Gaza City",
    "shujaiya": "Gaza City",
    "shejaiya": "Gaza City",
    "shujaiyya": "Gaza City",
    "zeitoun": "Gaza City",
    "al-shati": "Gaza City",
    "shati camp": "Gaza City",
    "tuffah": "Gaza City",
    "sabra": "Gaza City",
    "central gaza": "Deir al-Balah",
    "deir al-balah": "Deir al-Balah",
    "deir el-balah": "Deir al-Balah",
    "nuseirat": "Deir al-Balah",
    "bureij": "Deir al-Balah",
    "maghazi": "Deir al-Balah",
    "zawaida": "Deir al-Balah",
    "khan younis": "Khan Younis",
    "khan yunis": "Khan Younis",
    "bani suheila": "Khan Younis",
    "abasan": "Khan Younis",
    "southern gaza": "Khan Younis",
    "al-mawasi": "al-Mawasi",
    "mawasi": "al-Mawasi",
    "rafah crossing": "Rafah crossing",
    "rafah": "Rafah",
    "tel al-sultan": "Rafah",
    "philadelphi": "Rafah",
    "kerem shalom": "Kerem Shalom crossing",
    "erez": "Erez crossing",
    "zikim": "Zikim crossing",
    "kissufim": "Kissufim crossing",
    # spelling variants of Gaza's places, as outlets transliterate them
    "jabalya": "North Gaza",
    "jabaliyah": "North Gaza",
    "jabalia camp": "North Gaza",
    "jabaliya camp": "North Gaza",
    "beit lahiya": "North Gaza",
    "beit lahya": "North Gaza",
    "beit lahiyah": "North Gaza",
    "beit hanun": "North Gaza",
    "beit hanon": "North Gaza",
    "beit hanoon": "North Gaza",
    "atatra": "North Gaza",
    "al-atatra": "North Gaza",
    "al-attatra": "North Gaza",
    "shujaiyeh": "Gaza City",
    "shejaia": "Gaza City",
    "shujaeya": "Gaza City",
    "shuja'iyya": "Gaza City",
    "shuja'iya": "Gaza City",
    "sheja'iya": "Gaza City",
    "shajaiya": "Gaza City",
    "al-shujaiya": "Gaza City",
    "zaytoun": "Gaza City",
    "zeitun": "Gaza City",
    "zaitoun": "Gaza City",
    "al-zeitoun": "Gaza City",
    "al-zaytoun": "Gaza City",
    "tel al-hawa": "Gaza City",
    "tal al-hawa": "Gaza City",
    "tel el-hawa": "Gaza City",
    "rimal": "Gaza City",
    "al-rimal": "Gaza City",
    "remal": "Gaza City",
    "sheikh radwan": "Gaza City",
    "sheikh rudwan": "Gaza City",
    "al-sheikh radwan": "Gaza City",
    "shati": "Gaza City",
    "al-shati camp": "Gaza City",
    "shati refugee camp": "Gaza City",
    "beach camp": "Gaza City",
    "beach refugee camp": "Gaza City",
    "al-tuffah": "Gaza City",
    "daraj": "Gaza City",
    "al-daraj": "Gaza City",
    "sheikh ijlin": "Gaza City",
    "netzarim": "Gaza City",
    "netzarim corridor": "Gaza City",
    "deir al balah": "Deir al-Balah",
    "deir el balah": "Deir al-Balah",
    "dair al-balah": "Deir al-Balah",
    "deir al-balah camp": "Deir al-Balah",
    "nusseirat": "Deir al-Balah",
    "al-nuseirat": "Deir al-Balah",
    "nuseirat camp": "Deir al-Balah",
    "nuseirat refugee camp": "Deir al-Balah",
    "bureij camp": "Deir al-Balah",
    "al-bureij": "Deir al-Balah",
    "burayj": "Deir al-Balah",
    "maghazi camp": "Deir al-Balah",
    "al-maghazi": "Deir al-Balah",
    "mughazi": "Deir al-Balah",
    "al-zawaida": "Deir al-Balah",
    "zawayda": "Deir al-Balah",
    "zuweida": "Deir al-Balah",
    "khan younes": "Khan Younis",
    "khan yunus": "Khan Younis",
    "khan yunes": "Khan Younis",
    "khan younus": "Khan Younis",
    "bani suhaila": "Khan Younis",
    "bani suhila": "Khan Younis",
    "abasan al-kabira": "Khan Younis",
    "qarara": "Khan Younis",
    "al-qarara": "Khan Younis",
    "el-mawasi": "al-Mawasi",
    "al mawasi": "al-Mawasi",
    "muwasi": "al-Mawasi",
    "al-muwasi": "al-Mawasi",
    "tal al-sultan": "Rafah",
    "tel as-sultan": "Rafah",
    "tel al sultan": "Rafah",
    "philadelphi corridor": "Rafah",
    "philadelphia corridor": "Rafah",
    "shaboura": "Rafah",
    "morag": "Rafah",
    "morag corridor": "Rafah",
    "karem abu salem": "Kerem Shalom crossing",
    "kerem abu salem": "Kerem Shalom crossing",
    "karm abu salem": "Kerem Shalom crossing",
    "kerem shalom crossing": "Kerem Shalom crossing",
    "yellow line": "Yellow Line",
    "southern lebanon": "Southern Lebanon",
    "south lebanon": "Southern Lebanon",
    "litani": "Southern Lebanon",
    "nabatieh": "Southern Lebanon",
    "nabatiyeh": "Southern Lebanon",
    "nabatiye": "Southern Lebanon",
    "nabatiyah": "Southern Lebanon",
    "kfar kila": "Southern Lebanon",
    "aitaroun": "Southern Lebanon",
    "aita al-shaab": "Southern Lebanon",
    "odaisseh": "Southern Lebanon",
    "houla": "Southern Lebanon",
    "mais al-jabal": "Southern Lebanon",
    "kfardounin": "Southern Lebanon",
    "deir kifa": "Southern Lebanon",
    "yaroun": "Southern Lebanon",
    "maroun al-ras": "Southern Lebanon",
    "kafr kila": "Southern Lebanon",
    "naqoura": "Southern Lebanon",
    "marjayoun": "Southern Lebanon",
    "bint jbeil district": "Southern Lebanon",
    "zahrani": "Southern Lebanon",
    "dahieh": "Beirut",
    "dahiya": "Beirut",
    "tyre": "Southern Lebanon",
    "bint jbeil": "Southern Lebanon",
    "khiam": "Southern Lebanon",
    "beirut": "Beirut",
    "dahiyeh": "Beirut",
    "bekaa": "Bekaa Valley",
    "lebanon": "Lebanon",
    "preah vihear": "Thailand–Cambodia border",
    "ta muen thom": "Thailand–Cambodia border",
    "ta moan thom": "Thailand–Cambodia border",
    "oddar meanchey": "Thailand–Cambodia border",
    "surin": "Thailand–Cambodia border",
    "sisaket": "Thailand–Cambodia border",
    "si sa ket": "Thailand–Cambodia border",
    "ubon ratchathani": "Thailand–Cambodia border",
    "banteay meanchey": "Thailand–Cambodia border",
    "line of control": "Line of Control",
    "loc": "Line of Control",
    "poonch": "Line of Control",
    "jammu": "Jammu",
    "kashmir": "Kashmir",
    "srinagar": "Kashmir",
    "donetsk": "Ukraine front line",
    "zaporizhzhia": "Ukraine front line",
    "kharkiv": "Ukraine front line",
    "kherson": "Ukraine front line",
    "pokrovsk": "Ukraine front line",
    "kyiv": "Kyiv",
    "kursk": "Kursk",
    "khartoum": "Khartoum",
    "omdurman": "Khartoum",
    "atbara": "Khartoum",
    "el fasher": "Darfur",
    "el-fasher": "Darfur",
    "al-fashir": "Darfur",
    "darfur": "Darfur",
    "kordofan": "Kordofan",
    "el obeid": "Kordofan",
    "babanusa": "Kordofan",
    "goma": "North Kivu",
    "north kivu": "North Kivu",
    "rutshuru": "North Kivu",
    "bukavu": "South Kivu",
    "south kivu": "South Kivu",
    "uvira": "South Kivu",
}

# names that place a text in a theatre without being a mappable place
_THEATRE_CUES: dict[str, tuple[str, ...]] = {
    "gaza": ("gaza", "hamas", "islamic jihad", "gazan", "gazans", "palestinian", "palestinians"),
    "lebanon": (
        "lebanon", "lebanese", "hezbollah", "litani", "unifil", "sidon", "marjayoun", "naqoura", "baalbek",
        "hermel",
    ),
    "thailand_cambodia": (
        "thailand", "thai", "thais", "cambodia", "cambodian", "cambodians", "phnom penh", "bangkok",
        "buriram", "trat", "chanthaburi", "pursat", "ta krabey",
    ),
    "india_pakistan": (
        "india", "indian", "indians", "pakistan", "pakistani", "pakistanis", "line of control", "jammu",
        "kashmir", "kupwara", "rajouri", "sialkot", "muzaffarabad", "pahalgam", "lahore", "islamabad",
        "new delhi", "pak", "poonch", "uri", "akhnoor", "arnia", "kathua", "samba sector", "rs pura",
        "r s pura", "kargil", "nowshera", "keran", "indo-pak", "bsf",
    ),
    "ukraine": (
        "ukraine", "ukrainian", "ukrainians", "russia", "russian", "russians", "kyiv", "moscow", "kremlin",
        "putin", "odesa", "odessa", "dnipro", "sumy", "lviv", "luhansk", "bakhmut", "avdiivka", "belgorod",
        "donetsk", "donbas", "donbass", "debaltseve", "mariupol", "horlivka", "pro-russian", "russian-backed",
        "russia-backed", "pro-moscow", "zelensky", "zelenskyy", "poroshenko",
    ),
    "sudan": (
        "sudan", "sudanese", "rsf", "rapid support forces", "khartoum", "darfur", "el fasher", "kadugli",
        "dilling", "omdurman", "burhan", "dagalo", "hemedti",
    ),
    "drc_m23": (
        "m23", "congo", "congolese", "drc", "kivu", "goma", "bukavu", "afc", "masisi", "walikale", "minova",
        "kinshasa",
    ),
    "yemen": (
        "yemen", "yemeni", "yemenis", "houthi", "houthis", "hodeidah", "hodeida", "hudaydah", "ansarallah",
        "sanaa", "taiz", "marib", "aden",
    ),
    "sweida": ("sweida", "suwayda", "sweida24"),
    "armenia_azerbaijan": (
        "armenia", "armenian", "armenians", "azerbaijan", "azerbaijani", "azerbaijanis", "karabakh",
        "artsakh", "stepanakert", "lachin", "shusha", "goris", "kalbajar", "agdam", "baku", "yerevan",
        "nakhchivan", "jermuk", "tavush", "syunik", "gegharkunik",
    ),
    "libya": (
        "libya", "libyan", "libyans", "tripoli", "misrata", "benghazi", "haftar", "unsmil", "sirte", "zawiya",
    ),
    "syria": (
        "syria", "syrian", "syrians", "damascus", "homs", "idlib", "aleppo", "hama", "daraa", "assad",
        "unsmis", "quneitra", "idleb", "hts", "hayat tahrir al-sham",
        "jisr al-shughur", "saraqib", "maarat al-numan", "kafr nabl", "jabal al-zawiya",
    ),
    "syria_northeast": (
        "ras al-ain", "tal abyad", "kobani", "kurds", "kurdish", "sdf", "ypg", "qamishli", "manbij",
        "hasakah", "peace spring",
    ),
    # Aleppo's transliterations only: Beirut has an Ashrafieh / Achrafieh of its own
    "aleppo_sdf": (
        "sheikh maqsoud", "sheikh maqsood", "sheikh maqsud", "ashrafiyeh", "ashrafiyah", "al-ashrafiyah",
    ),
    "south_sudan": (
        "south sudan", "south sudanese", "juba", "splm-io", "spla-io", "splm", "spla", "machar", "kiir",
        "ctsamm", "upper nile", "jonglei", "unity state", "malakal", "wau", "yei",
    ),
    "northern_shan": (
        "tnla", "ta'ang", "mndaa", "kokang", "laukkai", "lashio", "brotherhood alliance", "three brotherhood",
        "northern shan", "hsenwi", "kutkai", "namhsan", "kyaukme", "mogok", "nawnghkio", "chinshwehaw",
    ),
    "israel_iran": (
        "iran", "iranian", "iranians", "tehran", "irgc", "revolutionary guard", "isfahan", "fordow", "natanz",
        "khamenei", "araghchi",
    ),
    "myanmar": (
        "myanmar", "burma", "burmese", "tatmadaw", "naypyitaw", "nay pyi taw", "min aung hlaing", "kachin",
        "karen state", "kayin", "karenni", "kayah", "shan state", "sagaing", "mandalay", "bago", "magway",
        "rakhine", "arakan army", "chin state", "three brotherhood",
    ),
    # not the bare "Georgia": a US state as often as the country
    "georgia": (
        "georgian", "south ossetia", "south ossetian", "ossetian", "ossetians", "tskhinvali", "abkhazia",
        "abkhaz", "saakashvili", "kokoity", "tbilisi", "gori",
    ),
    "western_sahara": (
        "western sahara", "polisario", "sahrawi", "sahrawis", "saharawi", "minurso", "guerguerat",
        "guerguarat", "tindouf", "laayoune",
    ),
    "korea": (
        "north korea", "north korean", "north koreans", "south korea", "south korean", "south koreans",
        "koreas", "inter-korean", "pyongyang", "seoul", "military demarcation line", "dmz", "panmunjom",
        "yeonpyeong", "kim jong un", "kim jong-un", "korean people's army", "n korea", "n korean",
        "n koreans", "s korea", "s korean",
    ),
    "cyprus": (
        "cyprus", "cypriot", "cypriots", "unficyp", "nicosia", "famagusta", "varosha", "pyla", "kyrenia",
    ),
    "ethiopia_tigray": ("tigray", "tigrayan", "tigrayans", "tplf", "mekelle", "mekele", "alamata"),
    "kyrgyzstan_tajikistan": (
        "kyrgyzstan", "kyrgyz", "tajikistan", "tajik", "tajiks", "batken", "isfara", "sughd", "vorukh",
        "bishkek", "dushanbe",
    ),
    "transnistria": ("transnistria", "transnistrian", "transdniestria", "transdniester", "tiraspol"),
    "colombia_eln": ("eln", "ejército de liberación nacional"),
    "colombia_farc": ("farc", "revolutionary armed forces of colombia"),
    "philippines_milf": ("milf", "moro islamic liberation front", "bangsamoro", "basilan", "maguindanao"),
    "mozambique_renamo": ("renamo", "dhlakama"),
    "sri_lanka": (
        "sri lanka", "sri lankan", "sri lankans", "lanka", "ltte", "tamil tigers", "tamil tiger", "tigers",
        "sea tigers", "slmm", "colombo", "jaffna", "trincomalee", "batticaloa", "kilinochchi", "vavuniya",
        "mannar", "mullaitivu", "eelam", "tamil", "tamils", "prabhakaran", "sinhalese",
    ),
    "nepal": (
        "nepal", "nepali", "nepalese", "kathmandu", "prachanda", "royal nepalese army", "cpn-maoist",
        "jajarkot", "rolpa", "rukum",
    ),
    "chechnya": (
        "chechnya", "chechen", "chechens", "grozny", "dudayev", "maskhadov", "basayev", "ichkeria",
        "gudermes", "argun", "vedeno", "urus-martan", "samashki", "bamut", "khasavyurt", "nozhai-yurt",
    ),
    "aceh": (
        "aceh", "acehnese", "free aceh movement", "gerakan aceh merdeka", "banda aceh", "lhokseumawe",
        "aceh monitoring mission", "gam",
    ),
    "abkhazia": (
        "abkhazia", "abkhaz", "abkhazian", "abkhazians", "sukhumi", "gali", "kodori", "unomig", "gumista",
        "ochamchire",
    ),
    "ethiopia_eritrea": (
        "eritrea", "eritrean", "eritreans", "asmara", "badme", "unmee", "zalambessa",
        "temporary security zone",
    ),
    "burundi": ("burundi", "burundian", "burundians", "bujumbura", "cndd-fdd", "fnl", "palipehutu"),
    "tajikistan": (
        "tajikistan", "tajik", "tajiks", "dushanbe", "united tajik opposition", "tavildara", "unmot", "garm",
    ),
    "turkey_pkk": (
        "pkk", "kurdistan workers' party", "kurdistan workers party", "ocalan", "öcalan", "qandil",
    ),
    "bougainville": (
        "bougainville", "bougainvillean", "bougainvilleans", "arawa", "panguna",
        "bougainville revolutionary army",
    ),
    "pakistan_ttp": (
        "ttp", "tehreek-e-taliban pakistan", "tehrik-e-taliban pakistan", "pakistani taliban",
        "tehrik-i-taliban pakistan",
    ),
    "drc_cndp": ("cndp", "nkunda", "laurent nkunda"),
    "drc_lusaka": ("congo", "congolese", "drc", "kabila", "rcd", "mlc", "monuc", "kabalo", "kisangani"),
    "sudan_spla": ("spla", "splm", "sudan people's liberation", "nuba", "nuba mountains", "garang"),
    "croatia": (
        "croatia", "krajina", "knin", "maslenica", "zadar", "sisak", "karlovac", "slavonia", "vukovar",
        "croatian serbs", "croatian army", "serbian krajina",
    ),
    "angola": ("angola", "angolan", "angolans", "unita", "savimbi", "mpla", "huambo", "unavem", "kuito"),
    "iraq_mahdi": ("mahdi army", "jaish al-mahdi", "sadr", "sadrist", "sadrists", "sadr city"),
    "car": (
        "central african republic", "central african", "seleka", "ex-seleka", "anti-balaka", "bangui",
        "misca", "minusca",
    ),
    "ivory_coast": (
        "ivory coast", "ivorian", "ivorians", "cote d'ivoire", "côte d'ivoire", "bouake", "bouaké",
        "new forces", "forces nouvelles", "gbagbo", "abidjan",
    ),
    "darfur": (
        "darfur", "darfuri", "janjaweed", "justice and equality movement", "jem", "sudan liberation army",
        "sudan liberation movement", "nmrd",
    ),
    "liberia": ("liberia", "liberian", "liberians", "monrovia", "lurd", "charles taylor", "ecomil"),
    "kosovo": (
        "kosovo", "kosovar", "kosovars", "pristina", "kla", "kosovo liberation army", "podujevo",
        "kosovo verification mission",
    ),
    "bosnia": (
        "bosnia", "bosnian", "bosnians", "sarajevo", "srebrenica", "gorazde", "bihac", "tuzla", "mostar",
        "karadzic", "mladic", "unprofor",
    ),
    "sierra_leone": (
        "sierra leone", "sierra leonean", "sierra leoneans", "freetown", "ruf", "revolutionary united front",
        "foday sankoh", "kabbah", "ecomog",
    ),
    "philippines_npa": (
        "npa", "new people's army", "new peoples army", "cpp-npa", "cpp-npa-ndf", "ndfp",
        "communist party of the philippines",
    ),
    "rakhine": ("arakan army", "rakhine", "rathedaung", "paletwa", "buthidaung", "maungdaw"),
    "colombia_clan": ("clan del golfo", "gulf clan", "autodefensas gaitanistas", "gaitanista", "agc"),
    "falluja": ("falluja", "fallujah"),
    "thailand_south": ("yala", "pattani", "narathiwat", "brn", "barisan revolusi nasional", "deep south"),
    "india_china": (
        "china", "chinese", "ladakh", "galwan", "pangong", "line of actual control", "lac", "pla", "doklam",
        "arunachal", "depsang", "beijing",
    ),
}  # fmt: skip
# Afghanistan, and the Afghanistan–Pakistan border itself: with Pakistan, the arena is that border,
# not the Line of Control (no theatre's cues, so Afghanistan alone brings no truce)
_AFGHAN_CUES = ("afghanistan", "afghan", "afghans", "kabul", "kandahar", "paktika", "khost", "nangarhar")
_AFPAK_BORDER_CUES = ("durand line", "spin boldak", "chaman", "torkham", "kurram")
_BANGLADESH_CUES = ("bangladesh", "bangladeshi", "bangladeshis", "dhaka", "bgb")
_PARTY_CUES = ("idf", "israel", "israeli", "israelis")  # a party to two truces: Gaza and Lebanon
# the sea lanes: attacks on shipping there are no act on the Line of Control (C6, C9)
_MARITIME_CUES = (
    "arabian sea", "red sea", "gulf of aden", "bab el-mandeb", "strait of hormuz", "merchant vessel",
    "merchant vessels", "merchant ship", "merchant ships", "shipping lanes", "commercial shipping",
)  # fmt: skip
# Tripoli's and Zawiya's armed groups fighting each other are no parties to the 2020 truce between
# the two governments (C9)
_LIBYA_MILITIA_CUES = (
    "444 brigade", "rada", "special deterrence force", "deterrence force", "stability support apparatus",
    "stabilization support apparatus", "armed groups", "armed factions", "rival militias",
)  # fmt: skip
_LIBYA_PARTY_CUES = frozenset({"haftar", "lna", "libyan national army", "sirte", "jufra"})
# arenas of the same parties where no truce applies: a strike there is no breach of the Gaza truce
_OTHER_ARENAS = (
    "west bank", "jenin", "tulkarm", "nablus", "hebron", "ramallah", "tubas", "qalqilya", "jericho",
    "syria", "syrian", "syrians", "damascus", "yemen", "yemeni", "yemenis", "houthi", "houthis", "sanaa",
    "hodeidah", "iran", "iranian", "iranians", "tehran", "iraq", "iraqi", "iraqis", "quneitra", "golan",
)  # fmt: skip

_PLACE_INDEX = PhraseIndex(PLACES)
_CUES = (
    {c for cues in _THEATRE_CUES.values() for c in cues}
    | {"eritrea", "eritrean", "eritreans", "asmara", "belarus", "sinai"}
    | set(_BANGLADESH_CUES)
    | set(_PARTY_CUES)
    | set(_OTHER_ARENAS)
    | set(_AFGHAN_CUES)
    | set(_AFPAK_BORDER_CUES)
    | set(_MARITIME_CUES)
    | set(_LIBYA_MILITIA_CUES)
    | _LIBYA_PARTY_CUES
)
_CUE_INDEX = PhraseIndex(dict.fromkeys(_CUES))
_THEATRES_OF: dict[str, tuple[str, ...]] = {
    cue: tuple(k for k, cues in _THEATRE_CUES.items() if cue in cues) for cue in _CUES
}
_PAKISTAN_CUES = frozenset(_THEATRE_CUES["india_pakistan"]) - {"india", "indian", "new delhi", "bsf"}
_INDIA_CUES = frozenset({"india", "indian", "new delhi"})
_LEBANON_CUES = frozenset(_THEATRE_CUES["lebanon"])
_LEBANON_NAMES = frozenset({"lebanon", "lebanese"})
_KOREAN_LINE_CUES = frozenset(
    {
        "south korea", "south korean", "south koreans", "s korea", "s korean", "seoul", "koreas",
        "inter-korean", "dmz", "military demarcation line", "panmunjom", "yeonpyeong",
    }
)  # fmt: skip
_ERITREA_CUES = frozenset({"eritrea", "eritrean", "eritreans", "asmara"})
_UKRAINE_OWN_CUES = frozenset(_THEATRE_CUES["ukraine"]) - {
    "russia", "russian", "russians", "moscow", "kremlin", "putin", "pro-russian", "russian-backed",
    "russia-backed", "pro-moscow",
}  # fmt: skip
_SUDAN_OWN_CUES = frozenset(_THEATRE_CUES["sudan"]) - {"sudan", "sudanese"}
_IDLIB_CUES = frozenset(
    {
        "idlib", "idleb", "hts", "hayat tahrir al-sham", "jisr al-shughur", "saraqib", "maarat al-numan",
        "kafr nabl", "jabal al-zawiya", "aleppo", "hama", "assad",
    }
)  # fmt: skip
_LOC_CUES = frozenset(
    {"line of control", "jammu", "kashmir", "kupwara", "rajouri", "muzaffarabad", "pahalgam"}
)
# (theatre found, theatre dropped, cues that show another arena (none: always), cues that keep it):
# a named country whose forces are no party to a truce, or an arena the truce does not cover
_NOT_THE_ARENA: tuple[tuple[str, str, frozenset[str], frozenset[str]], ...] = (
    # North Korea named in another war ("North Korean units deployed in the Kursk region") is an ally
    # there, not a party to the armistice: the arena is that war's (C6)
    ("korea", "korea", frozenset(_CUES - set(_THEATRE_CUES["korea"])), _KOREAN_LINE_CUES),
    # "sudan" inside "South Sudan" is not the Sudan of the army and the RSF
    ("south_sudan", "sudan", frozenset(), _SUDAN_OWN_CUES),
    # Syria's Kurds and the north-east are the arena of the 2019 pause, not of Idlib's truces
    ("syria_northeast", "syria", frozenset(), _IDLIB_CUES),
    # Israel's strikes in Syria are no act between the parties of Syria's truces (C9)
    ("syria", "syria", frozenset(_PARTY_CUES), _IDLIB_CUES),
    # Russia's forces in Belarus, with nothing of Ukraine named, are not on the Donbas line (C6)
    ("ukraine", "ukraine", frozenset({"belarus"}), _UKRAINE_OWN_CUES),
    # India's Border Security Force on the Bangladesh border is not on the Line of Control (C6)
    ("india_pakistan", "india_pakistan", frozenset(_BANGLADESH_CUES), _LOC_CUES | _PAKISTAN_CUES),
    # Eritrea's forces are no party to the Tigray truces: their acts are not breaches of them (C9)
    ("ethiopia_tigray", "ethiopia_tigray", _ERITREA_CUES, frozenset()),
    # India's navy against attacks on shipping in the Arabian Sea is not on the Line of Control (C6)
    ("india_pakistan", "india_pakistan", frozenset(_MARITIME_CUES), _LOC_CUES | _PAKISTAN_CUES),
    # Tripoli's armed groups clashing with each other are no parties to the Libyan truce (C9)
    ("libya", "libya", frozenset(_LIBYA_MILITIA_CUES), _LIBYA_PARTY_CUES),
)


@lru_cache(maxsize=4096)
def find_places(text: str) -> tuple[tuple[str, str], ...]:
    """(place as written, zone) for every gazetteer place in ``text``, in order, without repeats."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for m in _PLACE_INDEX.find(text):
        name = m.text
        key = m.key
        if (key == "loc" and name != "LOC") or key in seen:
            continue
        seen.add(key)
        out.append((name, PLACES[key]))
    return tuple(out)


def zones_for(places: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The most specific zones named (a governorate hides its theatre); (UNLOCATED,) when none."""
    zones = list(dict.fromkeys(z for _, z in places))
    parents = {ZONES[z].parent for z in zones}
    specific = tuple(z for z in zones if z not in parents)
    return specific or (UNLOCATED,)


def _cues_in(text: str) -> list[str]:
    """The cues ``text`` names, also inside hyphenated compounds ("the Armenian-Azerbaijani border",
    "Indo-Pak firing"), whose halves are one word to the index."""
    cues = [m.key for m in _CUE_INDEX.find(text)]
    if "-" in text:
        cues += [m.key for m in _CUE_INDEX.find(text.replace("-", " "))]
    return cues


def theatres_in(text: str) -> set[str]:
    """Theatres a text is about, from places, parties and countries it names."""
    found: set[str] = set()
    elsewhere = party = False
    cues_seen: set[str] = set()
    for cue in _cues_in(text):
        cues_seen.add(cue)
        if cue in _OTHER_ARENAS:
            elsewhere = True  # an arena of its own truce (Yemen), or none, but never Gaza's or Lebanon's
            found.update(_THEATRES_OF.get(cue, ()))
        elif cue in _PARTY_CUES:
            party = True
        else:
            found.update(_THEATRES_OF.get(cue, ()))
    if "israel_iran" in found and found - {"israel_iran", "india_china"}:
        # Iran named beside another theatre ("Hezbollah, backed by Iran", "Houthis ... Iran") is a
        # sponsor, not the arena: the Israel–Iran truce is not the one that applies
        found.discard("israel_iran")
    if "india_china" in found and "india_pakistan" in found and cues_seen.isdisjoint(_PAKISTAN_CUES):
        # India with China (Ladakh, the LAC) and nothing of Pakistan: not the Line of Control's truce
        found.discard("india_pakistan")
    _afghan_arena(found, cues_seen)
    for named, dropped, when, unless in _NOT_THE_ARENA:
        if named in found and (not when or not cues_seen.isdisjoint(when)) and cues_seen.isdisjoint(unless):
            found.discard(dropped)
    if elsewhere:
        found -= {"gaza", "lebanon"}  # only a named place in Gaza or Lebanon brings them back
    for _, zone in find_places(text):
        theatre = ZONES[zone].theatre
        if theatre:
            found.add(theatre)
    if "sinai" in cues_seen:
        # Egypt's Rafah and its war on the Islamic State in Sinai are not the Gaza truce's arena (C9)
        found.discard("gaza")
    if "syria" in found and "lebanon" in found and not party and cues_seen & _LEBANON_CUES <= _LEBANON_NAMES:
        # Lebanon only as Syria's neighbour ("the mountains separating Syria from Lebanon"), with no
        # Israel or Hezbollah: the Israel–Lebanon truce is not the arena (C6)
        found.discard("lebanon")
    if party and not elsewhere and not found & {"gaza", "lebanon"}:
        # Israel alone may be in either theatre; named with Gaza (or Lebanon), it is in that one:
        # a strike in Gaza in 2014 is no breach of the Lebanon truce of the time (C6)
        found.update(("gaza", "lebanon"))
    return found


def _afghan_arena(found: set[str], cues_seen: set[str]) -> None:
    """Pakistan named with Afghanistan, or the border between them, is the Afghanistan–Pakistan arena;
    the Line of Control's truce applies there only when India and Pakistan, or Kashmir, are both
    named too: "Pakistani airstrikes in Paktika" or "explosions in Kabul as the Taliban's minister
    visited India" are no breach of the India–Pakistan truce (C6)."""
    afghan = not cues_seen.isdisjoint(_AFGHAN_CUES)
    border = not cues_seen.isdisjoint(_AFPAK_BORDER_CUES)
    if not (afghan or border):
        return
    pakistan = not cues_seen.isdisjoint(_PAKISTAN_CUES)
    if border or pakistan:
        found.add("afghanistan_pakistan")
    india = not cues_seen.isdisjoint(_INDIA_CUES)
    if not (india and pakistan) and cues_seen.isdisjoint(_LOC_CUES):
        found.discard("india_pakistan")


def truce_in_force(text: str, day: date) -> bool:
    """Whether a theatre the text is about had a truce in force on ``day``."""
    return any(THEATRES[t].truce_in_force(day) for t in theatres_in(text))


def truce_begins(text: str, day: date) -> bool:
    """Whether every theatre of the text with a truce in force on ``day`` had it take effect that day:
    an act "early Friday" may then predate it (C6)."""
    live = [THEATRES[t] for t in theatres_in(text) if THEATRES[t].truce_in_force(day)]
    return bool(live) and all(t.truce_begins(day) for t in live)
