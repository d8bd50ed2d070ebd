"""The app's pipeline supervisor on real parts (local feed files, a real store, the real pipeline):
`r` polls now, a changed feeds.yaml is taken up, a broken one is reported by line and the old kept."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.app.messages import ConfigReloaded, ReportArrived
from monitor.app.sink import AppSink
from monitor.app.supervise import load, supervise
from monitor.store import Store

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{name}</title><link>http://127.0.0.1/</link><description>d</description>
<item><title>{name}: shelling reported east of Khan Younis</title><link>http://127.0.0.1/{name}</link>
<guid>{name}-1</guid></item></channel></rss>"""

ONE = "feeds:\n  - name: A\n    url: a.xml\n    interval: 600\n"
BROKEN = "feeds:\n  - name: A\n    url: a.xml\n    interval: 5\n"
pytestmark = pytest.mark.slow  # first polls are spread over a few seconds, as the poller spreads them

TWO = ONE + "  - name: B\n    url: b.xml\n    interval: 600\n"


class Target:
    def __init__(self) -> None:
        self.posted: list[object] = []

    def post_message(self, message: object) -> bool:
        self.posted.append(message)
        return True

    def reports(self) -> list[ReportArrived]:
        return [m for m in self.posted if isinstance(m, ReportArrived)]

    def reloads(self) -> list[ConfigReloaded]:
        return [m for m in self.posted if isinstance(m, ConfigReloaded)]


async def until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        await asyncio.sleep(0.05)


async def test_poll_now_reload_and_a_broken_edit(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.xml").write_text(RSS.format(name=name.upper()), encoding="utf-8")
    config = tmp_path / "feeds.yaml"
    config.write_text(ONE, encoding="utf-8")
    target = Target()
    stop = asyncio.Event()
    with Store.open(tmp_path / "data", warn=lambda _m: None) as store:
        sink = AppSink(target)  # type: ignore[arg-type]
        task = asyncio.create_task(supervise(store, load(config), sink, stop, config=config))
        try:
            await until(lambda: any("A" in r.report.feeds for r in target.reports()), 15, "the first poll")
            polls = len(target.reports())
            sink.requests.put_nowait("poll")  # A's interval is 10 minutes: only "poll now" polls it again
            await until(lambda: len(target.reports()) > polls, 10, "the poll asked for")

            config.write_text(BROKEN, encoding="utf-8")
            await until(lambda: any(r.problems for r in target.reloads()), 10, "the broken edit reported")
            problem = next(r.problems for r in target.reloads() if r.problems)
            assert f"{config}:4: feeds[0].interval" in problem

            config.write_text(TWO, encoding="utf-8")
            await until(lambda: any(not r.problems for r in target.reloads()), 10, "the reload")
            ok = next(r for r in target.reloads() if not r.problems)
            assert "2 enabled feed(s)" in ok.summary
            await until(
                lambda: any("B" in r.report.feeds for r in target.reports()), 15, "the new feed polled"
            )
        finally:
            stop.set()
            await asyncio.wait_for(task, 20)
        assert {"A", "B"} <= set(store.feed_states())
