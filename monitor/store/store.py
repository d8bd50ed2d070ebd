"""The store: hot state in one small file, history in day chunks, one atomic commit per poll cycle."""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

from pydantic import BaseModel
from tinydb import TinyDB
from tinydb.table import Table

from monitor.diagnostics import Warn, print_to_stderr
from monitor.errors import StoreError
from monitor.models import Alert, Event, FeedState, ForceEntry, Incident, Item, ZoneEntry, utcnow
from monitor.store.clock import (
    CLOCK_MARGIN,
    clock_warning,
    kept_estimate,
    newest_day,
    projected_time,
    retention_today,
    servers_warning,
)
from monitor.store.delivered import DELIVERED_FILE, DeliveredLedger
from monitor.store.lock import DataDirLock
from monitor.store.marks import MARKS_LOG, FoldPoint, MarkKind, MarksLog
from monitor.store.records import (
    ALERTS_DIR,
    INCIDENTS_DIR,
    ITEMS_DIR,
    SEEN_DIR,
    STATE_FILE,
    by_id,
    by_item_key,
    events_since,
    from_day,
    history_records,
    keyed_records,
    last_seen_before,
    latest_alerts,
    latest_incidents,
    latest_items,
    latest_records,
    source_updates,
)
from monitor.store.shards import Doc, Shards, chunk_day
from monitor.store.storage import flush, fsync_dir, open_db

MARKS_FILE = "emitted.journal"
"""Append-only, fsync'd journal of ``mark_emitted`` calls since ``state.json`` last took them in.

One JSON line per call, ``{"s": sequence, "k": sink, "i": [alert ids]}``. The next write of
``state.json`` folds the lines in (and records the last sequence folded, as ``marks`` in its meta),
then empties the journal; open replays the lines newer than that. A torn last line (a crash in the
middle of a call, which therefore never returned) is ignored and cut off."""
FORMAT = 1
ITEM_CHUNK_DOCS = 1500
"""Items + events per history chunk: bounds the file one commit rewrites, whatever the history holds."""
INCIDENT_CHUNK_DOCS = 1000
ALERT_CHUNK_DOCS = 1000
SEEN_RETENTION_FACTOR = 2
DELIVERED_KEEP = 5000
"""Alert ids remembered as delivered, per data directory (the newest, by count, never by clock): an
alert raised again with one of these ids (its history expired, say, or the clock set back) is not
handed to a sink that already delivered it."""
"""The seen ledger outlives history: a feed may carry an item longer than history keeps it, and
forgetting it would make old news look new."""

M = TypeVar("M", bound=BaseModel)


@dataclass
class Batch:
    """Everything one poll cycle changes; ``Store.commit`` writes it in one go."""

    feed_states: dict[str, FeedState] = field(default_factory=dict)
    """By feed name; replaces the stored state of each feed named."""
    items: list[Item] = field(default_factory=list)
    """New or updated items (an updated item replaces the stored one with the same key)."""
    events: list[Event] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    """Upserts by incident id."""
    forces: list[ForceEntry] = field(default_factory=list)
    """Upserts by contributor."""
    zones: list[ZoneEntry] = field(default_factory=list)
    """Upserts by zone."""
    alerts: list[Alert] = field(default_factory=list)
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """By item key: the whole new ``sources`` of a stored item that another feed now carries too
    (a wire copy). Written as a small record, so adding a source never rereads the stored item."""
    sinks: tuple[str, ...] = ()
    """Durable sinks: each alert of the batch is recorded as pending for every sink named here."""
    clock_offset: timedelta | None = None
    """True time minus this clock, as the cycle's servers told it (``clock.estimate_offset``); None
    when no server did."""
    held_updates: dict[str, tuple[str, ...]] | None = None
    """Every update alert the picture's limit holds (incident id → reasons), replacing the stored
    set; None leaves it as it is. Kept in ``state.json`` so a held update outlives the run."""


class _KeyedTable:
    """A TinyDB table used as a dict: one document per key ``k``, changed in bulk."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._ids: dict[str, int] = {doc["k"]: doc.doc_id for doc in table}

    def docs(self) -> list[Doc]:
        return [dict(doc) for doc in self._table]

    def put(self, docs: Iterable[Doc]) -> None:
        # TinyDB rebuilds a table on every operation, so the known documents are replaced in one
        # pass of its table update (Table._update_table, the primitive every TinyDB 4 write goes
        # through) and the new ones added in one insert, never N upserts.
        by_key = {doc["k"]: doc for doc in docs}
        known = {self._ids[k]: doc for k, doc in by_key.items() if k in self._ids}
        if known:
            self._table._update_table(lambda table: table.update(known))
        new = [k for k in by_key if k not in self._ids]
        if new:
            ids = self._table.insert_multiple(by_key[k] for k in new)
            self._ids.update(zip(new, ids, strict=True))

    def delete(self, keys: Iterable[str]) -> None:
        ids = [self._ids.pop(k) for k in set(keys) if k in self._ids]
        if ids:
            self._table.remove(doc_ids=ids)


@dataclass(frozen=True, slots=True)
class Seen:
    """What the seen ledger keeps of a stored item: enough for dedupe, without reading history."""

    content_hash: str
    chunk: str
    """The items chunk holding the item's record."""
    published_iso: str | None
    """Its publication time (ISO 8601) when the ledger knows it (entries older than the ledger's
    second format do not)."""
    sources: tuple[str, ...]

    @property
    def published(self) -> datetime | None:
        return datetime.fromisoformat(self.published_iso) if self.published_iso else None


