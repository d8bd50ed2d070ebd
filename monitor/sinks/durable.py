"""The shared loop of durable alert sinks: take the store's pending alerts in order, handle each,
and mark it emitted only once it was really handled — so a restart never repeats or loses one."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Protocol

from monitor.diagnostics import Warn, print_to_stderr
from monitor.models import Alert
from monitor.sinks.alert_filter import PASS_ALL, RejectsAlerts


class AlertLedger(Protocol):
    """The part of the store a durable sink needs (``monitor.store.Store`` provides it)."""

    def pending_alerts(self, sink: str) -> list[Alert]: ...

    def mark_emitted(self, sink: str, alert_ids: Sequence[str], *, sync: bool = True) -> None: ...

    def sync_marks(self) -> None: ...


def warn_stderr(message: str) -> None:
    """Diagnostics of ``watch`` go to stderr, never to the alert stream on stdout."""
    print_to_stderr(message, prefix="situation-room watch")


class DurableAlertSink(ABC):
    """Base of the watch writer and the exec hook.

    Alerts the filter rejects are marked handled for this sink without being written: they were
    judged once and would otherwise stay pending forever. With ``catchup``, everything pending up to
    and including the first cycle is marked handled silently. Once ``stop`` is set (SIGTERM,
    SIGINT), no further alert is started: the one in hand finishes, the rest wait for the next run.
    """

    durable = True

    def __init__(
        self,
        name: str,
        ledger: AlertLedger,
        *,
        alert_filter: RejectsAlerts = PASS_ALL,
        catchup: bool = False,
        stop: asyncio.Event | None = None,
        warn: Warn = warn_stderr,
    ) -> None:
        self.name = name
        self._ledger = ledger
        self._filter = alert_filter
        self._catchup = catchup
        self._stop = stop
        self._warn = warn
        self.handled = 0
        """Alerts this sink wrote or ran (not counting filtered or caught-up ones)."""
        self.skipped = 0
        """Alerts filtered out or caught up, marked handled without being written."""
        self.closed = False
        """True once the sink can no longer deliver (its reader went away); it then does nothing."""

    async def deliver(self, report: object) -> None:
        """Called by the pipeline after each cycle's commit: handle everything still pending."""
        await self.emit_pending()
        self._catchup = False

    async def emit_pending(self) -> None:
        """Handle this sink's pending alerts, oldest first, stopping at the first one that fails."""
        if self.closed:
            return
        pending = sorted(self._ledger.pending_alerts(self.name), key=lambda a: (a.ts, a.id))
        skipped: list[str] = []
        try:
            for alert in pending:
                if self._catchup or self._filter.rejects(alert) is not None:
                    skipped.append(alert.id)
                    continue
                if self._stop is not None and self._stop.is_set():
                    break
                if not await self.handle(alert):
                    break
                # Written at once (a kill loses no mark); synced to disk once for the burst below.
                self._ledger.mark_emitted(self.name, [alert.id], sync=False)
                self.handled += 1
        finally:
            if skipped:
                self._ledger.mark_emitted(self.name, skipped, sync=False)
                self.skipped += len(skipped)
            self._ledger.sync_marks()
            if self._catchup and skipped:
                # The stderr prefix already says "watch"; name only the other sinks (the exec hook).
                whose = "" if self.name == "watch" else f" for {self.name}"
                self._warn(f"catch-up marked {len(skipped)} alert(s) as seen{whose}")

    @abstractmethod
    async def handle(self, alert: Alert) -> bool:
        """Deliver one alert; True when it may be marked emitted, False to retry it later."""
