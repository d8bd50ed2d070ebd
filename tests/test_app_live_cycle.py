"""The app's own pipeline over a big feed body, in a fresh process: the cycle's incidents reach
the board.

Regression: inside the app every feed body over 16 KiB failed to parse ("bad value(s) in
fds_to_keep": the app's captured stderr has no file descriptor, and multiprocessing handed -1 to
its resource tracker), so a cycle over a stored board added nothing. A fresh process, so that no
resource tracker is already running (a test process that started one earlier would hide it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import asyncio, json, sys, threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, TESTS)
from app_fixtures import build_incidents

from monitor.app.app import SituationRoom
from monitor.app.launch import run_pipeline
from monitor.app.supervise import Loaded, restore_picture
from monitor.config import FeedConfig, Settings
from monitor.rules import RuleEngine
from monitor.store import Batch, Store

now = datetime.now(UTC)
places = ["Khan Younis", "Rafah", "Deir al-Balah", "Beit Lahia", "Jabalia"]
entries = "".join(
    f"<item><title>Israeli airstrike kills {n % 5 + 2} in {places[n % 5]} despite the ceasefire "
    f"(report {n})</title><guid>g{n}</guid>"
    f"<pubDate>{format_datetime(now - timedelta(days=n % 3, minutes=7 * n), usegmt=True)}</pubDate>"
    f"<description>Residents said a drone strike hit a camp in {places[n % 5]} {n} hours ago, "
    + "violating the truce. " * 12 + "</description></item>"
    for n in range(40)
)
body = f'<rss version="2.0"><channel><title>Wire</title>{entries}</channel></rss>'.encode()
assert len(body) > 16 * 1024


class Feed(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
threading.Thread(target=server.serve_forever, daemon=True).start()
settings = Settings(feeds=(FeedConfig(name="wire", url=f"http://127.0.0.1:{server.server_port}/feed.xml"),))

with Store.open(DATA) as store:
    old = [
        i.model_copy(update={"id": f"stored-{n}"})
        for n, i in enumerate(build_incidents(3000, now - timedelta(days=4)))
    ]
    store.commit(Batch(incidents=old))

done = threading.Event()
warnings = []


async def runner(sink, stop):
    picture = restore_picture(settings, store)
    loaded = Loaded(settings, RuleEngine.load())
    await run_pipeline(store, loaded, picture, sink, stop, interval=None, once=True)
    done.set()


async def main():
    app = SituationRoom(store, runner=runner, opener=lambda url: None)
    async with app.run_test(size=(120, 40)) as pilot:
        while not done.is_set():
            await pilot.pause(0.05)
        for _ in range(100):
            await pilot.pause(0.05)
            wire = app.board.feeds.get("wire")
            if wire is not None and wire.last_attempt is not None:
                break
        await pilot.pause(0.2)
        state = app.board.feeds["wire"]
        return {
            "board": len(app.board.incidents),
            "stored": len(store.incidents()),
            "error": state.last_error,
            "failed": sorted(app.board.failed_feeds),
            "top": app.board.ordered()[0].id,
        }


with Store.open(DATA) as store:
    result = asyncio.run(main())
server.shutdown()
print(json.dumps(result), file=sys.__stdout__)
"""


def test_a_cycle_over_a_big_body_adds_its_incidents_to_a_stored_board(tmp_path: Path) -> None:
    tests = Path(__file__).parent
    script = f"TESTS = {str(tests)!r}\nDATA = {str(tmp_path / 'data')!r}\n" + SCRIPT
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=240, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["error"] is None, result
    assert result["failed"] == []
    assert result["board"] > 3000, result  # the stored 3,000 and the cycle's new ones
    assert result["board"] == result["stored"]
    assert not result["top"].startswith("stored-")  # the newest are the cycle's
