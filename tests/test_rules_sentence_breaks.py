"""Sentence breaks found from the full stop agree with the look-behind pattern that defines them."""

from __future__ import annotations

import random

import pytest

from monitor.rules.engine import _SENTENCE_END, sentence_breaks, split_sentences

_ALPHABET = list("ab .!?\n\t\"”’'“‘(AZ09")


@pytest.mark.parametrize("seed", range(10))
def test_breaks_equal_the_defining_pattern_on_random_text(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40)))
        assert sentence_breaks(text) == [m.span() for m in _SENTENCE_END.finditer(text)], repr(text)


def test_breaks_of_a_headline_and_summary() -> None:
    text = 'Truce holds. "Strikes resumed," he said?! Then\n\nquiet. U.S. envoy arrives. it goes on.'
    assert sentence_breaks(text) == [m.span() for m in _SENTENCE_END.finditer(text)]
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Truce holds.",
        '"Strikes resumed," he said?!',
        "Then",
        "quiet.",
        "U.S. envoy arrives. it goes on.",
    ]
