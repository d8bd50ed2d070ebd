"""Entities from one text: countries (with demonyms), actors, troop and casualty numbers, places → zones."""

from __future__ import annotations

import calendar
import re
from datetime import date

from monitor.models import Entities
from monitor.rules.gazetteer import find_places, zones_for
from monitor.rules.phrases import PhraseIndex
from monitor.rules.records import built

# alias (lower case) → country; demonyms and capitals standing for governments included
COUNTRIES: dict[str, str] = {
    "united states": "United States",
    "america": "United States",
    "american": "United States",
    "americans": "United States",
    "washington": "United States",
    "israel": "Israel",
    "israeli": "Israel",
    "israelis": "Israel",
    "palestine": "Palestine",
    "palestinian": "Palestine",
    "palestinians": "Palestine",
    "indonesia": "Indonesia",
    "indonesian": "Indonesia",
    "jakarta": "Indonesia",
    "united arab emirates": "United Arab Emirates",
    "emirati": "United Arab Emirates",
    "emiratis": "United Arab Emirates",
    "egypt": "Egypt",
    "egyptian": "Egypt",
    "cairo": "Egypt",
    "qatar": "Qatar",
    "qatari": "Qatar",
    "doha": "Qatar",
    "azerbaijan": "Azerbaijan",
    "azerbaijani": "Azerbaijan",
    "baku": "Azerbaijan",
    "turkey": "Turkey",
    "türkiye": "Turkey",
    "turkish": "Turkey",
    "ankara": "Turkey",
    "jordan": "Jordan",
    "jordanian": "Jordan",
    "morocco": "Morocco",
    "moroccan": "Morocco",
    "kazakhstan": "Kazakhstan",
    "kazakh": "Kazakhstan",
    "kosovo": "Kosovo",
    "albania": "Albania",
    "albanian": "Albania",
    "pakistan": "Pakistan",
    "pakistani": "Pakistan",
    "islamabad": "Pakistan",
    "india": "India",
    "indian": "India",
    "new delhi": "India",
    "saudi arabia": "Saudi Arabia",
    "saudi": "Saudi Arabia",
    "italy": "Italy",
    "italian": "Italy",
    "france": "France",
    "french": "France",
    "paris": "France",
    "britain": "United Kingdom",
    "united kingdom": "United Kingdom",
    "british": "United Kingdom",
    "london": "United Kingdom",
    "germany": "Germany",
    "german": "Germany",
    "lebanon": "Lebanon",
    "lebanese": "Lebanon",
    "syria": "Syria",
    "syrian": "Syria",
    "iran": "Iran",
    "iranian": "Iran",
    "thailand": "Thailand",
    "thai": "Thailand",
    "bangkok": "Thailand",
    "cambodia": "Cambodia",
    "cambodian": "Cambodia",
    "phnom penh": "Cambodia",
    "malaysia": "Malaysia",
    "malaysian": "Malaysia",
    "russia": "Russia",
    "russian": "Russia",
    "moscow": "Russia",
    "kremlin": "Russia",
    "ukraine": "Ukraine",
    "ukrainian": "Ukraine",
    "kyiv": "Ukraine",
    "sudan": "Sudan",
    "sudanese": "Sudan",
    "democratic republic of the congo": "DR Congo",
    "congo": "DR Congo",
    "congolese": "DR Congo",
    "kinshasa": "DR Congo",
    "rwanda": "Rwanda",
    "rwandan": "Rwanda",
    "kigali": "Rwanda",
    "china": "China",
    "chinese": "China",
    "beijing": "China",
    "bangladesh": "Bangladesh",
    "bangladeshi": "Bangladesh",
    "norway": "Norway",
    "norwegian": "Norway",
    "greece": "Greece",
    "greek": "Greece",
    "canada": "Canada",
    "canadian": "Canada",
    "japan": "Japan",
    "japanese": "Japan",
    "brazil": "Brazil",
    "brazilian": "Brazil",
    "libya": "Libya",
    "libyan": "Libya",
    "libyans": "Libya",
    # troop and police contributors to UN and multinational missions
    "kenya": "Kenya",
    "kenyan": "Kenya",
    "kenyans": "Kenya",
    "nairobi": "Kenya",
    "senegal": "Senegal",
    "senegalese": "Senegal",
    "nepal": "Nepal",
    "nepali": "Nepal",
    "nepalese": "Nepal",
    "ghana": "Ghana",
    "ghanaian": "Ghana",
    "ethiopia": "Ethiopia",
    "ethiopian": "Ethiopia",
    "nigeria": "Nigeria",
    "nigerian": "Nigeria",
    "chad": "Chad",
    "chadian": "Chad",
    "benin": "Benin",
    "beninese": "Benin",
    "sri lanka": "Sri Lanka",
    "sri lankan": "Sri Lanka",
    "guatemala": "Guatemala",
    "guatemalan": "Guatemala",
    "jamaica": "Jamaica",
    "jamaican": "Jamaica",
    "el salvador": "El Salvador",
    "salvadoran": "El Salvador",
    "fiji": "Fiji",
    "fijian": "Fiji",
    "uruguay": "Uruguay",
    "uruguayan": "Uruguay",
    "romania": "Romania",
    "romanian": "Romania",
    "bulgaria": "Bulgaria",
    "bulgarian": "Bulgaria",
    "philippines": "Philippines",
    "filipino": "Philippines",
    "vietnam": "Vietnam",
    "vietnamese": "Vietnam",
    "zambia": "Zambia",
    "zambian": "Zambia",
    "tanzania": "Tanzania",
    "tanzanian": "Tanzania",
    "south africa": "South Africa",
    "south african": "South Africa",
    "argentina": "Argentina",
    "argentine": "Argentina",
    "australia": "Australia",
    "australian": "Australia",
}
# abbreviations that are only countries in capitals ("US" but not "us")
_COUNTRY_ABBREV: dict[str, str] = {
    "US": "United States",
    "U.S.": "United States",
    "U.S": "United States",
    "USA": "United States",
    "UAE": "United Arab Emirates",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "DRC": "DR Congo",
}

