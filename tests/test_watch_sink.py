"""The watch and exec sinks on real files, pipes and processes: exactly once, in order, retried."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from monitor.models import Alert, Category, Severity
from monitor.sinks.alert_filter import AlertFilter
from monitor.sinks.exec_hook import EXEC_SINK, ExecSink
from monitor.sinks.output import LineOutput, OutputClosed
from monitor.sinks.watch import WATCH_SINK, WatchSink, default_format
from monitor.store import Batch, Store
from tests.test_watch_format import T0, make_alert


class Ledger:
    """A real store in a tmp dir, with the marks each sink made recorded for the tests to check."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.marks: list[tuple[str, list[str]]] = []
        self.syncs = 0

    def add(self, *alerts: Alert) -> None:
        self.store.commit(Batch(alerts=list(alerts), sinks=(WATCH_SINK, EXEC_SINK)))

    def pending_alerts(self, sink: str) -> list[Alert]:
        return self.store.pending_alerts(sink)

    def pending(self, sink: str) -> set[str]:
        return {a.id for a in self.store.pending_alerts(sink)}

    def mark_emitted(self, sink: str, alert_ids: Sequence[str], *, sync: bool = True) -> None:
        self.marks.append((sink, list(alert_ids)))
        self.store.mark_emitted(sink, alert_ids, sync=sync)

    def sync_marks(self) -> None:
        self.syncs += 1
        self.store.sync_marks()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def make_ledger(store: Store) -> Callable[[Sequence[Alert]], Ledger]:
    def make(alerts: Sequence[Alert]) -> Ledger:
        ledger = Ledger(store)
        ledger.add(*alerts)
        return ledger

    return make


LedgerFactory = Callable[[Sequence[Alert]], Ledger]


def alerts(n: int) -> list[Alert]:
    # ids in reverse of time order, to show the sink orders by time, not by id
    return [make_alert(id=f"z{9 - i}", ts=T0.replace(minute=i)) for i in range(n)]


def ids_in(lines: Sequence[str]) -> list[str]:
    return [json.loads(line)["id"] for line in lines]


async def test_writes_pending_in_time_order_and_marks_each_after_writing(
    make_ledger: LedgerFactory, tmp_path: Path
) -> None:
    ledger = make_ledger(alerts(3))
    out = tmp_path / "out.jsonl"
    with out.open("wb") as stream:
        sink = WatchSink(ledger, LineOutput(stream))
        await sink.deliver(object())
        await sink.deliver(object())  # nothing left: nothing repeated
    assert ids_in(out.read_text().splitlines()) == ["z9", "z8", "z7"]
    assert ledger.marks == [(WATCH_SINK, ["z9"]), (WATCH_SINK, ["z8"]), (WATCH_SINK, ["z7"])]
    assert ledger.pending(WATCH_SINK) == set()
    assert ledger.pending(EXEC_SINK) == {"z9", "z8", "z7"}
    assert sink.handled == 3


async def test_a_burst_of_alerts_is_synced_to_disk_once_and_its_marks_outlive_the_store(
    make_ledger: LedgerFactory, store: Store, tmp_path: Path
) -> None:
    ledger = make_ledger(alerts(5))
    out = tmp_path / "out.jsonl"
    with out.open("wb") as stream:
        await WatchSink(ledger, LineOutput(stream)).deliver(object())
    assert len(ledger.marks) == 5  # each line marked as it went out...
    assert ledger.syncs == 1  # ...and the journal synced once for the burst, not once per line
    journal = (store.data_dir / "emitted.journal").read_text().splitlines()
    assert [json.loads(line)["i"] for line in journal] == [[i] for i in ["z9", "z8", "z7", "z6", "z5"]]
    store.close()  # the marks are in the journal: a new process sees none of them pending
    with Store.open(store.data_dir) as again:
        assert {a.id for a in again.pending_alerts(WATCH_SINK)} == set()


async def test_text_format(make_ledger: LedgerFactory, tmp_path: Path) -> None:
    ledger = make_ledger([make_alert()])
    out = tmp_path / "out.txt"
    with out.open("wb") as stream:
        await WatchSink(ledger, LineOutput(stream), fmt="text").deliver(object())
    (line,) = out.read_text().splitlines()
    assert line.startswith("2026-11-20 09:30Z HIGH")


