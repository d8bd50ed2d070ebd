"""The README's promises that can be checked mechanically stay true."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_exactly_two_setup_commands_install_and_run() -> None:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in section.splitlines() if line.startswith("    python3 -m venv")]
    assert len(commands) == 2
    assert commands[0].endswith("situation-room --demo")
    assert "'.[test]'" in commands[1]
    assert commands[1].endswith("bash .ci/check")


def test_user_rules_example_loads_and_passes_its_examples(tmp_path: Path) -> None:
    block = re.search(r"\n(    disable: .*?)\n\n", README, flags=re.S)
    assert block, "the README's rules example is missing"
    rules = tmp_path / "rules.yaml"
    rules.write_text(textwrap.dedent(block.group(1)) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "rules", "test", "--rules", str(rules)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failed" in result.stderr


def test_every_documented_command_exists() -> None:
    for command in ("watch", "export", "classify", "feeds", "rules"):
        result = subprocess.run(
            [sys.executable, "-m", "monitor", command, "--help"], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{command}: {result.stderr}"