# states the readings of a sentence know beyond COUNTRIES (the contributors and parties the forces
# board and the entities report), as "name demonym ..." per state
_MORE_STATES = (
    "yemen yemeni",
    "niger nigerien",
    "mali malian",
    "chad chadian",
    "sudan sudanese",
    "somalia somali",
    "kenya kenyan",
    "ethiopia ethiopian",
    "eritrea eritrean",
    "rwanda rwandan",
    "burundi burundian",
    "uganda ugandan",
    "congo congolese",
    "drc",
    "nigeria nigerian",
    "ghana ghanaian",
    "senegal senegalese",
    "burkina burkinabe",
    "mozambique mozambican",
    "libya libyan",
    "tunisia tunisian",
    "algeria algerian",
    "morocco moroccan",
    "kyrgyzstan kyrgyz",
    "tajikistan tajik",
    "kazakhstan kazakh",
    "uzbekistan uzbek",
    "armenia armenian",
    "georgia georgian",
    "ukraine ukrainian",
    "russia russian",
    "belarus belarusian",
    "poland polish",
    "lithuania lithuanian",
    "latvia latvian",
    "estonia estonian",
    "germany german",
    "france french",
    "britain british",
    "italy italian",
    "spain spanish",
    "sweden swedish",
    "finland finnish",
    "norway norwegian",
    "denmark danish",
    "netherlands dutch",
    "belgium belgian",
    "greece greek",
    "cyprus cypriot",
    "serbia serbian",
    "kosovo kosovar",
    "bosnia bosnian",
    "iraq iraqi",
    "iran iranian",
    "syria syrian",
    "lebanon lebanese",
    "afghanistan afghan",
    "pakistan pakistani",
    "india indian",
    "china chinese",
    "japan japanese",
    "korea korean",
    "cambodia cambodian",
    "thailand thai",
    "myanmar burmese",
    "philippines filipino",
    "australia australian",
    "colombia colombian",
    "venezuela venezuelan",
    "haiti haitian",
    "mexico mexican",
    "canada canadian",
    "brazil brazilian",
    "ireland irish",
    "austria austrian",
    "switzerland swiss",
    "portugal portuguese",
    "czechia czech",
    "slovakia slovak",
    "hungary hungarian",
    "romania romanian",
    "bulgaria bulgarian",
    "croatia croatian",
    "slovenia slovenian",
    "moldova moldovan",
    "montenegro montenegrin",
    "macedonia macedonian",
    "iceland icelandic",
    "luxembourg",
    "malta maltese",
    "fiji fijian",
    "nepal nepalese nepali",
    "bangladesh bangladeshi",
    "malaysia malaysian",
    "vietnam vietnamese",
    "mongolia mongolian",
    "argentina argentine argentinian",
    "chile chilean",
    "peru peruvian",
    "uruguay uruguayan",
    "ecuador ecuadorian",
    "guatemala guatemalan",
    "jamaica jamaican",
    "belize belizean",
    "bahamas bahamian",
    "benin beninese",
    "togo togolese",
    "cameroon cameroonian",
    "gabon gabonese",
    "zambia zambian",
    "zimbabwe zimbabwean",
    "malawi malawian",
    "tanzania tanzanian",
    "namibia namibian",
    "botswana",
    "lesotho",
    "angola angolan",
    "djibouti djiboutian",
    "mauritania mauritanian",
    "liberia liberian",
    "guinea guinean",
    "gambia gambian",
    "oman omani",
    "bahrain bahraini",
    "kuwait kuwaiti",
    "turkmenistan turkmen",
)
# states named by more than one word, as the tokenizer gives them
_MULTIWORD_STATES = {
    "south korea": "South Korea", "north korea": "North Korea", "south korean": "South Korea",
    "north korean": "North Korea", "new zealand": "New Zealand", "sri lanka": "Sri Lanka",
    "sri lankan": "Sri Lanka", "south africa": "South Africa", "south african": "South Africa",
    "sierra leone": "Sierra Leone", "el salvador": "El Salvador", "ivory coast": "Ivory Coast",
    "east timor": "East Timor", "solomon islands": "Solomon Islands",
    "central african republic": "Central African Republic", "dominican republic": "Dominican Republic",
    "czech republic": "Czechia", "burkina faso": "Burkina",
}  # fmt: skip
# capitals of those states, as the tokenizer gives them: "special forces units entered Juba" names a
# state by its capital (only for rules' ``@state``; COUNTRIES, which the entities report, is apart).
# Left out: capitals that name something else in this news (Minsk's agreements, Lebanon's Tripoli)
_CAPITALS = {
    "sanaa": "Yemen", "niamey": "Niger", "bamako": "Mali", "khartoum": "Sudan", "mogadishu": "Somalia",
    "nairobi": "Kenya", "asmara": "Eritrea", "bujumbura": "Burundi", "gitega": "Burundi",
    "kampala": "Uganda", "juba": "South Sudan", "abuja": "Nigeria", "accra": "Ghana", "dakar": "Senegal",
    "ouagadougou": "Burkina", "maputo": "Mozambique", "tunis": "Tunisia", "algiers": "Algeria",
    "rabat": "Morocco", "bishkek": "Kyrgyzstan", "dushanbe": "Tajikistan", "tashkent": "Uzbekistan",
    "yerevan": "Armenia", "tbilisi": "Georgia", "warsaw": "Poland", "vilnius": "Lithuania",
    "riga": "Latvia", "tallinn": "Estonia", "berlin": "Germany", "madrid": "Spain",
    "stockholm": "Sweden", "helsinki": "Finland", "oslo": "Norway", "copenhagen": "Denmark",
    "amsterdam": "Netherlands", "brussels": "Belgium", "athens": "Greece", "nicosia": "Cyprus",
    "belgrade": "Serbia", "pristina": "Kosovo", "sarajevo": "Bosnia", "baghdad": "Iraq",
    "tehran": "Iran", "damascus": "Syria", "beirut": "Lebanon", "kabul": "Afghanistan",
    "tokyo": "Japan", "seoul": "Korea", "pyongyang": "Korea", "manila": "Philippines",
    "canberra": "Australia", "bogota": "Colombia", "caracas": "Venezuela", "ottawa": "Canada",
    "brasilia": "Brazil", "bangui": "Central African Republic", "dili": "East Timor",
    "honiara": "Solomon Islands", "nuuk": "Greenland", "addis ababa": "Ethiopia",
    "port-au-prince": "Haiti", "port au prince": "Haiti", "south sudan": "South Sudan",
}  # fmt: skip
STATES: dict[str, str] = {
    **_CAPITALS,
    **_MULTIWORD_STATES,
    **{word: line.split()[0].title() for line in _MORE_STATES for word in line.split()},
    **{re.sub(r"\W", "", abbrev).lower(): name for abbrev, name in _COUNTRY_ABBREV.items()},
    **COUNTRIES,
}
"""Every state by a word or phrase as the tokenizer gives it ("us", "drc", "nigerien", "saudi
arabia"): COUNTRIES first, then the abbreviations, then the states the extractor does not report.
For telling states apart in a sentence (``fd_clauses``); what an event reports stays COUNTRIES'."""

