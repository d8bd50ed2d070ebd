"""Faults of processes: kill -9 of ``watch`` with a reader on its pipe, hooks that overstay, SIGTERM
in the middle of work. Real ``watch`` processes, a real loopback server, real store files."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fault_support import (
    PaddedFeedServer,
    alive,
    descendants_of,
    env,
    many_feeds_server,
    write_many_feeds_config,
)

from tests.watch_support import FeedServer, plain_item, run_once, wait_for, watch_argv, write_config

pytestmark = pytest.mark.slow

HEADLINES = [
    "Israeli airstrike kills 5 in Khan Younis despite ceasefire",
    "Israeli tank fire kills 3 in Jabalia in breach of the truce",
    "Israeli drone strike kills 2 in Rafah despite the ceasefire",
    "Israeli artillery shelling kills 4 in Deir al-Balah despite ceasefire",
]

# A hook that starts a grandchild (its pid in argv[1]), then waits for ever: only killing the whole
# process group ends both.
FAMILY_HOOK = (
    "import subprocess, sys, time, pathlib;"
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']);"
    "tmp = pathlib.Path(sys.argv[1] + '.tmp'); tmp.write_text(str(child.pid));"
    "tmp.replace(sys.argv[1]); time.sleep(120)"
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


def wait_dead(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def pending_for(data: Path, sink: str) -> set[str]:
    from monitor.store import Store

    with Store.open(data, warn=lambda _m: None) as store:
        return {a.id for a in store.pending_alerts(sink)}


# --- exec hooks ---------------------------------------------------------------------------------


def test_a_timed_out_hook_is_ended_with_everything_it_started(server: FeedServer, tmp_path: Path) -> None:
    config = write_config(tmp_path / "feeds.yaml", server.url())
    data = tmp_path / "data"
    pid_file = tmp_path / "grandchild.pid"
    server.add(plain_item("g0", HEADLINES[0]))
    result = run_once(
        config, data, "--exec-timeout", "2", "--exec", sys.executable, "-c", FAMILY_HOOK, str(pid_file)
    )
    assert result.returncode == 0, result.stderr
    assert "timed out after 2 s" in result.stderr
    grandchild = int(pid_file.read_text())
    try:
        assert wait_dead(grandchild, 5), "the hook's own child outlived the timeout"
    finally:
        if alive(grandchild):
            os.kill(grandchild, signal.SIGKILL)
    assert len(pending_for(data, "watch-exec")) == 1  # retried by the next run
    no_traceback(result.stderr)


def test_sigterm_during_a_hook_ends_it_at_once_and_the_alert_stays_pending(
    server: FeedServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "feeds.yaml", server.url())
    data = tmp_path / "data"
    pid_file = tmp_path / "grandchild.pid"
    server.add(plain_item("g0", HEADLINES[0]))
    argv = watch_argv(config, data, "--once", "--exec", sys.executable, "-c", FAMILY_HOOK, str(pid_file))
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    lines: list[bytes] = []
    assert proc.stdout is not None and proc.stderr is not None
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout or ()), daemon=True)
    reader.start()  # watch waits for its reader to take each line
    try:
        wait_for(pid_file.exists, 30, "the hook to start")
        grandchild = int(pid_file.read_text())
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        proc.wait(timeout=20)
        took = time.monotonic() - started
        reader.join(10)
        out, err = b"".join(lines), proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(10)
        proc.stdout.close()
        proc.stderr.close()
    try:
        assert proc.returncode == 0, err
        assert took < 5, f"SIGTERM took {took:.1f} s to end a run waiting on a hook (timeout 30 s)"
        assert wait_dead(grandchild, 5), "the hook's child outlived watch"
    finally:
        if alive(grandchild):
            os.kill(grandchild, signal.SIGKILL)
    assert len(out.decode().splitlines()) == 1  # stdout got its line before the hook ran
    assert "stays pending" in err.decode()
    no_traceback(err.decode())
    assert len(pending_for(data, "watch-exec")) == 1
    # the next run hands the same alert to a hook that works
    got = tmp_path / "got.jsonl"
    append = f"import sys; open({str(got)!r}, 'a').write(sys.stdin.read())"
    again = run_once(config, data, "--exec", sys.executable, "-c", append)
    assert again.returncode == 0, again.stderr
    assert len(got.read_text().splitlines()) == 1
    assert pending_for(data, "watch-exec") == set()


# --- kill -9 with a reader on the pipe ------------------------------------------------------------

PLACES = [
    "Khan Younis",
    "Jabalia",
    "Rafah",
    "Deir al-Balah",
    "Gaza City",
    "Beit Hanoun",
    "Beit Lahia",
    "Nuseirat",
    "Bureij",
    "Maghazi",
    "Shujaiya",
    "Zeitoun",
]
WEAPONS = ["airstrike", "tank fire", "drone strike", "artillery shelling", "sniper fire"]
ROUNDS = int(os.environ.get("FAULT_ROUNDS", "30"))


def reader_of(proc: subprocess.Popen[bytes]) -> tuple[list[str], threading.Event, threading.Event]:
    """Reads ``proc``'s stdout line by line until end of file (which only comes when every holder of
    the pipe's write end is gone); the first event is set at end of file, the second stops it."""
    lines: list[str] = []
    eof, stop = threading.Event(), threading.Event()
    assert proc.stdout is not None
    fd = proc.stdout.fileno()

    def read() -> None:
        buffer = b""
        while not stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                eof.set()
                break
            buffer += chunk
            *done, buffer = buffer.split(b"\n")
            lines.extend(line.decode() + "\n" for line in done)

    threading.Thread(target=read, daemon=True).start()
    return lines, eof, stop


