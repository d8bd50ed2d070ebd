"""``feeds check --probe``: each feed fetched once through the real fetch and parse, answered in words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.service_support import MultiFeedServer
from tests.watch_support import plain_item

pytestmark = pytest.mark.slow


def test_probe_says_per_feed_whether_it_answers_with_a_feed(tmp_path: Path) -> None:
    with MultiFeedServer() as server:
        server.add("good", plain_item("g1", "Truce holds in Gaza"), plain_item("g2", "Aid convoys enter"))
        server.add("empty")
        server.pages["page"] = b"<!doctype html><html><body><p>Welcome to our site</p></body></html>"
        config = tmp_path / "feeds.yaml"
        config.write_text(
            "feeds:\n"
            f"  - {{name: Good, url: '{server.url('good')}'}}\n"
            f"  - {{name: Empty, url: '{server.url('empty')}'}}\n"
            f"  - {{name: Homepage, url: '{server.url('page')}'}}\n"
            f"  - {{name: Broken, url: '{server.url('nothing')}'}}\n"
            f"  - {{name: Paused, url: '{server.url('off')}', enabled: false}}\n",
            encoding="utf-8",
        )
        proc = subprocess.run(
            [sys.executable, "-m", "monitor", "--config", str(config), "--data-dir", str(tmp_path / "d"),
             "feeds", "check", "--probe"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        polled = dict(server.polls)
    assert proc.returncode == 1, proc.stderr
    probe = proc.stdout.split("\n\n", 1)[1]
    said = {
        line.split("  ", 1)[0].strip(): line.split("  ", 1)[1].strip() for line in probe.splitlines()[:-1]
    }
    assert said["Good"].startswith("answers with a feed: 2 entries, newest ")
    assert said["Empty"] == "answers with a feed, but it has no entries"
    assert said["Homepage"].startswith("does not answer with a feed: ")
    assert said["Broken"].startswith("does not answer with a feed: ") and "500" in said["Broken"]
    assert said["Paused"] == "disabled: not probed"
    assert probe.splitlines()[-1] == "2 of 4 probed feed(s) answer with a feed"
    assert polled == {"good": 1, "empty": 1, "page": 1, "nothing": 1}  # once each, the disabled one never
    assert not (tmp_path / "d").exists()  # nothing stored


def test_probe_exits_0_when_every_feed_answers(tmp_path: Path) -> None:
    with MultiFeedServer() as server:
        server.add("good", plain_item("g1", "Truce holds in Gaza"))
        config = tmp_path / "feeds.yaml"
        config.write_text(f"feeds:\n  - {{name: Good, url: '{server.url('good')}'}}\n", encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "monitor", "--config", str(config), "feeds", "check", "--probe"],
            capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "1 of 1 probed feed(s) answer with a feed" in proc.stdout
