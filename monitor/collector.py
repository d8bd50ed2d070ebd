"""Pausing the cyclic garbage collector around work that builds many records that all stay alive.

A cold cycle (or one parse job) builds tens of thousands of records that live until it is over:
every full collection in between walks them all and frees nothing. Reference counting still frees
what is dropped; what the work leaves in reference cycles goes at the next collection after it.
Kept apart from the pipeline so that a parser process, which imports only the parser, can use it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No automatic cyclic collection inside the block; the collector comes back at its end if it
    was on (a block inside another, or under a caller that turned it off, changes nothing)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
