"""An indexed sentence (Tokens) answers every term-list look-up exactly as a scan of its tokens does."""

from __future__ import annotations

import random

import pytest

from monitor.rules import engine as engine_mod
from monitor.rules import guards
from monitor.rules.loader import compile_rules, default_rules_text
from monitor.rules.terms import TermList, Tokens, compile_term, term_list


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
    found.append(
        term_list(["pull back", "pull", "=pull back from the", "violat*", "in defiance of", "peace talk*"])
    )
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


def _reference_find(tl: TermList, words: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Each term tried on its own at each position: the terms of the first word longest first, then
    the prefix terms in order; the first that fits in the range is the match there."""
    hits: list[tuple[int, int]] = []
    for i in range(start, end):
        terms = [t for t in tl.terms if t.first_prefix is None and words[i] in t.first_forms]
        terms.sort(key=lambda t: -len(t.parts))
        if tl.prefixes and words[i].startswith(tl.prefixes):
            terms += list(tl.prefix_terms)
        for term in terms:
            n = term.match_at(words, i)
            if n and i + n <= end:
                hits.append((i, n))
                break
    return hits


@pytest.mark.parametrize("seed", range(25))
def test_the_phrase_tree_finds_what_trying_each_term_finds(seed: int) -> None:
    rng = random.Random(1000 + seed)
    vocab = _vocabulary()
    words = [rng.choice(vocab) for _ in range(rng.randint(1, 60))]
    indexed = Tokens(words)
    n = len(words)
    for tl in LISTS:
        for start, end in [(0, n)] + [(a, rng.randint(a, n)) for a in (rng.randint(0, n) for _ in range(4))]:
            want = _reference_find(tl, words, start, end)
            assert tl.find(words, start, end) == want, (tl.terms[0].text, start, end)
            assert tl.find(indexed, start, end) == want, (tl.terms[0].text, start, end)
            assert tl.occurs(words, start, end) is bool(want)
            assert tl.occurs(indexed, start, end) is bool(want)


def test_the_phrase_tree_keeps_the_longest_phrase_and_a_prefix_last_word() -> None:
    tl = term_list(["=old shell", "=old shells", "=old", "peace talk*", "=before the truce took effect"])
    words = ["old", "shells", "peace", "talking", "before", "the", "truce", "took", "effect"]
    assert tl.find(words) == [(0, 2), (2, 2), (4, 5)]
    assert tl.find(Tokens(words)) == [(0, 2), (2, 2), (4, 5)]
    assert tl.find(words, 4, 8) == []  # the phrase runs past the range, and no shorter term fits
    assert tl.find(words, 0, 1) == [(0, 1)]  # "old" alone, where "old shells" runs past


def test_rules_naming_the_same_terms_share_one_list() -> None:
    """A sentence keeps a list's matches by the list, so rules that name the same terms must hold
    the same list for those matches to be found once per sentence."""
    rules = compile_rules([("defaults", default_rules_text())])
    by_terms: dict[tuple[str, ...], list[TermList]] = {}
    for rule in rules:
        for group in (rule.trigger, *rule.all):
            by_terms.setdefault(tuple(t.text for t in group.terms), []).append(group)
    assert max(len(lists) for lists in by_terms.values()) > 1  # the default rules do repeat a group
    for lists in by_terms.values():
        assert all(group is lists[0] for group in lists)
    # the same terms in another order are another list: the first of two equal matches may differ
    terms = tuple(compile_term(t) for t in ("pull back", "pull", "violat*"))
    assert TermList.of(terms) is TermList.of(tuple(compile_term(t) for t in ("pull back", "pull", "violat*")))
    assert TermList.of(terms) is not TermList.of(terms[::-1])
