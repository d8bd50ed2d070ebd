"""Loopback helpers for the service tests: a threaded RSS server with one item list per path."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.watch_support import FeedItem, LoopbackHTTPServer, rss


class MultiFeedServer(LoopbackHTTPServer):
    """RSS on 127.0.0.1 (port 0): ``/<name>.xml`` serves the items added under ``name``; any other
    path answers 500. Thread-safe, so a test changes the feeds while a watch process polls them."""

    def __init__(self) -> None:
        self.feeds: dict[str, list[FeedItem]] = {}
        self.pages: dict[str, bytes] = {}
        """``/<name>.xml`` answering 200 with this HTML body instead of a feed."""
        self.polls: dict[str, int] = {}
        self._lock = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                name = self.path.strip("/").removesuffix(".xml")
                with outer._lock:
                    items = outer.feeds.get(name)
                    page = outer.pages.get(name)
                    body = rss(list(items)) if items is not None else page or b"down"
                self.send_response(200 if items is not None or page is not None else 500)
                kind = "text/html" if page is not None else "application/rss+xml"
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                with outer._lock:
                    outer.polls[name] = outer.polls.get(name, 0) + 1
                    outer._lock.notify_all()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._listen(Handler)

    def add(self, name: str, *items: FeedItem) -> None:
        with self._lock:
            self.feeds.setdefault(name, []).extend(items)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}.xml"


def write_feeds(path: Path, feeds: Sequence[tuple[str, str, str | None]], *, extra: str = "") -> Path:
    """A feeds.yaml of (name, url, party) outlets at the minimum interval (tests pass --interval)."""
    lines = ["feeds:"]
    for name, url, party in feeds:
        lines += [f"  - name: {name}", f"    url: {url}", "    interval: 30", "    tier: outlet"]
        if party:
            lines.append(f"    party: {party}")
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path
