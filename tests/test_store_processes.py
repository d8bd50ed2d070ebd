"""The store across real processes: kill -9 mid-write, the single-writer lock, SIGTERM and SIGINT."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest

from monitor.errors import ExitCode
from monitor.store import Store

WRITER = """
import sys
from datetime import timedelta
from pathlib import Path
from monitor.models import Alert, Event, FeedState, Incident, Item, Severity, Category, utcnow
from monitor.store import Batch, Store

data = Path(sys.argv[1])
sys.stdin.readline()  # started ahead of time; wait for the go
store = Store.open(data, warn=lambda message: None)
cycle = store.commits
while True:
    cycle += 1
    now = utcnow()
    items = [
        Item(id=f"{cycle}-{j}", feed="wire", title=f"cycle {cycle} item {j}", summary="x" * 400,
             published=now, fetched_at=now, content_hash=f"{cycle}-{j}")
        for j in range(20)
    ]
    store.commit(Batch(
        feed_states={"wire": FeedState(url="http://127.0.0.1/feed", polls=cycle)},
        items=items,
        events=[Event(item_key=i.key, feed="wire", category=Category.UXO, severity=Severity.LOW, rule="uxo",
                      matched=i.title, published=now, title=i.title) for i in items],
        incidents=[Incident(id=f"inc-{cycle % 5}", category=Category.UXO, severity=Severity.LOW,
                            status="reported", title=f"cycle {cycle}", first_seen=now, last_seen=now)],
        alerts=[Alert(id=f"alert-{cycle}", ts=now, kind="new", severity=Severity.LOW, title="alert")],
        sinks=("watch",),
    ))
    print(cycle, flush=True)
"""

MARKER = """
import sys
from datetime import timedelta
from pathlib import Path
from monitor.models import Alert, FeedState, Severity, utcnow
from monitor.store import Batch, Store

data = Path(sys.argv[1])
sys.stdin.readline()
store = Store.open(data, warn=lambda message: None)
if store.commits == 0:
    t0 = utcnow()
    alerts = [Alert(id=f"a{n:04d}", ts=t0 + timedelta(seconds=n), kind="new", severity=Severity.LOW,
                    title="alert") for n in range(600)]
    store.commit(Batch(alerts=alerts, sinks=("watch",)))
print("ready", flush=True)
for n, alert in enumerate(store.pending_alerts("watch")):
    store.mark_emitted("watch", [alert.id])
    print(alert.id, flush=True)
    if n % 20 == 19:  # a poll cycle now and then folds the journal into state.json
        store.commit(Batch(feed_states={"wire": FeedState(url="http://127.0.0.1/feed", polls=n)}))
print("done", flush=True)
sys.stdin.readline()  # every alert is marked: wait for the kill rather than exit on its own
"""

HOLDER = """
import sys
from monitor.store import Store, exit_on_termination
from monitor.store import Batch
from monitor.models import FeedState, utcnow

with exit_on_termination(), Store.open(sys.argv[1]) as store:
    store.commit(Batch(feed_states={"wire": FeedState(url="http://127.0.0.1/feed", polls=7)}))
    try:
        print("ready", flush=True)
        sys.stdin.readline()
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        raise SystemExit(130)
print("closed", flush=True)
"""

OPENER = """
import sys
from monitor.errors import ExitCode, StoreError
from monitor.store import Store

try:
    Store.open(sys.argv[1]).close()
except StoreError as exc:
    print(f"situation-room: {exc}", file=sys.stderr)
    raise SystemExit(ExitCode.STORE)
