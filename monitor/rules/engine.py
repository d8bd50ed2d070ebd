"""The rules engine: Item → Events. Pure: no I/O here (rules are loaded by monitor.rules.loader).

Speed comes from an index: the text is tokenised once, its token set looked up in a map from trigger
words to rules, and only those candidate rules are evaluated, sentence by sentence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from monitor.models import UNLOCATED, Category, Entities, Event, EventStatus, Item, Severity, utcnow
from monitor.rules import extract, fd_clauses, gazetteer, ngram
from monitor.rules.guards import HYPOTHETICAL, dated_long_before, guard_hit, scope, status_of, target_use
from monitor.rules.model import GuardName, Rule
from monitor.rules.ngram import CATEGORIES as STATISTICAL_CATEGORIES
from monitor.rules.ngram import NgramModel
from monitor.rules.records import built
from monitor.rules.terms import (
    CLAUSE_BREAKS,
    TermList,
    Tokens,
    normalise,
    starts_any,
    term_list,
    tokenize,
    tokens_of,
)

TRUCE = term_list(
    [
        "=ceasefire", "=ceasefires", "truce", "armistice", "moratorium", "=humanitarian pause", "=the pause",
        "=cessation of hostilities", "peace deal", "peace agreement", "peace accord", "=halt in fighting",
        "=pause in fighting", "=halt to the fighting", "=minsk agreements", "=minsk agreement",
        "=minsk accords", "=minsk accord", "=sochi agreement", "=sochi deal", "=sochi memorandum",
        "=idlib deal", "=idlib agreement",
    ]
)  # fmt: skip
# a truce named as wished for, negotiated or metaphorical is not a truce in force (GUIDELINE C6, C10)
_NOT_IN_FORCE_BEFORE = term_list(
    [
        "call for", "urge", "demand", "=demanding", "seek", "propose", "=proposed", "push for",
        "hope", "want", "negotiate", "=negotiating", "=reach", "=reaching", "=broker a",
        "=towards", "=toward", "=secure", "=agree on", "=possible", "=immediate", "=without",
        "=talks on", "=talks for", "=negotiations on", "=press for", "=pressed for", "=pressing for",
        "=pushed for", "=pushing for", "=bid for", "=efforts for", "=plan for", "=deal on",
        # a truce still to come: "after news of a ceasefire deal", "an impending ceasefire" (C6)
        "=news of", "=impending", "=imminent", "=anticipated", "=looming", "=prospective", "=potential",
    ]
)  # fmt: skip
_METAPHOR = frozenset({"trade", "tariff", "political", "media", "commercial", "fragile-looking"})
# the acts timed to the hours before a truce: "in the countdown to the 2am ceasefire" (C6)
_UP_TO_TRUCE = term_list(
    [
        "=countdown to", "=leading up to", "=in the run-up to", "=run-up to", "=right up to",
        "=in the hours before", "=in the minutes before", "=hours before", "=minutes before",
    ]
)  # fmt: skip
_CIVIL = frozenset(
    {
        "fans", "clubs", "club", "unions", "union", "families", "rappers", "bands", "companies", "firms",
        "networks", "brothers", "politicians", "teams", "players", "owners", "leagues", "studios",
    }
)  # fmt: skip
_NOT_IN_FORCE_AFTER = term_list(
    [
        "=talks", "=negotiations", "=proposal", "=plan", "=bid", "=framework", "=offer", "=call", "=calls",
        "=ended", "=ends", "=expired", "=lapsed", "=was over", "=is over",
        # "despite the ceasefire announcement", "the ceasefire deal announced on Wednesday": the
        # news of a truce, which has not yet taken effect (C6)
        "=announcement", "=deal announced", "=agreement announced",
    ]
)  # fmt: skip
# a truce named as ended is no longer in force: "ends the 30-year ceasefire" (GUIDELINE C6)
_ENDED_BEFORE = term_list(
    [
        "end", "=expiry of", "=expiration of", "=abandoned", "=scrapped", "=not to renew", "=not renew",
        "=not renewing", "=failed to renew", "=refused to renew", "=not to extend", "=not extend",
        "=failed to extend", "=refused to extend",
    ]
)  # fmt: skip
# a truce's own verb, later in its clause, that says it is over: "the ceasefire mediated by the U.S.
# and Saudi Arabia expired", "a truce that had brought a lull" (GUIDELINE C6)
_OVER_VERBS = frozenset(
    {"expired", "expires", "expire", "ended", "ends", "lapsed", "lapses", "elapsed", "over", "out"}
)
# the present of a truce's end is its future, unless the act is dated after it ("resumes after the
# truce expires", a headline's past)
_OVER_PRESENT = frozenset({"expires", "expire", "ends", "lapses"})
_AFTER_ITS_END = frozenset({"after", "since", "once", "when", "following"})
_OVER_FROM = frozenset({"ran", "runs", "run", "was", "is", "came", "had"})  # "ran out", "was over"
# what a truce that "ended" ends, when it is the truce's object: "the truce that ended the war" is in force
_ENDED_OBJECT = frozenset(
    {
        "the", "a", "an", "its", "their", "this", "that", "war", "wars", "fighting", "hostilities", "clashes",
        "violence", "years", "months", "weeks", "days", "two", "three", "four", "five", "six", "decades",
    }
)  # fmt: skip
_RELATIVE = frozenset({"that", "which"})
# the pluperfect of a truce's lull, in a relative clause: it held then, not now
_HELD_THEN = frozenset(
    {"offered", "brought", "provided", "given", "held", "lasted", "halted", "paused", "kept", "allowed"}
)
# a truce reported broken is the collapse (C3), whatever else its clause says
_BROKEN = frozenset(
    {
        "collapsed", "collapses", "collapse", "broke", "broken", "shattered", "failed", "fails", "violated",
        "breached", "crumbled", "unravelled", "unraveled", "frayed", "fraying", "faltered", "faltering",
        "tested", "strained", "wobbled", "shaken",
    }
)  # fmt: skip
_OVER_SCAN = 12  # tokens of a truce's clause read for its verb
# a truce's end caused by an act: "declared that the ceasefire was over after a military campaign",
# "truce ends with new fighting" (C3)
_ENDED_BY = frozenset({"after", "following", "because", "when", "amid", "as", "with"})
_BREAKING = ("break", "broke", "violat", "breach", "collaps", "shatter", "undermin")
_UNTIL_END = frozenset({"before", "ahead", "prior"})
_NEVER_IN = frozenset({"part", "included", "agreed", "reached", "signed"})
# the hours of a truce's first day before it took effect
_BEFORE_EFFECT = term_list(
    ["=early", "=overnight", "=dawn", "=before", "=ahead of", "=morning", "=night", "=earlier"]
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])|\n+")
# the same breaks, found from the full stop itself (one character before the break) or the first
# newline: a pattern that starts with one set of characters, not a look-behind, is skipped to its
# next candidate in C (several times faster on a summary)
_SENTENCE_END_FROM = re.compile(r"[\n.!?](?:(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])|(?<=\n)\n*)")
_ABBREV_END = re.compile(
    r"(?:\b(?:U\.S|U\.N|U\.K|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|No|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)$"
    r"|(?:(?<=\s)[A-Z]\.)$"  # a middle initial: "USS Gerald R. Ford", "George W. Bush"
)
_CATEGORY_ORDER = {c: i for i, c in enumerate(Category)}
_FUNCTION_WORDS = frozenset(
    {
        "from",
        "near",
        "at",
        "on",
        "toward",
        "towards",
        "against",
        "among",
        "around",
        "for",
        "in",
        "into",
        "newly",
    }
)
_DETERMINERS = _FUNCTION_WORDS | frozenset(
    {"the", "a", "an", "of", "with", "its", "their", "our", "his", "her", "to", "by", "all", "any"}
)
_ROLE_RE = (  # most explicit first: "in support roles, assisting with coordination" is a support role
    ("police training", re.compile(r"\btrain\w*\b.{0,30}\bpolice|\bpolice training\b", re.I)),
    ("support", re.compile(r"\bsupport roles?\b|\bin support\b|\b(?:to|will) support\b", re.I)),
    ("logistics", re.compile(r"\blogistic", re.I)),
    ("coordination", re.compile(r"\bcoordinat", re.I)),
    ("observers", re.compile(r"\bobserver|\bmonitor(?:s|ing mission)\b", re.I)),
    ("combat", re.compile(r"\bcombat\b|\bto fight\b", re.I)),
    ("peacekeeping", re.compile(r"\bpeacekeep|\bstabili[sz]ation\b", re.I)),
)
_GAZA = r"(?:Gaza|(?:the\s+)?(?:enclave|strip))\b"
_OUTSIDE_GAZA = re.compile(
    rf"\b(?:none|not|no\s+\w+|never)\b[^.;]{{0,60}}?\b(?:in|inside|into|enter)\s+(?:the\s+)?{_GAZA}"
    rf"|\boutside\s+(?:of\s+)?(?:the\s+)?{_GAZA}|\bnearby bases\b",
    re.I,
)
_GAZA_HINT = re.compile(r"gaza|enclave|strip|nearby bases", re.I)
# "to Gaza force" names the force, not where it goes
_INSIDE_GAZA = re.compile(
    r"\b(?:in|inside|into|to)\s+(?:the\s+)?Gaza\b(?![\s-]+(?:force|mission|stabili[sz]ation|security|peace))",
    re.I,
)
_TO_PLACE = re.compile(
    r"\b(?:to|into|in|inside|across|south of)\s+(?:the\s+)?([A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)"
)
_WITHDRAW_TOKENS = ("withdr", "pull", "retreat", "evacuat", "leav", "left", "exit", "pullout", "pullback")


def sentence_breaks(text: str) -> list[tuple[int, int]]:
    """(start, end) of every match of ``_SENTENCE_END`` in ``text``, in order."""
    return [
        (m.start() + 1, m.end()) if text[m.start()] in ".!?" else m.span()
        for m in _SENTENCE_END_FROM.finditer(text)
    ]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for a, end in sentence_breaks(text):
        # an abbreviation ends the sentence's last few characters (``_ABBREV_END`` is anchored at
        # the end and no longer than 5): only they are searched, with a few before them for ``\b``
        if text[a:end].strip("\n") and _ABBREV_END.search(text[max(start, a - 8) : a]):
            continue
        if a > start:
            spans.append((start, a))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule matching one sentence (``guard`` set when a guard blocked it)."""

    rule: Rule
    sentence: str
    span: tuple[int, int]
    tokens: tuple[str, ...]
    trigger: int
    guard: GuardName | None
    status: EventStatus
    """accused, claimed or reported (a blocked hit makes no event of its own: left at reported)"""


