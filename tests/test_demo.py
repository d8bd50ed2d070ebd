"""The demo scenario files and the loopback server that replays them, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import feedparser
import httpx
import pytest
import yaml

from monitor.config import MIN_INTERVAL_S
from monitor.ingest.demo import FIRST_RELEASE_MAX_S, DemoServer, find_seeds, load_scenario, shift_dates

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
DEMO = SEEDS / "demo"
SCENARIO = yaml.safe_load((DEMO / "scenario.yaml").read_text())
SEED_FILES = sorted(DEMO.glob("*/*.xml"))


def parse(body: bytes) -> feedparser.FeedParserDict:
    return feedparser.parse(body, sanitize_html=False)


def guids(body: bytes) -> list[str]:
    return [e.id for e in parse(body).entries]


# --- the files ------------------------------------------------------------------------------


def test_find_seeds_in_a_checkout() -> None:
    assert find_seeds() == SEEDS


def test_scenario_matches_the_files() -> None:
    scenario = load_scenario(SEEDS)
    listed = {DEMO / s.file for o in scenario.outlets for s in o.snapshots}
    assert listed == set(SEED_FILES)
    for outlet in scenario.outlets:
        times = [s.at_s for s in outlet.snapshots]
        assert times[0] <= FIRST_RELEASE_MAX_S, outlet.id
        for snap in outlet.snapshots:
            assert snap.file == f"{outlet.id}/{int(snap.at_s):03d}s.xml"
    assert 120 <= scenario.duration_s <= 180
    assert scenario.duration_s == max(s.at_s for o in scenario.outlets for s in o.snapshots)
    assert 4 <= len(scenario.outlets) <= 6
    assert {o.format for o in scenario.outlets} == {"rss", "atom"}
    assert {"wire", "outlet", "official", "ngo"} <= {o.tier for o in scenario.outlets}
    assert any(o.party for o in scenario.outlets)


def test_generated_files_are_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(SEEDS / "build.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_seed_file_is_a_clean_feed_marked_as_demo(path: Path) -> None:
    parsed = parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version in ("rss20", "atom10")
    assert "(demo data" in parsed.feed.title
    assert parsed.entries
    ids = [e.id for e in parsed.entries]
    assert len(ids) == len(set(ids))
    for entry in parsed.entries:
        assert entry.get("published_parsed") or entry.get("updated_parsed"), entry.id
        assert entry.title and entry.summary
        assert entry.link.startswith("https://") and ".example/" in entry.link
        assert any(t.get("label") == "demo data" or t.get("term") == "demo data" for t in entry.tags)
        assert not re.search(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", entry.summary)


def test_guids_are_unique_across_outlets_and_stable_across_snapshots() -> None:
    owner: dict[str, str] = {}
    for path in SEED_FILES:
        for guid in guids(path.read_bytes()):
            assert owner.setdefault(guid, path.parent.name) == path.parent.name, guid
    # A feed only grows: every item of a snapshot is still in the outlet's next one.
    for outlet in SCENARIO["outlets"]:
        files = [DEMO / s["file"] for s in outlet["snapshots"]]
        for before, after in itertools.pairwise(files):
            assert set(guids(before.read_bytes())) <= set(guids(after.read_bytes()))
            assert before.read_bytes() != after.read_bytes()


def final_text() -> str:
    text = []
    for outlet in SCENARIO["outlets"]:
        parsed = parse((DEMO / outlet["snapshots"][-1]["file"]).read_bytes())
        text += [f"{e.title}. {e.summary}" for e in parsed.entries]
    return "\n".join(text)


@pytest.mark.parametrize(
    "fact",
    [
        "up to 200",
        "none of them will enter",
        "two dozen",
        "Indonesia",
        "United Arab Emirates",
        "Egypt",
        "Qatar",
        "Azerbaijan",
        "seven men in Gaza City",
        "Rafah",
        "Khan Younis",
        "Shujaiya",
        "denied",
        "safe zones",
        "1,200",
        "2,000",
        "cleared of Hamas",
        "remains",
        "unexploded",
        "ruled out",
    ],
)
def test_scenario_tells_the_story(fact: str) -> None:
    assert fact in final_text()


def test_seed_text_is_not_copied_from_the_source_facts() -> None:
    source_dir = next(
        (p for p in (REPO.parent / "shared" / "seeds", Path("/work/shared/seeds")) if p.is_dir()), None
    )
    if source_dir is None:
        pytest.skip("the source facts are not beside this checkout")
    words = re.findall(r"[a-z0-9]+", " ".join(p.read_text() for p in source_dir.glob("*.txt")).lower())
    source = {" ".join(words[i : i + 9]) for i in range(len(words) - 8)}
    ours = re.findall(r"[a-z0-9]+", final_text().lower())
    copied = [" ".join(ours[i : i + 9]) for i in range(len(ours) - 8) if " ".join(ours[i : i + 9]) in source]
    assert copied == []


def test_shift_dates_moves_rss_and_atom_dates() -> None:
    body = (
        b"<rss><channel><lastBuildDate>Thu, 12 Feb 2026 18:00:00 GMT</lastBuildDate>"
        b"<item><pubDate>Thu, 12 Feb 2026 17:00:00 GMT</pubDate></item></channel></rss>"
        b"<feed><updated>2026-02-12T18:00:00Z</updated><published>2026-02-11T18:00:00Z</published></feed>"
    )
    moved = shift_dates(body, timedelta(days=1, hours=1))
    assert b"<lastBuildDate>Fri, 13 Feb 2026 19:00:00 GMT</lastBuildDate>" in moved
    assert b"<pubDate>Fri, 13 Feb 2026 18:00:00 GMT</pubDate>" in moved
    assert b"<updated>2026-02-13T19:00:00Z</updated>" in moved
    assert b"<published>2026-02-12T19:00:00Z</published>" in moved


# --- the server -----------------------------------------------------------------------------


def outlet_url(server: DemoServer, outlet_id: str) -> str:
    return server.url(outlet_id)


async def test_settings_point_at_the_server() -> None:
    async with DemoServer(speed=10) as server:
        settings = server.settings()
        assert [f.name for f in settings.feeds] == [o["name"] for o in SCENARIO["outlets"]]
        assert all(f.url.startswith(f"http://127.0.0.1:{server.port}/") for f in settings.feeds)
        assert all(f.interval == MIN_INTERVAL_S and "demo" in f.tags for f in settings.feeds)
        assert settings.per_host >= len(settings.feeds)
        parties = {f.name: f.party for f in settings.feeds}
        assert parties["Gaza Affairs Bulletin (demo)"] == "Hamas"
        assert server.poll_interval == pytest.approx(0.1)


async def test_releases_follow_the_schedule() -> None:
    speed = 50.0
    entering = time.monotonic()
    async with DemoServer(speed=speed) as server, httpx.AsyncClient() as client:
        started = time.monotonic()
        # The server's clock started somewhere between `entering` and `started`.
        while not server.finished():
            assert time.monotonic() - started < server.duration_s + 5, "replay never finished"
            before = time.monotonic()
            counts = {o["id"]: server.released(o["id"]) for o in SCENARIO["outlets"]}
            after = time.monotonic()
            for outlet in SCENARIO["outlets"]:
                due_surely = sum(1 for s in outlet["snapshots"] if s["at_s"] / speed <= before - started)
                due_at_most = sum(1 for s in outlet["snapshots"] if s["at_s"] / speed <= after - entering)
                assert due_surely <= counts[outlet["id"]] <= due_at_most, outlet["id"]
            await asyncio.sleep(0.05)
        assert time.monotonic() - entering >= server.duration_s
        for outlet in SCENARIO["outlets"]:
            response = await client.get(outlet_url(server, outlet["id"]))
            assert response.status_code == 200
            assert guids(response.content) == guids((DEMO / outlet["snapshots"][-1]["file"]).read_bytes())


async def test_served_feed_changes_when_a_snapshot_is_released() -> None:
    async with DemoServer(speed=100) as server, httpx.AsyncClient() as client:
        url = outlet_url(server, "meridian-wire")
        first = await client.get(url)
        assert guids(first.content) == guids((DEMO / "meridian-wire/000s.xml").read_bytes())
        await asyncio.sleep(server.duration_s + 0.05)
        last = await client.get(url)
        assert last.headers["etag"] != first.headers["etag"]
        assert len(guids(last.content)) > len(guids(first.content))
        last_modified = [
            datetime.strptime(r.headers["last-modified"], "%a, %d %b %Y %H:%M:%S GMT") for r in (first, last)
        ]
        assert last_modified[0] < last_modified[1]


async def test_conditional_requests_get_304() -> None:
    async with DemoServer(speed=1) as server, httpx.AsyncClient() as client:
        url = outlet_url(server, "meridian-wire")
        first = await client.get(url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert re.fullmatch(r'"[0-9a-f]{32}"', etag), "ETag must be strong"
        assert first.headers["content-type"].startswith("application/rss+xml")

        same = await client.get(url, headers={"If-None-Match": etag})
        assert (same.status_code, same.content, same.headers["etag"]) == (304, b"", etag)
        weak = await client.get(url, headers={"If-None-Match": f'"nope", W/{etag}'})
        assert weak.status_code == 304
        stale = await client.get(url, headers={"If-None-Match": '"something-else"'})
        assert stale.status_code == 200
        assert stale.content == first.content
        by_date = await client.get(url, headers={"If-Modified-Since": modified})
        assert by_date.status_code == 304
        older = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
        assert (await client.get(url, headers={"If-Modified-Since": older})).status_code == 200
        # If-None-Match decides when both are sent.
        both = await client.get(url, headers={"If-None-Match": '"x"', "If-Modified-Since": modified})
        assert both.status_code == 200
        assert server.responses[304] == 3


async def test_dates_are_shifted_to_the_recent_past() -> None:
    async with DemoServer(speed=1) as server, httpx.AsyncClient() as client:
        body = (await client.get(outlet_url(server, "levant-ledger"))).content
        now = datetime.now(UTC)
        for entry in parse(body).entries:
            published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
            assert now - timedelta(hours=48) < published <= now


async def test_outlet_without_a_release_yet_serves_an_empty_feed() -> None:
    assert SCENARIO["outlets"][-1]["snapshots"][0]["at_s"] > 1
    outlet_id = SCENARIO["outlets"][-1]["id"]
    async with DemoServer(speed=1) as server, httpx.AsyncClient() as client:
        response = await client.get(outlet_url(server, outlet_id))
        assert response.status_code == 200
        parsed = parse(response.content)
        assert not parsed.bozo
        assert parsed.entries == []
        assert "(demo data" in parsed.feed.title


async def test_unknown_paths_methods_and_head() -> None:
    async with DemoServer(speed=1) as server, httpx.AsyncClient() as client:
        base = f"http://127.0.0.1:{server.port}"
        assert (await client.get(f"{base}/nope/feed.xml")).status_code == 404
        assert (await client.get(f"{base}/")).status_code == 404
        assert (await client.post(outlet_url(server, "meridian-wire"), content=b"x")).status_code == 405
        head = await client.head(outlet_url(server, "meridian-wire"))
        assert head.status_code == 200
        assert head.content == b""
        assert int(head.headers["content-length"]) > 0


async def test_many_requests_on_one_kept_alive_connection() -> None:
    async with DemoServer(speed=1) as server:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(limits=limits) as client:
            results = await asyncio.gather(
                *(client.get(outlet_url(server, o["id"])) for o in SCENARIO["outlets"] for _ in range(5))
            )
        assert all(r.status_code == 200 for r in results)


def test_speed_must_be_positive() -> None:
    with pytest.raises(ValueError, match="speed"):
        DemoServer(speed=0)


@pytest.mark.slow
def test_seeds_ship_in_the_wheel_and_are_found_there(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("situation_room-*.whl")
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        assert "monitor/_seeds/demo/scenario.yaml" in archive.namelist()
        archive.extractall(unpacked)
    code = "import monitor.ingest.demo as d; print(d.__file__); print(d.find_seeds())"
    found = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(unpacked)},
        check=True,
    )
    module, seeds = found.stdout.split()
    assert Path(module).is_relative_to(unpacked)
    assert Path(seeds) == unpacked / "monitor" / "_seeds"
    assert load_scenario(Path(seeds)).outlets
