"""JSON Lines in, JSON Lines out: the ``classify`` command's loop, one output line per input line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, Any

from monitor.models import Event
from monitor.rules.engine import RuleEngine
from monitor.text import sanitize


def event_json(event: Event) -> dict[str, Any]:
    ents = event.entities
    return {
        "category": event.category.value,
        "severity": event.severity.value,
        "rule": event.rule,
        "status": event.status,
        "matched": event.matched,
        "entities": {
            "countries": list(ents.countries),
            "actors": list(ents.actors),
            "places": list(ents.places),
            "zones": list(ents.zones),
            "troops": ents.troops,
            "troops_qualifier": ents.troops_qualifier,
            "casualties": ents.casualties,
        },
        "detail": dict(event.detail),
    }


def _published(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def classify_line(engine: RuleEngine, line: str, number: int) -> dict[str, Any]:
    """The output object for one input line (an error object for a line that cannot be used)."""
    text = line.strip()
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError:
        data = {"title": text}
    if isinstance(data, str):
        data = {"title": data}
    if not isinstance(data, dict):
        return {"id": None, "line": number, "error": "expected an object with a title, or plain text"}
    ident = data.get("id", number)
    if isinstance(ident, str):  # echoed back: as hostile as the title
        ident = sanitize(ident, 512)
    elif not isinstance(ident, int | float) or isinstance(ident, bool):
        ident = sanitize(json.dumps(ident, ensure_ascii=False), 512)
    title, summary = data.get("title"), data.get("summary", "")
    if not isinstance(title, str) or not title.strip():
        return {"id": ident, "line": number, "error": "missing or empty title"}
    if not isinstance(summary, str):
        return {"id": ident, "line": number, "error": "summary must be a string"}
    # stdin is as hostile as any feed: strip control and bidi characters before anything echoes them
    title, summary = sanitize(title, 500), sanitize(summary, 5000)
    if not title:
        return {"id": ident, "line": number, "error": "missing or empty title"}
    text = f"{title}. {summary}" if summary else title
    events = engine.classify_text(text, published=_published(data.get("published")), item_id=str(ident))
    return {"id": ident, "events": [event_json(e) for e in events]}


def classify_stream(engine: RuleEngine, lines: Iterable[str], out: IO[str]) -> int:
    """Classify every line, writing and flushing one JSON line each; returns the number of lines."""
    n = 0
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            result: dict[str, Any] = {"id": None, "line": n, "error": "empty line"}
        else:
            result = classify_line(engine, line, n)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return n
