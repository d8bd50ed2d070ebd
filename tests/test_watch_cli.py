"""``situation-room watch`` as a real process against a loopback feed server: timing, exactly once
across runs, crashes and pipes, the exec hook, exit codes, and hostile titles."""

from __future__ import annotations

import json
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from monitor.sinks.alert_format import alert_schema
from tests.watch_support import (
    FeedItem,
    FeedServer,
    WatchProcess,
    plain_item,
    run_once,
    wait_for,
    watch_argv,
    write_config,
)

pytestmark = pytest.mark.slow

# Wire-style headlines, each about a different place, so each makes its own incident and alert.
HEADLINES = [
    "Israeli airstrike kills 5 in Khan Younis despite ceasefire",
    "Israeli tank fire kills 3 in Jabalia in breach of the truce",
    "Israeli drone strike kills 2 in Rafah despite the ceasefire",
    "Israeli artillery shelling kills 4 in Deir al-Balah despite ceasefire",
]

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def config(tmp_path: Path, server: FeedServer) -> Path:
    return write_config(tmp_path / "feeds.yaml", server.url())


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def records(stdout: str) -> list[dict[str, object]]:
    """Every line parsed and validated against the documented schema."""
    out = []
    for line in stdout.splitlines():
        record = json.loads(line)
        jsonschema.validate(record, alert_schema())
        out.append(record)
    return out


def titles(recs: list[dict[str, object]]) -> list[str]:
    return [str(r["title"]) for r in recs]


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


def test_two_once_runs_the_second_emits_nothing(server: FeedServer, config: Path, data: Path) -> None:
    server.add(*(plain_item(f"g{i}", h) for i, h in enumerate(HEADLINES[:2])))
    first = run_once(config, data, "--interval", "1")
    assert first.returncode == 0, first.stderr
    recs = records(first.stdout)
    assert set(titles(recs)) == set(HEADLINES[:2])
    assert all(r["kind"] == "new" for r in recs)
    second = run_once(config, data, "--interval", "1")
    assert second.returncode == 0, second.stderr
    assert second.stdout == ""


def test_a_new_item_alerts_within_1_5_s(server: FeedServer, config: Path, data: Path) -> None:
    server.add(plain_item("g0", HEADLINES[0]))
    with WatchProcess(config, data, "--interval", "1", "--format", "jsonl") as watch:
        assert json.loads(watch.next_line(30))["title"] == HEADLINES[0]
        # The worst case: the item appears just after a poll, so it waits a whole interval.
        server.wait_for_poll(10)
        server.add(plain_item("g1", HEADLINES[1]))
        added = time.monotonic()
        line = watch.next_line(5)
        elapsed = time.monotonic() - added
        assert json.loads(line)["title"] == HEADLINES[1]
        assert elapsed < 1.5, f"alerted after {elapsed:.2f} s"
        assert watch.stop(signal.SIGTERM) == 0
        no_traceback(watch.stderr())


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sigterm_and_sigint_exit_0(server: FeedServer, config: Path, data: Path, signum: int) -> None:
    server.add(plain_item("g0", HEADLINES[0]))
    with WatchProcess(config, data, "--interval", "1") as watch:
        watch.next_line(30)
        assert watch.stop(signum) == 0
        no_traceback(watch.stderr())
    assert run_once(config, data, "--interval", "1").stdout == ""


def test_kill_9_between_cycles_then_restart_repeats_nothing_and_loses_nothing(
    server: FeedServer, config: Path, data: Path
) -> None:
    server.add(plain_item("g0", HEADLINES[0]), plain_item("g1", HEADLINES[1]))
    with WatchProcess(config, data, "--interval", "1") as watch:
        seen = {json.loads(watch.next_line(30))["title"], json.loads(watch.next_line(10))["title"]}
        time.sleep(0.3)
        watch.proc.kill()
        watch.proc.wait(10)
    assert seen == set(HEADLINES[:2])
    server.add(plain_item("g2", HEADLINES[2]))
    again = run_once(config, data, "--interval", "1")
    assert again.returncode == 0, again.stderr
    assert titles(records(again.stdout)) == [HEADLINES[2]]


