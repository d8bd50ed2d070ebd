"""Where the config and the data directory are found when not given on the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli import _data_dir, build_parser
from monitor.config import default_config_path, default_data_dir

FEED = "feeds:\n  - name: {name}\n    url: https://example.org/{name}.xml\n"


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SITUATION_ROOM_DATA"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg-config")
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env.update(extra)
    return env


def feeds_check(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "feeds", "check"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
        check=False,
    )


def test_local_feeds_yaml_wins_over_user_config(tmp_path: Path) -> None:
    user_config = tmp_path / "xdg-config" / "situation-room" / "feeds.yaml"
    user_config.parent.mkdir(parents=True)
    user_config.write_text(FEED.format(name="UserFeed"))
    work = tmp_path / "work"
    work.mkdir()
    (work / "feeds.yaml").write_text(FEED.format(name="LocalFeed"))
    proc = feeds_check(work, clean_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "LocalFeed" in proc.stdout
    assert "UserFeed" not in proc.stdout


def test_user_config_dir_used_without_local_file(tmp_path: Path) -> None:
    user_config = tmp_path / "xdg-config" / "situation-room" / "feeds.yaml"
    user_config.parent.mkdir(parents=True)
    user_config.write_text(FEED.format(name="UserFeed"))
    work = tmp_path / "empty"
    work.mkdir()
    proc = feeds_check(work, clean_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "UserFeed" in proc.stdout


def test_no_config_anywhere_names_the_path_looked_at(tmp_path: Path) -> None:
    work = tmp_path / "empty"
    work.mkdir()
    proc = feeds_check(work, clean_env(tmp_path))
    assert proc.returncode == 2
    assert str(tmp_path / "xdg-config" / "situation-room" / "feeds.yaml") in proc.stderr


def test_default_config_path_prefers_cwd(tmp_path: Path) -> None:
    assert default_config_path(tmp_path) != tmp_path / "feeds.yaml"
    (tmp_path / "feeds.yaml").write_text("feeds: []\n")
    assert default_config_path(tmp_path) == tmp_path / "feeds.yaml"


def test_data_dir_env_overrides_platform_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITUATION_ROOM_DATA", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    assert default_data_dir() == tmp_path / "xdg-data" / "situation-room"
    monkeypatch.setenv("SITUATION_ROOM_DATA", str(tmp_path / "from-env"))
    assert default_data_dir() == tmp_path / "from-env"


def test_data_dir_flag_overrides_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITUATION_ROOM_DATA", str(tmp_path / "from-env"))
    args = build_parser().parse_args(["--data-dir", str(tmp_path / "from-flag"), "feeds", "check"])
    assert _data_dir(args) == tmp_path / "from-flag"
    args = build_parser().parse_args(["feeds", "check"])
    assert _data_dir(args) == tmp_path / "from-env"


def test_empty_env_value_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITUATION_ROOM_DATA", "")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    assert default_data_dir() == tmp_path / "xdg-data" / "situation-room"
