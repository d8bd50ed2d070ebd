"""``--exec`` argument templates: fields of the alert, one argument each, sanitised, never options."""

from __future__ import annotations

import pytest

from monitor.models import Alert
from monitor.sinks.templates import TemplateError, check_templates, fill

ALERT = Alert.model_validate(
    {
        "id": "new-inc-1",
        "ts": "2026-11-24T04:00:00Z",
        "kind": "new",
        "category": "ceasefire_violation",
        "severity": "critical",
        "title": "--rm -rf \x1b[2J strike\nin Rafah \u202e",
        "link": "https://news.example/a b",
        "entities": {"zones": ["Rafah"], "countries": ["Israel", "Egypt"]},
        "sources": 2,
    }
)


def test_each_argument_is_filled_on_its_own_and_stays_one() -> None:
    argv = [
        "notify-send",
        "-u",
        "critical",
        "{severity}: {zone}",
        "{title}",
        "{countries}",
        "{link}",
        "{sources}",
    ]
    out = fill(argv, ALERT)
    assert out[:4] == ["notify-send", "-u", "critical", "critical: Rafah"]
    assert out[4] == " --rm -rf strike in Rafah"  # cleaned, one line, and no longer an option
    assert out[5] == "Israel, Egypt"
    assert out[6] == ""  # not an http(s) link without spaces: left out, as in the JSON line
    assert out[7] == "2"
    assert len(out) == len(argv)


def test_braces_doubled_are_literal_even_without_placeholders() -> None:
    assert fill(["jq", "-c", "{{t: .title}}"], ALERT) == ["jq", "-c", "{t: .title}"]


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("{headline}", "unknown placeholder {headline}"),
        ("{title!r}", "takes no format spec"),
        ("{title:>9}", "takes no format spec"),
        ("{title", "literal braces"),
        ("{t: .title}", "unknown placeholder {t}"),
    ],
)
def test_bad_templates_are_refused(arg: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        check_templates(["cmd", arg])
    assert message in str(caught.value)
