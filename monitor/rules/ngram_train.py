"""Train the statistical reading (``situation-room rules train``); needs scikit-learn.

Each training file is JSON Lines with a ``text`` and a boolean per principal category
(``ceasefire_violation``, ``force_deployment``), as tests/data/real/*.jsonl and the shared dev set
are. The model is a class-balanced logistic regression per category over the binary features of
``monitor.rules.ngram.features`` (words and adjacent word pairs seen in at least ``min_df`` units),
written as gzipped JSON the package reads without scikit-learn.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from monitor.rules.ngram import CATEGORIES, FORMAT, NgramModel, features

DEFAULT_THRESHOLDS = {"ceasefire_violation": 0.9, "force_deployment": 0.95}
"""Set for false alarms rather than F1: on the time-forward check of benchmarks/linear_stage_cv.py
(trained without two parts, scored on them) these cost about one point of hard-negative false alarms."""


class TrainError(Exception):
    """Training data or set-up that cannot make a model (the message says which and why)."""


def read_rows(paths: list[Path]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise TrainError(f"{path}: {exc.strerror or exc}") from exc
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TrainError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise TrainError(f"{path}:{number}: a unit needs a 'text' string")
            for category in CATEGORIES:
                if not isinstance(row.get(category.value), bool):
                    raise TrainError(f"{path}:{number}: '{category.value}' must be true or false")
            rows.append(row)
    if not rows:
        raise TrainError("no labeled units in " + ", ".join(map(str, paths)))
    return rows


def train(
    paths: list[Path],
    *,
    c: float = 1.0,
    min_df: int = 3,
    thresholds: dict[str, float] | None = None,
) -> dict[str, object]:
    """The model's JSON form, trained on every unit of ``paths``."""
    try:
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise TrainError(
            "training needs scikit-learn: pip install 'situation-room[train]' (reading needs nothing extra)"
        ) from exc
    import sklearn

    rows = read_rows(paths)
    sets = [features(str(r["text"])) for r in rows]
    df = Counter(f for s in sets for f in s)
    vocab = sorted(f for f, n in df.items() if n >= min_df)
    index = {f: i for i, f in enumerate(vocab)}
    indptr, indices = [0], []
    for s in sets:
        indices.extend(sorted(index[f] for f in s if f in index))
        indptr.append(len(indices))
    matrix = csr_matrix(([1.0] * len(indices), indices, indptr), shape=(len(rows), len(vocab)))
    limits = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    heads: dict[str, object] = {}
    counts: dict[str, int] = {}
    for category in CATEGORIES:
        labels = [bool(r[category.value]) for r in rows]
        counts[category.value] = sum(labels)
        if 0 < sum(labels) < len(labels):
            model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
            model.fit(matrix, labels)
            weights = [round(float(w), 4) for w in model.coef_[0]]
            bias = round(float(model.intercept_[0]), 4)
        else:
            raise TrainError(f"{category.value}: the units need both positives and negatives")
        heads[category.value] = {"bias": bias, "threshold": limits[category.value], "weights": weights}
    # a feature no head weighs is dropped from the file
    keep = [i for i in range(len(vocab)) if any(h["weights"][i] for h in heads.values())]  # type: ignore[index]
    for head in heads.values():
        head["weights"] = [head["weights"][i] for i in keep]  # type: ignore[index]
    return {
        "format": FORMAT,
        "features": [vocab[i] for i in keep],
        "heads": heads,
        "meta": {
            "trained": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "files": [
                {"name": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()[:16]} for p in paths
            ],
            "units": len(rows),
            "positives": counts,
            "c": c,
            "min_df": min_df,
            "scikit_learn": sklearn.__version__,
        },
    }


def write(model: dict[str, object], out: Path) -> None:
    """Write the model (checked by reading it back) atomically, gzipped with a fixed timestamp."""
    NgramModel.from_dict(model)
    tmp = out.with_name(out.name + ".tmp")
    payload = json.dumps(model, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    with tmp.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(payload)
    tmp.replace(out)
