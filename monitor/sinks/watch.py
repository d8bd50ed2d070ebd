"""The headless ``watch`` sink: each alert as one line on stdout (JSON or text), exactly once.

An alert is marked emitted for the sink ``watch`` only after its line was written and flushed (and,
on a pipe, taken by the reader — see ``monitor.sinks.output``). If the reader goes away, the sink
closes and asks the run to stop; the alerts not yet written stay pending for the next run.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Literal

from monitor.diagnostics import Warn
from monitor.models import Alert
from monitor.sinks.alert_filter import PASS_ALL, AlertFilter
from monitor.sinks.alert_format import json_line, text_line
from monitor.sinks.durable import AlertLedger, DurableAlertSink, warn_stderr
from monitor.sinks.output import LineOutput, OutputClosed, OutputFailed

OutputFormat = Literal["jsonl", "text"]

WATCH_SINK = "watch"
"""Name under which the store keeps the alerts not yet written to stdout."""


def default_format(stream: object = None) -> OutputFormat:
    """``text`` when stdout is a terminal, ``jsonl`` otherwise (pipes, files, cron)."""
    stream = sys.stdout if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    try:
        return "text" if callable(isatty) and isatty() else "jsonl"
    except (OSError, ValueError):
        return "jsonl"


class WatchSink(DurableAlertSink):
    """Writes each pending alert to ``output`` and marks it emitted once written."""

    def __init__(
        self,
        ledger: AlertLedger,
        output: LineOutput,
        *,
        fmt: OutputFormat = "jsonl",
        encoding: str = "utf-8",
        alert_filter: AlertFilter = PASS_ALL,
        catchup: bool = False,
        stop: asyncio.Event | None = None,
        warn: Warn = warn_stderr,
    ) -> None:
        super().__init__(WATCH_SINK, ledger, alert_filter=alert_filter, catchup=catchup, stop=stop, warn=warn)
        self._output = output
        self._fmt = fmt
        self._encoding = encoding
        self.failure: str | None = None
        """Why writing to stdout failed (not a reader leaving: a full disk, an I/O error), if it did."""

    def render(self, alert: Alert) -> bytes:
        if self._fmt == "jsonl":
            return json_line(alert).encode("ascii")
        return text_line(alert).encode(self._encoding, errors="replace")

    async def handle(self, alert: Alert) -> bool:
        try:
            await self._output.write_line(self.render(alert), stop=self._stop)
        except OutputClosed:
            # The reader left (| head -1): not an error. Stop the run; the rest stays pending.
            self.closed = True
            if self._stop is not None:
                self._stop.set()
            return False
        except OutputFailed as exc:
            # Not the reader's choice: report it and stop; what is unwritten stays pending.
            self.failure = f"cannot write to stdout: {exc}"
            self._warn(self.failure)
            self.closed = True
            if self._stop is not None:
                self._stop.set()
            return False
        return True
