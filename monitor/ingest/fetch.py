"""Fetching feed bodies: shared httpx clients (one per scheme), a deadline and a size cap, manual redirects.

Only bytes come out of here; parsing is ``parse.py``'s job. Every failure is a ``FetchError`` whose
message is written for the user ("timed out after 30 s", "HTTP 404 Not Found", "redirect loop ...").
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import re
import ssl
import zlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from monitor import __version__
from monitor.config import Limits
from monitor.errors import FetchError, FetchGone, FetchHTTPError, FetchRefused, FetchTimeout, FetchTooLarge
from monitor.models import utcnow
from monitor.text import sanitize

USER_AGENT = f"situation-room/{__version__} (news feed monitor)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
MAX_HOPS = 5
"""Most redirects followed for one fetch."""
RETRY_AFTER_CAP = timedelta(hours=24)
"""A Retry-After longer than this is shortened to it."""

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_CHUNK = 64 * 1024
_PIECE = 256 * 1024
"""Most decompressed bytes produced from one step of input (a bomb expands 1000:1)."""


@dataclass(frozen=True, slots=True)
class ServerDate:
    """A server's ``Date`` header against this machine's clock when the response arrived."""

    origin: str
    """host:port of the server that answered (after redirects)."""
    offset: timedelta
    """The server's time minus this machine's (``Date`` has whole seconds)."""
    loopback: bool
    """The server is this machine (localhost, 127.0.0.0/8, ::1): most likely the same clock."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one successful fetch brought: a body (2xx) or nothing new (304)."""

    url: str
    """The URL (or path) asked for."""
    status: int
    """200 (or another 2xx) with a body, or 304 Not Modified."""
    body: bytes = b""
    final_url: str = ""
    """Where the body came from after redirects."""
    etag: str | None = None
    """ETag exactly as the server sent it (on 304: the new one if sent, else the one we sent)."""
    last_modified: str | None = None
    """Last-Modified exactly as the server sent it."""
    content_type: str | None = None
    moved_to: str | None = None
    """Target of the permanent redirects (301/308) at the start of the chain, if any."""
    redirects: tuple[tuple[int, str], ...] = ()
    """Each hop followed: (status, target)."""
    server_date: ServerDate | None = None
    """The answering server's clock, when it sent a readable ``Date`` (never for local files)."""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def is_file_url(url: str) -> bool:
    """True when a feed's url is a local path (feeds.yaml allows paths as well as http/https URLs)."""
    return "://" not in url


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """When to retry per a Retry-After header (seconds or an HTTP date, capped at 24 h); None if garbage."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        seconds = int(value[:12])  # a thousand-digit number is still just "very long"
        return now + min(timedelta(seconds=seconds), RETRY_AFTER_CAP)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(when, now), now + RETRY_AFTER_CAP)


def parse_server_date(value: str | None, url: str, now: datetime) -> ServerDate | None:
    """The ``Date`` header of a response from ``url`` received at ``now``; None if absent or garbage."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.year < 2000:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        loopback = (
            host == "localhost" or host.endswith(".localhost") or ipaddress.ip_address(host).is_loopback
        )
    except ValueError:
        loopback = False
    try:
        port = parts.port
    except ValueError:
        port = None
    return ServerDate(f"{host}:{port or parts.scheme}", when - now, loopback)


def _seconds(value: float) -> str:
    return f"{value:g}"


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MiB"
    if n >= 1024:
        return f"{n / 1024:g} KiB"
    return f"{n} bytes"


