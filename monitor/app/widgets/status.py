"""The status line at the top: pause marker, last poll, feeds OK/failing, unacknowledged alerts,
the bell, worker trouble. Each figure says what it counts."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


class StatusLine(Widget):
    """One line of facts about the monitor itself; the parent sets its attributes."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; padding: 0 1; }
    """

    last_poll: reactive[datetime | None] = reactive(None)
    feeds_ok: reactive[int] = reactive(0)
    feeds_failing: reactive[int] = reactive(0)
    unacknowledged: reactive[int] = reactive(0)
    trouble: reactive[str] = reactive("")
    attached: reactive[str] = reactive("")
    """"attached to watch (pid N)" when the app follows another process's store."""
    paused: reactive[bool] = reactive(False)
    held_new: reactive[int] = reactive(0)
    """New incidents that arrived while paused (shown on resume)."""
    bell: reactive[bool] = reactive(False)
    now: reactive[datetime | None] = reactive(None)
    """The app's clock: in a narrow terminal a poll of today shows only its time."""

    def render(self) -> Content:
        wide = self.size.width >= 100
        parts: list[str | tuple[str, str]] = []
        if self.paused:
            parts += [(f" PAUSED, {self.held_new:,} new ", "bold reverse #af8700"), " "]
        if wide:
            parts.append(("SITUATION ROOM  ", "bold"))
        if self.attached:
            parts += [(self.attached, "bold"), " · "]
        if self.last_poll is None:
            poll = "waiting for first poll"
        else:
            today = self.now is not None and self.last_poll.date() == self.now.date()
            narrow = "%H:%M" if today else "%d %b %H:%M"
            poll = "last poll " + self.last_poll.strftime("%d %b %H:%M:%S UTC" if wide else narrow)
        parts.append(f"{poll} · feeds {self.feeds_ok} OK")
        if self.feeds_failing:
            parts += [", ", (f"{self.feeds_failing} failing", "bold #d75f00")]
        parts.append(" · ")
        parts.append(
            (
                f"{self.unacknowledged} unacked alerts"
                if not wide
                else f"{self.unacknowledged} unacknowledged alerts",
                "bold reverse" if self.unacknowledged else "",
            )
        )
        if self.bell:
            parts.append(" · bell on")
        if self.trouble:
            parts += [" · ", (self.trouble, "bold #d75f00")]
        return Content.assemble(*parts)
