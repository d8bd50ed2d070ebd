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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.config import Settings, load_settings
from monitor.diagnostics import Warn
from monitor.errors import ExitCode
from monitor.models import FeedState, utcnow
from monitor.sinks.alert_filter import PASS_ALL, AlertFilter
from monitor.sinks.durable import DurableAlertSink, warn_stderr
from monitor.sinks.exec_hook import DEFAULT_TIMEOUT_S, ExecSink
from monitor.sinks.output import LineOutput
from monitor.sinks.watch import OutputFormat, WatchSink

if TYPE_CHECKING:
    from monitor.pipeline import CycleReport

DEFAULT_SINCE = timedelta(hours=24)
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
    exec_timeout_s: float = DEFAULT_TIMEOUT_S
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


def run_watch(options: WatchOptions) -> int:
    """Run the watch command; returns the process exit code."""
    return asyncio.run(_run(options))


async def _run(options: WatchOptions) -> int:
    if not options.demo:
        if options.data_dir is None:
            raise ValueError("a data directory is needed outside the demo")
        return await _watch(options, load_settings(options.config), options.data_dir)
    from monitor.ingest.demo import DemoServer

    async with DemoServer(speed=options.demo_speed) as server:
        options = replace(options, interval=options.interval or server.poll_interval)
        if options.data_dir is not None:
            return await _watch(options, server.settings(), options.data_dir, finished=server.finished)
        # A fresh store each time: the demo's news never mixes with the user's own.
        with tempfile.TemporaryDirectory(prefix="situation-room-demo-") as tmp:
            return await _watch(options, server.settings(), Path(tmp), finished=server.finished)


async def _watch(
    options: WatchOptions,
    settings: Settings,
    data_dir: Path,
    *,
    finished: Callable[[], bool] | None = None,
) -> int:
    """Run on ``settings`` with the store in ``data_dir``; ``finished``: the demo's end, after
    which a follow run stops once the last releases had time to come through."""
    if sys.stdout is None:
        warn_stderr("stdout is closed; nowhere to write alerts")
        return ExitCode.USAGE
    from monitor.picture import Picture
    from monitor.pipeline import Pipeline
    from monitor.rules import RuleEngine
    from monitor.store import Store

    engine = RuleEngine.load([settings.resolve(p) for p in settings.rules])
    if not settings.enabled_feeds():
        # Not an error (an empty list is valid), but a run that can never alert should say so.
        warn_stderr(f"no enabled feeds in {settings.source}: nothing to poll")
    store = Store.open(data_dir, retention_days=settings.retention_days)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
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
        # What the last run committed but did not get out, before anything new.
        for sink in sinks:
            await sink.emit_pending()
        health = FeedHealthReport(known=store.feed_states())
        report = None
        if not watch.closed and not stop.is_set():
            picture = Picture.restore(settings, store)
            pipeline = Pipeline(
                settings,
                store,
                engine=engine,
                picture=picture,
                interval_override=options.interval,
                gather_s=_gather_s(options.interval),
            )
            helpers = [asyncio.create_task(_until_reader_gone(output, watch, stop))]
            if finished is not None and options.interval is not None:
                helpers.append(asyncio.create_task(_until_finished(finished, 3 * options.interval, stop)))
            try:
                report = await pipeline.run([*sinks, health], once=options.once, stop=stop)
            finally:
                for helper in helpers:
                    helper.cancel()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        store.close()
    if watch.closed:
        _discard_stdout()
        return ExitCode.FAILED if watch.failure else ExitCode.OK
    if options.once and options.fail_on_feed_errors and report is not None and health.failing:
        return ExitCode.FAILED
    return ExitCode.OK


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


async def _until_finished(finished: Callable[[], bool], grace_s: float, stop: asyncio.Event) -> None:
    """Stop ``grace_s`` after ``finished()`` turns true (the demo's last snapshot is out)."""
    while not finished():
        await asyncio.sleep(0.2)
    await asyncio.sleep(grace_s)
    stop.set()


def _discard_stdout() -> None:
    """The reader left: send what is still buffered to /dev/null so exit does not complain."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)