class RuleEngine:
    """Classifies items with a fixed set of compiled rules."""

    def __init__(
        self,
        rules: Sequence[Rule],
        *,
        user_rules: tuple[tuple[str, str], ...] | None = None,
        ngram: NgramModel | Callable[[], NgramModel | None] | None = None,
    ) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.user_rules = user_rules
        """(name, text) of the user rules files the rules came from (``load``), so that a parser
        process can build the same engine; None for an engine built from rules directly."""
        # the statistical reading, consulted for a principal category no rule matched (``load`` gives
        # the shipped one, read on first use, so a process that never classifies never reads it;
        # an engine built from rules directly has none)
        self._ngram: NgramModel | None = ngram if isinstance(ngram, NgramModel) else None
        self._ngram_source = ngram if callable(ngram) and not isinstance(ngram, NgramModel) else None
        self._ngram_categories: frozenset[Category] = frozenset()
        if ngram is not None:
            own = ngram.categories() if isinstance(ngram, NgramModel) else STATISTICAL_CATEGORIES
            self._ngram_categories = frozenset(own)
        # each trigger term is indexed under the forms of its rarest word ("in defiance of" under
        # "defiance", not "in"); a phrase's other words are checked against the item's tokens
        self._by_key: dict[str, set[int]] = defaultdict(set)
        self._by_key_needs: dict[str, dict[int, list[tuple[frozenset[str], ...]]]] = defaultdict(dict)
        self._by_prefix_flat: dict[str, list[int]] = defaultdict(list)
        for idx, rule in enumerate(self.rules):
            for term in rule.trigger.terms:
                if term.first_prefix is not None:
                    continue  # indexed by its prefix below
                words = [p for p in term.parts if isinstance(p, frozenset)]
                at = max(range(len(words)), key=lambda k: (min(map(len, words[k])), -k))
                others = tuple(w for k, w in enumerate(words) if k != at)
                for form in words[at]:
                    if not others:
                        self._by_key[form].add(idx)
                    else:
                        self._by_key_needs[form].setdefault(idx, []).append(others)
            for prefix in rule.trigger.prefixes:
                self._by_prefix_flat[prefix].append(idx)
        self._keys = frozenset(self._by_key) | frozenset(self._by_key_needs)
        self._prefix_rx = (
            re.compile(
                r"\b(" + "|".join(re.escape(p) for p in sorted(self._by_prefix_flat, key=len)[::-1]) + ")"
            )
            if self._by_prefix_flat
            else None
        )
        self._prefixes_longest_first = tuple(sorted(self._by_prefix_flat, key=len)[::-1])
        self._prefix_memo: dict[str, str | None] = {}
        self._prefix_hint = (
            re.compile("|".join(re.escape(p) for p in self._by_prefix_flat)) if self._by_prefix_flat else None
        )
        # a rule's required groups (and the words one of which its sentence must hold, ``any``),
        # checked before it is returned as a candidate
        self._all_keys: tuple[tuple[tuple[frozenset[str], tuple[str, ...]], ...], ...] = tuple(
            tuple((g.keys, g.prefixes) for g in (*rule.all, *((rule.any,) if rule.any is not None else ())))
            for rule in self.rules
        )
        # the same, read once per key: the rules it makes sure, and the phrases still to check
        self._by_key_all: dict[
            str, tuple[frozenset[int], tuple[tuple[int, tuple[tuple[frozenset[str], ...], ...]], ...]]
        ] = {
            key: (
                frozenset(self._by_key.get(key, ())),
                tuple((idx, tuple(phrases)) for idx, phrases in self._by_key_needs.get(key, {}).items()),
            )
            for key in self._keys
        }
        # the forms of the first other word of every phrase of a key: when none is among the tokens,
        # every phrase fails at its first word and the phrases need no look at all
        self._needs_first: dict[str, frozenset[str]] = {
            key: frozenset(f for _, phrases in needs for ws in phrases for f in ws[0])
            for key, (_, needs) in self._by_key_all.items()
        }

    @classmethod
    def load(cls, extra: Sequence[Path] = (), *, statistical: bool = True) -> RuleEngine:
        """The default rules plus user rule files, and the shipped statistical reading unless
        ``statistical`` is false; raises RulesError listing every problem."""
        from monitor.rules.loader import RULES_ONLY, read_rule_files, with_defaults

        texts, problems = read_rule_files(extra)
        return cls(
            with_defaults(texts, problems),
            user_rules=tuple(texts) if statistical else (*texts, RULES_ONLY),
            ngram=ngram.shipped if statistical else None,
        )

    @property
    def ngram(self) -> NgramModel | None:
        """The statistical reading (read from its source on first use), or None."""
        if self._ngram is None and self._ngram_source is not None:
            self._ngram = self._ngram_source()
            self._ngram_source = None
            if self._ngram is None:
                self._ngram_categories = frozenset()
        return self._ngram

    # --- candidates -----------------------------------------------------------------------

    def candidates(self, token_set: set[str], text: str = "") -> list[Rule]:
        """Rules whose trigger and required words all occur in the tokens, in rule order.

        ``text`` (the tokens joined by spaces) lets prefix triggers be found with one regex scan."""
        joined = text or " ".join(token_set)
        found = set(self._prefix_rx.findall(joined)) if self._prefix_rx is not None else set()
        return self._candidates(token_set, found)

    def _prefixes_in(self, token_set: set[str]) -> set[str]:
        """The prefix triggers the tokens start with, as ``_prefix_rx`` finds them in the tokens joined:
        at each token, the longest prefix it starts with. Remembered per word, not scanned per item."""
        memo = self._prefix_memo
        if len(memo) > 50_000:
            memo.clear()  # bounded by the vocabulary seen; a clear costs only re-learning words
        out: set[str] = set()
        ordered = self._prefixes_longest_first
        for tok in token_set:
            prefix = memo.get(tok, _UNSEEN)
            if prefix is _UNSEEN:
                prefix = memo[tok] = next((p for p in ordered if tok.startswith(p)), None)
            if prefix is not None:
                out.add(prefix)
        return out

    def _candidates(self, token_set: set[str], prefixes: set[str]) -> list[Rule]:
        """``candidates``, given the prefix triggers found in the tokens."""
        found: set[int] = set()
        by_key = self._by_key_all
        needs_first = self._needs_first
        for key in self._keys.intersection(token_set):
            sure, needs = by_key[key]
            found |= sure
            if needs_first[key].isdisjoint(token_set):
                continue
            for idx, phrases in needs:
                if idx in found:
                    continue
                for ws in phrases:
                    for w in ws:
                        if w.isdisjoint(token_set):
                            break
                    else:
                        found.add(idx)
                        break
        for prefix in prefixes:
            found.update(self._by_prefix_flat[prefix])
        if not found:
            return []
        rules = self.rules
        all_keys = self._all_keys
        out: list[Rule] = []
        for idx in sorted(found):
            for keys, group_prefixes in all_keys[idx]:
                if keys.isdisjoint(token_set) and not (
                    group_prefixes and starts_any(token_set, group_prefixes)
                ):
                    break  # a required group none of whose words occur
            else:
                out.append(rules[idx])
        return out

    # --- classification -------------------------------------------------------------------

    def hits(self, text: str, *, day: date | None = None) -> list[Hit]:
        """Every rule match in ``text``, including matches blocked by a guard."""
        norm = normalise(text)
        all_tokens = tokens_of(norm)
        token_set = set(all_tokens)
        # a prefix that starts a token is a substring of the normalised text: one scan in C rules
        # out every prefix trigger for most items, before each word's prefix is looked up
        hint = self._prefix_hint
        prefixes = self._prefixes_in(token_set) if hint is not None and hint.search(norm) else set()
        rules = self._candidates(token_set, prefixes)
        if not rules:
            return []  # the common case: one tokenisation and a set lookup, no sentence work
        spans = split_sentences(text)
        if len(spans) == 1 and spans[0] == (0, len(text)):
            toks_by_sentence = [all_tokens]
        else:
            toks_by_sentence = [tokenize(text[a:b]) for a, b in spans]
        published = day or utcnow().date()
        theatre_truce: dict[date, bool] = {}  # computed at most once per day, on demand

        out: list[Hit] = []
        for (a, b), words in zip(spans, toks_by_sentence, strict=True):
            # a long sentence is indexed once, so every term list's look-ups in it reuse where its
            # words are; a short one is cheaper to scan (in C) than to index
            toks: tuple[str, ...] = Tokens(words) if len(words) >= INDEX_FROM else tuple(words)

            memo: dict[bool, bool] = {}  # this sentence's answers, each asked at most once
            # only a sentence with a year dates a record (a year's digits are looked for first, in C)
            year = _has_year(text, a, b)

            def truce(
                named: bool, a: int = a, b: int = b, toks: Sequence[str] = toks, memo: dict[bool, bool] = memo
            ) -> bool:
                """named: the sentence names a truce in force; else: its theatre has one that day."""
                got = memo.get(named)
                if got is None:
                    if named:
                        got = _truce_named(toks)
                    else:
                        # a date the sentence names ("in July 2024") says when it happened (C6)
                        when = _named_day(text[a:b], published)
                        if when not in theatre_truce:
                            theatre_truce[when] = gazetteer.truce_in_force(text, when)
                        got = theatre_truce[when] and not _ended_truce_named(toks)
                        if got and _truce_came_after(toks):
                            # "a ceasefire was reached in Aleppo after fierce clashes": the
                            # sentence is about a new truce and the acts that preceded it (C5, C6)
                            got = False
                        if got and _BEFORE_EFFECT.occurs(toks) and gazetteer.truce_begins(text, when):
                            # "shelling was reported early Friday", the day the truce took effect at
                            # noon: the sentence times the act before it (C6)
                            got = False
                    memo[named] = got
                return got

            present = toks.words if type(toks) is Tokens else set(toks)
            first = len(out)  # this sentence's hits start here
            for rule in rules:
                # the item's words let the rule in; this sentence's may not (a title and a summary)
                if (
                    not rule.trigger.may_occur(present)
                    or not all(g.may_occur(present) for g in rule.all)
                    or (rule.any is not None and not rule.any.may_occur(present))
                ):
                    continue
                triggers = rule.trigger.find_all(toks)
                if not triggers:
                    continue  # no trigger, no hit
                found = _match(rule, toks, truce, published if year else None, triggers)
                if found is not None:
                    at, guard = found
                    status = status_of(toks, 0, at) if guard is None else "reported"
                    out.append(Hit(rule, text[a:b], (a, b), toks, at, guard, status))
            if len(out) - first > 1:
                _carry_weighing(out, first)
        return out

    def classify(self, item: Item) -> list[Event]:
        """Events for one item: at most one per category, the strongest evidence first."""
        text = item.text
        hits = self.hits(text, day=item.published.date())
        events = self._events(text, hits, item)
        if self._ngram_categories:
            left = self._ngram_categories - {h.rule.category for h in hits}
            if left:
                events = self._statistical(text, item, left, events)
        return events

    def _statistical(
        self, text: str, item: Item, left: frozenset[Category], events: list[Event]
    ) -> list[Event]:
        """The statistical reading's events for the principal categories in ``left`` (no rule
        matched them, guarded or not): one per category, from its most probable sentence."""
        model = self.ngram
        if model is None:
            return events
        best: dict[Category, tuple[float, tuple[int, int], ngram.Reading]] = {}
        for a, b in split_sentences(text):
            for reading in model.fires(text[a:b], left):
                if reading.category is Category.CEASEFIRE_VIOLATION:
                    # violence is a violation only under a truce (GUIDELINE C1 / C6): one the
                    # sentence names as in force, or its theatre's on the day the sentence gives
                    toks = tokenize(text[a:b])
                    day = _named_day(text[a:b], item.published.date())
                    if not _truce_named(toks) and (
                        not gazetteer.truce_in_force(text, day) or _ended_truce_named(toks)
                    ):
                        continue
                cur = best.get(reading.category)
                if cur is None or reading.probability > cur[0]:
                    best[reading.category] = (reading.probability, (a, b), reading)
        if not best:
            return events
        cache: dict[str, Entities] = {}
        for _, (a, b), reading in best.values():
            sentence = text[a:b]
            ents = cache.get(sentence)
            if ents is None:
                ents = cache[sentence] = extract.entities(sentence, context=text)
            events.append(
                built(
                    Event,
                    {
                        "item_key": item.key,
                        "feed": item.feed,
                        "category": reading.category,
                        "severity": Severity.LOW,
                        "rule": ngram.rule_id(reading.category),
                        "status": "reported",
                        "matched": sentence,
                        "span": (a, b),
                        "entities": ents,
                        "detail": {
                            "probability": f"{reading.probability:.2f}",
                            "cues": ", ".join(reading.cues),
                        },
                        "published": item.published,
                        "title": item.title,
                        "link": item.link,
                    },
                )
            )
        events.sort(key=lambda e: _CATEGORY_ORDER[e.category])
        return events

    def classify_text(
        self, text: str, *, published: datetime | None = None, item_id: str = "text", feed: str = ""
    ) -> list[Event]:
        """Classify plain text (a title, or title and summary) as if it were an item."""
        when = published or utcnow()
        item = Item(id=item_id, feed=feed, title=text, published=when, fetched_at=when, content_hash="")
        return self.classify(item)

    def _events(self, text: str, hits: list[Hit], item: Item) -> list[Event]:
        if not hits:
            return []
        best: dict[Category, tuple[tuple[int, int], Hit]] = {}
        denied: Hit | None = None
        denies = any(h.guard == "denial" and h.rule.category is Category.CEASEFIRE_VIOLATION for h in hits)
        committed = {h.span for h in hits if h.guard is None and h.rule.category is Category.FORCE_DEPLOYMENT}
        reprisal = any(h.guard is None and h.rule.category is Category.REPRISAL for h in hits)
        for order, raw in enumerate(hits):
            hit = raw
            if hit.guard is None and denies and _excuse(hit):
                # "denied violating the truce, saying they fired warning shots only": the act is the
                # denier's own account of what it did, not an attack asserted in its own right (C7)
                hit = replace(hit, guard="denial")
            elif hit.guard is None and hit.span in committed and hit.rule.detail.get("stage") == "in_talks":
                # "X will send 2,000 troops ..., said after talks with U.S. officials": the sentence
                # reports the commitment; the talks are its circumstance, not a contributor in talks
                continue
            elif hit.guard is None and hit.rule.category is Category.FORCE_DEPLOYMENT and _third_party(hit):
                # "Russia's intelligence claimed France was preparing 2,000 soldiers": another state's
                # claim about a contributor's intentions is not its commitment (GUIDELINE F8)
                hit = replace(hit, guard="modality")
            elif hit.guard is None and reprisal and _internal_violence(hit):
                # "gunmen shot dead seven men" in an item about executions of alleged collaborators:
                # violence between parties that are not the truce's, a reprisal only (C9)
                hit = replace(hit, guard="internal")
            if hit.guard is not None:
                if hit.guard == "denial" and hit.rule.category is Category.CEASEFIRE_VIOLATION:
                    denied = denied or hit
                continue
            stage = hit.rule.detail.get("stage")
            rank = (
                0 if stage is None else 1 if stage == "auto" else 2,
                hit.rule.severity.rank * 1000 - order,
            )
            cur = best.get(hit.rule.category)
            if cur is None or rank > cur[0]:
                best[hit.rule.category] = (rank, hit)
        _subordinate_uxo(best)
        cache: dict[str, Entities] = {}
        events = [self._event(hit, text, item, cache=cache) for _, hit in best.values()]
        if denied is not None and Category.CEASEFIRE_VIOLATION not in best and Category.DIPLOMACY not in best:
            events.append(
                self._event(
                    denied, text, item, category=Category.DIPLOMACY, detail={"denies": denied.rule.category}
                )
            )
        events.sort(key=lambda e: _CATEGORY_ORDER[e.category])
        return events

    def _event(
        self,
        hit: Hit,
        text: str,
        item: Item,
        *,
        category: Category | None = None,
        detail: dict[str, str] | None = None,
        cache: dict[str, Entities] | None = None,
    ) -> Event:
        cache = {} if cache is None else cache
        ents = cache.get(hit.sentence)
        if ents is None:
            ents = cache[hit.sentence] = extract.entities(hit.sentence, context=text)
        rule = hit.rule
        severity = rule.severity
        if rule.category is Category.CEASEFIRE_VIOLATION and (ents.casualties or 0) >= 5:
            severity = severity.raised()
        out_detail = dict(rule.detail)
        if rule.category in (Category.FORCE_DEPLOYMENT, Category.DIPLOMACY) and "stage" in out_detail:
            force = _force_detail(hit, ents, text)
            out_detail.update(force)
            if "stage" not in force:
                del out_detail["stage"]
            if out_detail.get("where") == "outside Gaza":
                ents = _outside_gaza(ents)
        if rule.category is Category.SAFE_ZONE:
            if _UNAGREED.search(text):
                # "safe zones under discussion ... no locations have been agreed": a place the item
                # names is not where a zone is; the zone has no status anywhere yet
                ents = ents.model_copy(update={"places": (), "zones": (UNLOCATED,)})
            else:
                ents = _zone_own_places(hit.sentence, ents)
                zone_status = _zone_status(hit.tokens)
                if zone_status != "safe_zone_proposed" or ents.zones != (UNLOCATED,):
                    out_detail["zone_status"] = zone_status  # a proposal names where, or sets nothing
        if detail:
            out_detail = detail
        status: EventStatus = "denied" if detail and "denies" in detail else hit.status
        # built without re-validation: every field comes from validated records or our own types
        return built(
            Event,
            {
                "item_key": item.key,
                "feed": item.feed,
                "category": category or rule.category,
                "severity": severity if category is None else Severity.LOW,
                "rule": rule.id,
                "status": status,
                "matched": hit.sentence,
                "span": hit.span,
                "entities": ents,
                "detail": out_detail,
                "published": item.published,
                "title": item.title,
                "link": item.link,
            },
        )