class _Decoder:
    """Content-Encoding decoder that never produces more than it is asked for (gzip bombs stop at the cap)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._obj: zlib._Decompress | None
        if encoding in ("", "identity"):
            self._obj = None
        elif encoding in ("gzip", "x-gzip"):
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._obj = zlib.decompressobj()
        else:
            raise FetchError(f"unsupported content encoding {encoding!r}")
        self._first = True

    def feed(self, data: bytes, room: int) -> tuple[bytes, bytes]:
        """Decode up to ``room`` bytes of output from ``data``; return (output, input not yet consumed)."""
        if self._obj is None:
            return data[:room], data[room:]
        try:
            out = self._obj.decompress(data, max(1, room))
        except zlib.error as exc:
            if self._first and self.encoding == "deflate":
                # some servers send raw deflate without the zlib header
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                self._first = False
                return self.feed(data, room)
            raise FetchError(f"the {self.encoding} body is corrupt ({exc})") from None
        self._first = False
        return out, self._obj.unconsumed_tail

    def flush(self) -> bytes:
        if self._obj is None:
            return b""
        try:
            return self._obj.flush()
        except zlib.error as exc:
            raise FetchError(f"the {self.encoding} body is corrupt ({exc})") from None


_CONNECT_WORDS = (
    (re.compile(r"certificate|ssl|tls", re.I), "TLS error: the certificate could not be verified"),
    (re.compile(r"name or service not known|nodename nor servname|getaddrinfo|no address", re.I), None),
    (re.compile(r"connection refused|errno 111", re.I), "connection refused"),
    (re.compile(r"network is unreachable", re.I), "network unreachable"),
)


def _connect_words(exc: Exception, host: str) -> str:
    text = str(exc) or type(exc).__name__
    for pattern, words in _CONNECT_WORDS:
        if pattern.search(text):
            return words or f"host {host} not found"
    return f"could not connect to {host}: {text}"


_NETWORK_MEANINGS: tuple[tuple[type[httpx.HTTPError], str], ...] = (
    (httpx.RemoteProtocolError, "the server broke the connection"),
    (httpx.ReadError, "the connection failed while reading the response"),
    (httpx.WriteError, "the connection failed while sending the request"),
    (httpx.CloseError, "the connection failed while closing"),
    (httpx.ProxyError, "the proxy refused or failed the request"),
    (httpx.DecodingError, "the response could not be decoded"),
    (httpx.UnsupportedProtocol, "the URL's protocol is not supported"),
)


def network_words(exc: httpx.HTTPError) -> str:
    """What went wrong, in words, always with the error's class and any detail found.

    A connection reset often comes as an ``httpx.ReadError`` with no message at all; the reason
    is then looked for in the exceptions it was raised from ("[Errno 104] Connection reset by peer").
    """
    meaning = next((words for kind, words in _NETWORK_MEANINGS if isinstance(exc, kind)), "network error")
    detail = ""
    cause: BaseException | None = exc
    while cause is not None and not detail:
        detail = sanitize(str(cause), 200)
        if detail and cause is not exc:
            detail = f"{type(cause).__name__}: {detail}"
        cause = cause.__cause__ or cause.__context__
    if not detail and "reset" in type(exc).__name__.lower():
        detail = "connection reset"
    return f"{meaning} ({type(exc).__name__}{': ' + detail if detail else ''})"


class Fetcher:
    """Fetches feeds through ONE shared HTTP/1.1 client per scheme (http, https) under global and
    per-host concurrency limits; the https one is built on the first https hop, so a run of http://
    feeds never loads a trust store.

    After a cancellation or a pool timeout the client is replaced (httpcore can leave a pool with
    connections that are never released); the old one is closed once its last request ends.
    """

    def __init__(
        self,
        limits: Limits,
        *,
        concurrency: int = 16,
        per_host: int = 2,
        user_agent: str = USER_AGENT,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.limits = limits
        self.concurrency = concurrency
        self.per_host = per_host
        self.user_agent = user_agent
        self.now = now
        self.rebuilds = 0
        """How many times the client was replaced after a cancellation or pool timeout."""
        self._client: httpx.AsyncClient | None = None
        """The client for http:// hops: it never makes a TLS connection, so it loads no trust store."""
        self._tls_client: httpx.AsyncClient | None = None
        """The client for https:// hops, built (with the certificates to verify against) on the first."""
        self._users: dict[httpx.AsyncClient, int] = {}
        self._global = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._closing: set[asyncio.Task[None]] = set()

    # --- client lifecycle -------------------------------------------------------------------

    def _new_client(self, *, tls: bool) -> httpx.AsyncClient:
        # Loading the trust store is most of a client's cost (~25 ms, more than 50 304s from a local
        # server take): an https client loads it as httpx does (SSL_CERT_FILE, SSL_CERT_DIR, else
        # certifi), the http one gets an empty context that would refuse any certificate, were it
        # ever handed an https URL (``_acquire`` never does).
        return httpx.AsyncClient(
            http1=True,
            http2=False,
            verify=True if tls else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT),
            follow_redirects=False,
            timeout=httpx.Timeout(
                self.limits.timeout_s,
                connect=min(self.limits.connect_timeout_s, self.limits.timeout_s),
            ),
            limits=httpx.Limits(max_connections=self.concurrency, max_keepalive_connections=self.concurrency),
            headers={"User-Agent": self.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
        )

    def _acquire(self, scheme: str) -> httpx.AsyncClient:
        """The client for a hop to a ``scheme`` URL ("http" or "https"), counted as in use."""
        if scheme == "https":
            if self._tls_client is None:
                self._tls_client = self._new_client(tls=True)
            client = self._tls_client
        else:
            if self._client is None:
                self._client = self._new_client(tls=False)
            client = self._client
        self._users[client] = self._users.get(client, 0) + 1
        return client

    def _release(self, client: httpx.AsyncClient) -> None:
        left = self._users.get(client, 1) - 1
        if left > 0:
            self._users[client] = left
            return
        self._users.pop(client, None)
        if client is not self._client and client is not self._tls_client:
            self._close_later(client)

    def _rebuild(self) -> None:
        olds = (self._client, self._tls_client)
        self._client = self._tls_client = None
        self.rebuilds += 1
        for old in olds:
            if old is not None and old not in self._users:
                self._close_later(old)

    def _close_later(self, client: httpx.AsyncClient) -> None:
        try:
            task = asyncio.get_running_loop().create_task(client.aclose())
        except RuntimeError:  # no loop any more: nothing left to close cleanly
            return
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def aclose(self) -> None:
        """Close the client (and any replaced one still open)."""
        clients = (self._client, self._tls_client)
        self._client = self._tls_client = None
        for client in clients:
            if client is not None:
                await client.aclose()
        for old in list(self._users):
            await old.aclose()
        self._users.clear()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    @asynccontextmanager
    async def _host_slot(self, host: str) -> AsyncIterator[None]:
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.per_host)
        async with sem:
            yield

    # --- fetching ---------------------------------------------------------------------------

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch ``url`` (http/https, or a local path) under the deadline and the size cap."""
        if is_file_url(url):
            return await self._read_file(Path(url))
        limit = self.limits.timeout_s
        async with self._global:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + limit
            try:
                async with asyncio.timeout_at(deadline):
                    return await self._fetch_http(url, etag, last_modified, deadline)
            except TimeoutError:
                self._rebuild()
                raise FetchTimeout(f"timed out after {_seconds(limit)} s") from None
            except httpx.PoolTimeout:
                self._rebuild()
                raise FetchTimeout(f"no free connection within {_seconds(limit)} s") from None
            except asyncio.CancelledError:
                self._rebuild()
                raise
            except httpx.ConnectTimeout:
                raise FetchTimeout(
                    f"could not connect within {_seconds(self.limits.connect_timeout_s)} s"
                ) from None
            except httpx.TimeoutException:
                raise FetchTimeout(f"timed out after {_seconds(limit)} s") from None
            except httpx.ConnectError as exc:
                raise FetchError(_connect_words(exc, urlsplit(url).hostname or url)) from None
            except httpx.HTTPError as exc:
                raise FetchError(network_words(exc)) from None

    async def _fetch_http(
        self, url: str, etag: str | None, last_modified: str | None, deadline: float
    ) -> FetchResult:
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        visited = {url}
        hops: list[tuple[int, str]] = []
        moved_to: str | None = None
        permanent_so_far = True
        for hop in range(MAX_HOPS + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchRefused(f"refused to fetch {current!r}: only http and https are allowed")
            client = self._acquire(parts.scheme)
            try:
                async with self._host_slot(parts.hostname.lower()):
                    request = client.build_request("GET", current, headers=headers)
                    try:
                        response = await client.send(request, stream=True)
                    except httpx.InvalidURL as exc:  # httpx also parses the Location of a redirect
                        raise FetchRefused(f"refused an invalid URL or redirect target ({exc})") from None
                    try:
                        status = response.status_code
                        location = response.headers.get("location")
                        if status in _REDIRECTS and location is not None:
                            target = self._redirect_target(current, location, hop, visited)
                            hops.append((status, target))
                            permanent_so_far = permanent_so_far and status in _PERMANENT
                            if permanent_so_far:
                                moved_to = target
                            visited.add(target)
                            current = target
                            continue
                        server_date = parse_server_date(response.headers.get("date"), current, self.now())
                        if status == 304:
                            return FetchResult(
                                url=url,
                                status=304,
                                final_url=current,
                                etag=response.headers.get("etag", etag),
                                last_modified=response.headers.get("last-modified", last_modified),
                                moved_to=moved_to,
                                redirects=tuple(hops),
                                server_date=server_date,
                            )
                        if 200 <= status < 300:
                            body = await self._read_body(response, deadline)
                            return FetchResult(
                                url=url,
                                status=status,
                                body=body,
                                final_url=current,
                                etag=response.headers.get("etag"),
                                last_modified=response.headers.get("last-modified"),
                                content_type=response.headers.get("content-type"),
                                moved_to=moved_to,
                                redirects=tuple(hops),
                                server_date=server_date,
                            )
                        raise self._status_error(response)
                    finally:
                        await response.aclose()
            finally:
                self._release(client)
        raise FetchRefused(f"too many redirects (more than {MAX_HOPS})")

    @staticmethod
    def _redirect_target(current: str, location: str, hop: int, visited: set[str]) -> str:
        target = urljoin(current, location.strip())
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchRefused(f"refused a redirect to a {scheme or 'schemeless'}: URL ({target[:200]})")
        if target in visited:
            raise FetchRefused(f"redirect loop: {target[:200]} redirects back to itself")
        if hop >= MAX_HOPS:
            raise FetchRefused(f"too many redirects (more than {MAX_HOPS})")
        return target

    def _status_error(self, response: httpx.Response) -> FetchHTTPError:
        status = response.status_code
        words = f"HTTP {status} {sanitize(response.reason_phrase, 100)}".strip()
        if status == 410:
            return FetchGone(f"{words}: the feed is gone; polling stopped until its URL changes", status)
        retry_at = None
        if status in (429, 503):
            retry_at = parse_retry_after(response.headers.get("retry-after"), self.now())
        return FetchHTTPError(words, status, retry_at)

    async def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        """The decompressed body, stopping at the size cap and at the deadline (checked on every chunk)."""
        cap = self.limits.max_bytes
        encoding = response.headers.get("content-encoding", "").strip().lower()
        decoder = _Decoder(encoding)
        declared = response.headers.get("content-length", "")
        if decoder.encoding in ("", "identity") and declared.isdigit() and int(declared) > cap:
            raise FetchTooLarge(f"body larger than {_size(cap)} ({_size(int(declared))} announced)")
        loop = asyncio.get_running_loop()
        # pieces in a list, not a growing buffer: no reallocation copies, so memory stays near the cap
        pieces: list[bytes] = []
        size = 0
        async for raw in response.aiter_raw(_CHUNK):
            pending = raw
            while pending:
                piece, pending = decoder.feed(pending, min(_PIECE, cap + 1 - size))
                pieces.append(piece)
                size += len(piece)
                if size > cap:
                    raise FetchTooLarge(f"body larger than {_size(cap)} (stopped reading)")
                if not piece and pending:
                    break  # decoder wants more input before it can produce output
            if loop.time() > deadline:
                raise TimeoutError
        pieces.append(decoder.flush())
        if size + len(pieces[-1]) > cap:
            raise FetchTooLarge(f"body larger than {_size(cap)} (stopped reading)")
        return b"".join(pieces)

    async def _read_file(self, path: Path) -> FetchResult:
        """A local feed file, read as bytes under the same size cap."""
        cap = self.limits.max_bytes

        def read() -> bytes:
            if not path.is_file():
                raise FileNotFoundError(path) if not path.exists() else IsADirectoryError(path)
            with path.open("rb") as fh:
                return fh.read(cap + 1)

        try:
            body = await asyncio.to_thread(read)
        except FileNotFoundError:
            raise FetchError(f"file not found: {path}") from None
        except IsADirectoryError:
            raise FetchError(f"not a regular file: {path}") from None
        except OSError as exc:
            raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from None
        if len(body) > cap:
            raise FetchTooLarge(f"file larger than {_size(cap)}: {path}")
        return FetchResult(url=str(path), status=200, body=body, final_url=str(path))
