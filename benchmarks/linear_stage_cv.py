"""Would a small statistical second stage help the rules? Cross-validated check on the tune part.

    python benchmarks/linear_stage_cv.py [--sklearn] [--folds-by story|conflict]
    python benchmarks/linear_stage_cv.py --measure tests/data/real/holdout.jsonl [--threshold 0.8]

A logistic regression over word unigrams and bigrams (pure Python, SGD) is trained per principal
category on tests/data/real/tune.jsonl plus the shared dev.jsonl, five folds split by story, and
scored on the held-out tune folds alone and as a second stage that adds an event when the rules
fired none and the model's probability exceeds a threshold. The rules alone are the baseline in the
same run. Nothing here touches tests/data/real/test.jsonl or holdout.jsonl.

``--measure FILE [--threshold T] [--veto V]`` (needs scikit-learn) trains on all of tune + dev and
scores FILE once, aggregates only: the way to see whether the second stage carries to a held-out
part, with T (0.8 unless said) and V chosen on the tune folds beforehand. ``--veto V`` also scores the
model as a filter: a rule's event is dropped where the model's probability is below V (precision
instead of recall).

``--forward b25,b26 [--threshold T] [--veto V]``: the same, trained on tune + dev without those
parts and scored on their units alone — a time-forward check of parts already measured and moved to
tune, with the rules of the moment they were measured on PYTHONPATH.

``--sklearn`` (needs ``pip install scikit-learn``) uses scikit-learn's TF-IDF over word 1-3 grams
and a class-balanced logistic regression instead, and also scores a stricter second stage that
fires only where no rule of that category matched at all, guarded matches included (so the model
never overrides a negation or hedge the rules saw). ``--folds-by conflict`` splits the folds by
theatre instead of story, which is closer to news from a theatre the rules have not met. Every
line also gives the hard-negative false alarms (a C5-C10 / F7-F13 clause on a negative label).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
import re
import sys
from collections.abc import Callable
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


HARD = {
    "ceasefire_violation": {f"C{i}" for i in range(5, 11)},
    "force_deployment": {f"F{i}" for i in range(7, 14)},
}


def hard_alarms(label: str, rows: list[Row], fired: list[bool]) -> str:
    hard = [not r[label] and bool(set(r.get("clause") or []) & HARD[label]) for r in rows]  # type: ignore[call-overload]
    return f"hard-negative false alarms {sum(h and f for h, f in zip(hard, fired, strict=True))}/{sum(hard)}"


def sklearn_trainer() -> Callable[[list[Row], str], Callable[[str], float]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    def fit(data: list[Row], label: str) -> Callable[[str], float]:
        model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, token_pattern=r"[a-z0-9']+"),
            LogisticRegression(C=10, max_iter=3000, class_weight="balanced"),
        )
        model.fit([str(r["text"]) for r in data], [bool(r[label]) for r in data])
        return lambda text: float(model.predict_proba([text])[0, 1])

    return fit


def sgd_trainer(data: list[Row], label: str) -> Callable[[str], float]:
    model = train(data, label)
    return lambda text: prob(model, text)


def _part(row: Row) -> str:
    """The source file a tune unit came from: "b25" for "b25.17"."""
    return str(row["id"]).split(".", 1)[0]


def measure(
    path: Path, threshold: float, veto: float | None = None, forward: frozenset[str] = frozenset()
) -> int:
    """Train on all of tune + dev, score ``path`` once: the rules alone, the model alone and the rules
    plus the model where no rule of the category matched and p > ``threshold`` (chosen beforehand on
    the tune folds). Aggregates only, so it may run on a held-out part. With ``forward`` (part names
    such as b25), train on the other parts only and score those parts' tune units: what the second
    stage would have done on them when they were fresh (put the rules of that moment on PYTHONPATH)."""
    fit = sklearn_trainer()
    tune_rows: list[Row] = [json.loads(line) for line in TUNE.open(encoding="utf-8")]
    train_rows: list[Row] = [r for r in tune_rows if _part(r) not in forward]
    if DEV.exists():
        train_rows += [json.loads(line) for line in DEV.open(encoding="utf-8")]
    if forward:
        rows: list[Row] = [r for r in tune_rows if _part(r) in forward]
        scored = f"{TUNE} ({', '.join(sorted(forward))} only)"
    else:
        rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        scored = str(path)
    engine = RuleEngine.load()
    predict = engine_predict(engine)
    print(f"trained on {len(train_rows)} units (tune + dev); scored on {scored} ({len(rows)} units)")
    if forward:
        print("(the rules are those on the import path; the model never saw the scored parts)")
    for label, cat in (
        ("ceasefire_violation", Category.CEASEFIRE_VIOLATION),
        ("force_deployment", Category.FORCE_DEPLOYMENT),
    ):
        score = fit(train_rows, label)
        gold = [bool(r[label]) for r in rows]
        p = [score(str(r["text"])) for r in rows]
        rules = [cat in predict(r) for r in rows]
        matched = [any(h.rule.category is cat for h in engine.hits(str(r["text"]))) for r in rows]
        for name, fired in (
            ("rules alone", rules),
            ("model alone (>0.5)", [x > 0.5 for x in p]),
            (
                f"rules + model>{threshold}, no match",
                [r or (not m and x > threshold) for r, m, x in zip(rules, matched, p, strict=True)],
            ),
            *(
                [(f"rules, veto p<{veto}", [r and x >= veto for r, x in zip(rules, p, strict=True)])]
                if veto is not None
                else []
            ),
        ):
            pairs = list(zip(gold, fired, strict=True))
            print(f"{label}: {name:<28} {f1(pairs)}  {hard_alarms(label, rows, fired)}")
    return 0


def main() -> int:
    if "--forward" in sys.argv:
        parts = frozenset(sys.argv[sys.argv.index("--forward") + 1].split(","))
        threshold = float(sys.argv[sys.argv.index("--threshold") + 1]) if "--threshold" in sys.argv else 0.8
        veto = float(sys.argv[sys.argv.index("--veto") + 1]) if "--veto" in sys.argv else None
        return measure(TUNE, threshold, veto, forward=parts)
    if "--measure" in sys.argv:
        at = sys.argv.index("--measure")
        threshold = float(sys.argv[sys.argv.index("--threshold") + 1]) if "--threshold" in sys.argv else 0.8
        veto = float(sys.argv[sys.argv.index("--veto") + 1]) if "--veto" in sys.argv else None
        return measure(Path(sys.argv[at + 1]), threshold, veto)
    use_sklearn = "--sklearn" in sys.argv
    by = sys.argv[sys.argv.index("--folds-by") + 1] if "--folds-by" in sys.argv else "story"
    fit = sklearn_trainer() if use_sklearn else sgd_trainer
    tune: list[Row] = [json.loads(line) for line in TUNE.open(encoding="utf-8")]
    extra: list[Row] = [json.loads(line) for line in DEV.open(encoding="utf-8")] if DEV.exists() else []
    for row in extra:
        row["story"] = f"dev-{row['source']}"
        row["conflict"] = "dev"
    rows = tune + extra
    engine = RuleEngine.load()
    predict = engine_predict(engine)
    rules = {id(r): predict(r) for r in tune}
    matched = {id(r): {h.rule.category for h in engine.hits(str(r["text"]))} for r in tune}
    fold = {str(r[by]): int(hashlib.md5(str(r[by]).encode()).hexdigest(), 16) % 5 for r in rows}
    kind = "scikit-learn TF-IDF 1-3 grams" if use_sklearn else "SGD 1-2 grams"
    print(f"{len(tune)} tune units, 5 folds by {by}, {kind}")
    for label, cat in (
        ("ceasefire_violation", Category.CEASEFIRE_VIOLATION),
        ("force_deployment", Category.FORCE_DEPLOYMENT),
    ):
        p: dict[int, float] = {}
        for k in range(5):
            score = fit([r for r in rows if fold[str(r[by])] != k], label)
            for r in tune:
                if fold[str(r[by])] == k:
                    p[id(r)] = score(str(r["text"]))
        gold = [bool(r[label]) for r in tune]

        def show(name: str, fired: list[bool], label: str = label, gold: list[bool] = gold) -> None:
            pairs = list(zip(gold, fired, strict=True))
            print(f"{label}: {name:<28} {f1(pairs)}  {hard_alarms(label, tune, fired)}")

        show("rules alone", [cat in rules[id(r)] for r in tune])
        show("model alone (>0.5)", [p[id(r)] > 0.5 for r in tune])
        for v in (0.05, 0.1, 0.2, 0.3):
            show(f"rules, veto p<{v}", [cat in rules[id(r)] and p[id(r)] >= v for r in tune])
        for th in (0.5, 0.7, 0.8, 0.9, 0.95):
            show(f"rules + model>{th}", [cat in rules[id(r)] or p[id(r)] > th for r in tune])
            if use_sklearn:
                show(
                    f"rules + model>{th}, no match",
                    [cat in rules[id(r)] or (cat not in matched[id(r)] and p[id(r)] > th) for r in tune],
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
