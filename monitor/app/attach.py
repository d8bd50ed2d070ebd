"""The app attached to a running ``watch``: a live read-only view of its data directory.

When another process holds the store, the app does not poll the feeds itself: it follows what that
process commits (``monitor.store.follow.AttachedStore``), at most ``FOLLOW_EVERY_S`` behind, and
acknowledges and mutes through the shared marks log, so it never waits for the writer's lock.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from pathlib import Path

from monitor.app.app import Runner
from monitor.app.sink import AppSink
from monitor.store.follow import AttachedStore

FOLLOW_EVERY_S = 0.25
"""How often the attached app looks for a new commit (one stat of state.json when there is none)."""


def process_name(pid: int | None) -> str:
    """What the writer is, in a word: ``watch``, the ``app``, else ``process``."""
    if pid is None:
        return "another process"
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "situation-room"
    return "watch" if b"watch" in argv else "situation-room"


@dataclass
class Attached:
    """An attached view: the store to show, and the header line saying whose it is."""

    store: AttachedStore

    @classmethod
    def open(cls, data_dir: Path, *, retention_days: int) -> Attached:
        return cls(AttachedStore(data_dir, retention_days=retention_days))

    @property
    def label(self) -> str:
        pid = self.store.writer_pid
        who = process_name(pid)
        return f"attached to {who} (pid {pid})" if pid is not None else f"attached to {who}"

    def runner(self, every_s: float = FOLLOW_EVERY_S) -> Runner:
        """Follow the writer's commits until stopped; each one reaches the app as a report."""
        store = self.store

        async def follow(sink: AppSink, stop: asyncio.Event) -> None:
            said_gone = False
            while not stop.is_set():
                followed = await asyncio.to_thread(store.poll)
                if followed is not None:
                    await sink.deliver(followed)
                if not said_gone and not store.writer_alive():
                    said_gone = True
                    sink.warn(
                        f"the writer (pid {store.writer_pid}) has stopped: this view shows what it last "
                        "committed; start watch again, or quit and run the app alone to poll the feeds"
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=every_s)

        return follow
