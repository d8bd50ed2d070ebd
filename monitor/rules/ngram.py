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
from itertools import repeat
from pathlib import Path

from monitor.models import STATISTICAL_RULE_PREFIX, Category, is_statistical
from monitor.rules.terms import normalise

MODEL_PATH = Path(__file__).with_name("ngram_model.json.gz")
"""The shipped model; ``situation-room rules train`` writes it."""

__all__ = ["MODEL_PATH", "NgramModel", "Reading", "features", "is_statistical", "rule_id", "shipped"]

CATEGORIES: tuple[Category, ...] = (Category.CEASEFIRE_VIOLATION, Category.FORCE_DEPLOYMENT)
FORMAT = 1
_WORD = re.compile(r"#|[a-z0-9][a-z0-9']*")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


def rule_id(category: Category) -> str:
    return f"{STATISTICAL_RULE_PREFIX}{category.value}"


def features(sentence: str) -> set[str]:
    """The words of a sentence (numbers as ``#``) and each pair of adjacent words."""
    words = _WORD.findall(_NUMBER.sub("#", normalise(sentence)))
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
    logit: float
    """The score above which the probability exceeds the threshold."""
    weights: dict[str, float]


class NgramModel:
    """A trained model: per category, a bias, a threshold and a weight per feature."""

    def __init__(self, heads: dict[Category, _Head], meta: dict[str, object]) -> None:
        self._heads = heads
        self._order = tuple(heads)
        self.meta = meta
        """What the model was trained on and how (written by the trainer)."""

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> NgramModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"n-gram model format {data.get('format')!r}, expected {FORMAT}")
        vocab = data["features"]
        raw_heads = data["heads"]
        if not isinstance(vocab, list) or not isinstance(raw_heads, dict):
            raise ValueError("n-gram model: 'features' must be a list and 'heads' a mapping")
        heads: dict[Category, _Head] = {}
        for name, head in raw_heads.items():
            weights = head["weights"]
            if len(weights) != len(vocab):
                raise ValueError(f"n-gram model: {name} has {len(weights)} weights for {len(vocab)} features")
            threshold = float(head["threshold"])
            if not 0.0 < threshold < 1.0:
                raise ValueError(f"n-gram model: {name}'s threshold {threshold} is not between 0 and 1")
            heads[Category(name)] = _Head(
                bias=float(head["bias"]),
                threshold=threshold,
                logit=math.log(threshold / (1.0 - threshold)),
                weights={f: float(w) for f, w in zip(vocab, weights, strict=True) if w},
            )
        meta = data.get("meta")
        return cls(heads, meta if isinstance(meta, dict) else {})

    @classmethod
    def read(cls, path: Path) -> NgramModel:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))

    def categories(self) -> tuple[Category, ...]:
        return self._order

    def threshold(self, category: Category) -> float:
        return self._heads[category].threshold

    def _reading(self, head: _Head, category: Category, score: float, feats: set[str]) -> Reading:
        prob = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
        weights = head.weights
        ranked = sorted(((w, f) for f in feats if (w := weights.get(f, 0.0)) > 0), reverse=True)[:3]
        return Reading(category, prob, tuple(f for _, f in ranked))

    def read_sentence(self, sentence: str, categories: Iterable[Category] | None = None) -> list[Reading]:
        """The model's reading of ``sentence`` for each category asked (all when None)."""
        feats = features(sentence)
        out: list[Reading] = []
        for category in self._order if categories is None else categories:
            head = self._heads.get(category)
            if head is not None:
                score = head.bias + sum(map(head.weights.get, feats, repeat(0.0)))
                out.append(self._reading(head, category, score, feats))
        return out

    def fires(self, sentence: str, categories: Iterable[Category]) -> list[Reading]:
        """The readings of ``sentence`` above their category's threshold (cues worked out only for those)."""
        feats = features(sentence)
        out: list[Reading] = []
        for category in categories:
            head = self._heads.get(category)
            if head is not None:
                score = head.bias + sum(map(head.weights.get, feats, repeat(0.0)))
                if score > head.logit:  # p > t: no exponential for the sentences that stay below
                    out.append(self._reading(head, category, score, feats))
        return out


@cache
def shipped() -> NgramModel | None:
    """The model shipped in the package (read once), or None if the file is absent."""
    return NgramModel.read(MODEL_PATH) if MODEL_PATH.exists() else None
