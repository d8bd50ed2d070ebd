"""Fetcher against a real loopback server: etiquette, redirects, deadlines and size caps."""

from __future__ import annotations

import asyncio
import ssl
import time
import tracemalloc
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import trustme
from feedserver import FeedServer, Request, big_body, endless_chunked, gzip_bomb, respond, silent, trickle

from monitor import __version__
from monitor.config import Limits
from monitor.errors import FetchError, FetchGone, FetchHTTPError, FetchRefused, FetchTimeout, FetchTooLarge
from monitor.ingest.fetch import MAX_HOPS, Fetcher, parse_retry_after

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(Limits(timeout_s=5, max_bytes=1024 * 1024), now=lambda: NOW) as f:
        yield f


def redirect(status: int, location: str):  # type: ignore[no-untyped-def]
    async def serve(_request: Request, writer: asyncio.StreamWriter) -> None:
        await respond(writer, status, b"", [("Location", location)])

    return serve


# --- etiquette --------------------------------------------------------------------------------


async def test_conditional_get_round_trip(server: FeedServer, fetcher: Fetcher) -> None:
    url = server.feed("/feed", RSS, etag='"v1"', last_modified="Mon, 03 Apr 2023 01:02:03 GMT")
    first = await fetcher.fetch(url)
    assert first.status == 200 and first.body == RSS
    assert (first.etag, first.last_modified) == ('"v1"', "Mon, 03 Apr 2023 01:02:03 GMT")
    second = await fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    assert second.etag == '"v1"'
    assert len(server.hits("/feed")) == 2  # a 304 is never retried
    assert "if-none-match" not in server.hits("/feed")[0].headers


async def test_validators_are_echoed_exactly(server: FeedServer, fetcher: Fetcher) -> None:
    odd_etag = "W/\"a b;c,'d'\""
    odd_date = "monday, 3-Apr-23  01:02:03 gmt (sic)"
    url = server.feed("/feed", RSS, etag=odd_etag, last_modified=odd_date)
    first = await fetcher.fetch(url)
    assert first.etag == odd_etag and first.last_modified == odd_date
    await fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    sent = server.hits("/feed")[1].headers
    assert sent["if-none-match"] == odd_etag
    assert sent["if-modified-since"] == odd_date


async def test_user_agent_names_program_and_version(server: FeedServer, fetcher: Fetcher) -> None:
    await fetcher.fetch(server.feed("/feed", RSS))
    agent = server.hits("/feed")[0].headers["user-agent"]
    assert agent == f"situation-room/{__version__} (news feed monitor)"


@pytest.mark.parametrize(
    ("status", "header", "expected"),
    [
        (429, "120", NOW + timedelta(seconds=120)),
        (503, format_datetime(NOW + timedelta(hours=2), usegmt=True), NOW + timedelta(hours=2)),
        (429, "soon, maybe", None),
        (503, "99999999999999999999", NOW + timedelta(hours=24)),
        (429, format_datetime(NOW + timedelta(days=400), usegmt=True), NOW + timedelta(hours=24)),
        (429, format_datetime(NOW - timedelta(days=1), usegmt=True), NOW),
    ],
    ids=["seconds", "http-date", "garbage", "huge-seconds", "far-date", "past-date"],
)
async def test_retry_after(
    server: FeedServer, fetcher: Fetcher, status: int, header: str, expected: datetime | None
) -> None:
    async def serve(_request: Request, writer: asyncio.StreamWriter) -> None:
        await respond(writer, status, b"busy", [("Retry-After", header)])

    with pytest.raises(FetchHTTPError) as info:
        await fetcher.fetch(server.route("/busy", serve))
    assert info.value.status == status
    assert info.value.retry_at == expected
    assert str(info.value).startswith(f"HTTP {status}")


def test_parse_retry_after_ignores_empty_and_negative() -> None:
    assert parse_retry_after(None, NOW) is None
    assert parse_retry_after("", NOW) is None
    assert parse_retry_after("-5", NOW) is None


async def test_410_is_gone(server: FeedServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchGone, match="gone"):
        await fetcher.fetch(server.feed("/old", b"gone", status=410))


async def test_404_in_plain_words(server: FeedServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchHTTPError, match=r"^HTTP 404 Not Found$"):
        await fetcher.fetch(server.url("/nothing-here"))


# --- redirects --------------------------------------------------------------------------------


async def test_301_then_308_records_the_move(server: FeedServer, fetcher: Fetcher) -> None:
    final = server.feed("/c", RSS)
    server.route("/b", redirect(308, final))
    url = server.route("/a", redirect(301, "/b"))  # relative Location, resolved against /a
    result = await fetcher.fetch(url)
    assert result.body == RSS
    assert result.moved_to == final and result.final_url == final
    assert [s for s, _ in result.redirects] == [301, 308]


