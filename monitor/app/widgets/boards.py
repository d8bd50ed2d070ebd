"""The forces, zones and feeds boards: small DataTables refreshed whole (they hold tens of rows)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from textual.widgets import DataTable

from monitor.app.health import feed_health
from monitor.app.messages import ForceChosen, ZoneChosen
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
    """A DataTable that remembers the key of each row and keeps the cursor on it across refreshes."""

    COLUMNS: tuple[tuple[str, int | None], ...] = ()

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for name, width in self.COLUMNS:
            self.add_column(name, key=name, width=width)

    def fill(self, rows: Iterable[tuple[str, tuple[object, ...]]]) -> None:
        keep = self.cursor_row
        self.clear()
        for key, values in rows:
            self.add_row(*values, key=key)
        if self.row_count:
            self.move_cursor(row=min(keep, self.row_count - 1), animate=False)

    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value


class ForcesBoard(RecordTable):
    """Each contributor from talks to deployment, furthest along first."""

    COLUMNS = (
        ("contributor", 15),
        ("status", 10),
        ("troops", 12),
        ("role", 16),
        ("where", 13),
        ("changed", 6),
    )

    def show(self, forces: Iterable[ForceEntry], now: datetime) -> None:
        rank = {s: i for i, s in enumerate(FORCE_LADDER)}
        ordered = sorted(forces, key=lambda f: (-rank.get(f.status, -1), f.contributor))
        self.fill(
            (
                f.contributor,
                (
                    cell(f.contributor, "bold"),
                    cell(words(f.status), "bold" if f.status in ("deploying", "deployed") else ""),
                    cell(_troops(f)),
                    cell(f.role or "—"),
                    cell(f.where or "—"),
                    cell(short_time(f.last_change, now)),
                ),
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

    COLUMNS = (("zone", 13), ("24 h", 4), ("7 d", 4), ("status", 10), ("trend", 9))

    def show(self, zones: Iterable[ZoneEntry]) -> None:
        ordered = sorted(zones, key=lambda z: (-z.count_24h, -z.count_7d, z.zone))
        self.fill(
            (
                z.zone,
                (
                    cell(z.zone),
                    cell(str(z.count_24h), "bold" if z.count_24h else "dim"),
                    cell(str(z.count_7d)),
                    cell(ZONE_STATUS[z.status]),
                    cell(TREND[z.trend], TREND_STYLE[z.trend]),
                ),
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

    COLUMNS = (("feed", 16), ("health", 7), ("last ok", 7), ("why", None))

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
                (
                    cell(name),
                    cell(health.status, HEALTH_STYLE.get(health.status, "")),
                    cell(last_ok),
                    cell(health.words, max_len=120),
                ),
            )
            for _, name, health, last_ok in rows
        )
