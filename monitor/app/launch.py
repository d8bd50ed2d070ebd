"""Starting the app: open the store (a locked one is refused before any screen appears), then run
the pipeline — on the user's feeds or on the demo scenario — as the app's worker."""

from __future__ import annotations

import asyncio
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from monitor.app.app import Runner, SituationRoom
from monitor.app.sink import AppSink
from monitor.config import Settings, load_settings
from monitor.errors import ConfigError, ConfigProblem, ExitCode
from monitor.store import Store

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


def run_app(launch: Launch) -> int:
    """Run the app until the person quits. StoreLockedError (with the holder's PID) and ConfigError
    are raised before the terminal is taken over, so the command line reports them in words."""
    if not launch.demo and not launch.config.exists():
        hint = "file not found; write one (see `situation-room feeds check`) or try `situation-room --demo`"
        raise ConfigError([ConfigProblem(str(launch.config), None, "", hint)])
    settings = None if launch.demo else load_settings(launch.config)
    with ExitStack() as stack:
        data_dir = launch.data_dir
        if data_dir is None:  # the demo's news never mixes with the user's own
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="situation-room-demo-")))
        retention = settings.retention_days if settings else Settings().retention_days
        store = stack.enter_context(Store.open(data_dir, retention_days=retention))
        runner = _demo_runner(store, launch.speed) if settings is None else _feeds_runner(store, settings)
        app = SituationRoom(store, runner=runner)
        try:
            app.run()
        finally:
            app.stop_pipeline()
            app.pipeline_done.wait(STOP_WAIT_S)
    return int(app.return_code or ExitCode.OK)


def _feeds_runner(store: Store, settings: Settings) -> Runner:
    async def run(sink: AppSink, stop: asyncio.Event) -> None:
        await _run_pipeline(store, settings, sink, stop, interval=None)

    return run


def _demo_runner(store: Store, speed: float) -> Runner:
    async def run(sink: AppSink, stop: asyncio.Event) -> None:
        from monitor.ingest.demo import DemoServer

        async with DemoServer(speed=speed) as server:
            await _run_pipeline(store, server.settings(), sink, stop, interval=server.poll_interval)

    return run


async def _run_pipeline(
    store: Store, settings: Settings, sink: AppSink, stop: asyncio.Event, *, interval: float | None
) -> None:
    """The core's pipeline with the app as its sink; this runs on the worker's own thread and loop."""
    from monitor.picture import Picture
    from monitor.pipeline import Pipeline
    from monitor.rules import RuleEngine

    engine = RuleEngine.load([settings.resolve(p) for p in settings.rules])
    if not settings.enabled_feeds():
        # Otherwise the header waits for a first poll that never comes, like a quiet news day.
        sink.warn(f"no enabled feeds in {settings.source}: nothing to poll (add feeds, or try --demo)")
    picture = Picture.restore(settings, store)
    pipeline = Pipeline(
        settings,
        store,
        engine=engine,
        picture=picture,
        interval_override=interval,
        handle_signals=False,  # signals belong to the main thread; the app stops us through ``stop``
        warn=sink.warn,
    )
    await pipeline.run([sink], stop=stop)
