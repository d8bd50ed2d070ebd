"""The statistical reading: a linear model over a sentence's words and word pairs.

The rules decide; this reading only speaks where no rule of a principal category matched a sentence
at all (guarded matches included, so it never overrides a negation or hedge a rule saw). It was
trained on labeled real news (``situation-room rules train``) and ships as a small JSON file in the
package: a weight per word and word pair, a bias and a threshold per category. A sentence's score
is the bias plus the weights of the features it holds, so every event explains itself: its rule id
is ``ngram.<category>`` and its detail names the cues that weighed most.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from monitor.models import STATISTICAL_RULE_PREFIX, Category, is_statistical
from monitor.rules.terms import tokenize

MODEL_PATH = Path(__file__).with_name("ngram_model.json.gz")
"""The shipped model; ``situation-room rules train`` writes it."""

__all__ = ["MODEL_PATH", "NgramModel", "Reading", "features", "is_statistical", "rule_id", "shipped"]

CATEGORIES: tuple[Category, ...] = (Category.CEASEFIRE_VIOLATION, Category.FORCE_DEPLOYMENT)
FORMAT = 1
_WORD = re.compile(r"[a-z0-9][a-z0-9']*\Z")


def rule_id(category: Category) -> str:
    return f"{STATISTICAL_RULE_PREFIX}{category.value}"


def features(sentence: str) -> set[str]:
    """The words of a sentence (numbers as ``#``) and each pair of adjacent words."""
    words = ["#" if tok.isdigit() else tok for tok in tokenize(sentence) if _WORD.match(tok)]
    out = set(words)
    out.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return out


@dataclass(frozen=True, slots=True)
class Reading:
    """What the model says of one sentence for one category."""

    category: Category
    probability: float
    cues: tuple[str, ...]
    """The features that weighed most toward the category, strongest first."""


@dataclass(frozen=True, slots=True)
class _Head:
    bias: float
    threshold: float
    weights: dict[str, float]


class NgramModel:
    """A trained model: per category, a bias, a threshold and a weight per feature."""

    def __init__(self, heads: dict[Category, _Head], meta: dict[str, object]) -> None:
        self._heads = heads
        self.meta = meta
        """What the model was trained on and how (written by the trainer)."""

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> NgramModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"n-gram model format {data.get('format')!r}, expected {FORMAT}")
        vocab = data["features"]
        if not isinstance(vocab, list):
            raise ValueError("n-gram model: 'features' must be a list")
        heads: dict[Category, _Head] = {}
        raw_heads = data["heads"]
        if not isinstance(raw_heads, dict):
            raise ValueError("n-gram model: 'heads' must be a mapping")
        for name, head in raw_heads.items():
            category = Category(name)
            weights = head["weights"]
            if len(weights) != len(vocab):
                raise ValueError(f"n-gram model: {name} has {len(weights)} weights for {len(vocab)} features")
            heads[category] = _Head(
                bias=float(head["bias"]),
                threshold=float(head["threshold"]),
                weights={f: float(w) for f, w in zip(vocab, weights, strict=True) if w},
            )
        meta = data.get("meta")
        return cls(heads, meta if isinstance(meta, dict) else {})

    @classmethod
    def read(cls, path: Path) -> NgramModel:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))

    def categories(self) -> tuple[Category, ...]:
        return tuple(self._heads)

    def threshold(self, category: Category) -> float:
        return self._heads[category].threshold

    def read_sentence(self, sentence: str, categories: Iterable[Category] | None = None) -> list[Reading]:
        """The model's reading of ``sentence`` for each category asked (all when None)."""
        feats = features(sentence)
        out: list[Reading] = []
        for category in self._heads if categories is None else categories:
            head = self._heads.get(category)
            if head is None:
                continue
            weights = head.weights
            present = [(w, f) for f in feats if (w := weights.get(f)) is not None]
            score = head.bias + sum(w for w, _ in present)
            prob = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
            cues = tuple(f for w, f in sorted(present, reverse=True)[:3] if w > 0)
            out.append(Reading(category, prob, cues))
        return out

    def fires(self, sentence: str, categories: Iterable[Category]) -> list[Reading]:
        """The readings of ``sentence`` above their category's threshold."""
        return [
            r for r in self.read_sentence(sentence, categories) if r.probability > self.threshold(r.category)
        ]


@cache
def shipped() -> NgramModel | None:
    """The model shipped in the package (read once), or None if the file is absent."""
    return NgramModel.read(MODEL_PATH) if MODEL_PATH.exists() else None
