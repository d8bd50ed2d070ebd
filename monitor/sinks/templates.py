"""Alert fields for ``--exec`` arguments: ``{title}``, ``{severity}``, ``{zone}``, ``{link}``, ...

Each argument is filled on its own and stays one argument (never joined, never given to a shell).
Values come from the alert's schema-v1 record, so they are sanitised as its JSON line is: one line,
no control character, escape sequence or bidi override. ``{{`` and ``}}`` stand for braces.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence

from monitor.models import Alert
from monitor.sinks.alert_format import alert_record, zone_label
from monitor.text import sanitize

ARG_MAX = 1000
"""Longest value put into one argument, in characters."""


def _list(values: object) -> str:
    return ", ".join(str(v) for v in values) if isinstance(values, list) else ""


FIELDS: dict[str, Callable[[dict[str, object], Alert], object]] = {
    "id": lambda r, a: r["id"],
    "ts": lambda r, a: r["ts"],
    "kind": lambda r, a: r["kind"],
    "category": lambda r, a: r["category"] or a.kind,
    "severity": lambda r, a: r["severity"],
    "title": lambda r, a: r["title"],
    "link": lambda r, a: r["link"] or "",
    "feed": lambda r, a: r["feed"] or "",
    "published": lambda r, a: r["published"] or "",
    "rule": lambda r, a: r["rule"] or "",
    "incident": lambda r, a: r["incident"] or "",
    "sources": lambda r, a: r["sources"],
    "status": lambda r, a: r["status"] or "",
    "zone": lambda r, a: zone_label(a),
    "zones": lambda r, a: _list(_entities(r)["zones"]),
    "countries": lambda r, a: _list(_entities(r)["countries"]),
    "places": lambda r, a: _list(_entities(r)["places"]),
    "actors": lambda r, a: _list(_entities(r)["actors"]),
}
"""Placeholder → how to read it from (the alert's schema-v1 record, the alert)."""


def _entities(record: dict[str, object]) -> dict[str, object]:
    entities = record["entities"]
    assert isinstance(entities, dict)
    return entities


class TemplateError(ValueError):
    """An argument that names an unknown placeholder or is not a valid template."""


def check_templates(argv: Sequence[str]) -> None:
    """Raise TemplateError naming the first bad placeholder (unknown, or with a format spec)."""
    for arg in argv:
        try:
            parsed = list(string.Formatter().parse(arg))
        except ValueError as exc:
            raise TemplateError(f"{arg!r}: {exc} (write {{{{ and }}}} for literal braces)") from None
        for _text, name, spec, conversion in parsed:
            if name is None:
                continue
            if name not in FIELDS:
                known = ", ".join(f"{{{n}}}" for n in FIELDS)
                raise TemplateError(f"{arg!r}: unknown placeholder {{{name}}} (known: {known})")
            if spec or conversion:
                raise TemplateError(f"{arg!r}: {{{name}}} takes no format spec or conversion")


def fill(argv: Sequence[str], alert: Alert) -> list[str]:
    """``argv`` with each placeholder replaced by the alert's value; one argument stays one argument.

    A value that would make an argument start with ``-`` (a title such as "--help") is prefixed with
    a space, so feed text can never pass for an option of the hook.
    """
    record = alert_record(alert)
    values = {name: sanitize(str(read(record, alert)), ARG_MAX) for name, read in FIELDS.items()}
    out = []
    for arg in argv:
        parsed = list(string.Formatter().parse(arg))
        if all(name is None for _t, name, _s, _c in parsed):
            out.append(arg.replace("{{", "{").replace("}}", "}") if "{" in arg or "}" in arg else arg)
            continue
        filled = "".join(text + (values[name] if name is not None else "") for text, name, _s, _c in parsed)
        if filled.startswith("-") and not arg.startswith("-"):
            filled = " " + filled
        out.append(filled)
    return out
