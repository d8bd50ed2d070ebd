"""Benchmark: `feeds import` of an OPML file whose outlines all share one title; and into a large feeds.yaml.

    .venv/bin/python benchmarks/opml_import.py [--sizes 2500,5000,10000,20000]
    .venv/bin/python benchmarks/opml_import.py --sizes 0 --into-mb 10 [--repeats 2]

Each size is a whole import (read the OPML, append to an empty feeds.yaml, validate the result) in
this process. The baseline is the name numbering import used before: for each repeated title it
tried " (2)", " (3)"... from the start against the names taken so far, so the n-th copy cost n
tries; it is timed alone, on the same titles, in the same run. The new numbering carries on from the
last suffix handed out for that title.

With ``--into-mb``, 100 outlines are imported into a generated feeds.yaml of that size (the one
``config_load.py`` makes). The baseline is the import as it was: ``load_settings`` (one libyaml
parse), PyYAML's pure-Python ``yaml.compose`` to find where the list ends, and ``parse_settings`` of
the whole result to validate it. The new import parses the file once (``parse_document``) and
validates its data with the appended lines, parsed alone. Both run in the same process, in turns,
each on a fresh copy of the file, and must write the same text.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from config_load import make_text

from monitor.config import load_settings, parse_settings
from monitor.files import write_atomically
from monitor.opml import MAX_NAME, _Names, append_feeds, import_opml, read_opml

NOTE = "imported from subs.opml"


def old_unique(name: str, taken: set[str]) -> str:
    base = name[:MAX_NAME]
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = base[: MAX_NAME - len(suffix)] + suffix
        n += 1
    return candidate


def old_import(opml: Path, config: Path) -> int:
    """The import before: three parses of feeds.yaml, one of them pure Python."""
    outlines = read_opml(opml.read_bytes(), str(opml))
    settings = load_settings(config)
    text = config.read_text(encoding="utf-8")
    names = _Names(f.name for f in settings.feeds)
    for outline in outlines:
        outline.name = names.unique(outline.name)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    new_text = append_feeds(text, outlines, note=NOTE, name=str(config), root=root)
    parse_settings(new_text, str(config))
    write_atomically(config, new_text)
    return len(outlines)


def into_large(megabytes: float, repeats: int) -> None:
    text = make_text(megabytes)
    body = "".join(f'<outline text="New {i}" xmlUrl="https://new{i}.example/rss"/>' for i in range(100))
    print(f"feeds.yaml: {len(text.encode()) / 1e6:.1f} MB, {text.count('- name:'):,} feeds; 100 outlines")
    old_t: list[float] = []
    new_t: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        opml = Path(tmp) / "subs.opml"
        opml.write_text(f'<opml version="2.0"><body>{body}</body></opml>', encoding="utf-8")
        results: dict[str, str] = {}
        for _ in range(repeats):
            for label, run, times in (("old", old_import, old_t), ("new", None, new_t)):
                config = Path(tmp) / f"{label}.yaml"
                config.write_text(text, encoding="utf-8")
                start = time.perf_counter()
                if run is None:
                    added = import_opml(opml, config, warn=lambda _m: None).added
                else:
                    added = run(opml, config)
                times.append(time.perf_counter() - start)
                assert added == 100
                results[label] = config.read_text(encoding="utf-8")
        # the old path's note has no date: that line is the only one the two may differ in
        old_lines = [line for line in results["old"].splitlines() if "# imported" not in line]
        new_lines = [line for line in results["new"].splitlines() if "# imported" not in line]
        assert old_lines == new_lines, "the two imports wrote different feeds.yaml"
    print(f"{'before: 3 parses (1 pure Python)':>34} {'after: 1 libyaml parse':>24} {'speed-up':>9}")
    old_m, new_m = statistics.median(old_t), statistics.median(new_t)
    print(
        f"{old_m:>22.1f} s (min {min(old_t):.1f} s) {new_m:>12.1f} s (min {min(new_t):.1f} s)"
        f" {old_m / new_m:>8.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,5000,10000,20000")
    parser.add_argument("--into-mb", type=float, default=0.0)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    if args.into_mb:
        into_large(args.into_mb, args.repeats)
    if args.sizes == "0":
        return
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