# alias → actor
ACTORS: dict[str, str] = {
    "israeli forces": "Israeli forces",
    "israeli army": "Israeli forces",
    "israeli military": "Israeli forces",
    "israeli troops": "Israeli forces",
    "israel defense forces": "Israeli forces",
    "israel defence forces": "Israeli forces",
    "idf": "Israeli forces",
    "hamas": "Hamas",
    "qassam brigades": "Hamas",
    "al-qassam": "Hamas",
    "islamic jihad": "Islamic Jihad",
    "al-quds brigades": "Islamic Jihad",
    "hezbollah": "Hezbollah",
    "lebanese army": "Lebanese army",
    "unifil": "UNIFIL",
    "rapid support forces": "RSF",
    "rsf": "RSF",
    "sudanese armed forces": "Sudanese army",
    "sudanese army": "Sudanese army",
    "m23": "M23",
    "march 23 movement": "M23",
    "congo river alliance": "M23",
    "fardc": "Congolese army",
    "royal thai army": "Thai army",
    "thai army": "Thai army",
    "cambodian military": "Cambodian army",
    "cambodian army": "Cambodian army",
    "international stabilization force": "ISF",
    "international stabilisation force": "ISF",
    "isf": "ISF",
    "coalition of the willing": "Coalition of the Willing",
    "centcom": "CENTCOM",
    "central command": "CENTCOM",
    "red cross": "Red Cross",
    "icrc": "Red Cross",
}


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_COUNTRY_INDEX = PhraseIndex(COUNTRIES)
_ACTOR_INDEX = PhraseIndex(ACTORS)
_ABBREV_RE = re.compile(rf"(?<![\w.])({_alternation(list(_COUNTRY_ABBREV))})(?![\w])")

