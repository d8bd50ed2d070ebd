"""Diagnostics for people: one flushed line on stderr, never on stdout, which carries results."""

from __future__ import annotations

import sys
from collections.abc import Callable

Warn = Callable[[str], None]
"""Where a component reports what a person should know (a recovered file, a failing feed...)."""


def print_to_stderr(message: str, *, prefix: str = "situation-room") -> None:
    """The default ``Warn``: ``prefix: message`` as one line on stderr, flushed at once."""
    print(f"{prefix}: {message}", file=sys.stderr, flush=True)
