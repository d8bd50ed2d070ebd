"""Benchmark: what one poll cycle costs the store as history grows, beside naive one-insert-per-item TinyDB.

    python benchmarks/store_write.py [--dir DIR] [--sizes 1000,10000,100000] [--cycles 20]

One cycle = 200 new items + one event each + feed states for 200 feeds, committed with
Store.commit. Stored items are spread over the last 25 days, as a month of polling leaves them.
Then two warm-cycle rows on the smallest store: 200 feeds all answering 304 (only their poll
bookkeeping changes), and 200 feed states handed back unchanged.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tinydb import Query, TinyDB

from monitor.models import Category, Entities, Event, FeedState, Item, Severity
from monitor.store import Batch, Store

FEEDS = 200
ITEMS_PER_CYCLE = 200
NAIVE_CAP = 10_000
NAIVE_SAMPLE = 20
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
SUMMARY = (
    "Residents reported artillery fire east of the city overnight, the civil defence said, while "
    "mediators met in Cairo to discuss the second phase of the truce and the deployment of a "
    "stabilisation force. Aid convoys waited at the crossing for a third day. "
) * 2


class Clock:
    def __init__(self) -> None:
        self.at = NOW

    def __call__(self) -> datetime:
        return self.at


def make_cycle(serial: int, at: datetime) -> Batch:
    items = [
        Item(
            id=f"https://news.example.org/articles/{serial}-{j}",
            feed=f"feed-{j % FEEDS:03d}",
            title=f"Shelling reported near Khan Younis as talks resume, report {serial}-{j}",
            summary=SUMMARY,
            link=f"https://news.example.org/articles/{serial}-{j}",
            published=at - timedelta(minutes=j % 60),
            published_raw="Tue, 24 Nov 2026 11:00:00 GMT",
            fetched_at=at,
            content_hash=f"{serial:08d}{j:04d}" + "0" * 28,
        )
        for j in range(ITEMS_PER_CYCLE)
    ]
    events = [
        Event(
            item_key=i.key,
            feed=i.feed,
            category=Category.CEASEFIRE_VIOLATION,
            severity=Severity.HIGH,
            rule="violation.shelling",
            status="reported",
            matched="Residents reported artillery fire east of the city overnight, the civil defence said",
            span=(0, 84),
            entities=Entities(countries=("Israel",), places=("Khan Younis",), zones=("khan_younis",)),
            detail={"weapon": "artillery"},
            published=i.published,
            title=i.title,
            link=i.link,
        )
        for i in items
    ]
    states = {
        f"feed-{n:03d}": FeedState(
            url=f"https://news.example.org/feeds/{n}.xml",
            etag=f'W/"{serial}-{n}"',
            last_status=200,
            last_attempt=at,
            last_success=at,
            polls=serial,
            items_seen=serial,
            mean_gap_s=600.0,
        )
        for n in range(FEEDS)
    }
    return Batch(feed_states=states, items=items, events=events)


def quiet(_message: str) -> None:
    return None


def fill(data: Path, stored: int, clock: Clock) -> None:
    """Commit ``stored`` items in ordinary cycles, spread over the last 25 days."""
    cycles = stored // ITEMS_PER_CYCLE
    start = NOW - timedelta(days=25)
    step = timedelta(days=25) / max(cycles, 1)
    with Store.open(data, now=clock, warn=quiet) as store:
        for n in range(cycles):
            clock.at = start + step * n
            store.commit(make_cycle(n, clock.at))


def measure_open(data: Path, clock: Clock) -> float:
    """Best of three opens (lock, recovery checks, state and seen ledger loaded), in seconds."""
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        store = Store.open(data, now=clock, warn=quiet)
        best = min(best, time.perf_counter() - t)
        store.close()
    return best


def measure_commits(stores: dict[int, Store], clock: Clock, cycles: int) -> dict[int, list[float]]:
    """Seconds per commit for each store; sizes take turns so machine noise hits them alike."""
    times: dict[int, list[float]] = {stored: [] for stored in stores}
    for n in range(cycles):
        for stored, store in stores.items():
            batch = make_cycle(1_000_000 + n, clock.at)
            t = time.perf_counter()
            store.commit(batch)
            times[stored].append(time.perf_counter() - t)
        clock.at += timedelta(minutes=5)
    return times


def warm_states(store: Store, at: datetime) -> dict[str, FeedState]:
    """What an all-304 cycle changes: each feed's poll counters and times, nothing else."""
    return {
        name: state.model_copy(
            update={
                "polls": state.polls + 1,
                "not_modified": state.not_modified + 1,
                "last_status": 304,
                "last_attempt": at,
                "last_success": at,
                "next_poll": at + timedelta(minutes=5),
            }
        )
        for name, state in store.feed_states().items()
    }


def measure_warm(store: Store, clock: Clock, cycles: int) -> dict[str, list[float]]:
    """Seconds per commit of a warm cycle: all feeds 304, and all feed states unchanged."""
    times: dict[str, list[float]] = {"304": [], "unchanged": []}
    for _ in range(cycles):
        clock.at += timedelta(minutes=5)
        batch = Batch(feed_states=warm_states(store, clock.at))
        t = time.perf_counter()
        store.commit(batch)
        times["304"].append(time.perf_counter() - t)
        batch = Batch(feed_states=store.feed_states())
        t = time.perf_counter()
        store.commit(batch)
        times["unchanged"].append(time.perf_counter() - t)
    return times


