"""Acknowledgements and mutes that any process may add, without the writer's lock.

``marks.log`` in the data directory is append-only: a header line naming the file's generation,
``{"gen": token}``, then one JSON line per change,
``{"k": "ack"|"mute", "i": [incident ids], "on": true|false, "at": ISO time}``, written under its
own small lock (``marks.lock``, never the store's) and fsync'd before the call returns. So an app
attached to a running ``watch`` can acknowledge and mute while watch commits, and what it marked
survives any restart. Every reader replays the lines in order: the last line about an incident
decides. A torn last line (a crash mid-append, which therefore never returned) is skipped; the next
append starts on a line of its own.

Readers follow the log: ``refresh`` is one ``stat`` when nothing changed and otherwise reads only
the bytes appended since the last call (up to the last whole line; a line still being written is
read next time). The store's writer folds the lines into ``state.json`` at a commit and then
``compact``\\ s the log: under ``marks.lock``, it rewrites the file atomically (a new generation,
keeping only the lines appended after the fold), so an appender never loses a line and a reader
holding an offset into the old file sees another inode or generation and reads the new one whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from filelock import FileLock, Timeout

from monitor.errors import StoreError
from monitor.store.storage import atomic_write, fsync_dir

MARKS_LOG = "marks.log"
MARKS_LOCK = "marks.lock"
LOCK_WAIT_S = 5.0
"""Appends are a few bytes; another process holds the lock for milliseconds at most."""
HEADER_PREFIX = b'{"gen":'

MarkKind = Literal["ack", "mute"]


@dataclass
class Marks:
    """The replayed log: incident id → when it was marked, for each kind (unmarked ids absent), and
    every id the log has a word on (so an older record elsewhere does not override it)."""

    acks: dict[str, datetime] = field(default_factory=dict)
    mutes: dict[str, datetime] = field(default_factory=dict)
    decided: dict[MarkKind, set[str]] = field(default_factory=lambda: {"ack": set(), "mute": set()})

    def merged(self, kind: MarkKind, older: dict[str, datetime]) -> dict[str, datetime]:
        """``older`` marks (the store's state tables) with the log's word on top."""
        mine = self.acks if kind == "ack" else self.mutes
        out = {k: v for k, v in older.items() if k not in self.decided[kind]}
        out.update(mine)
        return out

    def said(self, kind: MarkKind) -> dict[str, datetime | None]:
        """Every id the log decided for ``kind``: when it was marked, or None when unmarked."""
        mine = self.acks if kind == "ack" else self.mutes
        return {k: mine.get(k) for k in self.decided[kind]}

    def apply(self, raw: bytes) -> int:
        """Replay these whole lines on top; returns how many were marks."""
        applied = 0
        for text in raw.split(b"\n"):
            try:
                line = json.loads(text)
                kind, ids, on = line["k"], [str(i) for i in line["i"]], bool(line["on"])
                at = datetime.fromisoformat(str(line["at"]))
            except (ValueError, KeyError, TypeError):
                continue  # the header, a torn line, or something that is not ours
            if kind not in ("ack", "mute"):
                continue
            applied += 1
            target = self.acks if kind == "ack" else self.mutes
            for incident_id in ids:
                self.decided[kind].add(incident_id)
                if on:
                    target[incident_id] = at
                else:
                    target.pop(incident_id, None)
        return applied


@dataclass(frozen=True)
class FoldPoint:
    """How far a reader had read when the writer took the log's marks into its state."""

    inode: int
    generation: str
    offset: int
    marks: Marks
    lines: int
    """Marks lines up to ``offset`` (0: nothing to fold, nothing to compact)."""


class MarksLog:
    """The marks log of one data directory, followed incrementally; safe to share between threads."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / MARKS_LOG
        self._lock = FileLock(Path(data_dir) / MARKS_LOCK, thread_local=False)
        self._mutex = threading.Lock()
        self._key: tuple[int, int, int, int] | None = None
        """``stat`` of the file when last read: unchanged means nothing to read."""
        self._inode = -1
        self._generation = ""
        self._offset = 0
        """Bytes read (always the end of a whole line)."""
        self._marks = Marks()
        self._lines = 0
        self.version = 0
        """Goes up whenever what the log says may have changed (new lines, or the file replaced)."""
        self.bytes_read = 0
        """Bytes read from the log so far (to show that following reads only what was appended)."""

    # --- appending (any process) ----------------------------------------------------------------

    def append(self, kind: MarkKind, incident_ids: list[str], *, on: bool, now: datetime) -> None:
        """Record a change durably (fsync'd) before returning; StoreError if it cannot be written."""
        if not incident_ids:
            return
        line = {"k": kind, "i": incident_ids, "on": on, "at": now.astimezone(UTC).isoformat()}
        data = (json.dumps(line, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")
        try:
            with self._lock.acquire(timeout=LOCK_WAIT_S):
                created = not self.path.exists()
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:
                    if not os.fstat(fd).st_size:
                        data = _header() + data
                    elif not self._ends_with_newline():
                        data = b"\n" + data  # after a torn line: start a line of our own
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view) :]
                    os.fsync(fd)
                finally:
                    os.close(fd)
                if created:
                    fsync_dir(self.path.parent)
        except Timeout:
            raise StoreError(f"could not record the mark in {self.path}: its lock stayed busy") from None
        except OSError as exc:
            raise StoreError(f"could not record the mark in {self.path}: {exc.strerror or exc}") from exc

    def _ends_with_newline(self) -> bool:
        with open(self.path, "rb") as fh:
            fh.seek(-1, os.SEEK_END)
            return fh.read(1) == b"\n"

    # --- following (every reader) ---------------------------------------------------------------

    def refresh(self) -> int:
        """Take in what was appended since the last call (the whole file if it was replaced);
        returns ``version``. One ``stat`` when nothing changed."""
        with self._mutex:
            self._refresh()
            return self.version

    def _refresh(self) -> None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            if self._key is not None or self._lines:
                self._start_over(-1, "")
                self._key = None
                self.version += 1
            return
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
        if _key(st) == self._key:
            return
        try:
            with open(self.path, "rb") as fh:
                fst = os.fstat(fh.fileno())
                head = os.pread(fh.fileno(), 256, 0)
                generation = _generation_of(head)
                if fst.st_ino != self._inode or generation != self._generation or fst.st_size < self._offset:
                    self._start_over(fst.st_ino, generation)  # replaced (compacted) or cut: read it whole
                    self.version += 1
                fh.seek(self._offset)
                raw = fh.read(max(0, fst.st_size - self._offset))
        except FileNotFoundError:  # replaced between the stat and the open: the next call reads it
            return
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
        self.bytes_read += len(raw)
        whole = raw.rfind(b"\n") + 1  # a line still being written (or torn) waits for its newline
        if whole:
            self._lines += self._marks.apply(raw[:whole])
            self._offset += whole
            self.version += 1
        # The key only when everything up to the end was read: a torn tail is looked at again.
        self._key = _key(fst) if whole == len(raw) else None

    def _start_over(self, inode: int, generation: str) -> None:
        self._inode, self._generation, self._offset = inode, generation, 0
        self._marks, self._lines = Marks(), 0

    def read(self) -> Marks:
        """A copy of what the log says now (after ``refresh``)."""
        with self._mutex:
            self._refresh()
            return self._copy()

    def merged(self, kind: MarkKind, older: dict[str, datetime]) -> dict[str, datetime]:
        """``older`` marks with the log's word on top, the log read up to now."""
        with self._mutex:
            self._refresh()
            return self._marks.merged(kind, older)

    # --- folding and compacting (the store's writer only) ---------------------------------------

    def fold_point(self) -> FoldPoint:
        """What the log says up to its last whole line, for the writer to fold into its state."""
        with self._mutex:
            self._refresh()
            return FoldPoint(self._inode, self._generation, self._offset, self._copy(), self._lines)

    def _copy(self) -> Marks:
        marks = self._marks
        decided: dict[MarkKind, set[str]] = {
            "ack": set(marks.decided["ack"]),
            "mute": set(marks.decided["mute"]),
        }
        return Marks(dict(marks.acks), dict(marks.mutes), decided)

    def compact(self, fold: FoldPoint) -> bool:
        """After the state holds ``fold``'s marks: rewrite the log keeping only the lines appended
        after it, as a new generation, atomically and under the log's lock. False when the file is
        no longer the one folded (left as it is: replaying it again is harmless)."""
        if not fold.lines:
            return False
        try:
            with self._lock.acquire(timeout=LOCK_WAIT_S):
                with open(self.path, "rb") as fh:
                    old = os.fstat(fh.fileno())
                    same = old.st_ino == fold.inode
                    if not same or _generation_of(os.pread(fh.fileno(), 256, 0)) != fold.generation:
                        return False
                    fh.seek(fold.offset)
                    tail = fh.read()
                # Lines after the fold, whole ones only (a torn fragment never returned to its writer).
                whole = tail.split(b"\n")[: tail.count(b"\n")]
                kept = b"".join(line + b"\n" for line in whole if _is_mark(line))
                atomic_write(self.path, _header() + kept, keep_backup=False)
                # Viewers of another user append to it: the new file keeps the old one's mode and group.
                self.path.chmod(stat.S_IMODE(old.st_mode))
                with contextlib.suppress(OSError):
                    os.chown(self.path, -1, old.st_gid)
        except Timeout:
            return False  # an appender is slow: the next commit compacts
        except FileNotFoundError:
            return False
        with self._mutex:  # what this process now reads: the new file, from its start
            self._key = None
            self._start_over(-1, "")
            self.version += 1
            self._refresh()
        return True


def replay(raw: bytes) -> Marks:
    """The marks a log's bytes say, in order; lines that cannot be read are skipped."""
    marks = Marks()
    marks.apply(raw)
    return marks


def _header() -> bytes:
    return HEADER_PREFIX + json.dumps(os.urandom(8).hex()).encode("ascii") + b"}\n"


def _generation_of(head: bytes) -> str:
    """The generation a file's first bytes name ("" for a log without a header)."""
    if not head.startswith(HEADER_PREFIX) or b"\n" not in head:
        return ""
    try:
        return str(json.loads(head[: head.index(b"\n")])["gen"])
    except (ValueError, KeyError, TypeError):
        return ""


def _is_mark(line: bytes) -> bool:
    return Marks().apply(line) == 1


def _key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
