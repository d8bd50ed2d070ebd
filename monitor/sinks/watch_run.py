"""``situation-room watch``: the pipeline with no UI, alerts to stdout (and an optional exec hook).

Start-up order: settings and rules (a bad file is exit 2) → store (locked is exit 3) → write what
the last run left pending → poll cycles until stopped (``--once``: one cycle). SIGTERM and SIGINT end
the run after the alert being written; the reader of stdout going away ends it quietly.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.config import Settings, load_settings
from monitor.diagnostics import Warn
from monitor.errors import ExitCode
from monitor.models import FeedState, utcnow
from monitor.sinks.alert_filter import PASS_ALL, AlertFilter
from monitor.sinks.durable import DurableAlertSink, warn_stderr
from monitor.sinks.output import LineOutput
from monitor.sinks.watch import OutputFormat, WatchSink

if TYPE_CHECKING:
    from monitor.ingest.demo import DemoServer
    from monitor.ingest.poller import ParserPool
    from monitor.models import Event, ForceEntry, Incident, Item, ZoneEntry
    from monitor.picture import Picture
    from monitor.pipeline import Change, CycleReport
    from monitor.rules import RuleEngine
    from monitor.sinks.notify import NotifyTarget
    from monitor.store import Store

DEFAULT_SINCE = timedelta(hours=24)
SUMMARY_EVERY_S = 600.0
"""While feeds keep failing, a follow run says so on stderr this often (and no more often)."""
READER_CHECK_S = 0.5
"""How often, between alerts, to check that the reader of a piped stdout is still there."""


@dataclass(frozen=True)
class WatchOptions:
    """Everything ``situation-room watch`` was asked to do."""

    config: Path
    data_dir: Path | None
    """None only with ``demo``: a temporary store for the run."""
    fmt: OutputFormat = "jsonl"
    once: bool = False
    interval: float | None = None
    demo: bool = False
    demo_speed: float = 1.0
    since: timedelta = DEFAULT_SINCE
    catchup: bool = False
    alert_filter: AlertFilter = PASS_ALL
    exec_argv: tuple[str, ...] = ()
    exec_timeout_s: float = 30.0
    """Kill an exec hook's command after this long (``monitor.sinks.exec_hook.DEFAULT_TIMEOUT_S``)."""
    notify_urls: tuple[str, ...] = ()
    """``--notify`` Apprise URLs (the ``notify:`` targets of feeds.yaml are added to them)."""
    fail_on_feed_errors: bool = False


class FeedHealthReport:
    """A non-durable sink telling stderr when a feed starts failing and when it recovers.

    A feed still waiting out the backoff of an earlier run's failures is not polled, but it is
    failing all the same: a cron job of ``--once`` runs is told so, and ``failing`` names it.
    """

    name = ""
    durable = False

    def __init__(self, warn: Warn = warn_stderr, *, known: Mapping[str, FeedState] | None = None) -> None:
        self._warn = warn
        self._failing: set[str] = set()
        self._notes: dict[str, tuple[str, ...]] = {n: s.parse_notes for n, s in (known or {}).items()}
        """Parse notes already reported (or stored by an earlier run): each change is told once."""

    @property
    def failing(self) -> frozenset[str]:
        """Feeds that failed in a cycle, or are held back by their earlier failures, and not recovered."""
        return frozenset(self._failing)

    async def deliver(self, report: CycleReport) -> None:
        failed, feeds = report.failed_feeds, report.feeds
        for name in failed:
            if name not in self._failing:
                state = feeds.get(name)
                why = state.last_error if state is not None and state.last_error else "failed"
                self._warn(f"feed {name}: {why}")
        held_back = [
            name
            for name, state in feeds.items()
            if state.consecutive_failures and name not in failed and name not in self._failing
        ]
        for name in held_back:
            state = feeds[name]
            why = state.last_error or "failed"
            wait = f", next try {state.next_poll:%Y-%m-%d %H:%M} UTC" if state.next_poll else ""
            self._warn(f"feed {name}: still failing ({state.consecutive_failures}x{wait}): {why}")
        for name in sorted(self._failing - set(failed)):
            state = feeds.get(name)
            if state is not None and state.consecutive_failures == 0:
                self._warn(f"feed {name}: recovered")
                self._failing.discard(name)
        self._failing |= set(failed) | set(held_back)
        for name, state in feeds.items():
            if state.parse_notes != self._notes.get(name, ()):
                self._notes[name] = state.parse_notes
                if state.parse_notes:
                    self._warn(f"feed {name}: parse notes: " + "; ".join(state.parse_notes))

    async def keep_reporting(
        self,
        states: Callable[[], dict[str, FeedState]],
        stop: asyncio.Event,
        *,
        every_s: float = SUMMARY_EVERY_S,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        """Until ``stop``: every ``every_s``, while some feed is failing, one summary line on stderr.

        Driven by the clock, not by poll cycles: when every feed waits out a backoff no cycle runs,
        and that silence is exactly what a service's log must not show.
        """
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=every_s)
            except TimeoutError:
                line = failing_summary(states(), now())
                if line:
                    self._warn(line)


