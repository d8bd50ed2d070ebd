"""Retention against a wrong clock, on a real store in a temp dir.

A clock two months ahead for one run used to expire all history, the seen ledger and the pending
hook alerts without a word; once the clock was back, the same items were news again and alert ids
already delivered were handed to the sinks a second time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from test_store import T0, Clock, full_batch, make_alert

from monitor.store import Batch, Store


def open_store(data: Path, clock: Clock, warnings: list[str]) -> Store:
    return Store.open(data, now=clock, retention_days=30, warn=warnings.append)


def fill(data: Path, clock: Clock) -> None:
    """Ten days of ordinary use up to T0: history every day, alerts delivered to watch but not exec."""
    with open_store(data, clock, []) as store:
        for n in range(10):
            clock.at = T0 - timedelta(days=9 - n)
            batch = full_batch(n + 1, at=clock.at)
            batch.sinks = ("watch", "exec")
            store.commit(batch)
            store.mark_emitted("watch", [f"alert-{n + 1}"])


def test_one_run_with_the_clock_61_days_ahead_deletes_nothing_and_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = Clock(T0)
    fill(data, clock)
    warnings: list[str] = []

    clock.at = T0 + timedelta(days=61)
    with open_store(data, clock, warnings) as store:
        assert len(store.alerts()) == 10
        assert len(store.incidents()) == 10
        assert len(store.items()) == 30
        assert len(store.pending_alerts("exec")) == 10  # still owed to the hook
        store.commit(full_batch(50, at=clock.at))  # a cycle saved at the wrong date
    assert len(warnings) == 1
    assert "61 days after the newest record" in warnings[0]
    assert "not as of the clock" in warnings[0]

    warnings.clear()
    clock.at = T0 + timedelta(days=1)  # the clock is put right
    with open_store(data, clock, warnings) as store:
        assert len(store.alerts()) == 11
        assert len(store.items()) == 33
        assert len(store.pending_alerts("exec")) == 10
        # Raised again (same content, so the same id): not handed to watch, which delivered it.
        again = make_alert(3, ts=clock.at)
        store.commit(Batch(alerts=[again], sinks=("watch", "exec")))
        assert "alert-3" not in [a.id for a in store.pending_alerts("watch")]
        assert "alert-3" in [a.id for a in store.pending_alerts("exec")]
    assert any("before the newest record" in w for w in warnings)


def test_pending_alerts_are_never_expired(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = Clock(T0)
    fill(data, clock)
    with open_store(data, clock, []) as store:
        for day in range(1, 41):  # forty days of real use later, history expires as it should
            clock.at = T0 + timedelta(days=day)
            store.commit(full_batch(100 + day, at=clock.at))
        assert min(a.ts for a in store.alerts()) > T0
    with open_store(data, clock, []) as store:
        assert sorted(a.id for a in store.pending_alerts("exec")) == sorted(
            f"alert-{n}" for n in range(1, 11)
        )


def test_a_delivered_id_is_remembered_by_count_not_by_date(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = Clock(T0)
    with open_store(data, clock, []) as store:
        store.commit(Batch(alerts=[make_alert(1)], sinks=("watch",)))
        store.mark_emitted("watch", ["alert-1"])
    clock.at = T0 + timedelta(days=400)  # history long gone...
    with open_store(data, clock, []) as store:
        store.commit(full_batch(2, at=clock.at))
    with open_store(data, clock, []) as store:
        assert store.alerts()[0].id == "alert-2"
        store.commit(Batch(alerts=[make_alert(1, ts=clock.at)], sinks=("watch",)))
        assert [a.id for a in store.pending_alerts("watch")] == ["alert-2"]  # ...alert-1 is not owed again


RSS_ITEM = """<item><title>{title}</title><link>https://local.example/{n}</link><guid>local-{n}</guid>
<pubDate>{date}</pubDate></item>"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs libfaketime (apt-get install faketime)")
def test_watch_with_the_clock_ahead_then_back_writes_no_alert_twice(tmp_path: Path) -> None:
    """The whole thing as a user meets it: `watch --once` runs under faketime (+61 days, then now)."""
    now = datetime.now(UTC)
    items = [
        RSS_ITEM.format(n=n, title=title, date=format_datetime(now - timedelta(hours=n), usegmt=True))
        for n, title in enumerate(
            [
                "Israeli airstrike kills five in Khan Younis despite ceasefire",
                "Hamas hands over remains of two hostages to the Red Cross",
                "Indonesia pledges up to 2,000 troops for the stabilization force",
            ]
        )
    ]
    feed = tmp_path / "local.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
        + "".join(items)
        + "</channel></rss>",
        encoding="utf-8",
    )
    config = tmp_path / "feeds.yaml"
    config.write_text(f"feeds:\n  - name: Local\n    url: {feed}\n    tier: wire\n", encoding="utf-8")
    data = tmp_path / "data"

    def watch(*faketime: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "monitor", "--config", str(config), "--data-dir", str(data)]
        return subprocess.run(
            [*faketime, *command, "watch", "--once", "--format", "jsonl"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={"PATH": "/usr/bin:/bin", "FAKETIME_DONT_FAKE_MONOTONIC": "1", "HOME": str(tmp_path)},
        )

    first = watch()
    assert first.returncode == 0, first.stderr
    ids = [line for line in first.stdout.splitlines() if line.strip()]
    assert ids, first.stderr

    ahead = watch("faketime", "-f", "+61d")
    assert ahead.returncode == 0, ahead.stderr
    assert "61 days after the newest record" in ahead.stderr
    assert "Traceback" not in ahead.stderr

    back = watch()
    assert back.returncode == 0, back.stderr
    written = [*first.stdout.splitlines(), *ahead.stdout.splitlines(), *back.stdout.splitlines()]
    alert_ids = [json.loads(line)["id"] for line in written if line.strip()]
    assert len(alert_ids) == len(set(alert_ids)), written
