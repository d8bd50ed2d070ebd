"""Commands under a terminal encoding that lacks a character (an ASCII or Latin-1 locale).

Machine-readable output (exports, OPML, classify's JSON Lines) is UTF-8 whatever the locale; text
for a person shows '?' for what the terminal cannot show. Never a UnicodeError traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.models import FeedState
from monitor.store import Batch, Store

NAME = "Gaza › Al Jazeera عربي"


def run(tmp_path: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    config = tmp_path / "feeds.yaml"
    config.write_text(f'feeds:\n  - name: "{NAME}"\n    url: https://a.example/rss\n', encoding="utf-8")
    if not (tmp_path / "data").exists():
        # A store that polled the feed once, so the sitrep's feed-health table (made from the
        # store's feed states) has the name to show.
        with Store.open(tmp_path / "data") as store:
            store.commit(Batch(feed_states={NAME: FeedState(url="https://a.example/rss", polls=1)}))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "monitor",
            "--config",
            str(config),
            "--data-dir",
            str(tmp_path / "data"),
            *args,
        ],
        input=stdin,
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )


@pytest.mark.parametrize("args", [["export", "--format", "md"], ["feeds", "export"]])
def test_machine_output_is_utf8_under_an_ascii_locale(tmp_path: Path, args: list[str]) -> None:
    proc = run(tmp_path, *args)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    text = proc.stdout.decode("utf-8")
    assert "Gaza" in text and ("عربي" in text or "\\u0639" in text)


def test_classify_reads_and_writes_utf8_under_an_ascii_locale(tmp_path: Path) -> None:
    stdin = '{"title": "Israeli strike kills 3 in Rafah ›"}\n\xff bad bytes\n'.encode(
        "utf-8", "surrogateescape"
    )
    proc = run(tmp_path, "classify", stdin=stdin.replace(b"\xc3\xbf", b"\xff"))
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 2 and "Rafah ›" in lines[0]


def test_feeds_check_shows_what_the_terminal_lacks_as_question_marks(tmp_path: Path) -> None:
    proc = run(tmp_path, "feeds", "check")
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert b"Gaza ? Al Jazeera ????" in proc.stdout
