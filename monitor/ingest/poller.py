"""Polling: one asyncio task per feed on its own jittered interval, fetch → parse off the loop → FeedState.

The poller owns the FeedState of every feed and keeps the etiquette: validators echoed exactly,
no parse on 304 or on an unchanged body, Retry-After honoured, exponential backoff after other
failures, no polling after a 410 until the feed's URL changes in feeds.yaml.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import os
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from monitor.config import FeedConfig, Settings
from monitor.errors import FetchError, FetchGone, FetchHTTPError
from monitor.ingest.fetch import Fetcher, ServerDate
from monitor.ingest.parse import ParseResult, parse_feed
from monitor.ingest.parse_job import ItemEvents, classify_items, parse_within, worker_ready
from monitor.models import FeedState, Item, utcnow
from monitor.text import sanitize

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")

BACKOFF_CAP = timedelta(hours=6)
"""Longest wait between attempts at a failing feed (a Retry-After may ask for up to 24 h)."""
JITTER = 0.1
"""Each wait is stretched or shrunk by up to this share, so feeds do not poll in lockstep."""
START_SPREAD_S = 5.0
"""Feeds due at start-up are spread over this many seconds."""
RETRY_FLOOR_S = 60.0
"""Shortest wait after a 429/503, whatever its Retry-After says (or the feed's interval, if shorter)."""
GAP_WEIGHT = 0.3
"""Weight of the newest gap in the running mean gap between new items."""
PARSE_DEADLINE_S = 5.0
"""Longest a parser process spends on one body. A real feed of a few hundred entries takes well under
a second even at the size cap; a hostile 10 MiB body of 230,000 tiny entries takes about ten."""
KILL_GRACE_S = 30.0
"""Beyond the deadline, how long the pool waits for a worker before killing it (a parse stuck where
the worker's own alarm cannot reach it, in C code); also covers a worker's start-up."""


@dataclass(frozen=True, slots=True)
class PollResult:
    """One poll of one feed: the new state and, when the body was parsed, its items."""

    feed: str
    at: datetime
    state: FeedState
    items: tuple[Item, ...] = ()
    error: str | None = None
    """Why this poll failed, in plain words (also in ``state.last_error``)."""
    notes: tuple[str, ...] = ()
    """Entries skipped and other problems that did not fail the feed."""
    parsed: bool = False
    """False for a 304, an unchanged body or a failure."""
    server_date: ServerDate | None = None
    """The server's ``Date`` against this clock (successful HTTP polls only), for the store's clock."""
    events: tuple[ItemEvents, ...] | None = None
    """Each item's events, when the parser process ran the rules over them (``ParseResult.events``)."""
    rules: tuple[tuple[str, str], ...] | None = None
    """The user rules ``events`` were worked out with."""

    @property
    def ok(self) -> bool:
        return self.error is None

    def with_date(self, server_date: ServerDate | None) -> PollResult:
        return self if server_date is None else replace(self, server_date=server_date)


def backoff_delay(failures: int, interval: float) -> timedelta:
    """Wait before the next attempt after ``failures`` consecutive failures: doubling, capped."""
    factor = 2 ** min(max(failures - 1, 0), 16)
    return min(timedelta(seconds=interval * factor), max(BACKOFF_CAP, timedelta(seconds=interval)))


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


def initial_state(url: str, stored: FeedState | None) -> FeedState:
    """The stored state of a feed, or a fresh one when the feed is new or its URL changed in the config."""
    if stored is None or stored.url != url:
        return FeedState(url=url)
    return stored


def record_new_items(state: FeedState, items: Sequence[Item], now: datetime) -> FeedState:
    """The state after ``items`` new to the store arrived: count, last new item, usual gap."""
    if not items:
        return state
    gap = state.mean_gap_s
    if state.last_new_item is not None:
        latest = (now - state.last_new_item).total_seconds()
        gap = latest if gap is None else (1 - GAP_WEIGHT) * gap + GAP_WEIGHT * latest
    elif len(items) >= 2:
        times = sorted(i.published for i in items)
        spread = (times[-1] - times[0]).total_seconds()
        if spread > 0:
            gap = spread / (len(items) - 1)
    return state.model_copy(
        update={"items_seen": state.items_seen + len(items), "last_new_item": now, "mean_gap_s": gap}
    )


NOTES_KEPT = 5
"""Most parse notes kept per feed (after grouping); the last one says how many more there were."""
_ENTRY_NOTE = re.compile(r"^entry (\d+) skipped: (.*)$", re.DOTALL)


def summarise_notes(notes: Sequence[str]) -> tuple[str, ...]:
    """Parse notes grouped for people: "49 entries skipped: duplicate id 'x' (first: entry 2)"."""
    grouped: dict[str, list[str]] = {}
    for note in notes:
        match = _ENTRY_NOTE.match(note)
        reason = match.group(2) if match else note
        grouped.setdefault(reason, []).append(match.group(1) if match else "")
    out: list[str] = []
    for reason, entries in grouped.items():
        numbered = [e for e in entries if e]
        if not numbered:
            out.append(sanitize(reason, 200))
        elif len(numbered) == 1:
            out.append(sanitize(f"entry {numbered[0]} skipped: {reason}", 200))
        else:
            out.append(
                sanitize(f"{len(numbered)} entries skipped: {reason} (first: entry {numbered[0]})", 200)
            )
    if len(out) > NOTES_KEPT:
        out = [*out[: NOTES_KEPT - 1], f"and {len(out) - NOTES_KEPT + 1} more kinds of problem"]
    return tuple(out)


def _clock(when: datetime, now: datetime) -> str:
    return when.strftime("%H:%M") if when.date() == now.date() else when.strftime("%Y-%m-%d %H:%M")


class _PoolLost(Exception):
    """A parse was lost with its pool (killed for another feed's sake, or a worker died)."""


class ParserPool:
    """Parses bodies off the event loop: small ones in a thread, the rest in a process pool (all cores).

    Errors are per feed: a crash or a dead worker becomes that feed's error, and a broken pool is
    rebuilt for the next body. A body is handed to the pool only when a worker is free, so every
    limit counts the parse's own running time, never time spent waiting for a worker. A body parsed
    in a process has a deadline (``deadline_s``): the worker stops itself with a timer signal, and a
    worker still busy ``kill_after_s`` after the parse was handed over (stuck where the signal
    cannot reach) is killed with its pool, which is rebuilt; the parses that were running beside it
    are run again in the new pool, so only the stuck feed fails. Small bodies (at most ``small``
    bytes, in a thread) cannot take long enough to need one.

    The pool starts lazily, when the first body too big for a thread arrives: a cycle of 304s and
    unchanged bodies starts no process. Its workers die with the process that started them (Linux:
    the parent-death signal; elsewhere a watcher thread notices the new parent) and hold neither its
    stdin, stdout nor stderr, so a killed ``watch | consumer`` leaves nothing holding the pipe.
    """

    RETRIES = 2
    """How many times a parse lost with its pool (not through its own fault) is run again."""

    def __init__(
        self,
        workers: int | None = None,
        *,
        small: int = 16 * 1024,
        deadline_s: float = PARSE_DEADLINE_S,
        kill_after_s: float | None = None,
        nice: int = 0,
    ) -> None:
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self.nice = nice
        """How much lower the workers' CPU priority is than this process's (Unix; 0: the same)."""
        self.small = small
        self.deadline_s = deadline_s
        self.kill_after_s = kill_after_s if kill_after_s is not None else deadline_s + KILL_GRACE_S
        self._pool: ProcessPoolExecutor | None = None
        self._slots = asyncio.Semaphore(max(1, self.workers))
        """One per worker: a parse is submitted only when a worker is free to start it."""
        self._generation = 0
        """Counts pools: a parse that saw its pool killed for another feed's sake is run again."""
        self.started = 0
        """How many process pools were started (0 until a body needed one)."""
        self._ready = -1
        """Generation whose workers are known to be up (their start-up is not a parse's time)."""
        self._warming: asyncio.Lock | None = None
        self._starting: tuple[int, list[Future[int]]] | None = None
        """The generation and start-up jobs of a pool begun by ``start``."""
        self._closing: list[asyncio.Future[None]] = []
        """Shutdowns begun by ``release``, awaited by ``aclose``."""
        self.rules: Callable[[], tuple[tuple[str, str], ...] | None] | None = None
        """The user rules ((name, text) of each file) for a worker to classify the items of a body
        it parsed (``parse_job.parse_within``), or None not to; read at each parse (the pipeline
        sets it)."""

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import get_context

            from monitor.ingest.workers import init_worker, start_resource_tracker

            start_resource_tracker()
            # spawn: forking a process that runs an event loop and threads is not safe
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=get_context("spawn"),
                initializer=init_worker,
                initargs=(os.getpid(), self.nice),
            )
            self.started += 1
        return self._pool

    async def parse(
        self, body: bytes, *, feed: str, fetched_at: datetime, max_items: int, content_type: str | None
    ) -> ParseResult:
        kwargs: dict[str, object] = {
            "feed": feed,
            "fetched_at": fetched_at,
            "max_items": max_items,
            "content_type": content_type,
        }
        try:
            if self.workers <= 0 or len(body) <= self.small:
                return await asyncio.to_thread(functools.partial(parse_feed, body, **kwargs))  # type: ignore[arg-type]
            rules = self.rules() if self.rules is not None else None
            call = functools.partial(parse_within, self.deadline_s, body, rules=rules, **kwargs)
            try:
                return await self._with_retries(call, functools.partial(self._stopped, feed))
            except _PoolLost:
                return ParseResult(feed, error="the parser process died while reading this feed")
        except Exception as exc:  # one feed's body must never stop the others
            return ParseResult(
                feed, error=f"the feed could not be parsed ({type(exc).__name__}: {exc})"[:300]
            )

    async def _with_retries(self, call: Callable[[], T], on_timeout: Callable[[], T]) -> T:
        """``_in_process`` once a worker is free, run again up to RETRIES times when the pool was
        lost under it; ``_PoolLost`` when it was lost every time."""
        for _attempt in range(1 + self.RETRIES):
            async with self._slots:  # from here on, the time is this job's own
                try:
                    return await self._in_process(call, on_timeout)
                except _PoolLost:
                    continue
        raise _PoolLost

    async def _in_process(self, call: Callable[[], T], on_timeout: Callable[[], T]) -> T:
        """Run ``call`` in the pool; ``_PoolLost`` when the pool went away under it, ``on_timeout()``
        when it ran past ``kill_after_s`` (its worker is killed with the pool)."""
        from concurrent.futures.process import BrokenProcessPool

        generation = self._generation
        try:
            pool = self._executor()
            await self._warm(pool, generation)
            job = pool.submit(call)
        except (BrokenProcessPool, RuntimeError):  # broken, or shut down by a rebuild meanwhile
            self._discard_if(generation)
            raise _PoolLost from None
        except TimeoutError:  # its workers never came up
            self._discard_if(generation, kill=True)
            raise _PoolLost from None
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            raise _PoolLost from None  # the warm-up jobs went with a pool rebuilt meanwhile
        try:
            return await asyncio.wait_for(asyncio.wrap_future(job), self.kill_after_s)
        except TimeoutError:
            self._discard_if(generation, kill=True)
            return on_timeout()
        except BrokenProcessPool:
            # A worker died (killed for a stuck parse beside this one, or by the system): the pool
            # is rebuilt and this parse runs again, up to RETRIES times.
            self._discard_if(generation)
            raise _PoolLost from None
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if job.cancelled() and (task is None or not task.cancelling()):
                # The pool's shutdown cancelled the job, not anyone cancelling this task.
                self._discard_if(generation)
                raise _PoolLost from None
            raise

    def _stopped(self, feed: str) -> ParseResult:
        return ParseResult(
            feed, error=f"parse took longer than {self.kill_after_s:g} s; its parser process was stopped"
        )

    @property
    def running(self) -> bool:
        """True while a process pool is up (a body needed one and it was not closed since)."""
        return self._pool is not None and self.workers > 0

    async def classify(
        self, user_rules: tuple[tuple[str, str], ...], items: Sequence[Item]
    ) -> list[ItemEvents] | None:
        """Each item's events (or the reason the rules failed on it), worked out in a parser
        process with the default rules and ``user_rules`` ((name, text) of each file); None when the
        pool could not do it (lost, or too slow), and the caller classifies the items itself."""
        call = functools.partial(classify_items, user_rules, list(items))
        try:
            return await self._with_retries(call, lambda: None)
        except Exception:  # lost every time, or the worker could not build the rules from the text
            return None

    async def _warm(self, pool: ProcessPoolExecutor, generation: int) -> None:
        """Start every worker of a new pool before any parse is timed: a spawned worker takes a
        second or more to start (far more on a loaded machine), which is not a parse's time."""
        if self._ready == generation:
            return
        if self._warming is None:
            self._warming = asyncio.Lock()
        async with self._warming:
            if self._ready == generation or generation != self._generation:
                return
            started, self._starting = self._starting, None
            if started is not None and started[0] == generation:
                futures = started[1]  # begun by ``start``
            else:
                futures = self._start_workers(pool)
            jobs = [asyncio.wrap_future(f) for f in futures]
            await asyncio.wait_for(asyncio.gather(*jobs), KILL_GRACE_S + self.kill_after_s)
            self._ready = generation

    def _start_workers(self, pool: ProcessPoolExecutor, *, prepare: bool = False) -> list[Future[int]]:
        # one job per worker, each held a moment, so that every worker is started; with
        # ``prepare``, each loads the parser and builds the rules engine meanwhile
        rules = self.rules() if prepare and self.rules is not None else None
        job = functools.partial(worker_ready, 0.05, prepare=prepare, rules=rules)
        return [pool.submit(job) for _ in range(self.workers)]

    def start(self) -> None:
        """Start the processes now, without waiting for them: a run that is sure to parse bodies
        (feeds never fetched before) has them up by its first body instead of starting them then
        (0.4 s and more, spent while the run is still importing, opening the store and fetching)."""
        if self.workers <= 0 or self._pool is not None:
            return
        pool = self._executor()
        # many bodies are coming, so every worker will parse and classify: each loads the parser
        # and builds its engine now, while this process is still importing and fetching (a pool
        # started by a first body leaves that to each worker's first body: one that gets none
        # never pays for it)
        self._starting = (self._generation, self._start_workers(pool, prepare=True))

    def _discard_if(self, generation: int, *, kill: bool = False) -> None:
        """Discard the pool if it is still the one of ``generation`` (a rebuild is done once)."""
        if generation == self._generation:
            self._discard(kill=kill)

    def _discard(self, *, kill: bool = False) -> None:
        pool, self._pool = self._pool, None
        self._generation += 1
        if pool is None:
            return
        if kill:
            # The executor has no way to stop a running call; its worker processes are ended
            # instead (ProcessPoolExecutor keeps them in ``_processes``, pid -> Process).
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def release(self) -> None:
        """No more work for the processes: they start to exit now, in the background, while the
        caller goes on (a once-run's picture and commit need no parser); ``aclose`` waits for them.
        A body parsed after this starts a new pool (and waits for its workers, as any new pool's)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            self._generation += 1
            # handed to a thread now (a task would wait for the caller to yield to the loop)
            shutdown = functools.partial(pool.shutdown, wait=True, cancel_futures=True)
            self._closing.append(asyncio.get_running_loop().run_in_executor(None, shutdown))

    async def aclose(self) -> None:
        self.release()
        closing, self._closing = self._closing, []
        await asyncio.gather(*closing)


class Poller:
    """Polls the enabled feeds of ``settings``: once each (``poll_all``) or for ever (``run``)."""

    def __init__(
        self,
        settings: Settings,
        *,
        states: Mapping[str, FeedState] | None = None,
        fetcher: Fetcher | None = None,
        parser: ParserPool | None = None,
        interval_override: float | None = None,
        now: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.feeds = settings.enabled_feeds()
        self.fetcher = fetcher or Fetcher(
            settings.limits, concurrency=settings.concurrency, per_host=settings.per_host, now=now
        )
        self.parser = parser or ParserPool()
        self.interval_override = interval_override
        self.now = now
        self.rng = rng or random.Random()  # noqa: S311 -- jitter, not secrets
        stored = states or {}
        self.states: dict[str, FeedState] = {
            f.name: initial_state(self.url_of(f), stored.get(f.name)) for f in self.feeds
        }

    # --- helpers ----------------------------------------------------------------------------

    def url_of(self, feed: FeedConfig) -> str:
        """What to fetch: the URL, or a file path made absolute relative to feeds.yaml."""
        return self.settings.location(feed)

    def interval_of(self, feed: FeedConfig) -> float:
        return self.interval_override if self.interval_override is not None else float(feed.interval)

    def _jitter(self, seconds: float) -> timedelta:
        return timedelta(seconds=seconds * self.rng.uniform(1 - JITTER, 1 + JITTER))

    def note_new_items(self, feed: str, items: Sequence[Item], now: datetime) -> None:
        """Tell the poller which items of a feed were new to the store (feeds its health figures)."""
        if feed in self.states:
            self.states[feed] = record_new_items(self.states[feed], items, now)

    def due(self, feed: FeedConfig, now: datetime) -> bool:
        """True unless the feed is gone or waiting out a backoff or a Retry-After."""
        state = self.states[feed.name]
        if state.gone:
            return False
        return not (state.consecutive_failures and state.next_poll is not None and state.next_poll > now)

    # --- one poll ---------------------------------------------------------------------------

    async def poll(self, feed: FeedConfig) -> PollResult:
        """Fetch and (if changed) parse one feed; never raises for anything the feed does."""
        url = self.url_of(feed)
        before = self.states[feed.name]
        started = self.now()
        try:
            fetched = await self.fetcher.fetch(url, etag=before.etag, last_modified=before.last_modified)
        except FetchError as exc:
            return self._failed(feed, exc, self.now())
        at = self.now()
        if fetched.not_modified:
            return self._succeeded(
                feed, at, 304, moved_to=fetched.moved_to, etag=fetched.etag, lm=fetched.last_modified
            ).with_date(fetched.server_date)
        digest = body_hash(fetched.body)
        if digest == before.body_hash:
            return self._succeeded(
                feed,
                at,
                fetched.status,
                moved_to=fetched.moved_to,
                etag=fetched.etag,
                lm=fetched.last_modified,
            ).with_date(fetched.server_date)
        parsed = await self.parser.parse(
            fetched.body,
            feed=feed.name,
            fetched_at=started,
            max_items=self.settings.limits.max_items,
            content_type=fetched.content_type,
        )
        if parsed.error is not None:
            return self._failed(feed, parsed.error, self.now(), status=fetched.status, notes=parsed.notes)
        return self._succeeded(
            feed,
            self.now(),
            fetched.status,
            moved_to=fetched.moved_to,
            etag=fetched.etag,
            lm=fetched.last_modified,
            digest=digest,
            parsed=parsed,
        ).with_date(fetched.server_date)

    def _succeeded(
        self,
        feed: FeedConfig,
        at: datetime,
        status: int,
        *,
        moved_to: str | None,
        etag: str | None,
        lm: str | None,
        digest: str | None = None,
        parsed: ParseResult | None = None,
    ) -> PollResult:
        # read the state again: the pipeline may have updated it while we awaited
        state = self.states[feed.name]
        update: dict[str, object] = {
            "last_status": status,
            "last_attempt": at,
            "last_success": at,
            "consecutive_failures": 0,
            "last_error": None,
            "next_poll": at + self._jitter(self.interval_of(feed)),
            "polls": state.polls + 1,
            "not_modified": state.not_modified + (status == 304),
            "etag": etag,
            "last_modified": lm,
            "moved_to": moved_to,
        }
        if digest is not None:
            update["body_hash"] = digest
        if parsed is not None:  # a new body: its notes replace the last ones
            update["parse_notes"] = summarise_notes(parsed.notes)
        state = state.model_copy(update=update)
        self.states[feed.name] = state
        if parsed is None:
            return PollResult(feed.name, at, state)
        return PollResult(
            feed.name,
            at,
            state,
            parsed.items,
            None,
            parsed.notes,
            parsed=True,
            events=parsed.events,
            rules=parsed.rules,
        )

    def _failed(
        self,
        feed: FeedConfig,
        problem: FetchError | str,
        at: datetime,
        *,
        status: int | None = None,
        notes: tuple[str, ...] = (),
    ) -> PollResult:
        state = self.states[feed.name]
        failures = state.consecutive_failures + 1
        words = sanitize(str(problem), 300)  # a server's words: stored, shown in the app and on stderr
        gone = isinstance(problem, FetchGone)
        next_poll: datetime | None = at + self._jitter(
            backoff_delay(failures, self.interval_of(feed)).total_seconds()
        )
        if isinstance(problem, FetchHTTPError):
            status = problem.status
            if gone:
                next_poll = None
            elif problem.retry_at is not None:
                # a Retry-After of 0 or in the past must not turn into a tight loop of requests
                floor = at + timedelta(seconds=min(self.interval_of(feed), RETRY_FLOOR_S))
                next_poll = max(problem.retry_at, floor)
                words = f"HTTP {status}, next try {_clock(next_poll, at)}"
        state = state.model_copy(
            update={
                "last_status": status if status is not None else 0,
                "last_attempt": at,
                "consecutive_failures": failures,
                "last_error": words,
                "next_poll": next_poll,
                "polls": state.polls + 1,
                "gone": gone,
                "parse_notes": summarise_notes(notes) if notes else state.parse_notes,
            }
        )
        self.states[feed.name] = state
        return PollResult(feed.name, at, state, error=words, notes=notes)

    # --- many polls -------------------------------------------------------------------------

    async def poll_all(self, stop: asyncio.Event | None = None, grace_s: float = 0.0) -> list[PollResult]:
        """Poll every due feed once, concurrently (within the fetcher's limits).

        Once ``stop`` is set, the polls in flight get ``grace_s`` seconds to finish; the rest are
        cancelled and left out (their feeds keep their state, so the next run polls them).
        """
        now = self.now()
        feeds = [f for f in self.feeds if self.due(f, now)]
        tasks = [asyncio.ensure_future(self._safe_poll(f)) for f in feeds]
        if not tasks:
            return []
        everything = asyncio.gather(*tasks)
        if stop is None:
            return list(await everything)
        # its outcome is read here, so a cancelled gather is never reported as "never retrieved"
        everything.add_done_callback(lambda f: f.cancelled() or f.exception())
        stopped: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
        waiting: list[asyncio.Future[Any]] = [everything, stopped]
        try:
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            if not everything.done():
                await asyncio.wait(tasks, timeout=grace_s)
        finally:
            stopped.cancel()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        return [t.result() for t in tasks if not t.cancelled() and t.exception() is None]

    def revert(self, names: Sequence[str], stored: Mapping[str, FeedState]) -> None:
        """Forget what polls of ``names`` learnt that was never committed (an abandoned cycle)."""
        by_name = {f.name: f for f in self.feeds}
        for name in names:
            feed = by_name.get(name)
            if feed is not None:
                self.states[name] = initial_state(self.url_of(feed), stored.get(name))

    async def _safe_poll(self, feed: FeedConfig) -> PollResult:
        try:
            return await self.poll(feed)
        except Exception as exc:  # a bug with one feed must not stop the others
            return self._failed(feed, f"internal error: {type(exc).__name__}: {exc}"[:300], self.now())

    def first_delay(self, feed: FeedConfig, now: datetime) -> float:
        """Seconds until a feed's first poll: its stored next_poll, else soon (spread over a few seconds)."""
        state = self.states[feed.name]
        spread = self.rng.uniform(0, min(START_SPREAD_S, self.interval_of(feed) * JITTER))
        if state.next_poll is not None and state.next_poll > now:
            wait = (state.next_poll - now).total_seconds()
            # never wait longer than the feed's interval unless a failure asked for it
            return wait if state.consecutive_failures else min(wait, self.interval_of(feed)) + spread
        return spread

    def next_delay(self, feed: FeedConfig, now: datetime) -> float:
        state = self.states[feed.name]
        if state.next_poll is None:
            return self._jitter(self.interval_of(feed)).total_seconds()
        return max(0.0, (state.next_poll - now).total_seconds())

    async def run(self, results: asyncio.Queue[PollResult], stop: asyncio.Event) -> None:
        """Poll every feed on its own schedule until ``stop`` is set; each result goes to ``results``."""
        async with asyncio.TaskGroup() as group:
            for feed in self.feeds:
                group.create_task(self._feed_loop(feed, results, stop), name=f"poll {feed.name}")

    async def _feed_loop(
        self, feed: FeedConfig, results: asyncio.Queue[PollResult], stop: asyncio.Event
    ) -> None:
        delay = self.first_delay(feed, self.now())
        while not stop.is_set():
            if self.states[feed.name].gone:
                await stop.wait()  # gone until the config changes (a new Poller is built then)
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
            if stop.is_set():
                return
            result = await self._safe_poll(feed)
            await results.put(result)
            delay = self.next_delay(feed, self.now())

    async def aclose(self) -> None:
        await self.fetcher.aclose()
        await self.parser.aclose()
