"""Starting the app from the command line: a store another process writes is attached (the demo
refuses it in words, with the PID); bad config and no terminal are reported before the UI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from monitor.store import Store


def start_app(config: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """``situation-room --config CONFIG --data-dir DATA_DIR`` with no terminal: it must stop before the UI."""
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def start_demo(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--demo", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_locked_data_dir_is_reported_with_the_holder_pid_for_the_demo(tmp_path: Path) -> None:
    # The demo writes its own story, so it cannot follow another writer's store.
    with Store.open(tmp_path / "data"):
        out = start_demo(tmp_path / "data")
    assert out.returncode == 3
    assert f"process {os.getpid()}" in out.stderr
    assert "Traceback" not in out.stderr
    assert out.stdout == ""


def test_a_store_another_process_writes_is_attached_not_refused(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n", encoding="utf-8")
    with Store.open(tmp_path / "data"):
        out = start_app(config, tmp_path / "data")
    # it got past the lock (attached) and stopped only for want of a terminal
    assert out.returncode == 2, out.stderr
    assert "not a terminal" in out.stderr and "in use by" not in out.stderr


def test_bad_config_is_reported_before_the_app_starts(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - name: x\n    nonsense: 1\n", encoding="utf-8")
    out = start_app(config, tmp_path / "data")
    assert out.returncode == 2
    assert "feeds.yaml" in out.stderr and "nonsense" in out.stderr
    assert not (tmp_path / "data").exists()  # nothing was opened or created


def test_missing_config_suggests_the_demo(tmp_path: Path) -> None:
    out = start_app(tmp_path / "nope.yaml", tmp_path)
    assert out.returncode == 2
    assert "nope.yaml" in out.stderr and "--demo" in out.stderr


def test_without_a_terminal_the_app_points_at_watch(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds: []\n", encoding="utf-8")
    out = start_app(config, tmp_path / "data")  # stdout and stderr are pipes, as under cron
    assert out.returncode == 2
    assert "not a terminal" in out.stderr and "situation-room watch" in out.stderr
    assert "\x1b" not in out.stderr + out.stdout  # no screen was drawn into the pipe