def failing_summary(states: dict[str, FeedState], now: datetime) -> str | None:
    """One line naming the feeds failing now (with their next try), or None when none is."""
    failing = sorted((n, s) for n, s in states.items() if s.consecutive_failures and not s.gone)
    if not failing:
        return None
    parts = []
    for name, state in failing[:5]:
        wait = ""
        if state.next_poll is not None and state.next_poll > now:
            wait = f", next try {state.next_poll:%H:%M} UTC"
        parts.append(f"{name} ({state.consecutive_failures}x{wait}: {state.last_error or 'failed'})")
    more = f"; and {len(failing) - 5} more" if len(failing) > 5 else ""
    return f"{len(failing)} of {len(states)} feed(s) failing: {'; '.join(parts)}{more}"


def start_line(
    settings: Settings, states: dict[str, FeedState], options: WatchOptions, data_dir: Path
) -> str:
    """What a follow run says once at start: how many feeds, how often, where, and what already fails."""
    enabled = settings.enabled_feeds()
    disabled = len(settings.feeds) - len(enabled)
    how = f"every {options.interval:g} s" if options.interval is not None else "each on its interval"
    where = "a temporary store" if options.demo and options.data_dir is None else str(data_dir)
    line = f"polling {len(enabled)} feed(s) {how}"
    if disabled:
        line += f" ({disabled} disabled)"
    line += f" into {where}"
    names = {f.name for f in enabled}
    failing = [n for n, s in states.items() if n in names and s.consecutive_failures]
    if failing:
        line += f"; {len(failing)} still failing from earlier runs"
    return line


def _all_failed(settings: Settings, failing: frozenset[str]) -> bool:
    """Whether every enabled feed failed in the cycle or is held back by earlier failures."""
    names = {f.name for f in settings.enabled_feeds()}
    return bool(names) and names <= failing


def run_watch(options: WatchOptions) -> int:
    """Run the watch command; returns the process exit code."""
    return asyncio.run(_run(options))


async def _run(options: WatchOptions) -> int:
    if not options.demo:
        if options.data_dir is None:
            raise ValueError("a data directory is needed outside the demo")
        return await _watch(options, load_settings(options.config), options.data_dir)
    from monitor.ingest.demo import DemoServer

    # Stepped: one cycle per release of the scenario, so every run tells the same story.
    async with DemoServer(speed=options.demo_speed, stepped=True) as server:
        options = replace(options, interval=options.interval or server.poll_interval)
        settings = server.settings()
        # The scenario tells hours of news in 150 s of story time, so the update limit's gap shrinks
        # with it (the same at every --speed: the story's clock is what the limit sees).
        gap = max(1, round(settings.update_gap_s / DEMO_GAP_DIVISOR))
        settings = settings.model_copy(update={"update_gap_s": gap})
        if options.data_dir is not None:
            return await _watch(options, settings, options.data_dir, demo=server)
        # A fresh store each time: the demo's news never mixes with the user's own.
        with tempfile.TemporaryDirectory(prefix="situation-room-demo-") as tmp:
            return await _watch(options, settings, Path(tmp), demo=server)


class RulesOnDemand:
    """The rules engine, loaded when the first item is classified: a cycle in which every feed
    answers 304 never needs it (about 0.1 s of a cron run's start-up). User rule files are loaded
    at start instead (``load``), so that a mistake in one is reported before anything is polled."""

    def __init__(self, extra: list[Path], *, statistical: bool = True) -> None:
        self._extra = extra
        self._statistical = statistical
        self._engine: RuleEngine | None = None

    def load(self) -> RuleEngine:
        if self._engine is None:
            from monitor.rules import RuleEngine

            # RulesError lists every problem
            self._engine = RuleEngine.load(self._extra, statistical=self._statistical)
        return self._engine

    @property
    def user_rules(self) -> tuple[tuple[str, str], ...] | None:
        """(name, text) of each user rules file as loaded, for a parser process to classify the same
        way (see ``Pipeline``): none before the engine is loaded when there are no user files,
        unknown (None) while there are files not yet read."""
        if self._engine is not None:
            return self._engine.user_rules
        if self._extra:
            return None
        from monitor.rules.loader import RULES_ONLY

        return () if self._statistical else (RULES_ONLY,)

    def classify(self, item: Item) -> list[Event]:
        return self.load().classify(item)


