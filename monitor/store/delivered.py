"""The delivered-alert ledger: which sinks delivered which alert ids, kept by count, never by clock.

Pending marks live in ``state.json`` only while an alert is owed; once delivered everywhere they are
gone, and history expires by date. So an alert raised again with an id already delivered (its
history expired, the clock set back, the seen ledger dropped by a wrong clock) would be handed to
the sinks a second time. This ledger remembers the newest ``keep`` delivered ids per data directory
in ``delivered.ids`` (one JSON line ``[sink, id]`` per delivery, appended; rewritten smaller when it
has grown to twice ``keep``). It is a guard against repeats, not a record anything depends on: a
lost line can only let one duplicate through, so lines are appended without an fsync of their own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from monitor.diagnostics import Warn
from monitor.errors import MonitorError
from monitor.files import write_atomically

DELIVERED_FILE = "delivered.ids"


class DeliveredLedger:
    """Alert id -> sinks that delivered it, for the newest ``keep`` ids, persisted in ``path``."""

    def __init__(self, path: Path, *, keep: int, warn: Warn) -> None:
        self.path = path
        self.keep = keep
        self._warn = warn
        self._sinks: dict[str, frozenset[str]] = {}
        self._lines = 0

    def load(self) -> None:
        """Read the file (a torn or foreign line is skipped); rewrite it when it has grown too long."""
        sinks: dict[str, frozenset[str]] = {}
        lines = 0
        try:
            raw = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            raw = ""
        for line in raw.splitlines():
            try:
                sink, alert_id = json.loads(line)
            except (ValueError, TypeError):
                continue
            if isinstance(sink, str) and isinstance(alert_id, str):
                lines += 1
                sinks[alert_id] = sinks.pop(alert_id, frozenset()) | {sink}
        self._sinks = dict(list(sinks.items())[-self.keep :]) if len(sinks) > self.keep else sinks
        self._lines = lines
        if lines > 2 * self.keep:
            self._compact()

    def sinks_of(self, alert_id: str) -> frozenset[str]:
        return self._sinks.get(alert_id, frozenset())

    def add(self, sink: str, alert_ids: Iterable[str]) -> None:
        """Remember that ``sink`` delivered these ids (newest last); a write failure only warns."""
        lines = []
        for alert_id in alert_ids:
            self._sinks[alert_id] = self._sinks.pop(alert_id, frozenset()) | {sink}
            lines.append(json.dumps([sink, alert_id], ensure_ascii=True) + "\n")
        while len(self._sinks) > self.keep:
            del self._sinks[next(iter(self._sinks))]
        if not lines:
            return
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, "".join(lines).encode("ascii"))
            finally:
                os.close(fd)
        except OSError as exc:
            self._warn(f"could not note delivered alerts in {self.path}: {exc.strerror}")
            return
        self._lines += len(lines)
        if self._lines > 2 * self.keep:
            self._compact()

    def _compact(self) -> None:
        text = "".join(
            json.dumps([s, i], ensure_ascii=True) + "\n" for i, ss in self._sinks.items() for s in sorted(ss)
        )
        try:
            write_atomically(self.path, text)
        except MonitorError as exc:
            self._warn(str(exc))
            return
        self._lines = sum(len(ss) for ss in self._sinks.values())