async def test_temporary_redirect_is_not_a_move(server: FeedServer, fetcher: Fetcher) -> None:
    server.feed("/c", RSS)
    server.route("/b", redirect(301, "/c"))
    result = await fetcher.fetch(server.route("/a", redirect(302, "/b")))
    assert result.body == RSS and result.moved_to is None


async def test_redirect_loop(server: FeedServer, fetcher: Fetcher) -> None:
    server.route("/y", redirect(302, "/x"))
    with pytest.raises(FetchRefused, match="redirect loop"):
        await fetcher.fetch(server.route("/x", redirect(301, "/y")))


async def test_too_many_hops(server: FeedServer, fetcher: Fetcher) -> None:
    for i in range(MAX_HOPS + 1):
        server.route(f"/r{i}", redirect(302, f"/r{i + 1}"))
    server.feed(f"/r{MAX_HOPS + 1}", RSS)
    with pytest.raises(FetchRefused, match="too many redirects"):
        await fetcher.fetch(server.url("/r0"))
    # exactly MAX_HOPS redirects are fine
    assert (await fetcher.fetch(server.url("/r1"))).body == RSS


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/feed", "javascript:alert(1)"])
async def test_redirect_to_other_schemes_is_refused(
    server: FeedServer, fetcher: Fetcher, target: str
) -> None:
    with pytest.raises(FetchRefused, match="refused"):
        await fetcher.fetch(server.route("/r", redirect(301, target)))
    assert len(server.requests) == 1


# --- limits -----------------------------------------------------------------------------------


@pytest.mark.parametrize("handler", [silent, trickle], ids=["silent", "trickle"])
async def test_deadline_ends_silent_and_trickling_servers(server: FeedServer, handler) -> None:  # type: ignore[no-untyped-def]
    async with Fetcher(Limits(timeout_s=1.2)) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchTimeout, match=r"timed out after 1\.2 s"):
            await fetcher.fetch(server.route("/slow", handler))
        assert time.monotonic() - started < 2.5
        assert fetcher.rebuilds == 1  # the pool is replaced after a cancelled read
        assert (await fetcher.fetch(server.feed("/ok", RSS))).body == RSS


async def test_gzip_bomb_stops_at_the_cap_with_memory_near_it(server: FeedServer) -> None:
    handler, compressed = gzip_bomb(64 * 1024 * 1024)
    cap = 1024 * 1024
    assert compressed < cap  # the bomb is small on the wire
    async with Fetcher(Limits(max_bytes=cap)) as fetcher:
        tracemalloc.start()
        try:
            with pytest.raises(FetchTooLarge, match="larger than 1 MiB"):
                await fetcher.fetch(server.route("/bomb", handler))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 2 * cap, f"peak {peak} bytes while decoding a bomb capped at {cap}"


async def test_gzip_body_is_decoded(server: FeedServer, fetcher: Fetcher) -> None:
    import gzip

    async def serve(_request: Request, writer: asyncio.StreamWriter) -> None:
        await respond(writer, 200, gzip.compress(RSS), [("Content-Encoding", "gzip")])

    assert (await fetcher.fetch(server.route("/gz", serve))).body == RSS
    assert "gzip" in server.hits("/gz")[0].headers["accept-encoding"]


async def test_50_mb_body_stops_at_the_cap(server: FeedServer) -> None:
    async with Fetcher(Limits()) as fetcher:  # default cap, 10 MiB
        started = time.monotonic()
        with pytest.raises(FetchTooLarge, match="larger than 10 MiB"):
            await fetcher.fetch(server.route("/big", big_body(50 * 1024 * 1024)))
        assert time.monotonic() - started < 10


async def test_announced_size_over_the_cap_is_refused_before_reading(server: FeedServer) -> None:
    async def serve(_request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 52428800\r\n\r\n<rss>")
        await writer.drain()
        await asyncio.sleep(3600)

    async with Fetcher(Limits(max_bytes=1024 * 1024, timeout_s=30)) as fetcher:
        with pytest.raises(FetchTooLarge, match="announced"):
            await asyncio.wait_for(fetcher.fetch(server.route("/announced", serve)), 5)


async def test_endless_chunked_body_stops_at_the_cap(server: FeedServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchTooLarge):
        await fetcher.fetch(server.route("/endless", endless_chunked))


async def test_unknown_content_encoding_is_an_error(server: FeedServer, fetcher: Fetcher) -> None:
    url = server.feed("/br", b"\x00\x01", headers=[("Content-Encoding", "br")])
    with pytest.raises(FetchError, match="unsupported content encoding"):
        await fetcher.fetch(url)


async def test_connection_refused_in_plain_words(fetcher: Fetcher) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match=r"connection refused|could not connect"):
        await fetcher.fetch(f"http://127.0.0.1:{port}/feed")