class PictureOnDemand:
    """The picture, restored from the store when a cycle first brings events, or when the store
    holds an update alert the limit delayed (``apply`` releases it once due, events or not).

    A cycle in which every feed answers 304 (or nothing new arrived) and nothing is held leaves the
    picture as it is, so it is not read: no incidents loaded, no picture modules imported (about
    15 ms of a cron run of 50 feeds, more with a long history)."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self._settings = settings
        self._store = store
        self._picture: Picture | None = None

    @property
    def restored(self) -> bool:
        return self._picture is not None

    def load(self, at: datetime | None = None) -> Picture:
        """The picture, restored as of ``at`` (default: now) if it was not yet: restored by the
        cycle that applies to it, as of that cycle's time, since a held update is due when the
        limit's gap has passed at the time it is applied."""
        if self._picture is None:
            from monitor.picture import Picture

            self._picture = Picture.restore(self._settings, self._store, at=at)
        return self._picture

    def apply(self, events: Sequence[Event], *, now: datetime) -> Change:
        if self._picture is None and not events and not self._store.held_updates():
            from monitor.pipeline import NoChange

            return NoChange()
        return self.load(now).apply(events, now=now)

    def incidents(self) -> list[Incident]:
        return self.load().incidents()

    def forces(self) -> list[ForceEntry]:
        return self.load().forces()

    def zones(self) -> list[ZoneEntry]:
        return self.load().zones()


DEMO_GAP_DIVISOR = 20
"""The demo's update gap is feeds.yaml's divided by this (600 s -> 30 s of story time)."""


async def _watch(
    options: WatchOptions,
    settings: Settings,
    data_dir: Path,
    *,
    demo: DemoServer | None = None,
) -> int:
    """Run on ``settings`` with the store in ``data_dir``; ``demo``: the stepped demo server, whose
    releases drive the cycles (and whose story time is the pipeline's clock) until the last one."""
    if sys.stdout is None:
        warn_stderr("stdout is closed; nowhere to write alerts")
        return ExitCode.USAGE
    from monitor.store import Store

    engine = RulesOnDemand([settings.resolve(p) for p in settings.rules], statistical=settings.statistical)
    if settings.rules:
        engine.load()  # a user's rules file with a mistake is refused now, before anything runs
    notifiers: list[tuple[NotifyTarget, tuple[Any, str]]] = []
    if options.notify_urls or settings.notify:
        from monitor.sinks.notify import NotifySetupError, NotifySink, build_targets

        try:
            targets = build_targets(options.notify_urls, settings.notify)
            # Each target checked (Apprise installed, URL known) before the store is touched.
            notifiers = [(t, NotifySink.prepare(t)) for t in targets]
        except NotifySetupError as exc:
            warn_stderr(f"error: {exc}")
            return ExitCode.USAGE
    if not settings.enabled_feeds():
        # Not an error (an empty list is valid), but a run that can never alert should say so.
        warn_stderr(f"no enabled feeds in {settings.source}: nothing to poll")
    store = Store.open(data_dir, retention_days=settings.retention_days)
    # started before the imports below when this run will surely parse (many feeds never read)
    parser = _parser_for(settings, store.feed_states(), engine)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        from monitor.pipeline import Pipeline

        first_run = not store.feed_states()  # an empty store: no feed was ever polled into it
        alert_filter = options.alert_filter
        if first_run and not options.catchup and not options.demo:  # the demo shows its whole story
            alert_filter = replace(alert_filter, not_before=utcnow() - options.since)
        output = LineOutput(sys.stdout.buffer)
        watch = WatchSink(
            store,
            output,
            fmt=options.fmt,
            encoding=sys.stdout.encoding or "utf-8",
            alert_filter=alert_filter,
            catchup=options.catchup,
            stop=stop,
        )
        sinks: list[DurableAlertSink] = [watch]
        if options.exec_argv:
            from monitor.sinks.exec_hook import ExecSink

            sinks.append(
                ExecSink(
                    store,
                    options.exec_argv,
                    timeout_s=options.exec_timeout_s,
                    alert_filter=alert_filter,
                    catchup=options.catchup,
                    stop=stop,
                )
            )
        for target, prepared in notifiers:
            from monitor.sinks.notify import NotifySink

            sinks.append(
                NotifySink(
                    store,
                    target,
                    prepared=prepared,
                    alert_filter=alert_filter,
                    catchup=options.catchup,
                    stop=stop,
                )
            )
        # What the last run committed but did not get out, before anything new.
        for sink in sinks:
            await sink.emit_pending()
        health = FeedHealthReport(known=store.feed_states())
        report = None
        if not options.once:
            warn_stderr(start_line(settings, store.feed_states(), options, data_dir))
        if not watch.closed and not stop.is_set():
            picture: Picture | PictureOnDemand = PictureOnDemand(settings, store)
            if demo is not None:  # the replay asks whether an update is held after every release
                from monitor.picture import Picture

                picture = restored = Picture.restore(settings, store)
            pipeline = Pipeline(
                settings,
                store,
                engine=engine,
                picture=picture,
                interval_override=options.interval,
                parser=parser,
                gather_s=_gather_s(options.interval),
                now=demo.story_now if demo is not None else utcnow,
            )
            helpers = [asyncio.create_task(_until_reader_gone(output, watch, stop))]
            if not options.once:
                helpers.append(
                    asyncio.create_task(health.keep_reporting(lambda: pipeline.poller.states, stop))
                )
            try:
                if demo is not None:
                    from monitor.demo_replay import replay

                    report = await replay(
                        pipeline,
                        demo,
                        [*sinks, health],
                        stop=stop,
                        once=options.once,
                        holding=lambda: restored.holding,
                    )
                else:
                    report = await pipeline.run([*sinks, health], once=options.once, stop=stop)
            finally:
                for helper in helpers:
                    helper.cancel()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        await parser.aclose()  # the pipeline closed it if it ran; started early, it may not have
        store.close()
    if watch.closed:
        _discard_stdout()
        return ExitCode.FAILED if watch.failure else ExitCode.OK
    if options.once and report is not None and health.failing:
        if _all_failed(settings, health.failing):
            warn_stderr(f"every enabled feed failed ({len(health.failing)}); no news was read")
            return ExitCode.FAILED
        if options.fail_on_feed_errors:
            return ExitCode.FAILED
    return ExitCode.OK


