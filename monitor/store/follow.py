"""A live read-only view of a store another process writes: the committed state, followed cycle by
cycle, for an app attached to a running ``watch``. No lock is taken and nothing is written except
acknowledgements and mutes, which go to the separately locked marks log (``monitor.store.marks``).

``poll`` is cheap when nothing happened (one ``stat`` of ``state.json``); after a commit it reads
the new state and, from the history chunks that changed, only the records of the new commits.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from monitor.diagnostics import Warn, print_to_stderr
from monitor.models import Alert, Event, FeedState, ForceEntry, Incident, Item, ZoneEntry, utcnow
from monitor.store.lock import holder_pid
from monitor.store.marks import MarkKind, MarksLog
from monitor.store.reader import StoreReader
from monitor.store.records import ALERTS_DIR, INCIDENTS_DIR, ITEMS_DIR, STATE_FILE, history_records
from monitor.store.shards import chunk_names
from monitor.store.storage import read_only


@dataclass(frozen=True)
class Followed:
    """What the writer committed since the last ``poll``, shaped like a pipeline's cycle report."""

    at: datetime
    items: tuple[Item, ...] = ()
    events: tuple[Event, ...] = ()
    alerts: tuple[Alert, ...] = ()
    incidents: tuple[Incident, ...] = ()
    forces: tuple[ForceEntry, ...] = ()
    zones: tuple[ZoneEntry, ...] = ()
    feeds: dict[str, FeedState] = field(default_factory=dict)
    failed_feeds: tuple[str, ...] = ()


