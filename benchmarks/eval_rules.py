"""Score the rules engine on a labeled file (dev.jsonl's format) beside a keyword baseline.

    python benchmarks/eval_rules.py FILE.jsonl [--rules EXTRA.yaml ...] [--errors] [--by-type] [--by-flag]
        [--rules-only]

Prints precision, recall and F1 per principal category, and the false-positive rate on hard
negatives (rows with hard_negative_reason that are negative for that category; where a row says
which label its reason is for, in hard_negative_for, only that label counts), for both systems.
When the rows carry the deciding GUIDELINE clause (field ``clause``, as tests/data/real/*.jsonl do),
a confusion by clause follows: for each clause, how many units the engine got right and wrong.
``--by-flag`` scores again without the units marked borderline or needs_context, and gives recall per
theatre: aggregates only, like the rest, so it may run on a held-out part (``--errors`` may not).
The engine is what ``situation-room classify`` runs: the rules and, where no rule of a category
matched, the statistical reading (``ngram.*`` events); ``--rules-only`` scores the rules alone.
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
            if row.get("hard_negative_reason") and not gold and _hn_for(row, cat):
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


_SHORT = {Category.CEASEFIRE_VIOLATION: "cv", Category.FORCE_DEPLOYMENT: "fd"}


def _hn_for(row: dict[str, object], cat: Category) -> bool:
    """Whether the row's hard-negative reason applies to ``cat`` (all labels when unsaid)."""
    targets = row.get("hard_negative_for")
    return not isinstance(targets, list) or _SHORT[cat] in targets


def by_clause(
    rows: list[dict[str, object]], predict: Callable[[dict[str, object]], set[Category]]
) -> list[str]:
    """One line per guideline clause: units it decides, how many the engine got right, FP/FN."""
    table: dict[str, list[int]] = {}
    for row in rows:
        clauses = row.get("clause")
        if not isinstance(clauses, list):
            continue
        pred = predict(row)
        for clause in clauses:
            cat = Category.CEASEFIRE_VIOLATION if clause.startswith("C") else Category.FORCE_DEPLOYMENT
            gold = bool(row.get(cat.value))
            got = cat in pred
            cell = table.setdefault(clause, [0, 0, 0, 0])  # units, right, FP, FN
            cell[0] += 1
            cell[1] += gold == got
            cell[2] += got and not gold
            cell[3] += gold and not got
    order = sorted(table, key=lambda c: (c[0], int(c[1:]) if c[1:].isdigit() else 99, c))
    lines = [f"{'clause':<8}{'label':<6}{'units':>6}{'right':>7}{'FP':>5}{'FN':>5}"]
    for clause in order:
        units, right, fp, fn = table[clause]
        kind = "pos" if clause in _POSITIVE else "neg"
        lines.append(f"{clause:<8}{kind:<6}{units:6d}{right:7d}{fp:5d}{fn:5d}")
    return lines


_POSITIVE = {f"C{i}" for i in range(1, 5)} | {f"F{i}" for i in range(1, 7)}


def _borderline(row: dict[str, object]) -> bool:
    return "borderline" in str(row.get("notes") or "")


SUBSETS: dict[str, Callable[[dict[str, object]], bool]] = {
    "all units": lambda r: True,
    "not borderline": lambda r: not _borderline(r),
    "no needs_context": lambda r: not r.get("needs_context"),
    "neither": lambda r: not _borderline(r) and not r.get("needs_context"),
}
"""Subsets --by-flag scores: the annotator's doubtful units (``borderline`` in notes) and units whose
label rests on theatre, date or anaphora (``needs_context``) set apart."""


def by_flag(
    rows: list[dict[str, object]], predict: Callable[[dict[str, object]], set[Category]]
) -> list[str]:
    """Aggregate P / R / F1 per subset of SUBSETS, and recall per theatre (``conflict``): figures
    only, no unit, so they may be printed for a held-out part."""
    preds = [predict(r) for r in rows]
    lines = []
    for cat in PRINCIPAL:
        lines.append(f"{cat.value}:")
        for name, keep in SUBSETS.items():
            tp = fp = fn = 0
            for row, pred in zip(rows, preds, strict=True):
                if keep(row):
                    gold, got = bool(row.get(cat.value)), cat in pred
                    tp, fp, fn = tp + (gold and got), fp + (got and not gold), fn + (gold and not got)
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            lines.append(f"  {name:<18} P {p:.2f}  R {r:.2f}  F1 {f1:.2f}  ({tp + fn} positives)")
        found: dict[str, list[int]] = {}
        for row, pred in zip(rows, preds, strict=True):
            if row.get(cat.value):
                cell = found.setdefault(str(row.get("conflict")), [0, 0])
                cell[0] += cat in pred
                cell[1] += 1
        ranked = sorted(found.items(), key=lambda kv: (-kv[1][1], kv[0]))
        lines.append("  recall by theatre: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in ranked))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--rules", type=Path, action="append", default=[], help="extra rules file")
    ap.add_argument("--rules-only", action="store_true", help="leave out the statistical reading")
    ap.add_argument("--errors", action="store_true", help="list the engine's false positives and negatives")
    ap.add_argument(
        "--by-type", action="store_true", help="also score each text_type (headline, lead, body...)"
    )
    ap.add_argument(
        "--by-flag",
        action="store_true",
        help="also score without borderline / needs_context units, and recall per theatre",
    )
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = RuleEngine.load(args.rules, statistical=not args.rules_only)
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
    if args.by_type:
        for kind in sorted({str(r.get("text_type")) for r in rows}):
            part = [r for r in rows if str(r.get("text_type")) == kind]
            res = score(part, engine_predict(engine))
            cells = "  ".join(
                f"{_SHORT[c]} F1 {res[c.value]['f1']:.2f}"  # type: ignore[index]
                for c in PRINCIPAL
            )
            print(f"  {kind:<11}({len(part):3d} units)  {cells}")
    clause_lines = by_clause(rows, engine_predict(engine))
    if len(clause_lines) > 1:
        print("engine, by deciding GUIDELINE clause:")
        for line in clause_lines:
            print("  " + line)
    if args.by_flag:
        print("engine, by annotation flag:")
        for line in by_flag(rows, engine_predict(engine)):
            print("  " + line)
    if args.errors:
        for cat in PRINCIPAL:
            s = systems["engine"][cat.value]
            assert isinstance(s, dict)
            for line in s["wrong"]:
                print(f"[{cat.value}] {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
