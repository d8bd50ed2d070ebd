"""Acknowledgements and mutes that any process may add, without the writer's lock.

``marks.log`` in the data directory is append-only: one JSON line per change,
``{"k": "ack"|"mute", "i": [incident ids], "on": true|false, "at": ISO time}``, written under its
own small lock (``marks.lock``, never the store's) and fsync'd before the call returns. So an app
attached to a running ``watch`` can acknowledge and mute while watch commits, and what it marked
survives any restart. Every reader replays the lines in order: the last line about an incident
decides. A torn last line (a crash mid-append, which therefore never returned) is skipped; the next
append starts on a line of its own.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from filelock import FileLock, Timeout

from monitor.errors import StoreError
from monitor.store.storage import fsync_dir

MARKS_LOG = "marks.log"
MARKS_LOCK = "marks.lock"
LOCK_WAIT_S = 5.0
"""Appends are a few bytes; another process holds the lock for milliseconds at most."""

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


class MarksLog:
    """The marks log of one data directory; cheap to keep open (it reads only when the file changed)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / MARKS_LOG
        self._lock = FileLock(Path(data_dir) / MARKS_LOCK, thread_local=False)
        self._seen: tuple[int, int] | None = None
        self._marks = Marks()

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
                    if not created and os.fstat(fd).st_size and not self._ends_with_newline():
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

    def read(self) -> Marks:
        """The log replayed (re-read only when its size or modification time changed)."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._seen, self._marks = None, Marks()
            return self._marks
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
        key = (st.st_size, st.st_mtime_ns)
        if key != self._seen:
            self._marks = replay(self.path.read_bytes())
            self._seen = key
        return self._marks


def replay(raw: bytes) -> Marks:
    """The marks a log's bytes say, in order; lines that cannot be read are skipped."""
    marks = Marks()
    for text in raw.split(b"\n"):
        try:
            line = json.loads(text)
            kind, ids, on = line["k"], [str(i) for i in line["i"]], bool(line["on"])
            at = datetime.fromisoformat(str(line["at"]))
        except (ValueError, KeyError, TypeError):
            continue
        if kind not in ("ack", "mute"):
            continue
        target = marks.acks if kind == "ack" else marks.mutes
        for incident_id in ids:
            marks.decided[kind].add(incident_id)
            if on:
                target[incident_id] = at
            else:
                target.pop(incident_id, None)
    return marks
