"""An indexed sentence (Tokens) answers every term-list look-up exactly as a scan of its tokens does."""

from __future__ import annotations

import random

import pytest

from monitor.rules import engine as engine_mod
from monitor.rules import guards
from monitor.rules.loader import compile_rules, default_rules_text
from monitor.rules.terms import TermList, Tokens, term_list


def _lists() -> list[TermList]:
    rules = compile_rules([("defaults", default_rules_text())])
    found: list[TermList] = []
    for rule in rules:
        found += [rule.trigger, *rule.all]
        found += [t for t in (rule.any, rule.none) if t is not None]
    for module in (guards, engine_mod):
        found += [v for v in vars(module).values() if isinstance(v, TermList)]
    found += [terms for _, terms in guards.ATTRIBUTION]
    # phrases that overlap, a prefix and a phrase running past a range's end
    found.append(term_list(["pull back", "pull", "=pull back from the", "violat*", "in defiance of"]))
    return found


LISTS = _lists()


def _vocabulary() -> list[str]:
    words = {
        w
        for tl in LISTS
        for t in tl.terms
        for part in t.parts
        for w in (part if isinstance(part, frozenset) else {part + "ed", part})
    }
    return sorted(words | {",", "the", "said", "x"})


@pytest.mark.parametrize("seed", range(40))
def test_indexed_find_equals_scan(seed: int) -> None:
    rng = random.Random(seed)
    vocab = _vocabulary()
    words = [rng.choice(vocab) for _ in range(rng.randint(1, 70))]
    indexed = Tokens(words)
    assert indexed == tuple(words)
    n = len(words)
    for tl in LISTS:
        assert tl.find(indexed) == tl.find(words)
        assert tl.occurs(indexed) == tl.occurs(words)
        for _ in range(6):
            start = rng.randint(0, n)
            end = rng.randint(start, n)
            assert tl.find(indexed, start, end) == tl.find(words, start, end), (tl.terms[0].text, start, end)
            assert tl.occurs(indexed, start, end) == tl.occurs(words, start, end)


def test_a_shorter_term_fits_a_range_the_longest_runs_past() -> None:
    tl = term_list(["pull back", "pull"])
    words = ["they", "pull", "back", "now"]
    assert tl.find(Tokens(words)) == [(1, 2)]
    assert tl.find(Tokens(words), 0, 2) == [(1, 1)] == tl.find(words, 0, 2)
