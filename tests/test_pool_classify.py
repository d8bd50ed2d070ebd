"""The rules in the parser processes: a big cycle's new items are classified there, with the same
events, in the same order, as in the main process; user rules go with them; a pool that cannot do
it leaves the work to the main process (issue 14: the main process was the cold cycle's bottleneck).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_corpus_feedparser import EmptyPicture
from test_poller import NOW, oversized

from monitor.config import Settings
from monitor.ingest.poller import ParserPool, Poller
from monitor.models import Event, Item
from monitor.pipeline import POOL_CLASSIFY_MIN, Pipeline
from monitor.rules import RuleEngine
from monitor.rules.loader import compile_rules, default_rules_text
from monitor.sinks.watch_run import RulesOnDemand
from monitor.store import Store

REAL = Path(__file__).parent / "data" / "real" / "tune.jsonl"
USER_RULES = """\
rules:
  - id: user.naval
    category: ceasefire_violation
    severity: medium
    trigger: [gunboat]
    all: [[fired, shot]]
    examples:
      match: ["A gunboat fired on fishermen off the coast."]
      no_match: ["A gunboat was repaired in port."]
"""


def real_items(n: int) -> list[Item]:
    """``n`` items whose titles are real news sentences (the tune part of the real corpus)."""
    units = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines()]
    items = []
    for k in range(n):
        unit = units[k % len(units)]  # past the corpus's size, its sentences again under new ids
        day = unit["date"] or ""
        day += {4: "-07-01", 7: "-15"}.get(len(day), "")  # a year or a month the text fixes
        when = datetime.fromisoformat(day).replace(tzinfo=UTC) if day else NOW
        when += timedelta(hours=12)
        items.append(
            Item(
                id=f"u{k}",
                feed=f"feed-{k % 7}",
                title=unit["text"],
                published=when,
                fetched_at=when,
                content_hash=f"h{k}",
            )
        )
    return items


async def started_pool() -> ParserPool:
    pool = ParserPool(workers=2, small=0)
    result = await pool.parse(oversized(20), feed="warm", fetched_at=NOW, max_items=100, content_type=None)
    assert result.ok and pool.running
    return pool


async def test_the_pool_gives_each_item_the_events_the_engine_gives() -> None:
    items = real_items(400)
    engine = RuleEngine.load()
    expected = [engine.classify(item) for item in items]
    assert sum(map(len, expected)) > 100  # real news that the rules react to, not an empty comparison
    pool = await started_pool()
    try:
        result = await pool.classify((), items)
    finally:
        await pool.aclose()
    assert result is not None
    assert [events for events, _ in result] == expected
    assert all(error is None for _, error in result)


async def test_user_rules_go_to_the_worker_as_the_main_process_read_them() -> None:
    item = real_items(1)[0].model_copy(update={"title": "A gunboat fired on fishermen off the coast."})
    user = (("mine.yaml", USER_RULES),)
    pool = await started_pool()
    try:
        ((events, error),) = await pool.classify(user, [item]) or [([], "none")]
        ((plain, _),) = await pool.classify((), [item]) or [([], "none")]
    finally:
        await pool.aclose()
    assert error is None and [e.rule for e in events] == ["user.naval"]
    assert "user.naval" not in [e.rule for e in plain]
    local = RuleEngine(compile_rules([("default", default_rules_text()), *user]))
    assert events == local.classify(item)


async def test_a_broken_user_rules_text_makes_the_pool_say_none() -> None:
    pool = await started_pool()
    try:
        assert (
            await pool.classify((("bad.yaml", "rules: [{id: x, category: nonsense}]\n"),), real_items(3))
            is None
        )
    finally:
        await pool.aclose()


class CountingPool(ParserPool):
    """A real pool that counts the classify jobs it was given, and can refuse them all."""

    def __init__(self, *, refuse: bool = False) -> None:
        super().__init__(workers=2, small=0)
        self.jobs = 0
        self.refuse = refuse

    async def classify(
        self, user_rules: tuple[tuple[str, str], ...], items: object
    ) -> list[tuple[list[Event], str | None]] | None:  # type: ignore[override]
        self.jobs += 1
        return None if self.refuse else await super().classify(user_rules, items)  # type: ignore[arg-type]


@pytest.mark.parametrize("refuse", [False, True])
async def test_a_big_cycle_is_classified_in_the_pool_or_else_here_with_the_same_events(
    tmp_path: Path, refuse: bool
) -> None:
    items = real_items(POOL_CLASSIFY_MIN + 150)
    engine = RuleEngine.load()
    expected = [e for item in items for e in engine.classify(item)]
    pool = CountingPool(refuse=refuse)
    settings = Settings(feeds=())
    with Store.open(tmp_path / "data") as store:
        pipeline = Pipeline(
            settings,
            store,
            engine=RulesOnDemand([]),
            picture=EmptyPicture(),
            poller=Poller(settings, parser=pool),
            handle_signals=False,
        )
        try:
            assert (
                await pipeline._classify_all(items[:10], 0) == expected[: len(_events_of(engine, items[:10]))]
            )
            assert pool.jobs == 0  # no pool up, few items: in a thread
            await pool.parse(oversized(20), feed="warm", fetched_at=NOW, max_items=100, content_type=None)
            assert await pipeline._classify_all(items[:10], 0) == _events_of(engine, items[:10])
            assert pool.jobs == 0  # the pool is up, but ten items are not worth sending
            got = await pipeline._classify_all(items, 0)
        finally:
            await pool.aclose()
    assert pool.jobs >= 2  # split so that both workers share it
    assert got == expected


def test_an_engine_loaded_from_files_knows_their_text_and_one_built_from_rules_does_not(
    tmp_path: Path,
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(USER_RULES, encoding="utf-8")
    assert RuleEngine.load().user_rules == ()
    assert RuleEngine.load([mine]).user_rules == ((str(mine), USER_RULES),)
    assert RuleEngine(RuleEngine.load().rules).user_rules is None  # the pipeline classifies it in a thread


def _events_of(engine: RuleEngine, items: list[Item]) -> list[Event]:
    return [e for item in items for e in engine.classify(item)]
