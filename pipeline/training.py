"""Training the relevance model (:mod:`pipeline.relevance_model`) with scikit-learn.

Pure: items in, a model (a JSON-ready dict) out; no database, no files but the ones named.
Deterministic: the same items give the same file, byte for byte (liblinear with a fixed seed,
folds with a fixed seed, no clock in the content). ``created`` is the only field that differs.

* **Features** are computed by the same functions tagging uses, and held-out scores by the
  exported (pruned) models with the tagging code, so thresholds fit what tagging computes.
* **C**, the calibration and the thresholds are chosen on held-out scores: cross-validation over
  the train and dev splits (:func:`train_model`); :func:`choose_thresholds` puts recall first.
* **Calibration**: Platt scaling fitted on the out-of-fold decision values.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pipeline.corpus import CorpusItem
from pipeline.relevance import Lexicons, lexicon_relevance, load_lexicons
from pipeline.relevance_model import (
    DENSE_FEATURES,
    MODEL_FORMAT,
    NGRAM_CHARS,
    NGRAM_SIZES,
    char_ngrams,
    dense_features,
    model_from_dict,
    sigmoid,
)

C_GRID = (1.0, 3.0, 10.0, 30.0)
MIN_DOCUMENT_FREQUENCY = 2
"""An n-gram seen in one training item only is noise, and would bloat the file."""
TARGET_RECALL = 0.99
"""The held-out recall the ``relevant`` threshold is set at (the issue's target)."""
GATE_PRECISION = 0.95
"""The held-out precision the ``relevant`` threshold must keep (the quality gate's floor)."""
MAYBE_RECALL = 0.995
"""The held-out recall of what the inbox shows (``relevant`` or ``maybe``)."""
MAX_RELEVANT_THRESHOLD = 0.9
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


def training_items(items: Sequence[CorpusItem]) -> list[TrainingItem]:
    """Corpus items as training items (origin ``corpus``)."""
    return [TrainingItem(i.title, i.text, i.language, i.relevant) for i in items]


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
        dense.append(dense_features(item.title, item.text, lexicon, signals))
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


def platt(margins: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
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


def out_of_fold_margins(data: Featurised, c: float, seed: int = SEED) -> list[float]:
    """Each item's decision value from a model that did not see it, computed by the exported
    (pruned) model with the tagging code, so the thresholds fit what tagging will compute.
    ``seed`` shuffles the folds (the training code uses :data:`SEED`; the cross-validation
    report, :mod:`pipeline.relevance_cv`, averages over several)."""
    from sklearn.model_selection import StratifiedKFold

    rows = list(range(len(data.labels)))
    margins = [0.0] * len(rows)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for train_rows, held_rows in folds.split(rows, data.labels):
        classifier, vocabulary = _fit(data, list(train_rows), c)
        content = _export(classifier, vocabulary, (1.0, 0.0))
        content.update(version="fold", thresholds={"relevant": 0.5, "maybe": 0.25})
        model = model_from_dict(content)
        for row in held_rows:
            margins[int(row)] = model.margin(data.grams[int(row)], data.dense[int(row)])
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


def _precision_from(pairs: Sequence[tuple[float, int]], threshold: float) -> float:
    taken = [label for score, label in pairs if score >= threshold]
    return sum(taken) / len(taken) if taken else 1.0


def choose_thresholds(scores: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
    """The two thresholds, from held-out scores, recall first.

    ``relevant``: the highest threshold at which :data:`TARGET_RECALL` of the relevant items are
    labelled ``relevant``, as long as the held-out precision there holds the gate
    (:data:`GATE_PRECISION`); where it does not, the lowest threshold at which it does (as much
    recall as the gate allows). ``maybe`` (the inbox shows ``relevant`` and ``maybe``): the
    highest threshold at which :data:`MAYBE_RECALL` of the relevant items are at least
    ``maybe`` (at least :data:`MIN_MAYBE_THRESHOLD`, never above ``relevant``). On real text one
    threshold cannot give precision 0.97 at recall 0.99 (``docs/quality.md``): the recall is
    kept and the precision is what the model has there, never below the gate."""
    pairs = sorted(zip(scores, labels, strict=True), key=lambda pair: -pair[0])
    positives = sorted(s for s, y in pairs if y)
    if not positives:
        return MAX_RELEVANT_THRESHOLD, MAX_RELEVANT_THRESHOLD / 2

    def at_recall(recall: float) -> float:
        allowed_misses = math.floor(len(positives) * (1 - recall) + 1e-9)
        return positives[min(allowed_misses, len(positives) - 1)]

    relevant = at_recall(TARGET_RECALL)
    if _precision_from(pairs, relevant) < GATE_PRECISION:
        relevant = MAX_RELEVANT_THRESHOLD
        true_positives = 0
        for taken, (score, label) in enumerate(pairs, start=1):
            true_positives += label
            if true_positives / taken >= GATE_PRECISION:
                relevant = score
    relevant = min(MAX_RELEVANT_THRESHOLD, math.floor(relevant * 1000) / 1000)
    maybe = max(MIN_MAYBE_THRESHOLD, math.floor(at_recall(MAYBE_RECALL) * 1000) / 1000)
    return round(relevant, 3), round(min(maybe, relevant), 3)


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

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def counts(predicted: Sequence[bool], truth: Sequence[bool]) -> Counts:
    pairs = list(zip(predicted, truth, strict=True))
    return Counts(
        tp=sum(p and t for p, t in pairs),
        fp=sum(p and not t for p, t in pairs),
        fn=sum(t and not p for p, t in pairs),
        tn=sum(not p and not t for p, t in pairs),
    )


@dataclass(frozen=True, slots=True)
class _Candidate:
    c: float
    calibration: tuple[float, float]
    thresholds: tuple[float, float]
    held_out: Counts
    """Counts of the out-of-fold predictions at the chosen ``relevant`` threshold."""


def _candidate(data: Featurised, c: float) -> _Candidate:
    """Cross-validate one C: out-of-fold scores give the calibration and the thresholds."""
    margins = out_of_fold_margins(data, c)
    calibration = platt(margins, data.labels)
    a, b = calibration
    scores = [sigmoid(a * margin + b) for margin in margins]
    relevant, maybe = choose_thresholds(scores, data.labels)
    held_out = counts([s >= relevant for s in scores], [bool(y) for y in data.labels])
    return _Candidate(c, calibration, (relevant, maybe), held_out)


def train_model(
    train_items: Sequence[TrainingItem],
    dev_items: Sequence[TrainingItem],
    *,
    c_grid: Sequence[float] = C_GRID,
    lexicons: Lexicons | None = None,
) -> dict[str, Any]:
    """The model file's content, learned from ``train_items`` and ``dev_items``.

    C, the calibration and the thresholds are chosen on held-out scores: every training and
    dev item is scored once by a model that did not see it (:data:`FOLDS`-fold cross-validation
    over both), which is several times the positives the dev split alone has, so "recall ≥
    0.99" is measured on enough items to mean something. Among the values of C, the best
    held-out recall at the ``relevant`` threshold wins (ties: higher precision, smaller C). The
    final model is then fitted on all the items. The frozen test split is never among them.
    """
    items = [*train_items, *dev_items]
    if len({i.relevant for i in items}) < 2:
        raise ValueError("training needs relevant and irrelevant items")
    data = featurise(items, lexicons or load_lexicons())
    best: _Candidate | None = None
    for c in c_grid:
        candidate = _candidate(data, c)
        key = (candidate.held_out.recall, candidate.held_out.precision, -c)
        if best is None or key > (best.held_out.recall, best.held_out.precision, -best.c):
            best = candidate
    assert best is not None
    classifier, vocabulary = _fit(data, list(range(len(items))), best.c)
    content = _export(classifier, vocabulary, best.calibration)
    content["thresholds"] = {"relevant": best.thresholds[0], "maybe": best.thresholds[1]}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    content["version"] = f"relevance-{digest[:12]}"
    content["created"] = datetime.now(UTC).replace(microsecond=0).isoformat()
    content["training"] = {
        "c": best.c,
        "items": len(items),
        "from_desk": sum(i.origin == "desk" for i in items),
        "dev_items": len(dev_items),
        "ngrams": len(content["ngram_weights"]),
    }
    content["metrics"] = {
        "held_out": {
            "precision": round(best.held_out.precision, 4),
            "recall": round(best.held_out.recall, 4),
            "items": len(items),
        }
    }
    return content