_SMALL = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALE = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}
_WORDNUM = (
    r"(?:a\s+(?:dozen|hundred|thousand)|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?(?:\s+(?:dozen|hundred|thousand|million))?)"
)
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s*(?:thousand|million))?|{_WORDNUM})"
_QUALIFIER = (
    r"(?:up to|about|around|roughly|approximately|some|at least|more than|over|nearly|almost|"
    r"as many as|fewer than|less than|an estimated|close to)"
)
_TROOP_UNIT = (
    r"(?:troops|soldiers|personnel|peacekeepers|servicemen|service members|military personnel|"
    r"officers|marines|paratroopers|fighters|observers|monitors|police officers|policemen|reservists|"
    r"carabinieri|gendarmes|sappers|blue helmets|ground forces|police)"
)
_TROOPS_RE = re.compile(
    rf"\b(?:(?P<q>{_QUALIFIER})\s+)?(?P<n>{_NUM})\s+(?P<mid>(?:[A-Za-z.\-]+\s+){{0,3}}?){_TROOP_UNIT}\b",
)
# "two killed as Israeli troops ...": words between a number and "troops" that make the number a count
# of something else (casualties, a clause of its own), never the size of a force
_NOT_TROOP_COUNT = frozenset(
    {"killed", "dead", "wounded", "injured", "hurt", "died", "die", "as", "and", "when", "while", "after",
     "were", "was", "are", "is", "by", "of", "people", "civilians", "children", "men", "women"}
)  # fmt: skip
_TROOPS_OF_RE = re.compile(
    rf"\b(?:force|contingent|deployment|mission)\s+of\s+(?:(?P<q>{_QUALIFIER})\s+)?(?P<n>{_NUM})\s+"
    rf"(?:troops|soldiers|personnel|peacekeepers|members)\b",
)
_DEATH = r"(?:killed|dead|deaths|died|killings|were killed|have been killed|casualties)"
_CASUALTIES_RE = re.compile(
    rf"\b(?:(?P<q1>{_QUALIFIER})\s+)?(?P<n1>{_NUM})\s+(?:[A-Za-z\-]+\s+){{0,3}}?{_DEATH}\b"
    rf"|\b(?:kill(?:ed|ing|s)?|death of)\s+(?:(?P<q2>{_QUALIFIER})\s+)?(?P<n2>{_NUM})\b",
)


