"""Hostile YAML in feeds.yaml and rules files: alias bombs and keys given twice, as a user meets them.

Real processes on real files. The alias-bomb runs get a 1 GiB address-space cap and a short timeout,
so a loader that expands the aliases fails the test quickly instead of eating the machine.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import parse_settings
from monitor.errors import ConfigError

CAP = 1 << 30


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def run(*args: str, stdin: str = "", timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_cap_memory,
        check=False,
    )


def bomb(top: str, tail: str) -> str:
    """Nine levels of nine aliases each: about 400 million values once expanded, 1 KB as text."""
    lines = [f"{top}:", '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join([*lines, tail]) + "\n"


def test_rules_file_alias_bomb_is_refused_with_its_line(tmp_path: Path) -> None:
    rules = tmp_path / "bomb.yaml"
    rules.write_text(bomb("terms", "rules: []"), encoding="utf-8")
    proc = run("classify", "--rules", str(rules), "--data-dir", str(tmp_path / "d"), stdin='{"title": "x"}\n')
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert f"{rules}:9: YAML aliases expand this file to" in proc.stderr
    assert proc.stdout == ""


def test_rules_bomb_used_by_a_rule_is_refused(tmp_path: Path) -> None:
    text = bomb("terms", "rules:\n  - id: x\n    category: strike\n    trigger: *i\n")
    rules = tmp_path / "bomb.yaml"
    rules.write_text(text, encoding="utf-8")
    proc = run("classify", "--rules", str(rules), "--data-dir", str(tmp_path / "d"), stdin="x\n")
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "YAML aliases expand this file" in proc.stderr


def test_feeds_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(bomb("x", "feeds: []"), encoding="utf-8")
    proc = run("--config", str(config), "--data-dir", str(tmp_path / "d"), "feeds", "check")
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert f"{config}:9: YAML aliases expand this file to" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_modest_aliases_still_load() -> None:
    tags = "[" + ", ".join(f'"t{i}"' for i in range(20)) + "]"
    feeds = "".join(
        f"  - name: f{i}\n    url: https://example.org/{i}\n    tags: {'&t ' + tags if i == 0 else '*t'}\n"
        for i in range(200)
    )
    settings = parse_settings("feeds:\n" + feeds)
    assert len(settings.feeds) == 200
    assert settings.feeds[199].tags == tuple(f"t{i}" for i in range(20))


def test_recursive_alias_is_an_error_not_a_hang() -> None:
    from monitor.yamlnodes import parse_document

    with pytest.raises(ConfigError) as caught:
        parse_document("a: &a [1, *a]\n", "x.yaml")
    assert "refers to its own anchor" in str(caught.value.problems[0])


def test_url_twice_in_one_feed_fails_feeds_check(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "feeds:\n"
        "  - name: Wire\n"
        "    url: https://example.org/wire.xml\n"
        "    url: https://example.org/other.xml\n",
        encoding="utf-8",
    )
    proc = run("--config", str(config), "--data-dir", str(tmp_path / "d"), "feeds", "check")
    assert proc.returncode == 2, proc.stdout
    assert f"{config}:4: feeds[0].url: key given twice in one mapping (first on line 3)" in proc.stderr


def test_duplicate_top_level_key_cannot_replace_the_feeds(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "feeds:\n  - name: Mine\n    url: https://example.org/mine.xml\n"
        "retention_days: 10\n"
        "feeds:\n  - name: Theirs\n    url: https://example.org/theirs.xml\n",
        encoding="utf-8",
    )
    proc = run("--config", str(config), "--data-dir", str(tmp_path / "d"), "feeds", "check")
    assert proc.returncode == 2
    assert f"{config}:5: feeds: key given twice in one mapping (first on line 1)" in proc.stderr


def test_duplicate_keys_in_a_rules_file_are_located(tmp_path: Path) -> None:
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        "disable: []\n"
        "rules:\n"
        "  - id: mine\n"
        "    category: strike\n"
        "    severity: high\n"
        "    severity: low\n"
        "    trigger: [airstrike]\n"
        "    examples: {match: [an airstrike]}\n"
        "disable: [ceasefire-violation]\n",
        encoding="utf-8",
    )
    proc = run("classify", "--rules", str(rules), "--data-dir", str(tmp_path / "d"), stdin="x\n")
    assert proc.returncode == 2
    assert f"{rules}:6: rules[0].severity: key given twice in one mapping (first on line 5)" in proc.stderr
    assert f"{rules}:9: disable: key given twice in one mapping (first on line 1)" in proc.stderr
