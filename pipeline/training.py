"""Training the relevance model (:mod:`pipeline.relevance_model`) with scikit-learn.

Pure: items in, a model (a JSON-ready dict) out; no database, no files but the ones named.
Deterministic: the same items give the same file, byte for byte (liblinear with a fixed seed,
folds with a fixed seed, no clock in the content). ``created`` is the only field that differs.

* **Features** are computed by the same functions tagging uses, so the exported model scores
  exactly what was evaluated; thresholds are chosen on the exported model.
* **C** (regularisation) and the thresholds are chosen on the dev split (:func:`choose_thresholds`:
  recall first for ``relevant``, every dev positive at least ``maybe``).
* **Calibration**: Platt scaling fitted on out-of-fold decision values of the training split.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pipeline.relevance import Lexicons, lexicon_relevance, load_lexicons
from pipeline.relevance_model import (
    DENSE_FEATURES,
    MODEL_FORMAT,
    NGRAM_CHARS,
    NGRAM_SIZES,
    RelevanceModel,
    char_ngrams,
    dense_features,
    model_from_dict,
)

C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
MIN_DOCUMENT_FREQUENCY = 2
"""An n-gram seen in one training item only is noise, and would bloat the file."""
TARGET_RECALL = 0.99
MAX_RELEVANT_THRESHOLD = 0.7
MIN_MAYBE_THRESHOLD = 0.02
FOLDS = 5
SEED = 0
WEIGHT_DIGITS = 5
MAX_NGRAMS = 12000
"""The n-grams kept in the file, by the size of their weight: a small file, and a lookup table
that stays in the processor's cache (the rest carry almost nothing)."""


@dataclass(frozen=True, slots=True)
class TrainingItem:
    title: str
    text: str
    language: str | None
    relevant: bool
    origin: str = "corpus"
    """``corpus`` or ``desk`` (an analyst's decision from the database)."""


@dataclass(frozen=True, slots=True)
class Featurised:
    grams: list[set[str]]
    dense: list[list[float]]
    labels: list[int]


def featurise(items: Sequence[TrainingItem], lexicons: Lexicons | None = None) -> Featurised:
    compiled = lexicons or load_lexicons()
    grams: list[set[str]] = []
    dense: list[list[float]] = []
    for item in items:
        lexicon, signals = lexicon_relevance(item.title, item.text, item.language, compiled)
        grams.append(char_ngrams(item.title, item.text))
        dense.append(dense_features(item.text, lexicon, signals))
    return Featurised(grams, dense, [1 if i.relevant else 0 for i in items])


def _vocabulary(grams: Sequence[set[str]]) -> list[str]:
    counts: dict[str, int] = {}
    for found in grams:
        for gram in found:
            counts[gram] = counts.get(gram, 0) + 1
    return sorted(g for g, n in counts.items() if n >= MIN_DOCUMENT_FREQUENCY)


def _matrix(data: Featurised, rows: Sequence[int], vocabulary: dict[str, int]) -> Any:
    import numpy as np
    from scipy.sparse import csr_matrix, hstack

    indptr = [0]
    indices: list[int] = []
    values: list[float] = []
    for row in rows:
        found = data.grams[row]
        scale = 1.0 / math.sqrt(len(found)) if found else 0.0
        for gram in found:
            column = vocabulary.get(gram)
            if column is not None:
                indices.append(column)
                values.append(scale)
        indptr.append(len(indices))
    ngrams = csr_matrix((values, indices, indptr), shape=(len(rows), len(vocabulary)))
    dense = csr_matrix(np.array([data.dense[row] for row in rows], dtype=float).reshape(len(rows), -1))
    return hstack([ngrams, dense], format="csr")


def _fit(data: Featurised, rows: Sequence[int], c: float) -> tuple[Any, list[str]]:
    from sklearn.linear_model import LogisticRegression

    vocabulary = _vocabulary([data.grams[r] for r in rows])
    index = {gram: column for column, gram in enumerate(vocabulary)}
    classifier = LogisticRegression(
        C=c, class_weight="balanced", solver="liblinear", random_state=SEED, max_iter=1000
    )
    classifier.fit(_matrix(data, rows, index), [data.labels[r] for r in rows])
    return classifier, vocabulary


