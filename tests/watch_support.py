"""Helpers for the watch subprocess tests: a threaded loopback RSS server and a watch process runner."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class FeedItem:
    guid: str
    title: str
    """Raw XML text of the title: escape it yourself, or use character references on purpose."""
    published: datetime
    link: str = ""


def plain_item(guid: str, title: str, published: datetime | None = None) -> FeedItem:
    """An item whose title is plain text (XML-escaped here)."""
    return FeedItem(
        guid,
        escape(title),
        published or datetime.now(UTC),
        f"https://news.example/{guid}",
    )


def rss(items: Sequence[FeedItem]) -> bytes:
    entries = "".join(
        "<item>"
        f"<title>{it.title}</title><guid isPermaLink='false'>{it.guid}</guid>"
        + (f"<link>{escape(it.link)}</link>" if it.link else "")
        + f"<pubDate>{format_datetime(it.published)}</pubDate>"
        "</item>"
        for it in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Loopback wire</title><link>https://news.example/</link><description>t</description>{entries}"
        "</channel></rss>"
    ).encode()


class LoopbackHTTPServer:
    """An HTTP server on 127.0.0.1 (a free port), served from a daemon thread while ``with`` lasts."""

    def _listen(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class FeedServer(LoopbackHTTPServer):
    """RSS on 127.0.0.1 (port 0) from a list the test changes while watch runs; 500 on /broken."""

    def __init__(self) -> None:
        self.items: list[FeedItem] = []
        self.polls = 0
        """Requests for /feed.xml answered so far."""
        self._lock = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/feed.xml":
                    with outer._lock:
                        body = rss(list(outer.items))
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                else:
                    body = b"down"
                    self.send_response(500)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                if self.path == "/feed.xml":
                    with outer._lock:
                        outer.polls += 1
                        outer._lock.notify_all()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._listen(Handler)

    def add(self, *items: FeedItem) -> None:
        with self._lock:
            self.items.extend(items)

    def wait_for_poll(self, timeout: float) -> None:
        """Block until the feed is answered once more (a poll has just missed anything added now)."""
        with self._lock:
            seen = self.polls
            if not self._lock.wait_for(lambda: self.polls > seen, timeout):
                raise AssertionError(f"no poll within {timeout} s")

    def url(self, path: str = "/feed.xml") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def write_config(path: Path, *urls: str) -> Path:
    """A feeds.yaml with one wire feed per URL, at the real minimum interval (tests pass --interval 1)."""
    lines = ["feeds:"]
    for i, url in enumerate(urls):
        lines += [f"  - name: wire-{i}", f"    url: {url}", "    interval: 30", "    tier: wire"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def watch_argv(config: Path, data_dir: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "monitor",
        "--config",
        str(config),
        "--data-dir",
        str(data_dir),
        "watch",
        *args,
    ]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SITUATION_ROOM_DATA", None)
    env["PYTHONUNBUFFERED"] = "0"
    return env


def run_once(
    config: Path, data_dir: Path, *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``watch --once ...`` to completion."""
    return subprocess.run(
        watch_argv(config, data_dir, "--once", *args),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=_env(),
        cwd=data_dir.parent,
        check=False,
    )


class WatchProcess:
    """``watch`` in follow mode; lines of stdout arrive on a queue read by a thread."""

    def __init__(self, config: Path, data_dir: Path, *args: str) -> None:
        self.proc = subprocess.Popen(
            watch_argv(config, data_dir, *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
            cwd=data_dir.parent,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.put(raw.decode("utf-8"))

    def next_line(self, timeout: float) -> str:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line within {timeout} s; stderr so far: {self.stderr_now()}") from None

    def stderr_now(self) -> str:
        return "(still running)" if self.proc.poll() is None else self.stderr()

    def stderr(self) -> str:
        assert self.proc.stderr is not None
        return self.proc.stderr.read().decode("utf-8", "replace")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 20) -> int:
        self.proc.send_signal(signum)
        return self.proc.wait(timeout=timeout)

    def __enter__(self) -> WatchProcess:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=20)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


def wait_for(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
