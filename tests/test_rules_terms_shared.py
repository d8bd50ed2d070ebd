"""Terms and term lists are made once per text and shared: same matches, one object."""

from __future__ import annotations

import pytest

from monitor.rules.loader import default_rules_text
from monitor.rules.phrases import split_words, word_set
from monitor.rules.terms import TermList, Tokens, compile_term, term_list, tokenize


def test_a_term_is_compiled_once_per_text() -> None:
    assert compile_term("deploy troops") is compile_term("deploy troops")
    # the forms of a word are one set wherever the word takes them
    assert compile_term("deploy").parts[0] is compile_term("deploy troops").parts[0]
    assert compile_term("=war").parts[0] is compile_term("the war zone").parts[1]


def test_a_bad_term_fails_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="too short"):
            compile_term("ab*")


def test_lists_of_the_same_terms_are_one_list_and_others_are_not() -> None:
    one = term_list(["open fire", "shell*", "=war"])
    assert term_list(["open fire", "shell*", "=war"]) is one
    other = term_list(["shell*", "open fire", "=war"])  # the order is the list's: another list
    assert other is not one
    assert TermList.of([compile_term("open fire")]) is not one


def test_lists_sharing_end_nodes_still_find_their_own_terms() -> None:
    # both trees end on a shared node after "fire" / "troops"; neither finds the other's phrase
    fire = term_list(["open fire", "cease fire now"])
    troops = term_list(["send troops"])
    words = tokenize("they sent troops and opened fire")
    for tokens in (Tokens(words), words):  # indexed and scanned
        assert fire.find(tokens) == [(4, 2)]
        assert troops.find(tokens) == [(1, 2)]
    assert fire.tree["open"][0]["fire"] is troops.tree["send"][0]["troops"]


def test_the_default_rules_share_their_term_sets() -> None:
    from monitor.rules.loader import compile_rules

    first = compile_rules([("defaults", default_rules_text())])
    again = compile_rules([("defaults", default_rules_text())])
    assert first[0].trigger is again[0].trigger
    texts: dict[str, object] = {}
    for rule in first:
        for term in rule.trigger.terms:
            assert texts.setdefault(term.text, term) is term


def test_the_word_caches_answer_alike_beyond_their_size() -> None:
    texts = [f"Forces of country {n} crossed into Gaza's north" for n in range(300)]
    fresh = [(split_words.__wrapped__(t), word_set.__wrapped__(t)) for t in texts]
    for _ in range(2):
        assert [(split_words(t), word_set(t)) for t in texts] == fresh