# cheap pre-checks: the number regexes only run on texts that can match them. The regexes are
# compiled case-sensitively and read lower-cased text (several times faster than re.IGNORECASE).
_TROOP_HINTS = (
    "troop", "soldier", "personnel", "peacekeep", "servicem", "service mem", "officer", "marine",
    "paratroop", "fighter", "observer", "monitor", "police", "reservist", "carabinieri", "gendarme",
    "sapper", "helmet", "ground force",
)  # fmt: skip
_DEATH_HINTS = ("kill", "dead", "death", "died", "casualt")


def parse_number(text: str) -> int | None:
    """A number written in digits or words ("20,000", "two dozen", "1.5 million"); None if unreadable."""
    words = text.lower().replace(",", "").replace("-", " ").split()
    if not words:
        return None
    try:
        total = float(words[0])
        rest = words[1:]
    except ValueError:
        total, rest = 0.0, words
        for w in words:
            if w in _SMALL:
                total += _SMALL[w]
                rest = rest[1:]
            else:
                break
        if total == 0:
            return None
    for w in rest:
        if w not in _SCALE:
            return None
        total *= _SCALE[w]
    return int(total)


_last_mentions: list[tuple[str, tuple[tuple[int, str], ...]]] = [("", ())]


def country_mentions(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, country) of every country mention in ``text``, in order."""
    last_text, last = _last_mentions[0]
    if text == last_text:
        return last  # the engine asks twice per sentence: for entities, then for contributors
    found = [(m.start, COUNTRIES[m.key]) for m in _COUNTRY_INDEX.find(text)]
    if "U" in text or "DRC" in text:  # in every abbreviation, in few texts: most skip the regex's scan
        found += [(m.start(), _COUNTRY_ABBREV[m.group(1)]) for m in _ABBREV_RE.finditer(text)]
    out = tuple(sorted(found))
    _last_mentions[0] = (text, out)
    return out


def countries(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for _, name in country_mentions(text)))


def actors(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ACTORS[m.key] for m in _ACTOR_INDEX.find(text)))


def troops(text: str) -> tuple[int | None, str | None]:
    """The largest troop number in the text and its qualifier ("up to", "about", ...)."""
    best: tuple[int | None, str | None] = (None, None)
    text = text.lower()
    if not any(hint in text for hint in _TROOP_HINTS):
        return best
    for regex in (_TROOPS_RE, _TROOPS_OF_RE):
        for m in regex.finditer(text):
            mid = m.groupdict().get("mid")
            if mid and not _NOT_TROOP_COUNT.isdisjoint(mid.split()):
                continue
            n = parse_number(m.group("n"))
            if n is not None and (best[0] is None or n > best[0]):
                q = m.group("q")
                best = (n, q or None)
    return best


def casualties(text: str) -> int | None:
    """The largest number of people reported killed in the text."""
    best: int | None = None
    text = text.lower()
    if not any(hint in text for hint in _DEATH_HINTS):
        return best
    for m in _CASUALTIES_RE.finditer(text):
        raw = m.group("n1") or m.group("n2")
        n = parse_number(raw) if raw else None
        if n is not None and n < 10_000_000 and (best is None or n > best):
            best = n
    return best


_MONTHS = {
    name: k
    for k, full in enumerate(calendar.month_name)
    if k
    for name in (full.lower(), full.lower()[:3], full.lower()[:4])
}
_MONTH_RE = (
    r"(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DIGIT = re.compile(r"\d")
_DATE_RE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_RE}|{_MONTH_RE.replace('?P<m>', '?P<m2>')}"
    rf"(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?)?)\s+(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


_ON_DAY_RE = re.compile(
    rf"\bon\s+(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_RE}|{_MONTH_RE.replace('?P<m>', '?P<m2>')}"
    rf"\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)\b(?!,?\s+(?:19|20)\d\d)",
    re.IGNORECASE,
)


def days_without_year(text: str, published: date) -> list[date]:
    """Days written "on October 9" / "on 9 October" with no year: the last such day on or before
    ``published`` (a report of 20 October names 9 October of its own year; one of 3 January names
    28 December of the year before)."""
    out: list[date] = []
    if "on " not in text and "On " not in text:
        return out
    if _DIGIT.search(text) is None:
        return out  # both of its forms write the day in digits: one scan for a digit settles most texts
    for m in _ON_DAY_RE.finditer(text):
        month = _MONTHS.get((m.group("m") or m.group("m2")).lower().rstrip("."))
        if month is None:
            continue
        day = int(m.group("d1") or m.group("d2"))
        for year in (published.year, published.year - 1):
            if 1 <= day <= calendar.monthrange(year, month)[1] and date(year, month, day) <= published:
                out.append(date(year, month, day))
                break
    return out


def named_days(text: str) -> list[date]:
    """Dates written with month and year ("in July 2024", "5 March 2024", "March 5, 2024"); a month
    without a day counts as its last day (a truce in force at any time that month may apply)."""
    out: list[date] = []
    if "19" not in text and "20" not in text:
        return out  # no year, no date (the common case, checked without the regex)
    for m in _DATE_RE.finditer(text):
        month = _MONTHS.get((m.group("m") or m.group("m2")).lower().rstrip("."))
        if month is None:
            continue
        year = int(m.group("y"))
        last = calendar.monthrange(year, month)[1]
        raw_day = m.group("d1") or m.group("d2")
        day = int(raw_day) if raw_day else last
        if 1 <= day <= last:
            out.append(date(year, month, day))
    return out


def entities(text: str, *, context: str = "") -> Entities:
    """Everything extractable from ``text``; places fall back to ``context`` (the whole item) if none."""
    places = find_places(text) or (find_places(context) if context else ())
    n, qualifier = troops(text)
    return built(
        Entities,
        {
            "countries": countries(text),
            "actors": actors(text),
            "places": tuple(name for name, _ in places),
            "zones": zones_for(places),
            "troops": n,
            "troops_qualifier": qualifier,
            "casualties": casualties(text),
        },
    )
