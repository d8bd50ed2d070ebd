"""The incidents panel: one page of incidents, newest first, in a DataTable that never holds more."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input

from monitor.app.board import PAGE_SIZE, Board, Page
from monitor.app.messages import IncidentChosen
from monitor.app.safe import cell, content
from monitor.app.search import Query
from monitor.app.widgets.labels import (
    CATEGORY_LABEL,
    SEVERITY_LABEL,
    SEVERITY_STYLE,
    STATUS_LABEL,
    short_time,
)
from monitor.models import Incident

COLUMNS = (
    ("time", 12),
    ("sev", 4),
    ("category", 9),
    ("zone", 13),
    ("title", 0),
    ("src", 3),
    ("status", 10),
)
"""Every column in table order; the title takes the width the others leave."""
GIVE_WAY = ("src", "category", "status", "zone")
"""Columns dropped, in this order, while the title would be narrower than MIN_TITLE; the detail
screen shows every one of them."""
MIN_TITLE = 24
CHROME = 3  # border and scrollbar
MATCH_STYLE = "bold reverse"


def visible_columns(width: int, time_width: int = 12) -> list[tuple[str, int]]:
    """The columns that fit ``width`` cells, the title as wide as the rest allows; ``time_width`` is
    5 when every time shown is today's (HH:MM), else 12 (day, month and hour)."""
    shown = [(name, time_width if name == "time" else w) for name, w in COLUMNS]

    def title_width() -> int:
        return width - CHROME - sum(w + 2 for name, w in shown if name != "title") - 2

    for name in GIVE_WAY:
        if title_width() >= MIN_TITLE:
            break
        shown = [c for c in shown if c[0] != name]
    return [(name, w or max(12, title_width())) for name, w in shown]


class IncidentTable(DataTable[object]):
    """A DataTable of incidents keyed by incident id."""

    ids: tuple[str, ...] = ()
    """Incident id of each row, in order (the page shown)."""
    drawn: tuple[tuple[object, ...], ...] = ()
    """What each row was drawn from (``_drawn_from``): a row drawn from the same is left alone."""
    search_drawn: str | None = None
    """The search highlighted in the rows drawn."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self._build_columns()

    shown: tuple[tuple[str, int], ...] = ()
    """The columns on screen now (name, width)."""

    def _build_columns(self, time_width: int = 5) -> None:
        self.clear(columns=True)
        self.shown = tuple(visible_columns(self.size.width, time_width))
        for name, width in self.shown:
            self.add_column(name, key=name, width=width)

    def show(self, rows: list[Incident], board: Board, now: datetime, search: Query | None = None) -> None:
        """Replace the rows with ``rows`` (one page), keeping the cursor on the same incident."""
        keep = self.current_id()
        row_index = self.cursor_row
        time_width = 5 if all(i.last_seen.date() == now.date() for i in rows) else 12
        drawn = tuple(_drawn_from(i, board, now) for i in rows)
        same_columns = tuple(visible_columns(self.size.width, time_width)) == self.shown and bool(
            self.columns
        )
        search_text = search.text if search is not None else None
        if same_columns and search_text == self.search_drawn and self.ids == tuple(i.id for i in rows):
            # The same incidents on the same rows (a report that changed other pages, a mark):
            # only the rows drawn from something else are drawn again, cell by changed cell.
            self._redraw_changed(rows, drawn, board, now, search)
            return
        if same_columns:
            self.clear()
        else:
            self._build_columns(time_width)
        names = [name for name, _ in self.shown]

        self.add_rows(_values(i, names, board, now, search) for i in rows)
        self.ids = tuple(i.id for i in rows)
        self.drawn, self.search_drawn = drawn, search_text
        if row_index == 0 and rows:  # at the top: stay with the newest as new incidents arrive
            self.move_cursor(row=0, animate=False)
        elif keep is not None and keep in self.ids:
            self.move_cursor(row=self.ids.index(keep), animate=False)
        elif rows:
            self.move_cursor(row=min(row_index, len(rows) - 1), animate=False)

    def _redraw_changed(
        self,
        rows: list[Incident],
        drawn: tuple[tuple[object, ...], ...],
        board: Board,
        now: datetime,
        search: Query | None,
    ) -> None:
        names = [name for name, _ in self.shown]
        for row, (incident, was, now_drawn) in enumerate(zip(rows, self.drawn, drawn, strict=True)):
            if was == now_drawn:
                continue
            old = self.get_row_at(row)
            for column, value in enumerate(_values(incident, names, board, now, search)):
                if _looks(old[column]) != _looks(value):
                    self.update_cell_at(Coordinate(row, column), value)
        self.drawn = drawn

    def current_id(self) -> str | None:
        if not 0 <= self.cursor_row < len(self.ids):
            return None
        return self.ids[self.cursor_row]


def _drawn_from(incident: Incident, board: Board, now: datetime) -> tuple[object, ...]:
    """Everything a row's cells are made of, besides the columns and the search."""
    return (
        incident,
        incident.id in board.muted,
        incident.id in board.acknowledged,
        short_time(incident.last_seen, now),
    )


