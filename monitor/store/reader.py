"""A read-only view of a store for other processes: no lock, no writes, committed cycles only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from monitor.diagnostics import Warn, print_to_stderr
from monitor.errors import NoStoreError, StoreError
from monitor.models import Alert, Event, FeedState, ForceEntry, Incident, Item, ZoneEntry, utcnow
from monitor.store.clock import CLOCK_MARGIN, kept_estimate, newest_day, projected_time, retention_today
from monitor.store.lock import LOCK_FILE, PID_FILE
from monitor.store.records import (
    ALERTS_DIR,
    INCIDENTS_DIR,
    ITEMS_DIR,
    STATE_FILE,
    M,
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
from monitor.store.shards import chunk_day, chunk_names
from monitor.store.storage import Data, read_only

_STORE_MARKS = (STATE_FILE, f"{STATE_FILE}.bak", LOCK_FILE, ITEMS_DIR, INCIDENTS_DIR, ALERTS_DIR)
"""Names a data directory holds once a store has been opened in it."""


def has_store(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds a store (a writer has opened it at least once)."""
    return data_dir.is_dir() and any((data_dir / name).exists() for name in _STORE_MARKS)


class StoreReader:
    """The store of a data directory as of its last committed cycle, read while a writer may be writing.

    A writer commits a cycle by replacing its history chunks first and ``state.json`` last, each
    atomically, and the commit counter in ``state.json`` says which history records count. The reader
    reads ``state.json`` once, when opened, and afterwards takes from history only records of the
    commits it covers: a cycle still being written (its chunks on disk, its ``state.json`` not yet) is
    never shown, and every read of one reader shows the same commit, however many the writer adds
    meanwhile (history is append-only, so the covered records stay on disk). Records older than the
    retention period, which the writer drops at its next commit, are left out. A damaged file is read
    from its ``.bak`` and ``warn`` says so; nothing is moved, restored, created or locked. Open one
    per export: it does not follow later commits.
    """

    def __init__(
        self,
        data_dir: Path,
        state: Data,
        committed: int | None,
        *,
        oldest_day: date | None,
        warn: Warn,
    ) -> None:
        self.data_dir = data_dir
        self._committed = committed
        self._oldest_day = oldest_day
        self._warn = warn
        self._feeds = keyed_records(FeedState, _docs(state, "feeds"), "feed state", warn)
        self._forces = keyed_records(ForceEntry, _docs(state, "forces"), "forces board entry", warn)
        self._zones = keyed_records(ZoneEntry, _docs(state, "zones"), "zones board entry", warn)

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        retention_days: int | None = None,
        now: Callable[[], datetime] = utcnow,
        warn: Warn = print_to_stderr,
    ) -> StoreReader:
        """Read the committed state of the store in ``data_dir``; NoStoreError when there is none.

        With ``retention_days``, history the writer would drop as expired is left out, as
        ``Store.open`` would leave it out.
        """
        data_dir = Path(data_dir).expanduser()
        try:
            if not has_store(data_dir):
                raise NoStoreError(
                    f"no store in {data_dir} (run the monitor first, or choose one with --data-dir)"
                )
            for _attempt in range(2):
                state = read_only(data_dir / STATE_FILE, warn=warn)
                # Looked at after state.json: a writer that took the directory before this look and
                # has not written state.json yet is seen here, whatever history it has written.
                writer_present = (data_dir / PID_FILE).exists()
                if state is not None or not (data_dir / STATE_FILE).exists():
                    break  # else the first state.json landed meanwhile: read it
        except OSError as exc:
            raise StoreError(f"cannot read the store in {data_dir}: {exc}") from exc
        meta = (state or {}).get("meta", {}).get("1")
        if meta is not None:
            try:
                committed: int | None = int(meta["committed"])
            except (KeyError, TypeError, ValueError):
                raise StoreError(f"{data_dir / STATE_FILE} has no readable commit counter") from None
        elif state is None and writer_present:
            # No state.json yet while a writer has the directory: its first cycle is being written
            # (or it died writing it). Nothing is committed until state.json lands.
            committed = 0
        else:
            committed = None  # what Store.open does: with no commit counter, all history counts
        oldest = None
        if retention_days is not None:
            # As the writer reckons expiry: not from a clock far ahead of the newest record, nor
            # of the servers' time it last estimated.
            at = now().astimezone(UTC)
            today = retention_today(
                at.date(), newest_day(data_dir / d for d in (ITEMS_DIR, INCIDENTS_DIR, ALERTS_DIR))
            )
            ref = kept_estimate(meta)
            true = projected_time(at, *ref) if ref is not None else None
            if true is not None and at.date() > true.date() + CLOCK_MARGIN:
                today = min(today, true.date())
            oldest = today - timedelta(days=retention_days)
        return cls(data_dir, state or {}, committed, oldest_day=oldest, warn=warn)

    @property
    def commits(self) -> int | None:
        """The last commit this view shows (None for a store with no commit counter: all its history)."""
        return self._committed

    # --- state (read at open) -------------------------------------------------------------------

    def feed_states(self) -> dict[str, FeedState]:
        """The last committed state of each feed, by feed name."""
        return dict(self._feeds)

    def forces(self) -> list[ForceEntry]:
        return sorted(self._forces.values(), key=lambda f: f.contributor)

    def zones(self) -> list[ZoneEntry]:
        return sorted(self._zones.values(), key=lambda z: z.zone)

    # --- history (read on demand, committed records only) ---------------------------------------

    def items(self, since: datetime | None = None) -> list[Item]:
        """Stored items (latest version of each) published at or after ``since``, oldest first."""
        found = self._history(ITEMS_DIR, "items", Item, since, by_item_key)
        return latest_items(found, since, source_updates(self._scan(ITEMS_DIR, "sources", from_day(since))))

    def events(self, since: datetime | None = None) -> list[Event]:
        """Stored events published at or after ``since``, oldest first."""
        return events_since(self._history(ITEMS_DIR, "events", Event, since), since)

    def incidents(self, since: datetime | None = None) -> list[Incident]:
        """Stored incidents (latest version of each) last seen at or after ``since``, by last_seen."""
        older = last_seen_before(since)
        return latest_incidents(
            self._history(INCIDENTS_DIR, "incidents", Incident, since, by_id, older=older), since
        )

    def alerts(self, since: datetime | None = None) -> list[Alert]:
        """Stored alerts raised at or after ``since``, oldest first."""
        return latest_alerts(self._history(ALERTS_DIR, "alerts", Alert, since, by_id), since)

    def _history(
        self,
        family: str,
        table: str,
        model: type[M],
        since: datetime | None,
        key: Callable[[dict[str, Any]], str] | None = None,
        *,
        older: Callable[[dict[str, Any]], bool] | None = None,
    ) -> list[M]:
        docs = self._scan(family, table, from_day(since))
        if key is not None:
            return latest_records(model, docs, key, table, self._warn, older=older)
        return history_records(model, docs, table, self._warn)

    def _scan(self, family: str, table: str, first_day: date | None) -> Iterator[dict[str, Any]]:
        root = self.data_dir / family
        days = [d for d in (first_day, self._oldest_day) if d is not None]
        for name in chunk_names(root):
            if days and chunk_day(name) < max(days):
                continue
            # A chunk that vanished since the listing was dropped by the writer (expired, or all of
            # it from an interrupted cycle): its backup would only bring back what it dropped.
            data = read_only(root / f"{name}.json", warn=self._warn, backup_if_missing=False)
            for doc in _docs(data or {}, table):
                if self._committed is None or _commit_of(doc) <= self._committed:
                    yield doc


def _docs(data: Data, table: str) -> list[dict[str, Any]]:
    return list(data.get(table, {}).values())


def _commit_of(doc: dict[str, Any]) -> int:
    try:
        return int(doc["c"])
    except (KeyError, TypeError, ValueError):
        return 0  # the writer never drops a record without a commit number as uncommitted, nor do we


def read_feed_states(data_dir: Path, *, warn: Warn = print_to_stderr) -> dict[str, FeedState]:
    """Feed states of the store in ``data_dir`` without taking its lock or writing anything; {} if none."""
    try:
        return StoreReader.open(data_dir, warn=warn).feed_states()
    except NoStoreError:
        return {}
