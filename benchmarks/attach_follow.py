"""Benchmark: how soon an attached app sees a commit, and what following costs, beside re-reading.

    python benchmarks/attach_follow.py [--sizes 10000,100000] [--cycles 10]

A store is filled as in store_read.py; then a writer (a thread holding the store, as watch would)
commits one ordinary cycle every second while an ``AttachedStore`` polls at the app's cadence
(``FOLLOW_EVERY_S``). Figures: latency from ``commit`` returning to ``poll`` handing the cycle over;
the cost of a poll that finds nothing and of one that finds a commit. The baseline is following by
re-reading: a fresh ``StoreReader`` and all its incidents after each commit (what an app that
re-opened the export path would pay).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from store_read import fill
from store_write import Clock, make_cycle, quiet

from monitor.app.attach import FOLLOW_EVERY_S
from monitor.models import utcnow
from monitor.store import Store, StoreReader
from monitor.store.follow import AttachedStore


def measure(data: Path, cycles: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"latency": [], "idle": [], "found": [], "reread": []}
    committed: dict[int, float] = {}
    store = Store.open(data, warn=quiet)
    view = AttachedStore(data, warn=quiet)
    done = threading.Event()

    def writer() -> None:
        for n in range(cycles):
            time.sleep(1.0)
            batch = make_cycle(100_000 + n, utcnow())
            store.commit(batch)
            committed[store.commits] = time.perf_counter()
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while not (done.is_set() and view.commits == store.commits):
            t = time.perf_counter()
            followed = view.poll()
            cost = time.perf_counter() - t
            if followed is None:
                out["idle"].append(cost)
            else:
                out["found"].append(cost)
                out["latency"].append(time.perf_counter() - committed.get(view.commits or 0, t))
                t = time.perf_counter()
                reader = StoreReader.open(data, retention_days=30, warn=quiet)
                reader.incidents(), reader.alerts(), reader.feed_states()
                out["reread"].append(time.perf_counter() - t)
            time.sleep(FOLLOW_EVERY_S)
    finally:
        thread.join()
        store.close()
    return out


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} / {max(values) * 1000:7.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="stored items to measure at")
    parser.add_argument("--cycles", type=int, default=10, help="commits to follow per size")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="attach-bench-"))
    try:
        print("median / max, ms")
        print(
            f"{'stored items':>12} {'commit->seen':>17} {'idle poll':>17} {'poll w/ commit':>17}"
            f" {'re-read (base)':>17}"
        )
        for stored in (int(s) for s in args.sizes.split(",")):
            data = root / f"store-{stored}"
            t = time.perf_counter()
            fill(data, stored, Clock())
            print(f"filled {stored} stored items in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            got = measure(data, args.cycles)
            print(
                f"{stored:>12,} {ms(got['latency']):>17} {ms(got['idle']):>17} {ms(got['found']):>17}"
                f" {ms(got['reread']):>17}"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
