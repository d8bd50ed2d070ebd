"""Rule examples and lint as functions: unreachable, duplicate and overlapping rules."""

from __future__ import annotations

from monitor.rules.loader import compile_rules, load_rules
from monitor.rules.validate import lint, run_examples

HEAD = "rules:\n"


def rule(rid: str, trigger: str, extra: str = "") -> str:
    return (
        f"  - id: {rid}\n    category: uxo\n    severity: low\n    trigger: [{trigger}]\n{extra}"
        "    examples:\n      match: ['A landmine exploded.']\n"
    )


def test_default_rules_pass_their_examples_and_lint() -> None:
    rules = load_rules()
    checked, failures = run_examples(rules)
    assert checked >= 2 * len(rules) - 5
    assert failures == []
    assert lint(rules) == []


def test_unreachable_rule() -> None:
    rules = compile_rules([("t.yaml", HEAD + rule("u.a", "landmine", "    none: ['=landmine']\n"))])
    [finding] = lint(rules)
    assert (finding.rule, finding.kind) == ("u.a", "unreachable")


def test_overlapping_rule() -> None:
    text = HEAD + rule("u.wide", "landmine, mine") + rule("u.narrow", "landmine")
    [finding] = lint(compile_rules([("t.yaml", text)]))
    assert (finding.rule, finding.kind) == ("u.narrow", "overlapping")
    assert "u.wide" in finding.message


def test_example_failures_name_the_guard() -> None:
    text = HEAD + (
        "  - id: u.fd\n    category: force_deployment\n    severity: low\n    trigger: [deploy]\n"
        "    all: [[troops]]\n    examples:\n      match: ['Chile could deploy troops.']\n"
    )
    _, [failure] = run_examples(compile_rules([("t.yaml", text)]))
    assert failure.expected == "match" and failure.guard == "modality"
    assert "t.yaml" in str(failure)
