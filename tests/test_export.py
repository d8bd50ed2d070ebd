"""Exports: the sitrep and the machine formats, from a real store, through the real command."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from test_picture_builders import T0, event, load_bundles

from monitor.config import Settings
from monitor.models import Category, FeedState
from monitor.picture import Picture
from monitor.picture.geo import Geography, ZoneInfo
from monitor.sinks.export import (
    Snapshot,
    md_link,
    md_text,
    parse_duration,
    render_csv,
    render_geojson,
    render_jsonl,
    render_markdown,
)
from monitor.store import Batch, Store

NOW = T0 + timedelta(days=5)
HOSTILE = "=HYPERLINK(1) [click](javascript:alert(1)) <script>x</script> \x1b[31mred\x1b[0m *bold* | cell"
GEO = Geography(
    [
        ZoneInfo("Gaza Strip", "theatre", 31.42, 34.37),
        ZoneInfo("Rafah", "governorate", 31.29, 34.25, "Gaza Strip"),
        ZoneInfo("Khan Younis", "governorate", 31.34, 34.30, "Gaza Strip"),
    ]
)


def picture_snapshot() -> tuple[Settings, Snapshot]:
    feeds, pairs = load_bundles()
    picture = Picture(feeds, geography=GEO)
    events = [ev for _, ev in pairs]
    events.append(event(feed="reuters", item="hostile", hours=100, title=HOSTILE, zones=("Rafah",)))
    events.append(
        event(
            item="us",
            hours=100,
            category=Category.FORCE_DEPLOYMENT,
            countries=("United States",),
            troops=200,
            troops_qualifier="up to",
            detail={"stage": "pledged", "role": "support", "where": "outside Gaza"},
            title="US to provide up to 200 troops",
        )
    )
    picture.apply(events, now=NOW)
    states = {
        "reuters": FeedState(
            url="https://example.org/reuters.xml", last_attempt=NOW, last_success=NOW, polls=4, items_seen=12
        ),
        # Polled into this store under a name no longer in feeds.yaml: its record is still shown.
        "old <b>desk</b>": FeedState(
            url="https://old.example/rss",
            last_attempt=NOW,
            polls=2,
            consecutive_failures=2,
            last_error="HTTP 503",
        ),
    }
    snap = Snapshot(
        generated=NOW,
        since=None,
        incidents=tuple(picture.incidents()),
        forces=tuple(picture.forces()),
        zones=tuple(picture.zones()),
        feeds=feeds.feeds,
        feed_states=states,
    )
    return feeds, snap


def test_markdown_sitrep_has_every_section_and_inert_feed_text() -> None:
    _, snap = picture_snapshot()
    md = render_markdown(snap)
    assert "Generated 2025-11-08 00:00 UTC" in md
    for heading in ("## Incidents by zone", "## Forces", "## Zones", "## Feed health"):
        assert heading in md
    assert "### Khan Younis (4)" in md
    assert "4 sources" in md and "[reuters](https://example.org/reuters/0)" in md
    assert "| United States | pledged | up to 200 | support | outside Gaza |" in md
    assert "| reuters | wire | ok | 12 items seen, 0% of polls not modified, last success 0 s ago |" in md
    assert r"| old &lt;b&gt;desk&lt;/b&gt; | - | failing | HTTP 503 \(failed 2 times in a row\) |" in md
    assert md.count("| wire |") == 1  # only the stored feeds, not every configured one
    assert "<script>" not in md and "\x1b" not in md
    assert "](javascript" not in md
    assert "&lt;script&gt;" in md
    assert r"\[click\]\(javascript:alert\(1\)\)" in md
    assert r"\*bold\* \| cell" in md


@pytest.mark.parametrize(
    ("label", "url", "expected"),
    [
        ("bbc", "https://example.org/a b(c)", "[bbc](https://example.org/a%20b%28c%29)"),
        ("bbc", "javascript:alert(1)", "bbc"),
        ("b]c", None, r"b\]c"),
    ],
)
def test_markdown_links(label: str, url: str | None, expected: str) -> None:
    assert md_link(label, url) == expected


def test_md_text_escapes_html_and_markdown() -> None:
    assert md_text("<b>_x_</b> & `y`") == r"&lt;b&gt;\_x\_&lt;/b&gt; &amp; \`y\`"


def test_jsonl_one_record_a_line() -> None:
    _, snap = picture_snapshot()
    lines = render_jsonl(snap).splitlines()
    docs = [json.loads(line) for line in lines]
    assert len(docs) == len(snap.incidents) + len(snap.forces) + len(snap.zones) + len(snap.feed_states)
    kinds = [d["record"] for d in docs]
    feeds = {d["name"]: d for d in docs if d["record"] == "feed"}
    assert set(feeds) == {"reuters", "old <b>desk</b>"}
    assert feeds["reuters"]["url"] == "https://example.org/reuters.xml"
    assert (feeds["reuters"]["health"], feeds["reuters"]["items_seen"]) == ("ok", 12)
    assert feeds["old <b>desk</b>"]["health"] == "failing"
    assert kinds.count("incident") == len(snap.incidents)
    hostile = next(d for d in docs if d["record"] == "incident" and "HYPERLINK" in d["title"])
    assert "\x1b" not in hostile["title"]
    assert all("source_count" in d for d in docs if d["record"] == "incident")


def test_csv_has_a_header_and_defuses_formulas() -> None:
    _, snap = picture_snapshot()
    rows = list(csv.reader(io.StringIO(render_csv(snap, GEO))))
    assert rows[0][:5] == ["id", "category", "severity", "status", "title"]
    assert len(rows) == 1 + len(snap.incidents)
    header = rows[0]
    hostile = next(r for r in rows[1:] if "HYPERLINK" in r[header.index("title")])
    assert hostile[header.index("title")].startswith("'=")
    assert hostile[header.index("lat")] == "31.29" and hostile[header.index("precision_km")] == "5.0"


def test_geojson_uses_centroids_and_states_precision() -> None:
    _, snap = picture_snapshot()
    doc = json.loads(render_geojson(snap, GEO))
    assert doc["type"] == "FeatureCollection"
    incidents = [f for f in doc["features"] if f["properties"]["record"] == "incident"]
    rafah = next(f for f in incidents if f["properties"]["zone"] == "Rafah")
    assert rafah["geometry"] == {"type": "Point", "coordinates": [34.25, 31.29]}
    assert rafah["properties"]["precision"] == "zone centroid"
    assert rafah["properties"]["precision_km"] == 5.0
    unlocated = next(f for f in incidents if f["properties"]["zone"] == "unlocated")
    assert unlocated["geometry"] is None and unlocated["properties"]["precision"] == "unlocated"
    assert any(f["properties"]["record"] == "zone" for f in doc["features"])


@pytest.mark.parametrize(("text", "hours"), [("24h", 24), ("90m", 1.5), ("7d", 168), ("2w", 336)])
def test_parse_duration(text: str, hours: float) -> None:
    assert parse_duration(text) == timedelta(hours=hours)


@pytest.mark.parametrize("text", ["", "24", "h", "-1h", "0h", "3y"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


# --- the command, in a real process, on a real store ------------------------------------------


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, Path]:
    """A data directory holding the picture of the report bundles, and a feeds.yaml naming the feeds."""
    feeds, snap = picture_snapshot()
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.commit(
            Batch(
                feed_states=dict(snap.feed_states),
                incidents=list(snap.incidents),
                forces=list(snap.forces),
                zones=list(snap.zones),
            )
        )
    config = tmp_path / "feeds.yaml"
    lines = ["feeds:"]
    for feed in feeds.feeds:
        lines += [f"  - name: {feed.name}", f"    url: {feed.url}", f"    tier: {feed.tier}"]
        if feed.party:
            lines.append(f"    party: {feed.party}")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data, config


def export(data: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--data-dir", str(data), "--config", str(config), "export", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
def test_export_command_every_format(stored: tuple[Path, Path], tmp_path: Path) -> None:
    data, config = stored
    md = export(data, config)
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# Situation report") and "## Feed health" in md.stdout
    assert "| reuters | wire | ok |" in md.stdout
    assert "| idf |" not in md.stdout  # configured, but it never produced anything in this store
    out = tmp_path / "out.geojson"
    geo = export(data, config, "--format", "geojson", "--output", str(out))
    assert geo.returncode == 0 and geo.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    rows = list(csv.reader(io.StringIO(export(data, config, "--format", "csv").stdout)))
    jsonl = export(data, config, "--format", "jsonl").stdout.splitlines()
    assert len(rows) - 1 == sum(json.loads(line)["record"] == "incident" for line in jsonl) > 10
    assert {json.loads(line)["name"] for line in jsonl if json.loads(line)["record"] == "feed"} == {
        "reuters",
        "old <b>desk</b>",
    }
    # --since counts back from now; every stored incident is from 2025, so none is recent
    recent = export(data, config, "--format", "csv", "--since", "24h")
    assert recent.returncode == 0 and len(recent.stdout.splitlines()) == 1


@pytest.mark.slow
def test_export_reads_while_the_store_is_in_use(stored: tuple[Path, Path]) -> None:
    data, config = stored
    with Store.open(data):  # holds the single-writer lock, as the app or watch would
        busy = export(data, config, "--format", "jsonl")
    assert (busy.returncode, busy.stderr) == (0, "")
    assert busy.stdout == export(data, config, "--format", "jsonl").stdout
    assert sum(json.loads(line)["record"] == "incident" for line in busy.stdout.splitlines()) > 10


@pytest.mark.slow
def test_export_usage_errors(stored: tuple[Path, Path], tmp_path: Path) -> None:
    data, config = stored
    assert export(data, config, "--since", "yesterday").returncode == 2
    assert export(data, config, "--format", "pdf").returncode == 2
    missing = export(tmp_path / "nowhere", config)
    assert missing.returncode == 3 and "no store" in missing.stderr
    assert not (tmp_path / "nowhere").exists()


def test_zone_counts_are_taken_at_export_time_not_at_the_last_commit(tmp_path: Path) -> None:
    # A service whose feeds bring nothing new for days never recounts its zones; the counts the
    # store holds are those of its last cycle with news, and an export must not show them as today's.
    from monitor.models import Incident, Severity, ZoneEntry
    from monitor.sinks.export import take_snapshot

    now = NOW

    def incident(ident: str, days_ago: float) -> Incident:
        at = now - timedelta(days=days_ago)
        return Incident(
            id=ident,
            category=Category.CEASEFIRE_VIOLATION,
            severity=Severity.HIGH,
            status="reported",
            title=ident,
            first_seen=at,
            last_seen=at,
            zone="Rafah",
        )

    stale = ZoneEntry(zone="Rafah", count_24h=2, count_7d=3, last_incident="c", last_incident_at=now)
    quiet = ZoneEntry(zone="Khan Younis", count_24h=1, count_7d=1)
    with Store.open(tmp_path / "data") as store:
        store.commit(
            Batch(
                incidents=[incident("a", 8), incident("b", 2), incident("c", 0.5)],
                zones=[stale, quiet],
            )
        )
        snap = take_snapshot(store, Settings(feeds=()), now=now + timedelta(days=1))
    zones = {z.zone: z for z in snap.zones}
    assert set(zones) == {"Rafah", "Khan Younis"}  # no zone is made up for the export
    assert (zones["Rafah"].count_24h, zones["Rafah"].count_7d) == (0, 2)  # "a" is 9 days old by then
    assert (zones["Khan Younis"].count_24h, zones["Khan Younis"].count_7d) == (0, 0)
    assert "Khan Younis" not in render_markdown(snap).split("## Zones")[1]  # nothing in seven days
