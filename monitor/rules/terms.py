"""Words and phrases as the engine sees them: tokenising, inflecting terms, finding terms in tokens."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

_TOKEN = re.compile(r"[a-z0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?|[,;:()\"“”–—?]")
# contractions and possessives are folded before tokenising so "doesn't" reads "does not"
_FOLD = (
    ("’", "'"),
    ("‘", "'"),
    ("n't", " not"),
    ("cannot", "can not"),
    ("'s ", " "),
    ("cease-fire", "ceasefire"),
    ("cease fire", "ceasefire"),
    ("u.s.", "us "),
    ("u.n.", "un "),
    ("u.k.", "uk "),
)
CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", '"', "“", "”", "–", "—", "?", "but"})


def starts_any(words: Iterable[str], prefixes: tuple[str, ...]) -> bool:
    """Whether one of ``words`` starts with one of ``prefixes`` (the loop runs in C)."""
    return any(map(str.startswith, words, repeat(prefixes)))


def normalise(text: str) -> str:
    """Lower-case text with contractions, possessives and spellings of ceasefire folded."""
    out = text.lower() + " "
    for old, new in _FOLD:
        out = out.replace(old, new)
    return out


def tokenize(text: str) -> list[str]:
    """Word tokens plus clause punctuation; hyphens split words ("US-brokered" → us, brokered)."""
    return _TOKEN.findall(normalise(text))


def tokens_of(normalised: str) -> list[str]:
    """``tokenize`` of a text already passed through ``normalise``."""
    return _TOKEN.findall(normalised)


# --- inflection -----------------------------------------------------------------------------

_IRREGULAR: dict[str, tuple[str, ...]] = {
    "strike": ("struck", "striking"),
    "send": ("sent",),
    "withdraw": ("withdrew", "withdrawn"),
    "shoot": ("shot",),
    "fight": ("fought",),
    "begin": ("began", "begun", "beginning"),
    "break": ("broke", "broken"),
    "hit": ("hitting",),
    "lead": ("led",),
    "hold": ("held",),
    "seek": ("sought",),
    "take": ("took", "taken"),
    "rule": ("ruled",),
    "set": ("setting",),
    "put": ("putting",),
    "keep": ("kept",),
    "bring": ("brought",),
    "shell": ("shelled", "shelling"),
    "commit": ("committed", "committing"),
    "admit": ("admitted", "admitting"),
    "ship": ("shipped", "shipping"),
    "pull": ("pulled", "pulling"),
    "kill": ("killed", "killing"),
    "mobilise": ("mobilised", "mobilising", "mobilisation"),
    "mobilize": ("mobilized", "mobilizing", "mobilization"),
    "go": ("went", "gone", "goes"),
    "arrive": ("arrival", "arrivals"),
    "stand": ("stood",),
    "win": ("won",),
}
_VOWELS = set("aeiou")


def inflect(word: str) -> set[str]:
    """The word and its regular (plus a few irregular) English inflections."""
    forms = {word}
    forms.update(_IRREGULAR.get(word, ()))
    if len(word) < 3 or not word.isalpha():
        return forms
    if word.endswith("e"):
        forms.update({word + "s", word + "d", word[:-1] + "ing"})
    elif word.endswith("y") and word[-2] not in _VOWELS:
        forms.update({word[:-1] + "ies", word[:-1] + "ied", word + "ing"})
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms.update({word + "es", word + "ed", word + "ing"})
    else:
        forms.update({word + "s", word + "ed", word + "ing"})
    return forms


# --- terms ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase of a term list. Each part is a set of accepted forms or a prefix (``word*``)."""

    text: str
    parts: tuple[frozenset[str] | str, ...]

    @property
    def first_forms(self) -> frozenset[str]:
        first = self.parts[0]
        return first if isinstance(first, frozenset) else frozenset()

    @property
    def first_prefix(self) -> str | None:
        first = self.parts[0]
        return first if isinstance(first, str) else None

    def match_at(self, tokens: Sequence[str], i: int) -> int:
        """Length of the match starting at token ``i`` (0 when there is none)."""
        n = len(self.parts)
        if i + n > len(tokens):
            return 0
        for k, part in enumerate(self.parts):
            tok = tokens[i + k]
            if isinstance(part, str):
                if not tok.startswith(part):
                    return 0
            elif tok not in part:
                return 0
        return n


