"""Detail screens: an incident with its sources, evidence, entities and history; a contributor's
evidence per status change. Every piece of feed text is shown as plain Content."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from monitor.app.safe import cell, content, plain
from monitor.app.widgets.labels import CATEGORY_LABEL, SEVERITY_STYLE, words
from monitor.models import Alert, Entities, Event, ForceEntry, Incident, Item, SourceRef

if TYPE_CHECKING:
    from monitor.app.app import SituationRoom

EVIDENCE_STYLE = "bold reverse #ffd700"


class SourcesTable(DataTable[object]):
    """Sources of a record; Enter (or o) opens the selected source's link."""

    links: tuple[str | None, ...] = ()

    def on_mount(self) -> None:
        self.cursor_type = "row"

    def fill(self, sources: Iterable[tuple[SourceRef, str]]) -> None:
        self.clear(columns=True)
        for name, width in (("published", 12), ("outlet", 18), ("tier", 16), ("", 10), ("title", 40)):
            self.add_column(name, width=width)
        self.add_column("link")
        links: list[str | None] = []
        for ref, extra in sources:
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

    def current_link(self) -> str | None:
        return self.links[self.cursor_row] if 0 <= self.cursor_row < len(self.links) else None


class DetailScreen(Screen[None]):
    """Shared bindings: back, open the selected link."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("o", "open_link", "Open link"),
    ]

    @property
    def room(self) -> SituationRoom:
        from monitor.app.app import SituationRoom

        assert isinstance(self.app, SituationRoom)
        return self.app

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_link()

    def action_open_link(self) -> None:
        self.room.open_link(self.query_one(SourcesTable).current_link())


class IncidentScreen(DetailScreen):
    """One incident: what, where, who reported it, the rule and evidence, entities, history."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "acknowledge", "Ack"),
        Binding("m", "mute", "Mute"),
    ]

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
            (s, stage.get(s.item_key, "")) for s in sorted(self.incident.sources, key=lambda s: s.published)
        )
        self.query_one(SourcesTable).focus()

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
        item = items.get(e.item_key)
        blocks.append(Content("\n").join([head, highlighted(item.text if item else e.title, e)]))
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
        yield Footer()

    def on_mount(self) -> None:
        ordered = sorted(self.force.evidence, key=lambda s: s.published)
        self.query_one(SourcesTable).fill((s, words(self.stages.get(s.item_key, ""))) for s in ordered)
        self.query_one(SourcesTable).focus()
