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


@lru_cache(maxsize=512)
def split_words(text: str) -> tuple[tuple[tuple[int, int, str], ...], frozenset[str]]:
    """(start, end, lower-case word) for each word, and the set of words; shared by every index."""
    words = tuple((m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _WORD.finditer(text))
    return words, frozenset(w for _, _, w in words)


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
        words, lowers = split_words(text)
        if self._first.isdisjoint(lowers):
            return []
        starts = self._starts
        out: list[Match] = []
        i = 0
        n = len(words)
        while i < n:
            longest = starts.get(words[i][2], 0)
            hit = 0
            for k in range(min(longest, n - i), 0, -1):
                key = " ".join(w for _, _, w in words[i : i + k])
                if key in self._keys:
                    hit = k
                    break
            if hit:
                start, end = words[i][0], words[i + hit - 1][1]
                out.append(Match(start, end, text[start:end], " ".join(w for _, _, w in words[i : i + hit])))
                i += hit
            else:
                i += 1
        return out