INDEX_FROM = 16
"""Sentences of at least this many tokens are indexed (Tokens); shorter ones are scanned (measured)."""
_UNSEEN = ""  # the prefix memo's "not looked up yet" (no prefix is empty)


def _named_day(sentence: str, published: date) -> date:
    """The latest past date the sentence names, else the publication date."""
    named = [d for d in extract.named_days(sentence) if d <= published]
    named += extract.days_without_year(sentence, published)  # "launched an attack on October 9"
    if not named and "year" in sentence.lower() and _LAST_YEAR.search(sentence):
        # "damaged by Israeli strikes last year", "a year ago": the act's time is the year before
        named = [date(published.year - 1, 7, 1)]
    if not named and _has_year(sentence, 0, len(sentence)):
        # a bare earlier year dates the act ("the 2014 war and its airstrikes"), unless it is the
        # truce's own ("the 1991 ceasefire") or where a count starts ("since 2019")
        # the middle of that year: a truce of its last weeks does not make the whole year one of truce
        named = [date(y, 7, 1) for y in _bare_years(sentence) if y < published.year]
        if named and _YEAR_OF_WAR.search(sentence) and not _WEEKDAY.search(sentence):
            # "the 2014 Gaza war and its airstrikes": the acts are that war's, in no truce (C6)
            return date.min
    return max(named) if named else published


