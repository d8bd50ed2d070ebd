"""History on disk: append-only TinyDB files per day, cut into numbered chunks so no file grows unbounded."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from monitor.diagnostics import Warn
from monitor.store.storage import backup_path, flush, open_db

_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{4})$")
_COMMIT = re.compile(rb'\{"c":(\d+),')
"""A document's commit number as the storage writes it (compact JSON, "c" first): lets open see
whether a chunk holds anything newer than the last commit without parsing the file."""

BACKED_UP_CHUNKS = 2
"""Chunks (newest first) that keep a .bak. Older ones are closed and never written again, and a backup
of each would double the disk the history takes."""

READ_CACHE_CHUNKS = 4
"""Closed chunks kept parsed in memory, so looking up items one by one does not re-read a file each time."""

Doc = dict[str, Any]
"""A stored document: ``{"c": commit number, "r": record as JSON}`` (plus a few bookkeeping keys)."""


def chunk_day(name: str) -> date:
    """The day a chunk name (``YYYY-MM-DD.NNNN``) belongs to."""
    return date.fromisoformat(name[:10])


def chunk_names(root: Path) -> list[str]:
    """The chunks in the history folder ``root``, oldest first (none when it does not exist)."""
    found = (p.name[: -len(".json")] for p in root.glob("*.json"))
    return sorted(n for n in found if _NAME.match(n))


def _chunk_name(day: date, index: int) -> str:
    return f"{day.isoformat()}.{index:04d}"


class Shards:
    """One family of history files (``<root>/<day>.<n>.json``), written only through its newest chunk.

    Records are appended to the current chunk; a new chunk starts on a new day or once the current one
    holds ``cap`` documents, so one commit rewrites one bounded file however long the history is.
    Old chunks are read on demand and deleted whole by retention.
    """

    def __init__(self, root: Path, tables: Sequence[str], *, cap: int, warn: Warn) -> None:
        self.root = root
        self.tables = tuple(tables)
        self.cap = cap
        self._warn = warn
        self._current: tuple[str, TinyDB] | None = None
        self._count = 0
        self._dirty = False
        self._started = False
        self._newest_pending = True
        """The newest chunk on disk is to become the current one when first appended to."""
        self._read_cache: OrderedDict[str, dict[str, list[Doc]]] = OrderedDict()
        root.mkdir(parents=True, exist_ok=True)
        for stale in root.glob(".*.tmp"):  # left by a writer killed mid-write; we hold the lock
            stale.unlink(missing_ok=True)

    # --- names and paths ----------------------------------------------------------------------

    def path(self, name: str) -> Path:
        return self.root / f"{name}.json"

    def names(self) -> list[str]:
        """Every chunk on disk, oldest first."""
        return chunk_names(self.root)

    @property
    def current(self) -> str | None:
        """The chunk new records go to, if one is open."""
        return self._current[0] if self._current else None

    # --- writing ------------------------------------------------------------------------------

    def open_newest(self) -> None:
        """Make the newest chunk on disk the current one (loading it checks and, if need be, recovers it)."""
        names = self.names()
        if names:
            self._use(names[-1])

    def chunk_for(self, day: date) -> str:
        """The chunk today's records go to: the current one while it has room, else a new one."""
        if self._current is None and self._newest_pending:
            self.open_newest()
        self._newest_pending = False
        if self._current is not None:
            name = self._current[0]
            current_day = chunk_day(name)
            if day <= current_day and self._count < self.cap:
                return name
            day = max(day, current_day)
        existing = [n for n in self.names() if chunk_day(n) == day]
        index = int(existing[-1][11:]) + 1 if existing else 0
        return _chunk_name(day, index)

    def append(self, name: str, commit: int, rows: Mapping[str, Sequence[Any]]) -> None:
        """Add records (as JSON values) to chunk ``name``, in memory until ``flush``."""
        db = self._use(name)
        for table, records in rows.items():
            if records:
                db.table(table).insert_multiple({"c": commit, "r": r} for r in records)
                self._count += len(records)
                self._dirty = True

    def append_capped(
        self,
        day: date,
        commit: int,
        rows: Sequence[tuple[str, object]],
        to_doc: Callable[[str, object], object],
    ) -> Iterator[tuple[str, list[tuple[str, object]]]]:
        """Append ``(table, record)`` rows a chunk at a time, each chunk filled up to its cap and
        flushed before the next one starts; yields each chunk's name and the rows it took (once
        its file is written). One large batch thus never makes one large file."""
        at = 0
        while at < len(rows):
            name = self.chunk_for(day)
            db = self._use(name)
            part = list(rows[at : at + max(1, self.cap - self._count)])
            at += len(part)
            by_table: dict[str, list[object]] = {}
            for table, record in part:
                by_table.setdefault(table, []).append(to_doc(table, record))
            for table, docs in by_table.items():
                db.table(table).insert_multiple({"c": commit, "r": d} for d in docs)
            self._count += len(part)
            self._dirty = True
            self.flush()
            yield name, part

    def db(self, name: str) -> TinyDB:
        """Chunk ``name`` opened for writing (it becomes the current one); ``flush`` writes it."""
        self.flush()
        return self._use(name)

    def flush(self) -> None:
        """Write the current chunk's file (one atomic write), if it changed."""
        if self._current is not None and self._dirty:
            flush(self._current[1])
            if self._started:  # a chunk was closed by this one: its elders need no backup any more
                for name in self.names()[:-BACKED_UP_CHUNKS]:
                    backup_path(self.path(name)).unlink(missing_ok=True)
        self._dirty = False
        self._started = False

    def discard(self) -> None:
        """Forget unflushed changes: the current chunk is reloaded from disk when next used."""
        self._current = None
        self._newest_pending = True
        self._count = 0
        self._dirty = False
        self._started = False
        self._read_cache.clear()

    def _use(self, name: str) -> TinyDB:
        if self._current is not None and self._current[0] == name:
            return self._current[1]
        self._read_cache.pop(name, None)
        self._started = not self.path(name).exists()
        db = open_db(self.path(name), warn=self._warn)
        self._current = (name, db)
        self._count = sum(len(db.table(t)) for t in self.tables)
        self._dirty = False
        return db

    # --- reading ------------------------------------------------------------------------------

    def docs(self, name: str, table: str) -> list[Doc]:
        """The documents of one table of one chunk, in insertion order."""
        if self._current is not None and self._current[0] == name:
            return [dict(d) for d in self._current[1].table(table)]
        cached = self._read_cache.get(name)
        if cached is None:
            cached = self._read(name)
            self._read_cache[name] = cached
            if len(self._read_cache) > READ_CACHE_CHUNKS:
                self._read_cache.popitem(last=False)
        self._read_cache.move_to_end(name)
        return cached.get(table, [])

    def _read(self, name: str) -> dict[str, list[Doc]]:
        if not self.path(name).exists():
            return {}
        db = open_db(self.path(name), warn=self._warn)
        try:
            return {t: [dict(d) for d in db.table(t)] for t in self.tables}
        finally:
            db.close()

    def scan(self, table: str, *, from_day: date | None = None) -> Iterator[Doc]:
        """Documents of ``table`` in every chunk from ``from_day`` on, oldest first."""
        for name in self.names():
            if from_day is None or chunk_day(name) >= from_day:
                yield from self.docs(name, table)

    def max_commit(self) -> int:
        """The highest commit number in the newest chunk (0 when there is none)."""
        names = self.names()
        if not names:
            return 0
        return max((d["c"] for t in self.tables for d in self.docs(names[-1], t)), default=0)

    # --- maintenance --------------------------------------------------------------------------

    def drop_uncommitted(self, committed: int) -> int:
        """Remove documents written by a commit that never completed; returns how many were removed.

        Only the newest chunks can hold them, so this walks back from the newest and stops at the
        first chunk with nothing newer than ``committed``.
        """
        removed = 0
        newer = Query().c > committed
        for name in reversed(self.names()):
            try:
                raw = self.path(name).read_bytes()
            except OSError:
                raw = b""
            if raw and max((int(c) for c in _COMMIT.findall(raw)), default=0) <= committed:
                # Nothing newer than the last commit in it (a damaged file is recovered when it is
                # first used): no need to parse it, nor any older chunk.
                break
            db = self._use(name)
            found = sum(len(db.table(t).remove(newer)) for t in self.tables)
            if not found:
                break
            removed += found
            if any(len(db.table(t)) for t in self.tables):
                flush(db)
            else:
                self.discard()
                self.path(name).unlink(missing_ok=True)
                backup_path(self.path(name)).unlink(missing_ok=True)
        self.discard()
        return removed

    def prune(self, before: date) -> list[str]:
        """Delete whole chunks (and their backups) of days before ``before``; returns their names."""
        gone: list[str] = []
        for path in sorted(self.root.glob("*.json*")):
            base = path.name.split(".json", 1)[0]
            if not _NAME.match(base) or chunk_day(base) >= before:
                continue
            if path.name == f"{base}.json":
                gone.append(base)
                self._read_cache.pop(base, None)
                if self.current == base:
                    self.discard()
                path.unlink(missing_ok=True)
            elif path.name == f"{base}.json.bak":
                path.unlink(missing_ok=True)
        return gone

    def close(self) -> None:
        self.flush()
        self._current = None
        self._read_cache.clear()
