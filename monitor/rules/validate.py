"""Checks on loaded rules: each rule against its own examples (``rules test``) and lint (``rules lint``).

Each check is a small function returning typed findings; the CLI prints them and sets the exit code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from monitor.rules.engine import RuleEngine
from monitor.rules.model import Rule
from monitor.rules.terms import TermList


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """A rule that did not fire on a match example, or fired on a no_match example."""

    rule: str
    where: str
    expected: Literal["match", "no_match"]
    text: str
    guard: str | None = None

    def __str__(self) -> str:
        if self.expected == "match":
            why = f" (blocked by the {self.guard} guard)" if self.guard else ""
            return f"{self.where}: {self.rule}: should match but did not{why}: {self.text!r}"
        return f"{self.where}: {self.rule}: should not match but did: {self.text!r}"


@dataclass(frozen=True, slots=True)
class LintFinding:
    """A rule that can never fire, repeats another rule, or fires whenever another does."""

    rule: str
    where: str
    kind: Literal["unreachable", "duplicate", "overlapping"]
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}: {self.kind}: {self.message}"


def run_examples(rules: Sequence[Rule]) -> tuple[int, list[ExampleFailure]]:
    """(examples checked, failures) — each rule is run alone on its own examples."""
    failures: list[ExampleFailure] = []
    checked = 0
    for rule in rules:
        engine = RuleEngine([rule])
        for text in rule.match_examples:
            checked += 1
            hits = engine.hits(text)
            if not any(h.guard is None for h in hits):
                guard = next((h.guard for h in hits if h.guard), None)
                failures.append(ExampleFailure(rule.id, rule.where, "match", text, guard))
        for text in rule.no_match_examples:
            checked += 1
            if any(h.guard is None for h in engine.hits(text)):
                failures.append(ExampleFailure(rule.id, rule.where, "no_match", text))
    return checked, failures


def _forms(tl: TermList) -> frozenset[str]:
    return frozenset(t.text for t in tl.terms)


def _signature(rule: Rule) -> tuple[object, ...]:
    return (
        rule.category,
        _forms(rule.trigger),
        tuple(sorted(_forms(g) for g in rule.all)) if rule.all else (),
        _forms(rule.any) if rule.any else None,
        _forms(rule.none) if rule.none else None,
        rule.context,
        rule.guards,
    )


def unreachable(rules: Sequence[Rule]) -> list[LintFinding]:
    """Rules whose every trigger term is vetoed by their own ``none`` list, or whose examples cannot match."""
    out: list[LintFinding] = []
    for rule in rules:
        if rule.none is not None:
            vetoed = [t for t in rule.trigger.terms if rule.none.occurs(tuple(t.text.lstrip("=").split()))]
            if len(vetoed) == len(rule.trigger.terms):
                out.append(LintFinding(rule.id, rule.where, "unreachable", "every trigger term is in `none`"))
        for group in rule.all:
            if not group.terms:
                out.append(LintFinding(rule.id, rule.where, "unreachable", "an `all` group has no terms"))
    return out


def duplicates(rules: Sequence[Rule]) -> list[LintFinding]:
    """Rules with the same category, terms, context and guards as an earlier rule."""
    seen: dict[tuple[object, ...], Rule] = {}
    out: list[LintFinding] = []
    for rule in rules:
        sig = _signature(rule)
        first = seen.setdefault(sig, rule)
        if first is not rule:
            out.append(
                LintFinding(
                    rule.id, rule.where, "duplicate", f"same conditions as {first.id} ({first.where})"
                )
            )
    return out


def overlapping(rules: Sequence[Rule]) -> list[LintFinding]:
    """Rules of one category where one fires whenever the other does (its triggers and conditions are a
    subset of the other's, with the same context, guards and no extra vetoes)."""
    out: list[LintFinding] = []
    for i, a in enumerate(rules):
        for b in rules[i + 1 :]:
            if a.category != b.category or _signature(a) == _signature(b):
                continue
            for wide, narrow in ((a, b), (b, a)):
                if _covers(wide, narrow):
                    out.append(
                        LintFinding(
                            narrow.id,
                            narrow.where,
                            "overlapping",
                            f"every match is also a match of {wide.id} ({wide.where})",
                        )
                    )
                    break
    return out


def _covers(wide: Rule, narrow: Rule) -> bool:
    if wide.context != narrow.context or wide.guards != narrow.guards or wide.none is not None:
        return False
    if wide.any is not None and (narrow.any is None or not _forms(narrow.any) <= _forms(wide.any)):
        return False
    if not _forms(narrow.trigger) <= _forms(wide.trigger):
        return False
    narrow_groups = [_forms(g) for g in narrow.all]
    return all(any(ng <= _forms(wg) for ng in narrow_groups) for wg in wide.all) and wide.near >= narrow.near


def lint(rules: Sequence[Rule]) -> list[LintFinding]:
    return unreachable(rules) + duplicates(rules) + overlapping(rules)