def measure_naive(root: Path, stored: int) -> tuple[float, int]:
    """Plain TinyDB (default JSONStorage): one insert per item and event, one upsert per feed.

    Returns (seconds per cycle, writes timed). Each write rewrites the whole file, so only the first
    NAIVE_SAMPLE writes are timed and the cycle's cost is scaled up from them.
    """
    path = root / f"naive-{stored}.json"
    seed = make_cycle(0, NOW)
    with TinyDB(path) as db:
        items, events = db.table("items"), db.table("events")
        rows = [i.model_dump(mode="json") for i in seed.items]
        items.insert_multiple(rows[n % len(rows)] for n in range(stored))
        events.insert_multiple(e.model_dump(mode="json") for e in seed.events)
        batch = make_cycle(1, NOW)
        writes: list[Callable[[], object]] = []
        writes += [lambda i=i: items.insert(i.model_dump(mode="json")) for i in batch.items]
        writes += [lambda e=e: events.insert(e.model_dump(mode="json")) for e in batch.events]
        feeds = db.table("feeds")
        writes += [
            lambda n=n, s=s: feeds.upsert({"name": n, **s.model_dump(mode="json")}, Query().name == n)
            for n, s in batch.feed_states.items()
        ]
        sample = writes[:NAIVE_SAMPLE]
        t = time.perf_counter()
        for write in sample:
            write()
        spent = time.perf_counter() - t
    path.unlink()
    return spent / len(sample) * len(writes), len(sample)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--dir", type=Path, default=None, help="where to build the stores (default: temp dir)"
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="stored items to measure at")
    parser.add_argument("--cycles", type=int, default=40, help="cycles timed at each size")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    root = Path(tempfile.mkdtemp(prefix="store-bench-", dir=args.dir))
    print(f"one cycle = {ITEMS_PER_CYCLE} items + {ITEMS_PER_CYCLE} events + {FEEDS} feed states; in {root}")
    clock = Clock()
    try:
        opens: dict[int, float] = {}
        for stored in sizes:
            t = time.perf_counter()
            fill(root / f"store-{stored}", stored, clock)
            print(f"filled {stored} stored items in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            clock.at = NOW
            opens[stored] = measure_open(root / f"store-{stored}", clock)
        stores = {s: Store.open(root / f"store-{s}", now=clock, warn=quiet) for s in sizes}
        try:
            times = measure_commits(stores, clock, args.cycles)
            warm = measure_warm(stores[min(sizes)], clock, args.cycles)
        finally:
            for store in stores.values():
                store.close()
        naive: dict[int, tuple[float, int]] = {}
        for stored in sizes:
            if stored <= NAIVE_CAP:
                naive[stored] = measure_naive(root, stored)
        print(
            f"{'stored':>8} {'open':>8} {'commit mean':>12} {'median':>9} {'max':>9} {'state.json':>11}"
            f" {'max chunk':>10}   naive TinyDB per cycle"
        )
        for stored in sizes:
            data = root / f"store-{stored}"
            state_kb = (data / "state.json").stat().st_size / 1024
            chunk_kb = max(p.stat().st_size for p in (data / "items").glob("*.json")) / 1024
            t = times[stored]
            if stored in naive:
                seconds, timed = naive[stored]
                note = f"{seconds:8.1f} s  (from {timed} timed writes)"
            else:
                note = "       -  (not run above {NAIVE_CAP} stored items)".replace(
                    "{NAIVE_CAP}", str(NAIVE_CAP)
                )
            print(
                f"{stored:>8} {opens[stored] * 1000:>5.0f} ms {statistics.mean(t) * 1000:>9.1f} ms"
                f" {statistics.median(t) * 1000:>6.1f} ms {max(t) * 1000:>6.1f} ms {state_kb:>8.0f} kB"
                f" {chunk_kb:>7.0f} kB {note}"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    for kind, label in (("304", "all 200 feeds answered 304"), ("unchanged", "200 feed states unchanged")):
        t = warm[kind]
        print(
            f"warm cycle, {label:<27}: commit mean {statistics.mean(t) * 1000:6.1f} ms,"
            f" median {statistics.median(t) * 1000:6.1f} ms, max {max(t) * 1000:6.1f} ms"
        )
    small, large = min(sizes), max(sizes)
    mean_ratio = statistics.mean(times[large]) / statistics.mean(times[small])
    median_ratio = statistics.median(times[large]) / statistics.median(times[small])
    print(
        f"commit cost with {large} vs {small} stored: {mean_ratio:.2f}x by mean,"
        f" {median_ratio:.2f}x by median (target: within 1.5x)"
    )
    print(f"open with {large} stored: {opens[large] * 1000:.0f} ms (target: under 1000 ms)")
    print(
        f"naive TinyDB = default JSONStorage, one insert per item and event, one upsert per feed; every write"
        f" rewrites the file, so it is run only up to {NAIVE_CAP} stored items and a cycle is scaled up from"
        f" its first {NAIVE_SAMPLE} writes."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
