"""The status line at the top: last poll, feeds OK/failing, unacknowledged alerts, worker trouble."""

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

    def render(self) -> Content:
        poll = self.last_poll.strftime("%d %b %H:%M:%S UTC") if self.last_poll else "waiting for first poll"
        wide = self.size.width >= 100
        parts: list[str | tuple[str, str]] = [("SITUATION ROOM  ", "bold")] if wide else []
        if self.attached:
            parts += [(self.attached, "bold"), " · "]
        parts.append(f"last poll {poll} · feeds {self.feeds_ok} OK")
        if self.feeds_failing:
            parts += [", ", (f"{self.feeds_failing} failing", "bold #d75f00")]
        parts.append(" · ")
        parts.append(
            (
                f"{self.unacknowledged} unacked" if not wide else f"{self.unacknowledged} unacknowledged",
                "bold reverse" if self.unacknowledged else "",
            )
        )
        if self.trouble:
            parts += [" · ", (self.trouble, "bold #d75f00")]
        return Content.assemble(*parts)
