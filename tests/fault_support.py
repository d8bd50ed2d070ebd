"""Helpers for the fault suite: a many-feed loopback server in its own process, configs, process checks.

The server runs as a separate process (``python tests/fault_support.py serve ...``) so that the
test's own interpreter never competes with it for the GIL while ``watch`` hammers it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.watch_support import LoopbackHTTPServer

REPO = Path(__file__).resolve().parent.parent

PAD = 17 * 1024
"""Padding (an XML comment) that takes a body past the parser pool's in-thread limit of 16 KiB:
cheap to parse, but parsed in a worker process, which is what the scale and kill cases exercise."""


NEWS_PLACES = (
    "Khan Younis",
    "Jabalia",
    "Rafah",
    "Deir al-Balah",
    "Gaza City",
    "Beit Hanoun",
    "Beit Lahia",
    "Nuseirat",
    "Bureij",
    "Maghazi",
    "Shujaiya",
    "Zeitoun",
)


def title(n: int, k: int) -> str:
    """Item ``k`` of feed ``n``: every third one a report the rules classify, the rest neutral."""
    if (n + k) % 3 == 0:
        return (
            f"Israeli airstrike kills {k + 2} in {NEWS_PLACES[(n + k) % len(NEWS_PLACES)]} despite ceasefire"
        )
    return f"Report {n}-{k}: aid convoy {n} reached depot {k}"


def feed_body(n: int, items: int = 2, pad: int = PAD) -> bytes:
    """Feed ``n``: ``items`` entries with titles unique to the feed, padded to go to the process pool."""
    now = format_datetime(datetime.now(UTC))
    entries = "".join(
        f"<item><title>{title(n, k)}</title>"
        f"<guid isPermaLink='false'>f{n}-{k}</guid><link>https://news.example/f{n}/{k}</link>"
        f"<pubDate>{now}</pubDate></item>"
        for k in range(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><!-- {"p" * pad} --><rss version="2.0"><channel>'
        f"<title>Loopback {n}</title><link>https://news.example/</link><description>t</description>"
        f"{entries}</channel></rss>"
    ).encode()


def write_many_feeds_config(path: Path, port: int, count: int, *, per_host: int = 32) -> Path:
    lines = [f"concurrency: {min(256, per_host * 2)}", f"per_host: {per_host}", "feeds:"]
    for n in range(count):
        lines += [f"  - name: feed-{n}", f"    url: http://127.0.0.1:{port}/f/{n}", "    interval: 60"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _serve(port_file: Path, items: int, pad: int) -> None:
    cache: dict[int, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.path == "/slow":  # answers after 25 s; a marker file says it was asked
                port_file.with_name("slow.asked").touch()
                time.sleep(25)
                self.send_error(503)
                return
            parts = self.path.split("/")
            if len(parts) != 3 or parts[1] != "f" or not parts[2].isdigit():
                self.send_error(404)
                return
            n = int(parts[2])
            body = cache.get(n)
            if body is None:
                body = cache[n] = feed_body(n, items, pad)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    ThreadingHTTPServer.request_queue_size = 512
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = port_file.with_suffix(".tmp")
    tmp.write_text(str(server.server_address[1]))
    tmp.replace(port_file)
    server.serve_forever()


@contextmanager
def many_feeds_server(tmp: Path, *, items: int = 2, pad: int = PAD) -> Iterator[int]:
    """Start the server process; yields its port on 127.0.0.1."""
    port_file = tmp / "server.port"
    proc = subprocess.Popen(
        [sys.executable, __file__, "serve", str(port_file), str(items), str(pad)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise AssertionError(f"feed server did not start: {err}")
            time.sleep(0.05)
        yield int(port_file.read_text())
    finally:
        proc.kill()
        proc.wait(timeout=10)
        if proc.stderr is not None:
            proc.stderr.close()


def env() -> dict[str, str]:
    out = dict(os.environ)
    out.pop("SITUATION_ROOM_DATA", None)
    return out


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name is in parentheses and may hold spaces: the fields after the last ')'
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            out.append(int(entry.name))
    return out


def descendants_of(pid: int) -> list[int]:
    out: list[int] = []
    todo = [pid]
    while todo:
        kids = children_of(todo.pop())
        out += kids
        todo += kids
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class PaddedFeedServer(LoopbackHTTPServer):
    """One RSS feed on 127.0.0.1 whose items the test adds between runs, padded past the in-thread
    parse limit so that every body is parsed in a worker process."""

    def __init__(self, pad: int = PAD) -> None:
        from tests.watch_support import rss

        self.items: list[object] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with outer._lock:
                    body = rss(list(outer.items))  # type: ignore[arg-type]
                head, rest = body.split(b"?>", 1)
                body = head + b"?><!-- " + b"p" * pad + b" -->" + rest
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._listen(Handler)

    def add(self, *items: object) -> None:
        with self._lock:
            self.items.extend(items)

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/feed.xml"


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "serve":
    _serve(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
