"""Feed text made safe for the screen: sanitised again, then wrapped as plain text, never markup."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from monitor.text import sanitize


def plain(text: str | None, max_len: int | None = None) -> str:
    """``text`` sanitised again at display: records from any store version reach the screen safe."""
    return sanitize(text, max_len)


def content(text: str | None, style: str = "", max_len: int | None = None) -> Content:
    """Feed text as a Content that shows every character literally (no markup is parsed)."""
    return Content.styled(plain(text, max_len), style)


def cell(text: str | None, style: str = "", max_len: int | None = None) -> Text:
    """Feed text as a Rich Text for a DataTable cell (a ``str`` cell would be parsed as markup)."""
    return Text(plain(text, max_len), style=style, no_wrap=True, overflow="ellipsis", end="")
