"""Keeping the cyclic garbage collector out of the keys' way while the boards hold a big store.

Tens of thousands of stored records make each full collection scan millions of objects, and a
collection runs on whichever thread happens to allocate, holding the interpreter for all of them:
measured with 100,000 incidents, 28 full collections of up to 1.5 s each while the app loaded the
store and its pipeline restored the picture. The records are acyclic (reference counting frees
them) and live as long as the boards, so they are moved out of the collector's sight instead.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

FULL_EVERY = 100
"""Young collections (of the middle generation) between two automatic full ones; Python's own is
10. Everything the boards hold is frozen after each report, so a full collection would only find
what a cycle made meanwhile, and scanning it every second (measured: 25-80 ms each, 14 while one
cycle of 10,000 items landed) cost more than the little it finds."""
SWITCH_S = 0.001
"""How long a thread may keep the interpreter while another waits for it; Python's own is 5 ms.
While the pipeline's thread runs Python (restoring the picture, deduplicating, merging events),
the screen's thread waits that long each time it takes the interpreter back, and one key takes it
back dozens of times (to poll for input, between its messages)."""


COMPACT_EVERY_S = 600.0
"""Shortest time between two compactions (``compact``)."""
COMPACT_IDLE_S = 5.0
"""A compaction waits until no key or mouse event has come for this long: it holds the interpreter
for its whole pass (measured: 440 ms over 100,000 incidents, about a million objects)."""


def compact() -> int:
    """Collect everything, frozen objects included, then freeze what is alive again; the number of
    unreachable objects found.

    ``settle`` and ``bulk_load`` freeze whatever is alive at that moment, and that includes
    short-lived structures (the screen's messages, the pipeline's tasks and responses). Those that
    later die inside a reference cycle are out of every collection's sight: measured, one
    2,500-item cycle in the app left 34,000-111,000 such objects. A compaction now and then gives
    them back."""
    gc.unfreeze()
    found = gc.collect()
    gc.freeze()
    return found


@dataclass
class Compactor:
    """When to compact: at most every ``every`` seconds, and only after ``idle`` seconds without input."""

    last: float
    every: float = COMPACT_EVERY_S
    idle: float = COMPACT_IDLE_S

    def due(self, now: float, last_input: float) -> bool:
        return now - self.last >= self.every and now - last_input >= self.idle


def settle() -> None:
    """Collect the young generations, then freeze everything alive (it stays out of every later
    collection; frozen objects are still freed by reference counting when dropped)."""
    gc.collect(1)
    gc.freeze()


@dataclass
class _Bulk:
    lock: threading.Lock
    depth: int = 0
    was_enabled: bool = True


_bulk = _Bulk(threading.Lock())


@contextmanager
def bulk_load() -> Iterator[None]:
    """No automatic collection while the block builds many long-lived records; they are frozen
    when it ends.

    The young generations are not collected at the end: they hold everything just loaded, and one
    pass over millions of objects is what this avoids. Cyclic garbage made inside the block (there
    is next to none: records and their JSON are acyclic) is frozen with the rest. Blocks may
    overlap on several threads; the collector comes back when the last one ends, if it was on.
    """
    with _bulk.lock:
        if _bulk.depth == 0:
            _bulk.was_enabled = gc.isenabled()
            gc.disable()
        _bulk.depth += 1
    try:
        yield
    finally:
        with _bulk.lock:
            _bulk.depth -= 1
            gc.freeze()
            if _bulk.depth == 0 and _bulk.was_enabled:
                gc.enable()


@contextmanager
def screen_first() -> Iterator[None]:
    """While the block runs (the app), the screen's thread gets the interpreter back sooner
    (``SWITCH_S``) and full collections are rarer (``FULL_EVERY``); both come back as they were."""
    switch, thresholds = sys.getswitchinterval(), gc.get_threshold()
    sys.setswitchinterval(min(switch, SWITCH_S))
    gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], FULL_EVERY))
    try:
        yield
    finally:
        sys.setswitchinterval(switch)
        gc.set_threshold(*thresholds)
