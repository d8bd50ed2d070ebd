"""Whole processes, as cron and a service run them: `situation-room watch --once` vs `newsboat -x reload`.

    python benchmarks/ingest_vs_newsboat.py [--feeds 200] [--items 50] [--history 100000] [--rounds 3]
        [--cases mix,conflict,dense,hist-unique,hist-repeated,cron] [--cron-feeds 50] [--threads 8]

Every case starts its own loopback server (a separate process) serving F feeds of N items with a
strong ETag and Last-Modified (304 to a matching validator), and times, alternating in each round:

- ours: ``python -m monitor watch --once`` as a subprocess, from exec to exit: interpreter start-up,
  settings and rules, store open, the parser pool, fetch + parse, dedupe, classify, picture, the
  store commit and every alert written as a JSON line to a pipe the benchmark drains. Its peak
  memory is the resident set of the whole process tree (parser workers included), summed from
  /proc every 10 ms. Cold: an empty store, or one holding the history below; warm: the same command
  again, every feed answering 304 (the script checks the server's counts).
- newsboat: ``newsboat -x reload`` with ``reload-threads T`` on its own temp config, urls and cache:
  cold from an empty cache; newsboat keeps a feed's ETag only from its second fetch on, so its warm
  run follows one untimed reload. Peak memory is its own (one process).

The corpora (what the served items say):

- ``mix``: a realistic mix, 30% of the items about the truce (sentences from the eval files in
  tests/data, each item unique), the rest ordinary news words;
- ``conflict``: every item conflict news (those sentences; stories repeat across feeds as they do);
- ``dense``: text dense with trigger words (title 14 words, summary 45 words, all drawn from the
  default rules' trigger vocabulary);
- ``hist-unique``: ``mix`` onto a store already holding ``--history`` items (written directly with
  ``Store.commit``, 1,000 items a commit), none of them related to the cycle's items;
- ``hist-repeated``: the same, but one cycle item in five carries a stored item's story (same
  title and summary, another feed: a wire copy of older news);
- ``cron``: ``mix`` with ``--cron-feeds`` feeds (the usual cron set-up).

For the two history cases the cold cycle over the filled store is compared with the same cycle over
an empty store, timed alternately in the same round: the cost must stay flat in history.

The in-process figure (``--in-process``, the earlier form of this benchmark: one ``poll_all`` plus
one ``Store.commit`` inside a running process whose parser pool is already up) is printed apart,
labeled as such, on the ``mix`` corpus.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
VOCABULARY = (
    "market budget school railway festival harvest weather exports football museum council city "
    "district northern southern coastal officials ministry spokesman reported according residents "
    "hospital week earlier later sources said bridge tourism prices election court teachers farmers "
    "factory airport concert library traffic students water energy housing"
)
"""Ordinary local news: words no rule reacts to (the mix's other 70%)."""
WORDS = VOCABULARY.split()
CORPORA = ("mix", "conflict", "dense")
CASES = ("mix", "conflict", "dense", "hist-unique", "hist-repeated", "cron")
EPOCH = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
"""Items are dated within the last day, so a first run writes every alert (its default --since)."""


# --- the corpora ----------------------------------------------------------------------------


def conflict_sentences() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "tests" / "data").glob("rules_eval*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def trigger_words() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from monitor.rules.loader import compile_rules, default_rules_text

    rules = compile_rules([("default", default_rules_text())])
    return sorted({w for r in rules for t in r.trigger.terms for w in t.text.split() if w.isalpha()})


class Corpus:
    """Deterministic stories: ``story(kind, seed)`` is the same (title, summary) in every process."""

    def __init__(self) -> None:
        self.sentences = conflict_sentences()
        self.triggers = trigger_words()

    def neutral(self, seed: int) -> tuple[str, str]:
        words = [WORDS[(seed * 7 + k * 13) % len(WORDS)] for k in range(60)]
        return " ".join(words[:9]).capitalize() + f" {seed}", " ".join(words).capitalize() + f". Ref {seed}."

    def conflict(self, seed: int) -> tuple[str, str]:
        sentence = self.sentences[seed % len(self.sentences)]
        title = " ".join(sentence.split()[:14]).rstrip(",.;:")
        tail = " ".join(WORDS[(seed * 11 + k * 5) % len(WORDS)] for k in range(12))  # unique text
        return title, f"{sentence} {tail.capitalize()}. Ref {seed}."

    def dense(self, seed: int) -> tuple[str, str]:
        rng = random.Random(seed)
        words = [rng.choice(self.triggers) for _ in range(59)]
        return " ".join(words[:14]).capitalize(), " ".join(words[14:]).capitalize() + f". Ref {seed}."

    def story(self, kind: str, seed: int) -> tuple[str, str]:
        if kind == "conflict":
            return self.conflict(seed)
        if kind == "dense":
            return self.dense(seed)
        # mix: 30% about the truce
        return self.conflict(seed) if seed % 10 < 3 else self.neutral(seed)


def history_seed(n: int) -> int:
    return 10_000_000 + n


def cycle_entries(
    corpus: Corpus, kind: str, feed: int, items: int, *, history: int
) -> list[tuple[str, str, str]]:
    """(guid, title, summary) of one served feed. ``history`` > 0: one in five carries a stored story."""
    out = []
    for n in range(items):
        serial = feed * 1000 + n
        seed = serial
        if history and serial % 5 == 0:
            seed = history_seed((serial * 7919) % history)
        title, summary = corpus.story("mix" if kind.startswith("hist") or kind == "cron" else kind, seed)
        out.append((f"bench-{feed}-{n}", title, summary))
    return out


def feed_body(index: int, entries: list[tuple[str, str, str]]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
        f"<title>Benchmark feed {index}</title><link>https://bench.example/{index}/</link>",
        "<description>Synthetic benchmark feed</description>",
    ]
    for n, (guid, title, summary) in enumerate(entries):
        when = format_datetime(EPOCH - timedelta(minutes=(index * 37 + n * 11) % 1400), usegmt=True)
        out.append(
            f"<item><title>{escape(title)}</title><link>https://bench.example/{index}/{n}</link>"
            f'<guid isPermaLink="false">{guid}</guid><pubDate>{when}</pubDate>'
            f"<description>{escape(summary)}</description></item>"
        )
    out.append("</channel></rss>\n")
    return "".join(out).encode()


# --- the server (its own process) -----------------------------------------------------------


async def serve(kind: str, feeds: int, items: int, history: int) -> None:
    corpus = Corpus()
    hist = history if kind == "hist-repeated" else 0
    bodies = {
        f"/feed/{i}.xml": feed_body(i, cycle_entries(corpus, kind, i, items, history=hist))
        for i in range(feeds)
    }
    etags = {path: '"' + hashlib.sha256(body).hexdigest()[:32] + '"' for path, body in bodies.items()}
    modified = format_datetime(EPOCH, usegmt=True)
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

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


class Server:
    def __init__(self, kind: str, feeds: int, items: int, history: int) -> None:
        self.proc = subprocess.Popen(
            [
                *(sys.executable, str(HERE), "--serve", kind),
                *("--feeds", str(feeds), "--items", str(items), "--history", str(history)),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())
        self.urls = [f"http://127.0.0.1:{self.port}/feed/{i}.xml" for i in range(feeds)]

    def stats(self) -> dict[str, int]:
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/stats") as response:
            return dict(json.loads(response.read()))

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait()


# --- measuring a process tree ---------------------------------------------------------------

PAGE = os.sysconf("SC_PAGE_SIZE")
PSS_PEAKS: list[float] = []
"""Peak PSS (MB) of each command run_tree ran, in order."""


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return out


def _rss(pid: int) -> int:
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def _pss(pid: int) -> int:
    """Proportional set size of the tree: a page shared by n processes of it (libpython, the
    interpreter's own code) counts 1/n in each, so the sum is what the tree holds, once."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, IndexError, ValueError):
            continue
    return total


def run_tree(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, str]:
    """(wall seconds, peak RSS of the process tree in MB, exit code, stderr) of one command; the
    tree's peak PSS goes to ``PSS_PEAKS``."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tempfile.gettempdir()
    )
    peak = 0
    out: dict[str, bytes] = {}

    def drain(name: str, stream: object) -> None:
        out[name] = stream.read()  # type: ignore[attr-defined]

    readers = [
        threading.Thread(target=drain, args=("out", proc.stdout)),
        threading.Thread(target=drain, args=("err", proc.stderr)),
    ]
    for reader in readers:
        reader.start()
    pss = 0
    polls = 0
    while proc.poll() is None:
        peak = max(peak, _rss(proc.pid))
        if polls % 5 == 0:  # smaps_rollup costs the kernel a page-table walk: every 50 ms
            pss = max(pss, _pss(proc.pid))
        polls += 1
        time.sleep(0.01)
    wall = time.perf_counter() - started
    PSS_PEAKS.append(pss / 2**20)
    for reader in readers:
        reader.join()
    return wall, peak / 2**20, proc.returncode, out.get("err", b"").decode(errors="replace")


# --- ours -------------------------------------------------------------------------------------


def write_config(path: Path, urls: list[str], threads: int) -> None:
    lines = [f"concurrency: {threads}", f"per_host: {threads}", "feeds:"]
    for i, url in enumerate(urls):
        lines += [f"  - name: feed-{i:04d}", f"    url: {url}"]
    path.write_text("\n".join(lines) + "\n")


def fill_history(data_dir: Path, total: int) -> None:
    """A store holding ``total`` items of 200 other feeds, written directly, 1,000 items a commit."""
    sys.path.insert(0, str(ROOT))
    from monitor.ingest.parse import content_hash
    from monitor.models import Item
    from monitor.store import Batch, Store

    corpus = Corpus()
    now = datetime.now(UTC)
    with Store.open(data_dir) as store:
        for start in range(0, total, 1000):
            batch = []
            for n in range(start, min(total, start + 1000)):
                title, summary = corpus.story("mix", history_seed(n))
                when = now - timedelta(days=20) + timedelta(seconds=n * 15)
                batch.append(
                    Item(
                        id=f"hist-{n}",
                        feed=f"hist-{n % 200:03d}",
                        title=title,
                        summary=summary,
                        link=f"https://bench.example/hist/{n}",
                        published=when,
                        fetched_at=when,
                        content_hash=content_hash(title, summary),
                    )
                )
            store.commit(Batch(items=batch))


def check_hashes(kind: str, items: int, history: int) -> None:
    """The served stories parse to the content hashes fill_history stored (else no copy is spotted)."""
    sys.path.insert(0, str(ROOT))
    from monitor.ingest.parse import content_hash, parse_feed

    corpus = Corpus()
    entries = cycle_entries(corpus, kind, 0, items, history=history)
    parsed = parse_feed(feed_body(0, entries), feed="x", fetched_at=datetime.now(UTC))
    assert len(parsed.items) == len(entries), parsed.error
    for item, (_, title, summary) in zip(parsed.items, entries, strict=True):
        assert item.content_hash == content_hash(title, summary), (item.title, title)


def run_ours(config: Path, data_dir: Path) -> tuple[float, float, int, str]:
    command = [sys.executable, "-m", "monitor", "--config", str(config), "--data-dir", str(data_dir)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    wall, rss, code, err = run_tree([*command, "watch", "--once"], env)
    if code != 0:
        raise SystemExit(f"watch --once failed ({code}): {err[-2000:]}")
    return wall, rss, code, err


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
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home)}
    wall, rss, code, err = run_tree(command, env)
    if code != 0:
        raise SystemExit(f"newsboat failed ({code}): {err[-2000:]}")
    return wall, rss


