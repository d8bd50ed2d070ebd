"""`situation-room feeds check` as a user runs it: a real process on real files."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?:(?P<key>[\w.\[\]]+): )?(?P<msg>.+)$")


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env=env,
        check=False,
    )


def check(config: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return run("--config", str(config), "--data-dir", str(tmp_path / "data"), "feeds", "check")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def errors(proc: subprocess.CompletedProcess[str]) -> list[tuple[int, str, str]]:
    """(line, key, message) of every located error on stderr; fails on any line that is not located."""
    found = []
    for line in proc.stderr.splitlines():
        m = LOCATED.match(line)
        assert m, f"error without file:line: {line!r}"
        found.append((int(m["line"]), m["key"] or "", m["msg"]))
    return found


GOOD_FEED = "  - name: Wire\n    url: https://example.org/wire.xml\n"

BROKEN = [
    pytest.param(
        "feeds:\n  - name: Wire\n    url: [unclosed\n",
        [(3, "", "invalid YAML")],
        id="bad-yaml",
    ),
    pytest.param(
        "feeds:\n  - name: Wire\n    url: https://example.org/a\n   tier: wire\n",
        [(4, "", "invalid YAML")],
        id="bad-yaml-indentation",
    ),
    pytest.param(
        "feeds:\n" + GOOD_FEED + "    colour: red\n",
        [(4, "feeds[0].colour", "unknown key")],
        id="unknown-feed-key",
    ),
    pytest.param(
        "feeds:\n" + GOOD_FEED + "concurrancy: 4\n",
        [(4, "concurrancy", "unknown key")],
        id="unknown-top-level-key",
    ),
    pytest.param(
        "feeds:\n  - name: Wire\n    url: ftp://example.org/wire.xml\n",
        [(3, "feeds[0].url", "scheme 'ftp' is not allowed")],
        id="bad-url-scheme",
    ),
    pytest.param(
        "feeds:\n  - name: Wire\n    url: https:///wire.xml\n",
        [(3, "feeds[0].url", "has no host name")],
        id="url-without-host",
    ),
    pytest.param(
        "feeds:\n" + GOOD_FEED + "  - name: Wire\n    url: https://example.org/other.xml\n",
        [(4, "feeds[1].name", "duplicate of feeds[0]")],
        id="duplicate-name",
    ),
    pytest.param(
        "feeds:\n" + GOOD_FEED + "  - name: Other\n    url: https://example.org/wire.xml/\n",
        [(5, "feeds[1].url", "duplicate of feeds[0]")],
        id="duplicate-url",
    ),
    pytest.param(
        "feeds:\n" + GOOD_FEED + "    interval: 5\n",
        [(4, "feeds[0].interval", "must be at least 30 seconds")],
        id="interval-too-small",
    ),
    pytest.param(
        "feeds:\n" + GOOD_FEED + "    tier: blog\n",
        [(4, "feeds[0].tier", "Input should be")],
        id="unknown-tier",
    ),
    pytest.param(
        "feeds:\n  - url: https://example.org/wire.xml\n",
        [(2, "feeds[0].name", "required key is missing")],
        id="missing-name",
    ),
    pytest.param(
        "limits:\n  timeout_s: 0\n",
        [(2, "limits.timeout_s", "greater than 0")],
        id="nested-limit",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_broken_config_exits_2_with_located_errors(
    tmp_path: Path, text: str, expected: list[tuple[int, str, str]]
) -> None:
    config = write(tmp_path, text)
    proc = check(config, tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    found = errors(proc)
    assert len(found) == len(expected), proc.stderr
    for (line, key, msg), (want_line, want_key, want_msg) in zip(found, expected, strict=True):
        assert (line, key) == (want_line, want_key), proc.stderr
        assert want_msg in msg
    assert all(str(config) in err for err in proc.stderr.splitlines())


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        "concurrency: 0\n"  # 1
        "feeds:\n"  # 2
        "  - name: Wire\n"  # 3
        "    url: https://example.org/a.xml\n"  # 4
        "    interval: 10\n"  # 5
        "  - name: Wire\n"  # 6
        "    url: gopher://example.org/b\n"  # 7
        "    volume: 11\n"  # 8
        "  - name: Third\n"  # 9
        "    url: https://example.org/a.xml\n",  # 10
    )
    proc = check(config, tmp_path)
    assert proc.returncode == 2
    assert {(line, key) for line, key, _ in errors(proc)} == {
        (1, "concurrency"),
        (5, "feeds[0].interval"),
        (6, "feeds[1].name"),
        (7, "feeds[1].url"),
        (8, "feeds[1].volume"),
        (10, "feeds[2].url"),
    }


def test_missing_config_exits_2(tmp_path: Path) -> None:
    proc = check(tmp_path / "nowhere.yaml", tmp_path)
    assert proc.returncode == 2
    assert "nowhere.yaml" in proc.stderr
    assert "not found" in proc.stderr


def test_shipped_feeds_yaml_is_valid_and_listed(tmp_path: Path) -> None:
    proc = check(REPO / "feeds.yaml", tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["NAME", "TIER", "PARTY", "INTERVAL", "URL", "STATUS"]
    for name in ("UN News Middle East", "ReliefWeb oPt", "Al Jazeera", "BBC Middle East", "Times of Israel"):
        assert any(line.startswith(name + " ") for line in lines), name
    party_rows = [line for line in lines if " Hamas " in line or " Israel " in line]
    assert len(party_rows) >= 2
    assert "\x1b" not in proc.stdout


def test_table_shows_every_column(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        "feeds:\n"
        "  - name: Ministry\n"
        "    url: https://gov.example/feed\n"
        "    tier: official\n"
        "    party: Israel\n"
        "    interval: 60\n"
        "  - name: Local file\n"
        "    url: saved/feed.xml\n"
        "    enabled: false\n",
    )
    proc = check(config, tmp_path)
    assert proc.returncode == 0, proc.stderr
    ministry = next(line for line in proc.stdout.splitlines() if line.startswith("Ministry"))
    assert ministry.split()[:5] == ["Ministry", "official", "Israel", "60s", "https://gov.example/feed"]
    local = next(line for line in proc.stdout.splitlines() if line.startswith("Local file"))
    assert local.split()[-1] == "disabled"
    assert proc.stdout.splitlines()[-1].startswith("2 feeds, 1 enabled")


def test_control_characters_in_names_never_reach_the_terminal(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        'feeds:\n  - name: "Evil\\e]52;c;aGk=\\a\\u202E feed"\n    url: https://example.org/x\n',
    )
    proc = check(config, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e]", proc.stdout.replace("\n", ""))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["feeds", "--help"],
        ["feeds", "check", "--help"],
        ["feeds", "import", "--help"],
        ["feeds", "export", "--help"],
    ],
)
def test_help_everywhere(args: list[str]) -> None:
    proc = run(*args)
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: situation-room")


@pytest.mark.parametrize(
    "args",
    [
        ["feeds"],
        ["feeds", "bogus"],
        ["feeds", "import"],
        ["feeds", "import", "x.opml", "--tier", "blog"],
        ["--no-such-flag"],
        ["--demo", "--speed", "0"],
        ["--demo", "--speed", "nan"],
        ["watch", "--demo", "--speed", "-1"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "usage:" in proc.stderr


@pytest.mark.parametrize(
    ("argv", "config", "data_dir"),
    [
        (["feeds", "check", "--config", "a.yaml"], "a.yaml", None),
        (["export", "--data-dir", "d", "--format", "csv"], None, "d"),
        (["watch", "--once", "--config", "a.yaml", "--data-dir", "d"], "a.yaml", "d"),
        (["rules", "test", "--config", "a.yaml"], "a.yaml", None),
        (["--data-dir", "d", "export"], None, "d"),  # before the command: not overwritten by its default
        (["--config", "a.yaml", "feeds", "check", "--config", "b.yaml"], "b.yaml", None),
    ],
)
def test_config_and_data_dir_work_after_the_command(
    argv: list[str], config: str | None, data_dir: str | None
) -> None:
    from monitor.cli import build_parser

    args = build_parser().parse_args(argv)
    assert args.config == (Path(config) if config else None)
    assert args.data_dir == (Path(data_dir) if data_dir else None)
