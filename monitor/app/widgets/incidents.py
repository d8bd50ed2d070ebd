"""The incidents panel: one page of incidents, newest first, in a DataTable that never holds more."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input
from textual.widgets.data_table import ColumnKey

from monitor.app.board import Board, Page
from monitor.app.messages import IncidentChosen
from monitor.app.safe import cell, content
from monitor.app.widgets.labels import (
    CATEGORY_LABEL,
    SEVERITY_LABEL,
    SEVERITY_STYLE,
    STATUS_LABEL,
    short_time,
)
from monitor.models import Incident

FIXED_COLUMNS = (
    ("time", 6),
    ("sev", 4),
    ("category", 9),
    ("zone", 11),
    ("title", 0),
    ("src", 3),
    ("status", 10),
)
CHROME = 2 * len(FIXED_COLUMNS) + 3  # cell padding, border, scrollbar


class IncidentTable(DataTable[object]):
    """A DataTable of incidents keyed by incident id."""

    ids: tuple[str, ...] = ()
    """Incident id of each row, in order (the page shown)."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self._build_columns()

    def title_width(self) -> int:
        fixed = sum(w for _, w in FIXED_COLUMNS)
        return max(12, self.size.width - fixed - CHROME)

    def _build_columns(self) -> None:
        self.clear(columns=True)
        for name, width in FIXED_COLUMNS:
            self.add_column(name, key=name, width=width or self.title_width())

    def show(self, rows: list[Incident], board: Board, now: datetime) -> None:
        """Replace the rows with ``rows`` (one page), keeping the cursor on the same incident."""
        keep = self.current_id()
        row_index = self.cursor_row
        title = self.columns.get(ColumnKey("title"))
        if title is None or title.width != self.title_width():
            self._build_columns()
        else:
            self.clear()
        self.add_rows(
            (
                cell(short_time(i.last_seen, now)),
                cell(SEVERITY_LABEL[i.severity], SEVERITY_STYLE[i.severity]),
                cell(CATEGORY_LABEL[i.category]),
                cell(i.zone),
                cell(i.title, "dim" if i.id in board.muted else ""),
                cell(str(i.source_count), "bold" if i.source_count > 1 else ""),
                cell(_status(i, board), "dim" if i.id in board.muted else ""),
            )
            for i in rows
        )
        self.ids = tuple(i.id for i in rows)
        if row_index == 0 and rows:  # at the top: stay with the newest as new incidents arrive
            self.move_cursor(row=0, animate=False)
        elif keep is not None and keep in self.ids:
            self.move_cursor(row=self.ids.index(keep), animate=False)
        elif rows:
            self.move_cursor(row=min(row_index, len(rows) - 1), animate=False)

    def current_id(self) -> str | None:
        if not 0 <= self.cursor_row < len(self.ids):
            return None
        return self.ids[self.cursor_row]


def _status(incident: Incident, board: Board) -> str:
    mark = "× " if incident.id in board.muted else "✓ " if incident.id in board.acknowledged else ""
    return mark + STATUS_LABEL[incident.status]


class IncidentsPanel(Vertical):
    """Search box (hidden until asked for) above the incidents table."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search titles, zones, actors — Enter to keep, Esc to clear", id="search")
        yield IncidentTable(id="incident-table")

    @property
    def table(self) -> IncidentTable:
        return self.query_one(IncidentTable)

    def show(self, page: Page, board: Board, now: datetime, filters_words: str) -> None:
        self.table.show(list(page.rows), board, now)
        where = f" — {filters_words}" if filters_words else ""
        pages = f" · page {page.number + 1}/{page.count}" if page.count > 1 else ""
        self.border_title = content(f"Incidents {page.total:,}{pages}{where}", max_len=200)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        incident_id = self.table.current_id()
        if incident_id is not None:
            self.post_message(IncidentChosen(incident_id))
