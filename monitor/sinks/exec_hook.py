"""``watch --exec CMD ARG...``: run a command per alert with the alert's JSON on stdin.

The command is an argument list run without a shell, under a timeout; its arguments may carry the
alert's fields (``{title}``, ``{severity}``, ... — see ``monitor.sinks.templates``), each filled in
as one argument. Its stdout goes to our stderr
(stdout carries alerts only). The hook is a durable sink of its own (``watch-exec``): an alert is
marked done for it only after the command exited 0, so a failure is reported on stderr and retried
on the next cycle (or the next run), in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import sys
from collections.abc import Sequence
from typing import Any

from monitor.diagnostics import Warn
from monitor.models import Alert
from monitor.sinks.alert_filter import PASS_ALL, AlertFilter
from monitor.sinks.alert_format import json_line
from monitor.sinks.durable import AlertLedger, DurableAlertSink, warn_stderr
from monitor.sinks.templates import check_templates, fill

EXEC_SINK = "watch-exec"
"""Name under which the store keeps the alerts the hook has not yet run for successfully."""

DEFAULT_TIMEOUT_S = 30.0


class ExecSink(DurableAlertSink):
    """Runs ``argv`` once per alert, the alert's JSON line on its stdin."""

    def __init__(
        self,
        ledger: AlertLedger,
        argv: Sequence[str],
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        alert_filter: AlertFilter = PASS_ALL,
        catchup: bool = False,
        stop: asyncio.Event | None = None,
        warn: Warn = warn_stderr,
    ) -> None:
        if not argv:
            raise ValueError("--exec needs a command")
        super().__init__(EXEC_SINK, ledger, alert_filter=alert_filter, catchup=catchup, stop=stop, warn=warn)
        check_templates(argv)  # TemplateError (a usage error) before anything runs
        self.argv = tuple(argv)
        self._templated = any("{" in arg or "}" in arg for arg in argv)
        """Arguments to fill per alert (placeholders, or ``{{``/``}}`` to unescape); else used as given."""
        self.timeout_s = timeout_s
        self.failures = 0
        """Runs that failed (each is retried later)."""

    async def emit_pending(self) -> None:
        before = self.failures
        await super().emit_pending()
        if self.failures > before:
            left = len(self._ledger.pending_alerts(self.name))
            self._warn(f"exec: {left} alert(s) left pending; retrying on the next cycle")

    async def handle(self, alert: Alert) -> bool:
        argv = fill(self.argv, alert) if self._templated else self.argv
        problem = await self._run(json_line(alert).encode("ascii"), argv)
        if problem is None:
            return True
        self.failures += 1
        self._warn(f"exec: {shlex.join(self.argv)} {problem} for alert {alert.id}")
        return False

    async def _run(self, payload: bytes, argv: Sequence[str] | None = None) -> str | None:
        """Run the command once; None on success, else what went wrong, in plain words.

        The hook starts in a session (and process group) of its own, so that a timeout or a stop
        ends everything it started, not just the direct child. A stop (SIGTERM, SIGINT) ends a
        running hook at once; its alert stays pending for the next run.
        """
        try:
            proc = await asyncio.create_subprocess_exec(
                *(argv or self.argv),
                stdin=asyncio.subprocess.PIPE,
                stdout=sys.stderr.fileno(),
                stderr=None,
                start_new_session=True,
            )
        except OSError as exc:
            return f"could not start ({exc.strerror or exc})"
        talk = asyncio.ensure_future(proc.communicate(payload))
        waits: set[asyncio.Future[Any]] = {talk}
        stopping = asyncio.ensure_future(self._stop.wait()) if self._stop is not None else None
        if stopping is not None:
            waits.add(stopping)
        try:
            done, _ = await asyncio.wait(waits, timeout=self.timeout_s, return_when=asyncio.FIRST_COMPLETED)
            if talk not in done:
                talk.cancel()
                await _end_group(proc)
                if stopping is not None and stopping in done:
                    return "was stopped (watch is exiting); the alert stays pending"
                return f"timed out after {self.timeout_s:g} s"
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                # It exited without reading stdin; its exit status decides.
                talk.result()
        except BaseException:
            talk.cancel()
            await asyncio.shield(_end_group(proc))
            raise
        finally:
            if stopping is not None:
                stopping.cancel()
        await proc.wait()
        if proc.returncode != 0:
            return f"exited with status {proc.returncode}"
        return None


async def _end_group(proc: asyncio.subprocess.Process) -> None:
    """Kill the hook's whole process group (it leads it: its pid is the group id) and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    await proc.wait()
