"""The pipeline: polls → dedupe → classify → picture → one store commit per cycle → every sink.

Alerts are committed before any sink sees them, and a failing sink never stops the pipeline.
The rules engine and the picture are taken as protocols, so the pipeline depends on what they
do, not on their classes.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from monitor.collector import cyclic_gc_paused
from monitor.config import Settings
from monitor.diagnostics import Warn, print_to_stderr
from monitor.ingest.parse_job import ItemEvents
from monitor.ingest.poller import ParserPool, Poller, PollResult
from monitor.models import Alert, Event, FeedState, ForceEntry, Incident, Item, ZoneEntry, utcnow
from monitor.store import Batch, Store
from monitor.store.clock import estimate_offset

GATHER_S = 0.5
"""After the first poll result of a cycle, wait this long for others so they share one commit."""
POOL_CLASSIFY_MIN = 1000
"""Fewest new items in a cycle for the rules to run in the parser processes (fewer: in a thread).
A worker builds its engine once (~0.2 s); below this many items the main process is as quick."""
STOP_GRACE_S = 2.0
"""On stop, polls in flight get this long to finish before they are cancelled."""
SNAPSHOT_WINDOW = timedelta(hours=24)
"""How far back ``snapshot`` reaches for items, events and alerts."""


@dataclass(frozen=True)
class CycleReport:
    """What one cycle brought (or, from ``snapshot``, the current picture) — what sinks are given."""

    at: datetime
    items: tuple[Item, ...]
    """New and updated items of this cycle."""
    events: tuple[Event, ...]
    alerts: tuple[Alert, ...]
    """New alerts, already committed to the store."""
    incidents: tuple[Incident, ...]
    forces: tuple[ForceEntry, ...]
    zones: tuple[ZoneEntry, ...]
    feeds: dict[str, FeedState]
    failed_feeds: tuple[str, ...]
    """Feeds whose last poll in this cycle failed."""


class Sink(Protocol):
    """Where cycle reports go: the app, the headless writer, ..."""

    name: str
    """Used for pending/emitted alert bookkeeping ("" = not durable)."""
    durable: bool
    """True: alerts stay pending in the store for this sink until it marks them emitted."""

    async def deliver(self, report: CycleReport) -> None: ...


class Classifier(Protocol):
    """What the pipeline needs of the rules engine."""

    def classify(self, item: Item) -> list[Event]: ...


class Change(Protocol):
    """What one ``apply`` changed in the picture."""

    @property
    def incidents(self) -> Sequence[Incident]: ...
    @property
    def forces(self) -> Sequence[ForceEntry]: ...
    @property
    def zones(self) -> Sequence[ZoneEntry]: ...
    @property
    def alerts(self) -> Sequence[Alert]: ...


@dataclass(frozen=True)
class NoChange:
    """A ``Change`` of nothing: what applying no events to a board with nothing held returns."""

    incidents: tuple[Incident, ...] = ()
    forces: tuple[ForceEntry, ...] = ()
    zones: tuple[ZoneEntry, ...] = ()
    alerts: tuple[Alert, ...] = ()


class Board(Protocol):
    """What the pipeline needs of the picture."""

    def apply(self, events: Sequence[Event], *, now: datetime) -> Change: ...
    def incidents(self) -> list[Incident]: ...
    def forces(self) -> list[ForceEntry]: ...
    def zones(self) -> list[ZoneEntry]: ...


class Pipeline:
    """Wires the stages; sinks are passed to ``run``."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        engine: Classifier,
        picture: Board,
        interval_override: float | None = None,
        now: Callable[[], datetime] = utcnow,
        poller: Poller | None = None,
        parser: ParserPool | None = None,
        gather_s: float = GATHER_S,
        handle_signals: bool = True,
        warn: Warn = print_to_stderr,
    ) -> None:
        self.settings = settings
        self.store = store
        self.engine = engine
        self.picture = picture
        self.now = now
        self.gather_s = gather_s
        self.handle_signals = handle_signals
        self.warn = warn
        self.signals = 0
        """SIGINT/SIGTERM received while ``run`` handles signals (a cycle checks it between units)."""
        self.poller = poller or Poller(
            settings,
            states=store.feed_states(),
            parser=parser,
            interval_override=interval_override,
            now=now,
        )
        # a body parsed in a worker is classified there too, with the rules the engine runs
        self.poller.parser.rules = lambda: getattr(self.engine, "user_rules", None)

    # --- running ------------------------------------------------------------------------------

    async def run(
        self, sinks: Sequence[Sink], *, once: bool = False, stop: asyncio.Event | None = None
    ) -> CycleReport | None:
        """Poll and process until ``stop`` is set (or SIGINT/SIGTERM arrives); ``once``: one cycle.

        Returns the last cycle's report (None if no cycle ran). Everything fetched before the stop
        is committed; the store itself stays open (its owner closes it).
        """
        stop = stop or asyncio.Event()
        restore = self._handle_signals(stop) if self.handle_signals else (lambda: None)
        try:
            if once:
                # what one poll of every feed gathers lives until the cycle is over: no pause between
                with cyclic_gc_paused():
                    results = await self.poller.poll_all(stop=stop, grace_s=STOP_GRACE_S)
                    return await self._cycle_unless_stopped(results, sinks, last=True)
            return await self._run_until(stop, sinks)
        finally:
            restore()
            await self.poller.aclose()

    async def _run_until(self, stop: asyncio.Event, sinks: Sequence[Sink]) -> CycleReport | None:
        results: asyncio.Queue[PollResult] = asyncio.Queue()
        polling = asyncio.create_task(self.poller.run(results, stop), name="pollers")
        last: CycleReport | None = None
        try:
            while not stop.is_set():
                if polling.done():  # no feed left to poll (none configured, or all gone)
                    if polling.cancelled() or polling.exception() is not None:
                        break
                    await stop.wait()
                    break
                try:
                    first = await asyncio.wait_for(results.get(), timeout=0.5)
                except TimeoutError:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.gather_s)
                last = await self._cycle_unless_stopped([first, *_drain(results)], sinks) or last
        finally:
            stop.set()
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(polling, timeout=STOP_GRACE_S)
            if polling.done() and not polling.cancelled() and polling.exception() is not None:
                self.warn(f"pollers stopped: {polling.exception()}")
        left = _drain(results)
        if left:  # fetched before the stop: keep it
            last = await self._cycle_unless_stopped(left, sinks, last=True) or last
        return last

    async def _cycle_unless_stopped(
        self, results: Sequence[PollResult], sinks: Sequence[Sink], *, last: bool = False
    ) -> CycleReport | None:
        """``cycle``, or None when a signal arrived while it ran (nothing of it was committed)."""
        try:
            return await self.cycle(results, sinks, last=last)
        except _Abandoned:
            self.poller.revert([r.feed for r in results], self.store.feed_states())
            self.warn(
                f"stopped during a cycle: the {len(results)} poll(s) it held were not saved; "
                "the next run fetches those feeds again"
            )
            return None

    def _handle_signals(self, stop: asyncio.Event) -> Callable[[], None]:
        """SIGINT and SIGTERM set ``stop``; the previous handlers come back afterwards.

        The handler is a plain Python one, run between two bytecodes of the main thread: it notes
        the signal at once (``signals``), so that a cycle busy in synchronous work (dedupe, rules,
        the picture) sees it at its next check, and it wakes the event loop to set ``stop``.
        """
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        loop = asyncio.get_running_loop()
        previous: dict[signal.Signals, Any] = {}

        def on_signal(_signum: int, _frame: object) -> None:
            self.signals += 1
            with contextlib.suppress(RuntimeError):  # the loop is closing
                loop.call_soon_threadsafe(stop.set)

        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                previous[sig] = signal.signal(sig, on_signal)
            except (OSError, RuntimeError, ValueError):
                continue

        def restore() -> None:
            for sig, handler in previous.items():
                signal.signal(sig, handler if handler is not None else signal.SIG_DFL)

        return restore

    def _check_stop(self, since: int) -> None:
        """Raise ``_Abandoned`` when a signal arrived after ``since`` (a count of ``signals``)."""
        if self.signals != since:
            raise _Abandoned

    # --- one cycle ----------------------------------------------------------------------------

    async def cycle(
        self, results: Sequence[PollResult], sinks: Sequence[Sink], *, last: bool = False
    ) -> CycleReport:
        """Dedupe, classify, update the picture, commit once, then deliver to every sink.

        ``last``: no poll follows this cycle, so the parser processes are let go as soon as the
        rules are done, and exit while the picture and the commit run."""
        # a cycle's records all live until the sinks have them: collections would free nothing
        # (0.36 s of a 2 s main process on the conflict corpus, 3.2 s of 7 s on dense text)
        with cyclic_gc_paused():
            report = await self._commit_cycle(results, sinks, last=last)
            for sink in sinks:
                try:
                    await sink.deliver(report)
                except Exception as exc:  # a failing sink never stops the pipeline
                    name = sink.name or type(sink).__name__
                    self.warn(f"sink {name} failed: {type(exc).__name__}: {exc}")
        return report

    async def _commit_cycle(
        self, results: Sequence[PollResult], sinks: Sequence[Sink], *, last: bool
    ) -> CycleReport:
        """The cycle up to its commit: what the sinks are then given."""
        at = self.now()
        since = self.signals
        items, fresh, new_by_feed, sources = self._dedupe(results, since)
        events = await self._classify_all(fresh, since, results) if fresh else []
        if last:
            self.poller.parser.release()
        self._check_stop(since)
        change = self.picture.apply(events, now=at)
        # Last point where a signal abandons the cycle (the picture in memory is dropped with the
        # process); from here on the commit and the sinks run to the end.
        self._check_stop(since)
        for feed, new in new_by_feed.items():
            self.poller.note_new_items(feed, new, at)
        feeds = dict(self.poller.states)
        self.store.commit(
            Batch(
                feed_states=feeds,
                items=items,
                events=events,
                incidents=list(change.incidents),
                forces=list(change.forces),
                zones=list(change.zones),
                alerts=list(change.alerts),
                sources=sources,
                sinks=tuple(s.name for s in sinks if s.durable and s.name),
                clock_offset=estimate_offset(r.server_date for r in results),
                held_updates=dict(held) if (held := getattr(change, "held", None)) is not None else None,
            )
        )
        return CycleReport(
            at=at,
            items=tuple(items),
            events=tuple(events),
            alerts=tuple(change.alerts),
            incidents=tuple(change.incidents),
            forces=tuple(change.forces),
            zones=tuple(change.zones),
            feeds=feeds,
            failed_feeds=tuple(dict.fromkeys(r.feed for r in results if not r.ok)),
        )

    def _dedupe(
        self, results: Sequence[PollResult], since: int | None = None
    ) -> tuple[list[Item], list[Item], dict[str, list[Item]], dict[str, tuple[str, ...]]]:
        """(items to store, items to classify, new items by feed, new sources of stored items).

        A known item with the same content is skipped; a known item with new content is an update;
        a new item whose content another item already has (wire copy) adds its feed to that item's
        sources instead of becoming a second item. What a stored item needs here (its content hash,
        date and sources) comes from the store's seen ledger: no history is read per item.
        """
        out: dict[str, Item] = {}
        classify: dict[str, None] = {}
        by_hash: dict[str, str] = {}
        new_by_feed: dict[str, list[Item]] = defaultdict(list)
        sources: dict[str, tuple[str, ...]] = {}
        for result in results:
            if since is not None:
                self._check_stop(since)
            for item in result.items:
                key = item.key
                if key in out:
                    if out[key].content_hash != item.content_hash:
                        out[key] = _carry_over(item, out[key].sources, out[key].published)
                        classify[key] = None
                    continue
                known_hash = self.store.seen_hash(key)
                if known_hash is not None:
                    if known_hash != item.content_hash:
                        seen = self.store.seen(key)  # None once its history expired
                        out[key] = (
                            _carry_over(item, sources.pop(key, seen.sources), seen.published)
                            if seen is not None
                            else item
                        )
                        classify[key] = None
                    continue
                owner_key = by_hash.get(item.content_hash) or self.store.key_for_hash(item.content_hash)
                if owner_key is not None and owner_key in out:
                    owner = out[owner_key]
                    if owner.feed != item.feed and item.feed not in owner.sources:
                        out[owner_key] = owner.model_copy(update={"sources": (*owner.sources, item.feed)})
                    continue
                stored = self.store.seen(owner_key) if owner_key is not None else None
                if owner_key is not None and stored is not None:
                    had = sources.get(owner_key, stored.sources)
                    if owner_key.split("\x1f", 1)[0] != item.feed and item.feed not in had:
                        sources[owner_key] = (*had, item.feed)
                    continue
                out[key] = item
                classify[key] = None
                by_hash[item.content_hash] = key
                new_by_feed[item.feed].append(item)
        return list(out.values()), [out[k] for k in classify], dict(new_by_feed), sources

    async def _classify_all(
        self, items: Sequence[Item], since: int, results: Sequence[PollResult] = ()
    ) -> list[Event]:
        """The rules over a cycle's new items, events in item order.

        An item a parser process already classified when it parsed the body (``PollResult.events``,
        with the engine's user rules) keeps those events. The rest are classified here: in the
        parser processes when they are up and the batch is big (the two cores share it, and the
        event loop stays free), else in a thread. Either way the events are the same."""
        user_rules = getattr(self.engine, "user_rules", None)
        ready = _classified_in_parse(results, user_rules)
        known: list[ItemEvents | None] = []
        left: list[Item] = []
        for item in items:
            parsed = ready.get(item.key)
            if parsed is not None and _same_for_rules(parsed[0], item):
                known.append(parsed[1])
            else:
                known.append(None)
                left.append(item)
        classified = iter(await self._classify_each(left, since, user_rules) if left else ())
        self._check_stop(since)
        events: list[Event] = []
        for item, done in zip(items, known, strict=True):
            found, error = done if done is not None else next(classified)
            if error is not None:
                self.warn(f"rules failed on {item.feed}: {item.title[:60]!r}: {error}")
            events.extend(found)
        return events

    async def _classify_each(
        self, items: Sequence[Item], since: int, user_rules: tuple[tuple[str, str], ...] | None
    ) -> list[ItemEvents]:
        """Each item's events (or why the rules failed on it): in the pool for a big batch, else in
        a thread."""
        pool = self.poller.parser
        if user_rules is None or not pool.running or len(items) < POOL_CLASSIFY_MIN:
            return await asyncio.to_thread(self._classify, items, since)
        # about four chunks a worker, so that a slow one is not left with the tail; at least 500
        # items each, since every chunk pays its own hand-over
        size = max(500, -(-len(items) // (pool.workers * 4)))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        done = await asyncio.gather(*(pool.classify(user_rules, chunk) for chunk in chunks))
        out: list[ItemEvents] = []
        for chunk, result in zip(chunks, done, strict=True):
            self._check_stop(since)
            # None: the pool could not, classified here
            out.extend(
                result if result is not None else await asyncio.to_thread(self._classify, chunk, since)
            )
        return out

    def _classify(self, items: Sequence[Item], since: int | None = None) -> list[ItemEvents]:
        out: list[ItemEvents] = []
        for item in items:
            if since is not None and self.signals != since:
                break  # the cycle is abandoned at its next check
            try:
                out.append((self.engine.classify(item), None))
            except Exception as exc:  # one item the rules choke on must not lose the cycle
                out.append(([], f"{type(exc).__name__}: {exc}"))
        return out

    # --- first paint --------------------------------------------------------------------------

    def snapshot(self) -> CycleReport:
        """The current picture from the store and the picture, for a sink's first paint."""
        at = self.now()
        since = at - SNAPSHOT_WINDOW
        feeds = dict(self.poller.states)
        return CycleReport(
            at=at,
            items=tuple(self.store.items(since)),
            events=tuple(self.store.events(since)),
            alerts=tuple(self.store.alerts(since)),
            incidents=tuple(self.picture.incidents()),
            forces=tuple(self.picture.forces()),
            zones=tuple(self.picture.zones()),
            feeds=feeds,
            failed_feeds=tuple(name for name, state in feeds.items() if state.consecutive_failures),
        )


class _Abandoned(Exception):
    """A signal arrived while a cycle was still deduplicating, classifying or updating the picture."""


def _drain(queue: asyncio.Queue[PollResult]) -> list[PollResult]:
    out: list[PollResult] = []
    while True:
        try:
            out.append(queue.get_nowait())
        except asyncio.QueueEmpty:
            return out


def _classified_in_parse(
    results: Sequence[PollResult], user_rules: tuple[tuple[str, str], ...] | None
) -> dict[str, tuple[Item, ItemEvents]]:
    """By item key: the item as parsed and its events, for the results whose parser process ran
    the rules the engine runs now (the same user rules)."""
    out: dict[str, tuple[Item, ItemEvents]] = {}
    if user_rules is None:
        return out
    for result in results:
        if result.events is None or result.rules != user_rules:
            continue
        for item, done in zip(result.items, result.events, strict=True):
            out[item.key] = (item, done)
    return out


def _same_for_rules(parsed: Item, item: Item) -> bool:
    """Whether ``item`` (the cycle's version) has the events of ``parsed`` (what a parser process
    classified): the same record, or the same but for ``sources`` (the other feeds carrying it,
    which the rules never read: a wire copy gets no events of its own either)."""
    if item is parsed:
        return True
    if item.sources != parsed.sources:
        item = item.model_copy(update={"sources": parsed.sources})
    return item == parsed


def _carry_over(item: Item, sources: tuple[str, ...], published: datetime | None) -> Item:
    """An updated item keeps what the earlier version established: sources, and its first-seen time."""
    update: dict[str, object] = {"sources": sources}
    if item.published == item.fetched_at and published is not None:  # no usable date: first seen stands
        update["published"] = published
    return item.model_copy(update=update)
