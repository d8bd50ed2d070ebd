"""What a parser process runs: a parse under a deadline, and the no-op that starts a worker.

Kept apart from the poller so that a spawned worker imports only the parser (feedparser and the
models), not the HTTP client and everything else the poller needs: a worker starts in about half
the time, and a cold cycle's first big body waits that much less.
"""

from __future__ import annotations

import os
import signal
import time
from types import FrameType

from monitor.ingest.parse import ParseResult, parse_feed


class _ParseDeadline(BaseException):
    """Raised by the alarm inside a parser process; a BaseException so that no ``except Exception``
    in feedparser (which falls back to its loose parser on errors) can swallow it."""


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _ParseDeadline


def parse_within(deadline_s: float, body: bytes, **kwargs: object) -> ParseResult:
    """``parse_feed`` in a parser process, stopped by a timer signal after ``deadline_s`` seconds."""
    if not hasattr(signal, "setitimer"):  # no interval timers here: the pool's kill still bounds it
        return parse_feed(body, **kwargs)  # type: ignore[arg-type]  # the keywords of parse_feed
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, deadline_s)
        try:
            return parse_feed(body, **kwargs)  # type: ignore[arg-type]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)  # an alarm before this lands in the except below
    except _ParseDeadline:
        return ParseResult(str(kwargs["feed"]), error=deadline_words(deadline_s))
    finally:
        signal.signal(signal.SIGALRM, previous)


def deadline_words(deadline_s: float) -> str:
    return f"parse took longer than {deadline_s:g} s; the feed was skipped this time"


def worker_ready(hold_s: float) -> int:
    """A no-op run in each new worker (held ``hold_s`` so that the next one starts a worker too)."""
    time.sleep(hold_s)
    return os.getpid()
