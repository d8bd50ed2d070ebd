"""Start-up of a parser process: die with the parent, hold none of its standard streams.

A parser process that outlives its parent (``kill -9``, the OOM killer) is worse than useless: it
keeps the parent's stdout open, so in ``watch | consumer`` the consumer never sees end of file.
``init_worker`` runs first in every worker of the pool:

* on Linux it asks the kernel for SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``);
* everywhere, a daemon thread checks once a second that the parent is still the same process and
  ends this one when it is not (the fallback where ``prctl`` is missing);
* stdin, stdout and stderr are pointed at the null device: results and errors travel back through
  the pool's own pipes, never through the parent's streams;
* with ``nice``, it runs at a lower CPU priority than its parent (the app asks for that, so that
  parsing and classifying a big cycle leave the CPU to the screen first).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
"""From <linux/prctl.h>."""
PARENT_CHECK_S = 1.0
"""How often the watcher thread looks for a new parent."""


def _libc() -> ctypes.CDLL:
    """The C library: by its usual name first, since ``find_library`` runs ``ldconfig -p`` in a
    child process (a fork of this one) to look it up."""
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _ask_for_parent_death_signal() -> bool:
    """True when the kernel will SIGKILL this process as soon as its parent exits (Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return int(_libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_S)
        if os.getppid() != parent:
            os._exit(0)


def detach_std_streams() -> None:
    """Point file descriptors 0, 1 and 2 at the null device (the Python streams follow them)."""
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in (0, 1, 2):
            with contextlib.suppress(OSError):
                os.dup2(null, fd)
    finally:
        if null > 2:
            os.close(null)


def init_worker(parent: int, nice: int = 0) -> None:
    """The pool's initializer: tie this process's life to ``parent`` and let go of its streams;
    ``nice`` (Unix): this much lower a CPU priority than the parent's."""
    if nice and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(nice)
    _ask_for_parent_death_signal()
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(0)
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()
    detach_std_streams()


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker now, with a ``sys.stderr`` it can hand on.

    The tracker starts with the first spawned worker and is handed ``sys.stderr.fileno()``. Where
    ``sys.stderr`` was replaced by an object that answers -1 (a terminal UI capturing what is
    printed does: the app's does), every spawn failed with "bad value(s) in fds_to_keep", so every
    body big enough for a worker failed to parse. The process's own stderr stands in only while
    the tracker starts; the tracker inherits descriptor 2 either way, so it gets what it would
    have had without the replacement.
    """
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is None or sys.stderr.fileno() >= 0
    except Exception:  # no descriptor at all: the tracker skips it itself
        usable = True
    if usable:
        resource_tracker.ensure_running()
        return
    replaced = sys.stderr
    sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        if sys.stderr is sys.__stderr__:
            sys.stderr = replaced
