"""Benchmark: what an export's read of the store costs with the lockless StoreReader, beside Store.open.

    python benchmarks/store_read.py [--dir DIR] [--sizes 10000,100000]

The stores are filled as in store_write.py (cycles of 200 items + 200 events + 200 feed states over
the last 25 days), each cycle also upserting 4 incidents (2 new, 2 updated), a force and a zone.
A read = open, then everything `export` takes: incidents, forces, zones, feed states. The baseline
is the same read through Store.open (lock, recovery checks, seen ledger), as export did before.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from store_write import ITEMS_PER_CYCLE, NOW, Clock, make_cycle, quiet

from monitor.models import Category, ForceEntry, Incident, Severity, ZoneEntry
from monitor.store import Store, StoreReader

REPEATS = 5


def fill(data: Path, stored: int, clock: Clock) -> int:
    """Commit ``stored`` items in ordinary cycles over the last 25 days; returns the incidents stored."""
    cycles = stored // ITEMS_PER_CYCLE
    step = timedelta(days=25) / max(cycles, 1)
    with Store.open(data, now=clock, warn=quiet) as store:
        for n in range(cycles):
            clock.at = NOW - timedelta(days=25) + step * n
            batch = make_cycle(n, clock.at)
            batch.incidents = [
                Incident(
                    id=f"inc-{m}",
                    category=Category.CEASEFIRE_VIOLATION,
                    severity=Severity.HIGH,
                    status="reported",
                    title=f"Shelling near Khan Younis, report {n}",
                    zone="khan_younis",
                    first_seen=clock.at,
                    last_seen=clock.at,
                )
                for m in (2 * n, 2 * n + 1, max(2 * n - 1, 0), max(2 * n - 2, 0))
            ]
            batch.forces = [ForceEntry(contributor="Indonesia", status="in_talks", last_change=clock.at)]
            batch.zones = [ZoneEntry(zone="khan_younis", count_7d=n)]
            store.commit(batch)
    return 2 * cycles


def read_with_store(data: Path) -> int:
    with Store.open(data, now=lambda: NOW, warn=quiet) as store:
        found = store.incidents()
        store.forces(), store.zones(), store.feed_states()
    return len(found)


def read_with_reader(data: Path) -> int:
    reader = StoreReader.open(data, retention_days=30, now=lambda: NOW, warn=quiet)
    found = reader.incidents()
    reader.forces(), reader.zones(), reader.feed_states()
    return len(found)


def best_of(read: Callable[[Path], int], data: Path, expected: int) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        t = time.perf_counter()
        found = read(data)
        best = min(best, time.perf_counter() - t)
        assert found == expected, (found, expected)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--dir", type=Path, default=None, help="where to build the stores (default: temp dir)"
    )
    parser.add_argument("--sizes", default="10000,100000", help="stored items to measure at")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="store-read-bench-", dir=args.dir))
    try:
        print(
            f"{'stored items':>12} {'incidents':>10} {'Store.open read':>16}"
            f" {'StoreReader read':>17} {'ratio':>6}"
        )
        for stored in (int(s) for s in args.sizes.split(",")):
            data = root / f"store-{stored}"
            t = time.perf_counter()
            incidents = fill(data, stored, Clock())
            print(f"filled {stored} stored items in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            locked = best_of(read_with_store, data, incidents)
            lockless = best_of(read_with_reader, data, incidents)
            print(
                f"{stored:>12,} {incidents:>10,} {locked * 1000:>13.0f} ms {lockless * 1000:>14.0f} ms"
                f" {locked / lockless:>5.1f}x"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