def _values(
    incident: Incident, names: list[str], board: Board, now: datetime, search: Query | None
) -> tuple[Text, ...]:
    """The row's cells, for the columns ``names``; feed text goes in as plain text, never markup."""
    i = incident
    muted = "dim" if i.id in board.muted else ""
    every = {
        "time": lambda: cell(short_time(i.last_seen, now)),
        "sev": lambda: cell(SEVERITY_LABEL[i.severity], SEVERITY_STYLE[i.severity]),
        "category": lambda: cell(CATEGORY_LABEL[i.category]),
        "zone": lambda: _marked(i.zone, search, ""),
        "title": lambda: _marked(i.title, search, muted),
        "src": lambda: cell(str(i.source_count), "bold" if i.source_count > 1 else ""),
        "status": lambda: cell(_status(i, board), muted),
    }
    return tuple(every[n]() for n in names)


def _looks(value: object) -> object:
    """What a cell shows: its text, its style and its highlights (Text's own == skips the style)."""
    return (value.plain, str(value.style), value.spans) if isinstance(value, Text) else value


def _marked(text: str, search: Query | None, style: str) -> Text:
    """A cell with the search's words highlighted: styles are added to a Text built from the plain
    string, so feed text never passes through markup."""
    shown = cell(text, style)
    if search is not None:
        for start, end in search.spans(shown.plain):
            shown.stylize(MATCH_STYLE, start, end)
    return shown


def _status(incident: Incident, board: Board) -> str:
    mark = "× " if incident.id in board.muted else "✓ " if incident.id in board.acknowledged else ""
    return mark + STATUS_LABEL[incident.status]


class IncidentsPanel(Vertical):
    """Search box (hidden until asked for) above the incidents table."""

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="search titles, summaries, zones, actors, countries — Enter keeps it, Esc clears",
            id="search",
            select_on_focus=False,  # what was typed straight after "/" stays, and typing goes on after it
        )
        yield IncidentTable(id="incident-table")

    @property
    def table(self) -> IncidentTable:
        return self.query_one(IncidentTable)

    def show(
        self, page: Page, board: Board, now: datetime, filters_words: str, search: Query | None = None
    ) -> None:
        self.table.show(list(page.rows), board, now, search)
        where = f" — {filters_words}" if filters_words else ""
        pages = f" · page {page.number + 1}/{page.count}" if page.count > 1 else ""
        self.border_title = content(f"Incidents {page.total:,}{pages}{where}", max_len=200)
        first = page.number * PAGE_SIZE + 1 if page.total else 0
        last = page.number * PAGE_SIZE + len(page.rows)
        self.border_subtitle = (
            content(f"{first:,}–{last:,} of {page.total:,} · n/p page {page.number + 1} of {page.count}")
            if page.count > 1
            else None
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        incident_id = self.table.current_id()
        if incident_id is not None:
            self.post_message(IncidentChosen(incident_id))
