"""Faults of the network and hostile words: a server resetting or stopping mid-body, escape sequences
in a reason phrase, a feed name, a config key, a classify id and an exported feed list. Real
``watch`` and CLI processes against a raw loopback server, real store files."""

from __future__ import annotations

import json
import re
import socket
import socketserver
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_support import env

from tests.watch_support import plain_item, rss

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Anything a terminal could act on (newline allowed: it separates diagnostics)."""
OSC_TITLE = "\x1b]0;PWNED\x07"
OSC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"

GOOD = rss([plain_item("g1", "Truce holds in the south")])
BIG = rss([plain_item(f"b{n}", f"Report {n} from the north, all quiet") for n in range(400)])


def _head(status: str, length: int) -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/rss+xml\r\nContent-Length: {length}\r\n"
        "Connection: close\r\n\r\n"
    ).encode("latin-1")


class RawHandler(socketserver.BaseRequestHandler):
    """Scripted answers by path, written on the raw socket."""

    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            data += chunk
        path = data.split(b" ", 2)[1].decode()
        sock: socket.socket = self.request
        if path == "/good":
            sock.sendall(_head("200 OK", len(GOOD)) + GOOD)
        elif path == "/hostile-reason":
            sock.sendall(_head(f"500 Oops {OSC_TITLE}{OSC_CLIPBOARD}", 4) + b"oops")
        elif path == "/reset-mid-body":
            sock.sendall(_head("200 OK", len(BIG)) + BIG[: len(BIG) // 2])
            # SO_LINGER with a zero timeout: close() sends a TCP RST instead of a FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif path == "/stop-mid-body":
            sock.sendall(_head("200 OK", len(BIG)) + BIG[: len(BIG) // 2])
            sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def raw_server() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RawHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def cli(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env(),
        cwd=cwd,
        timeout=120,
        check=False,
    )


def config_with(path: Path, feeds: list[tuple[str, str]]) -> Path:
    lines = ["feeds:"]
    for name, url in feeds:
        lines += [f"  - name: {json.dumps(name)}", f"    url: {url}", "    interval: 60"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def assert_clean(text: str) -> None:
    found = UNSAFE.findall(text)
    assert not found, f"{found!r} reached the terminal in: {text!r}"


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr


def test_a_server_resetting_or_stopping_mid_body_fails_that_feed_in_words(
    raw_server: str, tmp_path: Path
) -> None:
    from monitor.store import Store

    config = config_with(
        tmp_path / "feeds.yaml",
        [
            ("reset", f"{raw_server}/reset-mid-body"),
            ("stopped", f"{raw_server}/stop-mid-body"),
            ("good", f"{raw_server}/good"),
        ],
    )
    data = tmp_path / "data"
    result = cli("--config", str(config), "--data-dir", str(data), "watch", "--once")
    assert result.returncode == 0, result.stderr
    no_traceback(result.stderr)
    with Store.open(data, warn=lambda _m: None) as store:
        states = store.feed_states()
        assert len(store.items()) == 1  # the good feed's item was saved
    reset, stopped = states["reset"].last_error or "", states["stopped"].last_error or ""
    assert states["good"].consecutive_failures == 0
    # never "network error: " with nothing after it: what happened, and the error's class
    assert re.search(r"(connection failed while reading|broke the connection) \(\w+Error: \S", reset), reset
    assert "broke the connection (RemoteProtocolError: peer closed connection" in stopped, stopped
    assert f"feed reset: {reset}" in result.stderr and f"feed stopped: {stopped}" in result.stderr


def test_escape_sequences_from_a_server_or_a_feed_name_never_reach_stderr(
    raw_server: str, tmp_path: Path
) -> None:
    config = config_with(
        tmp_path / "feeds.yaml",
        [(f"evil{OSC_TITLE}\u202ename", f"{raw_server}/hostile-reason"), ("good", f"{raw_server}/good")],
    )
    result = cli("--config", str(config), "--data-dir", str(tmp_path / "data"), "watch", "--once")
    assert result.returncode == 0, result.stderr
    assert_clean(result.stderr)
    assert "feed evilname: HTTP 500 Oops" in result.stderr
    checked = cli("--config", str(config), "--data-dir", str(tmp_path / "data"), "feeds", "check")
    assert_clean(checked.stdout + checked.stderr)
    assert "HTTP 500 Oops" in checked.stdout


def test_config_and_rules_errors_do_not_echo_escape_sequences(tmp_path: Path) -> None:
    bad = tmp_path / "feeds.yaml"
    bad.write_text(
        "feeds:\n  - name: x\n    url: http://127.0.0.1:9/f\n    interval: 60\n"
        '    "\\e]0;PWNED\\a\\e[2Jcolour": red\n',
        encoding="utf-8",
    )
    result = cli("--config", str(bad), "feeds", "check")
    assert result.returncode == 2
    assert_clean(result.stderr)
    assert "colour" in result.stderr and "feeds.yaml:5" in result.stderr
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        'rules:\n  - id: "cv.\\e]52;c;eA==\\a\\u202eevil"\n    category: nonsense\n', encoding="utf-8"
    )
    (tmp_path / "empty").mkdir()
    checked = cli("rules", "test", "--rules", str(rules), cwd=tmp_path / "empty")
    assert checked.returncode != 0
    assert_clean(checked.stdout + checked.stderr)
    assert "evil" in checked.stdout + checked.stderr


def test_classify_does_not_echo_control_or_bidi_characters_in_ids() -> None:
    line = json.dumps({"id": "a\u009b2J\u202eb\x1b]0;x\x07c", "title": "Airstrike kills 3 in Rafah"})
    result = cli("classify", stdin=line + "\n" + json.dumps({"id": {"k": "\x1b[2J"}, "title": "x"}) + "\n")
    assert result.returncode == 0, result.stderr
    assert_clean(result.stdout.replace("\n", ""))
    first, second = (json.loads(x) for x in result.stdout.splitlines())
    assert first["id"] == "abc"  # the 8-bit CSI takes its parameters with it
    assert UNSAFE.search(str(second["id"])) is None


def test_feeds_export_writes_safe_opml_that_feeds_import_reads_back(tmp_path: Path) -> None:
    config = config_with(
        tmp_path / "feeds.yaml", [(f"Wire{OSC_CLIPBOARD} \u202edesk\x07", "https://news.example/rss")]
    )
    exported = cli("--config", str(config), "feeds", "export")
    assert exported.returncode == 0, exported.stderr
    assert_clean(exported.stdout.replace("\n", ""))
    opml = tmp_path / "feeds.opml"
    opml.write_text(exported.stdout, encoding="utf-8")
    fresh = tmp_path / "fresh" / "feeds.yaml"
    fresh.parent.mkdir()
    fresh.write_text("feeds: []\n", encoding="utf-8")
    imported = cli("--config", str(fresh), "feeds", "import", str(opml))
    assert imported.returncode == 0, imported.stderr
    assert "added 1 feed(s)" in imported.stderr
    assert "Wire desk" in fresh.read_text(encoding="utf-8")


def test_an_error_without_a_message_is_still_named_in_words() -> None:
    import httpx

    from monitor.ingest.fetch import network_words

    try:
        try:
            raise ConnectionResetError(104, "Connection reset by peer")
        except ConnectionResetError:
            raise httpx.ReadError("") from None
    except httpx.ReadError as exc:
        bare = exc
    # "from None" leaves the context in place for the search, as httpcore's re-raise does
    assert network_words(bare) == (
        "the connection failed while reading the response "
        "(ReadError: ConnectionResetError: [Errno 104] Connection reset by peer)"
    )
    assert network_words(httpx.ReadError("")).startswith(
        "the connection failed while reading the response (ReadError"
    )
