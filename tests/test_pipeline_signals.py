"""A real process running the pipeline ends cleanly on SIGTERM or SIGINT, with its store flushed."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
from pathlib import Path

import pytest
from feedserver import FeedServer

from monitor.store import Store

RUNNER = textwrap.dedent(
    """
    import asyncio, sys
    from dataclasses import dataclass
    from pathlib import Path
    from monitor.config import FeedConfig, Limits, Settings
    from monitor.pipeline import Pipeline
    from monitor.store import Store

    @dataclass(frozen=True)
    class Change:
        incidents: tuple = (); forces: tuple = (); zones: tuple = (); alerts: tuple = ()

    class Picture:
        def apply(self, events, *, now): return Change()
        def incidents(self): return []
        def forces(self): return []
        def zones(self): return []

    class Rules:
        def classify(self, item): return []

    class Announce:
        name = ""; durable = False
        async def deliver(self, report):
            print("cycle", len(report.items), flush=True)

    feeds = (FeedConfig(name="wire", url=sys.argv[2], interval=60),)
    settings = Settings(feeds=feeds, limits=Limits(timeout_s=5))
    with Store.open(Path(sys.argv[1])) as store:
        pipe = Pipeline(
            settings, store, engine=Rules(), picture=Picture(), interval_override=0.2, gather_s=0.05
        )
        asyncio.run(pipe.run([Announce()]))
    print("closed", flush=True)
    """
)

RSS = (
    b'<rss version="2.0"><channel><title>T</title>'
    b"<item><title>Truce holds in the south</title><guid>w1</guid></item></channel></rss>"
)


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_signal_ends_a_running_pipeline_and_flushes_the_store(
    server: FeedServer, tmp_path: Path, sig: signal.Signals
) -> None:
    url = server.feed("/wire", RSS, etag='"1"')
    data = tmp_path / "data"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        RUNNER,
        str(data),
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    try:
        first = await asyncio.wait_for(proc.stdout.readline(), 30)
        assert first == b"cycle 1\n"
        while len(server.hits("/wire")) < 2:  # keeps polling (304s) until told to stop
            await asyncio.sleep(0.05)
        proc.send_signal(sig)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, err.decode()
    assert out.decode().splitlines()[-1] == "closed"
    assert b"Traceback" not in err
    with Store.open(data, warn=lambda _m: None) as store:  # the lock was released
        assert [i.id for i in store.items()] == ["w1"]
        state = store.feed_states()["wire"]
        assert state.etag == '"1"' and state.polls >= 2
