"""Search that finds what a person means: case and accents ignored, the gazetteer's spellings of a
place taken as one ("Khan Yunis" finds "Khan Younis"), word forms folded ("killed" finds "kills"),
and the last word matched as a prefix while it is being typed.

Pure Python; the app builds one ``Searchable`` per incident and keeps it until the incident changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from monitor.text import sanitize

WORD = re.compile(r"\w+")
SPELLING_SIMILARITY = 80
"""Two names the gazetteer gives the same zone are spellings of one place when they are at least
this similar (rapidfuzz ratio, 0-100): "khan yunis"/"khan younis", "jabalia"/"jabaliya", but not
"jabalia"/"beit lahia", which are two places in one governorate."""


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents or other marks: "Bayt Lāhiyā" → "bayt lahiya"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stem, the same for the forms a reader treats as one word.

    kills, killed, killing → kil; strike, strikes, striking → strik; casualties → casualty.
    Applied alike to the text and to the query, so its roughness matters little.
    """
    w = word
    if len(w) > 4:
        for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ment", ""), ("ing", ""), ("ed", "")):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)] + replacement
                break
        else:
            if w.endswith(("ches", "shes", "sses", "xes", "zes")):
                w = w[:-2]
            elif w.endswith("s") and not w.endswith("ss"):
                w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]
    return w


@lru_cache(maxsize=1)
def spellings() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each gazetteer spelling of a place (folded words) → the words of its first spelling."""
    from monitor.rules.gazetteer import PLACES

    by_zone: dict[str, list[tuple[str, ...]]] = {}
    for place, zone in PLACES.items():
        by_zone.setdefault(zone, []).append(tuple(fold(w) for w in WORD.findall(place)))
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for names in by_zone.values():
        clusters: list[list[tuple[str, ...]]] = []  # spellings of one place; the first names it
        for words in names:
            home = next(
                (
                    c
                    for c in clusters
                    if any(fuzz.ratio(" ".join(m), " ".join(words)) >= SPELLING_SIMILARITY for m in c)
                ),
                None,
            )
            if home is None:
                clusters.append([words])
            else:
                home.append(words)
            table[words] = (home or [words])[0]
    return table


@lru_cache(maxsize=1)
def _starts() -> dict[str, int]:
    """First word of each spelling → the most words a spelling starting with it has."""
    out: dict[str, int] = {}
    for words in spellings():
        out[words[0]] = max(out.get(words[0], 0), len(words))
    return out


@dataclass(frozen=True)
class Token:
    """One word of a text, folded and stemmed, with where it stands in the original text."""

    stem: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words of ``text``, with gazetteer spellings replaced by their first spelling."""
    words = [(fold(m.group()), m.start(), m.end()) for m in WORD.finditer(text)]
    table, starts = spellings(), _starts()
    out: list[Token] = []
    i = 0
    while i < len(words):
        longest = starts.get(words[i][0], 0)
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(w for w, _, _ in words[i : i + n])
            canonical = table.get(phrase)
            if canonical is not None and canonical != phrase:
                start, end = words[i][1], words[i + n - 1][2]
                out += [Token(stem(w), start, end) for w in canonical]
                i += n
                break
        else:
            word, start, end = words[i]
            out.append(Token(stem(word), start, end))
            i += 1
    return out


@dataclass(frozen=True)
class Searchable:
    """The words of an incident's searched fields, as one string for fast prefix tests."""

    words: str

    @classmethod
    def of(cls, fields: Iterable[str]) -> Searchable:
        stems: set[str] = set()
        for text in fields:
            if text:
                stems.update(_field_stems(text))
        return cls(" " + " ".join(sorted(stems)))


@lru_cache(maxsize=16384)
def _field_stems(text: str) -> frozenset[str]:
    """Zones, actors and countries repeat across incidents: their words are folded once. The text
    is sanitised first, as it is for display, so search reads what the screen shows (an escape
    sequence in a stored title is no part of any word)."""
    return frozenset(t.stem for t in tokens(sanitize(text)))


@dataclass(frozen=True)
class Query:
    """What was typed, as stems; every stem must begin some word of the incident."""

    text: str
    stems: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Query:
        return cls(text, tuple(dict.fromkeys(t.stem for t in tokens(text))))

    def matches(self, searchable: Searchable) -> bool:
        return all(f" {s}" in searchable.words for s in self.stems)

    def narrows(self, earlier: Query) -> bool:
        """True when everything this query matches, ``earlier`` matched too (typing on): each
        earlier stem begins one of ours, so it begins whatever word ours begins."""
        return all(any(s.startswith(e) for s in self.stems) for e in earlier.stems)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the query's words stand in ``text`` (for highlighting), merged and in order."""
        if not self.stems:
            return []
        found = sorted(
            (t.start, t.end) for t in tokens(text) if any(t.stem.startswith(s) for s in self.stems)
        )
        merged: list[tuple[int, int]] = []
        for start, end in found:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged


def highlight_spans(query: str, text: str) -> Sequence[tuple[int, int]]:
    return Query.parse(query).spans(text) if query.strip() else ()
