"""OPML in and out: import another reader's subscriptions into feeds.yaml, export ours as OPML 2.0.

Import appends text to feeds.yaml, so the user's comments and layout survive; the YAML is never
re-dumped. OPML files come from anywhere, so they are parsed with entity expansion and external
references refused, and every name taken from them is stripped of control characters.

Our own settings that OPML has no attribute for (tier, party, interval, enabled) travel in the
outline's ``category`` attribute as ``/situation-room/KEY/VALUE`` strings; plain categories (no slash)
are tags, as the OPML 2.0 specification defines them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import NamedTuple, get_args
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, SubElement, indent, tostring

import yaml
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError as XMLParseError
from defusedxml.ElementTree import fromstring

from monitor.config import MIN_INTERVAL_S, Settings, settings_from_document
from monitor.diagnostics import Warn, print_to_stderr
from monitor.errors import ConfigError, ConfigProblem, MonitorError
from monitor.files import write_atomically
from monitor.models import Tier
from monitor.text import sanitize
from monitor.yamlnodes import Document, parse_document

OUR_CATEGORY = "/situation-room/"
TIERS: tuple[str, ...] = get_args(Tier)
MAX_NAME = 80
MAX_DEPTH = 100
"""Deepest outline nesting read; readers nest folders a few levels, a hostile file thousands."""


@dataclass
class OutlineFeed:
    """One feed found in an OPML file, before it becomes a feeds.yaml entry."""

    name: str
    url: str
    tier: str | None = None
    party: str | None = None
    interval: int | None = None
    language: str | None = None
    enabled: bool = True
    tags: list[str] = field(default_factory=list)


# --- export ---------------------------------------------------------------------------------


def export_opml(settings: Settings, *, now: datetime | None = None) -> str:
    """The feeds as an OPML 2.0 document. Local file feeds are left out: no other reader can use them."""
    opml = Element("opml", version="2.0")
    head = SubElement(opml, "head")
    SubElement(head, "title").text = "situation-room feeds"
    SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC), usegmt=True)
    body = SubElement(opml, "body")
    for feed in settings.feeds:
        if feed.is_file:
            continue
        # names and tags may carry escapes or control characters (not even valid XML 1.0)
        name = sanitize(feed.name)
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": sanitize(feed.url)}
        site = _site_of(feed.url)
        if site:
            attrs["htmlUrl"] = site
        attrs["language"] = feed.language
        categories = [f"{OUR_CATEGORY}tier/{feed.tier}", f"{OUR_CATEGORY}interval/{feed.interval}"]
        if feed.party:
            categories.append(f"{OUR_CATEGORY}party/{feed.party}")
        if not feed.enabled:
            categories.append(f"{OUR_CATEGORY}enabled/false")
        categories += [sanitize(tag) for tag in feed.tags if "/" not in tag and "," not in tag]
        attrs["category"] = ",".join(categories)
        SubElement(body, "outline", attrs)
    indent(opml, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(opml, encoding="unicode") + "\n"


def _site_of(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.netloc else None


# --- import ---------------------------------------------------------------------------------


def read_opml(data: bytes, name: str = "<opml>") -> list[OutlineFeed]:
    """Every feed outline in an OPML document, in order; nested outline titles become tags.

    Raises ConfigError when the file is not well-formed XML, declares entities, or is not OPML.
    """
    try:
        root = fromstring(data)
    except DefusedXmlException as exc:
        raise ConfigError([ConfigProblem(name, None, "", f"refused: {exc}")]) from None
    except XMLParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ConfigError([ConfigProblem(name, line, "", f"not well-formed XML: {exc}")]) from None
    if root.tag != "opml":
        raise ConfigError([ConfigProblem(name, None, "", f"not an OPML file (root element <{root.tag}>)")])
    body = root.find("body")
    if body is None:
        raise ConfigError([ConfigProblem(name, None, "", "OPML file has no <body>")])
    return list(_walk(body, name))


def _walk(body: Element, name: str) -> Iterator[OutlineFeed]:
    """Feed outlines in document order, walked with a stack (a file may nest outlines thousands deep)."""
    stack: list[tuple[Iterator[Element], list[str]]] = [(iter(body.findall("outline")), [])]
    while stack:
        outline = next(stack[-1][0], None)
        if outline is None:
            stack.pop()
            continue
        folders = stack[-1][1]
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        title = sanitize(outline.get("title") or outline.get("text") or "")
        if url:
            yield _feed_from(outline, url, title, folders)
        children = outline.findall("outline")
        if not children:
            continue
        if len(stack) >= MAX_DEPTH:
            raise ConfigError(
                [
                    ConfigProblem(
                        name,
                        None,
                        "",
                        f"outlines nested more than {MAX_DEPTH} deep; not an OPML reader's file",
                    )
                ]
            )
        # Readers nest feeds in folders (outlines without xmlUrl); the folder names become tags.
        stack.append((iter(children), [*folders, title] if title and not url else folders))


def _feed_from(outline: Element, url: str, title: str, folders: list[str]) -> OutlineFeed:
    feed = OutlineFeed(name=title or _name_from_url(url), url=sanitize(url), tags=[f for f in folders if f])
    language = sanitize(outline.get("language") or "")
    if 2 <= len(language) <= 8:
        feed.language = language.split("-")[0].lower()
    for raw in (outline.get("category") or "").split(","):
        category = sanitize(raw)
        if category.startswith(OUR_CATEGORY):
            key, _, value = category.removeprefix(OUR_CATEGORY).partition("/")
            _apply_ours(feed, key, value)
        elif category and "/" not in category and category not in feed.tags:
            feed.tags.append(category)
    return feed


def _apply_ours(feed: OutlineFeed, key: str, value: str) -> None:
    if key == "tier" and value in TIERS:
        feed.tier = value
    elif key == "party" and value:
        feed.party = value
    elif key == "interval" and value.isdigit() and int(value) >= MIN_INTERVAL_S:
        feed.interval = int(value)
    elif key == "enabled":
        feed.enabled = value != "false"


def _name_from_url(url: str) -> str:
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else url


def _norm_url(url: str) -> str:
    return url.strip().rstrip("/")


def _local_path(url: str) -> str | None:
    """The path of a ``file://`` URL (feeds.yaml takes local files as plain paths), else None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or not parts.path:
        return None
    return unquote(parts.path)


