"""Alert → versioned JSON record (schema v1, ``alert.schema.json``) and → one line of text.

Both renderings are safe to write to a terminal: every string is sanitised again here (feed text is
hostile even after ingest), JSON is ASCII-only, and neither can contain a line break, so one alert is
always exactly one line.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from monitor.models import UNLOCATED, Alert
from monitor.text import sanitize

SCHEMA_VERSION = 1
"""Version of the alert record; raised on any change to its fields or their meaning."""

SCHEMA_FILE = "alert.schema.json"

TITLE_MAX = 500
"""Longest title written, in characters (the same cap as ingest)."""

_FIELD_MAX = 200
"""Longest name, id or link written, in characters."""


@cache
def alert_schema() -> dict[str, Any]:
    """The JSON Schema every alert record conforms to (shipped in the package)."""
    text = resources.files("monitor.sinks").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def iso_utc(value: datetime) -> str:
    """``value`` as ISO 8601 in UTC with a ``Z`` suffix."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _line(value: str | None, max_len: int = _FIELD_MAX) -> str | None:
    return None if value is None else sanitize(value, max_len)


def _names(values: tuple[str, ...]) -> list[str]:
    return [name for name in (sanitize(v, _FIELD_MAX) for v in values) if name]


def safe_link(link: str | None) -> str | None:
    """An http(s) link with nothing in it a terminal could act on, else None."""
    if not link:
        return None
    clean = sanitize(link, 2000)
    if " " in clean or not clean.lower().startswith(("http://", "https://")):
        return None
    return clean


def alert_record(alert: Alert) -> dict[str, Any]:
    """The schema-v1 record of ``alert`` (what ``--format jsonl`` writes and ``--exec`` reads)."""
    ent = alert.entities
    return {
        "v": SCHEMA_VERSION,
        "id": alert.id,
        "ts": iso_utc(alert.ts),
        "kind": alert.kind,
        "category": alert.category.value if alert.category is not None else None,
        "severity": alert.severity.value,
        "title": sanitize(alert.title, TITLE_MAX),
        "link": safe_link(alert.link),
        "feed": _line(alert.feed),
        "published": iso_utc(alert.published) if alert.published is not None else None,
        "rule": _line(alert.rule),
        "incident": _line(alert.incident),
        "sources": max(0, alert.sources),
        "status": _line(alert.status),
        "entities": {
            "countries": _names(ent.countries),
            "actors": _names(ent.actors),
            "places": _names(ent.places),
            "zones": _names(ent.zones),
            "troops": ent.troops if ent.troops is None or ent.troops >= 0 else None,
            "casualties": ent.casualties if ent.casualties is None or ent.casualties >= 0 else None,
        },
    }


def json_line(alert: Alert) -> str:
    """One JSON line (with its newline). ASCII-only: no raw control or bidi character can get out."""
    text = json.dumps(alert_record(alert), ensure_ascii=True, separators=(",", ":"))
    # json escapes C0 and non-ASCII but leaves DEL (0x7f) raw; escape it too.
    return text.replace("\x7f", "\\u007f") + "\n"


NO_ZONE = "-"
"""Zone column of an alert that is about no place (a contributor's force status)."""


def zone_label(alert: Alert) -> str:
    """The zone shown for an alert: its first gazetteer zone, else ``unlocated`` for a happening, or
    ``-`` for a force change, which is about a contributor and not a place that could not be found."""
    zones = _names(alert.entities.zones)
    if zones:
        return zones[0]
    return NO_ZONE if alert.kind == "force_change" else UNLOCATED


def text_line(alert: Alert) -> str:
    """One human line (with its newline): time, severity, category, zone, title, sources, link."""
    when = alert.ts.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ")
    category = alert.category.value if alert.category is not None else alert.kind
    title = sanitize(alert.title, TITLE_MAX) or "(no title)"
    sources = f"{alert.sources} source" + ("" if alert.sources == 1 else "s")
    parts = [
        when,
        f"{alert.severity.value.upper():<8}",
        f"{category:<19}",
        f"{sanitize(zone_label(alert), 40):<14}",
        title,
        f"[{sources}]",
    ]
    link = safe_link(alert.link)
    if link:
        parts.append(link)
    return " ".join(parts) + "\n"
