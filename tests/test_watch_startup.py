"""What ``watch`` loads at start and what it leaves until needed (issue 14: a cron run of 304s).

The rules engine is loaded at the first item to classify, unless a user rules file is configured:
then it is loaded, and a mistake in it refused, before any feed is polled. httpx's command-line
client (click, rich) is never imported, nor feedparser until a body is parsed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from watch_support import FeedServer, plain_item, run_once, write_config

from monitor.sinks.watch_run import RulesOnDemand


def test_the_rules_are_loaded_at_the_first_item_and_classify_as_the_engine_does() -> None:
    from datetime import UTC, datetime

    from monitor.models import Item
    from monitor.rules import RuleEngine

    lazy = RulesOnDemand([])
    assert lazy._engine is None
    when = datetime(2026, 11, 20, 9, tzinfo=UTC)
    item = Item(
        id="1",
        feed="wire",
        title="Israeli strike kills 4 in Khan Younis despite ceasefire",
        published=when,
        fetched_at=when,
        content_hash="h",
    )
    events = lazy.classify(item)
    assert lazy._engine is not None
    assert events == RuleEngine.load().classify(item) and events


def test_a_broken_user_rules_file_is_refused_before_any_feed_is_polled(tmp_path: Path) -> None:
    with FeedServer() as server:
        server.add(plain_item("g1", "Israeli strike kills 4 in Khan Younis despite ceasefire"))
        config = write_config(tmp_path / "feeds.yaml", server.url())
        (tmp_path / "mine.yaml").write_text(
            "rules:\n  - id: cv.mine\n    category: nonsense\n", encoding="utf-8"
        )
        config.write_text(config.read_text(encoding="utf-8") + "rules:\n  - mine.yaml\n", encoding="utf-8")
        data = tmp_path / "data"
        result = run_once(config, data)
        assert result.returncode != 0
        assert "mine.yaml" in result.stderr and "category" in result.stderr
        assert server.polls == 0
        assert result.stdout == ""


def test_a_run_with_no_new_items_imports_neither_the_rules_nor_feedparser_nor_the_http_cli(
    tmp_path: Path,
) -> None:
    # watch --once twice on one feed: the second poll finds the body unchanged. The process is
    # asked, at exit, which modules it had imported.
    with FeedServer() as server:
        server.add(plain_item("g1", "Israeli strike kills 4 in Khan Younis despite ceasefire"))
        config = write_config(tmp_path / "feeds.yaml", server.url())
        data = tmp_path / "data"
        first = run_once(config, data)
        assert first.returncode == 0, first.stderr
        assert '"kind":"new"' in first.stdout, first  # the first run did classify the item
        probe = (
            "import atexit, sys, runpy\n"
            "def loaded():\n"
            "    return ' '.join(sorted(k for k, v in sys.modules.items() if v is not None))\n"
            "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + loaded() + '\\n'))\n"
            "sys.argv = ['situation-room', *sys.argv[1:]]\n"
            "runpy.run_module('monitor', run_name='__main__')\n"
        )
        argv = [
            sys.executable,
            "-c",
            probe,
            "--config",
            str(config),
            "--data-dir",
            str(data),
            "watch",
            "--once",
        ]
        second = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False)
        assert second.returncode == 0, second.stderr
        assert server.polls == 2
        modules = set(second.stderr.rsplit("MODULES ", 1)[1].split())
        assert "monitor.pipeline" in modules  # the probe did see the run
        assert "monitor.rules.engine" not in modules
        assert "feedparser" not in modules
        assert "httpx" in modules and "httpx._main" not in modules
        assert "click" not in modules and "rich" not in modules


def test_the_parser_processes_start_at_once_only_when_many_feeds_were_never_parsed() -> None:
    import asyncio

    from monitor.config import FeedConfig, Settings
    from monitor.models import FeedState
    from monitor.sinks.watch_run import EARLY_POOL_FEEDS, _parser_for

    feeds = tuple(FeedConfig(name=f"f{n}", url=f"http://x/{n}") for n in range(EARLY_POOL_FEEDS))
    settings = Settings(feeds=feeds)
    parsed = FeedState(url="http://x/", body_hash="abc")

    async def check() -> None:
        warm = _parser_for(settings, {f.name: parsed for f in feeds})  # every feed was read before
        new = {f.name: parsed for f in feeds[1:]}  # one feed short of the threshold
        assert not warm.running and not _parser_for(settings, new).running
        cold = _parser_for(settings, {})  # a first run
        try:
            assert cold.running and cold.started == 1
            assert cold._starting is not None
            processes = list(getattr(cold._pool, "_processes", {}).values())
            assert len(processes) == cold.workers  # spawned now, before any body
            await cold._warm(cold._pool, cold._generation)  # type: ignore[arg-type]
            assert cold._starting is None  # the start-up jobs were the ones waited for
        finally:
            await cold.aclose()
        assert not any(p.is_alive() for p in processes)

    asyncio.run(check())
