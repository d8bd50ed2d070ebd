"""Exports of the picture: a Markdown sitrep for a brief, JSON lines, CSV and GeoJSON.

Every string that came from a feed is hostile: it is sanitised (no escapes, controls or bidi
overrides) in every format; in Markdown it is also escaped so a title cannot open a link, a table
cell or an HTML tag; in CSV a leading = + - @ is defused so a spreadsheet never runs it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol
from urllib.parse import quote, urlsplit

from monitor.config import FeedConfig, Settings
from monitor.ingest.health import feed_health
from monitor.models import UNLOCATED, FeedState, ForceEntry, Incident, ZoneEntry
from monitor.picture.geo import Geography
from monitor.picture.refs import SourceRefs
from monitor.picture.zones import WEEK, ZoneBoard
from monitor.text import sanitize

Format = Literal["md", "jsonl", "csv", "geojson"]
FORMATS: tuple[Format, ...] = ("md", "jsonl", "csv", "geojson")

PRECISION_KM: dict[str, float] = {
    "governorate": 5.0,
    "crossing": 5.0,
    "safe_zone": 5.0,
    "line": 5.0,
    "theatre": 50.0,
}
"""How far a zone centroid may be from where a thing happened (the gazetteer's own estimate)."""
_DEFAULT_PRECISION_KM = 50.0

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """'90m', '24h', '7d', '2w' → timedelta; ValueError otherwise."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 90m, 24h, 7d)")
    amount = float(match.group(1))
    if amount <= 0:
        raise ValueError(f"duration must be positive: {text!r}")
    return timedelta(**{_UNITS[match.group(2).lower()]: amount})


class ExportSource(Protocol):
    """What an export reads from the store."""

    def incidents(self, since: datetime | None = None) -> list[Incident]: ...
    def forces(self) -> list[ForceEntry]: ...
    def zones(self) -> list[ZoneEntry]: ...
    def feed_states(self) -> dict[str, FeedState]: ...


@dataclass(frozen=True)
class Snapshot:
    """Everything an export shows, read once from the store."""

    generated: datetime
    since: datetime | None
    incidents: tuple[Incident, ...]
    forces: tuple[ForceEntry, ...]
    zones: tuple[ZoneEntry, ...]
    feeds: tuple[FeedConfig, ...]
    """The configured feeds: only their tiers are shown, beside the stored states of the same name."""
    feed_states: Mapping[str, FeedState]
    """By the feed name the store holds: what the feed health table and feed records are made of."""


def take_snapshot(
    store: ExportSource, settings: Settings, *, now: datetime, since: timedelta | None = None
) -> Snapshot:
    start = now - since if since is not None else None
    incidents = sorted(store.incidents(since=start), key=lambda i: (i.last_seen, i.id), reverse=True)
    return Snapshot(
        generated=now,
        since=start,
        incidents=tuple(incidents),
        forces=tuple(store.forces()),
        zones=zones_at(store, settings, now, incidents if start is None or start <= now - WEEK else None),
        feeds=settings.feeds,
        feed_states=store.feed_states(),
    )


def zones_at(
    store: ExportSource, settings: Settings, now: datetime, read: Sequence[Incident] | None = None
) -> tuple[ZoneEntry, ...]:
    """The stored zone board with its 24 h and 7 d counts taken at ``now``, by zone name; ``read``:
    incidents already read that cover the week before ``now`` (else the week's are read).

    The store holds the counts as of the last cycle that brought news; a service with nothing new
    for days keeps them, so read as they are an export would still count last week's strikes."""
    stored = store.zones()
    board = ZoneBoard(SourceRefs(settings), ())
    board.load(stored)
    board.recount(read if read is not None else store.incidents(since=now - WEEK), now)
    known = {z.zone for z in stored}
    return tuple(sorted((z for z in board.zones() if z.zone in known or z.count_7d), key=lambda z: z.zone))


def render(snapshot: Snapshot, fmt: Format, geography: Geography) -> str:
    if fmt == "md":
        return render_markdown(snapshot)
    if fmt == "jsonl":
        return render_jsonl(snapshot)
    if fmt == "csv":
        return render_csv(snapshot, geography)
    return render_geojson(snapshot, geography)


# --- helpers --------------------------------------------------------------------------------


def clean(value: Any) -> Any:
    """``value`` with every string in it sanitised (recursively through lists and dicts)."""
    if isinstance(value, str):
        return sanitize(value)
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else "-"


def _words(value: str) -> str:
    return value.replace("_", " ")


def _troops(count: int | None, qualifier: str | None) -> str:
    if count is None:
        return ""
    return f"{qualifier} {count}" if qualifier else str(count)


# --- Markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()|~])")
"""Characters that open Markdown syntax mid-line (feed text never starts a line in the sitrep)."""


def md_text(text: str | None) -> str:
    """Feed text made inert in Markdown: sanitised, HTML characters as entities, syntax escaped."""
    value = sanitize(text or "")
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", value)


def md_link(label: str, url: str | None) -> str:
    """A Markdown link to an http(s) URL, its label escaped; the bare label for any other URL."""
    text = md_text(label)
    if not url:
        return text
    url = sanitize(url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return text
    safe = quote(url, safe=":/?#@!$&'*+,;=%~-._")
    safe = safe.replace("(", "%28").replace(")", "%29")
    return f"[{text}]({safe})"


def _cell(text: str) -> str:
    return text.replace("\n", " ") or "-"


def render_markdown(snapshot: Snapshot) -> str:
    out: list[str] = ["# Situation report: Gaza ceasefire", ""]
    window = (
        f"incidents last reported since {_when(snapshot.since)}" if snapshot.since else "all stored incidents"
    )
    out += [f"Generated {_when(snapshot.generated)}; {window}.", ""]

    out += ["## Incidents by zone", ""]
    if not snapshot.incidents:
        out += ["No incidents.", ""]
    by_zone: dict[str, list[Incident]] = {}
    for incident in snapshot.incidents:
        by_zone.setdefault(incident.zone or UNLOCATED, []).append(incident)
    order = sorted(by_zone, key=lambda z: (z == UNLOCATED, -len(by_zone[z]), z))
    for zone in order:
        incidents = by_zone[zone]
        out += [f"### {md_text(zone)} ({len(incidents)})", ""]
        for inc in incidents:
            facts = [
                _words(inc.category),
                inc.status,
                f"{inc.source_count} source{'s' if inc.source_count != 1 else ''}",
            ]
            if inc.casualties is not None:
                facts.append(f"casualties {inc.casualties} (per {md_text(inc.casualties_by)})")
            if inc.place:
                facts.append(f"at {md_text(inc.place)}")
            facts.append(f"first {_when(inc.first_seen)}, last {_when(inc.last_seen)}")
            out.append(f"- **{inc.severity.upper()}** {md_text(inc.title)}: {'; '.join(facts)}")
            links = ", ".join(md_link(s.feed, s.link) for s in inc.sources)
            out.append(f"  - Sources: {links}")
        out.append("")

    out += ["## Forces", ""]
    if snapshot.forces:
        out += [
            "| Contributor | Status | Declared | Role | Where | On the ground | Last change | Evidence |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for force in snapshot.forces:
            present = _troops(force.present, force.present_qualifier)
            if present and force.present_where:
                present = f"{present} ({force.present_where})"
            evidence = ", ".join(md_link(r.feed, r.link) for r in force.evidence[-3:])
            row: tuple[str, ...] = (
                md_text(force.contributor),
                _words(force.status),
                md_text(_troops(force.troops, force.troops_qualifier)),
                md_text(force.role),
                md_text(force.where),
                md_text(present),
                _when(force.last_change),
                evidence,
            )
            out.append("| " + " | ".join(_cell(c) for c in row) + " |")
    else:
        out.append("No contributors reported.")
    out.append("")

    out += ["## Zones", ""]
    active = [z for z in snapshot.zones if z.count_7d or z.status != "none"]
    if active:
        out += ["| Zone | Status | 24 h | 7 days | Trend | Last incident |", "|---|---|---|---|---|---|"]
    for entry in sorted(active, key=lambda z: (-z.count_24h, -z.count_7d, z.zone)):
        cells: tuple[str, ...] = (
            md_text(entry.zone),
            _words(entry.status),
            str(entry.count_24h),
            str(entry.count_7d),
            entry.trend,
            _when(entry.last_incident_at),
        )
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if active:
        out += ["", "Zones with no incident in seven days and no declared status are left out.", ""]
    else:
        out += ["No zone has had an incident in seven days or has a declared status.", ""]

    out += ["## Feed health", ""]
    if snapshot.feed_states:
        out += ["| Feed | Tier | Health | State |", "|---|---|---|---|"]
    else:
        out.append("No feed has been polled into this store.")
    tiers = {f.name: f.tier for f in snapshot.feeds}
    for name, state in sorted(snapshot.feed_states.items()):
        label, words = feed_health(state, snapshot.generated)
        cells = (md_text(name), tiers.get(name, "-"), label, md_text(words))
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    out.append("")
    return "\n".join(out)


# --- JSON lines -----------------------------------------------------------------------------


def render_jsonl(snapshot: Snapshot) -> str:
    """One JSON object a line: incidents, then forces, zones and feeds; ``record`` says which.

    A feed record is the store's state of one feed under the name it was polled as, with its
    ``health`` label (ok, failing, silent, gone, moved, new) and ``health_words``.
    """
    lines = []
    records: Iterable[tuple[str, Incident | ForceEntry | ZoneEntry]] = [
        *(("incident", i) for i in snapshot.incidents),
        *(("force", f) for f in snapshot.forces),
        *(("zone", z) for z in snapshot.zones),
    ]
    for kind, record in records:
        doc = {"record": kind, **clean(record.model_dump(mode="json"))}
        if kind == "incident":
            doc["source_count"] = record.source_count  # type: ignore[union-attr]
        lines.append(json.dumps(doc, ensure_ascii=False, sort_keys=False))
    for name, state in sorted(snapshot.feed_states.items()):
        label, words = feed_health(state, snapshot.generated)
        doc = {"record": "feed", "name": sanitize(name), **clean(state.model_dump(mode="json"))}
        doc |= {"health": label, "health_words": sanitize(words)}
        lines.append(json.dumps(doc, ensure_ascii=False, sort_keys=False))
    return "".join(f"{line}\n" for line in lines)


# --- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "category",
    "severity",
    "status",
    "title",
    "zone",
    "place",
    "lat",
    "lon",
    "precision_km",
    "first_seen",
    "last_seen",
    "source_count",
    "outlets",
    "casualties",
    "casualties_by",
    "link",
)


def _csv_safe(value: object) -> str:
    text = sanitize(str(value)) if value is not None else ""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def render_csv(snapshot: Snapshot, geography: Geography) -> str:
    """Incidents, one a row, under a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for inc in snapshot.incidents:
        lat, lon, precision = _location(inc.zone, geography)
        row: Sequence[object] = (
            inc.id,
            inc.category,
            inc.severity,
            inc.status,
            inc.title,
            inc.zone,
            inc.place or "",
            lat,
            lon,
            precision,
            inc.first_seen.isoformat(),
            inc.last_seen.isoformat(),
            inc.source_count,
            ";".join(dict.fromkeys(s.feed for s in inc.sources)),
            inc.casualties,
            inc.casualties_by,
            inc.sources[0].link if inc.sources else None,
        )
        writer.writerow([_csv_safe(v) for v in row])
    return buffer.getvalue()


# --- GeoJSON --------------------------------------------------------------------------------


def _location(zone: str, geography: Geography) -> tuple[float | None, float | None, float | None]:
    centroid = geography.centroid(zone)
    if centroid is None:
        return None, None, None
    info = geography.get(zone)
    precision = PRECISION_KM.get(info.kind if info else "", _DEFAULT_PRECISION_KM)
    return centroid[0], centroid[1], precision


def render_geojson(snapshot: Snapshot, geography: Geography) -> str:
    """A FeatureCollection: each incident and each zone at its zone's centroid (null geometry
    when unlocated), with the precision of that position in ``properties``."""
    features = []
    for inc in snapshot.incidents:
        props = clean(inc.model_dump(mode="json", exclude={"sources", "event_keys", "rules"}))
        props |= {
            "record": "incident",
            "source_count": inc.source_count,
            "links": clean([s.link for s in inc.sources if s.link]),
        }
        features.append(_feature(inc.zone, props, geography))
    for zone in snapshot.zones:
        props = clean(zone.model_dump(mode="json", exclude={"status_source"})) | {"record": "zone"}
        features.append(_feature(zone.zone, props, geography))
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"


def _feature(zone: str, props: dict[str, Any], geography: Geography) -> dict[str, Any]:
    lat, lon, precision = _location(zone, geography)
    if lat is None or lon is None:
        props |= {"precision": "unlocated", "precision_km": None}
        return {"type": "Feature", "geometry": None, "properties": props}
    props |= {"precision": "zone centroid", "precision_km": precision}
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
        "properties": props,
    }
