"""A TinyDB storage that writes atomically, keeps a .bak of the last good state and recovers bad files."""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from monitor.diagnostics import Warn, print_to_stderr
from monitor.errors import StoreCorruptError, StoreError

Data = dict[str, dict[str, Any]]


def backup_path(path: Path) -> Path:
    """Where the previous good version of ``path`` is kept."""
    return path.with_name(path.name + ".bak")


def parse(raw: bytes) -> Data:
    """Decode a TinyDB file; StoreCorruptError (with the reason) for anything but tables of documents."""
    if not raw:
        raise StoreCorruptError("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError as exc:  # JSONDecodeError ("Extra data", truncation, NULs) and UnicodeDecodeError
        raise StoreCorruptError(str(exc)) from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise StoreCorruptError("it is JSON but not a set of tables of documents")
    return data


def fsync_dir(directory: Path) -> None:
    """Make renames in ``directory`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, payload: bytes, *, keep_backup: bool = True) -> None:
    """Replace ``path`` with ``payload`` so a crash leaves the old or the new file, never a mix.

    The previous file is kept as ``<name>.bak`` (a hard link, so no copy is made where links work).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if keep_backup and path.exists():
            _keep_backup(path)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _keep_backup(path: Path) -> None:
    bak_tmp = path.with_name(f".{path.name}.bak.{os.getpid()}.tmp")
    bak_tmp.unlink(missing_ok=True)
    try:
        os.link(path, bak_tmp)
    except OSError:  # no hard links on this file system: copy instead
        shutil.copyfile(path, bak_tmp)
        with open(bak_tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    bak_tmp.replace(backup_path(path))


def move_aside(path: Path) -> Path:
    """Rename a damaged file to ``<name>.corrupt-<UTC timestamp>`` and return the new path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    path.replace(target)
    fsync_dir(path.parent)
    return target


class AtomicJSONStorage(Storage):
    """TinyDB storage for one JSON file: atomic replace on write, recovery from ``.bak`` on read.

    A file that cannot be read is never emptied silently: it is moved aside with a timestamp, the
    backup is restored if it reads, and ``warn`` says what happened. ``read_only`` storages (used
    without the store lock) never move or write anything: they read through ``read_only``.
    """

    def __init__(self, path: str | Path, *, warn: Warn = print_to_stderr, read_only: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self._warn = warn
        self._read_only = read_only

    def read(self) -> Data | None:
        if self._read_only:
            return read_only(self.path, warn=self._warn)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            if backup_path(self.path).exists():
                return self._recover("the file is missing but its backup is there")
            return None
        try:
            return parse(raw)
        except StoreCorruptError as exc:
            return self._recover(str(exc))

    def write(self, data: Data) -> None:
        if self._read_only:
            raise StoreError(f"{self.path} was opened read-only")
        atomic_write(self.path, json.dumps(data, separators=(",", ":")).encode("ascii"))

    def _recover(self, reason: str) -> Data | None:
        bak = backup_path(self.path)
        bak_raw, backup = _read_backup(self.path)
        aside = move_aside(self.path) if self.path.exists() else None
        kept = f"; the damaged file is kept as {aside.name}" if aside else ""
        if backup is not None:
            atomic_write(self.path, bak_raw)
            self._warn(f"{self.path} was unreadable ({reason}); restored it from {bak.name}{kept}")
            return backup
        if bak.exists():  # useless now, but kept for whoever wants to dig; and not tried again
            kept += f" (its bad backup as {move_aside(bak).name})"
        self._warn(
            f"WARNING: {self.path} was unreadable ({reason}) and has no usable backup; "
            f"its contents are NOT loaded and it starts EMPTY{kept}"
        )
        return None


def _read_backup(path: Path) -> tuple[bytes, Data | None]:
    """The raw bytes of ``path``'s backup and its tables (None when it is missing or unreadable)."""
    try:
        raw = backup_path(path).read_bytes()
        return raw, parse(raw)
    except (OSError, StoreCorruptError):
        return b"", None


def read_only(path: Path, *, warn: Warn, backup_if_missing: bool = True) -> Data | None:
    """The tables of ``path``, read without moving, restoring or writing anything (no lock needed).

    A damaged or unreadable file is read from its ``.bak`` instead, and ``warn`` says so; the
    writer repairs the file itself when it next opens the store. A missing file reads as None, or
    (with ``backup_if_missing``) as its backup when one is there, as the writer would restore it.
    The writer replaces files atomically, so one read sees one whole version of the file.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if not (backup_if_missing and backup_path(path).exists()):
            return None
        reason = "the file is missing but its backup is there"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    else:
        try:
            return parse(raw)
        except StoreCorruptError as exc:
            reason = str(exc)
    backup = _read_backup(path)[1]
    if backup is not None:
        warn(f"{path} is unreadable ({reason}); showing its backup {backup_path(path).name}")
    else:
        warn(f"{path} is unreadable ({reason}) and has no usable backup")
    return backup


class CommitCache(CachingMiddleware):
    """TinyDB's write cache, flushed only when the store commits (never after N operations)."""

    WRITE_CACHE_SIZE = sys.maxsize


def open_db(path: Path, *, warn: Warn, read_only: bool = False) -> TinyDB:
    """A TinyDB on ``path``: every change stays in memory until ``flush(db)`` writes the file once."""
    cache = CommitCache(AtomicJSONStorage)  # type: ignore[no-untyped-call]  # tinydb leaves it unannotated
    return TinyDB(path, storage=cache, warn=warn, read_only=read_only)


def flush(db: TinyDB) -> None:
    """Write the database's file now (atomically), if anything changed since the last flush."""
    cast(CommitCache, db.storage).flush()  # type: ignore[no-untyped-call]
