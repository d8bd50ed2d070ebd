"""Benchmark: checking a large feeds.yaml, with one libyaml parse beside the two pure-Python parses.

    .venv/bin/python benchmarks/config_load.py [--mb 10] [--repeats 3]

The file is made of ordinary feeds (name, url, tier, interval, tags), one after another, up to the
size asked for. The baseline is what `feeds check` did before: ``yaml.compose`` for line numbers and
``yaml.safe_load`` for the data, both with PyYAML's pure-Python SafeLoader, then the same validation.
The new path is ``parse_settings``: one parse with libyaml (CSafeLoader) giving nodes and data, plus
the alias and duplicate-key checks. Both are timed in the same run, in turns.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import yaml

from monitor.config import Settings, parse_settings


def make_text(megabytes: float) -> str:
    target = int(megabytes * 1024 * 1024)
    parts = ["# a large feeds.yaml\nretention_days: 30\nfeeds:\n"]
    size, n = len(parts[0]), 0
    while size < target:
        entry = (
            f"  - name: feed {n}\n"
            f"    url: https://news{n % 97}.example.org/section/{n}/rss.xml\n"
            f"    tier: {('wire', 'outlet', 'official', 'ngo', 'osint')[n % 5]}\n"
            f"    interval: {300 + n % 600}\n"
            f"    tags: [gaza, region-{n % 13}]\n"
        )
        parts.append(entry)
        size += len(entry)
        n += 1
    return "".join(parts)


def old_check(text: str) -> Settings:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    data: Any = yaml.safe_load(text) if node is not None else {}
    return Settings.model_validate({**data, "source": "feeds.yaml"})


def timed(fn: Any, text: str) -> tuple[float, int]:
    start = time.perf_counter()
    settings = fn(text)
    return time.perf_counter() - start, len(settings.feeds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    text = make_text(args.mb)
    print(f"feeds.yaml: {len(text.encode()) / 1e6:.1f} MB, {text.count('- name:'):,} feeds")
    print(f"libyaml available: {yaml.__with_libyaml__}")
    old: list[float] = []
    new: list[float] = []
    for _ in range(args.repeats):
        t, n_old = timed(old_check, text)
        old.append(t)
        t, n_new = timed(lambda s: parse_settings(s, "feeds.yaml"), text)
        new.append(t)
        assert n_old == n_new
    print(f"{'':34} {'median':>9} {'min':>9}")
    print(f"{'before: 2 pure-Python parses':34} {statistics.median(old):8.2f}s {min(old):8.2f}s")
    print(f"{'after: 1 libyaml parse + checks':34} {statistics.median(new):8.2f}s {min(new):8.2f}s")
    print(f"speed-up (median): {statistics.median(old) / statistics.median(new):.1f}x")


if __name__ == "__main__":
    main()