_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:today|yesterday|tonight)\b", re.I)
# a year that names a war: "the 2014 war", "the 2021 Gaza conflict", "the 2008-09 offensive"
_YEAR_OF_WAR = re.compile(
    r"\b(?:19|20)\d\d(?:[-–](?:19|20)?\d\d)?\s+(?:[A-Z][\w'’-]+\s+){0,2}"
    r"(?:war|wars|conflict|offensive|invasion|operation)\b"
)


_LAST_YEAR = re.compile(r"\blast year\b|\ba year ago\b|\b(?:two|three|four|five|\d+) years ago\b", re.I)
_BARE_YEAR = re.compile(
    r"\b(?:(since|from|the|a|an|its|of|in|by|during)\s+)?((?:19|20)\d\d)\b(?:\s+(\w+))?", re.I
)
_TRUCE_HEADS = frozenset(
    {"ceasefire", "cease-fire", "truce", "armistice", "agreement", "accord", "deal", "accords"}
)


def _bare_years(sentence: str) -> list[int]:
    out = []
    for m in _BARE_YEAR.finditer(sentence):
        before, year, after = (m.group(1) or "").lower(), int(m.group(2)), (m.group(3) or "").lower()
        if before in ("", "since", "from") or after in _TRUCE_HEADS:
            continue  # "killed 2000 people" is a number; "since 2019" where a count starts
        out.append(year)
    return out


def _match(
    rule: Rule,
    toks: Sequence[str],
    truce: Callable[[bool], bool],
    published: date | None,
    triggers: Sequence[tuple[int, int]],
) -> tuple[int, GuardName | None] | None:
    """(trigger position, blocking guard or None) for the first usable trigger, else None.
    ``truce(True)``: the sentence names a truce in force; ``truce(False)``: its theatre has one;
    ``published``: the item's day when the sentence writes a year (None: no record can be dated);
    ``triggers``: where the rule's trigger occurs in ``toks``."""
    n_toks = len(toks)
    if rule.context == "headline" and (n_toks > _HEADLINE_MAX or not _FINITE.isdisjoint(toks)):
        return None
    guards = rule.guards
    needs_truce = rule.context in ("truce", "truce_named")
    if rule.none is not None and rule.none.occurs(toks):
        return None
    if rule.any is not None and not rule.any.occurs(toks):
        return None
    # a truce, the subject of "took effect ... but was violated", carries over "but": only forces do not
    contrast = rule.category is Category.FORCE_DEPLOYMENT and (_CONTRAST in toks or ";" in toks)
    blocked: tuple[int, GuardName | None] | None = None
    for i, n in triggers:
        lo, hi = max(0, i - rule.near), min(n_toks, i + n + rule.near)
        if lo > 0 and rule.category is Category.FORCE_DEPLOYMENT:
            lo = _reach_back(toks, i, rule.near)
        if not all(_group_near(g, toks, (lo, hi), (i, n), rule, contrast=contrast) for g in rule.all):
            continue
        if needs_truce:  # asked once, for the first trigger with its words: the theatre costs a look-up
            needs_truce = False
            if not (truce(True) or (rule.context == "truce" and truce(False))):
                # no truce in force: nothing can fire; only a denial is still worth reporting (the
                # item then shows that a party denies a violation), so only that guard is looked for
                if "denial" not in guards or rule.category is not Category.CEASEFIRE_VIOLATION:
                    return None
                guards = _DENIAL_ONLY
        guard = guard_hit(guards, toks, (0, n_toks), (i, n))
        if rule.category is Category.FORCE_DEPLOYMENT:
            guard = _force_guard(guard, guards, toks, (i, n))
        if guard is None and guards is _DENIAL_ONLY:
            continue
        if rule.category is Category.CEASEFIRE_VIOLATION:
            if guard is not None:
                guard = _cv_guard_waived(guard, guards, toks, (i, n), truce)
            if guard is None and "negation" in guards and (_terms_agreed(toks, i) or _act_paused(toks, i)):
                # "the junta pledged not to launch assaults", "a brief pause in attacks on Ukraine's
                # energy sector": the acts the truce stops, not acts (C5)
                guard = "negation"
            elif not _LULL_WORDS.isdisjoint(toks[:i]) and _LULL.occurs(
                toks, scope(toks, 0, n_toks, i, n).clause_start, i
            ):
                guard = "negation"  # "the ceasefire reduced the level of fighting": a lull reported (C10)
            if guard is None and "background" in guards and _war_toll(toks, i):
                guard = "background"  # "Israel's offensive in Gaza has killed more than 71,000" (C6)
        if guard is None and "status_quo" in rule.guards and _adjectival(toks, i):
            guard = "status_quo"
        if (
            guard is None
            and published is not None
            and "status_quo" in rule.guards
            and _background_clause(toks, i)
            and dated_long_before(toks, (0, n_toks), (i, n), published)
            and not fd_clauses.future_move(toks, i)
        ):
            guard = "status_quo"  # "the force that was deployed in December 2023", read in 2025 (F11)
        if guard is not None:
            blocked = blocked or (i, guard)
            continue
        if rule.context == "headline" and not _headline_noun(toks, i):
            continue
        if rule.context == "subject" and not fd_clauses.subject_told(toks, (i, n), rule.all, rule.near):
            continue
        return i, None
    return blocked


def _force_guard(
    guard: GuardName | None, guards: frozenset[GuardName], toks: Sequence[str], trigger: tuple[int, int]
) -> GuardName | None:
    """A force trigger's guard after the force-deployment readings (monitor.rules.fd_clauses)."""
    bounds = (0, len(toks))
    if guard is not None:
        return None if fd_clauses.lifted(guard, toks, bounds, trigger) else guard
    return fd_clauses.extra_guard(guards, toks, bounds, trigger)


_DENIAL_ONLY: frozenset[GuardName] = frozenset({"denial"})
# the truce named as the time of the acts: a tally or background of the truce itself, not the war (C1)
_TRUCE_AS_TIME = term_list(
    [
        "=during the ceasefire", "=during the truce", "=since the ceasefire", "=since the truce",
        "=under the ceasefire", "=under the truce", "=despite the ceasefire", "=despite the truce",
        "=during the ceasefire period", "=since the start of the ceasefire", "=since the start of the truce",
    ]
)  # fmt: skip
# a lull reported in the acts the trigger names: "a sharp drop in shelling since the truce" (C10)
_LULL = term_list(
    [
        "=reduced the level of", "=reduce the level of", "=lowered the level of", "=reduced levels of",
        "=reduced the intensity of", "=decline in", "=drop in", "=reduction in", "=fall in", "=decrease in",
    ]
)  # fmt: skip
_LULL_WORDS = frozenset({"reduced", "reduce", "lowered", "decline", "drop", "reduction", "fall", "decrease"})
_FRESH = frozenset({"fresh", "new", "renewed", "latest"})
# "both sides of the war": its parties, not its time
_PARTIES_OF = frozenset({"sides", "side", "parties", "party"})
_WAR_AS_TIME = term_list(["=of the war", "=in the war", "=of the conflict", "=in the conflict"])
# stopping attacks that are going on presupposes them: "urged ... to halt Israeli attacks" (C1)
_STOP_VERBS = frozenset({"stop", "halt", "end", "cease"})
_ATTACK_NOUNS = frozenset(
    {
        "attacks", "strikes", "airstrikes", "shelling", "bombardment", "bombardments", "raids", "bombing",
        "bombings", "incursions", "assaults",
    }
)  # fmt: skip
_GOING_ON = frozenset(
    {"continuing", "continued", "ongoing", "repeated", "daily", "persistent", "relentless", "incessant"}
)
_PARTY_ADJECTIVES = frozenset(
    {"israeli", "russian", "ukrainian", "pakistani", "indian", "thai", "cambodian", "rsf", "houthi"}
)


def _cv_guard_waived(
    guard: GuardName,
    guards: frozenset[GuardName],
    toks: Sequence[str],
    trigger: tuple[int, int],
    truce: Callable[[bool], bool],
) -> GuardName | None:
    """The guard of a ceasefire_violation trigger, or what is left when the reason for it does not
    hold (GUIDELINE C1): background when the truce itself is named as the acts' time ("the total
    killed during the ceasefire") or the war only names its sides ("breached by both sides of the
    war"); negation or appeal when the attacks to stop are going on ("urged ... to halt Israeli
    attacks", "to stop the attacks on Lebanon")."""
    i, n = trigger

    def without(*reasons: GuardName) -> GuardName | None:
        """The guard the trigger gets once ``reasons`` are set aside."""
        return guard_hit(guards - set(reasons), toks, (0, len(toks)), trigger)

    if guard == "background":
        if not _FRESH.isdisjoint(toks[max(0, i - 2) : i]):
            return without("background")  # "in the wake of fresh drone strikes": new acts
        if _TRUCE_AS_TIME.occurs(toks) and truce(True):
            return without("background")
        wars = [p for p, _ in _WAR_AS_TIME.find(toks, i + n, len(toks))]
        if wars and all(p and toks[p - 1] in _PARTIES_OF for p in wars):
            return without("background")
        return guard
    if guard == "hypothetical" and _further_reported(toks, i, n):
        return without("hypothetical")
    if guard in ("negation", "appeal") and (
        _stopping_attacks_under_way(toks, i) or _stopping_breaches(toks, i)
    ):
        return without("negation", "appeal")
    if guard == "negation" and _NOT_FIRST_TIME.occurs(toks, 0, i):
        return without("negation")  # "it is not the first time Eritrea has violated the ceasefire" (C2)
    return guard