def _usable(url: str) -> str | None:
    """The URL as feeds.yaml takes it (a file:// URL becomes its path), or None when it cannot be polled."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname:
        return url
    return _local_path(url)


class ImportCounts(NamedTuple):
    """What ``import_opml`` did with the file's feed outlines."""

    added: int
    present: int
    """Skipped: the URL is already in feeds.yaml (or earlier in the same file)."""
    rejected: int
    """Skipped: a URL that cannot be polled (a scheme other than http, https or file)."""


def import_opml(
    opml_path: Path | str,
    config_path: Path | str,
    *,
    tier: str | None = None,
    warn: Warn = print_to_stderr,
) -> ImportCounts:
    """Append the OPML file's feeds to feeds.yaml; return how many were added, present and rejected.

    Feeds whose URL is already present are skipped (and counted); so are URLs that cannot be polled
    (each named in a warning). ``file://`` URLs become local file paths, as feeds.yaml writes them.
    Names are made unique with a numeric suffix. ``tier`` overrides any tier carried in the file;
    without it, feeds get the file's own tier or "outlet". The file is written atomically and only
    when the result validates.
    """
    opml_path, config_path = Path(opml_path), Path(config_path)
    try:
        data = opml_path.read_bytes()
    except OSError as exc:
        raise ConfigError([ConfigProblem(str(opml_path), None, "", f"cannot read: {exc.strerror}")]) from None
    outlines = read_opml(data, str(opml_path))

    # feeds.yaml is parsed once (libyaml where PyYAML has it), with the checks every load makes (keys
    # given twice, alias bombs, duplicate feeds); the text is kept to append to, comments and all.
    text = _read_config(config_path) if config_path.exists() else ""
    doc = parse_document(text, str(config_path))
    settings = settings_from_document(doc, str(config_path))
    urls = {_norm_url(f.url) for f in settings.feeds}
    names = _Names(f.name for f in settings.feeds)

    entries: list[OutlineFeed] = []
    present = rejected = 0
    for outline in outlines:
        url = _usable(outline.url)
        if url is None:
            warn(
                f"{sanitize(str(opml_path))}: rejected {outline.url!r}: "
                "only http, https and file URLs can be polled"
            )
            rejected += 1
            continue
        if _norm_url(url) in urls:
            present += 1
            continue
        if url != outline.url:  # a file:// URL, now a path
            if outline.name == outline.url:  # no title: named after the URL, so after the file
                outline.name = Path(url).stem or url
            outline.url = url
        urls.add(_norm_url(url))
        outline.name = names.unique(outline.name)
        if tier is not None:
            outline.tier = tier
        entries.append(outline)
    if not entries:
        return ImportCounts(0, present, rejected)

    note = f"imported from {sanitize(opml_path.name)} on {datetime.now(UTC):%Y-%m-%d}"
    new_text = append_feeds(text, entries, note=note, name=str(config_path), root=doc.root)
    _check_appended(doc, entries, note, str(config_path))  # never write a file that would not load
    try:
        config_path.parent.mkdir(parents=True, exist_ok=True)  # the user config dir may not exist yet
    except OSError as exc:
        raise MonitorError(f"cannot write {config_path}: {exc.strerror}") from None
    write_atomically(config_path, new_text)
    return ImportCounts(len(entries), present, rejected)


