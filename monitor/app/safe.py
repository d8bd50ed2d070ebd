"""Feed text made safe for the screen: sanitised again, then wrapped as plain text, never markup."""

from __future__ import annotations

import re

from rich.text import Text
from textual.content import Content

# ESC-introduced sequences (CSI, OSC, DCS, SOS/PM/APC, two-character escapes), 8-bit CSI, the
# remaining C0/C1 controls and bidi overrides. Feed text was sanitised at ingest; this second pass
# guards the terminal even against records written by an older or foreign version of the store.
_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]",
    re.DOTALL,
)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")
_SPACE = re.compile(r"\s+")


def plain(text: str | None, max_len: int | None = None) -> str:
    """``text`` with escape sequences, controls and bidi overrides removed and whitespace collapsed."""
    if not text:
        return ""
    text = _CONTROLS.sub("", _SEQUENCES.sub("", text))
    text = _SPACE.sub(" ", text).strip()
    if max_len is not None and len(text) > max_len:
        text = text[: max(0, max_len - 1)] + "…"
    return text


def content(text: str | None, style: str = "", max_len: int | None = None) -> Content:
    """Feed text as a Content that shows every character literally (no markup is parsed)."""
    return Content.styled(plain(text, max_len), style)


def cell(text: str | None, style: str = "", max_len: int | None = None) -> Text:
    """Feed text as a Rich Text for a DataTable cell (a ``str`` cell would be parsed as markup)."""
    return Text(plain(text, max_len), style=style, no_wrap=True, overflow="ellipsis", end="")
