"""The day history is dated by and the day retention reckons from: the clock, unless time from
outside (the servers' ``Date`` headers) or the store itself says it is far ahead.

A clock set two months ahead (by hand, a dead RTC battery, a bad NTP answer) would otherwise expire
all history and the seen ledger in one run, and once the clock is back every old item is news again.
Two guards, each ``CLOCK_MARGIN`` wide:

- The servers' time. Every successful HTTP response carries a ``Date``; the median of a cycle's
  (one vote per server) estimates the true time. While the clock is further ahead of it than the
  margin, the cycle's history is dated by the servers' day, not the clock's, and nothing expires
  past it. The estimate is kept in the store, so the next run (before it has fetched anything) and
  readers reckon with it too. The servers' time only ever holds expiry back, never brings it forward.
- The store. Without any ``Date`` (local files only), expiry is reckoned as of the newest record's
  day plus the margin when the clock is further ahead than that. After a real pause of weeks the
  first cycle saved stores a record of today, and the next run expires the rest.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from monitor.store.shards import chunk_day, chunk_names

CLOCK_MARGIN = timedelta(days=3)
"""How far the clock may run ahead of the newest record before retention stops following it."""


def newest_day(roots: Iterable[Path]) -> date | None:
    """The day of the newest history chunk under ``roots`` (chunks are named by their commit's day)."""
    days = [chunk_day(names[-1]) for root in roots if (names := chunk_names(root))]
    return max(days, default=None)


def retention_today(today: date, newest: date | None) -> date:
    """The day expiry is reckoned from: ``today``, or the newest record's day plus the margin."""
    if newest is not None and today > newest + CLOCK_MARGIN:
        return newest + CLOCK_MARGIN
    return today


def clock_warning(today: date, newest: date | None, where: Path) -> str | None:
    """Words for stderr when the clock and the store disagree by more than the margin, else None."""
    if newest is None:
        return None
    if today > newest + CLOCK_MARGIN:
        return (
            f"the clock says {today}, {(today - newest).days} days after the newest record in {where} "
            f"({newest}); history is expired as of {newest + CLOCK_MARGIN}, not as of the clock, "
            "until a poll cycle is saved at this date"
        )
    if today < newest - CLOCK_MARGIN:
        return (
            f"the clock says {today}, {(newest - today).days} days before the newest record in {where} "
            f"({newest}); has the clock been set back?"
        )
    return None


class ServerDate(Protocol):
    """One server's ``Date`` header against this machine's clock (``monitor.ingest.fetch.ServerDate``)."""

    @property
    def origin(self) -> str: ...
    @property
    def offset(self) -> timedelta: ...
    @property
    def loopback(self) -> bool: ...


def estimate_offset(dates: Iterable[ServerDate | None]) -> timedelta | None:
    """How far the true time is from this machine's clock, by the servers' ``Date`` headers; None
    when they say nothing.

    One vote per origin (a host serving forty feeds is one clock), the median of the votes (a
    minority of wrong servers moves nothing). A loopback server normally shares this machine's
    clock, so its agreement confirms nothing: a loopback vote counts only when it disagrees by more
    than the margin (a local proxy passing a remote server's Date on) and no outside server answered.
    """
    votes: dict[str, timedelta] = {}
    loopback: dict[str, timedelta] = {}
    for found in dates:
        if found is not None:
            (loopback if found.loopback else votes).setdefault(found.origin, found.offset)
    if not votes:
        votes = {o: d for o, d in loopback.items() if abs(d) > CLOCK_MARGIN}
        if len(votes) * 2 <= len(loopback):  # most loopback servers agree with the clock
            return None
    if not votes:
        return None
    return statistics.median_low(sorted(votes.values()))


def projected_time(now: datetime, seen_at: datetime, offset: timedelta) -> datetime | None:
    """The true time now, from an estimate made at ``seen_at`` (this clock) with ``offset``.

    None when this clock is now before ``seen_at`` by more than the margin: it was set back since,
    so the old offset no longer describes it.
    """
    if now < seen_at - CLOCK_MARGIN:
        return None
    return now + offset


def servers_warning(now: datetime, true: datetime, where: Path) -> str | None:
    """Words for stderr when the clock and the servers' time disagree by more than the margin."""
    days = (now.date() - true.date()).days
    if now.date() > true.date() + CLOCK_MARGIN:
        return (
            f"the clock says {now.date()}, {days} days after the time servers give in their Date "
            f"headers ({true.date()}); history in {where} is dated and expired as of the servers' "
            "time, not the clock"
        )
    if now.date() < true.date() - CLOCK_MARGIN:
        return (
            f"the clock says {now.date()}, {-days} days before the time servers give in their Date "
            f"headers ({true.date()}); has the clock been set back?"
        )
    return None


def kept_estimate(meta: dict[str, Any] | None) -> tuple[datetime, timedelta] | None:
    """The estimate of true time kept in state.json's meta record: (this clock then, offset)."""
    try:
        clock = (meta or {})["clock"]
        seen_at = datetime.fromisoformat(clock["at"])
        return seen_at, timedelta(seconds=float(clock["offset_s"]))
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
