"""What the app shows, kept in memory: merged pipeline reports, filters and the visible page.

Pure Python (no widgets), so the expensive parts — sorting and filtering tens of thousands of
incidents — are cached and tested without a screen. Widgets get one page at a time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from monitor.app.search import Query, Searchable
from monitor.models import Alert, Category, FeedState, ForceEntry, Incident, Severity, ZoneEntry

PAGE_SIZE = 50
"""Rows the incidents table holds at once: a DataTable measures every cell it is given, so a page
change costs about 0.3 ms per row; 50 rows fill two screens and keep paging well under 100 ms."""

MAX_ALERTS = 500
"""Latest alerts kept for the ticker and the unacknowledged count."""

MAX_POLLS = 50
"""Polls remembered per feed for its detail screen (the store keeps only each feed's last state)."""

PATCH_MAX = 2000
"""Incidents a report may change for the sorted list (and the filtered view shown) to be patched
in place; more, and they are sorted again. Sorting 100,000 incidents takes 0.1-0.2 s of the
screen's thread, patching in a cycle's few hundred a few milliseconds."""


@dataclass(frozen=True)
class PollRecord:
    """One poll of one feed, as the reports told it."""

    at: datetime
    ok: bool
    status: int | None
    error: str | None


class ReportLike(Protocol):
    """The parts of a pipeline report (or a store snapshot) the app reads."""

    @property
    def at(self) -> datetime: ...
    @property
    def incidents(self) -> Sequence[Incident]: ...
    @property
    def forces(self) -> Sequence[ForceEntry]: ...
    @property
    def zones(self) -> Sequence[ZoneEntry]: ...
    @property
    def alerts(self) -> Sequence[Alert]: ...
    @property
    def feeds(self) -> Mapping[str, FeedState]: ...
    @property
    def failed_feeds(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Snapshot:
    """A report built from what the store holds, for the first paint."""

    at: datetime
    incidents: Sequence[Incident] = ()
    forces: Sequence[ForceEntry] = ()
    zones: Sequence[ZoneEntry] = ()
    alerts: Sequence[Alert] = ()
    feeds: Mapping[str, FeedState] = field(default_factory=dict)
    failed_feeds: Sequence[str] = ()


TIME_RANGES: dict[str, float | None] = {"1 h": 1, "6 h": 6, "24 h": 24, "7 d": 24 * 7, "all": None}


@dataclass(frozen=True)
class Filters:
    """What the person asked to see; the default shows everything."""

    text: str = ""
    category: Category | None = None
    min_severity: Severity | None = None
    zone: str | None = None
    hours: float | None = None
    unacknowledged: bool = False

    @property
    def active(self) -> bool:
        return self != Filters()

    def describe(self) -> str:
        """The filters in words, for the panel title."""
        parts: list[str] = []
        if self.text:
            parts.append(f'"{self.text}"')
        if self.category:
            parts.append(self.category.value)
        if self.min_severity:
            parts.append(f"≥{self.min_severity.value}")
        if self.zone:
            parts.append(self.zone)
        if self.hours is not None:
            parts.append(f"last {self.hours:g} h")
        if self.unacknowledged:
            parts.append("unacknowledged")
        return ", ".join(parts)

    def toggled_unacknowledged(self) -> Filters:
        return replace(self, unacknowledged=not self.unacknowledged)


class Board:
    """Everything on screen, merged from reports; incidents newest first, filtered and paged."""

    def __init__(self) -> None:
        self.incidents: dict[str, Incident] = {}
        self.forces: dict[str, ForceEntry] = {}
        self.zones: dict[str, ZoneEntry] = {}
        self.feeds: dict[str, FeedState] = {}
        self.polls: dict[str, deque[PollRecord]] = {}
        self.failed_feeds: frozenset[str] = frozenset()
        self.alerts: list[Alert] = []
        self.acknowledged: set[str] = set()
        self.muted: set[str] = set()
        self.last_poll: datetime | None = None
        self._ordered: list[Incident] | None = None
        self._view_key: tuple[Filters, datetime | None, int] | None = None
        self._view: list[Incident] = []
        self._generation = 0
        self.summaries: dict[str, str] = {}
        """Summary of each stored item by item key, searched with the titles (loaded on first search)."""
        self._query: Query | None = None
        self._searchable: dict[str, tuple[Incident, Searchable]] = {}

    # --- updates ---------------------------------------------------------------------------

    def apply(self, report: ReportLike) -> None:
        """Merge one report: upserts by id, newest alerts first."""
        changes: list[tuple[Incident | None, Incident]] = []
        for incident in report.incidents:
            changes.append((self.incidents.get(incident.id), incident))
            self.incidents[incident.id] = incident
        for item in getattr(report, "items", ()):  # pipeline reports carry the cycle's items
            if item.summary:
                self.summaries[item.key] = item.summary
        for force in report.forces:
            self.forces[force.contributor] = force
        for zone in report.zones:
            self.zones[zone.zone] = zone
        for name, state in report.feeds.items():
            self._record_poll(name, self.feeds.get(name), state)
        self.feeds.update(report.feeds)
        self.failed_feeds = frozenset(report.failed_feeds) if report.feeds else self.failed_feeds
        if report.alerts:
            known = {a.id for a in self.alerts}
            fresh = [a for a in report.alerts if a.id not in known]
            self.alerts = sorted([*fresh, *self.alerts], key=lambda a: a.ts, reverse=True)[:MAX_ALERTS]
        if report.feeds or report.incidents:
            self.last_poll = report.at
        if changes:
            self._patch(changes)

    def _patch(self, changes: list[tuple[Incident | None, Incident]]) -> None:
        """Take changed incidents ((before, after) pairs, in report order) into the sorted list
        and the last filtered view, in place when they are few; else both are rebuilt when read."""
        view_was_current = self._view_key is not None and self._view_key[2] == self._generation
        self._changed()
        if self._ordered is None or len(changes) > PATCH_MAX:
            self._ordered = None
            return
        for before, after in changes:
            _replace(self._ordered, before, after)
        if view_was_current and self._view_key is not None:
            filters, cutoff, _ = self._view_key
            if self._view is not self._ordered:  # a filtered view (unfiltered, it is the list itself)
                for before, after in changes:
                    _replace(self._view, before, after if self._passes(after, filters, cutoff) else None)
            self._view_key = (filters, cutoff, self._generation)

    def _record_poll(self, name: str, before: FeedState | None, after: FeedState) -> None:
        """A poll happened when the state's last attempt moved on (the first state only sets the base)."""
        if after.last_attempt is None or before is None or before.last_attempt == after.last_attempt:
            return
        ok = after.last_success == after.last_attempt
        record = PollRecord(after.last_attempt, ok, after.last_status, None if ok else after.last_error)
        self.polls.setdefault(name, deque(maxlen=MAX_POLLS)).append(record)

    def add_summaries(
        self, summaries: Mapping[str, str], index: Mapping[str, tuple[Incident, Searchable]] | None = None
    ) -> None:
        """Item summaries read from the store: searched from now on. ``index``: the folded words of
        each incident, built with these summaries off the UI thread (see ``search_index``)."""
        self.summaries.update(summaries)
        self._searchable = dict(index or {})
        self._changed()

    def search_index(self, summaries: Mapping[str, str]) -> dict[str, tuple[Incident, Searchable]]:
        """The folded words of every incident with ``summaries``; pure, so a worker thread may build
        it (an incident that changes meanwhile is seen as stale and folded again when searched)."""
        known = {**self.summaries, **summaries}
        return {i.id: (i, self._searchable_of(i, known)) for i in list(self.incidents.values())}

    def set_marks(self, acknowledged: Iterable[str], muted: Iterable[str]) -> None:
        self.acknowledged = set(acknowledged)
        self.muted = set(muted)
        self._changed()

    def mark(self, incident_id: str, *, acknowledged: bool | None = None, muted: bool | None = None) -> None:
        if acknowledged is not None:
            (self.acknowledged.add if acknowledged else self.acknowledged.discard)(incident_id)
        if muted is not None:
            (self.muted.add if muted else self.muted.discard)(incident_id)
        self._changed()

    def _changed(self) -> None:
        self._generation += 1

    # --- reads -----------------------------------------------------------------------------

    def ordered(self) -> list[Incident]:
        """Every incident, newest first (by last_seen, then id for a stable order)."""
        if self._ordered is None:
            self._ordered = sorted(self.incidents.values(), key=order_key, reverse=True)
        return self._ordered

    def view(self, filters: Filters, now: datetime) -> list[Incident]:
        """The incidents that pass ``filters``, newest first; cached until the data changes."""
        cutoff = now - timedelta(hours=filters.hours) if filters.hours is not None else None
        key = (filters, cutoff, self._generation)
        if key == self._view_key:
            return self._view
        rows = self.ordered()
        previous, previous_key = self._view, self._view_key
        if filters.active:
            if filters.text and previous_key is not None and self._typed_on(previous_key, key):
                rows = previous  # the search went on being typed: only what matched can still match
            rows = self._filtered(rows, filters, cutoff)
        self._view_key, self._view = key, rows
        return rows

    def _filtered(self, rows: list[Incident], filters: Filters, cutoff: datetime | None) -> list[Incident]:
        """``rows`` (newest first) that pass ``filters``: what ``_passes`` keeps, one filter a
        pass, so that each pass is a plain comprehension (100,000 incidents: ~5 ms a pass, where
        every test for every incident took 25-35 ms); the time range is a cut of the sorted list."""
        if cutoff is not None:
            rows = rows[: _newer_than(rows, cutoff)]
        if filters.category is not None:
            category = filters.category
            rows = [i for i in rows if i.category == category]
        if filters.min_severity is not None:
            floor = filters.min_severity.rank
            allowed = {s for s in Severity if s.rank >= floor}
            rows = [i for i in rows if i.severity in allowed]
        if filters.zone is not None:
            zone = filters.zone
            rows = [i for i in rows if i.zone == zone]
        if filters.unacknowledged:
            rows = self._unacknowledged(rows)
        if filters.text:
            query, text_of = self._query_for(filters.text), self._search_text
            rows = [i for i in rows if query.matches(text_of(i))]
        return rows

    def _unacknowledged(self, rows: list[Incident]) -> list[Incident]:
        """``rows`` without the acknowledged incidents. Usually few of many are acknowledged: each
        is then looked up in the sorted rows and cut out, instead of every row being tested."""
        acknowledged = self.acknowledged
        if len(acknowledged) * 200 >= len(rows):  # a look-up costs what testing ~200 rows does
            return [i for i in rows if i.id not in acknowledged]
        cuts = []
        for incident_id in acknowledged:
            incident = self.incidents.get(incident_id)
            if incident is not None:
                at = _position(rows, order_key(incident))
                if at < len(rows) and rows[at] is incident:
                    cuts.append(at)
        kept: list[Incident] = []
        start = 0
        for at in sorted(cuts):
            kept += rows[start:at]
            start = at + 1
        kept += rows[start:]
        return kept

    def _typed_on(
        self, before: tuple[Filters, datetime | None, int], now: tuple[Filters, datetime | None, int]
    ) -> bool:
        """The same filters and data as the last view, with a search that narrows the last one."""
        (old, old_cutoff, old_gen), (new, new_cutoff, new_gen) = before, now
        if (old_cutoff, old_gen) != (new_cutoff, new_gen) or not old.text:
            return False
        if replace(old, text="") != replace(new, text=""):
            return False
        return Query.parse(new.text).narrows(Query.parse(old.text))

    def _passes(self, incident: Incident, filters: Filters, cutoff: datetime | None) -> bool:
        if cutoff is not None and incident.last_seen < cutoff:
            return False
        if filters.category is not None and incident.category != filters.category:
            return False
        if filters.min_severity is not None and incident.severity.rank < filters.min_severity.rank:
            return False
        if filters.zone is not None and incident.zone != filters.zone:
            return False
        if filters.unacknowledged and incident.id in self.acknowledged:
            return False
        if filters.text:
            query = self._query_for(filters.text)
            if not query.matches(self._search_text(incident)):
                return False
        return True

    def _query_for(self, text: str) -> Query:
        if self._query is None or self._query.text != text:
            self._query = Query.parse(text)
        return self._query

    def _search_text(self, incident: Incident) -> Searchable:
        """What search reads of an incident, normalised once per incident version."""
        cached = self._searchable.get(incident.id)
        if cached is None or cached[0] is not incident:
            cached = (incident, self._searchable_of(incident, self.summaries))
            self._searchable[incident.id] = cached
        return cached[1]

    @staticmethod
    def _searchable_of(incident: Incident, summaries: Mapping[str, str]) -> Searchable:
        return Searchable.of(
            (
                incident.title,
                *(summaries.get(src.item_key, "") for src in incident.sources),
                incident.zone,
                incident.place or "",
                *incident.zones,
                *incident.places,
                *incident.actors,
                *incident.countries,
            )
        )

    def status_of(self, incident: Incident) -> str:
        """The incident's status with the person's marks: acknowledged, muted."""
        marks: list[str] = [incident.status]
        if incident.id in self.muted:
            marks.append("muted")
        elif incident.id in self.acknowledged:
            marks.append("ack")
        return " ".join(marks)

    def unacknowledged_alerts(self) -> list[Alert]:
        """Alerts whose incident is neither acknowledged nor muted, newest first."""
        return [
            a
            for a in self.alerts
            if a.incident is None or (a.incident not in self.acknowledged and a.incident not in self.muted)
        ]

    def zone_names(self) -> list[str]:
        return sorted({*self.zones, *(i.zone for i in self.incidents.values())})


def order_key(incident: Incident) -> tuple[datetime, str]:
    """What the lists are sorted by (descending): the last report, then the id."""
    return (incident.last_seen, incident.id)


def _position(rows: Sequence[Incident], key: tuple[datetime, str]) -> int:
    """Where an incident of ``key`` stands, or would stand, in ``rows`` (sorted newest first)."""
    lo, hi = 0, len(rows)
    while lo < hi:
        mid = (lo + hi) // 2
        if order_key(rows[mid]) > key:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _newer_than(rows: Sequence[Incident], cutoff: datetime) -> int:
    """How many of ``rows`` (sorted newest first) were last seen at or after ``cutoff``."""
    lo, hi = 0, len(rows)
    while lo < hi:
        mid = (lo + hi) // 2
        if rows[mid].last_seen >= cutoff:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _replace(rows: list[Incident], before: Incident | None, after: Incident | None) -> None:
    """Take ``before`` out of ``rows`` (sorted newest first) if it is there, put ``after`` in its
    place in the order; None for either: nothing to take out, or nothing to put in."""
    if before is not None:
        at = _position(rows, order_key(before))
        if at < len(rows) and rows[at].id == before.id:
            del rows[at]
    if after is not None:
        rows.insert(_position(rows, order_key(after)), after)


@dataclass(frozen=True)
class Page:
    """One window of the filtered incidents."""

    rows: Sequence[Incident]
    number: int
    count: int
    total: int


def page_of(rows: Sequence[Incident], number: int, size: int = PAGE_SIZE) -> Page:
    """Page ``number`` (0-based, clamped) of ``rows``."""
    count = max(1, -(-len(rows) // size))
    number = min(max(0, number), count - 1)
    return Page(rows[number * size : (number + 1) * size], number, count, len(rows))


class HeldReports:
    """Reports kept back while the person has paused the lists, and how many new incidents they bring."""

    def __init__(self) -> None:
        self.reports: list[ReportLike] = []
        self._new: set[str] = set()

    def add(self, report: ReportLike, board: Board) -> None:
        self.reports.append(report)
        self._new.update(i.id for i in report.incidents if i.id not in board.incidents)

    @property
    def new(self) -> int:
        """Incidents in the held reports that the board does not show yet."""
        return len(self._new)

    def release(self) -> list[ReportLike]:
        reports, self.reports, self._new = self.reports, [], set()
        return reports
