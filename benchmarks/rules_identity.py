"""A digest of everything the rules engine says about a fixed set of corpora, to prove a change to the
engine's machinery changes no output.

    python benchmarks/rules_identity.py > before.txt
    ... change the engine ...
    python benchmarks/rules_identity.py > after.txt && diff before.txt after.txt

For each corpus it prints one line: the number of items, events and hits, and a SHA-256 over every
event's full JSON and every hit (rule, span, trigger position, guard, status), item by item. Only
digests and counts are printed, never a unit's text, so held-out sets can be checked without being
read. Corpora: the eval sets (dev, tune, test, holdout), the rules example files under tests/data, the normal
and dense corpora of benchmarks/rules_speed.py, and the demo seeds' items.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from monitor.ingest.parse import parse_feed
from monitor.models import Item
from monitor.rules.engine import RuleEngine

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rules_speed

ROOT = Path(__file__).resolve().parents[1]
_FALLBACK_DAY = datetime(2025, 11, 20, 12, tzinfo=UTC)  # rows without a date: a fixed day, not today


def _day(raw: object) -> datetime:
    parts = str(raw or "").split("-")
    try:
        if len(parts) == 3:
            return datetime(int(parts[0]), int(parts[1]), int(parts[2]), 12, tzinfo=UTC)
        if len(parts) == 2:
            return datetime(int(parts[0]), int(parts[1]), 28, 12, tzinfo=UTC)
        if len(parts) == 1 and parts[0]:
            return datetime(int(parts[0]), 12, 31, tzinfo=UTC)
    except ValueError:
        pass
    return _FALLBACK_DAY


def jsonl_items(path: Path) -> Iterator[Item]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if not line.strip():
                continue
            row = json.loads(line)
            when = _day(row.get("date"))
            yield Item(
                id=str(row.get("id", n)), feed=path.stem, title=str(row["text"]), published=when,
                fetched_at=when, content_hash="",
            )  # fmt: skip


def seed_items() -> Iterator[Item]:
    fetched = datetime(2025, 11, 20, tzinfo=UTC)
    for path in sorted((ROOT / "seeds" / "demo").glob("*/*.xml")):
        result = parse_feed(path.read_bytes(), feed=path.parent.name, fetched_at=fetched)
        yield from result.items


def digest(engine: RuleEngine, items: Iterable[Item]) -> str:
    h = hashlib.sha256()
    n_items = n_events = n_hits = 0
    for item in items:
        n_items += 1
        h.update(b"\x00item\x00" + item.key.encode())
        try:
            hits = engine.hits(item.text, day=item.published.date())
            events = engine.classify(item)
        except Exception as exc:  # recorded by type only: a held-out unit's error may quote its text
            h.update(b"\x00error\x00" + type(exc).__name__.encode())
            continue
        for hit in hits:
            n_hits += 1
            h.update(repr((hit.rule.id, hit.span, hit.trigger, hit.guard, hit.status, hit.tokens)).encode())
        for event in events:
            n_events += 1
            h.update(b"\x00event\x00" + event.model_dump_json().encode())
    return f"{n_items:>6} items {n_events:>6} events {n_hits:>6} hits  {h.hexdigest()}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dense-items", type=int, default=5000)
    ap.add_argument("--normal-items", type=int, default=20_000)
    args = ap.parse_args(argv)
    engine = RuleEngine.load()
    corpora: list[tuple[str, RuleEngine, Iterable[Item]]] = [
        ("eval/dev", engine, jsonl_items(Path("/work/shared/eval/dev.jsonl"))),
        ("real/tune", engine, jsonl_items(ROOT / "tests/data/real/tune.jsonl")),
        ("real/test", engine, jsonl_items(ROOT / "tests/data/real/test.jsonl")),
        ("real/holdout", engine, jsonl_items(ROOT / "tests/data/real/holdout.jsonl")),
    ]
    for path in sorted((ROOT / "tests/data").glob("*.jsonl")):
        corpora.append((f"data/{path.stem}", engine, jsonl_items(path)))
    rules = rules_speed.load(0, random.Random(7))
    dense = rules_speed.make_dense_items(
        args.dense_items, random.Random(7), rules_speed.trigger_vocabulary(rules)
    )
    corpora.append(("bench/dense", engine, dense))
    rng = random.Random(7)
    normal = rules_speed.make_items(args.normal_items, rng)
    with_synthetic = RuleEngine(rules_speed.load(500, rng))
    corpora.append(("bench/normal", engine, normal))
    corpora.append(("bench/normal+500", with_synthetic, normal))
    unique = rules_speed.make_items(2000, random.Random(7), unique=True)
    corpora.append(("bench/unique+500", with_synthetic, unique))
    corpora.append(("seeds/demo", engine, list(seed_items())))
    for name, eng, items in corpora:
        print(f"{name:<28} {digest(eng, items)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
