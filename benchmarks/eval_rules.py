"""Score the rules engine on a labeled file (dev.jsonl's format) beside a keyword baseline.

    python benchmarks/eval_rules.py FILE.jsonl [--rules EXTRA.yaml ...] [--errors]

Prints precision, recall and F1 per principal category, and the false-positive rate on hard
negatives (rows with hard_negative_reason that are negative for that category), for both systems.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from monitor.models import Category
from monitor.rules import RuleEngine

PRINCIPAL = (Category.CEASEFIRE_VIOLATION, Category.FORCE_DEPLOYMENT)

# the keyword baseline: a category fires when any of its trigger words occurs
_KEYWORDS = {
    Category.CEASEFIRE_VIOLATION: re.compile(r"violat|breach|ceasefire|cease-fire|truce", re.I),
    Category.FORCE_DEPLOYMENT: re.compile(r"deploy|troops|peacekeep|withdr|forces", re.I),
}


def parse_date(raw: str | None) -> datetime | None:
    """ "2025-10-28" → that day; "2025-10" → late that month; None/bad → None (today is used)."""
    if not raw:
        return None
    parts = raw.split("-")
    try:
        if len(parts) == 3:
            return datetime(int(parts[0]), int(parts[1]), int(parts[2]), 12, tzinfo=UTC)
        if len(parts) == 2:
            return datetime(int(parts[0]), int(parts[1]), 28, 12, tzinfo=UTC)
        return datetime(int(parts[0]), 12, 31, tzinfo=UTC)
    except ValueError:
        return None


def engine_predict(engine: RuleEngine) -> Callable[[dict[str, object]], set[Category]]:
    def predict(row: dict[str, object]) -> set[Category]:
        events = engine.classify_text(str(row["text"]), published=parse_date(row.get("date")))  # type: ignore[arg-type]
        return {e.category for e in events if e.status != "denied"}

    return predict


def keyword_predict(row: dict[str, object]) -> set[Category]:
    return {c for c, rx in _KEYWORDS.items() if rx.search(str(row["text"]))}


def score(
    rows: list[dict[str, object]], predict: Callable[[dict[str, object]], set[Category]]
) -> dict[str, object]:
    out: dict[str, object] = {}
    preds = [predict(r) for r in rows]
    for cat in PRINCIPAL:
        tp = fp = fn = hn = hn_fp = 0
        wrong: list[str] = []
        for row, pred in zip(rows, preds, strict=True):
            gold = bool(row.get(cat.value))
            got = cat in pred
            tp += gold and got
            fp += (not gold) and got
            fn += gold and (not got)
            if row.get("hard_negative_reason") and not gold:
                hn += 1
                hn_fp += got
            if gold != got:
                wrong.append(f"{'FP' if got else 'FN'} {row.get('id', '')}: {row['text']}")
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[cat.value] = {
            "p": p,
            "r": r,
            "f1": f,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "hn": hn,
            "hn_fp": hn_fp,
            "wrong": wrong,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--rules", type=Path, action="append", default=[], help="extra rules file")
    ap.add_argument("--errors", action="store_true", help="list the engine's false positives and negatives")
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = RuleEngine.load(args.rules)
    systems = {"engine": score(rows, engine_predict(engine)), "keywords": score(rows, keyword_predict)}
    print(f"{args.file} ({len(rows)} units)")
    print(f"{'category':<22}{'system':<10}{'P':>6}{'R':>6}{'F1':>6}   TP  FP  FN   hard-neg FP rate")
    for cat in PRINCIPAL:
        for name, res in systems.items():
            s = res[cat.value]
            assert isinstance(s, dict)
            rate = f"{s['hn_fp']}/{s['hn']} = {s['hn_fp'] / s['hn']:.2f}" if s["hn"] else "n/a"
            print(
                f"{cat.value:<22}{name:<10}{s['p']:6.2f}{s['r']:6.2f}{s['f1']:6.2f}"
                f"  {s['tp']:3d} {s['fp']:3d} {s['fn']:3d}   {rate}"
            )
    if args.errors:
        for cat in PRINCIPAL:
            s = systems["engine"][cat.value]
            assert isinstance(s, dict)
            for line in s["wrong"]:
                print(f"[{cat.value}] {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