# --- the in-process figure (the earlier form of this benchmark) -------------------------------


async def in_process(urls: list[str], threads: int) -> dict[str, float]:
    from monitor.config import FeedConfig, Settings
    from monitor.ingest.fetch import Fetcher
    from monitor.ingest.poller import ParserPool, Poller
    from monitor.store import Batch, Store

    half = len(urls) // 2
    warm_up, timed = urls[:half], urls[half:]

    def settings_for(batch: list[str]) -> Settings:
        feeds = tuple(FeedConfig(name=f"feed-{i:04d}", url=url) for i, url in enumerate(batch))
        return Settings(feeds=feeds, concurrency=threads, per_host=threads)

    settings = settings_for(timed)
    fetcher = Fetcher(settings.limits, concurrency=threads, per_host=threads)
    parser = ParserPool()
    await Poller(settings_for(warm_up), fetcher=fetcher, parser=parser).poll_all()
    poller = Poller(settings, fetcher=fetcher, parser=parser)
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as data, Store.open(Path(data)) as store:
        for phase in ("cold", "warm"):
            started = time.perf_counter()
            results = await poller.poll_all()
            items = [item for r in results for item in r.items]
            store.commit(Batch(feed_states={r.feed: r.state for r in results}, items=items))
            figures[phase] = time.perf_counter() - started
    await poller.aclose()
    figures["feeds"] = len(timed)
    figures["rss_main_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def in_process_rounds(urls: list[str], threads: int, rounds: int) -> dict[str, list[float]]:
    """The in-process figure, each round in a fresh process: {"cold": [...], "warm": [...]}."""
    out: dict[str, list[float]] = {"cold": [], "warm": []}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(urls, handle)
    try:
        for _ in range(rounds):
            command = [sys.executable, str(HERE), "--in-process", handle.name, "--threads", str(threads)]
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
            figures = json.loads(done.stdout)
            out["cold"].append(figures["cold"])
            out["warm"].append(figures["warm"])
    finally:
        Path(handle.name).unlink()
    return out


# --- the run --------------------------------------------------------------------------------


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--history", type=int, default=100_000, help="items stored for the hist-* cases")
    parser.add_argument("--cron-feeds", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated, from: " + ", ".join(CASES))
    parser.add_argument("--no-in-process", action="store_true", help="skip the in-process figure")
    parser.add_argument("--serve", metavar="CORPUS", help=argparse.SUPPRESS)
    parser.add_argument("--in-process", metavar="URLS.json", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.serve:
        asyncio.run(serve(args.serve, args.feeds, args.items, args.history))
        return 0
    if args.in_process:
        urls = json.loads(Path(args.in_process).read_text())
        print(json.dumps(asyncio.run(in_process(urls, args.threads))))
        return 0
    if shutil.which("newsboat") is None:
        print("newsboat is not installed (Debian: apt-get install newsboat)", file=sys.stderr)
        return 1
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = set(cases) - set(CASES)
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")

    # An installed copy is byte-compiled (pip does it at install); an editable checkout run with
    # PYTHONDONTWRITEBYTECODE set would compile every module of the project on every run instead.
    compileall.compile_dir(str(ROOT / "monitor"), quiet=1)
    version = subprocess.run(["newsboat", "--version"], capture_output=True, text=True, check=False)
    print(
        f"{args.feeds} feeds x {args.items} items (cron: {args.cron_feeds} feeds), history {args.history:,}, "
        f"{args.threads} connections / reload-threads, {args.rounds} rounds, {os.cpu_count()} cores; "
        f"{version.stdout.splitlines()[0]}; load average {load_average()}",
        flush=True,
    )
    rows: dict[str, list[float]] = {}
    peaks: dict[str, float] = {}

    pss_peaks: dict[str, float] = {}

    def note(key: str, wall: float, rss: float) -> None:
        rows.setdefault(key, []).append(wall)
        peaks[key] = max(peaks.get(key, 0.0), rss)
        pss_peaks[key] = max(pss_peaks.get(key, 0.0), PSS_PEAKS[-1] if PSS_PEAKS else 0.0)

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp_name:
        tmp = Path(tmp_name)
        templates: dict[str, Path] = {}
        for case in cases:
            feeds = args.cron_feeds if case == "cron" else args.feeds
            history = args.history if case.startswith("hist") else 0
            if case == "hist-repeated":
                check_hashes(case, args.items, history)
            if history and "filled" not in templates:
                started = time.perf_counter()
                templates["filled"] = tmp / "filled"
                fill_history(templates["filled"], history)
                print(
                    f"filled a store with {history:,} items in {time.perf_counter() - started:.1f} s",
                    flush=True,
                )
            server = Server(case, feeds, args.items, history)
            config = tmp / f"{case}.yaml"
            write_config(config, server.urls, args.threads)
            try:
                for rnd in range(args.rounds):
                    order = ["ours", "newsboat"] if rnd % 2 == 0 else ["newsboat", "ours"]
                    if history:
                        order.insert(1, "ours-empty")
                    for who in order:
                        if who == "newsboat":
                            home = tmp / f"newsboat-{case}"
                            wall, rss = run_newsboat(home, server.urls, args.threads, fresh=True)
                            stats = server.stats()
                            assert stats.get("200", 0) == feeds, f"newsboat cold: {stats}"
                            note(f"{case} | newsboat cold", wall, rss)
                            run_newsboat(home, server.urls, args.threads, fresh=False)
                            server.stats()
                            wall, rss = run_newsboat(home, server.urls, args.threads, fresh=False)
                            stats = server.stats()
                            assert stats.get("304", 0) == feeds, f"newsboat warm was not all 304: {stats}"
                            note(f"{case} | newsboat warm", wall, rss)
                            continue
                        data = tmp / f"data-{case}-{who}"
                        shutil.rmtree(data, ignore_errors=True)
                        label = (
                            "ours"
                            if who == "ours" and not history
                            else ("ours 0 stored" if who == "ours-empty" else f"ours {history:,} stored")
                        )
                        if who == "ours" and history:
                            shutil.copytree(templates["filled"], data)
                        wall, rss, _, _ = run_ours(config, data)
                        stats = server.stats()
                        assert stats.get("200", 0) == feeds, f"{label} cold: {stats}"
                        note(f"{case} | {label} cold", wall, rss)
                        wall, rss, _, _ = run_ours(config, data)
                        stats = server.stats()
                        assert stats.get("304", 0) == feeds, f"{label} warm was not all 304: {stats}"
                        note(f"{case} | {label} warm", wall, rss)
                        shutil.rmtree(data, ignore_errors=True)
                    print(f"  {case}: round {rnd + 1} done (load average {load_average()})", flush=True)
                if case == "mix" and not args.no_in_process:
                    for phase, values in in_process_rounds(server.urls, args.threads, args.rounds).items():
                        rows[f"mix | in-process cycle, pool up, not a whole process: {phase}"] = values
            finally:
                server.close()

    median = {key: statistics.median(values) for key, values in rows.items()}
    print(f"\nload average at the end: {load_average()}")
    print(f"\n{'case | who phase':44} {'median s':>9} {'peak MB':>8} {'PSS MB':>7}   vs newsboat")
    for key in rows:
        case, _, rest = key.partition(" | ")
        phase = rest.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]
        base = median.get(f"{case} | newsboat {phase}")
        ratio = f"{median[key] / base:.2f}x" if base and "newsboat" not in rest else ""
        peak = f"{peaks[key]:8.1f}" if key in peaks else " " * 8
        pss = f"{pss_peaks[key]:7.1f}" if key in pss_peaks else " " * 7
        print(f"  {key:42} {median[key]:9.3f} {peak} {pss}   {ratio}")
    print("\nfloors:")

    def floor(name: str, value: float | None, limit: float) -> None:
        if value is None:
            return
        print(f"  {name:58} {value:6.2f} (<= {limit}) {'met' if value <= limit else 'MISSED'}")

    def ratio(a: str, b: str) -> float | None:
        return median[a] / median[b] if a in median and b in median else None

    h = f"{args.history:,}"
    floor("cold, mix vs newsboat", ratio("mix | ours cold", "mix | newsboat cold"), 1.0)
    floor("cold, conflict vs newsboat", ratio("conflict | ours cold", "conflict | newsboat cold"), 1.0)
    floor("cold, dense vs newsboat", ratio("dense | ours cold", "dense | newsboat cold"), 1.5)
    floor("warm, empty history (mix) vs newsboat", ratio("mix | ours warm", "mix | newsboat warm"), 0.5)
    for case in ("hist-unique", "hist-repeated"):
        floor(
            f"warm, {h} stored ({case}) vs newsboat",
            ratio(f"{case} | ours {h} stored warm", f"{case} | newsboat warm"),
            0.5,
        )
        floor(
            f"cold, {h} stored vs 0 stored ({case})",
            ratio(f"{case} | ours {h} stored cold", f"{case} | ours 0 stored cold"),
            1.5,
        )
    if "mix | ours cold" in peaks:
        floor("peak RSS of the tree, mix cold (MB / 100)", peaks["mix | ours cold"] / 100, 1.5)
        print(
            f"  (peak PSS of the tree, mix cold: {pss_peaks['mix | ours cold']:.1f} MB;"
            " the RSS sum counts a shared page once per process)"
        )
    floor(
        f"warm, {args.cron_feeds} feeds vs newsboat", ratio("cron | ours warm", "cron | newsboat warm"), 3.0
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
