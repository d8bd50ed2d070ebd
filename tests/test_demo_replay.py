"""The stepped demo replay: one cycle per release, then story time runs on while updates are held."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from monitor.demo_replay import HELD_STEPS, replay
from monitor.ingest.demo import DemoServer


@dataclass
class _Settings:
    update_gap_s: int = 30


@dataclass
class _Poller:
    polls: int = 0
    closed: bool = False

    async def poll_all(self) -> list[object]:
        self.polls += 1
        return []

    async def aclose(self) -> None:
        self.closed = True


@dataclass
class _Pipeline:
    """Records the story time of each cycle; the replay's schedule is what is under test."""

    server: DemoServer
    settings: _Settings = field(default_factory=_Settings)
    poller: _Poller = field(default_factory=_Poller)
    cycles: list[datetime] = field(default_factory=list)

    async def cycle(self, results: object, sinks: object) -> str:
        self.cycles.append(self.server.story_now())
        return f"cycle {len(self.cycles)}"


async def _run(holding_for: int) -> tuple[_Pipeline, DemoServer, object]:
    async with DemoServer(speed=100.0, stepped=True) as server:
        pipeline = _Pipeline(server)
        left = [holding_for]

        def holding() -> bool:  # the limit holds an update for this many more cycles
            left[0] -= 1
            return left[0] >= 0

        last = await replay(cast(Any, pipeline), server, [], stop=asyncio.Event(), holding=holding)
        return pipeline, server, last


async def test_nothing_held_means_one_cycle_per_release() -> None:
    pipeline, server, last = await _run(holding_for=0)
    assert len(pipeline.cycles) == len(server.release_times())
    assert last == f"cycle {len(pipeline.cycles)}"
    assert pipeline.poller.closed


async def test_held_updates_get_story_time_one_gap_at_a_time_then_the_replay_ends() -> None:
    pipeline, server, _ = await _run(holding_for=2)
    releases = len(server.release_times())
    assert len(pipeline.cycles) == releases + 2
    steps = [
        (b - a).total_seconds()
        for a, b in zip(pipeline.cycles[releases - 1 : -1], pipeline.cycles[releases:], strict=True)
    ]
    assert steps == [30.0, 30.0]  # one update gap of story time each


async def test_an_update_held_for_ever_does_not_keep_the_demo_running() -> None:
    pipeline, server, _ = await _run(holding_for=1000)
    assert len(pipeline.cycles) == len(server.release_times()) + HELD_STEPS
