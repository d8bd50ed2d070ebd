"""What a parser process holds and sends back (issue 14: a cold cycle's memory and start-up).

A worker loads its parser and builds its rules engine while it starts, instead of on its first
body, and sends its records back sharing one set of field names per model, so the parent does not
rebuild one per record.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import sys
from datetime import UTC, datetime

from test_poller import NOW

from monitor.ingest import parse_job
from monitor.ingest.parse import parse_feed
from monitor.ingest.parse_job import classify_items, parse_within, share_field_sets, worker_ready
from monitor.ingest.poller import ParserPool
from monitor.models import FeedState

TRUCE = (
    "Israeli airstrike kills 5 in Khan Younis despite ceasefire",
    "Egypt will deploy 200 troops to the Rafah crossing under the truce deal",
)


def body(n: int) -> bytes:
    items = "".join(
        f"<item><title>{TRUCE[k % 2]} {k}</title><guid>g{k}</guid>"
        f"<description>Report {k} from the south.</description>"
        "<pubDate>Mon, 01 Dec 2025 10:00:00 GMT</pubDate></item>"
        for k in range(n)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    )


def what_a_worker_holds() -> tuple[int, bool, bool]:
    """(pid, feedparser loaded, default rules' engine built), run in a worker."""
    return os.getpid(), "feedparser" in sys.modules, () in parse_job._engines


async def warmed(pool: ParserPool, *, early: bool) -> list[tuple[int, bool, bool]]:
    """What each worker of a new pool holds once it is up, before any body: started ``early``
    (``ParserPool.start``, as a run sure to parse many bodies does) or by a first body's need."""
    if early:
        pool.start()
    executor = pool._executor()
    await pool._warm(executor, pool._generation)
    jobs = [executor.submit(what_a_worker_holds) for _ in range(2 * pool.workers)]
    return list(await asyncio.gather(*(asyncio.wrap_future(j) for j in jobs)))


async def test_an_early_pool_starts_with_its_parser_loaded_and_engine_built() -> None:
    pool = ParserPool(workers=2, small=0)
    pool.rules = lambda: ()
    try:
        held = await warmed(pool, early=True)
        # and the first body parses and is classified as ever
        result = await pool.parse(body(40), feed="f", fetched_at=NOW, max_items=100, content_type=None)
    finally:
        await pool.aclose()
    assert os.getpid() not in {pid for pid, _, _ in held}
    assert all(parser and engine for _, parser, engine in held)
    assert result.ok and result.events is not None and any(found for found, _ in result.events)


async def test_an_early_pool_without_rules_builds_no_engine() -> None:
    pool = ParserPool(workers=1, small=0)
    try:
        held = await warmed(pool, early=True)
    finally:
        await pool.aclose()
    assert all(parser and not engine for _, parser, engine in held)


async def test_a_pool_started_by_a_first_body_leaves_both_to_the_bodies() -> None:
    # a run with a few changed feeds: a worker that gets no body loads neither
    pool = ParserPool(workers=2, small=0)
    pool.rules = lambda: ()
    try:
        held = await warmed(pool, early=False)
    finally:
        await pool.aclose()
    assert not any(parser or engine for _, parser, engine in held)


def test_a_start_up_with_rules_that_cannot_be_built_still_starts_the_worker() -> None:
    bad = (("bad.yaml", "rules: [{id: x, category: nonsense}]\n"),)
    assert worker_ready(0.0, prepare=True, rules=bad) == os.getpid()
    assert bad not in parse_job._engines


def test_records_sent_back_share_their_field_names_and_stay_equal() -> None:
    parsed = parse_within(5.0, body(40), rules=(), feed="f", fetched_at=datetime.now(UTC), max_items=100)
    assert parsed.events is not None
    events = [e for found, _ in parsed.events for e in found]
    assert len(events) >= 20  # the rules reacted: events and their entities are covered too
    assert len({id(i.model_fields_set) for i in parsed.items}) == 1
    assert len({id(e.model_fields_set) for e in events}) <= 2  # with and without an optional field
    back = pickle.loads(pickle.dumps(parsed))
    assert back == parsed
    assert len({id(i.model_fields_set) for i in back.items}) == 1
    # the same records, built apart, are equal to these: only the sets' identity changed
    again = parse_feed(body(40), feed="f", fetched_at=parsed.items[0].fetched_at, max_items=100)
    assert list(again.items) == list(back.items)
    assert [e for found, _ in classify_items((), again.items) for e in found] == [
        e for found, _ in back.events or () for e in found
    ]


def test_a_copy_of_a_record_sharing_its_field_names_leaves_the_others_alone() -> None:
    parsed = share_field_sets(parse_feed(body(3), feed="f", fetched_at=NOW, max_items=100))
    first, second, _ = parsed.items
    names = set(second.model_fields_set)
    changed = first.model_copy(update={"sources": ("other",)})
    assert "sources" in changed.model_fields_set
    assert second.model_fields_set == names and first.model_fields_set == names


def test_a_run_of_few_feeds_gets_one_parser_process_and_many_get_the_usual_pool() -> None:
    from monitor.config import FeedConfig, Settings
    from monitor.sinks.watch_run import ONE_WORKER_BELOW, _parser_for

    def pool_for(n: int, *, disabled: int = 0) -> ParserPool:
        feeds = [FeedConfig(name=f"f{k}", url=f"http://x/{k}") for k in range(n)]
        feeds += [FeedConfig(name=f"off{k}", url=f"http://y/{k}", enabled=False) for k in range(disabled)]
        every_feed_read = {f.name: FeedState(url=f.url, body_hash="abc") for f in feeds}  # no early start
        return _parser_for(Settings(feeds=tuple(feeds)), every_feed_read)

    usual = ParserPool().workers
    assert pool_for(ONE_WORKER_BELOW - 1).workers == 1
    assert pool_for(ONE_WORKER_BELOW - 1, disabled=10).workers == 1  # only enabled feeds are polled
    assert pool_for(ONE_WORKER_BELOW).workers == usual
    assert pool_for(200).workers == usual


async def test_a_workers_items_and_events_equal_the_in_process_parse_and_rules() -> None:
    # the worker's engine shares its terms and term lists; this process builds its own afresh
    from monitor.rules.engine import RuleEngine
    from monitor.rules.loader import with_defaults

    pool = ParserPool(workers=1, small=0)
    pool.rules = lambda: ()
    try:
        sent = await pool.parse(body(60), feed="f", fetched_at=NOW, max_items=100, content_type=None)
    finally:
        await pool.aclose()
    here = parse_feed(body(60), feed="f", fetched_at=NOW, max_items=100)
    engine = RuleEngine(with_defaults(()))
    assert sent.items == here.items
    assert sent.events is not None
    assert [found for found, _ in sent.events] == [engine.classify(item) for item in here.items]
    assert sum(len(found) for found, _ in sent.events) >= 60  # each truce sentence fires