async def test_filtered_alerts_are_marked_handled_without_being_written(
    make_ledger: LedgerFactory, tmp_path: Path
) -> None:
    keep = make_alert(id="keep", severity=Severity.CRITICAL)
    low = make_alert(id="low", severity=Severity.LOW)
    other = make_alert(id="uxo", category=Category.UXO, severity=Severity.CRITICAL)
    ledger = make_ledger([keep, low, other])
    flt = AlertFilter.build(min_severity=Severity.HIGH, categories=[Category.CEASEFIRE_VIOLATION])
    out = tmp_path / "out.jsonl"
    with out.open("wb") as stream:
        sink = WatchSink(ledger, LineOutput(stream), alert_filter=flt)
        await sink.deliver(object())
    assert ids_in(out.read_text().splitlines()) == ["keep"]
    assert ledger.pending(WATCH_SINK) == set()
    assert (sink.handled, sink.skipped) == (1, 2)


async def test_catchup_marks_the_first_cycle_seen_then_writes_new_ones(
    make_ledger: LedgerFactory, tmp_path: Path
) -> None:
    ledger = make_ledger(alerts(2))
    warnings: list[str] = []
    out = tmp_path / "out.jsonl"
    with out.open("wb") as stream:
        sink = WatchSink(ledger, LineOutput(stream), catchup=True, warn=warnings.append)
        await sink.emit_pending()  # start-up
        await sink.deliver(object())  # first cycle
        assert out.read_text() == ""
        later = make_alert(id="later", ts=T0.replace(hour=12))
        ledger.add(later)
        await sink.deliver(object())
    assert ids_in(out.read_text().splitlines()) == ["later"]
    assert any("catch-up marked 2 alert(s)" in w for w in warnings)


async def test_after_stop_no_further_alert_is_started(make_ledger: LedgerFactory, tmp_path: Path) -> None:
    ledger = make_ledger(alerts(2))
    stop = asyncio.Event()
    stop.set()
    out = tmp_path / "out.jsonl"
    with out.open("wb") as stream:
        await WatchSink(ledger, LineOutput(stream), stop=stop).deliver(object())
        await ExecSink(ledger, hook("pass"), stop=stop).deliver(object())
    assert out.read_text() == ""
    assert ledger.pending(WATCH_SINK) == ledger.pending(EXEC_SINK) == {"z9", "z8"}


async def test_a_closed_reader_stops_the_sink_and_leaves_the_rest_pending(make_ledger: LedgerFactory) -> None:
    ledger = make_ledger(alerts(3))
    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    stop = asyncio.Event()
    with os.fdopen(write_fd, "wb") as stream:
        sink = WatchSink(ledger, LineOutput(stream), stop=stop)
        await sink.deliver(object())
        assert sink.closed and stop.is_set()
        await sink.deliver(object())
        # the unwritten line is still in the buffer; drop it so closing does not raise
        stream.flush = lambda: None  # type: ignore[method-assign]
    assert ledger.marks == []
    assert ledger.pending(WATCH_SINK) == {"z9", "z8", "z7"}


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
async def test_a_write_error_is_a_reported_failure_not_a_quiet_exit(make_ledger: LedgerFactory) -> None:
    ledger = make_ledger(alerts(2))
    warnings: list[str] = []
    stop = asyncio.Event()
    with open("/dev/full", "wb", buffering=0) as full:
        sink = WatchSink(ledger, LineOutput(full), stop=stop, warn=warnings.append)
        await sink.deliver(object())
    assert sink.closed and stop.is_set()
    assert sink.failure is not None and "No space left on device" in sink.failure
    assert warnings == [sink.failure]
    assert ledger.pending(WATCH_SINK) == {"z9", "z8"}


async def test_on_a_pipe_a_line_counts_only_once_the_reader_took_it() -> None:
    read_fd, write_fd = os.pipe()
    with os.fdopen(write_fd, "wb") as stream, os.fdopen(read_fd, "rb", buffering=0) as reader:
        output = LineOutput(stream)
        assert output.wait_for_reader
        write = asyncio.ensure_future(output.write_line(b"one\n"))
        await asyncio.sleep(0.05)
        assert not write.done()  # flushed, but still in the pipe
        assert reader.read(4) == b"one\n"
        await asyncio.wait_for(write, 2)
        write = asyncio.ensure_future(output.write_line(b"two\n"))
        await asyncio.sleep(0.05)
        reader.close()  # the reader leaves without taking "two"
        with pytest.raises(OutputClosed):
            await asyncio.wait_for(write, 2)
        stream.flush = lambda: None  # type: ignore[method-assign]


