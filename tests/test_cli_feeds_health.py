"""`feeds check` shows each feed's health from a real store, read without taking its lock."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from monitor.models import FeedState
from monitor.store import Batch, Store

AT = datetime(2026, 2, 12, 18, 0, tzinfo=UTC)
CONFIG = (
    "feeds:\n"
    "  - name: Healthy\n    url: https://a.example/rss\n"
    "  - name: Gone\n    url: https://b.example/rss\n"
    "  - name: Moved\n    url: https://c.example/rss\n"
    "  - name: Failing\n    url: https://d.example/rss\n"
    "  - name: Changed\n    url: https://e.example/new-rss\n"
    "  - name: Fresh\n    url: https://f.example/rss\n"
    "  - name: Quiet\n    url: https://g.example/rss\n"
)
STATES = {
    "Healthy": FeedState(url="https://a.example/rss", last_status=200, last_success=AT, items_seen=42),
    "Gone": FeedState(url="https://b.example/rss", last_status=410, gone=True),
    "Moved": FeedState(
        url="https://c.example/rss", last_status=200, last_success=AT, moved_to="https://c.example/feed"
    ),
    "Failing": FeedState(
        url="https://d.example/rss", last_status=0, consecutive_failures=3, last_error="timed out after 30 s"
    ),
    # Used to publish every 10 minutes; nothing new for far longer.
    "Quiet": FeedState(
        url="https://g.example/rss",
        last_status=304,
        last_success=datetime.now(UTC),
        items_seen=30,
        last_new_item=datetime(2020, 1, 1, tzinfo=UTC),
        mean_gap_s=600,
    ),
    # Its URL changed in the config since it went away: it starts afresh.
    "Changed": FeedState(url="https://e.example/old-rss", last_status=410, gone=True),
}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def status_of(stdout: str) -> dict[str, str]:
    lines = stdout.splitlines()
    start = lines[0].index("STATUS")
    return {line.split()[0]: line[start:] for line in lines[1:-1]}


def make_store(data_dir: Path) -> Store:
    store = Store.open(data_dir)
    store.commit(Batch(feed_states=STATES))
    return store


def test_health_from_the_store_while_another_process_holds_it(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(CONFIG)
    data = tmp_path / "data"
    store = make_store(data)  # this process keeps the single-writer lock during the check
    try:
        proc = run("--config", str(config), "--data-dir", str(data), "feeds", "check")
    finally:
        store.close()
    assert proc.returncode == 0, proc.stderr
    status = status_of(proc.stdout)
    assert status["Healthy"].startswith("ok, last success 2026-02-12 18:00 UTC, 42 items seen")
    assert status["Gone"].startswith("gone")
    assert status["Moved"].startswith("moved to https://c.example/feed")
    assert status["Failing"] == "failing (3x): timed out after 30 s"
    assert status["Changed"] == "not polled yet"
    assert status["Fresh"] == "not polled yet"
    assert status["Quiet"].startswith("silent: nothing new for ")


def test_data_dir_flag_beats_env_which_beats_default(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(CONFIG)
    make_store(tmp_path / "from-env").close()
    env = {
        **os.environ,
        "SITUATION_ROOM_DATA": str(tmp_path / "from-env"),
        "XDG_DATA_HOME": str(tmp_path / "x"),
    }
    by_env = run("--config", str(config), "feeds", "check", env=env)
    assert status_of(by_env.stdout)["Gone"].startswith("gone")
    by_flag = run("--config", str(config), "--data-dir", str(tmp_path / "empty"), "feeds", "check", env=env)
    assert status_of(by_flag.stdout)["Gone"] == "not polled yet"
    # Reading never creates a store where there was none.
    assert not (tmp_path / "empty").exists()
