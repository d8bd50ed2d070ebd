"""Ingest cycle vs `newsboat -x reload`: 200 feeds x 50 items from one loopback server that honours ETag.

    python benchmarks/ingest_vs_newsboat.py [--feeds 200] [--items 50] [--threads 8] [--rounds 3]

Measures, in the same run and against the same server (a separate process):
- cold: every feed new (200 answers, 10,000 entries parsed); warm: every feed answers 304;
- ours: one ``Poller.poll_all()`` (fetch + parse on both cores), then the same cycle plus one
  ``Store.commit`` of everything it brought (what a real cycle also writes), in a running process
  as the monitor runs: its parser processes and connections are brought up first on another 200
  feeds (printed as "first cycle"), and interpreter start-up is printed separately;
- newsboat: ``newsboat -x reload`` with ``reload-threads N`` and its own temp config, cache and urls
  file (the cache is its store: a cold run starts from an empty one; newsboat keeps a feed's ETag
  only from its second fetch on, so the warm run follows one untimed reload).
Our fetcher gets the same number of connections as newsboat has threads. Times are medians over the
rounds; peak memory is the largest resident set seen (ours: the main process and, separately, the
largest parser worker). Targets: cold <= 1.0x newsboat, warm <= 0.5x.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve()
VOCABULARY = (
    "ceasefire talks mediators envoy border crossing aid convoy humanitarian corridor statement officials "
    "ministry spokesman reported according residents witnesses hospital district northern southern "
    "coastal city council delegation agreement proposal meeting week earlier later sources said"
)
WORDS = VOCABULARY.split()


# --- the server (its own process) -----------------------------------------------------------


def feed_body(index: int, items: int) -> bytes:
    start = datetime(2026, 2, 12, 18, 0, tzinfo=UTC)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
        f"<title>Benchmark feed {index}</title><link>https://bench.example/{index}/</link>",
        "<description>Synthetic benchmark feed</description>",
    ]
    for n in range(items):
        seed = index * 1000 + n
        words = [WORDS[(seed * 7 + k * 13) % len(WORDS)] for k in range(60)]
        title = " ".join(words[:9]).capitalize()
        summary = " ".join(words).capitalize() + "."
        when = format_datetime(start - timedelta(minutes=seed % 5000), usegmt=True)
        out.append(
            f"<item><title>{title} {index}-{n}</title><link>https://bench.example/{index}/{n}</link>"
            f'<guid isPermaLink="false">bench-{index}-{n}</guid><pubDate>{when}</pubDate>'
            f"<description>&lt;p&gt;{summary}&lt;/p&gt;</description></item>"
        )
    out.append("</channel></rss>\n")
    return "".join(out).encode()


async def serve(feeds: int, items: int) -> None:
    bodies = {f"/feed/{i}.xml": feed_body(i, items) for i in range(feeds)}
    etags = {path: '"' + hashlib.sha256(body).hexdigest()[:32] + '"' for path, body in bodies.items()}
    modified = format_datetime(datetime(2026, 2, 12, 18, 0, tzinfo=UTC), usegmt=True)
    counts: dict[int, int] = {}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {}
                for line in lines[1:]:
                    key, _, value = line.partition(":")
                    headers[key.strip().lower()] = value.strip()
                if path == "/stats":
                    status, body, extra = 200, json.dumps(counts).encode(), ""
                    counts.clear()
                elif path in bodies:
                    tag = etags[path]
                    inm = headers.get("if-none-match")
                    fresh = tag in inm if inm is not None else headers.get("if-modified-since") == modified
                    status, body = (304, b"") if fresh else (200, bodies[path])
                    extra = (
                        f"ETag: {tag}\r\nLast-Modified: {modified}\r\nContent-Type: application/rss+xml\r\n"
                    )
                    counts[status] = counts.get(status, 0) + 1
                else:
                    status, body, extra = 404, b"", ""
                length = "" if status == 304 else f"Content-Length: {len(body)}\r\n"
                writer.write(f"HTTP/1.1 {status} X\r\n{extra}{length}\r\n".encode() + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


class Server:
    def __init__(self, feeds: int, items: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE), "--serve", "--feeds", str(feeds), "--items", str(items)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())
        self.urls = [f"http://127.0.0.1:{self.port}/feed/{i}.xml" for i in range(feeds)]
        self.warmup_urls = [f"http://127.0.0.1:{self.port}/feed/{i}.xml" for i in range(feeds, 2 * feeds)]

    def stats(self) -> dict[str, int]:
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/stats") as response:
            return dict(json.loads(response.read()))

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait()


# --- ours (its own process) -----------------------------------------------------------------


async def ours(urls: list[str], warmup_urls: list[str], threads: int, with_store: bool) -> dict[str, float]:
    from monitor.config import FeedConfig, Settings
    from monitor.ingest.fetch import Fetcher
    from monitor.ingest.poller import ParserPool, Poller
    from monitor.store import Batch, Store

    def settings_for(batch: list[str]) -> Settings:
        feeds = tuple(FeedConfig(name=f"feed-{i:03d}", url=url) for i, url in enumerate(batch))
        return Settings(feeds=feeds, concurrency=threads, per_host=threads)

    settings = settings_for(urls)
    fetcher = Fetcher(settings.limits, concurrency=threads, per_host=threads)
    parser = ParserPool()
    figures: dict[str, float] = {}
    # A running monitor has its parser processes and connections up already: bring them up on
    # other feeds first (timed apart as "first cycle"), so the cold cycle is cold in content only.
    started = time.perf_counter()
    await Poller(settings_for(warmup_urls), fetcher=fetcher, parser=parser).poll_all()
    figures["first"] = time.perf_counter() - started
    poller = Poller(settings, fetcher=fetcher, parser=parser)
    with tempfile.TemporaryDirectory() as data:
        store = Store.open(Path(data)) if with_store else None
        for phase in ("cold", "warm"):
            started = time.perf_counter()
            results = await poller.poll_all()
            if store is not None:
                items = [item for r in results for item in r.items]
                store.commit(Batch(feed_states={r.feed: r.state for r in results}, items=items))
            figures[phase] = time.perf_counter() - started
            figures[f"{phase}_items"] = sum(len(r.items) for r in results)
            figures[f"{phase}_errors"] = sum(1 for r in results if r.error)
        if store is not None:
            store.close()
    await poller.aclose()
    figures["rss_main_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["rss_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return figures


def run_ours(urls: list[str], warmup_urls: list[str], threads: int, with_store: bool) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"urls": urls, "warmup": warmup_urls}, handle)
    try:
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(HERE), "--ours", handle.name, "--threads", str(threads)]
            + (["--with-store"] if with_store else []),
            capture_output=True,
            text=True,
            check=True,
        )
        total = time.perf_counter() - started
    finally:
        Path(handle.name).unlink()
    figures: dict[str, float] = json.loads(proc.stdout)
    figures["process_s"] = total
    return figures


# --- newsboat -------------------------------------------------------------------------------


def run_newsboat(home: Path, urls: list[str], threads: int, *, fresh: bool) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one `newsboat -x reload`."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config").write_text(f"reload-threads {threads}\nshow-read-feeds yes\n")
    (home / "urls").write_text("\n".join(urls) + "\n")
    cache = home / "cache.db"
    if fresh:
        for leftover in home.glob("cache.db*"):
            leftover.unlink()
    command = [
        "newsboat",
        "-C",
        str(home / "config"),
        "-u",
        str(home / "urls"),
        "-c",
        str(cache),
        "-x",
        "reload",
    ]
    # A wrapper process, so the peak resident set is newsboat's alone.
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home)}
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *command], capture_output=True, text=True, env=env, check=True
    )
    wall, rss = out.stdout.split()
    return float(wall), float(rss)


# --- the run --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ours", metavar="URLS.json", help=argparse.SUPPRESS)
    parser.add_argument("--with-store", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.serve:
        asyncio.run(serve(2 * args.feeds, args.items))  # the second half warms our processes up
        return 0
    if args.ours:
        lists = json.loads(Path(args.ours).read_text())
        print(json.dumps(asyncio.run(ours(lists["urls"], lists["warmup"], args.threads, args.with_store))))
        return 0
    if shutil.which("newsboat") is None:
        print("newsboat is not installed (Debian: apt-get install newsboat)", file=sys.stderr)
        return 1

    version = subprocess.run(["newsboat", "--version"], capture_output=True, text=True, check=False)
    print(
        f"{args.feeds} feeds x {args.items} items, {args.threads} connections / reload-threads, "
        f"{args.rounds} rounds, {os.cpu_count()} cores; {version.stdout.splitlines()[0]}"
    )
    server = Server(args.feeds, args.items)
    rows: dict[str, list[float]] = {}
    peaks: dict[str, float] = {}

    def note(key: str, value: float) -> None:
        rows.setdefault(key, []).append(value)

    try:
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.rounds):
                for label, with_store in (("ours", False), ("ours+store", True)):
                    figures = run_ours(server.urls, server.warmup_urls, args.threads, with_store)
                    stats = server.stats()
                    assert figures["cold_items"] == args.feeds * args.items, figures
                    assert figures["cold_errors"] == figures["warm_errors"] == 0, figures
                    assert stats.get("304", 0) == args.feeds, f"{label}: warm cycle was not all 304: {stats}"
                    assert stats.get("200", 0) == 2 * args.feeds, f"{label}: {stats}"
                    note(f"{label} cold", figures["cold"])
                    note(f"{label} warm", figures["warm"])
                    note(f"{label} first cycle", figures["first"])
                    note(
                        f"{label} start-up",
                        figures["process_s"] - figures["first"] - figures["cold"] - figures["warm"],
                    )
                    peaks[f"{label} main"] = max(peaks.get(f"{label} main", 0), figures["rss_main_mb"])
                    peaks[f"{label} parser worker"] = max(
                        peaks.get(f"{label} parser worker", 0), figures["rss_worker_mb"]
                    )
                home = Path(tmp) / "newsboat"
                wall, rss = run_newsboat(home, server.urls, args.threads, fresh=True)
                cold_stats = server.stats()
                note("newsboat cold", wall)
                peaks["newsboat cold"] = max(peaks.get("newsboat cold", 0), rss)
                # newsboat records a feed's validators only once the feed is already in its cache,
                # i.e. from the second fetch on: one untimed reload makes its cache warm.
                run_newsboat(home, server.urls, args.threads, fresh=False)
                server.stats()
                wall, rss = run_newsboat(home, server.urls, args.threads, fresh=False)
                warm_stats = server.stats()
                note("newsboat warm", wall)
                peaks["newsboat warm"] = max(peaks.get("newsboat warm", 0), rss)
                assert cold_stats.get("200", 0) == args.feeds, f"newsboat cold: {cold_stats}"
                assert warm_stats.get("304", 0) == args.feeds, f"newsboat warm was not all 304: {warm_stats}"
    finally:
        server.close()

    median = {key: statistics.median(values) for key, values in rows.items()}
    print(f"\n{'wall time (median)':28} {'seconds':>8}   vs newsboat")
    for key in sorted(median):
        phase = "cold" if key.endswith("cold") else "warm" if key.endswith("warm") else None
        ratio = (
            f"{median[key] / median[f'newsboat {phase}']:.2f}x"
            if phase and not key.startswith("newsboat")
            else ""
        )
        print(f"  {key:26} {median[key]:8.3f}   {ratio}")
    print(f"\n{'peak resident memory':28} {'MB':>8}")
    for key in sorted(peaks):
        print(f"  {key:26} {peaks[key]:8.1f}")
    cold = median["ours cold"] / median["newsboat cold"]
    warm = median["ours warm"] / median["newsboat warm"]
    print(
        f"\ntargets: cold <= 1.0x newsboat: {cold:.2f}x {'met' if cold <= 1.0 else 'MISSED'}; "
        f"warm <= 0.5x: {warm:.2f}x {'met' if warm <= 0.5 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
