"""`export` beside a running writer, in real processes: it never waits for the lock, never fails, and
never shows part of a poll cycle."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

WRITER = """
import sys, time
from pathlib import Path
import monitor.store.store as layout
from monitor.models import Alert, FeedState, ForceEntry, Incident, Severity, Category, ZoneEntry, utcnow
from monitor.store import Batch, Store

# Small chunks, so new history files start while exports read.
layout.INCIDENT_CHUNK_DOCS = 24
layout.ALERT_CHUNK_DOCS = 10
data, stop = Path(sys.argv[1]), Path(sys.argv[2])
store = Store.open(data, warn=lambda message: None)
cycle = store.commits
while not stop.exists():
    cycle += 1
    now = utcnow()
    def incident(ident):
        return Incident(id=ident, category=Category.UXO, severity=Severity.LOW, status="reported",
                        title=f"cycle {cycle}", first_seen=now, last_seen=now, zone="rafah")
    # Every record of cycle N says N: an export mixing two cycles shows two numbers.
    store.commit(Batch(
        feed_states={"wire": FeedState(url="http://127.0.0.1/feed", polls=cycle)},
        incidents=[incident("inc-0"), incident(f"inc-{cycle}")],
        forces=[ForceEntry(contributor="Testland", status="deployed", troops=cycle, last_change=now)],
        zones=[ZoneEntry(zone="rafah", count_7d=cycle, last_incident=f"inc-{cycle}", last_incident_at=now)],
        alerts=[Alert(id=f"alert-{cycle}", ts=now, kind="new", severity=Severity.LOW, title="alert")],
        sinks=("watch",),
    ))
    if cycle == 1:
        print("committed", flush=True)
    time.sleep(0.01)
store.close()
print(cycle, flush=True)
"""


def export(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = data.parent / "feeds.yaml"
    if not config.exists():
        config.write_text("feeds:\n  - name: wire\n    url: http://127.0.0.1/feed\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--data-dir", str(data), "--config", str(config), "export", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def listing(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under ``root`` with its size, inode and modification time in ns."""
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
    }


def committed_cycle(jsonl: str) -> int:
    """The one cycle an export shows; fails if its records come from more than one."""
    records: list[dict[str, Any]] = [json.loads(line) for line in jsonl.splitlines()]
    incidents = {r["id"]: r for r in records if r["record"] == "incident"}
    (force,) = (r for r in records if r["record"] == "force")
    (zone,) = (r for r in records if r["record"] == "zone")
    cycle = force["troops"]
    # the export counts the zone's week at read time: inc-0 and one incident per cycle so far
    assert zone["count_7d"] == cycle + 1, (zone, cycle)
    assert set(incidents) == {f"inc-{n}" for n in range(cycle + 1)}, (sorted(incidents), cycle)
    assert incidents["inc-0"]["title"] == f"cycle {cycle}"
    return int(cycle)


@pytest.mark.slow
def test_export_reads_every_time_while_a_writer_keeps_committing(tmp_path: Path) -> None:
    data, stop = tmp_path / "data", tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[int] = []
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "committed"
        for _ in range(20):
            result = export(data, "--format", "jsonl")
            assert result.returncode == 0, result.stderr
            assert result.stderr == ""  # no lock message, no backup warning
            seen.append(committed_cycle(result.stdout))
            assert writer.poll() is None  # the writer held the lock throughout
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    last = int(out.strip())
    assert seen == sorted(seen) and seen[-1] > seen[0]  # the writer went on committing meanwhile
    assert seen[-1] <= last
    assert len(list((data / "incidents").glob("*.json"))) > 1  # reads crossed new chunks
    # the last cycle in full, and not a file created, moved or touched by the reads
    before = listing(data)
    final = export(data, "--format", "jsonl")
    assert committed_cycle(final.stdout) == last
    assert export(data, "--format", "md").stdout.startswith("# Situation report")
    assert listing(data) == before


@pytest.mark.slow
def test_export_runs_beside_watch_on_the_same_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    watch = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--data-dir", str(data), "watch", "--demo", "--speed", "10"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    beside = 0
    try:
        assert watch.stdout is not None
        assert watch.stdout.readline()  # an alert: written only after its cycle was committed
        while watch.poll() is None and beside < 4:
            result = export(data)
            assert result.returncode == 0, result.stderr
            assert result.stdout.startswith("# Situation report") and "## Forces" in result.stdout
            beside += watch.poll() is None
    finally:
        _out, err = watch.communicate(timeout=120)
    assert watch.returncode == 0, err
    assert beside >= 1  # at least one export ran while watch held the store


def test_export_without_a_store_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for data in (tmp_path / "nowhere", tmp_path / "empty"):
        result = export(data, "--format", "jsonl")
        assert result.returncode == 3
        assert result.stdout == "" and "Traceback" not in result.stderr
        assert f"no store in {data}" in result.stderr
    assert not (tmp_path / "nowhere").exists()
    assert list((tmp_path / "empty").iterdir()) == []
