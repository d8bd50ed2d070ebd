"""Turn SIGTERM and SIGHUP into a normal exit, so open stores are closed and flushed on the way out."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

TERMINATING = tuple(s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)


@contextmanager
def exit_on_termination() -> Iterator[None]:
    """Inside the block, SIGTERM (and SIGHUP) raise SystemExit(128 + signal) in the main thread.

    So ``with exit_on_termination(), Store.open(...) as store:`` closes the store on ``kill``
    as it does on Ctrl-C (SIGINT already raises KeyboardInterrupt). The previous handlers come back
    when the block ends. Asyncio programs use ``loop.add_signal_handler`` to stop their loop instead.
    Outside the main thread signals cannot be handled, so this does nothing there.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _exit(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, _exit) for sig in TERMINATING}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
