"""Loading rules: defaults from the package, user files that add, override and disable, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import parse_settings
from monitor.errors import RulesError
from monitor.rules import RuleEngine
from monitor.rules.loader import compile_rules, default_rules_text, load_rules

GOOD = """\
terms:
  boats: [gunboat, "=patrol boat"]
rules:
  - id: user.naval
    category: ceasefire_violation
    severity: medium
    trigger: ["@boats"]
    all: [[fire, shoot]]
    examples:
      match: ["A gunboat fired on fishermen off the coast."]
      no_match: ["A gunboat was repaired in port."]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_default_rule_has_examples_and_an_id() -> None:
    rules = load_rules()
    assert len(rules) >= 15
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.match_examples, rule.id
    assert "rules:" in default_rules_text()


def test_user_file_adds_a_rule(tmp_path: Path) -> None:
    engine = RuleEngine.load([write(tmp_path, "mine.yaml", GOOD)])
    events = engine.classify_text("A gunboat fired on fishermen off the coast.")
    assert [e.rule for e in events] == ["user.naval"]


def test_user_file_disables_and_overrides_defaults(tmp_path: Path) -> None:
    override = """\
disable: [dip.talks]
rules:
  - id: uxo.ordnance
    category: uxo
    severity: critical
    trigger: [unexploded]
    examples:
      match: ["Unexploded shells found in a school."]
"""
    rules = load_rules([write(tmp_path, "o.yaml", override)])
    ids = {r.id: r for r in rules}
    assert "dip.talks" not in ids
    assert ids["uxo.ordnance"].severity.value == "critical"
    assert ids["uxo.ordnance"].source.endswith("o.yaml")


def test_errors_are_all_reported_with_file_line_and_rule_id(tmp_path: Path) -> None:
    bad = """\
rules:
  - id: a.one
    category: ceasefire_violation
    severity: high
    trigger: ["@nope"]
    examples:
      match: ["x"]
  - id: a.two
    category: not_a_category
    severity: high
    trigger: [strike]
    examples:
      match: ["x"]
  - id: a.three
    category: uxo
    severity: low
    trigger: [mine]
    colour: red
    examples:
      match: ["x"]
disable: [no.such.rule]
"""
    path = write(tmp_path, "bad.yaml", bad)
    with pytest.raises(RulesError) as info:
        load_rules([path])
    problems = info.value.problems
    text = "\n".join(str(p) for p in problems)
    assert all(p.file == str(path) for p in problems)
    # schema problems are reported together (both bad rules, with their ids and lines)
    assert any("a.two" in p.key and p.line == 9 for p in problems), text
    assert any("a.three" in p.key and p.line == 18 and "unknown key" in p.message for p in problems), text


def test_semantic_errors_are_all_reported(tmp_path: Path) -> None:
    bad = """\
rules:
  - id: b.one
    category: ceasefire_violation
    severity: high
    trigger: ["@nope"]
    examples:
      match: ["x"]
  - id: b.two
    category: uxo
    severity: low
    trigger: [mine]
  - id: b.two
    category: uxo
    severity: low
    trigger: [mine]
    examples:
      match: ["x"]
disable: [no.such.rule]
"""
    path = write(tmp_path, "bad.yaml", bad)
    with pytest.raises(RulesError) as info:
        load_rules([path])
    got = {(p.line, p.key.split(" ")[-1].rstrip(")"), p.message) for p in info.value.problems}
    assert (5, "b.one", "unknown term set '@nope'") in got
    assert (8, "b.two", "needs at least one match example") in got  # the rule's own line
    assert (12, "b.two", "duplicate rule id 'b.two'") in got
    assert any(m == "no rule 'no.such.rule'" and line == 18 for line, _, m in got)


def test_invalid_yaml_and_missing_file_are_located(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as info:
        load_rules([write(tmp_path, "broken.yaml", "rules:\n  - id: [unclosed\n"), tmp_path / "absent.yaml"])
    messages = [str(p) for p in info.value.problems]
    assert any("broken.yaml:" in m and "invalid YAML" in m for m in messages)
    assert any("absent.yaml" in m and "not found" in m for m in messages)


def test_bad_terms_are_rejected() -> None:
    text = """\
rules:
  - id: c.one
    category: uxo
    severity: low
    trigger: ["ab*"]
    examples:
      match: ["x"]
"""
    with pytest.raises(RulesError, match="too short"):
        compile_rules([("t.yaml", text)])


def test_settings_rules_paths_resolve_next_to_feeds_yaml(tmp_path: Path) -> None:
    settings = parse_settings("rules: [mine.yaml]\n", str(tmp_path / "feeds.yaml"))
    assert settings.resolve(settings.rules[0]) == tmp_path / "mine.yaml"