async def test_stop_ends_the_wait_for_a_reader() -> None:
    read_fd, write_fd = os.pipe()
    stop = asyncio.Event()
    with os.fdopen(write_fd, "wb") as stream, os.fdopen(read_fd, "rb"):
        write = asyncio.ensure_future(LineOutput(stream).write_line(b"x\n", stop=stop))
        await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(write, 2)


def test_default_format(tmp_path: Path) -> None:
    with (tmp_path / "f").open("wb") as stream:
        assert default_format(stream) == "jsonl"
        assert LineOutput(stream).wait_for_reader is False


# --- exec hook ------------------------------------------------------------------------------

RECORD_HOOK = (
    "import sys, pathlib; pathlib.Path(sys.argv[1], sys.argv[2]).write_bytes(sys.stdin.buffer.read())"
)


def hook(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


async def test_exec_runs_the_command_per_alert_with_its_json_on_stdin(
    make_ledger: LedgerFactory, tmp_path: Path
) -> None:
    ledger = make_ledger(alerts(2))
    # one file per run, named by a counter the hook keeps itself
    code = (
        "import sys, pathlib; d = pathlib.Path(sys.argv[1]); n = len(list(d.iterdir()));"
        "(d / f'{{n}}.json').write_bytes(sys.stdin.buffer.read()); print('hook says hi')"
    )
    runs_dir = tmp_path / "runs"
    runs_dir.mkdir()
    sink = ExecSink(ledger, hook(code, str(runs_dir)), timeout_s=20)
    await sink.deliver(object())
    runs = [json.loads((runs_dir / f"{i}.json").read_text()) for i in range(2)]
    assert [r["id"] for r in runs] == ["z9", "z8"]
    assert all(r["v"] == 1 for r in runs)
    assert ledger.pending(EXEC_SINK) == set() and ledger.pending(WATCH_SINK) == {"z9", "z8"}


async def test_a_failing_exec_is_reported_and_retried_next_cycle_in_order(
    make_ledger: LedgerFactory, tmp_path: Path
) -> None:
    ledger = make_ledger(alerts(2))
    gate = tmp_path / "gate"
    code = (
        "import sys, pathlib; g = pathlib.Path(sys.argv[1]);"
        "sys.exit(0) if g.exists() else (sys.stderr.write('hook down\\n'), sys.exit(7))"
    )
    warnings: list[str] = []
    sink = ExecSink(ledger, hook(code, str(gate)), timeout_s=20, warn=warnings.append)
    await sink.deliver(object())
    assert ledger.pending(EXEC_SINK) == {"z9", "z8"}
    assert sink.failures == 1  # stopped at the first failure, order kept
    assert any("exited with status 7 for alert z9" in w for w in warnings)
    assert any("2 alert(s) left pending" in w for w in warnings)
    gate.touch()
    await sink.deliver(object())
    assert ledger.pending(EXEC_SINK) == set()
    assert [m for m in ledger.marks if m[0] == EXEC_SINK] == [(EXEC_SINK, ["z9"]), (EXEC_SINK, ["z8"])]


async def test_exec_timeout_and_missing_command_are_failures(
    make_ledger: LedgerFactory, tmp_path: Path
) -> None:
    ledger = make_ledger(alerts(1))
    warnings: list[str] = []
    slow = ExecSink(ledger, hook("import time; time.sleep(30)"), timeout_s=0.5, warn=warnings.append)
    await slow.deliver(object())
    missing = ExecSink(ledger, [str(tmp_path / "no-such-command")], warn=warnings.append)
    await missing.deliver(object())
    assert ledger.pending(EXEC_SINK) == {"z9"}
    assert any("timed out after 0.5 s" in w for w in warnings)
    assert any("could not start" in w for w in warnings)


async def test_exec_ignoring_stdin_still_counts_by_exit_status(
    make_ledger: LedgerFactory, tmp_path: Path
) -> None:
    ledger = make_ledger(alerts(1))
    await ExecSink(ledger, hook("pass")).deliver(object())
    assert ledger.pending(EXEC_SINK) == set()


def test_exec_needs_a_command(make_ledger: LedgerFactory) -> None:
    with pytest.raises(ValueError, match="needs a command"):
        ExecSink(make_ledger([]), [])
