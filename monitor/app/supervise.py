"""The app's pipeline, kept running across what the person asks for: ``r`` polls every feed now,
and a changed feeds.yaml or rules file is reloaded (a broken one is reported with file and line,
and the settings in force stay).

Runs on the pipeline worker's own thread and loop. Each change stops the running pipeline (which
commits what it fetched), then starts a new one on the new settings, so the core's Pipeline and
Poller are used as they are.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.app.heap import bulk_load
from monitor.config import Settings, load_settings
from monitor.errors import ConfigError

if TYPE_CHECKING:
    from monitor.app.sink import AppSink
    from monitor.picture import Picture
    from monitor.rules import RuleEngine
    from monitor.store import Store

WATCH_EVERY_S = 1.0
"""How often the config files' modification times are compared (a stat per file)."""


@dataclass(frozen=True)
class Loaded:
    settings: Settings
    engine: RuleEngine


def watched_files(settings: Settings) -> list[Path]:
    """feeds.yaml and every rules file it names."""
    return [Path(settings.source), *(settings.resolve(p) for p in settings.rules)]


def signature(files: Sequence[Path]) -> tuple[tuple[int, int] | None, ...]:
    """(mtime in ns, size) of each file, None for one that is missing: any edit changes it."""
    out: list[tuple[int, int] | None] = []
    for f in files:
        try:
            st = f.stat()
        except OSError:
            out.append(None)
        else:
            out.append((st.st_mtime_ns, st.st_size))
    return tuple(out)


def load(path: Path) -> Loaded:
    """Settings and rules from ``path``; ConfigError (rules errors included) lists every problem."""
    from monitor.rules import RuleEngine

    settings = load_settings(path)
    return Loaded(
        settings,
        RuleEngine.load([settings.resolve(p) for p in settings.rules], statistical=settings.statistical),
    )


def restore_picture(settings: Settings, store: Store) -> Picture:
    """The picture as the store left it (on the pipeline's thread), kept out of the collector's way
    (``heap.bulk_load``): restoring 100,000 incidents otherwise set off full collections that held
    the interpreter, and so the screen, for up to a second and a half each."""
    from monitor.picture import Picture

    with bulk_load():
        return Picture.restore(settings, store)


def describe(settings: Settings) -> str:
    enabled = len(settings.enabled_feeds())
    rules = f", {len(settings.rules)} rules file(s)" if settings.rules else ""
    return f"{settings.source}: {enabled} enabled feed(s){rules}"


async def supervise(
    store: Store,
    first: Loaded,
    sink: AppSink,
    stop: asyncio.Event,
    *,
    config: Path | None,
    interval: float | None = None,
) -> None:
    """Run the pipeline until ``stop``; restart it to poll now (a request) or on a changed config.

    ``config`` None (the demo) watches no file.
    """
    from monitor.app.launch import run_pipeline

    current = first
    picture = restore_picture(current.settings, store)
    files = watched_files(current.settings) if config is not None else []
    seen = signature(files)
    poll_first = rebuild = False
    while not stop.is_set():
        if rebuild:  # the old pipeline has committed: the picture is rebuilt on the new settings
            picture, rebuild = restore_picture(current.settings, store), False
        inner = asyncio.Event()
        pipeline = asyncio.create_task(
            run_pipeline(store, current, picture, sink, inner, interval=interval, once=poll_first),
            name="pipeline",
        )
        poll_first = False
        request = asyncio.create_task(sink.requests.get())
        stopping = asyncio.create_task(stop.wait())
        try:
            while True:
                done, _ = await asyncio.wait(
                    {pipeline, request, stopping}, timeout=WATCH_EVERY_S, return_when=asyncio.FIRST_COMPLETED
                )
                if stopping in done:
                    break
                if request in done:
                    poll_first = True
                    break
                if pipeline in done:  # a poll-now cycle ended (or a crash: the worker's error, shown)
                    pipeline.result()
                    break
                now_seen = signature(files)
                if now_seen != seen and config is not None:
                    seen = now_seen
                    try:
                        current = load(config)
                    except ConfigError as exc:
                        sink.reloaded(str(config), "", str(exc))
                        continue
                    files = watched_files(current.settings)
                    seen = signature(files)
                    sink.reloaded(str(config), describe(current.settings))
                    rebuild = True
                    break
        finally:
            inner.set()  # the pipeline commits what it fetched, then returns
            for task in (request, stopping):
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pipeline
