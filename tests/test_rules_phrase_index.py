"""A name index finds the same names, at the same offsets, as a walk over every word's offsets."""

from __future__ import annotations

import random

import pytest

from monitor.rules import extract, gazetteer
from monitor.rules.phrases import Match, PhraseIndex, bare_words, split_words, word_set


def _walk(index: PhraseIndex, text: str) -> list[Match]:
    """The look-up written plainly: every word with its offsets, longest phrase first at each word."""
    words, _ = split_words(text)
    keys = frozenset(index._keys)
    longest = max((len(k.split(" ")) for k in keys), default=1)
    out: list[Match] = []
    i = 0
    while i < len(words):
        for k in range(min(longest, len(words) - i), 0, -1):
            key = " ".join(w for _, _, w in words[i : i + k])
            if key in keys:
                start, end = words[i][0], words[i + k - 1][1]
                out.append(Match(start, end, text[start:end], key))
                i += k
                break
        else:
            i += 1
    return out


INDEXES = {
    "places": gazetteer._PLACE_INDEX,
    "cues": gazetteer._CUE_INDEX,
    "countries": extract._COUNTRY_INDEX,
    "actors": extract._ACTOR_INDEX,
}


def _text(rng: random.Random, names: list[str]) -> str:
    filler = ["the", "near", "troops", "in", "of", "said", "strike", "border", "north", "south", "İstanbul"]
    parts: list[str] = []
    for _ in range(rng.randint(0, 25)):
        word = rng.choice(names) if rng.random() < 0.4 else rng.choice(filler)
        if rng.random() < 0.2:
            word = word.title()
        if rng.random() < 0.1:
            word += rng.choice(["'s", "’s", ",", ".", "-led"])
        parts.append(word)
    return " ".join(parts)


@pytest.mark.parametrize("name", sorted(INDEXES))
def test_index_matches_the_plain_walk(name: str) -> None:
    index = INDEXES[name]
    rng = random.Random(name)
    names = sorted(index._keys)
    found = 0
    for _ in range(3000):
        text = _text(rng, names)
        got = index.find(text)
        assert got == _walk(index, text), text
        found += bool(got)
    assert found > 500  # the texts do name things


def test_bare_words_are_split_words_without_offsets() -> None:
    for text in ["Israel's army and Hamas's fighters", "İzmir and IRAN’s navy", "", "U.S.-led strikes"]:
        words, names = split_words(text)
        assert bare_words(text) == tuple(w for _, _, w in words)
        assert word_set(text) == names
