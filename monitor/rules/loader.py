"""Rules files → compiled rules: the default set in the package plus user files, every error at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from monitor.errors import ConfigError, ConfigProblem, RulesError
from monitor.rules.model import DEFAULT_GUARDS, Rule, RuleFileSpec, RuleSpec
from monitor.rules.terms import TermList, compile_term
from monitor.yamlnodes import format_key, line_of, parse_document

DEFAULT_RULES = "default_rules.yaml"


@dataclass(frozen=True, slots=True)
class _Parsed:
    name: str
    spec: RuleFileSpec
    root: yaml.Node | None


def default_rules_text() -> str:
    return resources.files("monitor.rules").joinpath(DEFAULT_RULES).read_text(encoding="utf-8")


def load_rules(extra: Sequence[Path] = ()) -> list[Rule]:
    """The default rules, then each user file in order (adding, overriding by id, disabling)."""
    texts, problems = read_rule_files(extra)
    return with_defaults(texts, problems)


def read_rule_files(extra: Sequence[Path]) -> tuple[list[tuple[str, str]], list[ConfigProblem]]:
    """(name, text) of each user rules file, and the files that could not be read."""
    texts: list[tuple[str, str]] = []
    problems: list[ConfigProblem] = []
    for path in extra:
        try:
            texts.append((str(path), Path(path).read_text(encoding="utf-8")))
        except FileNotFoundError:
            problems.append(ConfigProblem(str(path), None, "", "rules file not found"))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(ConfigProblem(str(path), None, "", f"cannot read: {exc}"))
    return texts, problems


RULES_ONLY = ("<rules only>", "")
"""An entry of an engine's user rules that is no file: the engine leaves the statistical reading out.
It travels with the user rules to the parser processes, so they build the same engine."""


def with_defaults(
    texts: Sequence[tuple[str, str]], problems: list[ConfigProblem] | None = None
) -> list[Rule]:
    """The default rules followed by the user files' ``texts``, compiled (RulesError lists every problem)."""
    files = [t for t in texts if t != RULES_ONLY]
    return compile_rules(
        [(f"<package>/monitor/rules/{DEFAULT_RULES}", default_rules_text()), *files], problems
    )


def _state_terms() -> list[str]:
    """The built-in term set ``@state``: every state by a name, demonym, capital or abbreviation the
    extractor knows ("uganda", "congolese", "drc"), each matched exactly; ``@to_state`` is each of
    them after "to" or "into" ("ordered troops to Romania")."""
    from monitor.rules.extract import STATES

    return [f"={name}" for name in sorted(STATES)]


def compile_rules(
    texts: Sequence[tuple[str, str]], problems: list[ConfigProblem] | None = None
) -> list[Rule]:
    """Parse and compile (name, YAML text) pairs in order; raise RulesError listing every problem."""
    problems = list(problems or [])
    parsed = [p for name, text in texts if (p := _parse(name, text, problems)) is not None]
    states = _state_terms()
    terms: dict[str, list[str]] = {
        "state": states,
        "to_state": [f"=to {t[1:]}" for t in states] + [f"=into {t[1:]}" for t in states],
    }
    rules: dict[str, Rule] = {}
    for p in parsed:
        terms.update(p.spec.terms)
        seen: set[str] = set()
        for i, spec in enumerate(p.spec.rules):
            line = line_of(p.root, ["rules", i])
            if spec.id in seen:
                problems.append(
                    ConfigProblem(
                        p.name, line, f"rules[{i}].id (rule {spec.id})", f"duplicate rule id {spec.id!r}"
                    )
                )
                continue
            seen.add(spec.id)
            rule = _compile(spec, terms, p.name, line, [i], p.root, problems)
            if rule is not None:
                rules[spec.id] = rule  # a later file with the same id overrides
        for j, rid in enumerate(p.spec.disable):
            if rid not in rules:
                problems.append(
                    ConfigProblem(
                        p.name, line_of(p.root, ["disable", j]), f"disable[{j}]", f"no rule {rid!r}"
                    )
                )
            rules.pop(rid, None)
    if problems:
        raise RulesError(problems)
    return [r for r in rules.values() if r.spec.enabled]