def test_kill_9_mid_burst_loses_nothing_and_leaves_nothing_holding_the_pipe(tmp_path: Path) -> None:
    import random

    from monitor.store import Store

    rng = random.Random(13)
    data = tmp_path / "data"
    written: list[str] = []
    with PaddedFeedServer() as server:
        config = write_config(tmp_path / "feeds.yaml", server.url())
        for round_no in range(ROUNDS):
            server.add(
                *(
                    plain_item(
                        f"r{round_no}-{k}",
                        f"Israeli {WEAPONS[(round_no + k) % len(WEAPONS)]} kills {round_no + k + 2} in "
                        f"{PLACES[(3 * round_no + k) % len(PLACES)]} despite ceasefire",
                        # a place comes back every 4 rounds: 40 h apart, past the incident window,
                        # so that every round raises new alerts
                        datetime.now(UTC) - timedelta(hours=10 * round_no),
                    )
                    for k in range(3)
                )
            )
            proc = subprocess.Popen(
                watch_argv(config, data, "--interval", "1"),
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env(),
            )
            lines, eof, stop_reading = reader_of(proc)
            try:
                # kill mid-burst: a moment after the first line of this run came out (or, when
                # this round brought nothing new, once its first cycle had time to run)
                deadline = time.monotonic() + 20
                while not lines and time.monotonic() < deadline and proc.poll() is None:
                    time.sleep(0.005)
                time.sleep(rng.uniform(0, 0.03))
                family = descendants_of(proc.pid)
                proc.kill()
                proc.wait(10)
                assert eof.wait(10), (
                    f"round {round_no}: the pipe stayed open after kill -9 (an orphan holds it)"
                )
                orphans = [pid for pid in family if not wait_dead(pid, 10)]
                assert not orphans, f"round {round_no}: {orphans} outlived watch"
            finally:
                stop_reading.set()
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                time.sleep(0.15)  # the reader's select times out and it lets go of the pipe
                if proc.stdout is not None:
                    proc.stdout.close()
            written += [json.loads(line)["id"] for line in lines if line.endswith("\n")]
        # a last run, not killed, writes what the kills left pending
        final = run_once(config, data)
        assert final.returncode == 0, final.stderr
        no_traceback(final.stderr)
        written += [json.loads(line)["id"] for line in final.stdout.splitlines()]
    with Store.open(data, warn=lambda _m: None) as store:
        committed = {a.id for a in store.alerts()}
        assert store.pending_alerts("watch") == []
    assert len(committed) >= ROUNDS, "too few alerts to say anything"
    assert set(written) == committed  # none lost (and nothing written that was not committed)
    counts = {alert_id: written.count(alert_id) for alert_id in set(written)}
    twice = [alert_id for alert_id, n in counts.items() if n > 1]
    print(
        f"{ROUNDS} kills: {len(committed)} alerts committed, {len(written)} lines, {len(twice)} written twice"
    )
    # a repeat only from the window between a line going out and its mark: one per kill at most
    # (the same alert may be caught in that window by two kills in a row: it is then written thrice)
    extra = sum(n - 1 for n in counts.values())
    assert extra <= ROUNDS, {a: n for a, n in counts.items() if n > 1}


# --- SIGTERM in the middle of work ---------------------------------------------------------------