print("opened")
"""


def spawn(script: str, data: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_line(stream: IO[str] | None) -> str:
    assert stream is not None
    return stream.readline().strip()


@pytest.mark.slow
def test_kill_9_mid_write_50_times_never_loses_the_last_committed_cycle(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rng = random.Random(20261124)
    told: list[str] = []
    waiting = spawn(WRITER, data)
    for attempt in range(50):
        writer, waiting = waiting, (spawn(WRITER, data) if attempt < 49 else None)  # hide start-up time
        assert writer.stdin is not None and writer.stdout is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
        printed = [read_line(writer.stdout) for _ in range(rng.randint(1, 4))]
        time.sleep(rng.uniform(0, 0.03))  # land anywhere in a later commit
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        last = int((printed + rest.split())[-1])

        with Store.open(data, warn=told.append) as store:
            # the cycle printed last is there; the next one may be too (killed before it printed)
            assert store.commits in (last, last + 1), attempt
            cycle = store.commits
            assert store.feed_states()["wire"].polls == cycle
            for j in (0, 19):
                assert store.seen_hash(f"wire\x1f{cycle}-{j}") == f"{cycle}-{j}"
                assert store.item(f"wire\x1f{last}-{j}") is not None
            assert store.seen_hash(f"wire\x1f{cycle + 1}-0") is None  # nothing of an unfinished cycle
            assert store.pending_alerts("watch")[-1].id == f"alert-{cycle}"
    assert any("interrupted" in t for t in told)  # some kills did land between a commit's files
    assert not [t for t in told if "unreadable" in t]  # atomic writes: kill -9 never damages a file
    with Store.open(data, warn=told.append) as store:
        alerts = [a.id for a in store.alerts()]
        assert alerts == [f"alert-{n}" for n in range(1, store.commits + 1)]
        assert {i.id for i in store.incidents()} == {f"inc-{n}" for n in range(5)}


@pytest.mark.slow
def test_kill_9_during_marks_never_loses_a_mark_that_returned(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rng = random.Random(20261125)
    marked: set[str] = set()
    told: list[str] = []
    for attempt in range(8):
        marker = spawn(MARKER, data)
        assert marker.stdin is not None and marker.stdout is not None
        marker.stdin.write("go\n")
        marker.stdin.flush()
        assert read_line(marker.stdout) == "ready"
        for _ in range(rng.randint(1, 40)):
            line = read_line(marker.stdout)
            if line == "done":  # a quick machine marked every alert already
                break
            marked.add(line)
        time.sleep(rng.uniform(0, 0.02))  # land anywhere: in a mark, a commit or between them
        marker.send_signal(signal.SIGKILL)
        marked.update(set(marker.stdout.read().split()) - {"done"})  # lines it buffered count too
        marker.communicate(timeout=30)
        assert marker.returncode == -signal.SIGKILL
        with Store.open(data, warn=told.append) as store:
            pending = {a.id for a in store.pending_alerts("watch")}
            assert not pending & marked, attempt  # every mark that returned survived the kill
            assert 600 - len(pending) - len(marked) in (0, 1), attempt  # killed before printing one
            marked = {f"a{n:04d}" for n in range(600)} - pending
            # open took the journal into state.json and emptied it
            assert (data / "emitted.journal").stat().st_size == 0
    assert not told  # nothing unreadable, nothing dropped


def test_a_torn_journal_line_is_ignored_and_cut_off(tmp_path: Path) -> None:
    data = tmp_path / "data"
    marker = spawn(MARKER, data)
    assert marker.stdin is not None and marker.stdout is not None
    marker.stdin.write("go\n")
    marker.stdin.flush()
    assert read_line(marker.stdout) == "ready"
    marked = {read_line(marker.stdout) for _ in range(5)}  # before the first commit: all in the journal
    marker.send_signal(signal.SIGSTOP)  # frozen, so the journal holds exactly what it printed (or one more)
    journal = data / "emitted.journal"
    lines = journal.read_bytes().splitlines(keepends=True)
    marker.send_signal(signal.SIGKILL)
    marker.communicate(timeout=30)
    # A kill in the middle of the next call leaves half a line, for an alert still pending.
    journal.write_bytes(b"".join(lines) + b'{"s":%d,"k":"watch","i":["a05' % (len(lines) + 1))
    with Store.open(data, warn=lambda message: None) as store:
        pending = [a.id for a in store.pending_alerts("watch")]
        assert not set(pending) & marked and len(pending) == 600 - len(lines)
        assert journal.read_bytes() == b""
        store.mark_emitted("watch", [pending[0]])
        assert journal.read_bytes().count(b"\n") == 1
    with Store.open(data, warn=lambda message: None) as store:
        assert pending[0] not in {a.id for a in store.pending_alerts("watch")}


def test_a_second_process_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    data = tmp_path / "data"
    holder = spawn(HOLDER, data)
    try:
        assert read_line(holder.stdout) == "ready"
        second = subprocess.run(
            [sys.executable, "-c", OPENER, str(data)], capture_output=True, text=True, timeout=60, check=False
        )
        assert second.returncode == ExitCode.STORE
        assert f"in use by process {holder.pid}" in second.stderr
        assert "--data-dir" in second.stderr
        assert second.stdout == ""
    finally:
        holder.communicate("\n", timeout=30)
    assert holder.returncode == 0
    after = subprocess.run(
        [sys.executable, "-c", OPENER, str(data)], capture_output=True, text=True, timeout=60, check=False
    )
    assert (after.returncode, after.stdout) == (0, "opened\n")


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_a_signal_closes_the_store_cleanly(tmp_path: Path, sig: signal.Signals, code: int) -> None:
    data = tmp_path / "data"
    holder = spawn(HOLDER, data)
    assert read_line(holder.stdout) == "ready"
    assert (data / "store.pid").read_text().strip() == str(holder.pid)
    holder.send_signal(sig)
    out, err = holder.communicate(timeout=30)
    assert "closed" not in out
    assert holder.returncode == code, err
    assert not (data / "store.pid").exists()  # close() ran: the sidecar is gone and the lock is free
    with Store.open(data) as store:
        assert store.feed_states()["wire"].polls == 7


def test_feeds_check_reads_feed_health_while_a_writer_holds_the_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - name: wire\n    url: http://127.0.0.1/feed\n", encoding="utf-8")
    holder = spawn(HOLDER.replace("polls=7", "polls=7, items_seen=42, last_success=utcnow()"), data)
    try:
        assert read_line(holder.stdout) == "ready"
        check = subprocess.run(
            [
                sys.executable,
                "-m",
                "monitor",
                "--config",
                str(config),
                "--data-dir",
                str(data),
                "feeds",
                "check",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        holder.communicate("\n", timeout=30)
    assert check.returncode == 0, check.stderr
    assert "42 items seen" in check.stdout  # read from state.json without waiting for the lock
    assert holder.returncode == 0


def test_a_program_that_forgets_to_close_still_releases_the_store_at_exit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code = (
        "import sys; from monitor.store import Batch, Store; from monitor.models import FeedState\n"
        "store = Store.open(sys.argv[1])\n"
        "store.commit(Batch(feed_states={'wire': FeedState(url='http://127.0.0.1/', polls=3)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(data)], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert not (data / "store.pid").exists()
    with Store.open(data) as store:
        assert store.feed_states()["wire"].polls == 3


FIRST_COMMIT_DIES = """
import os
import sys
from pathlib import Path
from monitor.models import Alert, FeedState, Item, Severity, utcnow
from monitor.store import Batch, Store

