"""A small asyncio HTTP/1.1 server on 127.0.0.1 for ingest tests: real sockets, scripted misbehaviour.

Each route is a coroutine that writes the whole response itself, so a test can serve a trickle,
silence, an endless chunked body or a gzip bomb as easily as a feed with an ETag.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request, asyncio.StreamWriter], Awaitable[None]]


def head(status: int, headers: Iterable[tuple[str, str]] = ()) -> bytes:
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Whatever"
    lines = [f"HTTP/1.1 {status} {reason}", "Connection: close", *(f"{k}: {v}" for k, v in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def respond(
    writer: asyncio.StreamWriter, status: int, body: bytes = b"", headers: Iterable[tuple[str, str]] = ()
) -> None:
    writer.write(head(status, [*headers, ("Content-Length", str(len(body)))]) + body)
    await writer.drain()


class FeedServer:
    """Routes by path; records every request (path and headers) it receives."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0
        self.scheme = "http"

    async def start(self, tls: ssl.SSLContext | None = None) -> FeedServer:
        """Listen on 127.0.0.1; ``tls``: serve https with that server context."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0, ssl=tls)
        self.scheme = "https" if tls is not None else "http"
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    # --- routes -------------------------------------------------------------------------------

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def feed(
        self,
        path: str,
        body: bytes,
        *,
        status: int = 200,
        headers: Iterable[tuple[str, str]] = (),
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> str:
        """A static body that honours If-None-Match / If-Modified-Since by exact comparison."""
        extra = list(headers)

        async def serve(request: Request, writer: asyncio.StreamWriter) -> None:
            validators = []
            if etag is not None:
                validators.append(("ETag", etag))
            if last_modified is not None:
                validators.append(("Last-Modified", last_modified))
            fresh = (etag is not None and request.headers.get("if-none-match") == etag) or (
                etag is None
                and last_modified is not None
                and request.headers.get("if-modified-since") == last_modified
            )
            if fresh:
                await respond(writer, 304, b"", validators)
            else:
                await respond(writer, status, body, [*extra, *validators])

        return self.route(path, serve)

    # --- plumbing -----------------------------------------------------------------------------

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            request = await self._read_request(reader)
            if request is None:
                return
            self.requests.append(request)
            handler = self.routes.get(request.path)
            if handler is None:
                await respond(writer, 404, b"not found")
            else:
                await handler(request, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            # close() cancels handlers that never end (silence, trickles); end quietly, or
            # asyncio logs the cancelled connection task as an error
            pass
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await writer.wait_closed()

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader) -> Request | None:
        line = await reader.readline()
        if not line:
            return None
        method, target, _ = line.decode("latin-1").split(" ", 2)
        headers: dict[str, str] = {}
        while True:
            raw = await reader.readline()
            if raw in (b"\r\n", b"\n", b""):
                break
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return Request(method, target, headers)


# --- misbehaving handlers ---------------------------------------------------------------------


async def silent(_request: Request, _writer: asyncio.StreamWriter) -> None:
    """Accepts the connection and never answers."""
    await asyncio.sleep(3600)


async def trickle(_request: Request, writer: asyncio.StreamWriter) -> None:
    """Sends headers, then one byte every half second, for ever."""
    writer.write(head(200, [("Content-Type", "application/rss+xml"), ("Content-Length", "100000")]))
    writer.write(b"<")
    await writer.drain()
    while True:
        await asyncio.sleep(0.5)
        writer.write(b" ")
        await writer.drain()


async def endless_chunked(_request: Request, writer: asyncio.StreamWriter) -> None:
    """A chunked body that never ends."""
    writer.write(head(200, [("Content-Type", "application/rss+xml"), ("Transfer-Encoding", "chunked")]))
    chunk = b"<rss>" + b"x" * 65531
    while True:
        writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        await writer.drain()


def big_body(size: int) -> Handler:
    """``size`` bytes, chunked (no Content-Length), so only the read loop can stop it."""

    async def serve(_request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(head(200, [("Content-Type", "application/rss+xml"), ("Transfer-Encoding", "chunked")]))
        chunk = b"a" * 65536
        sent = 0
        while sent < size:
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()

    return serve


def gzip_bomb(decompressed: int) -> tuple[Handler, int]:
    """A gzip body of ``decompressed`` zero bytes (compressed about 1000:1); returns its compressed size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(decompressed // len(block))]
    parts.append(compressor.flush())
    payload = b"".join(parts)

    async def serve(_request: Request, writer: asyncio.StreamWriter) -> None:
        await respond(
            writer,
            200,
            payload,
            [("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip")],
        )

    return serve, len(payload)
