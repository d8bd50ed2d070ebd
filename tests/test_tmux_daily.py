"""The new screens in a real terminal under tmux, at 80×24: help, the zones table by keyboard, the
feed detail, acknowledge all with its question, pause, and a reload of a changed feeds.yaml."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_fixtures import demo_store
from test_tmux_app import Tmux, _env

from monitor.store import Store

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Tmux]:
    term = Tmux(tmp_path, 80, 24)
    try:
        yield term
    finally:
        term.close()


def _start(tmp_path: Path, term: Tmux, config_text: str = "feeds:\n") -> tuple[Path, Path]:
    data = tmp_path / "data"
    demo_store(data, 30).close()
    config = tmp_path / "feeds.yaml"
    config.write_text(config_text, encoding="utf-8")
    argv = [sys.executable, "-m", "monitor", "--config", str(config), "--data-dir", str(data)]
    term.start(argv, _env(tmp_path))
    term.wait_for(r"Incidents 30")
    return config, data


def test_help_screen_opens_with_question_mark_and_closes_with_esc(tmp_path: Path, small: Tmux) -> None:
    _start(tmp_path, small)
    small.keys("?")
    screen = small.wait_for(r"Moving around")
    assert "this list of keys" in screen or "Keys" in screen
    small.keys("PageDown", "End")
    # scrolled down to the dialogs' keys; the start-up warning's toast may still cover the right
    # half of the screen, so only the left half is looked for
    small.wait_for(r"Esc\s+close the filters")
    small.keys("Escape")
    small.wait_for(r"Incidents 30")
    small.keys("F1")
    small.wait_for(r"Moving around")
    small.keys("?")
    small.wait_for(r"Incidents 30")
    small.keys("q")
    assert small.exit_code() == 0


def test_zones_and_feed_detail_by_keyboard_at_80x24(tmp_path: Path, small: Tmux) -> None:
    _start(tmp_path, small)
    small.keys("Tab")
    screen = small.wait_for(r"Deir al-Balah\s+0")  # the zones table, scrolled in under the map
    small.keys("Enter")
    small.wait_for(r"Incidents \d+ — Rafah")
    small.keys("Escape", "4", "Down", "Down", "Enter")
    screen = small.wait_for(r"last HTTP status")
    assert "https://outlet-c.example/rss" in screen and "503" in screen
    assert "\x1b" not in screen
    small.keys("Escape")
    small.wait_for(r"Incidents 30")
    small.keys("q")
    assert small.exit_code() == 0


def test_acknowledge_all_asks_then_stores(tmp_path: Path, small: Tmux) -> None:
    _, data = _start(tmp_path, small)
    small.keys("A")
    small.wait_for(r"Acknowledge the 30 unacknowledged")
    small.keys("y")
    small.wait_for(r"30 incident\(s\) acknowledged")
    small.keys("space")
    small.wait_for(r"PAUSED, 0 new")
    small.keys("space", "q")
    assert small.exit_code() == 0
    with Store.open(data) as store:
        assert len(store.acknowledged()) == 30


def test_a_broken_edit_of_feeds_yaml_is_shown_with_its_line(tmp_path: Path, small: Tmux) -> None:
    feed = tmp_path / "a.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>A</title><link>http://127.0.0.1/</link>'
        "<description>d</description></channel></rss>",
        encoding="utf-8",
    )
    config, _ = _start(tmp_path, small, "feeds:\n  - name: A\n    url: a.xml\n    interval: 600\n")
    config.write_text("feeds:\n  - name: A\n    url: a.xml\n    interval: 5\n", encoding="utf-8")
    screen = small.wait_for(r"not reloaded")
    toast = [line.split("▌", 1)[1] for line in screen.splitlines() if "▌" in line]
    flat = "".join(re.sub(r"[\s▁-█│─╮╯]+$", "", part).strip() for part in toast)
    assert "feeds.yaml:4:feeds[0].interval:mustbeatleast30" in flat.replace(" ", ""), flat
    small.keys("q")
    assert small.exit_code() == 0


def test_keys_typed_at_once_after_slash_all_reach_the_search_box(tmp_path: Path, small: Tmux) -> None:
    _, data = _start(tmp_path, small)
    small.tmux("send-keys", "-t", "app", "/red alert")  # one burst, as a paste or a fast typist sends it
    screen = small.wait_for(r'Incidents 1 — "red alert"')
    assert "red alert in Rafah" in screen
    small.keys("q")  # the box has focus: q is typed
    small.wait_for(r'"red alertq"')
    small.keys("Escape", "q")
    assert small.exit_code() == 0
    with Store.open(data) as store:
        assert store.acknowledged() == set()  # the "a" of "alert" acknowledged nothing
