"""Watch: how fast a backlog of pending alerts goes out, to a file and through a pipe.

On a pipe, watch waits after each line until the reader has taken it (so ``| head -1`` loses
nothing); on a file, a flushed line is done. The baseline is the same sink writing to a file, in the
same run; a third figure shows the cost of the per-alert durable mark alone (no output at all).

    .venv/bin/python benchmarks/watch_emit.py [--alerts 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.models import Alert, Category, Entities, Severity
from monitor.sinks.alert_filter import AlertFilter
from monitor.sinks.output import LineOutput
from monitor.sinks.watch import WATCH_SINK, WatchSink
from monitor.store import Batch, Store


def backlog(n: int) -> list[Alert]:
    t0 = datetime(2026, 11, 20, tzinfo=UTC)
    return [
        Alert(
            id=f"a{i:06d}",
            ts=t0 + timedelta(seconds=i),
            kind="new",
            category=Category.CEASEFIRE_VIOLATION,
            severity=Severity.HIGH,
            title=f"Shelling reported near crossing {i} despite the truce",
            link=f"https://news.example/{i}",
            feed="wire",
            published=t0,
            sources=2,
            status="corroborated",
            entities=Entities(places=("Rafah",), zones=("Rafah",)),
        )
        for i in range(n)
    ]


def drain(fd: int) -> None:
    while os.read(fd, 65536):
        pass


async def emit(store: Store, output: LineOutput, flt: AlertFilter) -> float:
    sink = WatchSink(store, output, alert_filter=flt)
    start = time.perf_counter()
    await sink.emit_pending()
    return time.perf_counter() - start


def run(kind: str, n: int, root: Path) -> float:
    with Store.open(root / kind) as store:
        store.commit(Batch(alerts=backlog(n), sinks=(WATCH_SINK,)))
        if kind == "file":
            with (root / "out.jsonl").open("wb") as stream:
                return asyncio.run(emit(store, LineOutput(stream), AlertFilter()))
        if kind == "filtered":  # every alert filtered out: one durable mark for all, no output
            with open(os.devnull, "wb") as devnull:
                return asyncio.run(emit(store, LineOutput(devnull), AlertFilter.build(zones=["nowhere"])))
        read_fd, write_fd = os.pipe()
        reader = threading.Thread(target=drain, args=(read_fd,))
        reader.start()
        with os.fdopen(write_fd, "wb") as stream:
            elapsed = asyncio.run(emit(store, LineOutput(stream), AlertFilter()))
        reader.join()
        os.close(read_fd)
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=2000)
    n = parser.parse_args().alerts
    with tempfile.TemporaryDirectory() as tmp:
        figures = {kind: run(kind, n, Path(tmp)) for kind in ("file", "pipe", "filtered")}
    base = figures["file"]
    for kind, label in (
        ("file", "to a file (baseline)"),
        ("pipe", "through a pipe, waiting for the reader"),
        ("filtered", "all filtered out (one mark, no output)"),
    ):
        secs = figures[kind]
        print(f"watch: {n} alerts {label:<40} {secs:6.2f} s = {n / secs:9,.0f} alerts/s (x{base / secs:.2f})")


if __name__ == "__main__":
    main()