def _read_config(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigProblem(str(path), None, "", f"cannot read: {exc}")]) from None


def _check_appended(doc: Document, feeds: list[OutlineFeed], note: str, name: str) -> None:
    """Validate feeds.yaml as it will be, without parsing it again: its data as parsed, with the
    appended lines (parsed on their own, so what they say is what gets checked) at the end of its feeds."""
    added = parse_document(_render(feeds, "", note), name).data
    data = dict(doc.data) if isinstance(doc.data, dict) else {}
    data["feeds"] = [*(data.get("feeds") or []), *added]
    settings_from_document(Document(data, None, ()), name)


class _Names:
    """Feed names taken so far (case-insensitively), handing out unique ones in constant time each."""

    def __init__(self, names: Iterable[str]) -> None:
        self._taken = {n.casefold() for n in names}
        self._next: dict[str, int] = {}
        """Per base name: the first numeric suffix not yet tried (so 10,000 equal titles stay linear)."""

    def unique(self, name: str) -> str:
        base = name[:MAX_NAME]
        candidate, folded = base, base.casefold()
        n = self._next.get(folded, 2)
        while candidate.casefold() in self._taken:
            suffix = f" ({n})"
            candidate = base[: MAX_NAME - len(suffix)] + suffix
            n += 1
        self._next[folded] = n
        self._taken.add(candidate.casefold())
        return candidate


# --- appending YAML text --------------------------------------------------------------------


_UNPARSED = yaml.Node("", "", None, None)


