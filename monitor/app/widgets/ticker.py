"""The ticker: the latest alerts on one line, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from monitor.app.safe import plain
from monitor.app.widgets.labels import SEVERITY_LABEL, SEVERITY_STYLE, short_time
from monitor.models import Alert

KIND_LABEL = {"new": "new", "update": "update", "force_change": "forces", "zone_change": "zone"}


class AlertTicker(Widget):
    """Latest alerts as one line of plain text (titles are feed text: never markup)."""

    DEFAULT_CSS = """
    AlertTicker { height: 1; padding: 0 1; }
    """

    alerts: reactive[tuple[Alert, ...]] = reactive(())
    now: reactive[datetime | None] = reactive(None)

    def show(self, alerts: Sequence[Alert], now: datetime) -> None:
        self.now = now
        self.alerts = tuple(alerts[:8])

    def render(self) -> Content:
        if not self.alerts or self.now is None:
            return Content.styled("no alerts", "dim")
        parts: list[str | tuple[str, str]] = []
        for alert in self.alerts:
            if parts:
                parts.append("  ◆  ")
            parts += [
                (short_time(alert.ts, self.now), "dim"),
                " ",
                (SEVERITY_LABEL[alert.severity], SEVERITY_STYLE[alert.severity]),
                f" {KIND_LABEL[alert.kind]}: ",
                plain(alert.title, 90),
            ]
        return Content.assemble(*parts)
