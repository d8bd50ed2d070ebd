"""The demo replayed in steps: one poll cycle per release of the scenario, on the story's clock.

Polling the demo server on a timer let the machine's timing decide which snapshots a cycle saw and
which reports arrived in the same cycle, so two runs at ``--speed 20`` gave 35 to 38 alerts and could
split one incident in two. Here the server is stepped (``DemoServer(stepped=True)``): before each
cycle every snapshot due by the next release time goes live, every feed is polled once, and the
cycle runs with the story's time as its clock. Real time only paces the steps (``--speed``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.ingest.demo import DemoServer
    from monitor.pipeline import CycleReport, Pipeline, Sink


async def replay(
    pipeline: Pipeline,
    server: DemoServer,
    sinks: Sequence[Sink],
    *,
    stop: asyncio.Event,
    once: bool = False,
    holding: Callable[[], bool] = lambda: False,
) -> CycleReport | None:
    """Run one cycle per release time (``once``: only the first) until done or ``stop`` is set;
    then, while ``holding()`` (the update limit holds an update), let story time run on in steps of
    one update gap: a held update is delayed, never dropped, and a temporary store would take it."""
    start = time.monotonic()
    last: CycleReport | None = None
    releases = server.release_times()
    gap = max(pipeline.settings.update_gap_s / server.speed, 0.05)
    end = max(releases, default=0.0)
    after = (end + gap * n for n in range(1, HELD_STEPS + 1))
    try:
        for n, release in enumerate(itertools.chain(releases, after)):
            if n >= len(releases) and not holding():
                break
            if not await _wait_until(start + release, stop):
                break
            server.advance_to(release)
            last = await pipeline.cycle(await pipeline.poller.poll_all(), sinks)
            if once:
                break
    finally:
        await pipeline.poller.aclose()
    return last


async def _wait_until(at: float, stop: asyncio.Event) -> bool:
    """Sleep until monotonic time ``at``; False if ``stop`` was set meanwhile."""
    delay = at - time.monotonic()
    if delay > 0:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=delay)
    return not stop.is_set()


HELD_STEPS = 4
"""Story-time steps of one update gap each after the scenario's end; one suffices, the rest spare."""
