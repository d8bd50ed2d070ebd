"""Benchmark: `feeds import` of an OPML file whose outlines all share one title.

    .venv/bin/python benchmarks/opml_import.py [--sizes 2500,5000,10000,20000]

Each size is a whole import (read the OPML, append to an empty feeds.yaml, validate the result) in
this process. The baseline is the name numbering import used before: for each repeated title it
tried " (2)", " (3)"... from the start against the names taken so far, so the n-th copy cost n
tries; it is timed alone, on the same titles, in the same run. The new numbering carries on from the
last suffix handed out for that title.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from monitor.opml import MAX_NAME, _Names, import_opml


def old_unique(name: str, taken: set[str]) -> str:
    base = name[:MAX_NAME]
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = base[: MAX_NAME - len(suffix)] + suffix
        n += 1
    return candidate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,5000,10000,20000")
    args = parser.parse_args()
    print(f"{'outlines':>9} {'old numbering':>14} {'new numbering':>14} {'whole import (new)':>19}")
    for size in (int(s) for s in args.sizes.split(",")):
        start = time.perf_counter()
        taken: set[str] = set()
        for _ in range(size):
            taken.add(old_unique("Same", taken).casefold())
        old = time.perf_counter() - start
        start = time.perf_counter()
        names = _Names(())
        for _ in range(size):
            names.unique("Same")
        new = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as tmp:
            opml = Path(tmp) / "same.opml"
            body = "".join(f'<outline text="Same" xmlUrl="https://e{i}.example/rss"/>' for i in range(size))
            opml.write_text(f'<opml version="2.0"><body>{body}</body></opml>', encoding="utf-8")
            start = time.perf_counter()
            counts = import_opml(opml, Path(tmp) / "feeds.yaml", warn=lambda _m: None)
            whole = time.perf_counter() - start
            assert counts.added == size
        print(f"{size:>9,} {old:>13.2f}s {new:>13.3f}s {whole:>18.2f}s")


if __name__ == "__main__":
    main()