_REPORTING = frozenset(
    {"reported", "reports", "said", "says", "stated", "added", "noted", "claimed", "confirmed", "told"}
)


def _further_reported(toks: Sequence[str], i: int, n: int) -> bool:
    """ "Khama Press further reported that ... attacks": "further" of a report, not of acts to come
    ("any further violations", C8), when it is the only hypothetical word before the trigger."""
    sc = scope(toks, 0, len(toks), i, n)
    found = HYPOTHETICAL.find(toks, sc.clause_start, i)
    return bool(found) and all(
        toks[p] == "further" and p + 1 < i and toks[p + 1] in _REPORTING for p, _ in found
    )


def _stopping_attacks_under_way(toks: Sequence[str], i: int) -> bool:
    """ "to halt the continuing air strikes", "to stop the attacks on Lebanon", "halt Israeli attacks":
    a call to stop attacks named as going on, by whom, or on whom."""
    if toks[i] == "air" and toks[i + 1 : i + 2] == ("strikes",):
        end = i + 2  # "air strikes", found at "air"
    elif toks[i] in _ATTACK_NOUNS:
        end = i + 1
        if i and toks[i - 1] == "air":
            i -= 1
    else:
        return False
    k = i - 1
    qualified = False
    while k >= 0 and i - k <= 3 and toks[k] not in _STOP_VERBS:
        if toks[k] in _GOING_ON or toks[k] in _PARTY_ADJECTIVES:
            qualified = True
        elif toks[k] not in ("the", "its", "their"):
            return False
        k -= 1
    if k < 1 or toks[k] not in _STOP_VERBS or toks[k - 1] != "to":
        return False
    if not _AGREED_TO.isdisjoint(toks[max(0, k - 5) : k - 1]):
        return False  # "agreed in principle to halt strikes on energy targets": the truce's terms (C5)
    return qualified or toks[end : end + 1] in (("on",), ("against",))


_NOT_FIRST_TIME = term_list(["=not the first time", "=not for the first time"])
_BREACH_NOUNS = frozenset({"violations", "breaches", "transgressions"})
_OWN_BREACHES = frozenset({"its", "their", "his", "her"})
_BREACHES_OF = frozenset(
    {"the", "its", "their", "his", "her", "truce", "ceasefire", "repeated", "continued", "ongoing"}
)


def _stopping_breaches(toks: Sequence[str], i: int) -> bool:
    """ "force it to halt its truce breaches", "Israel must end violations": a demand to stop
    violations presupposes them, as one to stop attacks under way does (GUIDELINE C2)."""
    if toks[i] not in _BREACH_NOUNS:
        return False
    k = i - 1
    # whose breaches they are: "its", "Israeli" ("an attempt to stop truce violations" is no claim)
    owned = False
    while k >= 0 and i - k <= 4 and toks[k] not in _STOP_VERBS:
        if toks[k] not in _BREACHES_OF and toks[k] not in _PARTY_ADJECTIVES:
            return False
        owned = owned or toks[k] in _OWN_BREACHES or toks[k] in _PARTY_ADJECTIVES
        k -= 1
    return k >= 0 and toks[k] in _STOP_VERBS and (owned or (k > 0 and toks[k - 1] == "must"))


_HALTING = _STOP_VERBS | {"stopping", "halting", "ending", "ceasing", "not"}


def _terms_agreed(toks: Sequence[str], i: int) -> bool:
    """Whether the act at ``i`` is what a party agreed or pledged to stop: "has agreed to halt any
    further engagement in airstrikes", "pledged not to launch assaults" (GUIDELINE C5). The
    agreement word, then "to" or "not to" and a stopping word, all before the act in its clause
    (or its list of acts)."""
    lo = max(0, i - 12)
    for a in range(i - 1, lo - 1, -1):
        if toks[a] == "," and (a + 1 == i or toks[a + 1] in ("or", "and")):
            continue  # a list of the acts agreed to stop: "halt airstrikes, bombardment, or ..."
        if toks[a] in CLAUSE_BREAKS:
            return False
        if toks[a] in _AGREED_TO:
            between = toks[a + 1 : i]
            return "to" in between[:3] and not _HALTING.isdisjoint(between[:5])
    return False


_PAUSING = frozenset(
    {
        "pause", "paused", "pausing", "suspend", "suspended", "suspending", "suspension", "freeze",
    }
)  # fmt: skip


def _act_paused(toks: Sequence[str], i: int) -> bool:
    """ "Putin had agreed to pause energy strikes", "a short pause in Russian attacks on Ukraine's
    energy infrastructure", "a limited suspension of strikes on Kyiv": the act at ``i`` is what is
    paused, at most three words after the pausing word, in the same clause (GUIDELINE C5)."""
    for k in range(i - 1, max(0, i - 4) - 1, -1):
        if toks[k] in CLAUSE_BREAKS:
            return False
        if toks[k] in _PAUSING:
            return True
    return False


_AGREED_TO = frozenset(
    {"agreed", "agree", "agrees", "agreeing", "pledged", "committed", "promised", "vowed", "consented"}
)


# a relative aside between the forces and their verb: "troops, who arrived on Monday, ..."
_ASIDE_OPENERS = frozenset({"who", "which", "whose", "where", "that"})
_ASIDE_MAX = 24  # tokens of one aside skipped (an aside longer than this is a sentence of its own)


def _reach_back(toks: Sequence[str], i: int, near: int) -> int:
    """The start of a rule's window ``near`` tokens before the trigger at ``i``, not counting a
    relative aside between commas ("Eritrean soldiers, who fought for the government in Tigray,
    are pulling out") or a parenthesis: the forces and their verb are one clause around it (F1)."""
    j = i - 1
    count = 0
    while j >= 0 and count < near:
        tok = toks[j]
        if tok in {",", ")"}:
            opener = "(" if tok == ")" else ","
            k = j - 1
            while k >= 0 and j - k <= _ASIDE_MAX and toks[k] != opener and toks[k] not in (";", ":"):
                k -= 1
            if (
                k >= 0
                and toks[k] == opener
                and (opener == "(" or (k + 1 < j and toks[k + 1] in _ASIDE_OPENERS))
            ):
                j = k - 1  # the aside and its commas count as nothing
                continue
        count += 1
        j -= 1
    return max(0, j + 1)


def _group_near(
    g: TermList,
    toks: Sequence[str],
    window: tuple[int, int],
    trigger: tuple[int, int],
    rule: Rule,
    *,
    contrast: bool,
) -> bool:
    """Whether a term of ``g`` is in ``window`` (not the trigger itself, not troops as a target, and,
    when ``contrast``, not across "but" or ";")."""
    lo, hi = window
    i, n = trigger
    for pos, _ in g.find(toks, lo, hi):
        if i <= pos < i + n:
            continue  # the trigger itself does not satisfy a second condition
        if "target" in rule.guards and target_use(toks, pos, 0):
            continue
        if contrast:
            a, b = (pos, i) if pos < i else (i + n, pos)
            if _CONTRAST in toks[a:b] or ";" in toks[a:b]:
                # "ruled out sending troops, but offered logistics": the forces are the other clause's
                continue
        return True
    return False


_CONTRAST = "but"
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _has_year(text: str, a: int, b: int) -> bool:
    """Whether ``_YEAR`` matches in ``text[a:b]``; most sentences have neither "19" nor "20", which a
    substring search tells faster than the regex."""
    if text.find("19", a, b) < 0 and text.find("20", a, b) < 0:
        return False
    return _YEAR.search(text, a, b) is not None


_EXCUSE = term_list(
    [
        "=warning shots", "=warning shot", "=returned fire", "=return fire", "=returning fire",
        "=self-defence", "=self-defense", "=self defence", "=self defense", "=only", "=in response to",
        "=responded to", "=eliminate a threat", "=eliminated a threat", "=removing a threat",
        "=approached", "=approaching", "=crossed the",
    ]
)  # fmt: skip


def _excuse(hit: Hit) -> bool:
    """A kinetic act described as restrained or defensive (warning shots, returned fire, only ...)."""
    return hit.rule.category is Category.CEASEFIRE_VIOLATION and _EXCUSE.occurs(hit.tokens)


# a truce party's armed forces or weapons acting: with them a killing is no longer internal violence
_STATE_FORCE = frozenset(
    {
        "israeli", "idf", "army", "military", "troops", "soldiers", "forces", "tank", "tanks", "drone",
        "drones", "airstrike", "airstrikes", "strike", "strikes", "jets", "aircraft", "shelling", "artillery",
        "navy", "naval", "occupation",
    }
)  # fmt: skip


def _internal_violence(hit: Hit) -> bool:
    """A kinetic hit, in an item about reprisals, where no truce party's forces or weapons act."""
    return (
        hit.rule.category is Category.CEASEFIRE_VIOLATION
        and hit.rule.context == "truce"
        and _STATE_FORCE.isdisjoint(hit.tokens)
    )


def _adjectival(toks: Sequence[str], i: int) -> bool:
    """ "deployed forces", "approaching deployed troops": a state, not a deployment (GUIDELINE F11)."""
    if toks[i] not in ("deployed", "stationed", "positioned"):
        return False
    prev = toks[i - 1] if i > 0 else ""
    # "are being stationed" is a movement under way, not a state; "while deployed": during a tour
    return (
        i == 0
        or prev in _DETERMINERS
        or prev in ("while", "when")
        or (prev.endswith("ing") and prev != "being")
        # "135 personnel currently deployed to the operation", "the unit, already stationed in the
        # region"; not "has already deployed 200 troops", "are now stationed along the line"
        or (prev in _PRESENCE_ADVERBS and i > 1 and toks[i - 2] not in _FINITE and toks[i - 2] != "will")
        or _counted_presence(toks, i)
    )


