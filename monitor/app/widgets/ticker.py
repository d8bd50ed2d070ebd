"""The ticker: the latest alerts on one line, newest first, moving on by one every few seconds."""

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
    start: reactive[int] = reactive(0)
    """Index of the first alert shown; the ticker moves on by one every few seconds."""

    STEP_S = 5.0

    def on_mount(self) -> None:
        self.set_interval(self.STEP_S, self._step)

    def _step(self) -> None:
        if len(self.alerts) > 1:
            self.start = (self.start + 1) % len(self.alerts)

    def show(self, alerts: Sequence[Alert], now: datetime) -> None:
        self.now = now
        fresh = tuple(alerts[:8])
        if fresh[:1] != self.alerts[:1]:
            self.start = 0  # news: back to the newest
        self.alerts = fresh

    def render(self) -> Content:
        if not self.alerts or self.now is None:
            return Content.styled("no alerts", "dim")
        parts: list[str | tuple[str, str]] = []
        start = self.start % len(self.alerts)
        for alert in self.alerts[start:] + self.alerts[:start]:
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
