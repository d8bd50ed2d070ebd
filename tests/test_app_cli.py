"""Starting the app from the command line: a locked data directory is refused in words, with the PID."""

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


def test_locked_data_dir_is_reported_with_the_holder_pid(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n", encoding="utf-8")
    with Store.open(tmp_path / "data"):
        out = start_app(config, tmp_path / "data")
    assert out.returncode == 3
    assert f"process {os.getpid()}" in out.stderr
    assert "Traceback" not in out.stderr
    assert out.stdout == ""


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
