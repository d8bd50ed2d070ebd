"""The main screen: incidents, forces, zones (with the map) and feeds, the ticker and the status line."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Vertical
from textual.events import Key, Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input

from monitor.app.board import Filters, page_of
from monitor.app.health import header_counts
from monitor.app.keys import MAIN_KEYS
from monitor.app.messages import FeedChosen, ForceChosen, IncidentChosen, ZoneChosen
from monitor.app.search import Query
from monitor.app.widgets.boards import FeedsBoard, ForcesBoard, ZonesBoard
from monitor.app.widgets.incidents import IncidentsPanel
from monitor.app.widgets.status import StatusLine
from monitor.app.widgets.ticker import AlertTicker
from monitor.app.widgets.zonemap import ZoneMap

if TYPE_CHECKING:
    from monitor.app.app import SituationRoom

WIDE = 150
TALL = 40
BIG_MAP = 50
PANELS = {"incidents": "#incident-table", "zones": "#zones", "forces": "#forces", "feeds": "#feeds"}


class MainScreen(Screen[None]):
    """Every board at once; the filters and the page of the incidents table live here."""

    BINDINGS: ClassVar[list[BindingType]] = list(MAIN_KEYS)

    # repaint=False: their watchers give the incidents panel its new page; a repaint of the whole
    # screen (zone map, boards, feeds: 20-45 ms) on every page flip and filter change drew nothing new
    filters: reactive[Filters] = reactive(Filters, init=False, repaint=False)
    page: reactive[int] = reactive(0, init=False, repaint=False)

    @property
    def room(self) -> SituationRoom:
        from monitor.app.app import SituationRoom

        assert isinstance(self.app, SituationRoom)
        return self.app

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield AlertTicker(id="ticker")
        with Grid(id="boards"):
            yield IncidentsPanel(id="incidents")
            with Vertical(id="zones-panel", classes="panel"):
                yield ZoneMap(id="map")
                yield ZonesBoard(id="zones")
            with Vertical(id="forces-panel", classes="panel"):
                yield ForcesBoard(id="forces")
            with Vertical(id="feeds-panel", classes="panel"):
                yield FeedsBoard(id="feeds")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#incidents").border_title = "Incidents"
        self.query_one("#forces-panel").border_title = "Forces"
        self.query_one("#zones-panel").border_title = "Zones"
        self.query_one("#feeds-panel").border_title = "Feeds"
        self.query_one("#incident-table").focus()
        self.show_all()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")
        # In 80 columns every key fits only without the palette hint (Ctrl+P still works).
        self.query_one(Footer).show_command_palette = event.size.width >= 100
        self.set_class(event.size.height >= TALL, "-tall")
        self.query_one(ZoneMap).set_class(event.size.width >= WIDE and event.size.height >= BIG_MAP, "-large")
        self.call_after_refresh(self.show_incidents)

    # --- attributes down ------------------------------------------------------------------

    def show_all(self) -> None:
        """Refresh every panel from the app's board."""
        board, now = self.room.board, self.room.now()
        self.query_one(ForcesBoard).show(board.forces.values(), now)
        self.query_one(ZonesBoard).show(board.zones.values())
        self.query_one(ZoneMap).zones = dict(board.zones)
        self.query_one(FeedsBoard).show(board.feeds, now)
        self.show_marks()

    def show_marks(self) -> None:
        """Refresh what acknowledging or muting changes: the table, the ticker, the status line."""
        board, now = self.room.board, self.room.now()
        self.query_one(AlertTicker).show(board.unacknowledged_alerts(), now)
        status = self.query_one(StatusLine)
        status.now = now
        status.last_poll = board.last_poll
        status.feeds_ok, status.feeds_failing = header_counts(board.feeds, board.failed_feeds, now)
        status.unacknowledged = len(board.unacknowledged_alerts())
        status.trouble = self.room.trouble
        status.attached = self.room.attached
        status.paused = self.room.paused
        status.held_new = self.room.held.new
        status.bell = self.room.bell_on_critical
        self.show_incidents()

    def show_incidents(self) -> None:
        board = self.room.board
        rows = board.view(self.filters, self.room.now())
        page = page_of(rows, self.page)
        search = Query.parse(self.filters.text) if self.filters.text else None
        self.query_one(IncidentsPanel).show(page, board, self.room.now(), self.filters.describe(), search)

    def watch_filters(self) -> None:
        self.page = 0
        self.show_incidents()

    def watch_page(self) -> None:
        self.show_incidents()

    # --- messages up ----------------------------------------------------------------------

    @on(IncidentChosen)
    def _incident_chosen(self, message: IncidentChosen) -> None:
        self.room.show_incident(message.incident_id)

    @on(ForceChosen)
    def _force_chosen(self, message: ForceChosen) -> None:
        self.room.show_force(message.contributor)

    @on(FeedChosen)
    def _feed_chosen(self, message: FeedChosen) -> None:
        self.room.show_feed(message.name)

    @on(ZoneChosen)
    def _zone_chosen(self, message: ZoneChosen) -> None:
        self.filters = replace(self.filters, zone=message.zone)
        self.query_one("#incident-table").focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.filters = replace(self.filters, text=event.value.strip())

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self._search_pending = False
        self.query_one("#incident-table").focus()

    # --- actions --------------------------------------------------------------------------

    def current_incident_id(self) -> str | None:
        return self.query_one(IncidentsPanel).table.current_id()

    def action_show_incident(self) -> None:
        incident_id = self.current_incident_id()
        if incident_id is not None:
            self.room.show_incident(incident_id)

    def action_show_force(self) -> None:
        contributor = self.query_one(ForcesBoard).current_key()
        if contributor is not None:
            self.room.show_force(contributor)

    _search_pending = False
    """ "/" was seen and the search box is about to open: what is typed next belongs in it."""

    async def on_key(self, event: Key) -> None:
        """Keys typed right after "/" reach the search box even when they were already on their way
        to the table: the app hands each key to the widget focused when it arrives, and a fast
        typist's (or a paste's) keys arrive before the box has focus. Without this, "/rafah" would
        poll ("r") and acknowledge ("a") instead of searching. Keys reach this handler in the order
        typed, before any binding acts on them."""
        search = self.query_one("#search", Input)
        if event.key == "slash" and self.focused is not search and not self._search_pending:
            self._search_pending = True  # the binding opens the box; let it through
            return
        if not (self._search_pending or self.focused is search):
            return
        if event.is_printable and event.character:
            search.insert_text_at_cursor(event.character)
        elif event.key == "backspace":
            search.action_delete_left()
        elif event.key == "enter":
            await search.action_submit()
        else:
            return  # Esc and the rest act as usual
        event.stop()
        event.prevent_default()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("-open")
        # At once, not through focus()'s call_later: keys typed right after "/" (already queued,
        # as a paste or a fast typist sends them) must reach the box, not the app's bindings.
        self.set_focus(search)
        search.focus()  # and again after anything already queued (a screen just resumed restores its focus)
        self.room.load_summaries()

    def action_filters(self) -> None:
        from monitor.app.screens.filters import FiltersScreen

        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.filters = filters
                self.query_one("#search", Input).value = filters.text

        zones = self.room.board.zone_names()
        self.app.push_screen(FiltersScreen(self.filters, zones), chosen)

    def action_toggle_unacknowledged(self) -> None:
        self.filters = self.filters.toggled_unacknowledged()

    def action_clear_filters(self) -> None:
        self._search_pending = False
        search = self.query_one("#search", Input)
        search.value = ""
        search.remove_class("-open")
        self.filters = Filters()
        self.query_one("#incident-table").focus()

    def action_page(self, step: int) -> None:
        rows = self.room.board.view(self.filters, self.room.now())
        page = page_of(rows, self.page + step)
        if page.number == self.page:
            edge = "last" if step > 0 else "first"
            self.notify(f"Already on the {edge} page ({page.number + 1} of {page.count}).", timeout=2)
        else:
            self.notify(f"Page {page.number + 1} of {page.count}.", timeout=2)
        self.page = page.number

    def action_panel(self, name: str) -> None:
        self.query_one(PANELS[name]).focus()

    def action_toggle_pause(self) -> None:
        self.room.toggle_pause()

    def action_acknowledge_all(self) -> None:
        from monitor.app.screens.confirm import ConfirmScreen

        ids = [i.id for i in self.room.board.view(self.filters, self.room.now())]
        fresh = [i for i in ids if i not in self.room.board.acknowledged]
        if not fresh:
            self.notify("Every incident shown is already acknowledged.", timeout=3)
            return
        where = f" ({self.filters.describe()})" if self.filters.active else ""

        def answered(yes: bool | None) -> None:
            if yes:
                self.room.acknowledge_all(fresh)

        question = f"Acknowledge the {len(fresh):,} unacknowledged incident(s) the list shows{where}?"
        self.app.push_screen(ConfirmScreen(question), answered)

    def action_acknowledge(self) -> None:
        incident_id = self.current_incident_id()
        if incident_id is not None:
            self.room.toggle_acknowledged(incident_id)

    def action_mute(self) -> None:
        incident_id = self.current_incident_id()
        if incident_id is not None:
            self.room.toggle_muted(incident_id)

    def action_open_link(self) -> None:
        incident_id = self.current_incident_id()
        incident = self.room.board.incidents.get(incident_id or "")
        if incident is not None:
            self.room.open_link(next((s.link for s in incident.sources if s.link), None))
