"""The demo: a loopback HTTP server that replays the fictitious seeds/ scenario to the real pollers.

    async with DemoServer(speed=1.0) as server:
        settings = server.settings()            # one FeedConfig per demo outlet, pointing here
        pipeline = Pipeline(settings, store, ..., interval_override=server.poll_interval)

The scenario (seeds/demo/scenario.yaml) lists each outlet's snapshots and the second, counted from
the start of the replay, at which each becomes the live feed. The server answers like a well-behaved
feed host: a strong ETag and a Last-Modified per snapshot, 304 to a matching If-None-Match (or, when
that is absent, to an If-Modified-Since not older than the snapshot), keep-alive connections.
Before an outlet's first snapshot it serves the feed with no items.

Item dates in the seed files are story time; the server shifts every date by the same amount so the
scenario's epoch falls on the moment the server starts, and the news reads as the last day or two.

User feeds must be polled at most every 30 s; the demo needs a poll every second or two to show a
few minutes of news, so its settings keep the minimum and callers pass ``poll_interval`` to the
pipeline's ``interval_override`` instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib.resources
import math
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from monitor.config import MIN_INTERVAL_S, FeedConfig, Settings
from monitor.errors import ConfigError, ConfigProblem
from monitor.models import Tier

POLL_INTERVAL_S = 1.0
"""Seconds between polls of each demo feed at speed 1 (faster replays poll proportionally faster)."""
FIRST_RELEASE_MAX_S = 5
"""Every outlet's first snapshot is out by then, so a new user sees the panels fill at once."""
_MAX_HEAD = 16 * 1024
_IDLE_S = 30.0


# --- the scenario ---------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SnapshotEntry(_Strict):
    at_s: float = Field(ge=0)
    """Seconds into the replay when this file becomes the outlet's live feed."""
    file: str
    """Path of the snapshot, relative to the folder of scenario.yaml."""


class OutletEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """URL-safe id: the feed is served at /<id>/feed.xml."""
    name: str
    """Feed name shown in the app."""
    tier: Tier
    party: str | None = None
    format: Literal["rss", "atom"]
    snapshots: tuple[SnapshotEntry, ...] = Field(min_length=1)


class ScenarioFile(_Strict):
    epoch: datetime
    """Story time that the server maps to the moment it starts."""
    duration_s: float = Field(ge=0)
    """Offset of the last release."""
    outlets: tuple[OutletEntry, ...] = Field(min_length=1)


def find_seeds() -> Path:
    """The seeds folder: packaged in the wheel as monitor/_seeds, else seeds/ of a source checkout."""
    packaged = importlib.resources.files("monitor").joinpath("_seeds")
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "seeds"
    if (checkout / "demo" / "scenario.yaml").is_file():
        return checkout
    raise ConfigError(
        [ConfigProblem(str(checkout), None, "", "the demo scenario is missing from this installation")]
    )


