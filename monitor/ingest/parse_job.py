"""What a parser process runs: a parse under a deadline, the rules over a batch of items, and the
no-op that starts a worker.

Kept apart from the poller so that a spawned worker imports only the parser (feedparser and the
models), not the HTTP client and everything else the poller needs: a worker starts in about half
the time, and a cold cycle's first big body waits that much less.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from types import FrameType
from typing import TYPE_CHECKING, TypeVar

from monitor.collector import cyclic_gc_paused
from monitor.ingest.parse import ParseResult, parse_feed

if TYPE_CHECKING:
    from monitor.models import Event, Item, Record
    from monitor.rules.engine import RuleEngine

T = TypeVar("T")
ItemEvents = tuple["list[Event]", "str | None"]
"""One item's events, and why the rules failed on it (None when they did not)."""
_engines: dict[tuple[tuple[str, str], ...], RuleEngine] = {}
"""The rules engine of this worker, by the user rules (name and text of each file) it was built with."""


class _ParseDeadline(BaseException):
    """Raised by the alarm inside a parser process; a BaseException so that no ``except Exception``
    in feedparser (which falls back to its loose parser on errors) can swallow it."""


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _ParseDeadline


def parse_within(
    deadline_s: float,
    body: bytes,
    *,
    rules: tuple[tuple[str, str], ...] | None = None,
    **kwargs: object,
) -> ParseResult:
    """``parse_feed`` in a parser process, stopped by a timer signal after ``deadline_s`` seconds.

    With ``rules`` (the user rules, as ``classify_items`` takes them), the items parsed are also
    classified here, under a deadline of their own: a cold cycle's rules then run beside the
    parsing of the other feeds, on the worker that already holds the items, instead of after the
    last feed, with every item shipped to a worker a second time. Rules that run out of time (or
    cannot be built) leave ``events`` None, and the main process classifies those items itself.
    """
    if not hasattr(signal, "setitimer"):  # no interval timers here: the pool's kill still bounds it
        return parse_feed(body, **kwargs)  # type: ignore[arg-type]  # the keywords of parse_feed
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    # everything the job builds lives until it is sent back: collections in between find nothing
    try:
        with cyclic_gc_paused():
            try:
                result = _within(deadline_s, lambda: parse_feed(body, **kwargs))  # type: ignore[arg-type]
            except _ParseDeadline:
                return ParseResult(str(kwargs["feed"]), error=deadline_words(deadline_s))
            if rules is None or not result.items:
                return share_field_sets(result)
            try:
                events = _within(deadline_s, lambda: classify_items(rules, result.items))
            except (_ParseDeadline, Exception):  # the main process classifies these items instead
                return share_field_sets(result)
            return share_field_sets(replace(result, events=tuple(events), rules=rules))
    finally:
        signal.signal(signal.SIGALRM, previous)


def _within(deadline_s: float, work: Callable[[], T]) -> T:
    """``work()``, stopped by ``_ParseDeadline`` after ``deadline_s`` seconds (SIGALRM handled)."""
    signal.setitimer(signal.ITIMER_REAL, deadline_s)
    try:
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)  # an alarm before this lands in the caller's except


def share_field_sets(result: ParseResult) -> ParseResult:
    """``result``, its records sharing one set of field names per model and set of names.

    Every pydantic record carries the names of the fields it was given (``model_fields_set``), a
    set of its own: 730 bytes of an item's 2,500, and as much again for each event and its
    entities. Records about to be sent to the parent share one set where the names are the same,
    so the pickle carries it once and the parent rebuilds it once per body, not once per record
    (about 10 MB of a cycle of 10,000 items in the parent). The records are frozen, so nothing adds
    to a set once built (a copy gets a copy of it)."""
    shared: dict[tuple[type, frozenset[str]], set[str]] = {}

    def share(record: Record) -> None:
        names = record.__pydantic_fields_set__
        one = shared.setdefault((type(record), frozenset(names)), names)
        if one is not names:
            object.__setattr__(record, "__pydantic_fields_set__", one)

    for item in result.items:
        share(item)
    for events, _ in result.events or ():
        for event in events:
            share(event)
            share(event.entities)
    return result


def deadline_words(deadline_s: float) -> str:
    return f"parse took longer than {deadline_s:g} s; the feed was skipped this time"


def worker_ready(
    hold_s: float, *, prepare: bool = False, rules: tuple[tuple[str, str], ...] | None = None
) -> int:
    """The first job of each new worker, held at least ``hold_s`` so that the next job starts a
    worker of its own. With ``prepare`` (a pool started because many bodies are coming), the hold
    is spent loading the parser and, with ``rules`` (the user rules, as ``classify_items`` takes
    them), building the rules engine, so that the first body it is handed pays for neither (about
    0.2 s). A problem here is left for the job that meets it again."""
    started = time.perf_counter()
    if prepare:
        with contextlib.suppress(Exception):
            import feedparser  # noqa: F401  # imported by the first parse otherwise

            if rules is not None:
                engine_for(rules)
    time.sleep(max(0.0, hold_s - (time.perf_counter() - started)))
    return os.getpid()


def engine_for(user_rules: tuple[tuple[str, str], ...]) -> RuleEngine:
    """The rules engine of this worker for ``user_rules``: the default rules and those, built once."""
    engine = _engines.get(user_rules)
    if engine is None:
        from monitor.rules.engine import RuleEngine
        from monitor.rules.loader import RULES_ONLY, with_defaults
        from monitor.rules.ngram import shipped

        reading = None if RULES_ONLY in user_rules else shipped
        engine = _engines[user_rules] = RuleEngine(
            with_defaults(user_rules), user_rules=user_rules, ngram=reading
        )
    return engine


def classify_items(user_rules: tuple[tuple[str, str], ...], items: Sequence[Item]) -> list[ItemEvents]:
    """The rules over ``items``, in a worker: each item's events, or the error it raised. The rules
    are the default ones and ``user_rules`` ((name, text) of each file, as the parent read them, so
    both classify alike even if a file changed since), built once per worker."""
    engine = engine_for(user_rules)
    out: list[ItemEvents] = []
    for item in items:
        try:
            out.append((engine.classify(item), None))
        except Exception as exc:  # one item the rules choke on must not lose the others
            out.append(([], f"{type(exc).__name__}: {exc}"))
    return out
