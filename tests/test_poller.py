"""Poller against a real loopback server: etiquette in FeedState, stable ids across moves, stalls isolated."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from feedserver import FeedServer, Request, respond, silent, trickle

from monitor.config import FeedConfig, Limits, Settings
from monitor.ingest.poller import (
    BACKOFF_CAP,
    ParserPool,
    Poller,
    PollResult,
    backoff_delay,
    initial_state,
    record_new_items,
)
from monitor.models import FeedState, Item

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><guid>{guid}</guid><description>about {title}</description></item>"
        for guid, title in items
    )
    return f'<rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


def settings(
    *feeds: tuple[str, str], timeout_s: float = 5, source: str = "<defaults>", per_host: int = 2
) -> Settings:
    return Settings(
        feeds=tuple(FeedConfig(name=name, url=url, interval=60) for name, url in feeds),
        limits=Limits(timeout_s=timeout_s),
        per_host=per_host,
        source=source,
    )


def make_poller(cfg: Settings, **kw: object) -> Poller:
    return Poller(cfg, parser=ParserPool(workers=0), now=lambda: NOW, **kw)  # type: ignore[arg-type]


async def test_conditional_get_round_trip_in_state(server: FeedServer) -> None:
    url = server.feed("/f", rss(("g1", "one"), ("g2", "two")), etag='"abc"', last_modified="Sat, 10 Jan 2026")
    poller = make_poller(settings(("wire", url)))
    try:
        first = await poller.poll(poller.feeds[0])
        assert first.parsed and [i.id for i in first.items] == ["g1", "g2"]
        assert first.state.etag == '"abc"' and first.state.last_modified == "Sat, 10 Jan 2026"
        second = await poller.poll(poller.feeds[0])
        assert not second.parsed and second.items == () and second.ok
        assert second.state.last_status == 304
        assert (second.state.polls, second.state.not_modified) == (2, 1)
        assert server.hits("/f")[1].headers["if-none-match"] == '"abc"'
    finally:
        await poller.aclose()


async def test_unchanged_body_without_validators_is_not_parsed(server: FeedServer) -> None:
    url = server.feed("/f", rss(("g1", "one")))
    poller = make_poller(settings(("wire", url)))
    try:
        assert (await poller.poll(poller.feeds[0])).parsed
        again = await poller.poll(poller.feeds[0])
        assert not again.parsed and again.ok and again.state.last_status == 200
    finally:
        await poller.aclose()


async def test_retry_after_sets_next_poll_and_plain_words(server: FeedServer) -> None:
    async def busy(_request: Request, writer: asyncio.StreamWriter) -> None:
        await respond(writer, 429, b"slow down", [("Retry-After", "3900")])

    poller = make_poller(settings(("busy", server.route("/busy", busy))))
    try:
        result = await poller.poll(poller.feeds[0])
        assert result.error == "HTTP 429, next try 13:05"
        assert result.state.next_poll == NOW + timedelta(seconds=3900)
        assert result.state.consecutive_failures == 1 and result.state.last_status == 429
        assert await poller.poll_all() == []  # still waiting: not polled again
        assert len(server.hits("/busy")) == 1
    finally:
        await poller.aclose()


async def test_410_stops_polling_until_the_url_changes(server: FeedServer) -> None:
    url = server.feed("/gone", b"", status=410)
    poller = make_poller(settings(("old", url)))
    try:
        result = await poller.poll(poller.feeds[0])
        assert result.state.gone and "gone" in (result.error or "")
        assert await poller.poll_all() == []
    finally:
        await poller.aclose()
    assert initial_state(url, result.state).gone  # same URL: still gone after a restart
    assert not initial_state(server.url("/new"), result.state).gone  # config changed: polled again


async def test_301_then_308_records_the_move_and_ids_stay_stable(server: FeedServer) -> None:
    items = [("g1", "one"), ("/story/2", "relative guid"), ("urn:x:3", "three")]
    url = server.feed("/old", rss(*items))
    poller = make_poller(settings(("wire", url)))
    try:
        before = await poller.poll(poller.feeds[0])
        server.feed("/new", rss(*items, ("g4", "four")))

        async def to_mid(_r: Request, w: asyncio.StreamWriter) -> None:
            await respond(w, 301, b"", [("Location", "/mid")])

        async def to_new(_r: Request, w: asyncio.StreamWriter) -> None:
            await respond(w, 308, b"", [("Location", server.url("/new"))])

        server.route("/old", to_mid)
        server.route("/mid", to_new)
        after = await poller.poll(poller.feeds[0])
        assert after.state.moved_to == server.url("/new")
        assert (
            [i.id for i in after.items][:3] == [i.id for i in before.items] == ["g1", "/story/2", "urn:x:3"]
        )
    finally:
        await poller.aclose()


async def test_failures_back_off_exponentially(server: FeedServer) -> None:
    poller = make_poller(settings(("missing", server.url("/nothing"))))
    try:
        first = await poller.poll(poller.feeds[0])
        second = await poller.poll(poller.feeds[0])
        assert first.error == "HTTP 404 Not Found"
        assert second.state.consecutive_failures == 2
        assert first.state.next_poll is not None and second.state.next_poll is not None
        assert second.state.next_poll - NOW > (first.state.next_poll - NOW) * 1.5
    finally:
        await poller.aclose()


def test_backoff_delay_doubles_and_is_capped() -> None:
    assert [backoff_delay(n, 60).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert backoff_delay(40, 300) == BACKOFF_CAP


async def test_not_a_feed_is_a_failure_and_is_parsed_again_next_time(server: FeedServer) -> None:
    url = server.feed("/login", b"<html><body>Sign in</body></html>", etag='"p"')
    poller = make_poller(settings(("portal", url)))
    try:
        first = await poller.poll(poller.feeds[0])
        assert first.error == "not a feed: an HTML page"
        assert first.state.etag is None and first.state.body_hash is None
        second = await poller.poll(poller.feeds[0])
        assert second.error == "not a feed: an HTML page" and second.state.consecutive_failures == 2
    finally:
        await poller.aclose()


async def test_file_feed_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "local.xml").write_bytes(rss(("f1", "from a file")))
    cfg = settings(("local", "feeds/local.xml"), source=str(tmp_path / "feeds.yaml"))
    poller = make_poller(cfg)
    try:
        result = await poller.poll(poller.feeds[0])
        assert result.ok and [i.title for i in result.items] == ["from a file"]
    finally:
        await poller.aclose()


async def test_stalled_feeds_end_by_deadline_while_others_keep_polling(server: FeedServer) -> None:
    good = server.feed("/good", rss(("g1", "one")), etag='"e"')
    cfg = settings(
        ("silent", server.route("/silent", silent)),
        ("trickle", server.route("/trickle", trickle)),
        ("good", good),
        timeout_s=1.5,
        per_host=3,  # all three share 127.0.0.1; with 2 the stalled feeds would hold the host's slots
    )
    poller = Poller(cfg, parser=ParserPool(workers=0), interval_override=0.2)
    queue: asyncio.Queue[PollResult] = asyncio.Queue()
    stop = asyncio.Event()
    seen: list[tuple[float, PollResult]] = []
    started = time.monotonic()
    task = asyncio.create_task(poller.run(queue, stop))
    try:
        while time.monotonic() - started < 2.6:
            try:
                result = await asyncio.wait_for(queue.get(), 0.2)
            except TimeoutError:
                continue
            seen.append((time.monotonic() - started, result))
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)
        await poller.aclose()
    timeouts = [(t, r) for t, r in seen if r.feed in ("silent", "trickle")]
    assert {r.feed for _, r in timeouts} == {"silent", "trickle"}
    assert all(r.error == "timed out after 1.5 s" for _, r in timeouts)
    assert all(1.4 < t < 2.4 for t, _ in timeouts)
    good_before_deadline = [r for t, r in seen if r.feed == "good" and t < 1.4]
    assert len(good_before_deadline) >= 3, "the good feed kept polling while the others stalled"
    assert all(r.ok for r in good_before_deadline)


def _item(i: int, published: datetime) -> Item:
    return Item(
        id=str(i), feed="f", title=f"t{i}", published=published, fetched_at=published, content_hash=str(i)
    )


def test_record_new_items_learns_the_usual_gap() -> None:
    state = FeedState(url="u")
    first = record_new_items(state, [_item(i, NOW - timedelta(hours=i)) for i in range(5)], NOW)
    assert first.items_seen == 5 and first.mean_gap_s == 3600 and first.last_new_item == NOW
    later = record_new_items(first, [_item(9, NOW)], NOW + timedelta(hours=2))
    assert later.items_seen == 6 and later.mean_gap_s == pytest.approx(0.7 * 3600 + 0.3 * 7200)
    assert record_new_items(later, [], NOW) is later


async def test_parser_pool_parses_big_bodies_in_processes_with_errors_per_feed() -> None:
    pool = ParserPool(workers=2, small=0)
    try:
        good, bad = await asyncio.gather(
            pool.parse(rss(("g1", "one")), feed="a", fetched_at=NOW, max_items=10, content_type=None),
            pool.parse(
                b"<html><body>x</body></html>", feed="b", fetched_at=NOW, max_items=10, content_type=None
            ),
        )
    finally:
        await pool.aclose()
    assert good.ok and good.items[0].title == "one"
    assert bad.error == "not a feed: an HTML page"


def oversized(entries: int) -> bytes:
    """A hostile body: a few MB of tiny entries, each cheap to send and costly to parse."""
    return rss(*((f"g{n}", f"t{n}") for n in range(entries)))


async def test_a_parse_past_its_deadline_fails_that_feed_only(server: FeedServer) -> None:
    cfg = settings(
        ("big", server.feed("/big", oversized(60_000))), ("ok", server.feed("/ok", rss(("g1", "one"))))
    )
    pool = ParserPool(workers=2, small=0, deadline_s=0.5)
    poller = Poller(cfg, parser=pool, now=lambda: NOW)
    try:
        big, ok = await poller.poll_all()
        assert big.error == "parse took longer than 0.5 s; the feed was skipped this time"
        assert big.state.consecutive_failures == 1 and big.state.last_error == big.error
        assert ok.ok and [i.title for i in ok.items] == ["one"]
        # the worker stopped itself and is still there for the next body
        again = await pool.parse(
            rss(("g2", "two")), feed="ok", fetched_at=NOW, max_items=10, content_type=None
        )
        assert again.ok and again.items[0].title == "two"
    finally:
        await poller.aclose()


@pytest.mark.slow
async def test_a_worker_stuck_past_the_kill_limit_is_killed_and_the_pool_rebuilt(server: FeedServer) -> None:
    # The worker's own alarm is set beyond reach (60 s), as for a parse stuck in C code, so the
    # pool's wall-clock limit must end it.
    cfg = settings(
        ("big", server.feed("/big", oversized(100_000))), ("ok", server.feed("/ok", rss(("g1", "one"))))
    )
    pool = ParserPool(workers=1, small=0, deadline_s=60, kill_after_s=1.5)
    poller = Poller(cfg, parser=pool, now=lambda: NOW)
    try:
        warm = await pool.parse(
            rss(("g0", "zero")), feed="ok", fetched_at=NOW, max_items=10, content_type=None
        )
        assert warm.ok  # the worker is up: its start-up is not part of what is timed below
        workers = list(pool._pool._processes.values())  # type: ignore[union-attr]
        big, ok = await poller.poll_all()
        assert big.error == "parse took longer than 1.5 s; its parser process was stopped"
        # queued behind the stuck parse in the killed pool, the other feed was parsed again, not failed
        assert ok.ok and [i.title for i in ok.items] == ["one"]
        for process in workers:  # no stuck worker left behind (a loaded machine may reap late)
            deadline = time.monotonic() + 30
            while process.is_alive() and time.monotonic() < deadline:
                process.join(timeout=0.5)
            assert not process.is_alive(), f"worker {process.pid} alive, exitcode {process.exitcode}"
        after = await pool.parse(
            rss(("g2", "two")), feed="ok", fetched_at=NOW, max_items=10, content_type=None
        )
        assert after.ok and after.items[0].title == "two"
    finally:
        await poller.aclose()


async def test_retry_after_zero_does_not_loop(server: FeedServer) -> None:
    async def busy(_request: Request, writer: asyncio.StreamWriter) -> None:
        await respond(writer, 503, b"", [("Retry-After", "0")])

    poller = make_poller(settings(("busy", server.route("/busy", busy))))
    try:
        result = await poller.poll(poller.feeds[0])
        assert result.state.next_poll == NOW + timedelta(seconds=60)
        assert result.error == "HTTP 503, next try 12:01"
    finally:
        await poller.aclose()
