"""A feed read from a local file shows its health, and exports carry the feeds the store holds.

Real processes on real files: ``watch --once`` polls a feeds.yaml whose feed is a relative file path,
then ``feeds check`` and ``export`` (run from another directory) read the store it left.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local desk</title><link>https://local.example/</link>
<item><title>Aid convoy reaches Khan Younis</title><link>https://local.example/1</link>
<guid>local-1</guid><pubDate>Mon, 10 Nov 2025 08:00:00 GMT</pubDate></item>
</channel></rss>
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )


def test_a_local_file_feed_shows_its_health_after_polls(tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    (desk / "feeds").mkdir(parents=True)
    (desk / "feeds" / "local.xml").write_text(RSS, encoding="utf-8")
    config = desk / "feeds.yaml"
    config.write_text(
        "feeds:\n  - name: Local desk\n    url: feeds/local.xml\n    tier: ngo\n", encoding="utf-8"
    )
    data = tmp_path / "data"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    common = ("--config", str(config), "--data-dir", str(data))
    for _ in range(2):
        watch = run(*common, "watch", "--once", cwd=elsewhere)
        assert watch.returncode == 0, watch.stderr
    check = run(*common, "feeds", "check", cwd=elsewhere)
    assert check.returncode == 0, check.stderr
    (row,) = [line for line in check.stdout.splitlines() if line.startswith("Local desk")]
    assert "not polled yet" not in row
    assert "ok, last success" in row
    assert "1 items seen" in row

    jsonl = run(*common, "export", "--format", "jsonl", cwd=elsewhere)
    assert jsonl.returncode == 0, jsonl.stderr
    feeds = [d for d in map(json.loads, jsonl.stdout.splitlines()) if d["record"] == "feed"]
    assert [(d["name"], d["health"], d["items_seen"]) for d in feeds] == [("Local desk", "ok", 1)]
    assert feeds[0]["url"] == str(desk / "feeds" / "local.xml")

    # The sitrep's table comes from the store: a feeds.yaml that no longer names the feed does not
    # hide it, and a feed it names that never ran is not listed.
    other = tmp_path / "other.yaml"
    other.write_text("feeds:\n  - name: Never ran\n    url: https://never.example/rss\n", encoding="utf-8")
    md = run("--config", str(other), "--data-dir", str(data), "export", "--format", "md", cwd=elsewhere)
    assert md.returncode == 0, md.stderr
    table = md.stdout.split("## Feed health", 1)[1]
    assert "| Local desk | - | ok |" in table
    assert "Never ran" not in table
