"""Opening article links: http and https only, handed to the browser as an argument, never a shell."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from urllib.parse import urlsplit

Opener = Callable[[str], object]
"""Opens one URL; injectable so tests see the URL without a browser starting. Returning False
means no browser could be started (the app then shows the link instead)."""


def is_openable(url: str | None) -> bool:
    """True for a well-formed http(s) URL without spaces or control characters."""
    if not url or any(ord(c) < 33 or c == "\x7f" for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def open_in_browser(url: str) -> object:
    """The default opener: the standard library picks the browser and passes the URL as one argument."""
    return webbrowser.open(url, new=2)
