"""Two checkouts side by side: cold ``watch --once`` runs alternated on one server per corpus.

    python benchmarks/cold_ab.py BEFORE_CHECKOUT [AFTER_CHECKOUT] [--cases mix,conflict] [--rounds 6]

For each corpus of ``ingest_vs_newsboat.py`` (its server, 200 feeds x 50 items unless told), every
round runs ``python -m monitor watch --once`` into an empty store once with each checkout on
``PYTHONPATH`` (the order flips each round), and prints medians of the wall time, of the CPU time
of the whole process tree (user + system, parser workers included: what the two cores are asked
for, and far steadier than wall time on a shared machine), and the peak RSS of the tree. Both run
with this interpreter (the same installed packages); AFTER defaults to this checkout.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from ingest_vs_newsboat import CORPORA, ROOT, Server, load_average, run_tree, write_config


def tree_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path, nargs="?", default=ROOT)
    parser.add_argument("--cases", default="mix,conflict", help="from: " + ", ".join(CORPORA))
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    for tree in trees.values():
        if not (tree / "monitor" / "__main__.py").is_file():
            parser.error(f"{tree} is not a checkout of the project")
        compileall.compile_dir(str(tree / "monitor"), quiet=1)
    print(f"{args.rounds} rounds; load average {load_average()}", flush=True)
    for case in (c.strip() for c in args.cases.split(",") if c.strip()):
        server = Server(case, args.feeds, args.items, 0)
        runs: dict[str, list[tuple[float, float, float]]] = {who: [] for who in trees}
        tmp = Path(tempfile.mkdtemp(prefix="bench-cold-ab-"))
        try:
            config = tmp / "feeds.yaml"
            write_config(config, server.urls, 8)
            for rnd in range(args.rounds):
                for who in list(trees) if rnd % 2 == 0 else list(trees)[::-1]:
                    data = tmp / f"data-{who}"
                    shutil.rmtree(data, ignore_errors=True)
                    command = [sys.executable, "-m", "monitor", "--config", str(config)]
                    command += ["--data-dir", str(data), "watch", "--once"]
                    env = {**os.environ, "PYTHONPATH": str(trees[who])}
                    cpu = tree_cpu()
                    wall, rss, code, err = run_tree(command, env)
                    cpu = tree_cpu() - cpu
                    if code != 0:
                        raise SystemExit(f"{who}: watch --once failed ({code}): {err[-2000:]}")
                    stats = server.stats()
                    assert stats.get("200", 0) == args.feeds, f"{who} cold: {stats}"
                    runs[who].append((wall, cpu, rss))
        finally:
            server.close()
            shutil.rmtree(tmp, ignore_errors=True)
        for who, values in runs.items():
            wall = statistics.median(v[0] for v in values)
            cpu = statistics.median(v[1] for v in values)
            peak = max(v[2] for v in values)
            print(
                f"  {case:9} {who:6} wall {wall:6.2f} s  tree CPU {cpu:6.2f} s  peak RSS {peak:6.1f} MB"
                f"  (walls {', '.join(f'{v[0]:.2f}' for v in values)})",
                flush=True,
            )
        print(f"  load average {load_average()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
