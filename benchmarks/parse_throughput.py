"""Parse throughput: bare feedparser (baseline) vs parse_feed on one core vs ParserPool on all cores.

    .venv/bin/python benchmarks/parse_throughput.py [feeds] [items]

Prints entries/s for each, measured in the same run on the same 200 × 50-item feeds.
"""

from __future__ import annotations

import asyncio
import io
import sys
import time
from datetime import UTC, datetime

import feedparser

from monitor.ingest.parse import parse_feed
from monitor.ingest.poller import ParserPool


def make_feed(n: int, k: int) -> bytes:
    items = "".join(
        f"<item><title>Outlet {n} story {i} on the ceasefire</title><guid>f{n}-{i}</guid>"
        f"<link>https://n{n}.example/{i}</link><pubDate>Sat, 10 Jan 2026 10:{i % 60:02d}:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Paragraph {i}: shelling reported near Rafah; talks continue on a "
        f"stabilisation force.&lt;/p&gt;</description></item>"
        for i in range(k)
    )
    head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>F{n}</title>'
    return f"{head}{items}</channel></rss>".encode()


async def pooled(bodies: list[bytes], now: datetime) -> float:
    pool = ParserPool()
    try:
        await pool.parse(bodies[0], feed="warm-up", fetched_at=now, max_items=500, content_type=None)
        start = time.perf_counter()
        results = await asyncio.gather(
            *(
                pool.parse(b, feed=f"f{i}", fetched_at=now, max_items=500, content_type=None)
                for i, b in enumerate(bodies)
            )
        )
        took = time.perf_counter() - start
    finally:
        await pool.aclose()
    assert all(r.ok for r in results)
    return took


def main() -> None:
    feeds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    per = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    bodies = [make_feed(n, per) for n in range(feeds)]
    entries = feeds * per
    now = datetime.now(UTC)

    start = time.perf_counter()
    for b in bodies:
        feedparser.parse(io.BytesIO(b), sanitize_html=False, resolve_relative_uris=False)
    base = time.perf_counter() - start

    start = time.perf_counter()
    for i, b in enumerate(bodies):
        parse_feed(b, feed=f"f{i}", fetched_at=now)
    one = time.perf_counter() - start

    pool = asyncio.run(pooled(bodies, now))
    print(f"{feeds} feeds × {per} items = {entries} entries")
    print(f"baseline feedparser.parse, one core : {base:6.2f} s  {entries / base:7.0f} entries/s")
    print(f"parse_feed (defuse+normalise), 1 core: {one:6.2f} s  {entries / one:7.0f} entries/s")
    print(f"ParserPool, all cores (warm)         : {pool:6.2f} s  {entries / pool:7.0f} entries/s")


if __name__ == "__main__":
    main()
