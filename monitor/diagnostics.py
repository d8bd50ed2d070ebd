"""Diagnostics for people: one flushed line on stderr, never on stdout, which carries results."""

from __future__ import annotations

import sys
from collections.abc import Callable

from monitor.text import sanitize_lines

Warn = Callable[[str], None]
"""Where a component reports what a person should know (a recovered file, a failing feed...)."""


def print_to_stderr(message: str, *, prefix: str = "situation-room") -> None:
    """The default ``Warn``: ``prefix: message`` as one line on stderr, flushed at once.

    Messages quote hostile text (a server's reason phrase, a feed name from an imported OPML
    file, a key or a rule id from a file), so every escape sequence, control character and bidi
    override is removed here, whatever the caller did.
    """
    print_error(f"{prefix}: {message}" if prefix else message)


def print_error(message: str) -> None:
    """``message`` on stderr, made safe for a terminal (line breaks kept), flushed at once."""
    print(sanitize_lines(message), file=sys.stderr, flush=True)
