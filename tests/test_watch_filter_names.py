"""``watch --zone/--country``: names checked against the gazetteer, so a typo cannot eat alerts."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.models import Alert
from monitor.sinks.alert_filter import AlertFilter
from monitor.sinks.filter_names import UnknownName, resolve_countries, resolve_zones
from tests.watch_support import FeedServer, plain_item, run_once, write_config

NOW = "2026-11-24T04:00:00Z"


@pytest.mark.parametrize(
    ("name", "zone"),
    [
        ("rafah", "Rafah"),
        ("khan yunis", "Khan Younis"),
        ("Khan-Younis", "Khan Younis"),
        ("KHAN_YOUNIS", "Khan Younis"),
        ("mawasi", "al-Mawasi"),
        ("jabaliya", "North Gaza"),
    ],
)
def test_gazetteer_spellings_resolve_to_the_zone(name: str, zone: str) -> None:
    assert resolve_zones([name])[0] == zone


def test_a_zone_holds_the_zones_inside_it() -> None:
    assert set(resolve_zones(["khan yunis"])) == {"Khan Younis", "al-Mawasi"}
    assert {"Rafah crossing", "Kerem Shalom crossing", "al-Mawasi"} <= set(resolve_zones(["Gaza Strip"]))


@pytest.mark.parametrize(
    ("names", "resolve", "nearest"),
    [
        (["rafa"], resolve_zones, "Rafah"),
        (["kahn younis"], resolve_zones, "Khan Younis"),
        (["Isreal"], resolve_countries, "Israel"),
        (["Egpyt"], resolve_countries, "Egypt"),
    ],
)
def test_unknown_names_offer_the_nearest_first(names: list[str], resolve: object, nearest: str) -> None:
    with pytest.raises(UnknownName) as caught:
        resolve(names)  # type: ignore[operator]
    assert caught.value.nearest[0] == nearest
    assert f"did you mean {nearest}" in str(caught.value)


def test_a_name_like_nothing_lists_the_known_ones() -> None:
    with pytest.raises(UnknownName) as caught:
        resolve_zones(["qqqqq"])
    assert caught.value.nearest == () and "Khan Younis" in str(caught.value)


def test_countries_accept_aliases_and_abbreviations() -> None:
    assert resolve_countries(["israeli", "UAE", "us"]) == ("Israel", "United Arab Emirates", "United States")


def test_the_resolved_filter_passes_an_alert_in_a_zone_inside() -> None:
    alert = Alert.model_validate(
        {
            "id": "a",
            "ts": NOW,
            "kind": "new",
            "severity": "high",
            "title": "t",
            "entities": {"zones": ["al-Mawasi"]},
        }
    )
    assert AlertFilter.build(zones=resolve_zones(["khan yunis"])).rejects(alert) is None
    assert AlertFilter.build(zones=resolve_zones(["rafah"])).rejects(alert) == "zone"


@pytest.mark.parametrize(
    ("option", "value", "hint"),
    [("--zone", "rafa", "did you mean Rafah"), ("--country", "Isreal", "did you mean Israel")],
)
def test_unknown_zone_or_country_is_a_usage_error_and_marks_nothing(
    tmp_path: Path, option: str, value: str, hint: str
) -> None:
    with FeedServer() as server:
        server.add(plain_item("g0", "Israeli drone strike kills 2 in Rafah despite the ceasefire"))
        config = write_config(tmp_path / "feeds.yaml", server.url())
        data = tmp_path / "data"
        wrong = run_once(config, data, option, value)
        assert wrong.returncode == 2
        assert hint in wrong.stderr and wrong.stdout == ""
        assert not data.exists()  # refused before the store was touched: nothing marked handled
        right = run_once(config, data, "--interval", "1", "--zone", "rafah")
        assert right.returncode == 0 and "Rafah" in right.stdout


def test_khan_yunis_filter_matches_the_khan_younis_alert(tmp_path: Path) -> None:
    with FeedServer() as server:
        server.add(plain_item("g0", "Israeli airstrike kills 5 in Khan Younis despite ceasefire"))
        config = write_config(tmp_path / "feeds.yaml", server.url())
        proc = run_once(config, tmp_path / "data", "--interval", "1", "--zone", "khan yunis")
    assert proc.returncode == 0, proc.stderr
    assert "Khan Younis" in proc.stdout
