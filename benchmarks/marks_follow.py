"""Benchmark: following marks.log (acks and mutes from other processes) beside re-reading it whole.

    python benchmarks/marks_follow.py [--sizes 1000,100000] [--marks 20]

A marks log is filled with N lines (one acknowledgement each, as attached viewers write them);
then a second process appends one mark every 0.3 s while this one follows the log at the app's
cadence (``MARKS_EVERY_S``). Figures: latency from the other process's append returning to the
follower seeing it; the cost of a look that finds nothing (one ``stat``) and of one that finds a
new line (only the appended bytes are read). The baseline is what the log cost before it was
followed: re-reading and replaying the whole file after every change. Last, what the writer pays
to compact the log once it has folded it into ``state.json`` (``MarksLog.compact``, under its lock).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from monitor.app.live_marks import MARKS_EVERY_S
from monitor.store.marks import MARKS_LOG, MarksLog, replay

APPENDER = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from monitor.store.marks import MarksLog
log = MarksLog(Path(sys.argv[1]))
for n in range(int(sys.argv[2])):
    time.sleep(0.3)
    log.append("ack", [f"inc-new-{n}"], on=True, now=datetime.now(UTC))
    print(n, time.time(), flush=True)
"""


def fill(data: Path, lines: int) -> None:
    log = MarksLog(data)
    log.append("ack", ["inc-0"], on=True, now=datetime.now(UTC))  # the header, written as usual
    at = datetime.now(UTC).isoformat()
    with open(data / MARKS_LOG, "ab") as fh:
        fh.writelines(
            f'{{"k":"ack","i":["inc-{n}"],"on":true,"at":"{at}"}}\n'.encode("ascii") for n in range(1, lines)
        )


def measure(data: Path, marks: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"latency": [], "idle": [], "found": [], "bytes": [], "replay": []}
    log = MarksLog(data)
    log.refresh()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    with subprocess.Popen(
        [sys.executable, "-c", APPENDER, str(data), str(marks)], stdout=subprocess.PIPE, text=True, env=env
    ) as proc:
        assert proc.stdout is not None
        seen = 0
        while seen < marks:
            version, read = log.version, log.bytes_read
            t = time.perf_counter()
            log.refresh()
            cost = time.perf_counter() - t
            if log.version == version:
                out["idle"].append(cost)
            else:
                now = time.time()
                out["found"].append(cost)
                out["bytes"].append(log.bytes_read - read)
                for _ in range(sum(1 for k in log.read().acks if k.startswith("inc-new-")) - seen):
                    _n, appended = proc.stdout.readline().split()
                    out["latency"].append(now - float(appended))
                    seen += 1
            time.sleep(MARKS_EVERY_S)
        proc.wait()
    for _ in range(5):  # the baseline, measured apart so it does not delay the looks above
        t = time.perf_counter()
        replay((data / MARKS_LOG).read_bytes())
        out["replay"].append(time.perf_counter() - t)
    return out


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.2f} / {max(values) * 1000:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,100000", help="lines in the log to measure at")
    parser.add_argument("--marks", type=int, default=20, help="marks the other process appends per size")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="marks-bench-"))
    try:
        print("median / max, ms (bytes: median read per look that found a mark)")
        print(
            f"{'log lines':>10} {'append->seen':>15} {'idle look':>13} {'look w/ mark':>13} {'bytes':>6}"
            f" {'re-read (base)':>15} {'compact':>8}"
        )
        for lines in (int(s) for s in args.sizes.split(",")):
            data = root / f"log-{lines}"
            data.mkdir()
            fill(data, lines)
            got = measure(data, args.marks)
            log = MarksLog(data)
            fold = log.fold_point()
            t = time.perf_counter()
            log.compact(fold)
            compact = time.perf_counter() - t
            print(
                f"{lines:>10,} {ms(got['latency']):>15} {ms(got['idle']):>13} {ms(got['found']):>13}"
                f" {statistics.median(got['bytes']):>6.0f} {ms(got['replay']):>15} {compact * 1000:>8.1f}"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
