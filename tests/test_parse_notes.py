"""Parse notes (entries skipped, malformed XML) are stored per feed and shown: in ``feeds check`` and
once per change on watch's stderr. Real ``watch`` processes, a loopback server, real store files."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fault_support import env

from monitor.ingest.poller import summarise_notes

SAME_GUID = (
    b'<rss version="2.0"><channel><title>T</title>'
    + b"".join(
        b"<item><title>Report %d from the south</title><guid>same</guid></item>" % n for n in range(50)
    )
    + b"</channel></rss>"
)
MANY = (
    b'<rss version="2.0"><channel><title>T</title>'
    + b"".join(
        b"<item><title>Note %d on the crossings</title><guid>m%d</guid></item>" % (n, n) for n in range(15)
    )
    + b"</channel></rss>"
)
MALFORMED = (
    b'<rss version="2.0"><channel><title>T</title>'
    b"<item><title>Aid & fuel reach the north</title><guid>x1</guid></item></channel></rss>"
)


@pytest.fixture
def server() -> Iterator[str]:
    bodies = {"/same": SAME_GUID, "/many": MANY, "/malformed": MALFORMED}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = bodies[self.path]
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env(),
        timeout=120,
        check=False,
    )


def test_parse_notes_are_stored_shown_by_feeds_check_and_told_once_by_watch(
    server: str, tmp_path: Path
) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "limits:\n  max_items: 10\nfeeds:\n"
        + "".join(
            f"  - name: {n}\n    url: {server}/{n}\n    interval: 60\n" for n in ("same", "many", "malformed")
        ),
        encoding="utf-8",
    )
    data = tmp_path / "data"
    base = ("--config", str(config), "--data-dir", str(data))
    first = run(*base, "watch", "--once", "--catchup")
    assert first.returncode == 0, first.stderr
    err = first.stderr
    assert (
        "feed same: parse notes: 40 entries beyond the limit of 10 skipped; "
        "9 entries skipped: duplicate id 'same' (first: entry 2)" in err
    )
    assert "feed many: parse notes: 5 entries beyond the limit of 10 skipped" in err
    assert "feed malformed: parse notes: malformed XML:" in err
    checked = run(*base, "feeds", "check")
    assert checked.returncode == 0, checked.stderr
    for words in ("9 entries skipped: duplicate id", "5 entries beyond the limit of 10", "malformed XML"):
        assert words in checked.stdout, checked.stdout
    # the same bodies again: nothing changed, so nothing is told again
    second = run(*base, "watch", "--once")
    assert second.returncode == 0, second.stderr
    assert "parse notes" not in second.stderr


def test_summarise_groups_skipped_entries_and_caps_the_list() -> None:
    notes = [f"entry {n} skipped: duplicate id 'a'" for n in range(2, 51)]
    assert summarise_notes(notes) == ("49 entries skipped: duplicate id 'a' (first: entry 2)",)
    many = [f"problem {n}" for n in range(9)]
    summary = summarise_notes(many)
    assert len(summary) == 5 and summary[-1] == "and 5 more kinds of problem"
    assert summarise_notes(["entry 3 skipped: \x1b]0;x\x07bad"]) == ("entry 3 skipped: bad",)
