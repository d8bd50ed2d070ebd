"""Would a small statistical second stage help the rules? Cross-validated check on the tune part.

    python benchmarks/linear_stage_cv.py

A logistic regression over word unigrams and bigrams (pure Python, SGD) is trained per principal
category on tests/data/real/tune.jsonl plus the shared dev.jsonl, five folds split by story, and
scored on the held-out tune folds alone and as a second stage that adds an event when the rules
fired none and the model's probability exceeds a threshold. The rules alone are the baseline in the
same run. Nothing here touches tests/data/real/test.jsonl.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
import re
import sys
from pathlib import Path

from eval_rules import engine_predict

from monitor.models import Category
from monitor.rules import RuleEngine

ROOT = Path(__file__).resolve().parent.parent
TUNE = ROOT / "tests" / "data" / "real" / "tune.jsonl"
DEV = Path("/work/shared/eval/dev.jsonl")
WORD = re.compile(r"[a-z0-9']+")
Row = dict[str, object]


def feats(text: str) -> set[str]:
    words = WORD.findall(text.lower())
    return set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}


def train(
    data: list[Row], label: str, epochs: int = 30, lr: float = 0.3, l2: float = 1e-3
) -> tuple[dict[str, float], float]:
    w: dict[str, float] = {}
    b = 0.0
    for ep in range(epochs):
        random.Random(ep).shuffle(data)
        for row in data:
            x = feats(str(row["text"]))
            y = 1.0 if row[label] else 0.0
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, b + sum(w.get(k, 0.0) for k in x)))))
            g = p - y
            b -= lr * g
            for k in x:
                w[k] = w.get(k, 0.0) * (1 - lr * l2) - lr * g
    return w, b


def prob(model: tuple[dict[str, float], float], text: str) -> float:
    w, b = model
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, b + sum(w.get(k, 0.0) for k in feats(text))))))


def f1(pairs: list[tuple[bool, bool]]) -> str:
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return f"P {prec:.2f} R {rec:.2f} F1 {2 * prec * rec / (prec + rec) if prec + rec else 0.0:.3f}"


def main() -> int:
    tune: list[Row] = [json.loads(line) for line in TUNE.open(encoding="utf-8")]
    extra: list[Row] = [json.loads(line) for line in DEV.open(encoding="utf-8")] if DEV.exists() else []
    for row in extra:
        row["story"] = f"dev-{row['source']}"
    rows = tune + extra
    predict = engine_predict(RuleEngine.load())
    rules = {id(r): predict(r) for r in tune}
    fold = {str(r["story"]): int(hashlib.md5(str(r["story"]).encode()).hexdigest(), 16) % 5 for r in rows}
    for label, cat in (
        ("ceasefire_violation", Category.CEASEFIRE_VIOLATION),
        ("force_deployment", Category.FORCE_DEPLOYMENT),
    ):
        p: dict[int, float] = {}
        for k in range(5):
            model = train([r for r in rows if fold[str(r["story"])] != k], label)
            for r in tune:
                if fold[str(r["story"])] == k:
                    p[id(r)] = prob(model, str(r["text"]))
        gold = [(bool(r[label]), r) for r in tune]
        print(f"{label}: rules alone        {f1([(g, cat in rules[id(r)]) for g, r in gold])}")
        print(f"{label}: model alone (>0.5) {f1([(g, p[id(r)] > 0.5) for g, r in gold])}")
        for th in (0.5, 0.7, 0.9, 0.95):
            pairs = [(g, cat in rules[id(r)] or p[id(r)] > th) for g, r in gold]
            print(f"{label}: rules + model>{th:<4}  {f1(pairs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