_TERMS: dict[str, Term] = {}
"""Every term compiled, by its text: the rules name the same terms many times over (a term set such
as @force_names is spelt out in every rule that names it), and a Term never changes."""
_FORMS: dict[frozenset[str], frozenset[str]] = {}
"""One set object per set of forms, shared by every term whose part it is."""


def compile_term(text: str) -> Term:
    """``"deploy"`` → deploy, deploys, deployed, deploying; ``"violat*"`` → prefix; ``"=war"`` → exact;
    a phrase inflects its first and last word ("pull back" → pulled back, pulling back, ...)."""
    term = _TERMS.get(text)
    if term is None:
        term = _TERMS.setdefault(text, _compile_term(text))
    return term


def _compile_term(text: str) -> Term:
    raw = text.strip()
    exact = raw.startswith("=")
    words = tokenize(raw.lstrip("="))
    if not words:
        raise ValueError(f"term {text!r} has no words")
    parts: list[frozenset[str] | str] = []
    for k, word in enumerate(words):
        if raw.endswith("*") and k == len(words) - 1:
            parts.append(word)
        else:
            forms = frozenset({word} if exact or (0 < k < len(words) - 1) else inflect(word))
            parts.append(_FORMS.setdefault(forms, forms))
    if raw.endswith("*") and len(words[-1]) < 3:
        raise ValueError(f"prefix term {text!r} is too short (at least 3 letters before *)")
    return Term(raw, tuple(parts))