_PRESENCE_ADVERBS = frozenset({"currently", "already", "still", "permanently", "actively", "now"})
_WHERE = frozenset({"in", "at", "across", "on", "along", "throughout", "around", "near", "inside"})
_COUNTED_BY = frozenset({"the", "its", "their", "his", "her", "of", "with", "some", "all"})


def _counted_presence(toks: Sequence[str], i: int) -> bool:
    """ "half of the 50,000 US troops deployed in Japan", "with over 100,000 military personnel stationed
    across the continent": a force counted where it is, the participle naming its post (F11); not a
    headline's "1,000 police officers deployed in Haiti", whose number opens the unit."""
    if i + 1 >= len(toks) or toks[i + 1] not in _WHERE or toks[i - 1] in _FINITE:
        return False  # "a force of 3,000 soldiers will be deployed in Rafah" is a move told
    for k in range(i - 1, max(-1, i - 6), -1):
        digits = toks[k].replace(",", "")
        if digits.isdigit():
            j = k - 1
            while j >= 0 and toks[j] in ("over", "about", "some", "nearly", "roughly", "around", "almost"):
                j -= 1
            return j >= 0 and toks[j] in _COUNTED_BY
    return False


def _background_clause(toks: Sequence[str], i: int) -> bool:
    """Whether the trigger at ``i`` describes what a named force is, not what it did: inside a
    relative clause ("part of the regional force that was deployed in December 2023") or after
    "since" ("criticised the force since its deployment in November 2022"). A dated movement told
    as the clause's own news ("Kenya deployed her troops to Somalia in October 2011", "In 2023,
    French soldiers left Burkina Faso") is a reported movement, however old (GUIDELINE F1); the
    background reading, and a mission joined long ago, is F11."""
    window = toks[max(0, i - 3) : i]
    # "China joined the peacekeeping mission in Liberia in December 2003": a membership, long held
    return not _ASIDE_OPENERS.isdisjoint(window) or "since" in window or toks[i].startswith("join")


# a verb of the unit: with one, a noun-only reading of "the deployment of ..." no longer holds
_FINITE = frozenset(
    {
        "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "can",
        "could", "may", "might", "should", "must", "do", "does", "did", "said", "says", "say",
    }
)  # fmt: skip


_HEADLINE_MAX = 14  # tokens: a headline is short; a longer unit has a verb this list does not know


def _headline_noun(toks: Sequence[str], i: int) -> bool:
    """The trigger noun opens the unit (after at most three words such as "Israeli troop") and no
    verb follows: "Deployment of 500 Kenyan police to Haiti", "Israeli troop pullback from Gaza City"."""
    if i > 3 or len(toks) > _HEADLINE_MAX or any(t in CLAUSE_BREAKS and t != ":" for t in toks[:i]):
        return False
    if i and toks[i - 1] == "to":
        return False  # "IDF to return to predetermined area": the verb, in a headline's future
    return not any(t in _FINITE for t in toks)


def _truce_named(toks: Sequence[str]) -> bool:
    """A truce named in the sentence as in force (not called for, negotiated or metaphorical)."""
    for j, n in TRUCE.find(toks):
        if _NOT_IN_FORCE_BEFORE.occurs(toks, max(0, j - 3), j) or (
            j and toks[j - 1] in _METAPHOR and not _breach_follows(toks, j + n)
        ):
            continue
        if _UP_TO_TRUCE.occurs(toks, max(0, j - 12), j):
            continue  # "in the countdown to the 2am ceasefire", "leading up to the truce": before it (C6)
        if _ended_before(toks, j):
            continue
        if _NOT_IN_FORCE_AFTER.occurs(toks, j + n, min(len(toks), j + n + 2)) and not _ended_by(toks, j + n):
            continue
        if _truce_over(toks, j, j + n) or _truce_after_acts(toks, j, j + n):
            continue
        if "between" in toks[j + n : j + n + 2] and not _CIVIL.isdisjoint(toks[j + n : j + n + 9]):
            continue  # "a truce between the two clubs' fans", "... rival parties" (GUIDELINE C10)
        return True
    return False


def _breach_follows(toks: Sequence[str], k: int) -> bool:
    """ "DR Congo and rebels trade ceasefire violation claims": the truce word at once followed by a
    breach noun is an armed truce's, whatever verb stands before it (not a "trade truce")."""
    return k < len(toks) and toks[k].startswith(("violation", "breach"))


_OWN_SIDE = frozenset({"its", "their", "his", "her", "our", "your", "my"})


# the acts a stop verb can end instead of the truce: "must end violations before the ceasefire"
_ACTS_ENDED = _ATTACK_NOUNS | _BREACH_NOUNS | {"killings"}


def _ended_before(toks: Sequence[str], j: int) -> bool:
    """Whether the words before the truce named at ``j`` end it ("the end of the ceasefire", "scrapped
    the truce"); a party's "end of the ceasefire" is its side of the bargain, not the truce's end:
    "claimed Israel violated their end of the ceasefire agreement" (GUIDELINE C2)."""
    lo = max(0, j - 5)
    ends = _ENDED_BEFORE.find(toks, lo, j)
    # "must end violations before the ceasefire moves on": what is ended are the acts, not the truce
    ends = [(p, m) for p, m in ends if _ACTS_ENDED.isdisjoint(toks[p + m : j])]
    if not ends:
        return False
    for k in range(lo + 1, j - 1):
        if toks[k] == "end" and toks[k - 1] in _OWN_SIDE and toks[k + 1] == "of":
            return _ENDED_BEFORE.occurs(toks, lo, k - 1) or _ENDED_BEFORE.occurs(toks, k + 1, j)
    return True


def _ended_by(toks: Sequence[str], k: int) -> bool:
    """ "Truce ends with new fighting", "the ceasefire ended after militants attacked": the truce's
    end is the act itself, which breaks it (GUIDELINE C3), so it was in force for that act."""
    return k + 1 < len(toks) and toks[k] in ("ends", "ended") and toks[k + 1] in _ENDED_BY


def _truce_over(toks: Sequence[str], start: int, end: int) -> bool:
    """Whether the clause of the truce named at ``start:end`` says it is over by now: its verb
    "expired", "ended in August", "ran out", or a relative "that had brought a lull" (GUIDELINE C6);
    not a truce that "ended the war", one that ended "after" an attack, nor one reported broken (C3)."""
    before = toks[max(0, start - 4) : start]
    if any(t.startswith(_BREAKING) for t in before):
        return False  # "breaking a ceasefire that had brought two days of calm": the breach itself
    if not _UNTIL_END.isdisjoint(before):
        return False  # "shelled the villages hours before the truce expired": in it, before its end
    stop = min(len(toks), end + _OVER_SCAN)
    k = end
    while k < stop and toks[k] not in CLAUSE_BREAKS:
        k += 1
    clause = toks[end:k]
    if not _BROKEN.isdisjoint(clause) or "since" in clause:
        return False  # broken (C3); "a truce that had been in place since October" is in force still
    if (
        len(clause) >= 3
        and clause[0] in ("was", "is", "were")
        and clause[1] == "not"
        and clause[2] in _NEVER_IN
    ):
        return True  # "a ceasefire was not part of that agreement": no truce at all
    if (
        len(clause) >= 3
        and clause[0] in _RELATIVE
        and clause[1] == "had"
        and (clause[2] in _HELD_THEN or (clause[2] == "been" and clause[3:4] in (("in",), ("holding",))))
    ):
        return True
    for m, tok in enumerate(clause):
        if tok not in _OVER_VERBS:
            continue
        if tok in ("over", "out") and not (
            m and clause[m - 1] in _OVER_FROM and (tok == "over" or clause[m - 1] != "had")
        ):
            continue
        if tok in _OVER_PRESENT and _AFTER_ITS_END.isdisjoint(before) and (m > 1 or clause[0] in _RELATIVE):
            # "the truce that expires in March": in force until then; not a headline's "as truce
            # lapses", the truce's own verb
            continue
        after = toks[end + m + 1 : end + m + 4]
        if tok not in ("over", "out") and after[:1] and after[0] in _ENDED_OBJECT:
            continue  # "the ceasefire that ended the war": the truce is what ended something
        # "the ceasefire was over after a military campaign": ended by the act (C3)
        return _ENDED_BY.isdisjoint(after)
    return False


def _ended_truce_named(toks: Sequence[str]) -> bool:
    """A truce the sentence names as over ("after the truce expired", "since the ceasefire ended in
    August"): the act it places after that truce is in none, whatever the theatre's (GUIDELINE C6)."""
    for j, n in TRUCE.find(toks):
        if _ended_before(toks, j) or _truce_over(toks, j, j + n) or _truce_after_acts(toks, j, j + n):
            return True
    return False