def _parse(name: str, text: str, problems: list[ConfigProblem]) -> _Parsed | None:
    try:
        doc = parse_document(text, name)  # one parse; refuses invalid YAML and alias bombs
    except ConfigError as exc:
        problems.extend(exc.problems)
        return None
    root = doc.root
    data: Any = {} if doc.data is None else doc.data
    problems.extend(doc.duplicates)
    if not isinstance(data, dict):
        problems.append(ConfigProblem(name, 1, "", "the top level must be a mapping (rules: ...)"))
        return None
    try:
        return _Parsed(name, RuleFileSpec.model_validate(data), root)
    except ValidationError as exc:
        errors = exc.errors()
    for err in errors:
        loc = list(err["loc"])
        rid = _rule_id(data, loc)
        msg = (
            "unknown key"
            if err["type"] == "extra_forbidden"
            else str(err["msg"]).removeprefix("Value error, ")
        )
        if err["type"] == "missing":
            msg = "required key is missing"
        key = format_key(loc) + (f" (rule {rid})" if rid else "")
        problems.append(ConfigProblem(name, line_of(root, loc), key, msg))
    return None


def _rule_id(data: dict[str, Any], loc: list[str | int]) -> str | None:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = data.get("rules")
        if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            rid = rules[loc[1]].get("id")
            return str(rid) if rid is not None else None
    return None


def _compile(  # noqa: PLR0917 - one call site, each argument named there
    spec: RuleSpec,
    terms: dict[str, list[str]],
    name: str,
    line: int | None,
    index: list[str | int],
    root: yaml.Node | None,
    problems: list[ConfigProblem],
) -> Rule | None:
    before = len(problems)
    base: list[str | int] = ["rules", *index]

    def terms_of(texts: Sequence[str], key: list[str | int]) -> TermList:
        out = []
        for k, text in enumerate(texts):
            expanded = [text]
            if text.startswith("@"):
                if text[1:] not in terms:
                    problems.append(
                        _problem(name, root, [*base, *key, k], spec.id, f"unknown term set {text!r}")
                    )
                    continue
                expanded = terms[text[1:]]
            for t in expanded:
                try:
                    out.append(compile_term(t))
                except ValueError as exc:
                    problems.append(_problem(name, root, [*base, *key, k], spec.id, str(exc)))
        return TermList.of(out)

    trigger = terms_of(spec.trigger, ["trigger"])
    groups = tuple(terms_of(g, ["all", g_i]) for g_i, g in enumerate(spec.all))
    any_ = terms_of(spec.any, ["any"]) if spec.any else None
    none = terms_of(spec.none, ["none"]) if spec.none else None
    if not spec.examples.match:
        problems.append(
            _problem(name, root, [*base, "examples"], spec.id, "needs at least one match example")
        )
    if len(problems) > before:
        return None
    guards = (
        spec.guards if spec.guards is not None else DEFAULT_GUARDS.get(spec.category, ("negation", "denial"))
    )
    return Rule(
        id=spec.id,
        category=spec.category,
        severity=spec.severity,
        description=spec.description,
        trigger=trigger,
        all=groups,
        any=any_,
        none=none,
        near=spec.near,
        guards=frozenset(guards),
        context=spec.context,
        detail=dict(spec.detail),
        match_examples=tuple(spec.examples.match),
        no_match_examples=tuple(spec.examples.no_match),
        source=name,
        line=line,
        spec=spec,
    )


def _problem(
    name: str, root: yaml.Node | None, loc: list[str | int], rid: str, message: str
) -> ConfigProblem:
    return ConfigProblem(name, line_of(root, loc), f"{format_key(loc)} (rule {rid})", message)
