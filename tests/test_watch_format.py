"""Alert records and lines: schema v1 conformance, one line each, nothing a terminal would obey."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import jsonschema
import pytest

from monitor.models import Alert, Category, Entities, Severity
from monitor.sinks.alert_filter import AlertFilter
from monitor.sinks.alert_format import alert_record, alert_schema, json_line, safe_link, text_line

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

HOSTILE_TITLES = {
    "osc52": "Strike reported\x1b]52;c;ZWNobyBwd25lZA==\x07 in Rafah",
    "osc8": "\x1b]8;;https://evil.example/\x1b\\Click here\x1b]8;;\x1b\\ for ceasefire news",
    "clear": "\x1b[2JScreen cleared by headline",
    "dsr": "Device status \x1b[6n query in title",
    "csi8": "Eight-bit \x9b31m CSI red text",
    "rlo": "Bidi \u202etxet desrever\u202c override",
    "newlines": 'First line\nsecond: forged\r\n{"v":1,"id":"fake"}',
    "markup": "[bold]Rich markup[/bold] and [link=https://x.example]link[/link]",
    "del_nul": "Null\x00 and DEL\x7f inside",
}

# Anything a terminal interprets: C0 (tab included), DEL, C1, bidi embeddings/overrides/isolates.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def make_alert(**overrides: object) -> Alert:
    fields: dict[str, object] = {
        "id": "a-1",
        "ts": T0,
        "kind": "new",
        "category": Category.CEASEFIRE_VIOLATION,
        "severity": Severity.HIGH,
        "title": "Israeli airstrike kills 5 in Khan Younis despite ceasefire",
        "link": "https://news.example/a/1",
        "feed": "wire-one",
        "published": T0,
        "rule": "cv.airstrike",
        "incident": "inc-1",
        "sources": 2,
        "status": "corroborated",
        "entities": Entities(
            countries=("Israel",),
            actors=("IDF",),
            places=("Khan Younis",),
            zones=("Khan Younis",),
            casualties=5,
        ),
    }
    fields.update(overrides)
    return Alert.model_validate(fields)


def validate(line: str) -> dict[str, object]:
    record: dict[str, object] = json.loads(line)
    jsonschema.validate(record, alert_schema(), format_checker=jsonschema.FormatChecker())
    return record


def test_the_schema_is_itself_valid_and_versioned() -> None:
    schema = alert_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["v"] == {"const": 1, "description": "Schema version."}
    assert set(schema["required"]) == set(schema["properties"])


@pytest.mark.parametrize(
    "alert",
    [
        make_alert(),
        make_alert(
            kind="force_change",
            category=None,
            link=None,
            feed=None,
            published=None,
            rule=None,
            incident=None,
            sources=0,
            status=None,
            entities=Entities(countries=("Indonesia",), troops=20000, troops_qualifier="up to"),
        ),
        make_alert(kind="zone_change", category=Category.SAFE_ZONE, status="evacuation_ordered"),
        make_alert(kind="update", severity=Severity.CRITICAL, sources=5),
        make_alert(link="javascript:alert(1)"),
    ],
    ids=["new", "force_change-minimal", "zone_change", "update", "bad-link"],
)
def test_every_record_validates_against_the_documented_schema(alert: Alert) -> None:
    line = json_line(alert)
    assert line.endswith("\n") and line.count("\n") == 1
    record = validate(line)
    assert record["v"] == 1
    assert record["id"] == alert.id
    assert record["kind"] == alert.kind


def test_record_fields_and_utc_times() -> None:
    alert = make_alert(ts=datetime(2026, 11, 20, 11, 30, tzinfo=UTC).astimezone())
    record = alert_record(alert)
    assert record["ts"] == "2026-11-20T11:30:00Z"
    assert record["published"] == "2026-11-20T09:30:00Z"
    assert record["category"] == "ceasefire_violation"
    assert record["severity"] == "high"
    assert record["sources"] == 2
    assert record["entities"] == {
        "countries": ["Israel"],
        "actors": ["IDF"],
        "places": ["Khan Younis"],
        "zones": ["Khan Younis"],
        "troops": None,
        "casualties": 5,
    }


@pytest.mark.parametrize("title", HOSTILE_TITLES.values(), ids=HOSTILE_TITLES.keys())
def test_hostile_titles_give_one_valid_escape_free_json_line(title: str) -> None:
    alert = make_alert(title=title, feed="feed\x1b[31m", entities=Entities(places=("Rafah\u202e",)))
    line = json_line(alert)
    assert line.count("\n") == 1 and line.endswith("\n")
    assert line.isascii()
    assert not UNSAFE.search(line[:-1])
    record = validate(line)
    # Even a consumer that prints the decoded title raw (jq -r .title) gets nothing harmful.
    for text in (record["title"], record["feed"], *record["entities"]["places"]):  # type: ignore[index]
        assert isinstance(text, str) and not UNSAFE.search(text)
    assert "\x1b" not in json.dumps(record, ensure_ascii=False)


@pytest.mark.parametrize("title", HOSTILE_TITLES.values(), ids=HOSTILE_TITLES.keys())
def test_hostile_titles_give_one_escape_free_text_line(title: str) -> None:
    line = text_line(make_alert(title=title))
    assert line.endswith("\n") and line.count("\n") == 1
    assert not UNSAFE.search(line[:-1])


def test_markup_is_shown_literally() -> None:
    line = text_line(make_alert(title=HOSTILE_TITLES["markup"]))
    assert "[bold]Rich markup[/bold]" in line
    assert json.loads(json_line(make_alert(title=HOSTILE_TITLES["markup"])))["title"].startswith("[bold]")


def test_hostile_words_survive_without_their_escapes() -> None:
    line = text_line(make_alert(title=HOSTILE_TITLES["osc52"]))
    assert "Strike reported in Rafah" in line
    assert "ZWNobyBwd25lZA" not in line


def test_text_line_has_time_severity_category_zone_title_sources_link() -> None:
    line = text_line(make_alert())
    assert line.startswith("2026-11-20 09:30Z HIGH ")
    for part in (
        "ceasefire_violation",
        "Khan Younis",
        "Israeli airstrike kills 5 in Khan Younis despite ceasefire",
        "[2 sources]",
        "https://news.example/a/1",
    ):
        assert part in line
    assert line.index("HIGH") < line.index("ceasefire_violation") < line.index("Israeli airstrike")


def test_text_line_without_category_zone_or_link() -> None:
    alert = make_alert(
        kind="force_change", category=None, link=None, sources=1, entities=Entities(countries=("Egypt",))
    )
    line = text_line(alert)
    assert "force_change" in line and "[1 source]" in line
    assert "unlocated" not in line and " - " in line  # a contributor is not a place that went unfound
    assert "http" not in line


def test_text_line_of_an_unlocated_happening_says_unlocated() -> None:
    line = text_line(make_alert(entities=Entities(countries=("Israel",))))
    assert "unlocated" in line


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://news.example/a?b=1", "https://news.example/a?b=1"),
        ("HTTP://NEWS.EXAMPLE/", "HTTP://NEWS.EXAMPLE/"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("https://x.example/\x1b]8;;https://evil\x07a", "https://x.example/a"),
        ("https://x.example/a b", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_link(link: str | None, expected: str | None) -> None:
    assert safe_link(link) == expected


@pytest.mark.parametrize(
    ("flt", "alert", "reason"),
    [
        (AlertFilter.build(), make_alert(), None),
        (AlertFilter.build(categories=[Category.UXO]), make_alert(), "category"),
        (AlertFilter.build(categories=[Category.CEASEFIRE_VIOLATION]), make_alert(), None),
        (
            AlertFilter.build(categories=[Category.FORCE_DEPLOYMENT]),
            make_alert(kind="force_change", category=None),
            None,
        ),
        (AlertFilter.build(min_severity=Severity.CRITICAL), make_alert(), "severity"),
        (AlertFilter.build(min_severity=Severity.HIGH), make_alert(), None),
        (AlertFilter.build(min_severity=Severity.LOW), make_alert(severity=Severity.LOW), None),
        (AlertFilter.build(zones=["khan-younis"]), make_alert(), None),
        (AlertFilter.build(zones=["KHAN_YOUNIS", "rafah"]), make_alert(), None),
        (AlertFilter.build(zones=["rafah"]), make_alert(), "zone"),
        (AlertFilter.build(zones=["unlocated"]), make_alert(entities=Entities()), None),
        (AlertFilter.build(countries=["israel"]), make_alert(), None),
        (AlertFilter.build(countries=["Egypt"]), make_alert(), "country"),
        (AlertFilter.build(not_before=T0), make_alert(), None),
        (AlertFilter.build(not_before=T0.replace(hour=10)), make_alert(), "older than --since"),
        (
            AlertFilter.build(not_before=T0),
            make_alert(published=None, ts=T0.replace(hour=8)),
            "older than --since",
        ),
    ],
)
def test_filter(flt: AlertFilter, alert: Alert, reason: str | None) -> None:
    assert flt.rejects(alert) == reason
