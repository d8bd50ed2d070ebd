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
def bare_words(text: str) -> tuple[str, ...]:
    """The words of ``split_words(text)`` without their offsets: one ``findall`` in C, enough to
    look names up; the offsets are paid for only when a name is found."""
    low = text.lower().replace("’", "'")
    if len(low) != len(text):
        return tuple(w for _, _, w in split_words(text)[0])
    found = _WORD.findall(low)
    if "'s" in low:
        return tuple(w[:-2] if w.endswith("'s") and len(w) > 2 else w for w in found)  # as ``_bare``
    return tuple(found)


@lru_cache(maxsize=WORDS_KEPT)
def word_set(text: str) -> frozenset[str]:
    """``split_words(text)[1]`` without the offsets: enough to see that no name can be in the text,
    the usual answer, before looking at the words in order."""
    return frozenset(bare_words(text))


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
        words = bare_words(text)
        starts = self._starts
        keys = self._keys
        found: list[tuple[int, int, str]] = []  # (first word, number of words, key)
        n = len(words)
        after = 0  # first word not inside a phrase already found
        for i in [i for i, w in enumerate(words) if w in starts]:  # only words that start names
            if i < after:
                continue
            first = words[i]
            for k in range(min(starts[first], n - i), 0, -1):
                key = first if k == 1 else " ".join(words[i : i + k])
                if key in keys:
                    found.append((i, k, key))
                    after = i + k
                    break
        if not found:
            return []  # first words without their names (the usual case on conflict text)
        spans, _ = split_words(text)
        out: list[Match] = []
        for i, k, key in found:
            start, end = spans[i][0], spans[i + k - 1][1]
            out.append(Match(start, end, text[start:end], key))
        return out
