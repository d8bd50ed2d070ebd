"""The filters dialog: category, severity, zone, time range and unacknowledged only."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select

from monitor.app.board import TIME_RANGES, Filters
from monitor.app.keys import FILTER_KEYS
from monitor.app.safe import plain
from monitor.app.widgets.labels import CATEGORY_LABEL, SEVERITY_LABEL
from monitor.models import Category, Severity


class FiltersScreen(ModalScreen[Filters | None]):
    """Returns the chosen Filters, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = list(FILTER_KEYS)

    def __init__(self, current: Filters, zones: list[str]) -> None:
        super().__init__()
        self.current = current
        self.zones = zones

    def compose(self) -> ComposeResult:
        c = self.current
        with Grid(id="filters"):
            yield Label("Category")
            yield Select(
                [(Text(CATEGORY_LABEL[v]), v) for v in Category],
                prompt="any",
                value=c.category or Select.NULL,
                id="category",
            )
            yield Label("Severity at least")
            yield Select(
                [(Text(SEVERITY_LABEL[v]), v) for v in Severity],
                prompt="any",
                value=c.min_severity or Select.NULL,
                id="severity",
            )
            yield Label("Zone")
            yield Select(
                [(Text(plain(z)), z) for z in self.zones],
                prompt="any",
                value=c.zone if c.zone in self.zones else Select.NULL,
                id="zone",
            )
            yield Label("Time range")
            current_range = next((k for k, v in TIME_RANGES.items() if v == c.hours), "all")
            yield Select(
                [(Text(k), k) for k in TIME_RANGES], allow_blank=False, value=current_range, id="hours"
            )
            yield Label("")
            yield Checkbox("unacknowledged only", c.unacknowledged, id="unacknowledged")
            with Horizontal(id="filter-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear all", id="clear")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#apply")
    def apply(self) -> None:
        def value(selector: str) -> object:
            v = self.query_one(selector, Select).value
            return None if v is Select.NULL else v

        category, severity, zone = value("#category"), value("#severity"), value("#zone")
        self.dismiss(
            Filters(
                text=self.current.text,
                category=category if isinstance(category, Category) else None,
                min_severity=severity if isinstance(severity, Severity) else None,
                zone=zone if isinstance(zone, str) else None,
                hours=TIME_RANGES.get(str(value("#hours")), None),
                unacknowledged=self.query_one("#unacknowledged", Checkbox).value,
            )
        )

    @on(Button.Pressed, "#clear")
    def clear(self) -> None:
        self.dismiss(Filters())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