def test_sigterm_while_once_polls_ends_the_run_soon_and_saves_what_was_fetched(tmp_path: Path) -> None:
    from monitor.store import Store

    data = tmp_path / "data"
    with many_feeds_server(tmp_path) as port:
        config = write_many_feeds_config(tmp_path / "feeds.yaml", port, 40)
        with config.open("a") as fh:  # one feed that answers only after 25 s
            fh.write(f"  - name: slow\n    url: http://127.0.0.1:{port}/slow\n    interval: 60\n")
        proc = subprocess.Popen(
            watch_argv(config, data, "--once", "--catchup"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env(),
        )
        try:
            wait_for((tmp_path / "slow.asked").exists, 30, "the slow feed to be asked")
            time.sleep(2)  # the other 40 are long done
            proc.send_signal(signal.SIGTERM)
            started = time.monotonic()
            _, err = proc.communicate(timeout=40)
            took = time.monotonic() - started
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0, err
    no_traceback(err.decode())
    assert took < 8, f"SIGTERM took {took:.1f} s to end watch --once (a feed was still being fetched)"
    with Store.open(data, warn=lambda _m: None) as store:
        states = store.feed_states()
    assert len([s for s in states.values() if s.polls == 1 and s.last_success]) == 40
    assert "slow" not in states or states["slow"].polls == 0  # not polled: the next run does it


SYNC_RUNNER = """
import asyncio, os, signal, sys, time
from dataclasses import dataclass
from pathlib import Path
from monitor.config import FeedConfig, Limits, Settings
from monitor.pipeline import Pipeline
from monitor.store import Store

@dataclass(frozen=True)
class Change:
    incidents: tuple = (); forces: tuple = (); zones: tuple = (); alerts: tuple = ()

class Picture:
    def apply(self, events, *, now): return Change()
    def incidents(self): return []
    def forces(self): return []
    def zones(self): return []

class SlowRules:  # 20 ms an item, 2,000 items: 40 s of synchronous work
    seen = 0
    def classify(self, item):
        SlowRules.seen += 1
        if SlowRules.seen == 5:
            print("classifying", flush=True)
        time.sleep(0.02)
        return []

feeds = (FeedConfig(name="wire", url=sys.argv[2], interval=60),)
settings = Settings(feeds=feeds, limits=Limits(timeout_s=20, max_items=5000))
with Store.open(Path(sys.argv[1])) as store:
    pipe = Pipeline(settings, store, engine=SlowRules(), picture=Picture(), gather_s=0.05)
    report = asyncio.run(pipe.run([], once=True))
    print("report", report is not None, "classified", SlowRules.seen, flush=True)
with Store.open(Path(sys.argv[1])) as store:
    print("stored", len(store.feed_states()), flush=True)
"""


def test_sigterm_during_synchronous_work_is_honoured_at_the_next_item(tmp_path: Path) -> None:
    from tests.watch_support import FeedServer as ThreadedFeedServer

    with ThreadedFeedServer() as server:
        server.add(*(plain_item(f"g{n}", f"Report number {n} from the south") for n in range(2000)))
        proc = subprocess.Popen(
            [sys.executable, "-c", SYNC_RUNNER, str(tmp_path / "data"), server.url()],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env(),
        )
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline() == b"classifying\n"
            proc.send_signal(signal.SIGTERM)
            started = time.monotonic()
            out, err = proc.communicate(timeout=60)
            took = time.monotonic() - started
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0, err
    assert took < 5, f"SIGTERM took {took:.1f} s during classification"
    lines = out.decode().split("\n")
    assert lines[0].startswith("report False classified "), out
    assert int(lines[0].split()[-1]) < 500
    assert lines[1] == "stored 0"  # the abandoned cycle saved nothing, so the next run fetches again
    assert "not saved" in err.decode()


# --- scale ----------------------------------------------------------------------------------------

SCALE_FEEDS = int(os.environ.get("FAULT_SCALE_FEEDS", "2000"))


def test_two_thousand_feeds_in_one_once_run_finish_and_are_saved(tmp_path: Path) -> None:
    """Every body is past the in-thread limit, so all 2,000 parses go through the 2-worker pool."""
    from monitor.store import Store

    data = tmp_path / "data"
    with many_feeds_server(tmp_path) as port:
        config = write_many_feeds_config(tmp_path / "feeds.yaml", port, SCALE_FEEDS)
        started = time.monotonic()
        result = subprocess.run(
            watch_argv(config, data, "--once", "--catchup"),
            capture_output=True,
            text=True,
            env=env(),
            timeout=240,
            check=False,
        )
        took = time.monotonic() - started
    print(f"{SCALE_FEEDS} feeds in one watch --once: {took:.1f} s")
    assert result.returncode == 0, result.stderr[-2000:]
    no_traceback(result.stderr)
    assert "feed " not in result.stderr, result.stderr[-2000:]  # no feed failed (no spurious deadline)
    with Store.open(data, warn=lambda _m: None) as store:
        states = store.feed_states()
        assert len(states) == SCALE_FEEDS
        assert all(s.polls == 1 and s.consecutive_failures == 0 for s in states.values())
        # two items a feed; a headline several feeds share is one item with the others as sources
        assert sum(1 + len(item.sources) for item in store.items()) == 2 * SCALE_FEEDS


def test_the_schema_and_the_readme_agree_on_duplicate_ids() -> None:
    from monitor.sinks.alert_format import alert_schema

    words = alert_schema()["properties"]["id"]["description"]
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `id` |"))
    for text in (words, row):
        assert "never lost" in text and "twice" not in text.replace("again", "")
        assert "kill" in text and "dedupe" in text.lower().replace("drops repeated ids", "dedupe")
    assert "a few\nmilliseconds" in readme or "a few milliseconds" in readme
