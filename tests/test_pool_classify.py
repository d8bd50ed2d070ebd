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
from test_poller import NOW, oversized, rss

from monitor.config import Settings
from monitor.ingest.parse_job import parse_within
from monitor.ingest.poller import ParserPool, Poller, PollResult
from monitor.models import Event, FeedState, Item
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


def real_body(n: int) -> bytes:
    """An RSS body of ``n`` real news sentences (the tune corpus), escaped for XML."""
    from xml.sax.saxutils import escape

    return rss(*((f"r{k}", escape(item.title)) for k, item in enumerate(real_items(n))))


async def test_a_body_parsed_in_a_worker_comes_back_with_each_items_events() -> None:
    engine = RuleEngine.load()
    pool = ParserPool(workers=2, small=0)
    pool.rules = lambda: ()
    try:
        result = await pool.parse(real_body(60), feed="f", fetched_at=NOW, max_items=100, content_type=None)
        pool.rules = None
        bare = await pool.parse(real_body(5), feed="f", fetched_at=NOW, max_items=100, content_type=None)
    finally:
        await pool.aclose()
    assert result.ok and len(result.items) == 60 and result.rules == ()
    expected = [(engine.classify(item), None) for item in result.items]
    assert sum(len(events) for events, _ in expected) > 10  # the rules react to these sentences
    assert list(result.events or ()) == expected
    assert bare.ok and bare.events is None and bare.rules is None  # asked for no rules: none run


def test_rules_that_cannot_be_built_leave_the_parse_and_no_events() -> None:
    broken = (("bad.yaml", "rules: [{id: x, category: nonsense}]\n"),)
    result = parse_within(5.0, real_body(3), rules=broken, feed="f", fetched_at=NOW, max_items=10)
    assert result.ok and len(result.items) == 3
    assert result.events is None and result.rules is None


class CountingRules(RulesOnDemand):
    """The watch command's engine, counting the items the main process classifies itself."""

    def __init__(self) -> None:
        super().__init__([])
        self.calls = 0

    def classify(self, item: Item) -> list[Event]:
        self.calls += 1
        return super().classify(item)


async def test_a_cycle_keeps_the_events_a_worker_found_and_classifies_only_what_changed(
    tmp_path: Path,
) -> None:
    engine = RuleEngine.load()
    rules = CountingRules()
    pool = ParserPool(workers=2, small=0)
    settings = Settings(feeds=())
    with Store.open(tmp_path / "data") as store:
        pipeline = Pipeline(
            settings,
            store,
            engine=rules,
            picture=EmptyPicture(),
            poller=Poller(settings, parser=pool),
            handle_signals=False,
        )
        try:
            parsed = await pool.parse(
                real_body(40), feed="f", fetched_at=NOW, max_items=100, content_type=None
            )
        finally:
            await pool.aclose()
        assert parsed.events is not None and parsed.rules == ()  # the pipeline asked for the rules
        state = FeedState(url="http://x/")
        result = PollResult("f", NOW, state, parsed.items, events=parsed.events, rules=parsed.rules)
        items = list(parsed.items)
        expected = _events_of(engine, items)
        assert await pipeline._classify_all(items, 0, [result]) == expected
        assert rules.calls == 0  # every event came with the poll
        # a copy carried by other feeds reads the same to the rules; a new date does not
        items[0] = items[0].model_copy(update={"sources": ("g", "h")})
        items[1] = items[1].model_copy(update={"published": NOW - timedelta(days=3)})
        assert await pipeline._classify_all(items, 0, [result]) == _events_of(engine, items)
        assert rules.calls == 1
        # events worked out with other user rules are not this engine's
        other = PollResult("f", NOW, state, parsed.items, events=parsed.events, rules=(("x", "y"),))
        assert await pipeline._classify_all(parsed.items, 0, [other]) == expected
        assert rules.calls == 1 + len(items)