def _platt(margins: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
    """σ(a·m + b) fitted to out-of-fold margins (with Platt's target smoothing)."""
    from scipy.optimize import minimize

    positives = sum(labels)
    negatives = len(labels) - positives
    high = (positives + 1) / (positives + 2)
    low = 1 / (negatives + 2)
    targets = [high if y else low for y in labels]

    def loss(params: Any) -> float:
        a, b = float(params[0]), float(params[1])
        total = 0.0
        for m, t in zip(margins, targets, strict=True):
            z = a * m + b
            # log(1 + e^z) - t*z, computed stably
            total += (max(z, 0.0) + math.log1p(math.exp(-abs(z)))) - t * z
        return total

    result = minimize(loss, x0=[1.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-9})
    return round(float(result.x[0]), 6), round(float(result.x[1]), 6)


def _out_of_fold_margins(data: Featurised, c: float) -> list[float]:
    from sklearn.model_selection import StratifiedKFold

    rows = list(range(len(data.labels)))
    margins = [0.0] * len(rows)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train_rows, held_rows in folds.split(rows, data.labels):
        classifier, vocabulary = _fit(data, list(train_rows), c)
        index = {gram: column for column, gram in enumerate(vocabulary)}
        values = classifier.decision_function(_matrix(data, list(held_rows), index))
        for row, value in zip(held_rows, values, strict=True):
            margins[int(row)] = float(value)
    return margins


def _export(classifier: Any, vocabulary: list[str], calibration: tuple[float, float]) -> dict[str, Any]:
    coefficients = [float(w) for w in classifier.coef_[0]]
    ranked = sorted(
        zip(vocabulary, coefficients[: len(vocabulary)], strict=True),
        key=lambda pair: (-abs(pair[1]), pair[0]),
    )
    ngram_weights = {
        gram: round(w, WEIGHT_DIGITS)
        for gram, w in sorted(ranked[:MAX_NGRAMS])
        if round(w, WEIGHT_DIGITS) != 0.0
    }
    return {
        "format": MODEL_FORMAT,
        "ngram_sizes": list(NGRAM_SIZES),
        "ngram_chars": NGRAM_CHARS,
        "dense_features": list(DENSE_FEATURES),
        "dense_weights": [round(w, WEIGHT_DIGITS) for w in coefficients[len(vocabulary) :]],
        "intercept": round(float(classifier.intercept_[0]), WEIGHT_DIGITS),
        "calibration": list(calibration),
        "ngram_weights": ngram_weights,
    }


def probabilities(model: RelevanceModel, data: Featurised) -> list[float]:
    a, b = model.calibration
    out = []
    for grams, dense in zip(data.grams, data.dense, strict=True):
        z = a * model.margin(grams, dense) + b
        out.append(1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z)))
    return out


def choose_thresholds(scores: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
    """Recall first, on held-out scores. ``relevant``: the highest threshold that keeps recall at
    :data:`TARGET_RECALL` (one miss per hundred relevant items allowed), capped at
    :data:`MAX_RELEVANT_THRESHOLD`. ``maybe``: low enough that every relevant item is at least
    ``maybe`` (the inbox shows both), at least :data:`MIN_MAYBE_THRESHOLD`."""
    positives = sorted(s for s, y in zip(scores, labels, strict=True) if y)
    if not positives:
        return MAX_RELEVANT_THRESHOLD, MAX_RELEVANT_THRESHOLD / 2
    allowed_misses = math.floor(len(positives) * (1 - TARGET_RECALL) + 1e-9)
    relevant = min(MAX_RELEVANT_THRESHOLD, math.floor(positives[allowed_misses] * 1000) / 1000)
    relevant = max(relevant, MIN_MAYBE_THRESHOLD)
    maybe = min(relevant, max(MIN_MAYBE_THRESHOLD, math.floor(positives[0] * 1000) / 1000))
    return round(relevant, 3), round(maybe, 3)


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def counts(predicted: Sequence[bool], truth: Sequence[bool]) -> Counts:
    pairs = list(zip(predicted, truth, strict=True))
    return Counts(
        tp=sum(p and t for p, t in pairs),
        fp=sum(p and not t for p, t in pairs),
        fn=sum(t and not p for p, t in pairs),
        tn=sum(not p and not t for p, t in pairs),
    )


def _candidate(train: Featurised, dev: Featurised, c: float) -> tuple[dict[str, Any], Counts]:
    """One model for one C; its thresholds chosen on the dev split."""
    classifier, vocabulary = _fit(train, list(range(len(train.labels))), c)
    calibration = _platt(_out_of_fold_margins(train, c), train.labels)
    content = _export(classifier, vocabulary, calibration)
    content.update(version="candidate", thresholds={"relevant": 0.5, "maybe": 0.25})
    dev_scores = probabilities(model_from_dict(content), dev)
    relevant, maybe = choose_thresholds(dev_scores, dev.labels)
    content["thresholds"] = {"relevant": relevant, "maybe": maybe}
    result = counts([s >= relevant for s in dev_scores], [bool(y) for y in dev.labels])
    return content, result


def train_model(
    train_items: Sequence[TrainingItem],
    dev_items: Sequence[TrainingItem],
    *,
    c_grid: Sequence[float] = C_GRID,
    lexicons: Lexicons | None = None,
) -> dict[str, Any]:
    """Fit on ``train_items``, choose C and thresholds on ``dev_items``; the model file's content.

    Among the values of C, the one with the best dev precision at the recall-first threshold
    wins (ties: the higher dev recall, then the smaller C, the simpler model).
    """
    if len({i.relevant for i in train_items}) < 2:
        raise ValueError("training needs relevant and irrelevant items")
    compiled = lexicons or load_lexicons()
    train = featurise(train_items, compiled)
    dev = featurise(dev_items, compiled)
    best: tuple[tuple[float, float, float], dict[str, Any], Counts, float] | None = None
    for c in c_grid:
        content, result = _candidate(train, dev, c)
        key = (result.precision, result.recall, -c)
        if best is None or key > best[0]:
            best = (key, content, result, c)
    assert best is not None
    _, content, result, c = best
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    content["version"] = f"relevance-{digest[:12]}"
    content["created"] = datetime.now(UTC).replace(microsecond=0).isoformat()
    content["training"] = {
        "c": c,
        "items": len(train_items),
        "from_desk": sum(i.origin == "desk" for i in train_items),
        "dev_items": len(dev_items),
        "ngrams": len(content["ngram_weights"]),
    }
    content["metrics"] = {"dev": {"precision": round(result.precision, 4), "recall": round(result.recall, 4)}}
    return content