def load_scenario(seeds: Path) -> ScenarioFile:
    """Read and validate seeds/demo/scenario.yaml; raise ConfigError naming every problem."""
    path = seeds / "demo" / "scenario.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scenario = ScenarioFile.model_validate(data)
    except OSError as exc:
        raise ConfigError([ConfigProblem(str(path), None, "", f"cannot read: {exc.strerror}")]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([ConfigProblem(str(path), None, "", f"invalid YAML: {exc}")]) from None
    except ValidationError as exc:
        problems = [
            ConfigProblem(str(path), None, ".".join(str(p) for p in err["loc"]), err["msg"])
            for err in exc.errors()
        ]
        raise ConfigError(problems) from None
    problems = []
    for outlet in scenario.outlets:
        times = [s.at_s for s in outlet.snapshots]
        if times != sorted(set(times)):
            problems.append(ConfigProblem(str(path), None, f"{outlet.id}.snapshots", "times must increase"))
        for snap in outlet.snapshots:
            if not (path.parent / snap.file).is_file():
                problems.append(
                    ConfigProblem(str(path), None, f"{outlet.id}.snapshots", f"{snap.file} is missing")
                )
    if len({o.id for o in scenario.outlets}) != len(scenario.outlets):
        problems.append(ConfigProblem(str(path), None, "outlets", "ids must be unique"))
    if problems:
        raise ConfigError(problems)
    return scenario


# --- serving --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """One version of a feed, ready to serve."""

    release: float
    """Seconds after the server starts when it becomes live."""
    body: bytes
    etag: str
    last_modified: int
    """Unix seconds; strictly increasing within an outlet so If-Modified-Since is never fooled."""


@dataclass(frozen=True)
class DemoOutlet:
    entry: OutletEntry
    content_type: str
    snapshots: tuple[Snapshot, ...]
    """The empty pre-release feed first, then one per scenario snapshot."""


_RFC822_DATES = re.compile(rb"<(pubDate|lastBuildDate)>([^<]+)</\1>")
_ISO_DATES = re.compile(rb"<(published|updated)>([^<]+)</\1>")
_ENTRIES = re.compile(rb"\s*<(item|entry)>.*?</\1>", re.DOTALL)


def shift_dates(body: bytes, shift: timedelta) -> bytes:
    """The feed with every RSS and Atom date moved by ``shift`` (same format, weekday recomputed)."""

    def rfc822(match: re.Match[bytes]) -> bytes:
        moved = parsedate_to_datetime(match[2].decode()) + shift
        return b"<%s>%s</%s>" % (
            match[1],
            format_datetime(moved.astimezone(UTC), usegmt=True).encode(),
            match[1],
        )

    def iso(match: re.Match[bytes]) -> bytes:
        moved = datetime.fromisoformat(match[2].decode()) + shift
        return b"<%s>%s</%s>" % (
            match[1],
            moved.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
            match[1],
        )

    return _ISO_DATES.sub(iso, _RFC822_DATES.sub(rfc822, body))


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _http_date(unix: float) -> str:
    return format_datetime(datetime.fromtimestamp(unix, UTC), usegmt=True)


class DemoServer:
    """Loopback feed server replaying the demo scenario; use as ``async with DemoServer() as server``."""

    def __init__(
        self,
        seeds: Path | None = None,
        *,
        speed: float = 1.0,
        host: str = "127.0.0.1",
        stepped: bool = False,
    ) -> None:
        """``stepped``: snapshots go live only when ``advance_to`` says so, not as time passes (a
        replay whose every poll cycle sees the same feeds, whatever the machine's timing)."""
        if not speed > 0 or math.isinf(speed):
            raise ValueError("speed must be a positive number")
        self.seeds = seeds or find_seeds()
        self.speed = speed
        self.stepped = stepped
        self._step = 0.0
        self._start_wall = datetime.now(UTC)
        self.host = host
        self.scenario = load_scenario(self.seeds)
        self.port = 0
        self.responses: dict[int, int] = {}
        """How many responses of each status were sent (for tests and the curious)."""
        self._outlets: dict[str, DemoOutlet] = {}
        self._server: asyncio.Server | None = None
        self._started = 0.0
        self._connections: dict[asyncio.Task[None], asyncio.StreamWriter] = {}

    # -- lifecycle

    async def start(self) -> None:
        """Load the snapshots (dates shifted to now), bind a free port and start the clock."""
        wall = time.time()
        shift = timedelta(seconds=round(wall - self.scenario.epoch.timestamp()))
        self._start_wall = self.scenario.epoch + shift
        base = self.seeds / "demo"
        for outlet in self.scenario.outlets:
            bodies = [shift_dates((base / s.file).read_bytes(), shift) for s in outlet.snapshots]
            empty = _ENTRIES.sub(b"", bodies[0])
            releases = [0.0] + [s.at_s / self.speed for s in outlet.snapshots]
            snapshots: list[Snapshot] = []
            last_modified = math.floor(wall) - 1
            for offset, body in zip(releases, [empty, *bodies], strict=True):
                last_modified = max(math.floor(wall + offset), last_modified + 1)
                snapshots.append(Snapshot(offset, body, _etag(body), last_modified))
            kind = "application/atom+xml" if outlet.format == "atom" else "application/rss+xml"
            self._outlets[outlet.id] = DemoOutlet(outlet, f"{kind}; charset=utf-8", tuple(snapshots))
        self._server = await asyncio.start_server(self._connection, self.host, 0, limit=_MAX_HEAD)
        self.port = self._server.sockets[0].getsockname()[1]
        self._started = time.monotonic()  # the replay clock starts once the server can answer

    async def close(self) -> None:
        """Stop listening and drop open connections (idempotent)."""
        if self._server is None:
            return
        self._server.close()
        # Closing the transports ends each handler at its next read; cancelling the handler tasks
        # instead trips asyncio's stream callback, which reads the exception of a cancelled task.
        for writer in list(self._connections.values()):
            writer.close()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def __aenter__(self) -> DemoServer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # -- what callers use

    @property
    def duration_s(self) -> float:
        """Real seconds from start until the last snapshot is out."""
        return self.scenario.duration_s / self.speed

    @property
    def poll_interval(self) -> float:
        """Seconds between polls to pass as the pipeline's ``interval_override``."""
        return max(0.05, POLL_INTERVAL_S / self.speed)

    def url(self, outlet_id: str) -> str:
        return f"http://{self.host}:{self.port}/{outlet_id}/feed.xml"

    def settings(self) -> Settings:
        """Settings with one feed per demo outlet, all pointing at this server."""
        if not self.port:
            raise RuntimeError("start the server first")
        feeds = tuple(
            FeedConfig(
                name=o.name,
                url=self.url(o.id),
                interval=MIN_INTERVAL_S,
                tier=o.tier,
                party=o.party,
                tags=("demo",),
            )
            for o in self.scenario.outlets
        )
        return Settings(feeds=feeds, per_host=len(feeds), source="<demo>")

    def release_times(self) -> list[float]:
        """Real seconds from start at which some snapshot goes live, in order (0 included)."""
        return sorted({s.release for o in self._outlets.values() for s in o.snapshots})

    def advance_to(self, release: float) -> None:
        """Stepped mode: make live every snapshot released by ``release`` seconds (never goes back)."""
        self._step = max(self._step, release)

    def story_now(self) -> datetime:
        """The time the replayed news has reached: the start plus the scenario seconds released so
        far (stepped), or elapsed at this speed. Item dates are shifted to the same start."""
        elapsed = self._step if self.stepped else time.monotonic() - self._started
        return self._start_wall + timedelta(seconds=round(elapsed * self.speed, 3))

    def released(self, outlet_id: str) -> int:
        """How many of the outlet's scenario snapshots are out by now."""
        return self._live(self._outlets[outlet_id]) if outlet_id in self._outlets else 0

    def finished(self) -> bool:
        """True once every outlet's last snapshot is out."""
        return all(self._live(o) == len(o.snapshots) - 1 for o in self._outlets.values())

    # -- HTTP

    def _live(self, outlet: DemoOutlet) -> int:
        elapsed = self._step if self.stepped else time.monotonic() - self._started
        return sum(1 for s in outlet.snapshots[1:] if s.release <= elapsed)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections[task] = writer
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        finally:
            if task is not None:
                self._connections.pop(task, None)
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _one_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; False when the connection should close."""
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _IDLE_S)
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3:
            await self._send(writer, 400, {}, b"bad request\n", head_only=False)
            return False
        method, target, version = parts
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        if length:
            await reader.readexactly(length)
        status, out, body = self._respond(method, target, headers)
        keep = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
        if not keep:
            out["Connection"] = "close"
        await self._send(writer, status, out, body, head_only=method == "HEAD")
        return keep

    def _respond(
        self, method: str, target: str, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        if method not in ("GET", "HEAD"):
            return 405, {"Allow": "GET, HEAD"}, b"method not allowed\n"
        path = target.split("?", 1)[0]
        outlet_id = path.removesuffix("/feed.xml").strip("/")
        outlet = self._outlets.get(outlet_id) if path.endswith("/feed.xml") else None
        if outlet is None:
            return 404, {}, b"no such demo feed\n"
        snap = outlet.snapshots[self._live(outlet)]
        out = {
            "ETag": snap.etag,
            "Last-Modified": _http_date(snap.last_modified),
            "Cache-Control": "no-cache",
        }
        if _not_modified(headers, snap):
            return 304, out, b""
        out["Content-Type"] = outlet.content_type
        return 200, out, snap.body

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        headers: dict[str, str],
        body: bytes,
        *,
        head_only: bool,
    ) -> None:
        self.responses[status] = self.responses.get(status, 0) + 1
        reason = _REASONS.get(status, "")
        lines = [
            f"HTTP/1.1 {status} {reason}",
            f"Date: {_http_date(time.time())}",
            "Server: situation-room-demo",
        ]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if status != 304:
            lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if body and not head_only and status != 304:
            writer.write(body)
        await writer.drain()


_REASONS = {200: "OK", 304: "Not Modified", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}


def _not_modified(headers: dict[str, str], snap: Snapshot) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = [t.strip() for t in if_none_match.split(",")]
        # Weak comparison is the rule for If-None-Match: W/"x" matches "x".
        return "*" in tags or any(t.removeprefix("W/") == snap.etag for t in tags)
    since = headers.get("if-modified-since")
    if since:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if when.tzinfo is None:
            return False
        return snap.last_modified <= when.timestamp()
    return False