def _seen_row(feed: str, item_id: str, seen: Seen, in_chunk: str) -> list[object]:
    """A ledger row: ``[feed, id, content hash, published, sources]`` plus the items chunk when it is
    not the ledger file's own (a sources update). Feed and id are separate JSON strings: the row
    needs no separator character, and none can be mistaken for part of a name."""
    row: list[object] = [feed, item_id, seen.content_hash, seen.published_iso, list(seen.sources)]
    if seen.chunk != in_chunk:
        row.append(seen.chunk)
    return row


def item_key(feed: str, item_id: str) -> str:
    """``Item.key`` from its two parts."""
    return f"{feed}\x1f{item_id}"


@dataclass(frozen=True)
class _Pending:
    alert: Alert
    sinks: frozenset[str]


class Store:
    """The single-writer store of one data directory. Open with ``Store.open``; use as a context manager.

    Layout: ``state.json`` holds what every cycle changes and is small (feed states, pending alert
    marks per sink, forces and zones boards, acknowledgements, mutes, the commit counter). History is
    append-only in chunks: ``items/`` (items and events), ``seen/`` (the seen ledger, one file per
    items chunk, loaded at open), ``incidents/`` and ``alerts/``. A commit writes the touched chunks
    first and ``state.json`` last; the commit counter in ``state.json`` is what makes it count, and
    records of a commit that never reached it are dropped at the next open. ``mark_emitted`` appends
    to a small journal (``emitted.journal``) instead of rewriting ``state.json``; the next state
    write takes its marks in. Other processes read the store without the lock through
    ``StoreReader``, which relies on this order.
    """

    def __init__(
        self,
        data_dir: Path,
        lock: DataDirLock,
        *,
        retention_days: int,
        now: Callable[[], datetime],
        warn: Warn,
    ) -> None:
        self.data_dir = data_dir
        self.retention_days = retention_days
        self._lock = lock
        self._now = now
        self._warn = warn
        self._mutex = threading.RLock()
        self._closed = False
        self._broken: str | None = None
        self._pruned_on: date | None = None
        self._dated: date = date.min
        """The day the next commit's history is dated by (set by ``_prune``)."""
        self._items = Shards(
            data_dir / ITEMS_DIR, ("items", "events", "sources"), cap=ITEM_CHUNK_DOCS, warn=warn
        )
        self._seen_files = Shards(data_dir / SEEN_DIR, ("seen",), cap=sys.maxsize, warn=warn)
        self._incident_files = Shards(
            data_dir / INCIDENTS_DIR, ("incidents",), cap=INCIDENT_CHUNK_DOCS, warn=warn
        )
        self._alert_files = Shards(data_dir / ALERTS_DIR, ("alerts",), cap=ALERT_CHUNK_DOCS, warn=warn)
        self._committed = 0
        self._state_db: TinyDB
        self._feeds: dict[str, FeedState] = {}
        self._forces: dict[str, ForceEntry] = {}
        self._zones: dict[str, ZoneEntry] = {}
        self._pending: dict[str, _Pending] = {}
        self._acks: dict[str, datetime] = {}
        self._mutes: dict[str, datetime] = {}
        self._held: dict[str, tuple[str, ...]] = {}
        self._marks_log = MarksLog(data_dir)
        """Acks and mutes any process may append (an app attached to a running watch); they are
        merged over the state tables, the log's last word deciding."""
        self._seen: dict[str, Seen] = {}
        self._seen_loaded = False
        """Whether ``_seen`` and ``_by_hash`` hold the ledger: read on first use, not at open (a cycle
        in which every feed answers 304 never asks, and the ledger is the largest part of an open)."""
        self._delivered = DeliveredLedger(data_dir / DELIVERED_FILE, keep=DELIVERED_KEEP, warn=warn)
        self._clock_warned = False
        self._clock_ref: tuple[datetime, timedelta] | None = None
        """The last estimate of true time: (this clock then, true time minus this clock)."""
        self._by_hash: dict[str, str] = {}
        self._item_chunks: set[str] = set()
        """Items chunks on disk (a ledger entry may outlive its chunk: the ledger is kept longer)."""
        self._marks_fd: int | None = None
        self._marks_seq = 0
        """Sequence number of the last journal line written (or folded)."""
        self._unfolded: set[str] = set()
        """Pending alerts changed by journalled marks and not yet written into ``state.json``."""

    # --- opening and closing ------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        retention_days: int = 30,
        now: Callable[[], datetime] = utcnow,
        warn: Warn = print_to_stderr,
    ) -> Store:
        """Take the data directory's lock, recover damaged files, drop expired history and load the state.

        Raises StoreLockedError (naming the holder's PID) when another process has the directory.
        """
        if retention_days < 1:
            raise ValueError("retention_days must be at least 1")
        data_dir = Path(data_dir).expanduser()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create data directory {data_dir}: {exc.strerror}") from None
        lock = DataDirLock(data_dir)
        try:
            lock.acquire()
        except OSError as exc:
            raise StoreError(f"cannot lock data directory {data_dir}: {exc.strerror}") from None
        try:
            store = cls(data_dir, lock, retention_days=retention_days, now=now, warn=warn)
            store._load()
            if store._prune(None) or store._unfolded:
                store._write_marks_into_state()
        except OSError as exc:
            lock.release()
            raise StoreError(f"cannot use data directory {data_dir}: {exc}") from exc
        except BaseException:
            lock.release()
            raise
        atexit.register(store.close)
        return store

    def close(self) -> None:
        """Write anything pending and release the lock. Safe to call more than once."""
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            try:
                if self._broken is None:
                    for shards in self._families():
                        shards.close()
                    if self._unfolded:
                        try:
                            self._write_marks_into_state()
                        except OSError as exc:  # the journal still holds them; the next open replays it
                            self._warn(f"could not fold delivered-alert marks into {STATE_FILE}: {exc}")
                    self._state_db.close()
            finally:
                self._close_marks()
                self._lock.release()
                atexit.unregister(self.close)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def commits(self) -> int:
        """How many commits this data directory has seen (the number of the last one)."""
        return self._committed

    def _families(self) -> tuple[Shards, ...]:
        return (self._items, self._seen_files, self._incident_files, self._alert_files)

    def _today(self) -> date:
        return self._now().astimezone(UTC).date()

    def _load(self) -> None:
        """(Re)load everything from disk: used at open and to get back in step after a failed write."""
        for stale in self.data_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        for shards in self._families():
            shards.discard()
        state_path = self.data_dir / STATE_FILE
        # A state file that never existed (no backup, nothing moved aside) means no commit ever
        # completed: history on disk then belongs to a first cycle that was interrupted.
        never_committed = not any(
            p.exists() for p in (state_path, state_path.with_name(state_path.name + ".bak"))
        ) and not any(self.data_dir.glob(f"{STATE_FILE}.corrupt-*"))
        self._state_db = open_db(state_path, warn=self._warn)
        meta = self._state_db.table("meta").get(doc_id=1)
        if meta is None and not never_committed:
            # The state file was lost without a backup: what history holds counts as committed.
            self._committed = max(shards.max_commit() for shards in self._families())
        else:
            self._committed = int(meta["committed"]) if meta is not None else 0
            dropped = sum(shards.drop_uncommitted(self._committed) for shards in self._families())
            if dropped:
                self._warn(
                    f"the last poll cycle was interrupted before it was saved; dropped its {dropped} "
                    "unsaved record(s), which will be fetched again"
                )
        self._load_state()
        self._clock_ref = kept_estimate(meta)
        self._replay_marks(int(meta.get("marks", 0)) if meta is not None else 0)
        self._item_chunks = set(self._items.names())
        self._unload_seen()
        # The seen ledger is read when first asked (``_ledger``), and the newest chunk of each
        # family is opened (parsed) when a commit first appends to it, not here: a warm cycle, or a
        # reader of state alone, never pays for history.

    def _load_state(self) -> None:
        db = self._state_db
        self._meta_t = _KeyedTable(db.table("meta"))
        self._feeds_t = _KeyedTable(db.table("feeds"))
        self._forces_t = _KeyedTable(db.table("forces"))
        self._zones_t = _KeyedTable(db.table("zones"))
        self._pending_t = _KeyedTable(db.table("pending"))
        self._acks_t = _KeyedTable(db.table("acks"))
        self._mutes_t = _KeyedTable(db.table("mutes"))
        self._held_t = _KeyedTable(db.table("held"))
        self._feeds = self._records(FeedState, self._feeds_t.docs(), "feed state")
        self._forces = self._records(ForceEntry, self._forces_t.docs(), "forces board entry")
        self._zones = self._records(ZoneEntry, self._zones_t.docs(), "zones board entry")
        alerts = self._records(Alert, self._pending_t.docs(), "pending alert")
        sinks = {doc["k"]: frozenset(doc.get("sinks", ())) for doc in self._pending_t.docs()}
        self._pending = {k: _Pending(alert, sinks[k]) for k, alert in alerts.items()}
        self._acks = {doc["k"]: datetime.fromisoformat(doc["at"]) for doc in self._acks_t.docs()}
        self._mutes = {doc["k"]: datetime.fromisoformat(doc["at"]) for doc in self._mutes_t.docs()}
        self._delivered.load()
        self._held = {
            str(doc["k"]): tuple(str(r) for r in doc.get("r", ()))
            for doc in self._held_t.docs()
            if "k" in doc
        }

    def _replay_marks(self, folded: int) -> None:
        """Apply the journal's marks newer than ``folded``; cut off a torn tail; open it for appending."""
        self._close_marks()
        path = self.data_dir / MARKS_FILE
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raw = b""
        self._marks_seq = folded
        self._unfolded = set()
        good = fresh = 0
        while (end := raw.find(b"\n", good)) >= 0:
            try:
                line = json.loads(raw[good:end])
                seq, sink, ids = int(line["s"]), str(line["k"]), [str(i) for i in line["i"]]
            except (ValueError, KeyError, TypeError):
                break
            good = end + 1
            if seq > folded:
                fresh += 1
                self._unfolded.update(self._apply_marks(sink, ids))
                self._delivered.add(sink, (i for i in ids if sink not in self._delivered.sinks_of(i)))
                self._marks_seq = max(self._marks_seq, seq)
        created = not path.exists()
        self._marks_fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        keep = good if fresh else 0  # lines all folded already (a crash before the journal was emptied)
        if keep < len(raw):
            os.ftruncate(self._marks_fd, keep)
            os.fsync(self._marks_fd)
        if created:
            fsync_dir(self.data_dir)

    def _close_marks(self) -> None:
        if self._marks_fd is not None:
            os.close(self._marks_fd)
            self._marks_fd = None

    def _unload_seen(self) -> None:
        self._seen, self._by_hash, self._seen_loaded = {}, {}, False

    def _ledger(self) -> dict[str, Seen]:
        """The seen ledger (item key -> entry), read from disk on first use."""
        if not self._seen_loaded:
            with self._mutex:
                if not self._seen_loaded:
                    self._load_seen()
        return self._seen

    def _load_seen(self) -> None:
        seen: dict[str, Seen] = {}
        by_hash: dict[str, str] = {}
        old_format: list[str] = []
        for name in self._seen_files.names():
            for doc in self._seen_files.docs(name, "seen"):
                for row in doc["r"]:
                    if len(row) == 2:  # the first format: ["feed<U+001F>id", hash]
                        old_format.append(name)
                        key, content_hash = row
                        entry = Seen(content_hash, name, None, ())
                    else:
                        key = item_key(row[0], row[1])
                        chunk = row[5] if len(row) > 5 else name
                        entry = Seen(row[2], chunk, row[3], tuple(row[4]))
                    seen[key] = entry
                    by_hash.setdefault(entry.content_hash, key)
        self._seen = seen
        self._by_hash = by_hash
        self._seen_loaded = True
        if old_format:
            self._migrate_seen(sorted(set(old_format)))

    def _migrate_seen(self, names: list[str]) -> None:
        """Rewrite ledger files of the first format (keys joined by U+001F, no feed, date or sources)
        in the current one, taking what they lack from the items chunk they index. Each file is
        replaced atomically with the same commit numbers, so a crash leaves it old or new."""
        for name in names:
            records: dict[str, Doc] = {}
            for doc in self._items.docs(name, "items"):
                rec = doc["r"]
                records[item_key(str(rec.get("feed")), str(rec.get("id")))] = rec
            db = self._seen_files.db(name)
            table = db.table("seen")
            docs = [dict(d) for d in table]
            table.truncate()
            for doc in docs:
                rows = []
                for row in doc["r"]:
                    if len(row) != 2:
                        rows.append(row)
                        continue
                    key, content_hash = row
                    feed, _, item_id = key.partition("\x1f")
                    rec = records.get(key, {})
                    entry = Seen(content_hash, name, rec.get("published"), tuple(rec.get("sources", ())))
                    self._seen[key] = replace(
                        self._seen[key], published_iso=entry.published_iso, sources=entry.sources
                    )
                    rows.append(_seen_row(feed, item_id, entry, name))
                table.insert({"c": doc["c"], "r": rows})
            flush(db)
        self._seen_files.discard()

    def _records(self, model: type[M], docs: Iterable[Doc], what: str) -> dict[str, M]:
        return keyed_records(model, docs, what, self._warn)

    # --- reads (state from memory; history from its chunks) -----------------------------------

    def feed_states(self) -> dict[str, FeedState]:
        """The last known state of each feed, by feed name."""
        with self._mutex:
            return dict(self._feeds)

    def seen_hash(self, item_key: str) -> str | None:
        """The content hash stored for ``Item.key``, or None for an item never seen."""
        entry = self._ledger().get(item_key)
        return entry.content_hash if entry else None

    def seen(self, item_key: str) -> Seen | None:
        """What the ledger holds of a stored item (None: never stored, or its history is gone)."""
        entry = self._ledger().get(item_key)
        return entry if entry is not None and entry.chunk in self._item_chunks else None

    def key_for_hash(self, content_hash: str) -> str | None:
        """The key of the first item stored with this content (to spot syndicated copies)."""
        self._ledger()
        return self._by_hash.get(content_hash)

    def items(self, since: datetime | None = None) -> list[Item]:
        """Stored items (latest version of each) published at or after ``since``, oldest first."""
        with self._mutex:
            found = self._history(self._items, "items", Item, since, by_item_key)
            updates = source_updates(self._items.scan("sources", from_day=from_day(since)))
        return latest_items(found, since, updates)

    def item(self, key: str) -> Item | None:
        """The stored item with this key, or None (never stored, or dropped by retention)."""
        with self._mutex:
            entry = self._ledger().get(key)
            if entry is None:
                return None
            for doc in reversed(self._items.docs(entry.chunk, "items")):
                record = doc["r"]
                if item_key(str(record.get("feed")), str(record.get("id"))) == key:
                    item = Item.model_validate(record)
                    if entry.sources and item.sources != entry.sources:
                        item = item.model_copy(update={"sources": entry.sources})
                    return item
            return None

    def events(self, since: datetime | None = None) -> list[Event]:
        """Stored events published at or after ``since``, oldest first."""
        return events_since(self._history(self._items, "events", Event, since), since)

    def incidents(self, since: datetime | None = None) -> list[Incident]:
        """Stored incidents (latest version of each) last seen at or after ``since``, by last_seen."""
        older = last_seen_before(since)
        return latest_incidents(
            self._history(self._incident_files, "incidents", Incident, since, by_id, older=older), since
        )

    def forces(self) -> list[ForceEntry]:
        with self._mutex:
            return sorted(self._forces.values(), key=lambda f: f.contributor)

    def zones(self) -> list[ZoneEntry]:
        with self._mutex:
            return sorted(self._zones.values(), key=lambda z: z.zone)

    def alerts(self, since: datetime | None = None) -> list[Alert]:
        """Stored alerts raised at or after ``since``, oldest first."""
        return latest_alerts(self._history(self._alert_files, "alerts", Alert, since, by_id), since)

    def pending_alerts(self, sink: str) -> list[Alert]:
        """Alerts committed for ``sink`` that it has not yet marked emitted, oldest first."""
        with self._mutex:
            return sorted((p.alert for p in self._pending.values() if sink in p.sinks), key=lambda a: a.ts)

    def held_updates(self) -> dict[str, tuple[str, ...]]:
        """Update alerts the picture's limit held at the last commit (incident id → reasons)."""
        with self._mutex:
            return dict(self._held)

    def acknowledged(self) -> set[str]:
        """Ids of incidents the user acknowledged (here, or in an app attached to this store)."""
        return self._merged_marks("ack", self._acks)

    def muted(self) -> set[str]:
        """Ids of incidents the user muted (here, or in an app attached to this store)."""
        return self._merged_marks("mute", self._mutes)

    def _merged_marks(self, kind: MarkKind, table: dict[str, datetime]) -> set[str]:
        with self._mutex:
            cutoff = datetime.combine(self._today() - timedelta(days=self.retention_days), time(), UTC)
            merged = self._marks_log.merged(kind, table)
            return {k for k, at in merged.items() if at >= cutoff}

    def _history(
        self,
        shards: Shards,
        table: str,
        model: type[M],
        since: datetime | None,
        key: Callable[[Doc], str] | None = None,
        *,
        older: Callable[[Doc], bool] | None = None,
    ) -> list[M]:
        """Records of ``table`` from ``since`` on; with ``key``, only the last version of each."""
        with self._mutex:
            docs = shards.scan(table, from_day=from_day(since))
            if key is not None:
                return latest_records(model, docs, key, table, self._warn, older=older)
            return history_records(model, docs, table, self._warn)

    # --- writes -------------------------------------------------------------------------------

    def commit(self, batch: Batch) -> None:
        """Write one poll cycle: its history chunks first, then ``state.json``, each atomically.

        Either the whole batch is in the store afterwards or (after an error, or a crash) none of it.
        Feed states, forces and zones equal to the stored ones are left out, and a batch that changes
        nothing writes nothing (a warm cycle of feeds not due).
        """
        with self._writing():
            batch = self._changes_in(batch)
            if batch.clock_offset is not None:
                self._clock_ref = (self._now().astimezone(UTC), batch.clock_offset)
            pruned = self._prune(batch.clock_offset)
            fold = self._marks_log.fold_point()  # acks and mutes any process appended: into the state
            if not (pruned or self._unfolded or _writes_anything(batch)):
                if fold.lines:  # a quiet cycle: the state takes the marks in, no new commit
                    self._stage_fold(fold)
                    self._flush_state()
                    self._folded(fold)
                return  # e.g. a warm cycle handing back feed states that did not change: no write
            commit = self._committed + 1
            if batch.items or batch.sources:
                self._ledger()  # what the commit adds to the ledger joins what it holds
            written_seen: dict[str, Seen] = {}
            try:
                written = self._write_history(commit, batch, written_seen)
                self._stage_fold(fold)
                self._write_state(commit, batch)
            except BaseException as exc:
                self._resync()
                if isinstance(exc, OSError):
                    raise StoreError(
                        f"could not save the poll cycle in {self.data_dir}: {exc.strerror or exc}; "
                        "nothing of it was kept, and the next run fetches it again"
                    ) from exc
                raise
            self._committed = commit
            self._marks_written()
            self._folded(fold)
            self._feeds.update(batch.feed_states)
            self._forces.update((f.contributor, f) for f in batch.forces)
            self._zones.update((z.zone, z) for z in batch.zones)
            if batch.held_updates is not None:
                self._held = dict(batch.held_updates)
            if batch.sinks:
                for alert in batch.alerts:
                    if sinks := self._sinks_for(alert.id, batch.sinks):
                        self._pending[alert.id] = _Pending(alert, sinks)
            self._item_chunks.update(written.values())
            self._seen.update(written_seen)  # empty unless the batch had items, which read the ledger
            for key, entry in written_seen.items():
                self._by_hash.setdefault(entry.content_hash, key)

    def _changes_in(self, batch: Batch) -> Batch:
        """The batch without the state records equal to what the store holds (nothing to write)."""
        return replace(
            batch,
            feed_states={n: s for n, s in batch.feed_states.items() if self._feeds.get(n) != s},
            forces=[f for f in batch.forces if self._forces.get(f.contributor) != f],
            zones=[z for z in batch.zones if self._zones.get(z.zone) != z],
            held_updates=None if batch.held_updates == self._held else batch.held_updates,
        )

    def mark_emitted(self, sink: str, alert_ids: Sequence[str], *, sync: bool = True) -> None:
        """Record at once that ``sink`` delivered these alerts (they stop being pending for it).

        The journal line is written before this returns, so the mark outlives the process (even
        ``kill -9``). ``sync=False`` leaves the disk sync to ``sync_marks`` (one per burst of marks,
        not one per alert): only a crash of the machine itself can then lose the burst's marks, and
        those alerts are delivered again, never lost."""
        with self._writing():
            ids = [i for i in dict.fromkeys(alert_ids) if sink in getattr(self._pending.get(i), "sinks", ())]
            if not ids:
                return
            # One fsync'd line appended to the journal, not a rewrite of state.json: the mark is
            # durable when this returns, and the next state write folds it in.
            seq = self._marks_seq + 1
            line = json.dumps({"s": seq, "k": sink, "i": ids}, ensure_ascii=True, separators=(",", ":"))
            self._append_mark((line + "\n").encode("ascii"), sync=sync)
            self._marks_seq = seq
            self._unfolded.update(self._apply_marks(sink, ids))
            self._delivered.add(sink, ids)

    def _apply_marks(self, sink: str, alert_ids: Iterable[str]) -> list[str]:
        """Take ``sink`` off these pending alerts in memory; returns the ids that changed."""
        touched = []
        for alert_id in alert_ids:
            pending = self._pending.get(alert_id)
            if pending is None or sink not in pending.sinks:
                continue
            rest = pending.sinks - {sink}
            if rest:
                self._pending[alert_id] = _Pending(pending.alert, rest)
            else:
                del self._pending[alert_id]
            touched.append(alert_id)
        return touched

    def sync_marks(self) -> None:
        """Sync to disk the journal lines ``mark_emitted(..., sync=False)`` wrote."""
        with self._mutex:
            if self._marks_fd is None:
                return
            try:
                _datasync(self._marks_fd)
            except OSError as exc:
                raise StoreError(f"could not record delivered alerts in {self.data_dir}: {exc}") from exc

    def _append_mark(self, data: bytes, *, sync: bool = True) -> None:
        fd = self._marks_fd
        assert fd is not None
        size = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if sync:
                _datasync(fd)
        except OSError as exc:
            with suppress(OSError):  # a partial line would swallow the next one; the call did not happen
                os.ftruncate(fd, size)
            raise StoreError(f"could not record delivered alerts in {self.data_dir}: {exc}") from exc

    def _write_marks_into_state(self) -> None:
        """Put the journalled marks into the state tables and write them (the caller handles errors)."""
        self._fold_marks(self._committed)
        flush(self._state_db)
        self._marks_written()

    def _fold_marks(self, commit: int) -> None:
        """Stage the journalled marks and the meta record in the state tables (written by the next flush)."""
        self._pending_t.put(self._pending_doc(self._pending[i]) for i in self._unfolded if i in self._pending)
        self._pending_t.delete(i for i in self._unfolded if i not in self._pending)
        meta: Doc = {"k": "meta", "format": FORMAT, "committed": commit, "marks": self._marks_seq}
        if self._clock_ref is not None:
            seen_at, offset = self._clock_ref
            meta["clock"] = {"at": seen_at.isoformat(), "offset_s": offset.total_seconds()}
        self._meta_t.put([meta])

    def _marks_written(self) -> None:
        """After ``state.json`` holds every mark: empty the journal (its lines are now older than the
        sequence recorded in state.json, so even if the truncation is lost they are skipped)."""
        self._unfolded = set()
        if self._marks_fd is not None:
            try:
                if os.fstat(self._marks_fd).st_size:
                    os.ftruncate(self._marks_fd, 0)
            except OSError as exc:
                self._warn(f"could not empty {MARKS_FILE} (it is replayed harmlessly): {exc}")

    def acknowledge(self, incident_ids: Iterable[str], *, on: bool = True) -> None:
        """Acknowledge incidents (or, with ``on=False``, take it back); durable when this returns.

        Appended to ``marks.log`` (its own lock, never the store's: no wait for a commit under way);
        the next commit folds it into ``state.json``."""
        self._marks_log.append("ack", list(dict.fromkeys(incident_ids)), on=on, now=self._now())

    def mute(self, incident_ids: Iterable[str], *, on: bool = True) -> None:
        """Mute incidents (or, with ``on=False``, unmute them); durable when this returns (as above)."""
        self._marks_log.append("mute", list(dict.fromkeys(incident_ids)), on=on, now=self._now())

    def marks_version(self) -> int:
        """Reads what ``marks.log`` gained (one ``stat`` when nothing); the number goes up whenever
        ``acknowledged``/``muted`` may have changed, whichever process marked."""
        return self._marks_log.refresh()

    def _stage_fold(self, fold: FoldPoint) -> None:
        """Put the log's marks up to ``fold`` into the state tables (written by the next flush)."""
        tables: tuple[tuple[MarkKind, _KeyedTable], ...] = (("ack", self._acks_t), ("mute", self._mutes_t))
        for kind, table in tables:
            said = fold.marks.said(kind)
            table.put({"k": k, "at": at.astimezone(UTC).isoformat()} for k, at in said.items() if at)
            table.delete(k for k, at in said.items() if at is None)

    def _folded(self, fold: FoldPoint) -> None:
        """After ``state.json`` holds ``fold``: take it into memory and compact the log."""
        kept: tuple[tuple[MarkKind, dict[str, datetime]], ...] = (("ack", self._acks), ("mute", self._mutes))
        for kind, marks in kept:
            for k, at in fold.marks.said(kind).items():
                if at is None:
                    marks.pop(k, None)
                else:
                    marks[k] = at
        try:
            self._marks_log.compact(fold)
        except OSError as exc:  # the log stays whole; replaying what state.json also says is harmless
            self._warn(f"could not compact {MARKS_LOG} (nothing is lost): {exc.strerror or exc}")

    def _write_history(self, commit: int, batch: Batch, seen: dict[str, Seen]) -> dict[str, str]:
        """Append the batch's records to history, a chunk at a time (each chunk keeps its cap however
        large the batch), with the ledger rows of its items; returns the items chunk of each item
        written. ``seen`` receives the ledger entries written (taken into memory after the commit)."""
        day = self._dated
        rows: list[tuple[str, object]] = [("items", i) for i in batch.items]
        rows += [("events", e) for e in batch.events]
        updates = {k: v for k, v in batch.sources.items() if k in self._seen}  # commit read the ledger
        rows += [("sources", k) for k in updates]
        chunks: dict[str, str] = {}
        ledger: list[list[object]] = []
        first: str | None = None
        for chunk, part in self._items.append_capped(day, commit, rows, _item_doc(updates)):
            first = first or chunk
            for table, row in part:
                if isinstance(row, Item):
                    entry = Seen(row.content_hash, chunk, row.published.isoformat(), row.sources)
                    key, feed, item_id = row.key, row.feed, row.id
                elif table == "sources":
                    assert isinstance(row, str)
                    key = row
                    entry = replace(seen.get(key) or self._seen[key], sources=updates[key])
                    feed, _, item_id = key.partition("\x1f")
                else:
                    continue
                seen[key] = entry
                ledger.append(_seen_row(feed, item_id, entry, first))
                chunks[key] = chunk
        if ledger and first is not None:
            # One ledger file for the commit (named after its first items chunk; a row in another
            # chunk names it), so a large cycle writes one ledger file, not one per chunk.
            self._seen_files.append(first, commit, {"seen": [ledger]})
        for shards, table, records in (
            (self._incident_files, "incidents", batch.incidents),
            (self._alert_files, "alerts", batch.alerts),
        ):
            rows = [(table, r) for r in records]
            for _chunk, _part in shards.append_capped(day, commit, rows, _model_doc):
                pass
        for shards in self._families():
            shards.flush()
        return chunks

    def _write_state(self, commit: int, batch: Batch) -> None:
        self._fold_marks(commit)  # first: an alert this batch raises again is pending again
        self._feeds_t.put(
            {"k": name, "r": s.model_dump(mode="json")} for name, s in batch.feed_states.items()
        )
        self._forces_t.put({"k": f.contributor, "r": f.model_dump(mode="json")} for f in batch.forces)
        self._zones_t.put({"k": z.zone, "r": z.model_dump(mode="json")} for z in batch.zones)
        if batch.sinks:
            self._pending_t.put(
                self._pending_doc(_Pending(a, sinks))
                for a in batch.alerts
                if (sinks := self._sinks_for(a.id, batch.sinks))
            )
        if batch.held_updates is not None:
            self._held_t.delete(k for k in self._held if k not in batch.held_updates)
            self._held_t.put({"k": k, "r": list(r)} for k, r in batch.held_updates.items())
        flush(self._state_db)

    def _sinks_for(self, alert_id: str, sinks: Sequence[str]) -> frozenset[str]:
        """The sinks an alert is pending for: those named, less any that already delivered this id."""
        known = self._pending.get(alert_id)
        fresh = frozenset(sinks) - self._delivered.sinks_of(alert_id)
        return fresh | (known.sinks if known else frozenset())

    @staticmethod
    def _pending_doc(pending: _Pending) -> Doc:
        return {
            "k": pending.alert.id,
            "r": pending.alert.model_dump(mode="json"),
            "sinks": sorted(pending.sinks),
        }

    def _flush_state(self) -> None:
        try:
            self._write_marks_into_state()
        except BaseException as exc:
            self._resync()
            if isinstance(exc, OSError):
                raise StoreError(f"could not save {STATE_FILE} in {self.data_dir}: {exc}") from exc
            raise

    def _resync(self) -> None:
        """After a failed write, forget what is only in memory and reload what the disk holds."""
        try:
            self._load()
        except Exception as exc:
            self._broken = f"the store in {self.data_dir} is unusable after a failed write ({exc}); restart"
            raise StoreError(self._broken) from exc

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self._mutex:
            if self._closed:
                raise StoreError(f"the store in {self.data_dir} is closed")
            if self._broken is not None:
                raise StoreError(self._broken)
            with _signals_held():
                yield

    def _reckon(self, fresh: timedelta | None) -> tuple[date, date]:
        """(the day this cycle's history is dated by, the day expiry is reckoned from).

        The clock's day, unless it is more than CLOCK_MARGIN ahead of the servers' time (this
        cycle's ``fresh`` estimate, else the one kept from an earlier cycle): then the servers' day
        for both. Without any estimate, expiry is not reckoned past the newest record's day plus the
        margin (``retention_today``). Servers' time never brings expiry forward of the clock's.
        """
        now = self._now().astimezone(UTC)
        today = now.date()
        newest = newest_day(shards.root for shards in self._families())
        trusted = retention_today(today, newest)
        true = None
        if fresh is not None:
            true = now + fresh
        elif self._clock_ref is not None:
            true = projected_time(now, *self._clock_ref)
        if true is not None and (warning := servers_warning(now, true, self.data_dir)):
            self._warn_clock(warning)
            if today > true.date() + CLOCK_MARGIN:
                return true.date(), min(trusted, true.date())
            return today, trusted
        if fresh is not None:
            return today, today  # the servers confirm the clock: a real pause, not a wrong clock
        if (warning := clock_warning(today, newest, self.data_dir)) and (
            trusted == today or self._expires_any(today - timedelta(days=self.retention_days))
        ):
            self._warn_clock(warning)  # ahead: said only when it holds back something due by the clock
        return today, trusted

    def _prune(self, fresh: timedelta | None) -> bool:
        """Drop expired history (whole chunks) and expired marks; True when the state file changed.

        Expiry is reckoned as ``_reckon`` says: a clock far ahead (set wrong, or a dead RTC battery)
        would expire everything at once. Pending alerts are never expired: a sink that has not
        delivered them still owes them.
        """
        self._dated, today = self._reckon(fresh)
        if self._pruned_on == today:
            return False
        self._pruned_on = today
        cutoff = today - timedelta(days=self.retention_days)
        for shards in (self._items, self._incident_files, self._alert_files):
            self._item_chunks.difference_update(shards.prune(cutoff))
        if self._seen_files.prune(today - timedelta(days=self.retention_days * SEEN_RETENTION_FACTOR)):
            self._unload_seen()  # read again, without the expired files, when next asked
        expired = datetime.combine(cutoff, time(), UTC)
        old_acks = [k for k, at in self._acks.items() if at < expired]
        old_mutes = [k for k, at in self._mutes.items() if at < expired]
        self._acks_t.delete(old_acks)
        self._mutes_t.delete(old_mutes)
        for marks, old in ((self._acks, old_acks), (self._mutes, old_mutes)):
            for k in old:
                marks.pop(k, None)
        return bool(old_acks or old_mutes)

    def _expires_any(self, cutoff: date) -> bool:
        """True when some history chunk is older than ``cutoff``."""
        return any(chunk_day(n) < cutoff for shards in self._families() for n in shards.names()[:1])

    def _warn_clock(self, message: str) -> None:
        if not self._clock_warned:
            self._clock_warned = True
            self._warn(message)


def _model_doc(table: str, record: object) -> object:
    assert isinstance(record, BaseModel)
    return record.model_dump(mode="json")


def _item_doc(updates: dict[str, tuple[str, ...]]) -> Callable[[str, object], object]:
    def doc(table: str, record: object) -> object:
        if table == "sources":
            assert isinstance(record, str)
            feed, _, item_id = record.partition("\x1f")
            return {"feed": feed, "id": item_id, "sources": list(updates[record])}
        return _model_doc(table, record)

    return doc


def _writes_anything(batch: Batch) -> bool:
    return bool(
        batch.feed_states
        or batch.sources
        or batch.items
        or batch.events
        or batch.incidents
        or batch.forces
        or batch.zones
        or batch.alerts
        or batch.held_updates is not None
    )


_datasync: Callable[[int], None] = getattr(os, "fdatasync", os.fsync)
"""fdatasync where there is one: the journal's data matters, not its modification time."""


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM while a write runs, so an interrupt lands after it, not between its files."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
