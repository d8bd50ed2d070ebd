"""`situation-room classify` and `rules test|lint` end to end, through real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def run(args: list[str], stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SITUATION_ROOM_DATA": str(cwd or Path.cwd())}
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env=env,
        check=False,
    )


def test_classify_one_line_out_per_line_in_in_order(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "title": "Israeli drone strike kills three in Khan Younis despite truce"}),
        "According to the officials, the United States will provide up to 200 troops in support roles, "
        "though none will be deployed inside Gaza itself.",
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"id": "e", "summary": "no title"}),
        "",
        json.dumps({"id": "g", "title": "Shares rose in Tokyo", "published": "2025-11-01T10:00:00Z"}),
        json.dumps({"id": "h", "title": "Truce \u001b[31mcollapsed\u0085 as shelling resumed\u202e"}),
    ]
    out = run(["classify"], "\n".join(lines) + "\n", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == len(lines)
    assert rows[0]["id"] == "a"
    [cv] = rows[0]["events"]
    assert cv["category"] == "ceasefire_violation"
    assert cv["rule"] == "cv.kinetic-during-truce"
    assert cv["entities"]["zones"] == ["Khan Younis"]
    assert cv["entities"]["casualties"] == 3
    assert set(cv) >= {"category", "severity", "rule", "status", "matched", "entities"}
    assert set(cv["entities"]) >= {"countries", "actors", "places", "zones", "troops", "casualties"}
    [fd] = [e for e in rows[1]["events"] if e["category"] == "force_deployment"]
    assert fd["entities"]["countries"] == ["United States"]
    assert fd["entities"]["troops"] == 200
    assert fd["detail"]["where"] == "outside Gaza"
    assert "Gaza Strip" not in fd["entities"]["zones"]
    assert rows[2]["events"] == []  # not JSON: taken as a title
    assert "error" in rows[3] and rows[3]["line"] == 4
    assert rows[4]["id"] == "e" and "title" in rows[4]["error"]
    assert "error" in rows[5]
    assert rows[6] == {"id": "g", "events": []}
    [hostile] = rows[7]["events"]
    assert hostile["matched"] == "Truce collapsed as shelling resumed"


def test_classify_streams_each_line_before_the_next_arrives(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "classify"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write('{"id": 1, "title": "Pakistan pledged 3,000 troops to the force"}\n')
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())  # arrives while stdin is still open
        assert first["id"] == 1 and first["events"][0]["category"] == "force_deployment"
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == 0


def test_classify_with_extra_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "extra.yaml"
    rules.write_text(
        "rules:\n"
        "  - id: user.flotilla\n"
        "    category: diplomacy\n"
        "    severity: low\n"
        "    trigger: [flotilla]\n"
        "    examples:\n"
        "      match: ['The flotilla sailed.']\n",
        encoding="utf-8",
    )
    out = run(["classify", "--rules", str(rules)], "Aid flotilla sets sail\n", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert [e["rule"] for e in json.loads(out.stdout)["events"]] == ["user.flotilla"]


def test_classify_bad_rules_file_is_a_usage_error_with_location(tmp_path: Path) -> None:
    rules = tmp_path / "bad.yaml"
    rules.write_text(
        "rules:\n  - id: x.y\n    category: nope\n    severity: low\n    trigger: [a1]\n", encoding="utf-8"
    )
    out = run(["classify", "--rules", str(rules)], "x\n", cwd=tmp_path)
    assert out.returncode == 2
    assert f"{rules}:3" in out.stderr and "x.y" in out.stderr
    assert out.stdout == ""


def test_rules_test_passes_on_the_default_rules(tmp_path: Path) -> None:
    out = run(["rules", "test"], cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 failed" in out.stderr


def test_rules_test_fails_on_a_rule_that_misses_its_example(tmp_path: Path) -> None:
    rules = tmp_path / "r.yaml"
    rules.write_text(
        "rules:\n"
        "  - id: user.bad\n"
        "    category: uxo\n"
        "    severity: low\n"
        "    trigger: [landmine]\n"
        "    examples:\n"
        "      match: ['A grenade went off.']\n"
        "      no_match: ['A landmine was found.']\n",
        encoding="utf-8",
    )
    out = run(["rules", "test", "--rules", str(rules)], cwd=tmp_path)
    assert out.returncode == 1
    assert out.stdout.count("user.bad") == 2


def test_rules_lint_is_clean_on_defaults_and_flags_duplicates(tmp_path: Path) -> None:
    assert run(["rules", "lint"], cwd=tmp_path).returncode == 0
    rules = tmp_path / "dup.yaml"
    body = (
        "    category: uxo\n    severity: low\n    trigger: [landmine]\n"
        "    examples:\n      match: ['A landmine exploded.']\n"
    )
    rules.write_text(f"rules:\n  - id: user.a\n{body}  - id: user.b\n{body}", encoding="utf-8")
    out = run(["rules", "lint", "--rules", str(rules)], cwd=tmp_path)
    assert out.returncode == 1
    assert "user.b" in out.stdout and "duplicate" in out.stdout


def test_guard_outcome_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """ "denies any clash" is a denial whatever order Python's sets iterate in."""
    line = '{"id": 1, "title": "Movement denies any clash with occupation forces in Rafah"}\n'
    statuses = set()
    for seed in ("1", "2", "3"):
        out = subprocess.run(
            [sys.executable, "-m", "monitor", "classify"],
            input=line,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        statuses.add(tuple((e["category"], e["status"]) for e in json.loads(out.stdout)["events"]))
    assert statuses == {(("diplomacy", "denied"),)}