class AttachedStore:
    """The store of ``data_dir`` as its writer last committed it; ``poll`` moves it to the newest commit."""

    def __init__(
        self,
        data_dir: Path,
        *,
        retention_days: int = 30,
        now: Callable[[], datetime] = utcnow,
        warn: Warn = print_to_stderr,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.retention_days = retention_days
        self._now = now
        self._warn = warn
        self._marks = MarksLog(self.data_dir)
        self._state_marks_key: tuple[int, int, int] | None = None
        self._state_marks_cache: dict[MarkKind, dict[str, datetime]] = {"ack": {}, "mute": {}}
        self.writer_pid = holder_pid(self.data_dir)
        # Looked at before the state is read, so a commit landing meanwhile shows as a change.
        self._chunks = self._chunk_keys()
        self._state_key = self._stat(self.data_dir / STATE_FILE)
        self._reader = StoreReader.open(self.data_dir, retention_days=retention_days, now=now, warn=warn)
        self._dirty: set[Path] = set(self._chunks)
        """Chunks that held records of commits newer than the view (or may): read again next time."""

    # --- following ----------------------------------------------------------------------------

    @property
    def commits(self) -> int | None:
        return self._reader.commits

    def writer_alive(self) -> bool:
        """Whether the process that held the store when we attached still runs."""
        if self.writer_pid is None:
            return False
        try:
            os.kill(self.writer_pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # it runs, under another user
        return True

    def poll(self) -> Followed | None:
        """What was committed since the last call, or None when nothing was."""
        chunks = self._chunk_keys()  # before the state: see __init__
        key = self._stat(self.data_dir / STATE_FILE)
        if key == self._state_key:
            return None
        before = self._reader.commits or 0
        reader = StoreReader.open(
            self.data_dir, retention_days=self.retention_days, now=self._now, warn=self._warn
        )
        self._state_key = key
        after = reader.commits
        if after is not None and after <= before:
            return None  # state.json rewritten without a new cycle (marks folded in)
        changed = {path for path, k in chunks.items() if self._chunks.get(path) != k} | self._dirty
        self._chunks, self._reader, self._dirty = chunks, reader, set()
        contents = {path: read_only(path, warn=self._warn, backup_if_missing=False) or {} for path in changed}

        def new(family: str, table: str) -> list[dict[str, object]]:
            docs = []
            for path in sorted(p for p in changed if p.parent.name == family):
                for doc in contents[path].get(table, {}).values():
                    commit = _commit_of(doc)
                    if after is not None and commit > after:
                        self._dirty.add(path)  # a cycle still being written: its turn comes
                    elif commit > before:
                        docs.append(doc)
            return docs

        feeds = reader.feed_states()
        return Followed(
            at=self._now(),
            items=tuple(history_records(Item, new(ITEMS_DIR, "items"), "items", self._warn)),
            events=tuple(history_records(Event, new(ITEMS_DIR, "events"), "events", self._warn)),
            alerts=tuple(history_records(Alert, new(ALERTS_DIR, "alerts"), "alerts", self._warn)),
            incidents=tuple(
                history_records(Incident, new(INCIDENTS_DIR, "incidents"), "incidents", self._warn)
            ),
            forces=tuple(reader.forces()),
            zones=tuple(reader.zones()),
            feeds=feeds,
            failed_feeds=tuple(name for name, state in feeds.items() if state.consecutive_failures),
        )

    @staticmethod
    def _stat(path: Path) -> tuple[int, int, int] | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _chunk_keys(self) -> dict[Path, tuple[int, int, int] | None]:
        out: dict[Path, tuple[int, int, int] | None] = {}
        for family in (ITEMS_DIR, INCIDENTS_DIR, ALERTS_DIR):
            root = self.data_dir / family
            for name in chunk_names(root)[-4:]:  # a commit appends to the newest chunks only
                path = root / f"{name}.json"
                out[path] = self._stat(path)
        return out

    # --- what the app reads (StoreView) -------------------------------------------------------

    def feed_states(self) -> dict[str, FeedState]:
        return self._reader.feed_states()

    def item(self, key: str) -> Item | None:
        return next((i for i in reversed(self._reader.items()) if i.key == key), None)

    def items(self, since: datetime | None = None) -> list[Item]:
        return self._reader.items(since)

    def events(self, since: datetime | None = None) -> list[Event]:
        return self._reader.events(since)

    def incidents(self, since: datetime | None = None) -> list[Incident]:
        return self._reader.incidents(since)

    def forces(self) -> list[ForceEntry]:
        return self._reader.forces()

    def zones(self) -> list[ZoneEntry]:
        return self._reader.zones()

    def alerts(self, since: datetime | None = None) -> list[Alert]:
        return self._reader.alerts(since)

    # --- marks: the shared log, never the writer's state file ---------------------------------

    def acknowledged(self) -> set[str]:
        return self._marked("ack")

    def muted(self) -> set[str]:
        return self._marked("mute")

    def marks_version(self) -> int:
        """Reads what ``marks.log`` gained (one ``stat`` when nothing); the number goes up whenever
        ``acknowledged``/``muted`` may have changed, whichever process marked."""
        return self._marks.refresh()

    def _marked(self, kind: MarkKind) -> set[str]:
        # The log first, then state.json: the writer folds into state.json before it compacts the
        # log, so a compacted log read here means the state read next already holds what it folded.
        self._marks.refresh()
        older = self._state_marks()[kind]
        merged = self._marks.merged(kind, older)
        cutoff = datetime.combine(
            self._now().astimezone(UTC).date() - timedelta(days=self.retention_days), time(), UTC
        )
        return {k for k, at in merged.items() if at >= cutoff}

    def _state_marks(self) -> dict[MarkKind, dict[str, datetime]]:
        """The acks and mutes tables of ``state.json`` (read again only when the file changed)."""
        key = self._stat(self.data_dir / STATE_FILE)
        if key is None or key != self._state_marks_key:
            state = read_only(self.data_dir / STATE_FILE, warn=self._warn) or {}
            tables: dict[MarkKind, dict[str, datetime]] = {"ack": {}, "mute": {}}
            names: tuple[tuple[MarkKind, str], ...] = (("ack", "acks"), ("mute", "mutes"))
            for kind, table in names:
                for doc in state.get(table, {}).values():
                    try:
                        tables[kind][str(doc["k"])] = datetime.fromisoformat(str(doc["at"]))
                    except (KeyError, ValueError):
                        continue
            self._state_marks_cache, self._state_marks_key = tables, key
        return self._state_marks_cache

    def acknowledge(self, incident_ids: Iterable[str], *, on: bool = True) -> None:
        self._marks.append("ack", list(dict.fromkeys(incident_ids)), on=on, now=self._now())

    def mute(self, incident_ids: Iterable[str], *, on: bool = True) -> None:
        self._marks.append("mute", list(dict.fromkeys(incident_ids)), on=on, now=self._now())


def _commit_of(doc: dict[str, object]) -> int:
    try:
        return int(str(doc["c"]))
    except (KeyError, ValueError):
        return 0
