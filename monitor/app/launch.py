"""Starting the app: open the store (a locked one is refused before any screen appears), then run
the pipeline — on the user's feeds or on the demo scenario — as the app's worker."""

from __future__ import annotations

import asyncio
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from monitor.app.app import Runner, SituationRoom
from monitor.app.data import StoreView
from monitor.app.sink import AppSink
from monitor.app.supervise import Loaded, load, supervise
from monitor.config import Settings
from monitor.errors import ConfigError, ConfigProblem, ExitCode, StoreLockedError
from monitor.store import Store, has_store

if TYPE_CHECKING:
    from monitor.picture import Picture

WORKER_NICE = 10
"""How much lower the parser processes' CPU priority is than the app's: while a big cycle is parsed
and classified in them, a key's work gets the CPU first (measured with 100,000 stored incidents and
a 10,000-item cycle on 2 busy cores: the keys' median latency during the cycle about halved)."""
STOP_WAIT_S = 15.0
"""How long quitting waits for the pipeline to commit what it fetched before the store closes."""


@dataclass(frozen=True)
class Launch:
    """What the command line asked for."""

    config: Path
    data_dir: Path | None
    """None only with ``demo``: a temporary store for the run."""
    demo: bool = False
    speed: float = 1.0
    prefs: Path | None = None
    """Where the app remembers the theme; None: nowhere."""


def run_app(launch: Launch) -> int:
    """Run the app until the person quits. StoreLockedError (with the holder's PID) and ConfigError
    are raised before the terminal is taken over, so the command line reports them in words."""
    if not launch.demo and not launch.config.exists():
        hint = (
            "file not found; `situation-room init` writes a commented one there "
            "(or try `situation-room --demo`)"
        )
        raise ConfigError([ConfigProblem(str(launch.config), None, "", hint)])
    loaded = None if launch.demo else load(launch.config)  # a broken file or rule: ConfigError, now
    settings = loaded.settings if loaded else None
    with ExitStack() as stack:
        data_dir = launch.data_dir
        if data_dir is None:  # the demo's news never mixes with the user's own
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="situation-room-demo-")))
        retention = settings.retention_days if settings else Settings().retention_days
        attached = None
        store: StoreView
        try:
            store = stack.enter_context(Store.open(data_dir, retention_days=retention))
        except StoreLockedError:
            # Another process (a running watch) writes here: follow it, read-only, never polling.
            if launch.demo or not has_store(data_dir):
                raise
            from monitor.app.attach import Attached

            attached = Attached.open(data_dir, retention_days=retention)
            store = attached.store
        if not _has_terminal():
            print(
                "situation-room: the app draws on stderr, which is not a terminal here; "
                "for pipes, cron and scripts use `situation-room watch`",
                file=sys.stderr,
            )
            return ExitCode.USAGE
        if attached is not None:
            runner = attached.runner()
        else:
            assert isinstance(store, Store)
            runner = (
                _demo_runner(store, launch.speed)
                if loaded is None
                else _feeds_runner(store, loaded, launch.config)
            )
        app = SituationRoom(
            store,
            runner=runner,
            prefs=launch.prefs,
            bell=settings.app.bell if settings else False,
            # An attached view never polls or reloads: the watch it follows does.
            config=None if launch.demo or attached is not None else launch.config,
        )
        if attached is not None:
            app.attached = attached.label
        try:
            with _quit_on_termination(app):
                app.run()
        finally:
            app.stop_pipeline()
            app.pipeline_done.wait(STOP_WAIT_S)
    return int(app.return_code or ExitCode.OK)


@contextmanager
def _quit_on_termination(app: SituationRoom) -> Iterator[None]:
    """SIGTERM and SIGHUP quit the app as 'q' does: the terminal is given back (no alternate screen
    or mouse reporting left on) and the pipeline stops before the store closes."""

    def quit_app(signum: int, _frame: FrameType | None) -> None:
        try:
            loop = asyncio.get_running_loop()  # the handler runs on the main thread, inside the app's loop
        except RuntimeError:  # before the app runs or after it ended: leave through the usual clean-up
            raise SystemExit(128 + signum) from None
        loop.call_soon_threadsafe(app.exit)

    signals = [sig for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if sig is not None]
    previous = {sig: signal.signal(sig, quit_app) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _has_terminal() -> bool:
    """True when stderr, where Textual draws the screen, is a terminal.

    Without one (cron, a log file) the app would run for ever writing escape sequences there."""
    return sys.__stderr__ is not None and sys.__stderr__.isatty()


def _feeds_runner(store: Store, loaded: Loaded, config: Path) -> Runner:
    async def run(sink: AppSink, stop: asyncio.Event) -> None:
        await supervise(store, loaded, sink, stop, config=config)

    return run


def _demo_runner(store: Store, speed: float) -> Runner:
    async def run(sink: AppSink, stop: asyncio.Event) -> None:
        from monitor.ingest.demo import DemoServer
        from monitor.rules import RuleEngine

        async with DemoServer(speed=speed) as server:
            settings = server.settings()
            loaded = Loaded(
                settings,
                RuleEngine.load(
                    [settings.resolve(p) for p in settings.rules], statistical=settings.statistical
                ),
            )
            await supervise(store, loaded, sink, stop, config=None, interval=server.poll_interval)

    return run


async def run_pipeline(
    store: Store,
    loaded: Loaded,
    picture: Picture,
    sink: AppSink,
    stop: asyncio.Event,
    *,
    interval: float | None,
    once: bool = False,
) -> None:
    """The core's pipeline with the app as its sink; this runs on the worker's own thread and loop.

    ``once``: one cycle over every due feed (``r``), then return."""
    from monitor.ingest.poller import ParserPool
    from monitor.pipeline import Pipeline

    settings = loaded.settings
    if not settings.enabled_feeds():
        # Otherwise the header waits for a first poll that never comes, like a quiet news day.
        sink.warn(f"no enabled feeds in {settings.source}: nothing to poll (add feeds, or try --demo)")
    pipeline = Pipeline(
        settings,
        store,
        engine=loaded.engine,
        picture=picture,
        interval_override=interval,
        parser=ParserPool(nice=WORKER_NICE),
        handle_signals=False,  # signals belong to the main thread; the app stops us through ``stop``
        warn=sink.warn,
    )
    await pipeline.run([sink], stop=stop, once=once)
