"""The rules engine compiled by mypyc from the same sources, against the pure-Python engine.

    python benchmarks/rules_compiled.py [--out DIR] [--items 3000] [--rounds 3] [--pairs 2]

Copies ``monitor/`` to DIR (default: a fresh temporary directory; nothing is written into the source
tree, where a compiled module would shadow its ``.py`` and hide later edits), marks ``terms.Tokens``
(a tuple subclass, which mypyc cannot make a native class) as a plain Python class, and compiles
the seven modules of ``monitor/rules`` that do the matching. Then, each in a fresh process pinned to
one core where ``taskset`` exists:

1. ``rules_identity.py`` with each engine: the digests must be equal, or nothing else is reported;
2. the dense items of ``rules_speed.py --dense``, CPU time (``time.process_time``), best of
   ``--rounds`` passes, pure and compiled alternated ``--pairs`` times.

Needs mypyc (it comes with mypy, in the test extras) and a C compiler; the build takes about 30 s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("terms", "phrases", "guards", "fd_clauses", "engine", "extract", "gazetteer")
_TOKENS_CLASS = "class Tokens(tuple[str, ...]):"
_TOKENS_NEW = "self = super().__new__(cls, tokens)"


def build(out: Path) -> None:
    """A copy of ``monitor/`` under ``out`` with the matching modules compiled in place."""
    shutil.copytree(ROOT / "monitor", out / "monitor", ignore=shutil.ignore_patterns("__pycache__"))
    terms = out / "monitor" / "rules" / "terms.py"
    source = terms.read_text(encoding="utf-8")
    if _TOKENS_CLASS not in source or _TOKENS_NEW not in source:
        raise SystemExit("terms.Tokens is not written as this script expects: update its two edits")
    source = source.replace(
        _TOKENS_CLASS,
        "from mypy_extensions import mypyc_attr\n\n\n@mypyc_attr(native_class=False)\n" + _TOKENS_CLASS,
        1,
    ).replace(_TOKENS_NEW, "self = tuple.__new__(cls, tokens)", 1)  # mypyc: no super() here
    terms.write_text(source, encoding="utf-8")
    files = [f"monitor/rules/{name}.py" for name in MODULES]
    subprocess.run([sys.executable, "-m", "mypyc", *files], cwd=out, check=True, stdout=subprocess.DEVNULL)


def _run(args: list[str], path: Path | None) -> str:
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = str(path)
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    done = subprocess.run([*pin, sys.executable, *args], env=env, check=True, capture_output=True, text=True)
    return done.stdout


def time_dense(n_items: int, rounds: int) -> None:
    """(in the child process) the dense items' rate, best of ``rounds`` passes, by CPU time."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import rules_speed

    from monitor.rules import engine as engine_module

    rules = rules_speed.load(0, random.Random(7))
    engine = engine_module.RuleEngine(rules)
    items = rules_speed.make_dense_items(n_items, random.Random(7), rules_speed.trigger_vocabulary(rules))
    for item in items[:200]:
        engine.classify(item)  # warm the caches
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for item in items:
            engine.classify(item)
        best = min(best, time.process_time() - t0)
    compiled = not str(engine_module.__file__).endswith(".py")
    print(f"{'compiled' if compiled else 'pure'} {n_items / best:.0f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="where to build (default: a temporary directory)")
    ap.add_argument("--items", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pairs", type=int, default=2)
    ap.add_argument("--time-dense", action="store_true", help=argparse.SUPPRESS)  # the child's part
    args = ap.parse_args(argv)
    if args.time_dense:
        time_dense(args.items, args.rounds)
        return 0
    out = args.out or Path(tempfile.mkdtemp(prefix="rules_compiled_"))
    t0 = time.perf_counter()
    build(out)
    print(f"built in {time.perf_counter() - t0:.0f} s: {out}")
    identity = str(ROOT / "benchmarks" / "rules_identity.py")
    pure, compiled = _run([identity], None), _run([identity], out)
    if pure != compiled:
        print("rules_identity: the compiled engine's digests DIFFER from the pure engine's")
        return 1
    print(f"rules_identity: the same digests ({len(pure.splitlines())} corpora)")
    timer = [__file__, "--time-dense", "--items", str(args.items), "--rounds", str(args.rounds)]
    for pair in range(1, args.pairs + 1):
        rates = {}
        for path in (None, out):
            kind, rate = _run(timer, path).split()
            rates[kind] = float(rate)
        gain = rates["compiled"] / rates["pure"]
        print(
            f"pair {pair}: dense pure {rates['pure']:,.0f} items/s, compiled {rates['compiled']:,.0f} "
            f"items/s (x{gain:.2f}); load average {os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