def append_feeds(
    text: str,
    feeds: list[OutlineFeed],
    *,
    note: str,
    name: str = "feeds.yaml",
    root: yaml.Node | None = _UNPARSED,
) -> str:
    """``text`` with ``feeds`` added at the end of its ``feeds:`` list, leaving every other line as is.

    ``root`` is the node tree of ``text`` when the caller has parsed it already (``parse_document``).
    """
    if root is _UNPARSED:
        root = parse_document(text, name).root
    if root is None:
        return _ensure_newline(text) + "feeds:\n" + _render(feeds, "  ", note)
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError([ConfigProblem(name, 1, "", "the top level must be a mapping (feeds: ...)")])
    # The result is validated from its data, not parsed again: append only where lines can go.
    if root.flow_style:
        line = root.start_mark.line + 1
        raise ConfigError([ConfigProblem(name, line, "", "cannot append to a {flow-style} mapping")])
    for key_node, value_node in root.value:
        if key_node.value != "feeds":
            continue
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag == "tag:yaml.org,2002:null":
            # "feeds:" with nothing after it: the items go on the lines that follow.
            at = _line_start_after(text, key_node.end_mark.index)
            return text[:at] + _render(feeds, "  ", note) + text[at:]
        if isinstance(value_node, yaml.SequenceNode) and value_node.flow_style:
            if value_node.value:
                line = value_node.start_mark.line + 1
                raise ConfigError(
                    [
                        ConfigProblem(
                            name, line, "feeds", "cannot append to a [flow-style] list; use one '- ' per feed"
                        )
                    ]
                )
            # "feeds: []": swap the empty brackets for a block list.
            start, end = value_node.start_mark.index, value_node.end_mark.index
            rest = text[end:]
            return (
                text[:start].rstrip(" ")
                + "\n"
                + _render(feeds, "  ", note)
                + rest.lstrip(" ").removeprefix("\n")
            )
        if isinstance(value_node, yaml.SequenceNode) and value_node.value:
            dash = " " * _dash_column(text, value_node.value[0])
            at = _line_start_after(text, _last_index(value_node.value[-1]))
            mark = value_node.end_mark  # the list ends before this line (or at the end of the text)
            end = len(text) if mark.index >= len(text) else mark.index - mark.column
            if at > end or not _only_comments(text[at:end]):
                at = end  # an alias or another odd last value: after everything the list holds
            head = text[:at] if not at or text[at - 1] == "\n" else text[:at] + "\n"
            return head + _render(feeds, dash, note) + text[at:]
        line = key_node.start_mark.line + 1
        raise ConfigError([ConfigProblem(name, line, "feeds", "must be a list of feeds")])
    if not _only_comments(text[root.end_mark.index :]):
        line = root.end_mark.line + 1
        raise ConfigError(
            [ConfigProblem(name, line, "", "cannot append past the end of the YAML document ('...')")]
        )
    return _ensure_newline(text) + "\nfeeds:\n" + _render(feeds, "  ", note)


def _dash_column(text: str, item: yaml.Node) -> int:
    """Column of the "- " that introduces ``item``, so appended items line up with the user's."""
    index = item.start_mark.index
    line_start = text.rfind("\n", 0, index) + 1
    dash = text.rfind("-", line_start, index)
    return dash - line_start if dash >= 0 else max(0, item.start_mark.column - 2)


def _last_index(node: yaml.Node) -> int:
    """End offset of the last scalar inside ``node``: block collections end only at the next token,
    which may lie past trailing comments that belong to whatever follows."""
    if isinstance(node, yaml.MappingNode) and node.value:
        return max(max(_last_index(k), _last_index(v)) for k, v in node.value)
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return max(_last_index(v) for v in node.value)
    end = int(node.end_mark.index)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">") and node.end_mark.column == 0:
        return end - 1  # a block scalar ends at the start of the line after it: stay on its last line
    return end


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _line_start_after(text: str, index: int) -> int:
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _ensure_newline(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def _render(feeds: list[OutlineFeed], dash: str, note: str) -> str:
    body = dash + "  "
    out = [f"{dash}# {sanitize(note)}"]  # one line whatever the note holds (a file name can hold a newline)
    for feed in feeds:
        out.append(f"{dash}- name: {_q(feed.name)}")
        out.append(f"{body}url: {_q(feed.url)}")
        out.append(f"{body}tier: {_q(feed.tier or 'outlet')}")
        if feed.party:
            out.append(f"{body}party: {_q(feed.party)}")
        if feed.interval is not None:
            out.append(f"{body}interval: {feed.interval}")
        if feed.language and feed.language != "en":
            out.append(f"{body}language: {_q(feed.language)}")
        if not feed.enabled:
            out.append(f"{body}enabled: false")
        if feed.tags:
            out.append(f"{body}tags: [{', '.join(_q(t) for t in feed.tags)}]")
    return "\n".join(out) + "\n"


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is a subset of it), on one line.

    JSON leaves U+0085, U+2028 and U+2029 as they are, but YAML reads them as line breaks."""
    quoted = json.dumps(value, ensure_ascii=False)
    return quoted.replace("\x85", "\\x85").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


__all__ = ["ImportCounts", "OutlineFeed", "append_feeds", "export_opml", "import_opml", "read_opml"]
