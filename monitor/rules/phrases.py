"""Fast lookup of known names (places, countries, actors) in text: words → n-grams → dict.

A big alternation regex tries every name at every position; here the text is split into words once
and only words that can start a name are extended into 2- and 3-word phrases.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z0-9À-ÿ]+(?:[-'’][A-Za-z0-9À-ÿ]+)*")


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    text: str
    key: str


WORDS_KEPT = 64
"""Texts whose words ``split_words`` and ``word_set`` keep: the look-ups of one item (countries,
actors, places of its sentences and clauses) read the same few texts, and a text seldom comes back
after the item. 512 kept 4.7 MB of words in each parser process over a cold cycle, for no
measurable time (100 bodies of the mix: 1.02 s of CPU either way)."""


@lru_cache(maxsize=WORDS_KEPT)
def split_words(text: str) -> tuple[tuple[tuple[int, int, str], ...], frozenset[str]]:
    """(start, end, lower-case word) for each word, and the set of words; shared by every index."""
    low = text.lower().replace("’", "'")
    if len(low) != len(text):  # a letter whose lower case is longer: offsets must come from the text
        words = tuple(
            _bare(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _WORD.finditer(text)
        )
        return words, frozenset(w for _, _, w in words)
    # the words in C, then their offsets by str.find from the previous word's end: between two
    # matches there is nothing a word can start with, so the next occurrence is the match itself
    found = _WORD.findall(low)
    out: list[tuple[int, int, str]] = []
    find = low.find
    pos = 0
    possessive = "'s" in low
    for word in found:
        pos = find(word, pos)
        end = pos + len(word)
        out.append(_bare(pos, end, word) if possessive else (pos, end, word))
        pos = end
    if possessive:
        return tuple(out), frozenset(w for _, _, w in out)
    return tuple(out), frozenset(found)


def _bare(start: int, end: int, word: str) -> tuple[int, int, str]:
    """A word without its possessive "'s": "Israel's army" names Israel, "Hamas's" Hamas."""
    if word.endswith("'s") and len(word) > 2:
        return start, end - 2, word[:-2]
    return start, end, word


@lru_cache(maxsize=WORDS_KEPT)
def word_set(text: str) -> frozenset[str]:
    """``split_words(text)[1]`` without the offsets: enough to see that no name can be in the text,
    the usual answer, before paying for the offsets of every word."""
    low = text.lower().replace("’", "'")
    if len(low) != len(text) or "'s" in low:
        return split_words(text)[1]
    return frozenset(_WORD.findall(low))


class PhraseIndex:
    """Case-insensitive, whole-word lookup of phrases (keys are lower-case, words separated by spaces)."""

    def __init__(self, phrases: Mapping[str, object]) -> None:
        self._keys = frozenset(phrases)
        self._starts: dict[str, int] = {}
        for key in phrases:
            words = key.split(" ")
            self._starts[words[0]] = max(self._starts.get(words[0], 0), len(words))
        self._first = frozenset(self._starts)

    def find(self, text: str) -> list[Match]:
        """Every phrase in ``text``, longest first at each position, without overlaps, in order."""
        if self._first.isdisjoint(word_set(text)):
            return []
        words, _ = split_words(text)
        starts = self._starts
        keys = self._keys
        out: list[Match] = []
        n = len(words)
        after = 0  # first word not inside a phrase already found
        for i in [i for i, (_, _, w) in enumerate(words) if w in starts]:  # only words that start names
            if i < after:
                continue
            for k in range(min(starts[words[i][2]], n - i), 0, -1):
                key = words[i][2] if k == 1 else " ".join(w for _, _, w in words[i : i + k])
                if key in keys:
                    start, end = words[i][0], words[i + k - 1][1]
                    out.append(Match(start, end, text[start:end], key))
                    after = i + k
                    break
        return out