_AGREE_VERBS = frozenset(
    {
        "agree", "agrees", "agreed", "reach", "reaches", "reached", "announce", "announces", "announced",
        "declare", "declares", "declared", "sign", "signs", "signed", "broker", "brokered", "accept",
        "accepts", "accepted", "seal", "sealed", "strike", "struck",
    }
)  # fmt: skip
_GOES_ON = frozenset({"since", "despite", "but", "however", "yet", "while", ";"})
_THEN = frozenset({"after", "following", "amid", "since", "hours", "days", "weeks", "once", "when"})
_AFTER_ACTS = frozenset({"after", "following", "amid"})
_LATER = frozenset({"before", "until", "prior"})
_ITS_END = frozenset({"expire", "expires", "expired", "ends", "ended", "lapses", "lapsed", "collapsed"})
_NEWS_OF = frozenset({"announcement", "agreement", "deal", "declaration", "accord", "news"})
_CAME = frozenset({"came", "comes", "follows", "followed"})
_FOLLOWS = frozenset({"follows", "followed"})
_FELL_APART = frozenset(
    {
        "collapsed",
        "collapses",
        "collapse",
        "broke",
        "breaks",
        "crumbled",
        "unravelled",
        "unraveled",
        "faltered",
        "failed",
    }
)
_BE_AUX = frozenset({"has", "have", "had", "been", "was", "were", "is", "are", "being"})
_SPAN_WORDS = frozenset(
    {
        "a", "an", "one", "two", "three", "four", "five", "few", "several", "hours", "hour", "days", "day",
        "weeks", "week", "just", "shortly", "soon", "only", "barely", "months",
    }
)  # fmt: skip


_WEIGHING: frozenset[GuardName] = frozenset({"modality", "hypothetical", "appeal", "agreement"})
_DECIDED_TO = frozenset(  # a move these name before "to" is made or decided
    {
        "ready",
        "willing",
        "agreed",
        "decided",
        "voted",
        "ordered",
        "began",
        "begun",
        "started",
        "continued",
        "continue",
        "continues",
        "resumed",
    }
)


def _carry_weighing(out: list[Hit], first: int) -> None:
    """A move that only continues one weighed, asked for or planned earlier in the sentence is that
    move, not one made (GUIDELINE F8-F10): "considering withdrawing 4,500 troops from Korea to be
    redeployed to Guam", "considering sending warships, further bolstering its forces". The later
    hit of the same category takes the earlier one's guard when its trigger has no verb of its own:
    an infinitive ("to (be) redeployed", not "ready to send") or a participle after a comma."""
    for i in range(first, len(out)):
        hit = out[i]
        if hit.guard is not None:
            continue
        toks, at = hit.tokens, hit.trigger
        for other in out[first:]:
            if (
                other.guard in _WEIGHING
                and other.rule.category is hit.rule.category
                and 0 < at - other.trigger <= 14
                and _no_verb_of_its_own(toks, at)
            ):
                out[i] = replace(hit, guard=other.guard, status="reported")
                break


def _no_verb_of_its_own(toks: Sequence[str], at: int) -> bool:
    """The trigger at ``at`` is an infinitive or a participle after a comma ("..., shifting them")."""
    k = at - 1
    if k >= 1 and toks[k] == "be" and toks[k - 1] == "to":
        k -= 1
    if toks[k] == "to":
        return k >= 1 and toks[k - 1] not in _DECIDED_TO
    if not toks[at].endswith("ing"):
        return False
    if toks[k] in ("further", "also", "thereby"):
        k -= 1
    return k >= 0 and toks[k] == ","


_TOLL_SIZE = 1000
"""A death toll this large, counted with "has killed", is a war's, not one act's."""
_ABOUT = frozenset({"more", "than", "at", "least", "over", "nearly", "almost", "some", "about", "around"})


def _war_toll(toks: Sequence[str], i: int) -> bool:
    """ "The fighting has killed over 1,100 people", "a two-year offensive that has killed more than
    72,000": the war's cumulative toll is its record (GUIDELINE C6), unless counted "since" the truce
    ("strikes since the deal took effect have killed more than 300")."""
    if not toks[i].startswith(_CASUALTY) or "since" in toks:
        return False
    for j in range(1, len(toks) - 1):
        if toks[j].startswith("kill") and toks[j - 1] in ("has", "have"):
            k = j + 1
            while k < len(toks) and toks[k] in _ABOUT:
                k += 1
            digits = toks[k].replace(",", "") if k < len(toks) else ""
            if digits.isdigit() and int(digits) >= _TOLL_SIZE:
                return True  # the toll, and the wounded counted with it
    return False


_CASUALTY = ("kill", "wound", "injur")


def _truce_came_after(toks: Sequence[str]) -> bool:
    """Whether a truce the sentence names was agreed after the sentence's acts (``_truce_after_acts``)."""
    return any(_truce_after_acts(toks, j, j + n) for j, n in TRUCE.find(toks))


def _truce_after_acts(toks: Sequence[str], start: int, end: int) -> bool:
    """Whether the truce named at ``start:end`` came after the sentence's acts (GUIDELINE C5, C6):
    "agreed a ceasefire with Tajikistan after cross-border shelling", "reached a truce following
    clashes", "the ceasefire announcement came after renewed fighting", "launched airstrikes before
    they reached a ceasefire". Not a truce agreed in an "after" clause of its own ("hours after they
    agreed a truce, shelling resumed"), nor one "before the truce expires"."""
    lo = max(0, start - 7)
    for k in range(start - 1, lo - 1, -1):
        if toks[k] in CLAUSE_BREAKS:
            lo = k + 1
            break
    before = toks[lo:start]
    if any(t.startswith(_BREAKING) for t in before[-4:]):
        return False  # "violating a newly brokered ceasefire hours after it came into effect"
    if not _LATER.isdisjoint(before) and _ITS_END.isdisjoint(toks[end : end + 3]):
        return True  # "fought ... before they reached a 48-hour ceasefire": the acts predate it
    verbs = [k for k in range(max(lo, start - 6), start) if toks[k] in _AGREE_VERBS]
    after = toks[end : min(len(toks), end + 8)]
    if verbs:
        k = verbs[0]
        opening = k
        while opening > 0 and toks[opening - 1] not in CLAUSE_BREAKS:
            opening -= 1
        if not _THEN.isdisjoint(toks[opening:k]):
            return False  # "hours after they agreed a ceasefire, ...": the truce dates what follows
        for m, t in enumerate(after):
            if t in CLAUSE_BREAKS or t in _OVER_VERBS:
                break  # "declared the ceasefire over after jets bombed ...": ended by the act (C3)
            if t in _AFTER_ACTS:
                # "agreed a ceasefire ... after deadly clashes": the clashes came first, unless the
                # sentence goes on to what came since ("..., and since then strikes have killed 300")
                return _GOES_ON.isdisjoint(toks[end + m + 1 :])
        return False
    # "a ceasefire (has been) reached in Aleppo after intense clashes": the passive of the same
    m = 0
    while m < len(after) and after[m] in _BE_AUX:
        m += 1
    if m < len(after) and after[m] in _AGREE_VERBS:
        for k in range(end + m + 1, min(len(toks), end + m + 15)):  # room for the place it names
            if toks[k] in CLAUSE_BREAKS or toks[k] in _OVER_VERBS or toks[k] in _FELL_APART:
                break  # "a ceasefire agreed in July collapsed after fresh clashes": its end (C3)
            if toks[k] in _AFTER_ACTS:
                return _GOES_ON.isdisjoint(toks[k + 1 :])
    # "the ceasefire announcement came (three weeks) after ...": the truce's news dated by the acts
    m = 0
    while m < len(after) and after[m] in _NEWS_OF:
        m += 1
    if m == len(after) or after[m] not in _CAME:
        return False
    if after[m] in _FOLLOWS and (m + 1 == len(after) or after[m + 1] != "by"):
        return True  # "the truce follows one of the fiercest flare-ups": not "followed by" them
    m += 1
    while m < len(after) and after[m] in _SPAN_WORDS:
        m += 1
    return m < len(after) and after[m] in _AFTER_ACTS


def _outside_gaza(ents: Entities) -> Entities:
    """Entities of a deployment stated to be outside Gaza: Gaza is named but is not where it is."""
    places = [p for p in ents.places if gazetteer.ZONES[gazetteer.PLACES[p.lower()]].theatre != "gaza"]
    pairs = [(p, gazetteer.PLACES[p.lower()]) for p in places]
    return ents.model_copy(update={"places": tuple(places), "zones": gazetteer.zones_for(pairs)})


# a search for remains held up by ordnance is one report about remains, not a second, UXO incident
_OBSTACLE = term_list(
    [
        "search",
        "=recovery",
        "=retrieval",
        "retrieve",
        "recover",
        "slow",
        "hamper",
        "delay",
        "complicat*",
        "hinder",
    ]
)


def _subordinate_uxo(best: dict[Category, tuple[tuple[int, int], Hit]]) -> None:
    """Category precedence (GUIDELINE 0.3): when ordnance is named as what slows or endangers the
    search for or recovery of deceased hostages' remains, in the same sentence or with the search's
    wording, the report is about the remains; its UXO mention does not make a second event."""
    remains = best.get(Category.HOSTAGE_REMAINS)
    uxo = best.get(Category.UXO)
    if remains is None or uxo is None:
        return
    if uxo[1].span == remains[1].span or _OBSTACLE.occurs(uxo[1].tokens):
        del best[Category.UXO]


_UNAGREED = re.compile(
    r"\bno (?:locations?|sites?|areas?|places?) (?:have|has) (?:yet )?been "
    r"(?:agreed|decided|chosen|identified|designated|set)"
    r"|\b(?:locations?|sites?|areas?) (?:have|has|had|are|is) (?:not|yet to be) (?:yet )?(?:been )?"
    r"(?:agreed|decided|chosen|identified|designated|set)"
    r"|\bwithout (?:agreeing|deciding) (?:on )?(?:where|any locations?)",
    re.I,
)
# "safe zones ... after Gaza City executions": a place that names another event, not the zone's place
_OTHER_EVENT_PLACE = re.compile(
    r"\b(?:after|following|over|since|amid)\s+(?:the\s+)?([A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)"
)


