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
