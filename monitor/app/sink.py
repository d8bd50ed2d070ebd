"""AppSink: the pipeline's sink that hands each cycle's report to the app as one message."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.message_pump import MessagePump

from monitor.app.messages import ConfigReloaded, PipelineWarning, ReportArrived

if TYPE_CHECKING:
    from monitor.app.board import ReportLike


class AppSink:
    """Posts each report to the app; safe to call from the pipeline's own thread and loop."""

    name = ""  # not durable: the app reads what it missed from the store when it starts
    durable = False

    def __init__(self, target: MessagePump) -> None:
        self._target = target
        self.requests: asyncio.Queue[str] = asyncio.Queue()
        """What the person asked of the pipeline ("poll": poll every feed now); filled from the UI
        thread through the pipeline loop's call_soon_threadsafe."""

    async def deliver(self, report: ReportLike) -> None:
        self._target.post_message(ReportArrived(report))

    def warn(self, text: str) -> None:
        """A pipeline warning, shown in the app (stderr belongs to the screen while the app runs)."""
        self._target.post_message(PipelineWarning(text))

    def reloaded(self, source: str, summary: str, problems: str = "") -> None:
        """A changed config was taken up (``problems`` empty) or refused, the old one kept."""
        self._target.post_message(ConfigReloaded(source, summary, problems))