async def test_per_host_and_global_limits_cap_parallel_requests(server: FeedServer) -> None:
    active = 0
    most = 0

    async def slow(_request: Request, writer: asyncio.StreamWriter) -> None:
        nonlocal active, most
        active += 1
        most = max(most, active)
        await asyncio.sleep(0.2)
        active -= 1
        await respond(writer, 200, RSS)

    url = server.route("/slow", slow)
    async with Fetcher(Limits(), concurrency=8, per_host=2) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(url) for _ in range(6)))
    assert all(r.body == RSS for r in results)
    assert most == 2
    most = 0
    async with Fetcher(Limits(), concurrency=3, per_host=8) as fetcher:  # the global limit binds first
        await asyncio.gather(*(fetcher.fetch(url) for _ in range(6)))
    assert most == 3


# --- files ------------------------------------------------------------------------------------


async def test_file_paths_are_read_as_bytes_under_the_cap(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(RSS)
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * 5000)
    async with Fetcher(Limits(max_bytes=4096)) as fetcher:
        assert (await fetcher.fetch(str(feed))).body == RSS
        with pytest.raises(FetchTooLarge):
            await fetcher.fetch(str(big))
        with pytest.raises(FetchError, match="file not found"):
            await fetcher.fetch(str(tmp_path / "missing.xml"))
        with pytest.raises(FetchError, match="not a regular file"):
            await fetcher.fetch(str(tmp_path))


async def test_cancelled_fetch_rebuilds_the_client(server: FeedServer, fetcher: Fetcher) -> None:
    task = asyncio.create_task(fetcher.fetch(server.route("/silent", silent)))
    while not server.hits("/silent"):
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert fetcher.rebuilds == 1
    assert (await fetcher.fetch(server.feed("/ok", RSS))).body == RSS


# --- TLS --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_ca() -> trustme.CA:
    """A certificate authority made for this run; its certificate for 127.0.0.1 and localhost."""
    return trustme.CA()


@pytest.fixture
def ca_file(tls_ca: trustme.CA, tmp_path: Path) -> Path:
    """The authority's certificate as a PEM file, for SSL_CERT_FILE."""
    path = tmp_path / "ca.pem"
    tls_ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
async def tls_server(tls_ca: trustme.CA) -> AsyncIterator[FeedServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    srv = await FeedServer().start(tls=context)
    yield srv
    await srv.close()


@pytest.fixture
def trust_stores(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every trust store a client loads (httpx builds an https context with ssl.create_default_context)."""
    loaded: list[str] = []
    real = ssl.create_default_context

    def counting(*args: object, **kwargs: object) -> ssl.SSLContext:
        loaded.append(str(kwargs.get("cafile") or kwargs.get("capath") or "default"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl, "create_default_context", counting)
    return loaded


async def test_http_feeds_load_no_trust_store(server: FeedServer, trust_stores: list[str]) -> None:
    async with Fetcher(Limits(timeout_s=5)) as fetcher:
        for n in range(3):
            assert (await fetcher.fetch(server.feed(f"/f{n}", RSS))).body == RSS
    assert trust_stores == []


async def test_https_verifies_the_certificate(tls_server: FeedServer, trust_stores: list[str]) -> None:
    async with Fetcher(Limits(timeout_s=5)) as fetcher:
        with pytest.raises(FetchError, match="TLS error: the certificate could not be verified"):
            await fetcher.fetch(tls_server.feed("/feed", RSS))
    assert len(trust_stores) == 1  # built on the first https fetch
    assert not tls_server.hits("/feed")


async def test_https_trusts_what_ssl_cert_file_names_and_builds_it_once(
    tls_server: FeedServer,
    server: FeedServer,
    trust_stores: list[str],
    ca_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    url = tls_server.feed("/feed", RSS, etag='"v1"')
    async with Fetcher(Limits(timeout_s=5)) as fetcher:
        assert (await fetcher.fetch(server.feed("/plain", RSS))).body == RSS
        assert trust_stores == []
        first = await fetcher.fetch(url)
        assert first.status == 200 and first.body == RSS
        second = await fetcher.fetch(url, etag=first.etag)
        assert second.not_modified
        assert (await fetcher.fetch(server.feed("/plain", RSS))).body == RSS
    assert trust_stores == [str(ca_file)]
    assert tls_server.hits("/feed")[1].headers.get("if-none-match") == '"v1"'


async def test_redirect_from_http_to_https_is_verified(
    server: FeedServer, tls_server: FeedServer, fetcher: Fetcher
) -> None:
    target = tls_server.feed("/feed", RSS)
    with pytest.raises(FetchError, match="TLS error"):
        await fetcher.fetch(server.route("/old", redirect(301, target)))
    assert server.hits("/old") and not tls_server.hits("/feed")