store = Store.open(Path(sys.argv[1]), warn=lambda message: None)
store._write_state = lambda *args, **kwargs: os._exit(9)  # die after history, before state
now = utcnow()
item = Item(id="first", feed="wire", title="t", published=now, fetched_at=now, content_hash="h1")
store.commit(Batch(
    feed_states={"wire": FeedState(url="http://127.0.0.1/feed")},
    items=[item],
    alerts=[Alert(id="alert-1", ts=now, kind="new", severity=Severity.LOW, title="alert")],
    sinks=("watch",),
))
"""


def test_a_first_commit_that_never_finished_leaves_nothing_behind(tmp_path: Path) -> None:
    # Items of an unsaved first cycle must not count as seen: their alerts were never saved either,
    # so keeping them would silence those alerts for good.
    data = tmp_path / "data"
    died = subprocess.run([sys.executable, "-c", FIRST_COMMIT_DIES, str(data)], check=False)
    assert died.returncode == 9
    assert any(data.rglob("*.json")), "history was written"
    warnings: list[str] = []
    with Store.open(data, warn=warnings.append) as store:
        assert store.commits == 0
        assert store.items() == []
        assert store.seen_hash("wire\x1ffirst") is None
        assert store.pending_alerts("watch") == []
    assert any("interrupted" in w for w in warnings)


def test_an_unusable_data_dir_is_not_blamed_on_another_process() -> None:
    # A directory nobody may create files in, even root: /proc/1/fdinfo on Linux.
    unwritable = Path("/proc/1/fdinfo")
    if not unwritable.is_dir():
        pytest.skip("needs Linux /proc")
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--data-dir", str(unwritable), "watch", "--once", "--demo"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == ExitCode.STORE
    assert "in use by" not in result.stderr
    assert f"cannot use data directory {unwritable}" in result.stderr
