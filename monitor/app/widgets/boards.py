"""The forces, zones and feeds boards: small DataTables refreshed whole (they hold tens of rows)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from textual.widgets import DataTable

from monitor.app.health import feed_health
from monitor.app.messages import FeedChosen, ForceChosen, ZoneChosen
from monitor.app.safe import cell
from monitor.app.widgets.labels import short_time, words
from monitor.models import FORCE_LADDER, FeedState, ForceEntry, ZoneEntry

HEALTH_STYLE = {
    "OK": "",
    "failing": "bold #d75f00",
    "silent": "#af8700",
    "gone": "dim",
    "moved": "#af8700",
    "new": "dim",
}
ZONE_STATUS = {
    "none": "—",
    "safe_zone_proposed": "safe zone?",
    "safe_zone_established": "safe zone",
    "evacuation_ordered": "evacuate",
    "struck": "struck",
}
TREND = {"rising": "▲ rising", "steady": "▬ steady", "falling": "▼ falling"}
TREND_STYLE = {"rising": "bold #d75f00", "steady": "", "falling": "#5f8700"}


class RecordTable(DataTable[object]):
    """A DataTable that remembers the key of each row and keeps the cursor on it across refreshes.

    Columns give way by priority: those that do not fit the panel are dropped, lowest priority
    first (the detail screen shows them all), and the last column takes what is left."""

    COLUMNS: tuple[tuple[str, int, int], ...] = ()
    """(name, width, priority): 0 is always shown, higher numbers give way first."""

    shown: tuple[tuple[str, int], ...] = ()

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self._build_columns()

    def on_resize(self) -> None:
        if self.fitting() != self.shown:
            self._build_columns()
            self.fill(self._rows)

    def fitting(self) -> tuple[tuple[str, int], ...]:
        width = self.size.width - 1  # the scrollbar
        shown = list(self.COLUMNS)
        for priority in sorted({p for _, _, p in self.COLUMNS if p}, reverse=True):
            if sum(w + 2 for _, w, _ in shown) <= width:
                break
            shown = [c for c in shown if c[2] != priority]
        cols = [(name, w) for name, w, _ in shown]
        if cols and width > 0:  # the last column takes the rest (long reasons and names show more)
            name, w = cols[-1]
            cols[-1] = (name, max(w, width - sum(x + 2 for _, x in cols[:-1]) - 2))
        return tuple(cols)

    def _build_columns(self) -> None:
        self.clear(columns=True)
        self.shown = self.fitting()
        for name, width in self.shown:
            self.add_column(name, key=name, width=width)

    _rows: tuple[tuple[str, dict[str, object]], ...] = ()

    def fill(self, rows: Iterable[tuple[str, dict[str, object]]]) -> None:
        """Replace every row; each row is (key, {column name: cell})."""
        self._rows = tuple(rows)
        keep = self.cursor_row
        self.clear()
        names = [name for name, _ in self.shown]
        for key, values in self._rows:
            self.add_row(*(values[n] for n in names), key=key)
        if self.row_count:
            self.move_cursor(row=min(keep, self.row_count - 1), animate=False)

    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value


class ForcesBoard(RecordTable):
    """Each contributor from talks to deployment, furthest along first."""

    COLUMNS = (
        ("contributor", 16, 0),
        ("status", 10, 0),
        ("troops", 12, 1),
        ("changed", 12, 2),
        ("where", 12, 3),
        ("role", 16, 4),
    )

    def show(self, forces: Iterable[ForceEntry], now: datetime) -> None:
        rank = {s: i for i, s in enumerate(FORCE_LADDER)}
        ordered = sorted(forces, key=lambda f: (-rank.get(f.status, -1), f.contributor))
        self.fill(
            (
                f.contributor,
                {
                    "contributor": cell(f.contributor, "bold"),
                    "status": cell(words(f.status), "bold" if f.status in ("deploying", "deployed") else ""),
                    "troops": cell(_troops(f)),
                    "role": cell(f.role or "—"),
                    "where": cell(f.where or "—"),
                    "changed": cell(short_time(f.last_change, now)),
                },
            )
            for f in ordered
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = self.current_key()
        if key is not None:
            self.post_message(ForceChosen(key))


def _troops(force: ForceEntry) -> str:
    if force.troops is None:
        return "—"
    qualifier = f"{force.troops_qualifier} " if force.troops_qualifier else ""
    return f"{qualifier}{force.troops:,}"


class ZonesBoard(RecordTable):
    """Incident counts per zone with status and trend, busiest first."""

    COLUMNS = (("zone", 13, 0), ("24 h", 4, 0), ("7 d", 4, 1), ("status", 10, 2), ("trend", 9, 3))

    def show(self, zones: Iterable[ZoneEntry]) -> None:
        ordered = sorted(zones, key=lambda z: (-z.count_24h, -z.count_7d, z.zone))
        self.fill(
            (
                z.zone,
                {
                    "zone": cell(z.zone),
                    "24 h": cell(str(z.count_24h), "bold" if z.count_24h else "dim"),
                    "7 d": cell(str(z.count_7d)),
                    "status": cell(ZONE_STATUS[z.status]),
                    "trend": cell(TREND[z.trend], TREND_STYLE[z.trend]),
                },
            )
            for z in ordered
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = self.current_key()
        if key is not None:
            self.post_message(ZoneChosen(key))


class FeedsBoard(RecordTable):
    """Health of every feed, with the reason in words; trouble first."""

    COLUMNS = (("feed", 16, 0), ("health", 7, 0), ("last ok", 12, 2), ("why", 20, 1))

    def show(self, feeds: Mapping[str, FeedState], now: datetime) -> None:
        rows = []
        for name, state in feeds.items():
            health = feed_health(state, now)
            last_ok = short_time(state.last_success, now) if state.last_success else "never"
            rows.append((health.status == "OK", name, health, last_ok))
        rows.sort(key=lambda r: (r[0], r[1]))
        self.fill(
            (
                name,
                {
                    "feed": cell(name),
                    "health": cell(health.status, HEALTH_STYLE.get(health.status, "")),
                    "last ok": cell(last_ok),
                    "why": cell(health.words),
                },
            )
            for _, name, health, last_ok in rows
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = self.current_key()
        if key is not None:
            self.post_message(FeedChosen(key))