def test_kill_9_with_alerts_committed_but_unread_loses_none(
    server: FeedServer, config: Path, data: Path
) -> None:
    server.add(*(plain_item(f"g{i}", h) for i, h in enumerate(HEADLINES)))
    proc = subprocess.Popen(
        watch_argv(config, data, "--interval", "1"), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert proc.stdout is not None
    try:
        # The first line is in the pipe: the cycle is committed, and watch waits for us to read it.
        readable, _, _ = select.select([proc.stdout], [], [], 30)
        assert readable
    finally:
        proc.kill()
        proc.wait(10)
        proc.stdout.close()
    again = run_once(config, data, "--interval", "1")
    assert sorted(titles(records(again.stdout))) == sorted(HEADLINES)
    assert run_once(config, data, "--interval", "1").stdout == ""


def test_sigterm_with_a_slow_reader_finishes_the_line_in_hand_and_leaves_the_rest(
    server: FeedServer, config: Path, data: Path
) -> None:
    server.add(*(plain_item(f"g{i}", h) for i, h in enumerate(HEADLINES)))
    proc = subprocess.Popen(
        watch_argv(config, data, "--interval", "1"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        readable, _, _ = select.select([proc.stdout], [], [], 30)
        assert readable  # one line is out, and watch waits for us to take it
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        written = titles(records(proc.stdout.read().decode()))
        no_traceback(proc.stderr.read().decode())
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()
    assert len(written) == 1
    rest = titles(records(run_once(config, data, "--interval", "1").stdout))
    assert sorted(written + rest) == sorted(HEADLINES)


@pytest.mark.parametrize("mode", [["--once"], []], ids=["once", "follow"])
def test_head_1_exits_quietly_and_the_rest_comes_next_run(
    server: FeedServer, config: Path, data: Path, mode: list[str]
) -> None:
    server.add(*(plain_item(f"g{i}", h) for i, h in enumerate(HEADLINES)))
    proc = subprocess.Popen(
        watch_argv(config, data, *mode, "--interval", "1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = json.loads(proc.stdout.readline())
    proc.stdout.close()  # like head -1: one line, then the pipe is gone
    assert proc.wait(30) == 0
    no_traceback(proc.stderr.read().decode())
    proc.stderr.close()
    rest = run_once(config, data, "--interval", "1")
    assert rest.returncode == 0, rest.stderr
    later = titles(records(rest.stdout))
    assert first["title"] not in later
    assert sorted([first["title"], *later]) == sorted(HEADLINES)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_exits_1_and_keeps_the_alerts(
    server: FeedServer, config: Path, data: Path
) -> None:
    server.add(plain_item("g0", HEADLINES[0]))
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            watch_argv(config, data, "--once", "--interval", "1"),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert "cannot write to stdout: No space left on device" in result.stderr
    no_traceback(result.stderr)
    assert titles(records(run_once(config, data, "--interval", "1").stdout)) == [HEADLINES[0]]


def test_follow_mode_notices_the_reader_left_between_alerts(
    server: FeedServer, config: Path, data: Path
) -> None:
    server.add(plain_item("g0", HEADLINES[0]))
    proc = subprocess.Popen(
        watch_argv(config, data, "--interval", "1"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    json.loads(proc.stdout.readline())
    proc.stdout.close()  # no further alert will come to fail a write: watch must notice by itself
    assert proc.wait(10) == 0
    no_traceback(proc.stderr.read().decode())
    proc.stderr.close()


def test_a_failing_exec_is_reported_and_retried_next_cycle(
    server: FeedServer, config: Path, data: Path, tmp_path: Path
) -> None:
    got = tmp_path / "hook"
    got.mkdir()
    gate = tmp_path / "gate"
    hook = (
        "import sys, pathlib, json;"
        "gate, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]);"
        "gate.exists() or sys.exit(4);"
        "a = json.load(sys.stdin); tmp = out.parent / 'hook.tmp'; tmp.write_text(json.dumps(a));"
        "tmp.replace(out / (a['id'] + '.json'))"
    )
    server.add(plain_item("g0", HEADLINES[0]))
    args = ("--interval", "1", "--exec", sys.executable, "-c", hook, str(gate), str(got))
    with WatchProcess(config, data, *args) as watch:
        alert = json.loads(watch.next_line(30))
        time.sleep(2.5)  # two or three cycles, each running the hook, which fails
        assert list(got.iterdir()) == []
        gate.touch()
        wait_for(lambda: any(got.iterdir()), 10, "the hook to succeed on a later cycle")
        assert [p.name for p in got.iterdir()] == [f"{alert['id']}.json"]
        assert json.loads((got / f"{alert['id']}.json").read_text()) == alert
        assert watch.stop() == 0
        err = watch.stderr()
    assert "exited with status 4" in err
    assert "retrying on the next cycle" in err
    no_traceback(err)


def test_exec_failure_in_once_mode_is_retried_by_the_next_run(
    server: FeedServer, config: Path, data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hook.jsonl"
    server.add(plain_item("g0", HEADLINES[0]))
    failing = run_once(config, data, "--interval", "1", "--exec", sys.executable, "-c", "raise SystemExit(9)")
    assert failing.returncode == 0
    assert len(records(failing.stdout)) == 1
    assert "exited with status 9" in failing.stderr
    append = f"import sys; open({str(out)!r}, 'a').write(sys.stdin.read()); print('hook output')"
    ok = run_once(config, data, "--interval", "1", "--exec", sys.executable, "-c", append)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == ""  # stdout already had it, and the hook's own output goes to stderr
    assert "hook output" in ok.stderr
    assert titles(records(out.read_text())) == [HEADLINES[0]]


def test_bad_config_exits_2(tmp_path: Path, data: Path) -> None:
    bad = tmp_path / "feeds.yaml"
    bad.write_text("feeds:\n  - name: x\n    url: http://127.0.0.1:9/f\n    interval: 5\n    colour: red\n")
    result = run_once(bad, data)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "feeds.yaml:4" in result.stderr and "interval" in result.stderr
    assert "colour" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--category", "weather"], "unknown category 'weather'"),
        (["--min-severity", "extreme"], "invalid choice"),
        (["--interval", "0"], "must be more than zero"),
        (["--since", "soon"], "not a duration"),
        (["--exec"], "--exec needs a command"),
    ],
)
def test_usage_errors_exit_2(config: Path, data: Path, args: list[str], message: str) -> None:
    result = run_once(config, data, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_locked_data_dir_exits_3(server: FeedServer, config: Path, data: Path) -> None:
    from monitor.store import Store

    server.add(plain_item("g0", HEADLINES[0]))
    store = Store.open(data)
    try:
        result = run_once(config, data, "--interval", "1")
    finally:
        store.close()
    assert result.returncode == 3
    assert str(data) in result.stderr
    assert result.stdout == ""
    assert titles(records(run_once(config, data, "--interval", "1").stdout)) == [HEADLINES[0]]


# Hostile titles as a feed carries them: character references, raw 8-bit CSI, bidi, newlines, markup.
HOSTILE = {
    "osc52": "Israeli airstrike kills 5 in Khan Younis despite ceasefire&#27;]52;c;ZWNobyBwd25lZA==&#7;",
    "osc8": "&#27;]8;;https://evil.example/&#27;\\Israeli tank fire kills 3 in Jabalia despite truce"
    "&#27;]8;;&#27;\\",
    "clear": "&#27;[2JIsraeli drone strike kills 2 in Rafah despite the ceasefire",
    "dsr": "Israeli artillery kills 4 in Deir al-Balah despite ceasefire&#27;[6n",
    "csi8": "Israeli airstrike kills 6 in Gaza City \u009b31m despite ceasefire",
    "rlo": "Israeli airstrike kills 7 in southern Lebanon \u202edespite ceasefire\u202c",
    "newline": "Israeli airstrike kills 8 in Beirut despite ceasefire&#10;"
    "{&quot;v&quot;:1,&quot;id&quot;:&quot;x&quot;}",
    "markup": "[bold]Israeli airstrike kills 9 in the Bekaa Valley despite ceasefire[/bold]",
}


@pytest.mark.parametrize("fmt", ["jsonl", "text"])
def test_hostile_titles_give_valid_single_escape_free_lines(
    server: FeedServer, config: Path, data: Path, fmt: str
) -> None:
    now = datetime.now(UTC)
    server.add(*(FeedItem(key, title, now, f"https://news.example/{key}") for key, title in HOSTILE.items()))
    result = run_once(config, data, "--interval", "1", "--format", fmt)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines(keepends=True)
    assert len(lines) == len(HOSTILE), result.stdout + result.stderr  # one incident per place
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    for line in lines:
        assert not UNSAFE.search(line[:-1]), repr(line)
    if fmt == "jsonl":
        recs = records(result.stdout)
        assert all(not UNSAFE.search(str(r["title"])) for r in recs)
        assert not any("ZWNob" in str(r["title"]) or "evil.example" in str(r["title"]) for r in recs)
        assert any(str(r["title"]).startswith("[bold]") for r in recs)
    else:
        assert all("despite" in line or "truce" in line for line in lines)


def test_catchup_marks_current_items_seen_then_only_new_ones_alert(
    server: FeedServer, config: Path, data: Path
) -> None:
    server.add(plain_item("g0", HEADLINES[0]), plain_item("g1", HEADLINES[1]))
    caught = run_once(config, data, "--interval", "1", "--catchup")
    assert caught.returncode == 0, caught.stderr
    assert caught.stdout == ""
    assert "catch-up marked" in caught.stderr
    server.add(plain_item("g2", HEADLINES[2]))
    assert titles(records(run_once(config, data, "--interval", "1").stdout)) == [HEADLINES[2]]


def test_first_run_alerts_only_on_items_newer_than_since(
    server: FeedServer, config: Path, data: Path, tmp_path: Path
) -> None:
    old = datetime.now(UTC) - timedelta(days=3)
    server.add(plain_item("old", HEADLINES[0], old), plain_item("new", HEADLINES[1]))
    default = run_once(config, data, "--interval", "1")
    assert titles(records(default.stdout)) == [HEADLINES[1]]
    wider = run_once(config, tmp_path / "data2", "--interval", "1", "--since", "7d")
    assert set(titles(records(wider.stdout))) == set(HEADLINES[:2])


def test_filters_mark_filtered_alerts_handled(server: FeedServer, config: Path, data: Path) -> None:
    server.add(plain_item("g0", HEADLINES[0]), plain_item("g2", HEADLINES[2]))
    only_rafah = run_once(
        config, data, "--interval", "1", "--zone", "rafah", "--category", "ceasefire_violation"
    )
    assert titles(records(only_rafah.stdout)) == [HEADLINES[2]]
    # the Khan Younis alert was judged by this sink already: it does not come back without the filter
    assert run_once(config, data, "--interval", "1").stdout == ""


def test_fail_on_feed_errors(server: FeedServer, tmp_path: Path, data: Path) -> None:
    config = write_config(tmp_path / "feeds.yaml", server.url(), server.url("/broken"))
    server.add(plain_item("g0", HEADLINES[0]))
    lenient = run_once(config, data, "--interval", "1")
    assert lenient.returncode == 0
    assert "wire-1" in lenient.stderr
    strict = run_once(config, tmp_path / "data2", "--interval", "1", "--fail-on-feed-errors")
    assert strict.returncode == 1
    assert len(records(strict.stdout)) == 1


def test_fail_on_feed_errors_counts_a_feed_still_in_its_backoff(
    server: FeedServer, tmp_path: Path, data: Path
) -> None:
    # A cron job of --once runs: the second run finds the broken feed waiting out its backoff (not
    # polled), which is still a failing feed, not a clean run.
    config = write_config(tmp_path / "feeds.yaml", server.url(), server.url("/broken"))
    first = run_once(config, data, "--fail-on-feed-errors")
    assert first.returncode == 1, first.stderr
    second = run_once(config, data, "--fail-on-feed-errors")
    assert second.returncode == 1, second.stderr
    assert "feed wire-1: still failing (1x, next try" in second.stderr
    no_traceback(second.stderr)


def test_no_enabled_feeds_is_said_on_stderr(tmp_path: Path, data: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds: []\n", encoding="utf-8")
    proc = run_once(config, data)
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert "no enabled feeds in " in proc.stderr
    no_traceback(proc.stderr)


def test_text_is_the_default_on_a_terminal(server: FeedServer, config: Path, data: Path) -> None:
    import os
    import pty

    server.add(plain_item("g0", HEADLINES[0]))
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            watch_argv(config, data, "--once", "--interval", "1"),
            stdout=follower,
            stderr=subprocess.PIPE,
        )
        os.close(follower)
        chunks = []
        wait_for(lambda: proc.poll() is not None, 60, "watch --once on a terminal")
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    assert proc.returncode == 0
    assert proc.stderr is not None
    proc.stderr.close()
    (line,) = b"".join(chunks).decode().splitlines()
    assert HEADLINES[0] in line and not line.startswith("{")
    assert " HIGH " in line or " CRITICAL " in line or " MEDIUM " in line or " LOW " in line


def test_demo_runs_the_scenario_through_the_pipeline_and_ends(tmp_path: Path) -> None:
    data = tmp_path / "demo-data"
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--data-dir", str(data), "watch", "--demo", "--speed", "40"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    no_traceback(result.stderr)
    recs = records(result.stdout)
    assert {"new", "update", "force_change", "zone_change"} <= {r["kind"] for r in recs}
    assert len({r["id"] for r in recs}) == len(recs)
    # everything was written once: nothing is left pending in the demo's store
    from monitor.store import Store

    with Store.open(data) as store:
        assert store.pending_alerts("watch") == []
