"""The day retention reckons from: the clock, unless it ran far ahead of the newest record stored.

A clock set two months ahead (by hand, a dead RTC battery, a bad NTP answer) would otherwise expire
all history and the seen ledger in one run, and once the clock is back every old item is news again.
So the writer (and a reader that leaves out what the writer would drop) expires history as of the
newest record's day plus ``CLOCK_MARGIN`` when the clock is further ahead than that. After a real
pause of weeks the first cycle saved stores a record of today, and the next run expires the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

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