EARLY_POOL_FEEDS = 8
"""Fewest enabled feeds never parsed before (a first run, or feeds just added) for the parser
processes to start at once, before the imports and the first fetch; fewer start on a first body
too big for a thread, as any run's do (a run of 304s starts none)."""


ONE_WORKER_BELOW = 16
"""Fewer enabled feeds than this get one parser process, not two: a cycle then brings at most 15
bodies, which one worker gets through as soon as two do (10 feeds of 50 items, cold: 0.52 s
either way) for 0.25 s less CPU and 45 MB less; at 20 feeds two are 0.04 s quicker, at 50 0.17 s."""


def _parser_for(
    settings: Settings, states: Mapping[str, FeedState], engine: RulesOnDemand | None = None
) -> ParserPool:
    """The run's parser pool, sized by how many feeds there are, and already starting when many
    have never been parsed; with ``engine``, its workers build the engine's rules as they start
    (as the pipeline asks them to)."""
    from monitor.ingest.poller import ParserPool

    pool = ParserPool(workers=1 if len(settings.enabled_feeds()) < ONE_WORKER_BELOW else None)
    if engine is not None:
        pool.rules = lambda: engine.user_rules
    unparsed = 0
    for feed in settings.enabled_feeds():
        state = states.get(feed.name)
        unparsed += state is None or state.body_hash is None
    if unparsed >= EARLY_POOL_FEEDS:
        pool.start()
    return pool


def _gather_s(interval: float | None) -> float:
    """How long a cycle waits for other feeds' polls to share its commit: the pipeline's usual wait,
    but at most a tenth of a short ``--interval``, so an alert is out well within one interval."""
    from monitor.pipeline import GATHER_S

    return GATHER_S if interval is None else min(GATHER_S, interval / 10)


async def _until_reader_gone(output: LineOutput, watch: WatchSink, stop: asyncio.Event) -> None:
    """Between alerts, notice that the reader of our pipe left (``| head -1``) and end the run."""
    while not stop.is_set():
        if output.reader_gone():
            watch.closed = True
            stop.set()
            return
        await asyncio.sleep(READER_CHECK_S)


def _discard_stdout() -> None:
    """The reader left: send what is still buffered to /dev/null so exit does not complain."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)