@dataclass(frozen=True, slots=True)
class TermList:
    """Any-of a list of terms, with the keys the index needs."""

    terms: tuple[Term, ...]
    keys: frozenset[str]
    prefixes: tuple[str, ...]
    by_first: dict[str, tuple[Term, ...]]
    """Terms by the forms their first word takes, longest phrase first (so the longest match wins)."""
    prefix_terms: tuple[Term, ...]
    singles: frozenset[str]
    """First-word forms whose longest term is that one word: a match of length 1 without a check."""
    mask: int = 0
    """One bit per first-word form (bits shared by every term list): ``mask & Tokens.mask`` tells in
    one step whether any of them is in an indexed sentence."""
    tree: dict[str, _Node] = field(default_factory=dict)
    """The terms of ``by_first`` as one tree over tokens: first-word form → node. A look-up at a
    position walks it once, however many phrases share their first words, and the deepest end it
    reaches is the longest term there (what trying ``by_first``'s terms longest first finds)."""

    @classmethod
    def of(cls, terms: Iterable[Term]) -> TermList:
        """The list of ``terms``: one object for every list of the same terms in the same order
        (the rules spell out many lists alike: each one names a term set), since a TermList never
        changes and its matches depend only on its terms."""
        ts = tuple(terms)
        made = _LISTS.get(ts)
        if made is None:
            made = _LISTS.setdefault(ts, cls._of(ts))
        return made

    @classmethod
    def _of(cls, ts: tuple[Term, ...]) -> TermList:
        keys = frozenset(f for t in ts for f in t.first_forms)
        prefixes = tuple(sorted({p for t in ts if (p := t.first_prefix) is not None}))
        by_first: dict[str, list[Term]] = {}
        for t in ts:
            for f in t.first_forms:
                by_first.setdefault(f, []).append(t)
        ordered = {f: tuple(sorted(v, key=lambda t: -len(t.parts))) for f, v in by_first.items()}
        prefix_terms = tuple(t for t in ts if t.first_prefix is not None)
        singles = frozenset(f for f, v in ordered.items() if len(v[0].parts) == 1)
        return cls(ts, keys, prefixes, ordered, prefix_terms, singles, _mask_of(keys), _tree_of(ts))

    def may_occur(self, token_set: frozenset[str] | set[str]) -> bool:
        """Cheap pre-check: some term's first word is among the tokens."""
        if not self.keys.isdisjoint(token_set):
            return True
        return starts_any(token_set, self.prefixes) if self.prefixes else False

    def find(self, tokens: Sequence[str], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """(position, length) of every match in ``tokens[start:end]``."""
        stop = len(tokens) if end is None else end
        if type(tokens) is Tokens and start >= 0 and stop <= len(tokens):
            whole = self._whole(tokens)
            if start == 0 and stop == len(tokens):
                return list(whole)
            cut: list[tuple[int, int]] = []
            for hit in whole:  # the whole sentence's matches that lie in [start, stop), in order
                i, n = hit
                if i < start:
                    continue
                if i >= stop:
                    break
                if i + n <= stop:
                    cut.append(hit)
                else:  # one that runs past ``stop``: a shorter term may still fit, as a scan finds
                    short = self._at(tokens, i, stop)
                    if short is not None:
                        cut.append(short)
            return cut
        prefixes = self.prefixes
        if not prefixes and self.keys.isdisjoint(tokens[start:stop]):
            return []  # checked in C; most look-ups find nothing
        hits: list[tuple[int, int]] = []
        tree = self.tree
        singles = self.singles
        at = self._at
        for i in range(start, stop):
            tok = tokens[i]
            if tok in singles:
                hits.append((i, 1))  # its terms are all single words: the first one matches
            elif tok in tree or (prefixes and tok.startswith(prefixes)):
                found = at(tokens, i, stop)
                if found is not None:
                    hits.append(found)
        return hits

    def find_all(self, tokens: Sequence[str]) -> Sequence[tuple[int, int]]:
        """``find(tokens)`` over the whole of ``tokens``; on an indexed sentence, its kept matches
        themselves (no copy: read them, do not change them)."""
        if type(tokens) is Tokens:
            return self._whole(tokens)
        return self.find(tokens)

    def occurs(self, tokens: Sequence[str], start: int = 0, end: int | None = None) -> bool:
        stop = len(tokens) if end is None else end
        if type(tokens) is Tokens and start >= 0 and stop <= len(tokens):
            for i, n in self._whole(tokens):
                if i < start:
                    continue
                if i >= stop:
                    return False
                if i + n <= stop or self._at(tokens, i, stop) is not None:
                    return True
            return False
        prefixes = self.prefixes
        if not prefixes and self.keys.isdisjoint(tokens[start:end]):
            return False  # checked in C; the common case for guard word lists
        # the scan of ``find``, up to its first match
        tree = self.tree
        singles = self.singles
        for i in range(start, stop):
            tok = tokens[i]
            if tok in singles:
                return True
            if (tok in tree or (prefixes and tok.startswith(prefixes))) and self._at(
                tokens, i, stop
            ) is not None:
                return True
        return False

    def _at(self, tokens: Sequence[str], i: int, stop: int) -> tuple[int, int] | None:
        """The longest match starting at token ``i`` and ending by ``stop``, else None (a term of
        ``by_first`` before a prefix term, as trying ``by_first``'s terms and then ``prefix_terms``
        in order finds)."""
        tok = tokens[i]
        node = self.tree.get(tok)
        if node is not None:
            if tok in self.singles:
                return (i, 1)  # its terms are all single words: the first one matches
            children, ends, ending = node
            best = 1 if ends else 0
            j = i + 1
            limit = min(stop, len(tokens))
            while j < limit:
                word = tokens[j]
                j += 1
                if ending and word.startswith(ending):
                    best = j - i  # a phrase whose last word is a prefix ends here
                step = children.get(word)
                if step is None:
                    break
                children, ends, ending = step
                if ends:
                    best = j - i
            if best:
                return (i, best)
        if self.prefixes and tok.startswith(self.prefixes):
            for term in self.prefix_terms:
                n = term.match_at(tokens, i)
                if n and i + n <= stop:
                    return (i, n)
        return None

    def _whole(self, tokens: Tokens) -> list[tuple[int, int]]:
        """The matches over the whole indexed sentence, found once from where its words occur (not
        by a scan) and kept on the sentence for every later look-up."""
        kept = tokens.found
        found = kept.get(id(self))
        if found is not None and found[0] is self:
            return found[1]
        where = tokens.where
        singles = self.singles
        prefixes = self.prefixes
        if prefixes:
            by_first = self.by_first
            at = [i for tok, ps in where.items() if tok in by_first or tok.startswith(prefixes) for i in ps]
            at.sort()
        else:
            if not self.mask & tokens.mask:
                return _NONE  # none of its first words is in the sentence: one AND, nothing kept
            words = self.keys.intersection(tokens.words)
            if len(words) == 1:
                at = where[next(iter(words))]  # ascending already (read, never changed)
            else:
                at = sorted([i for tok in words for i in where[tok]])
            if words <= singles:  # one-word terms only: every position is a match of length 1
                hits = [(i, 1) for i in at]
                kept[id(self)] = (self, hits)
                return hits
        hits = []
        stop = len(tokens)
        for i in at:
            if tokens[i] in singles:
                hits.append((i, 1))
            else:
                hit = self._at(tokens, i, stop)
                if hit is not None:
                    hits.append(hit)
        kept[id(self)] = (self, hits)
        return hits


_Node = tuple[dict[str, "_Node"], bool, tuple[str, ...]]
"""A node of ``TermList.tree``: the next words' nodes, whether a term ends here, and the prefixes
of the terms whose last word (a prefix) comes next."""


def _tree_of(terms: Sequence[Term]) -> dict[str, _Node]:
    """The tree of the terms whose first word is a set of forms (``TermList.tree``)."""
    root: dict[str, list[Any]] = {}

    def grow(level: dict[str, list[Any]], forms: frozenset[str]) -> list[list[Any]]:
        return [level.setdefault(f, [{}, False, set()]) for f in sorted(forms)]

    for term in terms:
        first = term.parts[0]
        if not isinstance(first, frozenset):
            continue
        nodes = grow(root, first)
        for part in term.parts[1:]:
            if isinstance(part, str):
                for node in nodes:
                    node[2].add(part)
                nodes = []
                break
            nodes = [child for node in nodes for child in grow(node[0], part)]
        for node in nodes:
            node[1] = True

    def frozen(level: dict[str, list[Any]]) -> dict[str, _Node]:
        return {
            w: shared(frozen(kids), ends, tuple(sorted(ending))) for w, (kids, ends, ending) in level.items()
        }

    def shared(kids: dict[str, _Node], ends: bool, ending: tuple[str, ...]) -> _Node:
        # most nodes are the last word of a term: one shared node per kind of end (the tree is
        # only read, never changed, once made)
        if kids:
            return (kids, ends, ending)
        return _LEAVES.setdefault((ends, ending), ({}, ends, ending))

    return frozen(root)


_LEAVES: dict[tuple[bool, tuple[str, ...]], _Node] = {}
"""The nodes without a next word of every tree (``_tree_of``), by whether a term ends there and
the prefixes that may follow."""
_LISTS: dict[tuple[Term, ...], TermList] = {}
"""Every term list made, by its terms (``TermList.of``)."""
_BITS: dict[str, int] = {}
"""first-word form of any term list → its bit; grows as term lists are made (a few thousand words)"""
_NONE: list[tuple[int, int]] = []  # the matches of a list whose words are absent (never appended to)


_BITS_LOCK = threading.Lock()


def _mask_of(keys: Iterable[str]) -> int:
    mask = 0
    with _BITS_LOCK:  # two lists made at once must not give one word two bits
        for key in keys:
            bit = _BITS.get(key)
            if bit is None:
                bit = _BITS[key] = 1 << len(_BITS)
            mask |= bit
    return mask


class Tokens(tuple[str, ...]):
    """One sentence's tokens, with where each word occurs and each term list's matches kept on it,
    so the many look-ups a sentence gets (triggers, required groups, every guard's list over its
    windows) cost a dictionary look-up instead of a scan each. A tuple: its words never change."""

    where: dict[str, list[int]]
    """token → its positions, ascending"""
    words: set[str]
    """the distinct tokens (set operations with a term list's keys walk the smaller of the two)"""
    mask: int
    """the bits (``TermList.mask``) of its tokens that start some term list's term"""
    found: dict[int, tuple[TermList, list[tuple[int, int]]]]
    """id of a term list → (that list, its matches over the whole sentence)"""

    def __new__(cls, tokens: Iterable[str]) -> Tokens:
        self = super().__new__(cls, tokens)
        where: dict[str, list[int]] = {}
        for i, tok in enumerate(self):
            at = where.get(tok)
            if at is None:
                where[tok] = [i]
            else:
                at.append(i)
        self.where = where
        self.words = set(where)
        # the sentence's few words looked up in the bits, not the bits' thousands of words in its set
        bits = _BITS.get
        mask = 0
        for word in where:
            bit = bits(word)
            if bit:
                mask |= bit
        self.mask = mask
        self.found = {}
        return self


def term_list(texts: Iterable[str]) -> TermList:
    return TermList.of(compile_term(t) for t in texts)
