"""Sanitising feed text: plain, single-line, terminal-safe strings (used at ingest and at display).

Feed text is hostile. A title may carry terminal escape sequences (OSC 52 writes the clipboard,
OSC 8 hides a link, ``ESC[2J`` clears the screen, ``ESC[6n`` makes the terminal type a reply),
C0/C1 control characters, or bidi overrides that reorder what the reader sees. ``sanitize`` removes
them whole (sequence and parameters), then drops any control character left, then collapses
whitespace and caps the length.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

TITLE_MAX = 500
"""Longest title kept, in characters."""
SUMMARY_MAX = 5000
"""Longest summary kept, in characters."""

# Escape sequences, removed with their parameters. String-type sequences (OSC, DCS, SOS, PM, APC)
# end at BEL or ST (ESC \ or the 8-bit 0x9C) -- or never, in which case a terminal would swallow
# the rest of the text, so we drop the rest as well.
_STRING_SEQ = r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|(?=\x1b)|$)"
_CSI_SEQ = r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
_OTHER_ESC = r"\x1b[ -/]*[0-~]?"
_ESCAPES = re.compile(f"{_STRING_SEQ}|{_CSI_SEQ}|{_OTHER_ESC}")

# Control characters (C0 except whitespace, DEL, C1), bidi embeddings/overrides/isolates, lone
# surrogates (they cannot be encoded) and the BOM / zero-width no-break space.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufeff]")
_SPACES = re.compile(r"\s+")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def sanitize(text: str | None, max_len: int | None = None) -> str:
    """``text`` as one safe line: no escape sequence, control character or bidi override;
    whitespace collapsed; at most ``max_len`` characters (an ellipsis marks a cut)."""
    if not text:
        return ""
    if _CONTROLS.search(text) is not None:  # every escape sequence starts with one of these
        text = _ESCAPES.sub("", text)
        text = _CONTROLS.sub("", text)
    text = " ".join(text.split())  # str.split's whitespace is the regex engine's \s
    if max_len is not None and len(text) > max_len:
        text = text[: max(0, max_len - 1)].rstrip() + "…"
    return text


def sanitize_lines(text: str | None) -> str:
    """``text`` safe for a terminal, keeping its line breaks: each line as ``sanitize`` makes it.

    For diagnostics, which may list several problems on lines of their own but quote hostile
    text (a server's reason phrase, a key or rule id from a file, a feed name from an OPML file).
    """
    if not text:
        return ""
    return "\n".join(sanitize(line) for line in text.splitlines())


def is_clean(text: str) -> bool:
    """True when ``text`` carries no control character (so no escape sequence) and no bidi override."""
    return _UNSAFE.search(text) is None


# --- HTML to text ---------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title", "svg", "math", "iframe"})


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment; drops tags, scripts, styles and comments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self._skip:
                self.parts.append(f" {alt} ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIP_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z/!]|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);")


# Markup that malformed HTML (an unterminated CDATA section, say) can leave behind as text: it is
# harmless on a terminal, but must not come back to life in an HTML or Markdown export.
_LEFTOVER_MARKUP = re.compile(
    r"<!\[CDATA\[|\]\]>|</?\s*(?:script|style|iframe|object|embed|form|input|svg|math|link|meta|base)\b[^>]*>?",
    re.IGNORECASE,
)


def html_to_text(html: str | None) -> str:
    """The visible text of an HTML fragment, tags and scripts removed, entities decoded.

    The result is not yet sanitised: pass it through ``sanitize`` (which also collapses whitespace).
    """
    if not html:
        return ""
    if not _LOOKS_LIKE_HTML.search(html):
        return html
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):
        # html.parser gives up on some malformed markup; fall back to dropping anything tag-like.
        return _LEFTOVER_MARKUP.sub(" ", unescape(re.sub(r"<[^>]*>?", " ", html)))
    return _LEFTOVER_MARKUP.sub(" ", "".join(parser.parts))


def plain(text: str | None, max_len: int | None = None, *, is_html: bool = True) -> str:
    """Feed text to one safe plain line: HTML to text (when ``is_html``), then ``sanitize``."""
    return sanitize(html_to_text(text) if is_html else text, max_len)
