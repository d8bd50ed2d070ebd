"""The app in a real terminal under tmux: the bytes it writes carry no escape sequence from feed
data, and `situation-room --demo` fills its panels and answers keys end to end."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_fixtures import demo_store

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

OSC = re.compile(rb"\x1b\](.*?)(?:\x07|\x1b\\)", re.DOTALL)


class Tmux:
    """One tmux server of our own (its own socket), one session in it."""

    def __init__(self, tmp: Path, width: int, height: int) -> None:
        self.socket = f"sr-test-{uuid.uuid4().hex[:12]}"
        self.size = (width, height)
        self.raw = tmp / "terminal.bytes"
        self.exit_file = tmp / "exit-code"

    def tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True)
        return out.stdout

    def start(self, argv: list[str], env: dict[str, str]) -> None:
        """Start ``argv`` once pipe-pane records every byte (the shell waits for a first Enter)."""
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        record_exit = f"echo $? > {shlex.quote(str(self.exit_file))}"
        command = f"read _; env {exports} {shlex.join(argv)}; {record_exit}; sleep 30"
        width, height = self.size
        self.tmux("new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height), "sh", "-c", command)
        self.tmux("resize-window", "-t", "app", "-x", str(width), "-y", str(height))
        self.tmux("pipe-pane", "-o", "-t", "app", f"cat >> {shlex.quote(str(self.raw))}")
        self.tmux("send-keys", "-t", "app", "Enter")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "app", key)
            time.sleep(0.15)

    def wait_for(self, pattern: str, timeout: float = 40.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if re.search(pattern, screen):
                return screen
            time.sleep(0.25)
        raise AssertionError(f"{pattern!r} did not appear; the screen was:\n{screen}")

    def exit_code(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.exit_file.exists() and self.exit_file.read_text().strip():
                return int(self.exit_file.read_text())
            time.sleep(0.2)
        raise AssertionError(f"the app did not exit; the screen was:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Tmux]:
    term = Tmux(tmp_path, 120, 40)
    try:
        yield term
    finally:
        term.close()


def _env(tmp_path: Path) -> dict[str, str]:
    return {"HOME": str(tmp_path), "TERM": "xterm-256color", "PYTHONPATH": os.pathsep.join(sys.path)}


def test_no_escape_sequence_from_feed_data_reaches_the_terminal(tmp_path: Path, terminal: Tmux) -> None:
    data = tmp_path / "data"
    demo_store(data, 40).close()  # titles and an error message carrying ESC sequences
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n", encoding="utf-8")
    argv = [sys.executable, "-m", "monitor", "--config", str(config), "--data-dir", str(data)]
    terminal.start(argv, _env(tmp_path))
    terminal.wait_for(r"Incidents 40")
    terminal.keys("/", *"red alert", "Enter", "Enter")  # the detail of the title that carried ESC[31m
    screen = terminal.wait_for(r"Evidence")
    assert "red alert in Rafah" in screen
    terminal.keys("Escape", "Escape", "/", *"click", "Enter")
    screen = terminal.wait_for(r"\[@click=app\.quit\]w")
    terminal.keys("q")
    assert terminal.exit_code() == 0

    raw = terminal.raw.read_bytes()
    assert b"red alert" in raw  # the recording holds what the app drew
    assert b"\x1b[31mred" not in raw
    assert b"\x1b[2J[bold]" not in raw
    for payload in OSC.findall(raw):
        assert b"pwned" not in payload and b"evil" not in payload, payload
    assert b"evil.example\x1b" not in raw


def test_demo_end_to_end(tmp_path: Path, terminal: Tmux) -> None:
    argv = [sys.executable, "-m", "monitor", "--demo", "--speed", "20"]
    terminal.start(argv, _env(tmp_path))
    screen = terminal.wait_for(r"Incidents [1-9]", timeout=60)
    for panel in ("Zones", "Forces", "Feeds", "yellow line", "last poll"):
        assert panel in screen
    terminal.keys("Enter")
    screen = terminal.wait_for(r"Sources[\s\S]*Evidence[\s\S]*Entities")
    terminal.keys("Escape", "f")
    terminal.wait_for(r"Severity at least")
    terminal.keys("Escape", "t")
    screen = terminal.wait_for(r"Incidents [1-9]")
    terminal.keys("q")
    assert terminal.exit_code() == 0


def test_sigterm_quits_like_q_and_gives_the_terminal_back(tmp_path: Path, terminal: Tmux) -> None:
    data = tmp_path / "data"
    demo_store(data, 5).close()
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n", encoding="utf-8")
    terminal.start(
        [sys.executable, "-m", "monitor", "--config", str(config), "--data-dir", str(data)], _env(tmp_path)
    )
    terminal.wait_for(r"Incidents 5")
    shell = terminal.tmux("display", "-p", "-t", "app", "#{pane_pid}").strip()
    (app,) = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()  # the shell's one child
    os.kill(int(app), signal.SIGTERM)  # `kill`, a service manager, a shutdown
    assert terminal.exit_code() == 0
    raw = terminal.raw.read_bytes()
    # Left the alternate screen and stopped mouse reporting: the shell is usable again.
    assert raw.rfind(b"\x1b[?1049l") > raw.rfind(b"\x1b[?1049h") >= 0
    assert raw.rfind(b"\x1b[?1000l") > raw.rfind(b"\x1b[?1000h") >= 0
