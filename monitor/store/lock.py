"""The single-writer lock of a data directory, with the holder's PID in a sidecar file."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from filelock import FileLock, Timeout

from monitor.errors import StoreError, StoreLockedError
from monitor.store.storage import atomic_write

LOCK_FILE = "store.lock"
PID_FILE = "store.pid"


def holder_pid(data_dir: Path) -> int | None:
    """The PID written by the process that holds (or last held) the lock, if readable."""
    try:
        return int((data_dir / PID_FILE).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


class DataDirLock:
    """An OS-level lock (released by the kernel even on kill -9) plus ``store.pid`` naming the holder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._lock = FileLock(data_dir / LOCK_FILE, thread_local=False)

    def acquire(self) -> None:
        """Take the lock at once or raise StoreLockedError naming the holder; never waits."""
        # filelock reports a lock file it cannot create as "held by someone": check first, so an
        # unwritable directory is not blamed on another process.
        try:
            (self.data_dir / LOCK_FILE).touch(exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot use data directory {self.data_dir}: {exc.strerror or exc}; "
                "choose another with --data-dir"
            ) from None
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise StoreLockedError(str(self.data_dir), holder_pid(self.data_dir)) from None
        atomic_write(self.data_dir / PID_FILE, f"{os.getpid()}\n".encode("ascii"), keep_backup=False)

    def release(self) -> None:
        if not self._lock.is_locked:
            return
        if holder_pid(self.data_dir) == os.getpid():
            with contextlib.suppress(OSError):
                (self.data_dir / PID_FILE).unlink()
        self._lock.release()
