"""Detail screens: an incident with its sources, evidence, entities and history; a contributor's
evidence per status change. Every piece of feed text is shown as plain Content."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from monitor.app.board import PollRecord
from monitor.app.health import feed_health
from monitor.app.keys import DETAIL_KEYS, FEED_KEYS, INCIDENT_KEYS
from monitor.app.safe import cell, content, plain
from monitor.app.widgets.labels import CATEGORY_LABEL, SEVERITY_STYLE, words
from monitor.models import (
    Alert,
    Entities,
    Event,
    FeedState,
    ForceEntry,
    Incident,
    Item,
    SourceRef,
    is_statistical,
)

if TYPE_CHECKING:
    from monitor.app.app import SituationRoom

EVIDENCE_STYLE = "bold reverse #ffd700"


class SourcesTable(DataTable[object]):
    """Sources of a record; Enter (or o) opens the selected source's link. The title and link of
    the highlighted source are shown in full under the table (``SourceShown``)."""

    links: tuple[str | None, ...] = ()
    refs: tuple[SourceRef, ...] = ()

    def on_mount(self) -> None:
        self.cursor_type = "row"

    def fill(self, sources: Iterable[tuple[SourceRef, str]], width: int = 120) -> None:
        self.clear(columns=True)
        fixed = (("published", 12), ("outlet", 16), ("tier", 14), ("", 10))
        rest = max(32, width - sum(w + 2 for _, w in fixed) - 4 - 3)
        for name, w in (*fixed, ("title", rest // 2 + rest % 2 - 1), ("link", rest // 2 - 1)):
            self.add_column(name, width=w)
        links: list[str | None] = []
        refs: list[SourceRef] = []
        for ref, extra in sources:
            refs.append(ref)
            self.add_row(
                cell(ref.published.strftime("%d %b %H:%M")),
                cell(ref.feed, "bold"),
                cell(ref.tier + (f" ({ref.party})" if ref.party else "")),
                cell(extra),
                cell(ref.title),
                cell(ref.link or "—", "underline" if ref.link else "dim"),
            )
            links.append(ref.link)
        self.links = tuple(links)
        self.refs = tuple(refs)

    def current_ref(self) -> SourceRef | None:
        return self.refs[self.cursor_row] if 0 <= self.cursor_row < len(self.refs) else None

    def current_link(self) -> str | None:
        return self.links[self.cursor_row] if 0 <= self.cursor_row < len(self.links) else None


class DetailScreen(Screen[None]):
    """Shared bindings: back, open the selected link."""

    BINDINGS: ClassVar[list[BindingType]] = list(DETAIL_KEYS)

    @property
    def room(self) -> SituationRoom:
        from monitor.app.app import SituationRoom

        assert isinstance(self.app, SituationRoom)
        return self.app

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_link()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_source()

    def show_source(self) -> None:
        """The highlighted source's title and link in full, wrapped: the table's cells may cut them."""
        ref = self.query_one(SourcesTable).current_ref()
        shown = self.query_one("#source-full", Static)
        if ref is None:
            shown.update("")
            return
        shown.update(
            Content.assemble(
                ("title ", "dim"),
                plain(ref.title),
                "\n",
                ("link  ", "dim"),
                (plain(ref.link), "underline") if ref.link else ("none", "dim"),
            )
        )

    def action_open_link(self) -> None:
        self.room.open_link(self.query_one(SourcesTable).current_link())


class IncidentScreen(DetailScreen):
    """One incident: what, where, who reported it, the rule and evidence, entities, history."""

    BINDINGS: ClassVar[list[BindingType]] = list(INCIDENT_KEYS)

    def __init__(self, incident: Incident, events: list[Event], items: dict[str, Item], alerts: list[Alert]):
        super().__init__()
        self.incident = incident
        self.events = events
        self.items = items
        self.alerts = alerts

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield Static(id="headline")
            yield Static(Content.styled("Sources", "bold underline"), classes="section")
            yield SourcesTable(id="sources")
            yield Static(id="source-full")
            yield Static(Content.styled("Evidence", "bold underline"), classes="section")
            yield Static(evidence(self.events, self.items), id="evidence")
            yield Static(Content.styled("Entities", "bold underline"), classes="section")
            yield Static(entities_text(self.incident, self.events), id="entities")
            yield Static(Content.styled("History", "bold underline"), classes="section")
            yield Static(history(self.incident, self.alerts), id="history")
        yield Footer()

    def on_mount(self) -> None:
        self.show_headline()
        stage = {e.item_key: e.status for e in self.events}
        self.query_one(SourcesTable).fill(
            (
                (s, stage.get(s.item_key, ""))
                for s in sorted(self.incident.sources, key=lambda s: s.published)
            ),
            self.size.width,
        )
        self.show_source()
        self.query_one("#detail").focus()  # ↓ and PgDn scroll at once; Tab reaches the sources

    def show_headline(self) -> None:
        i, board = self.incident, self.room.board
        self.query_one("#headline", Static).update(
            Content.assemble(
                (plain(i.title), "bold"),
                "\n",
                (i.severity.value.upper(), SEVERITY_STYLE[i.severity]),
                f"  {CATEGORY_LABEL[i.category]}  ·  {plain(i.zone)}",
                f" ({plain(i.place)})" if i.place and i.place != i.zone else "",
                f"  ·  {board.status_of(i)}  ·  {i.source_count} outlet(s)",
                f"  ·  first {i.first_seen:%d %b %H:%M}, last {i.last_seen:%d %b %H:%M} UTC",
            )
        )

    def action_acknowledge(self) -> None:
        self.room.toggle_acknowledged(self.incident.id)
        self.show_headline()

    def action_mute(self) -> None:
        self.room.toggle_muted(self.incident.id)
        self.show_headline()


def evidence(events: list[Event], items: dict[str, Item]) -> Content:
    """Each rule that fired, with the matched words highlighted in the text it read."""
    if not events:
        return Content.styled("no stored evidence for this incident", "dim")
    blocks: list[Content] = []
    for e in events:
        head = Content.assemble(
            ("rule ", "dim"),
            (plain(e.rule), "bold"),
            f"  {e.category.value}  {e.severity.value}  {e.status}  ",
            (plain(e.feed), "italic"),
        )
        lines = [head]
        if is_statistical(e.rule):
            # no rule read it: say so, and what weighed most
            lines.append(
                Content.assemble(
                    ("statistical reading, no rule matched  ", "dim"),
                    f"p {plain(e.detail.get('probability', '?'))}  ",
                    ("cues ", "dim"),
                    plain(e.detail.get("cues", "")),
                )
            )
        item = items.get(e.item_key)
        lines.append(highlighted(item.text if item else e.title, e))
        blocks.append(Content("\n").join(lines))
    return Content("\n\n").join(blocks)


def highlighted(text: str, event: Event) -> Content:
    """``text`` with the evidence of ``event`` highlighted; split before sanitising, so offsets hold."""
    start, end = event.span if event.span else (-1, -1)
    if not (0 <= start < end <= len(text)) or text[start:end].strip() == "":
        start = text.find(event.matched) if event.matched else -1
        end = start + len(event.matched)
    if start < 0:
        return Content.assemble(plain(text, 2000), "\n", (plain(event.matched, 500), EVIDENCE_STYLE))
    before, match, after = plain(text[:start]), plain(text[start:end]), plain(text[end:])
    return Content.assemble(
        before + (" " if before else ""), (match, EVIDENCE_STYLE), (" " if after else "") + after
    )


def entities_text(incident: Incident, events: list[Event]) -> Content:
    """Countries, actors, places, zones, troops and casualties from every merged event."""
    merged: dict[str, set[str]] = {"countries": set(incident.countries), "actors": set(incident.actors)}
    troops: list[str] = []
    for e in events:
        ents: Entities = e.entities
        for key, values in (("countries", ents.countries), ("actors", ents.actors), ("places", ents.places)):
            merged.setdefault(key, set()).update(values)
        merged.setdefault("zones", set()).update(ents.zones)
        if ents.troops is not None:
            troops.append(f"{ents.troops_qualifier or ''} {ents.troops:,}".strip())
    lines: list[str | tuple[str, str]] = []
    for key in ("countries", "actors", "places", "zones"):
        shown = sorted(plain(v) for v in merged.get(key, set()) if v)
        lines += [(f"{key:<11}", "dim"), ", ".join(shown) or "—", "\n"]
    lines += [("troops     ", "dim"), ", ".join(sorted(set(troops))) or "—", "\n"]
    casualties = f"{incident.casualties:,}" if incident.casualties is not None else "—"
    by = f" (highest figure: {plain(incident.casualties_by)})" if incident.casualties_by else ""
    lines += [("casualties ", "dim"), casualties + by]
    return Content.assemble(*lines)


def history(incident: Incident, alerts: list[Alert]) -> Content:
    """Reports and alerts about the incident in time order."""
    entries: list[tuple[object, Content]] = []
    for s in incident.sources:
        entries.append(
            (
                s.published,
                Content.assemble(
                    (f"{s.published:%d %b %H:%M}  ", "dim"), "reported by ", (plain(s.feed), "bold")
                ),
            )
        )
    for a in alerts:
        entries.append(
            (
                a.ts,
                Content.assemble(
                    (f"{a.ts:%d %b %H:%M}  ", "dim"),
                    (f"alert: {words(a.kind)}", "bold"),
                    f"  {a.severity.value}" + (f", {a.sources} source(s)" if a.sources else ""),
                    f", {plain(a.status)}" if a.status else "",
                ),
            )
        )
    entries.sort(key=lambda pair: str(pair[0]))
    return Content("\n").join([c for _, c in entries]) if entries else content("no history", "dim")


class ForceScreen(DetailScreen):
    """A contributor on the forces board, with the reports behind each status change."""

    def __init__(self, force: ForceEntry, stages: dict[str, str]):
        super().__init__()
        self.force = force
        self.stages = stages

    def compose(self) -> ComposeResult:
        f = self.force
        with VerticalScroll(id="detail"):
            yield Static(
                Content.assemble(
                    (plain(f.contributor), "bold"),
                    f"  {words(f.status)}",
                    f"  ·  troops {(f.troops_qualifier + ' ') if f.troops_qualifier else ''}{f.troops:,}"
                    if f.troops is not None
                    else "  ·  troops not stated",
                    f"  ·  role {plain(f.role)}" if f.role else "",
                    f"  ·  {plain(f.where)}" if f.where else "",
                    f"\nlast change {f.last_change:%d %b %H:%M} UTC",
                ),
                id="headline",
            )
            yield Static(Content.styled("Evidence per status change", "bold underline"), classes="section")
            yield SourcesTable(id="sources")
            yield Static(id="source-full")
        yield Footer()

    def on_mount(self) -> None:
        ordered = sorted(self.force.evidence, key=lambda s: s.published)
        self.query_one(SourcesTable).fill(
            ((s, words(self.stages.get(s.item_key, ""))) for s in ordered), self.size.width
        )
        self.show_source()
        self.query_one("#detail").focus()


class FeedScreen(Screen[None]):
    """One feed: its URL, health, the last error in full, its counters and the polls seen this run."""

    BINDINGS: ClassVar[list[BindingType]] = list(FEED_KEYS)

    def __init__(
        self, name: str, state: FeedState | None, polls: list[PollRecord], failed_now: bool, now: datetime
    ) -> None:
        super().__init__()
        self.feed_name = name
        self.state = state
        self.polls = polls
        self.failed_now = failed_now
        self.now = now

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield Static(Content.styled(plain(self.feed_name), "bold"), id="headline")
            for label, value, style in feed_rows(self.state, self.failed_now, self.now):
                with Horizontal(classes="feed-row"):
                    yield Static(Content.styled(label, "dim"), classes="feed-label")
                    yield Static(Content.styled(value, style), classes="feed-value")
            yield Static(
                Content.styled("Polls seen since the app started", "bold underline"), classes="section"
            )
            yield Static(poll_history(self.polls), id="polls")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail").focus()


def _when(at: datetime | None) -> str:
    return f"{at:%d %b %Y %H:%M:%S} UTC" if at else "never"


FeedRow = tuple[str, str, str]
"""(label, value, style) of one line of the feed detail."""


def feed_rows(state: FeedState | None, failed_now: bool, now: datetime) -> list[FeedRow]:
    """Everything the store knows of a feed, every text in full (wrapped, never cut)."""
    health = feed_health(state, now)
    out: list[FeedRow] = [
        ("health", health.status + (" (failed in the last cycle)" if failed_now else ""), "bold"),
        ("why", plain(health.words), ""),
    ]
    if state is None:
        return [*out, ("state", "not polled yet", "")]
    status = (
        "—"
        if state.last_status is None
        else ("network error" if state.last_status == 0 else str(state.last_status))
    )
    gap = f"{state.mean_gap_s / 3600:.1f} h" if state.mean_gap_s else "—"
    out += [
        ("URL", plain(state.url), "underline"),
        *([("moved to", plain(state.moved_to), "underline")] if state.moved_to else []),
        ("last HTTP status", status, ""),
        ("last error", plain(state.last_error) or "—", "bold #d75f00" if state.last_error else ""),
        ("failures in a row", str(state.consecutive_failures), ""),
        ("last attempt", _when(state.last_attempt), ""),
        ("last success", _when(state.last_success), ""),
        ("next poll", _when(state.next_poll) if state.next_poll else "on its interval", ""),
        ("last new item", _when(state.last_new_item), ""),
        ("usual gap", gap, ""),
        ("polls", f"{state.polls:,} ({state.not_modified:,} answered 304 Not Modified)", ""),
        ("items seen", f"{state.items_seen:,}", ""),
    ]
    if state.gone:
        out.append(("stopped", "the server answered 410 Gone; polling stopped", ""))
    return out


def poll_history(polls: list[PollRecord]) -> Content:
    """Newest first: when, the HTTP status, the error in full."""
    if not polls:
        return Content.styled(
            "none yet: the store keeps each feed's last state (above); polls are listed as they happen", "dim"
        )
    lines: list[Content] = []
    for p in reversed(polls):
        status = "network error" if p.status == 0 else ("—" if p.status is None else str(p.status))
        lines.append(
            Content.assemble(
                (f"{p.at:%d %b %H:%M:%S}  ", "dim"),
                ("ok    " if p.ok else "FAILED", "" if p.ok else "bold #d75f00"),
                f"  {status}",
                f"  {plain(p.error)}" if p.error else "",
            )
        )
    return Content("\n").join(lines)
