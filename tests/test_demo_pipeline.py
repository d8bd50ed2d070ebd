"""The demo replayed through the real pipeline (pollers, parser, rules, picture, store) over loopback."""

from __future__ import annotations

import asyncio
from pathlib import Path

import feedparser
import pytest
import yaml

from monitor.ingest.demo import DemoServer
from monitor.picture import Picture
from monitor.pipeline import Pipeline
from monitor.rules import RuleEngine
from monitor.store import Store

DEMO = Path(__file__).resolve().parents[1] / "seeds" / "demo"
SPEED = 30.0


def final_contents() -> set[tuple[str, str]]:
    scenario = yaml.safe_load((DEMO / "scenario.yaml").read_text())
    contents = set()
    for outlet in scenario["outlets"]:
        parsed = feedparser.parse((DEMO / outlet["snapshots"][-1]["file"]).read_bytes())
        contents |= {(e.title, e.summary) for e in parsed.entries}
    return contents


@pytest.mark.slow
async def test_replay_through_the_real_pipeline(tmp_path: Path) -> None:
    async with DemoServer(speed=SPEED) as server:
        settings = server.settings()
        store = Store.open(tmp_path / "data")
        try:
            pipeline = Pipeline(
                settings,
                store,
                engine=RuleEngine.load(),
                picture=Picture(settings),
                interval_override=server.poll_interval,
                handle_signals=False,
            )
            stop = asyncio.Event()
            asyncio.get_running_loop().call_later(server.duration_s + 20 * server.poll_interval, stop.set)
            await pipeline.run([], stop=stop)
            assert server.finished()
            items = store.items()
            states = store.feed_states()
        finally:
            store.close()

    # Every story arrived once; the syndicated wire copy is one item with two sources.
    assert len(items) == len(final_contents())
    syndicated = [i for i in items if i.title.startswith("U.S. to provide up to 200 troops")]
    assert len(syndicated) == 1
    assert {syndicated[0].feed, *syndicated[0].sources} == {"Meridian Wire (demo)", "Coastal Herald (demo)"}
    # The wire item corrected in place was stored as an update of the same item.
    (corrected,) = [i for i in items if i.id.endswith(":mw-0202")]
    assert "coordination centre" in corrected.summary
    # The pollers kept the etiquette: validators stored, most polls answered 304, no failures.
    assert set(states) == {f.name for f in settings.feeds}
    for name, state in states.items():
        assert state.etag and state.last_modified, name
        assert state.consecutive_failures == 0, (name, state.last_error)
        assert state.not_modified > 0, name
    assert server.responses[304] > server.responses[200]
