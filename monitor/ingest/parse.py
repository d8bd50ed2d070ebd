"""Parsing fetched bytes into Items with feedparser: pure (no I/O, no clock), safe to run in another process.

Before feedparser sees a body, every DOCTYPE and ENTITY declaration is removed: expat refuses an
entity bomb, but feedparser then falls back to its loose parser, which expands it (a 160 KB
quadratic-blowup feed became a 2-billion-character title). feedparser gets a BytesIO, never a
string, so it cannot open a file or a URL. Every text field is sanitised *after* parsing, because
feedparser decodes ``&#27;`` into a real ESC. A bad entry is skipped with a reason; a body that is
not a feed gives one clear reason instead of items.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from monitor.models import Event, Item
from monitor.text import SUMMARY_MAX, TITLE_MAX, html_to_text, plain, sanitize

ID_MAX = 512
"""Longer ids (and links used as ids) are replaced by their hash."""
LINK_MAX = 2048
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
"""Dates before this are treated as bogus (a feed reader's epoch, not news)."""
FUTURE_SLACK = timedelta(minutes=15)
"""Dates further ahead than this are treated as bogus (clock skew is tolerated up to it)."""


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Items from one body, or the reason the body is not a usable feed."""

    feed: str
    items: tuple[Item, ...] = ()
    error: str | None = None
    """Why the body is not a usable feed ("empty response", "not a feed: an HTML page", ...)."""
    notes: tuple[str, ...] = ()
    """Entries skipped and other problems that did not stop the feed, in plain words."""
    version: str = ""
    """The format feedparser recognised (rss20, atom10, rdf, ...)."""
    title: str = ""
    events: tuple[tuple[list[Event], str | None], ...] | None = None
    """Each item's events (or why the rules failed on it), when the parser process also ran the
    rules over the items (see ``parse_job.parse_within``); None when it did not."""
    rules: tuple[tuple[str, str], ...] | None = None
    """The user rules (name, text of each file) ``events`` were worked out with."""

    @property
    def ok(self) -> bool:
        return self.error is None


# --- defusing ---------------------------------------------------------------------------------

_ENTITY_DECL = re.compile(rb"<!ENTITY\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>?", re.IGNORECASE)
_DOCTYPE_DECL = re.compile(
    rb"<!DOCTYPE\b(?:[^\[>\"']|\"[^\"]*\"|'[^']*'|\[(?:[^\]\"']|\"[^\"]*\"|'[^']*')*\])*>?", re.IGNORECASE
)
_XML_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")

_WIDE_ENCODINGS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)


def _wide_encoding(body: bytes) -> str | None:
    """UTF-16/32 (by BOM or by the shape of ``<``), which byte-level stripping cannot see through."""
    head = body[:4]
    for prefix, encoding in _WIDE_ENCODINGS:
        if head.startswith(prefix):
            return encoding
    return None


_PROLOG_PART = re.compile(rb"\s+|\xef\xbb\xbf|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_DOCTYPE_START = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ELEMENT_START = re.compile(rb"<\w")


def _strip_declarations(body: bytes) -> bytes:
    """Remove DOCTYPEs from the prolog and ENTITY declarations before the root element.

    Only the prolog is touched (a "<!DOCTYPE" inside a CDATA section is text), which is also
    the only place expat and feedparser look for declarations. A DOCTYPE too broken to match
    is cut up to the root element.
    """
    pos = 0
    while pos < len(body):
        part = _PROLOG_PART.match(body, pos)
        if part is not None and part.end() > pos:
            pos = part.end()
            continue
        if not _DOCTYPE_START.match(body, pos):
            break
        decl = _DOCTYPE_DECL.match(body, pos)
        if decl is not None and decl.group().endswith(b">"):
            end = decl.end()
        else:
            element = _ELEMENT_START.search(body, pos + 2)
            end = element.start() if element else len(body)
        body = body[:pos] + body[end:]
    root = _ELEMENT_START.search(body, pos)
    head_end = root.start() if root else len(body)
    return _ENTITY_DECL.sub(b"", body[:head_end]) + body[head_end:]


def defuse(body: bytes) -> tuple[bytes, bool]:
    """``body`` without DOCTYPE and ENTITY declarations; the flag says it was re-encoded as UTF-8.

    UTF-16 and UTF-32 bodies are decoded, stripped and re-encoded as UTF-8 (with the encoding
    declaration removed), so a wide encoding cannot smuggle an entity bomb past the stripping.
    """
    wide = _wide_encoding(body)
    if wide is None:
        return _strip_declarations(body), False
    text = body.decode(wide, errors="replace").lstrip("\ufeff")
    text = _XML_DECL_ENCODING.sub(r"\1", text, count=1)
    return _strip_declarations(text.encode("utf-8", errors="replace")), True


# --- classifying failures --------------------------------------------------------------------

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+html|<html\b|<head\b|<body\b)",
    re.IGNORECASE | re.DOTALL,
)
_TRUNCATED = re.compile(r"no element found|unclosed token|unclosed CDATA", re.IGNORECASE)
_SAX_PROBLEM = re.compile(r"\(line \d+\)$")


_SAX_LOCATION = re.compile(r"^<unknown>:(\d+):(\d+):\s*")


def _problem_words(problem: object) -> str:
    """feedparser's bozo exception in plain words: "no element found (line 3)"."""
    if problem is None:
        return ""
    text = sanitize(str(problem), 200)
    where = _SAX_LOCATION.match(text)
    if where:
        text = f"{text[where.end() :]} (line {where.group(1)})"
    return text


def _not_a_feed(body: bytes, result: Mapping[str, Any]) -> str:
    stripped = body.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if not stripped.strip(b"\x00 \t\r\n"):
        return "empty response"
    if _HTML_START.match(body[:4096]):
        return "not a feed: an HTML page"
    if stripped[:1] in (b"{", b"["):
        if b"jsonfeed.org/version" in stripped[:4096]:
            return "not supported: a JSON Feed (use the site's RSS or Atom feed)"
        return "not a feed: a JSON document"
    if not _ELEMENT_START.search(body) and _wide_encoding(body) is None:
        return "not a feed: the document has no element at all"
    text = _problem_words(result.get("bozo_exception"))
    if text and _TRUNCATED.search(text):
        return f"truncated XML: {text}"
    if text:
        return f"not a feed: {text}"
    return "not a feed: no RSS, Atom or RDF root element"


# --- entries ----------------------------------------------------------------------------------


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", errors="replace"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]


def content_hash(title: str, summary: str) -> str:
    """Hash of the normalised title and summary: equal for syndicated copies, changes on an update."""
    return _hash(" ".join(title.casefold().split()), " ".join(summary.casefold().split()))


def safe_link(value: object) -> str | None:
    """An absolute http/https URL without whitespace or control characters, else None."""
    if not isinstance(value, str):
        return None
    link = value.strip()
    if not link or len(link) > LINK_MAX or sanitize(link) != link or " " in link:
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return link


def _is_html(detail: object) -> bool:
    kind = detail.get("type", "text/html") if isinstance(detail, Mapping) else "text/html"
    return "html" in str(kind)


def _text_of(entry: Mapping[str, Any], key: str, max_len: int) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        return ""
    return plain(value, max_len, is_html=_is_html(entry.get(f"{key}_detail")))


def _summary(entry: Mapping[str, Any]) -> str:
    summary = _text_of(entry, "summary", SUMMARY_MAX)
    if summary:
        return summary
    for content in entry.get("content") or ():
        if isinstance(content, Mapping) and isinstance(content.get("value"), str):
            text = plain(content["value"], SUMMARY_MAX, is_html=_is_html(content))
            if text:
                return text
    return ""


def _published(entry: Mapping[str, Any], fetched_at: datetime) -> tuple[datetime, str | None]:
    """The entry's date in UTC and its raw text; the fetch time when missing, unparseable or implausible."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not isinstance(raw, str) or not raw.strip():
            continue
        raw_text = sanitize(raw, 200)
        parsed = entry.get(f"{key}_parsed")
        if parsed is None:
            return fetched_at, raw_text
        try:
            year, month, day, hour, minute, second = (int(v) for v in tuple(parsed)[:6])
            when = datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
        except (TypeError, ValueError, OverflowError):
            return fetched_at, raw_text
        if when < EARLIEST_DATE or when > fetched_at + FUTURE_SLACK:
            return fetched_at, raw_text
        return when, raw_text
    return fetched_at, None


def _entry_id(entry: Mapping[str, Any], feed: str, title: str, published_raw: str | None) -> str:
    """The raw GUID, else the link, else a hash of feed+title+date. Never resolved against the feed URL."""
    for candidate in (entry.get("id"), entry.get("link")):
        if isinstance(candidate, str):
            clean = sanitize(candidate)
            if clean:
                return clean if len(clean) <= ID_MAX else "sha256:" + _hash(clean)
    return "hash:" + _hash(feed, title, published_raw or "")


def normalise_entry(entry: Mapping[str, Any], *, feed: str, fetched_at: datetime) -> Item | str:
    """One feedparser entry as an Item, or the reason it was skipped."""
    # a plain dict: FeedParserDict's aliasing __getitem__ costs more than the rest of this function
    entry = dict(entry)
    title = _text_of(entry, "title", TITLE_MAX)
    summary = _summary(entry)
    if not title and not summary:
        return "it has neither a title nor a summary"
    if not title:
        title = sanitize(summary, 200)
    published, published_raw = _published(entry, fetched_at)
    return Item(
        id=_entry_id(entry, feed, title, published_raw),
        feed=feed,
        title=title,
        summary=summary,
        link=safe_link(entry.get("link")),
        published=published,
        published_raw=published_raw,
        fetched_at=fetched_at,
        content_hash=content_hash(title, summary),
    )


# --- the whole body ---------------------------------------------------------------------------


def parse_feed(
    body: bytes,
    *,
    feed: str,
    fetched_at: datetime,
    max_items: int = 500,
    content_type: str | None = None,
) -> ParseResult:
    """Parse one fetched body into Items. Pure: the result depends only on the arguments."""
    if not body.strip(b"\x00 \t\r\n\xef\xbb\xbf\xff\xfe"):
        return ParseResult(feed, error="empty response")
    defused, reencoded = defuse(body)
    headers: dict[str, str] = {}
    if reencoded:
        headers["content-type"] = "application/xml; charset=utf-8"
    elif content_type:
        headers["content-type"] = content_type
    import feedparser  # here, not at the top: a cycle of 304s never needs it (25 ms of start-up)

    try:
        result = feedparser.parse(
            io.BytesIO(defused),
            response_headers=headers,
            resolve_relative_uris=False,
            sanitize_html=False,
        )
    except Exception as exc:  # feedparser has many failure modes; one feed must never stop the others
        return ParseResult(feed, error=f"the feed could not be parsed ({type(exc).__name__}: {exc})"[:300])
    entries = list(result.get("entries") or ())
    version = str(result.get("version") or "")
    if not version and not entries:
        return ParseResult(feed, error=_not_a_feed(body, result))
    notes: list[str] = []
    problem = _problem_words(result.get("bozo_exception"))
    truncated = bool(problem) and _TRUNCATED.search(problem) is not None
    if truncated:
        notes.append(f"truncated XML: {problem}; kept what could be read")
    elif problem and _SAX_PROBLEM.search(problem):
        notes.append(f"malformed XML: {problem}; kept what could be read")
    elif problem:
        notes.append(problem)  # e.g. "document declared as utf-8, but parsed as windows-1252"
    if len(entries) > max_items:
        notes.append(f"{len(entries) - max_items} entries beyond the limit of {max_items} skipped")
        entries = entries[:max_items]
    items: list[Item] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        try:
            item = normalise_entry(entry, feed=feed, fetched_at=fetched_at)
        except Exception as exc:  # a bad entry is skipped with a reason, never the whole feed
            notes.append(f"entry {number} skipped: {type(exc).__name__}: {sanitize(str(exc), 200)}")
            continue
        if isinstance(item, str):
            notes.append(f"entry {number} skipped: {item}")
            continue
        if item.id in seen:
            notes.append(f"entry {number} skipped: duplicate id {item.id[:80]!r}")
            continue
        seen.add(item.id)
        items.append(item)
    if truncated and not items:
        return ParseResult(feed, error=f"truncated XML: {problem}", notes=tuple(notes[1:]), version=version)
    feed_info = result.get("feed") or {}
    title = html_to_text(feed_info.get("title")) if isinstance(feed_info, Mapping) else ""
    return ParseResult(feed, tuple(items), None, tuple(notes), version, sanitize(title, TITLE_MAX))