def _zone_own_places(sentence: str, ents: Entities) -> Entities:
    """The safe zone's own places: those the sentence does not name only as another event's place."""
    other = {m.group(1).lower() for m in _OTHER_EVENT_PLACE.finditer(sentence)}
    if not other:
        return ents
    keep = [p for p in ents.places if p.lower() not in other]
    if len(keep) == len(ents.places):
        return ents
    pairs = [(p, gazetteer.PLACES[p.lower()]) for p in keep if p.lower() in gazetteer.PLACES]
    return ents.model_copy(update={"places": tuple(keep), "zones": gazetteer.zones_for(pairs)})


_STRUCK = term_list(["strike", "airstrike", "=shelling", "attack", "bomb*", "=shelled", "kill"])
_PROPOSED = term_list(["propose", "=proposal", "plan", "discuss*", "=would", "=could", "establish", "create"])


def _zone_status(toks: tuple[str, ...]) -> str:
    """safe_zone detail: evacuation_ordered, struck, safe_zone_proposed or safe_zone_established."""
    if "evacuation" in toks or "evacuate" in toks:
        return "evacuation_ordered"
    if _STRUCK.occurs(toks):
        return "struck"
    if _PROPOSED.occurs(toks):
        return "safe_zone_proposed"
    return "safe_zone_established"


# substrings without which a role's regex cannot match: most texts skip every regex
_ROLE_HINTS = (("police",), ("support",), ("logistic",), ("coordinat",), ("observer", "monitor"),
               ("combat", "fight"), ("peacekeep", "stabili"))  # fmt: skip


_ROLE_HINT = re.compile("|".join(h for hints in _ROLE_HINTS for h in hints))
_ROLE_LOW = tuple(re.compile(rx.pattern) for _, rx in _ROLE_RE)  # case-sensitive, for lower-cased text


def _roles_in(text: str) -> set[int]:
    """Indices into _ROLE_RE of the roles named in ``text``."""
    low = text.lower()
    if _ROLE_HINT.search(low) is None:
        return set()
    found = set()
    for k, (rx, hints) in enumerate(zip(_ROLE_LOW, _ROLE_HINTS, strict=True)):
        for hint in hints:
            if hint in low:
                if rx.search(low):
                    found.add(k)
                break
    return found


def _role(sentence: str, whole: str) -> str | None:
    """A specific role (support, logistics, ...) from the sentence, else from the whole item (a title
    names the force, the summary its role); the generic "peacekeeping" only when nothing else is said."""
    generic = len(_ROLE_RE) - 1
    in_sentence = _roles_in(sentence)
    for found in (in_sentence, _roles_in(whole) if whole and whole != sentence else set()):
        specific = sorted(found - {generic})
        if specific:
            return _ROLE_RE[specific[0]][0]
    return "peacekeeping" if generic in in_sentence else None


def _force_detail(hit: Hit, ents: Entities, whole: str = "") -> dict[str, str]:
    """stage, role, where, qualifier and countries for the forces board."""
    out: dict[str, str] = {}
    toks = hit.tokens
    trig = toks[hit.trigger]
    stage = hit.rule.detail.get("stage", "auto")
    if stage == "auto":
        before = set(toks[max(0, hit.trigger - 4) : hit.trigger])
        began = bool(before & {"began", "begun", "begin", "begins", "start", "started", "starts", "starting"})
        following = toks[hit.trigger + 1] if hit.trigger + 1 < len(toks) else ""
        if trig.startswith(("leav", "left")) and following in ("home", "for"):
            stage = "deploying"  # "peacekeepers leaving home for Lebanon": on their way, not withdrawing
        elif trig.startswith(_WITHDRAW_TOKENS):
            done = trig.endswith(("ed", "drew", "drawn", "left")) or bool(
                before & {"completed", "had", "have", "has"}
            )
            stage = "withdrawing" if began or trig.endswith("ing") or not done else "withdrawn"
        elif before & {"will", "would"} or ("to" in before and not began):
            # "said it would send troops only if ...": the contributor's conditional offer (F3)
            conditional = _CONDITION.search(hit.sentence[_token_char(hit, hit.trigger) :])
            stage = "offered" if conditional else "pledged"
        elif began or trig.endswith(("ing", "s")):
            stage = "deploying"
        else:
            stage = "deployed"
    elif stage == "departure":
        # leaving a place of a theatre ("have left Gaza City") is a withdrawal; leaving home, transit
        after = hit.sentence[_token_char(hit, hit.trigger) :]
        m = _LEFT_PLACE.search(after)
        stage = "withdrawn" if m and m.group(1).lower() in gazetteer.PLACES else "deploying"
    out["stage"] = stage
    sentence = hit.sentence
    role = _role(sentence, whole)
    if role:
        out["role"] = role
    gaza = _GAZA_HINT.search(sentence) is not None  # the two place regexes only where they can match
    if gaza and _OUTSIDE_GAZA.search(sentence):
        out["where"] = "outside Gaza"
    elif gaza and _INSIDE_GAZA.search(sentence):
        out["where"] = "inside Gaza"
    else:
        m = _TO_PLACE.search(sentence)
        if m and (m.group(1).lower() in extract.COUNTRIES or m.group(1).lower() in gazetteer.PLACES):
            out["where"] = m.group(1)
            rest = sentence[m.end() :].split(maxsplit=1)
            site = f"{m.group(1)} {rest[0].strip('.,;:')}" if rest else ""
            if site.lower() in gazetteer.PLACES:
                out["where"] = site  # "to the Rafah crossing", not "Rafah"
        elif stage not in ("declined", "in_talks"):
            to_site = _TO_SITE.search(sentence)  # "sent 300 soldiers to the crossing": a site, not a country
            if to_site:
                out["where"] = to_site.group(1)
    if ents.troops_qualifier:
        out["qualifier"] = ents.troops_qualifier
    if ents.countries:
        out["countries"] = ", ".join(ents.countries)
    if stage in ("declined", "in_talks"):
        out.pop("where", None)  # a refusal or a talk puts no troops anywhere
    named = _contributors(sentence, stage)
    if named:
        out["contributors"] = ", ".join(named)
    elif stage == "in_talks":
        out.pop("stage")  # talks naming no contributor put no country "in talks" (not the ones mentioned)
    return out


_CONDITION = re.compile(
    r"\b(?:only if|if|once|provided that|provided|unless|on condition|as soon as)\b", re.I
)
_CLAIM_WORD = re.compile(
    r"\b(?:claim(?:ed|s)?|alleg(?:ed|es|ing)|accus(?:ed|es|ing)|purported(?:ly)?)\b", re.I
)


def _third_party(hit: Hit) -> bool:
    """Whether a force statement is one state's claim about another's forces ("X claimed Y was ...")."""
    if hit.status not in ("claimed", "accused"):
        return False
    sentence = hit.sentence
    m = _CLAIM_WORD.search(sentence)
    if m is None:
        return False
    mentions = extract.country_mentions(sentence)
    claimants = {c for at, c in mentions if at < m.start()}
    trigger_at = _token_char(hit, hit.trigger) or len(sentence)
    subjects = {c for at, c in mentions if m.end() < at < trigger_at}
    # someone (a state, its intelligence, "officials") claims something of a state it does not name first
    return m.start() > 0 and bool(subjects) and not (subjects & claimants)


_LEFT_PLACE = re.compile(
    r"^\S*(?:\s+\S+)?\s+(?:for\s+|from\s+)?(?:the\s+)?([A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)"
)
_TO_SITE = re.compile(
    r"\b(?:to|into|at|along|on)\s+(the\s+(?:[a-z][\w\-]*\s+){0,2}?"
    r"(?:crossing|border|frontier|front\s?line|front|base|port|airport|capital|yellow\s+line|buffer\s+zone|"
    r"corridor|checkpoint|line\s+of\s+control))\b"
)


def _token_char(hit: Hit, index: int) -> int:
    """The character offset in the hit's sentence of its token ``index`` (0 when not found)."""
    low = hit.sentence.lower()
    pos = 0
    for k, tok in enumerate(hit.tokens):
        at = low.find(tok, pos)
        if at < 0:
            return 0
        if k == index:
            return at
        pos = at + len(tok)
    return 0


_DESTINATION = re.compile(
    r"\b(?:to|into|in|inside|across|from|near|against|on|at|for)\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west)(?:ern)?\s+|central\s+)?$",
    re.I,
)
# who reports a movement is not who moves: "..., Ukrainian officials said", "according to Ukraine's staff"
_SOURCE_BEFORE = re.compile(r"\baccording to\s+(?:the\s+)?$", re.I)
_SOURCE_AFTER = re.compile(
    r"[\w'’.]+(?:\s+[\w-]+)?\s+(?:officials?|sources?|media|authorities|intelligence|monitors?|"
    r"spokes(?:man|woman|person))\s+(?:said|say|says|reported|claimed|told)\b",
    re.I,
)
_TALK_WORD = re.compile(r"\b(?:talks|discussions?|discussing|consultations|negotiat\w*|approached)\b", re.I)
_PARTNERS = re.compile(
    r"\b(?:talks|discussions|consultations|negotiating|negotiations|contacts)\b[^.]*?\bwith\b|\bapproached\b",
    re.I,
)


def _contributors(sentence: str, stage: str) -> tuple[str, ...]:
    """The countries a force event is about: the talk partners for in_talks, else the countries that
    are not named as a destination or location ("send troops to Israel" is about the sender)."""
    if stage == "in_talks":
        m = _PARTNERS.search(sentence)
        if m:
            return extract.countries(sentence[m.end() :])
        # "The UAE is still in discussions about joining": the subject before the talk word
        talk = _TALK_WORD.search(sentence)
        return extract.countries(sentence[: talk.start()]) if talk else ()
    names = [
        name
        for start, name in extract.country_mentions(sentence)
        if not _DESTINATION.search(sentence[max(0, start - 24) : start])
        and not _SOURCE_BEFORE.search(sentence[max(0, start - 24) : start])
        and not _SOURCE_AFTER.match(sentence, start)
    ]
    return tuple(dict.fromkeys(names))
