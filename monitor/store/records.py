"""The store's layout and what its reads return, shared by the writer (Store) and the lockless StoreReader."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from monitor.diagnostics import Warn
from monitor.models import Alert, Event, Incident, Item

STATE_FILE = "state.json"
"""The small file every commit rewrites: feed states, pending marks, boards, acks, mutes, commit counter."""
ITEMS_DIR = "items"
"""History chunks of items and events (tables ``items`` and ``events``)."""
SEEN_DIR = "seen"
INCIDENTS_DIR = "incidents"
ALERTS_DIR = "alerts"
SINCE_SLACK = timedelta(days=1)
"""History chunks are named by commit day; a record's own time may be a little later (clock skew)."""

M = TypeVar("M", bound=BaseModel)
Doc = dict[str, Any]


def from_day(since: datetime | None) -> date | None:
    """The first chunk day that can hold records at or after ``since`` (None: every chunk)."""
    return (since.astimezone(UTC) - SINCE_SLACK).date() if since is not None else None


def keyed_records(model: type[M], docs: Iterable[Doc], what: str, warn: Warn) -> dict[str, M]:
    """State documents ``{"k": key, "r": record}`` as records by key; unreadable ones skipped and counted."""
    out: dict[str, M] = {}
    bad = 0
    for doc in docs:
        try:
            out[doc["k"]] = model.model_validate(doc["r"])
        except (ValidationError, KeyError):
            bad += 1
    if bad:
        warn(f"skipped {bad} stored {what}(s) that could not be read")
    return out


def history_records(model: type[M], docs: Iterable[Doc], table: str, warn: Warn) -> list[M]:
    """History documents ``{"c": commit, "r": record}`` as records, in order; unreadable ones skipped."""
    out: list[M] = []
    bad = 0
    for doc in docs:
        try:
            out.append(model.model_validate(doc["r"]))
        except (ValidationError, KeyError):
            bad += 1
    if bad:
        warn(f"skipped {bad} stored {table} record(s) that could not be read")
    return out


def source_updates(docs: Iterable[Doc]) -> dict[str, tuple[str, ...]]:
    """The newest ``sources`` of each item from history's ``sources`` records (wire copies added)."""
    out: dict[str, tuple[str, ...]] = {}
    for doc in docs:
        try:
            rec = doc["r"]
            out[f"{rec['feed']}\x1f{rec['id']}"] = tuple(str(s) for s in rec["sources"])
        except (KeyError, TypeError):
            continue
    return out


def latest_records(
    model: type[M],
    docs: Iterable[Doc],
    key: Callable[[Doc], str],
    table: str,
    warn: Warn,
    *,
    older: Callable[[Doc], bool] | None = None,
) -> list[M]:
    """The last readable version of each record (history order), validating only that one: a
    record upserted a hundred times is parsed from JSON but built as a model once. With ``older``,
    a record whose version in question it says is out of the range asked for is left out without
    being built at all (the caller would drop it once built)."""
    found = list(docs)
    latest: dict[str, int] = {}
    bad = 0
    for n, doc in enumerate(found):
        try:
            latest[key(doc["r"])] = n
        except (KeyError, TypeError):
            bad += 1
    out: list[M] = []
    for k, n in latest.items():
        for m in range(n, -1, -1):  # an unreadable last version: the one before it stands
            if m != n:
                try:
                    if key(found[m]["r"]) != k:
                        continue
                except (KeyError, TypeError):
                    continue
            if older is not None and older(found[m]["r"]):
                break
            try:
                out.append(model.model_validate(found[m]["r"]))
                break
            except ValidationError:
                bad += 1
    if bad:
        warn(f"skipped {bad} stored {table} record(s) that could not be read")
    return out


def last_seen_before(since: datetime | None) -> Callable[[Doc], bool] | None:
    """For ``latest_records``: whether a stored incident was last seen before ``since``, read from
    its JSON without building it (a restore over 100,000 stored incidents keeps the last eight
    days': the rest were validated only to be dropped). Anything that does not read as a plain
    aware ISO time says no, and the model then decides as before. None when ``since`` is None."""
    if since is None:
        return None
    bound = since

    def older(record: Doc) -> bool:
        value = record.get("last_seen") if isinstance(record, dict) else None
        if not isinstance(value, str):
            return False
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            return False
        return at.tzinfo is not None and at < bound

    return older


def by_id(record: Doc) -> str:
    return str(record["id"])


def by_item_key(record: Doc) -> str:
    return f"{record['feed']}\x1f{record['id']}"


def latest_items(
    found: Iterable[Item], since: datetime | None, sources: dict[str, tuple[str, ...]] | None = None
) -> list[Item]:
    """The last version of each item (history order) published at or after ``since``, oldest first,
    with the newest ``sources`` recorded for it."""
    latest = {i.key: i for i in found}
    for key, value in (sources or {}).items():
        item = latest.get(key)
        if item is not None and item.sources != value:
            latest[key] = item.model_copy(update={"sources": value})
    return sorted(
        (i for i in latest.values() if since is None or i.published >= since), key=lambda i: i.published
    )


def events_since(found: Iterable[Event], since: datetime | None) -> list[Event]:
    """Events published at or after ``since``, oldest first."""
    return sorted((e for e in found if since is None or e.published >= since), key=lambda e: e.published)


def latest_incidents(found: Iterable[Incident], since: datetime | None) -> list[Incident]:
    """The last version of each incident last seen at or after ``since``, by last_seen."""
    latest = {i.id: i for i in found}
    return sorted(
        (i for i in latest.values() if since is None or i.last_seen >= since), key=lambda i: i.last_seen
    )


def latest_alerts(found: Iterable[Alert], since: datetime | None) -> list[Alert]:
    """The last version of each alert raised at or after ``since``, oldest first."""
    latest = {a.id: a for a in found}
    return sorted((a for a in latest.values() if since is None or a.ts >= since), key=lambda a: a.ts)
