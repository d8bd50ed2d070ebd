"""Pipeline over loopback feeds and a real TinyDB store, with stand-ins for the rules and the picture."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from feedserver import FeedServer
from standin_rules import WordRules

from monitor.config import FeedConfig, Limits, Settings
from monitor.ingest.poller import ParserPool, Poller
from monitor.models import Alert, Event, ForceEntry, Incident, ZoneEntry
from monitor.pipeline import CycleReport, Pipeline
from monitor.store import Store

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def rss(*items: tuple[str, str, str]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><guid>{guid}</guid><description>{text}</description></item>"
        for guid, title, text in items
    )
    return f'<rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


CLASH_RULES = WordRules("clash", title_only=True)
"""Fires on any item whose title mentions a clash."""


@dataclass(frozen=True)
class Change:
    incidents: tuple[Incident, ...] = ()
    forces: tuple[ForceEntry, ...] = ()
    zones: tuple[ZoneEntry, ...] = ()
    alerts: tuple[Alert, ...] = ()


class OneIncidentPerEvent:
    """A picture that opens one incident and one alert for every event."""

    def __init__(self) -> None:
        self._incidents: dict[str, Incident] = {}

    def apply(self, events: Sequence[Event], *, now: datetime) -> Change:
        incidents = [
            Incident(
                id=f"inc-{e.item_key}",
                category=e.category,
                severity=e.severity,
                status="reported",
                title=e.title,
                first_seen=now,
                last_seen=now,
            )
            for e in events
        ]
        self._incidents.update((i.id, i) for i in incidents)
        alerts = [
            Alert(id=f"alert-{i.id}", ts=now, kind="new", severity=i.severity, title=i.title, incident=i.id)
            for i in incidents
        ]
        return Change(incidents=tuple(incidents), alerts=tuple(alerts))

    def incidents(self) -> list[Incident]:
        return list(self._incidents.values())

    def forces(self) -> list[ForceEntry]:
        return []

    def zones(self) -> list[ZoneEntry]:
        return []


class RecordingSink:
    durable = True

    def __init__(self, store: Store, name: str = "rec") -> None:
        self.name = name
        self.store = store
        self.reports: list[CycleReport] = []
        self.pending_at_delivery: list[set[str]] = []

    async def deliver(self, report: CycleReport) -> None:
        self.reports.append(report)
        self.pending_at_delivery.append({a.id for a in self.store.pending_alerts(self.name)})


class BrokenSink:
    name = ""
    durable = False

    async def deliver(self, report: CycleReport) -> None:
        raise RuntimeError("display is gone")


def settings(*feeds: tuple[str, str]) -> Settings:
    return Settings(
        feeds=tuple(FeedConfig(name=n, url=u, interval=60) for n, u in feeds), limits=Limits(timeout_s=5)
    )


def pipeline(cfg: Settings, store: Store, warnings: list[str] | None = None, **kw: object) -> Pipeline:
    poller = Poller(cfg, states=store.feed_states(), parser=ParserPool(workers=0), **kw)  # type: ignore[arg-type]
    sink_warn = warnings.append if warnings is not None else (lambda _m: None)
    return Pipeline(
        cfg,
        store,
        engine=CLASH_RULES,
        picture=OneIncidentPerEvent(),
        poller=poller,
        gather_s=0.05,
        warn=sink_warn,
    )


WIRE = ("w1", "Clash reported near Rafah crossing", "Two outlets carry the same wire copy.")


async def test_once_dedupes_syndicated_copy_and_commits_before_sinks(
    server: FeedServer, store: Store
) -> None:
    cfg = settings(
        ("wire", server.feed("/wire", rss(WIRE, ("w2", "Aid convoys enter", "Trucks crossed.")), etag='"1"')),
        ("outlet", server.feed("/outlet", rss(("o-77", WIRE[1], WIRE[2])))),
        ("down", server.url("/missing")),
    )
    sink = RecordingSink(store)
    warnings: list[str] = []
    report = await pipeline(cfg, store, warnings).run([sink, BrokenSink()], once=True)
    assert report is not None
    keys = sorted(i.key for i in store.items())
    assert keys == ["wire\x1fw1", "wire\x1fw2"]  # the outlet's copy is not a second item
    stored = store.item("wire\x1fw1")
    assert stored is not None and stored.sources == ("outlet",)
    assert [e.rule for e in store.events()] == ["test.clash"]
    assert [a.id for a in store.alerts()] == ["alert-inc-wire\x1fw1"]
    assert sink.pending_at_delivery == [{"alert-inc-wire\x1fw1"}]  # committed before the sink saw it
    assert report.failed_feeds == ("down",)
    assert store.feed_states()["wire"].etag == '"1"'
    assert store.feed_states()["down"].last_error == "HTTP 404 Not Found"
    assert any("sink BrokenSink failed: RuntimeError: display is gone" in w for w in warnings)
    assert store.feed_states()["wire"].items_seen == 2


async def test_known_items_are_skipped_and_changed_ones_are_updates(server: FeedServer, store: Store) -> None:
    url = server.feed("/wire", rss(WIRE, ("w2", "Aid convoys enter", "Trucks crossed.")))
    cfg = settings(("wire", url))
    await pipeline(cfg, store).run([], once=True)
    server.feed("/wire", rss(WIRE, ("w2", "Aid convoys enter", "Trucks crossed, clash later.")))
    second = await pipeline(cfg, store).run([], once=True)
    assert second is not None
    assert [i.id for i in second.items] == ["w2"]  # w1 unchanged: skipped; w2 changed: an update
    assert store.item("wire\x1fw2") is not None
    assert store.item("wire\x1fw2").summary == "Trucks crossed, clash later."  # type: ignore[union-attr]
    assert len(store.items()) == 2


async def test_restart_sends_stored_validators(server: FeedServer, store: Store) -> None:
    url = server.feed("/wire", rss(WIRE), etag='W/"x y"')
    cfg = settings(("wire", url))
    await pipeline(cfg, store).run([], once=True)
    report = await pipeline(cfg, store).run([], once=True)
    assert report is not None and report.items == ()
    assert server.hits("/wire")[1].headers["if-none-match"] == 'W/"x y"'
    assert store.feed_states()["wire"].not_modified == 1


async def test_run_until_stopped_commits_what_was_fetched(server: FeedServer, store: Store) -> None:
    cfg = settings(("wire", server.feed("/wire", rss(WIRE), etag='"1"')))
    sink = RecordingSink(store)
    stop = asyncio.Event()

    class StopAfterFirst(RecordingSink):
        async def deliver(self, report: CycleReport) -> None:
            await super().deliver(report)
            stop.set()

    last = await pipeline(cfg, store, interval_override=0.1).run(
        [sink, StopAfterFirst(store, "x")], stop=stop
    )
    assert last is not None and [i.id for i in sink.reports[0].items] == ["w1"]
    assert [i.id for i in store.items()] == ["w1"]


@pytest.mark.skipif(os.name != "posix", reason="signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_signal_ends_run_cleanly(server: FeedServer, store: Store, sig: signal.Signals) -> None:
    cfg = settings(("wire", server.feed("/wire", rss(WIRE), etag='"1"')))
    before = signal.getsignal(sig)

    class SignalAfterFirst(RecordingSink):
        async def deliver(self, report: CycleReport) -> None:
            await super().deliver(report)
            os.kill(os.getpid(), sig)

    sink = SignalAfterFirst(store)
    last = await asyncio.wait_for(pipeline(cfg, store, interval_override=0.1).run([sink]), 10)
    assert last is not None
    assert [i.id for i in store.items()] == ["w1"]
    assert signal.getsignal(sig) == before  # the previous handler is back


async def test_snapshot_for_first_paint(server: FeedServer, store: Store) -> None:
    cfg = settings(("wire", server.feed("/wire", rss(WIRE))))
    pipe = pipeline(cfg, store, now=lambda: datetime.now(UTC))
    await pipe.run([], once=True)
    snap = pipe.snapshot()
    assert [i.id for i in snap.items] == ["w1"]
    assert [i.id for i in snap.incidents] == ["inc-wire\x1fw1"]
    assert snap.feeds["wire"].last_status == 200 and snap.failed_feeds == ()


async def test_run_with_no_feeds_waits_for_stop(store: Store) -> None:
    stop = asyncio.Event()
    run = asyncio.create_task(pipeline(settings(), store).run([], stop=stop))
    await asyncio.sleep(0.3)
    assert not run.done()
    stop.set()
    assert await asyncio.wait_for(run, 5) is None


class WatchingPicture(OneIncidentPerEvent):
    """Notes, when the picture is applied, whether the parser pool is still up and the cyclic
    garbage collector on."""

    def __init__(self, pool: ParserPool) -> None:
        super().__init__()
        self.pool = pool
        self.seen: list[tuple[bool, bool]] = []

    def apply(self, events: Sequence[Event], *, now: datetime) -> Change:
        self.seen.append((self.pool.running, gc.isenabled()))
        return super().apply(events, now=now)


async def test_a_once_run_lets_the_parser_processes_go_before_the_picture(
    server: FeedServer, store: Store
) -> None:
    body = rss(*((f"g{n}", f"Clash number {n} reported", "x" * 400) for n in range(60)))
    assert len(body) > 16 * 1024  # too big for a thread: parsed in a process
    cfg = settings(("big", server.feed("/big", body)))
    pool = ParserPool(workers=1)
    picture = WatchingPicture(pool)
    poller = Poller(cfg, states=store.feed_states(), parser=pool)
    run = Pipeline(cfg, store, engine=CLASH_RULES, picture=picture, poller=poller, handle_signals=False)
    assert gc.isenabled()
    report = await run.run([], once=True)
    assert report is not None and len(report.items) == 60 and pool.started == 1
    assert picture.seen == [(False, False)]  # released, and no collection while the cycle ran
    assert gc.isenabled()  # collection resumed after the cycle
    assert not pool.running and not pool._closing  # aclose waited for the processes to exit


async def test_a_released_pool_exits_and_a_later_body_starts_another(store: Store) -> None:
    pool = ParserPool(workers=1, small=0)
    body = rss(("g1", "One", "text"))
    try:
        assert (await pool.parse(body, feed="f", fetched_at=NOW, max_items=10, content_type=None)).ok
        processes = list(getattr(pool._pool, "_processes", {}).values())
        assert pool.running and len(processes) == 1
        pool.release()
        assert not pool.running
        await asyncio.gather(*pool._closing)
        assert not any(p.is_alive() for p in processes)
        again = await pool.parse(body, feed="f", fetched_at=NOW, max_items=10, content_type=None)
        assert again.ok and pool.started == 2
        assert pool._generation == pool._ready == 1  # a new generation, whose workers were waited for
    finally:
        await pool.aclose()
