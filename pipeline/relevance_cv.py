"""The relevance model's cross-validation report: how it ranks the train and dev items it did
not see, and which of them it ranks worst.

Every change to the model's features or training is measured here, never on the frozen test
split: each train or dev item is scored by a model fitted on the other folds (the training
code's own folds and exported, pruned model, :func:`pipeline.training.out_of_fold_margins`),
for a few fold seeds. The report prints the precision at 99, 98, 97 and 96 % recall (the
threshold set at the relevant item that reaches that recall; everything scoring at least as
high counts), per seed and averaged, and lists the lowest-ranked relevant and the
highest-ranked irrelevant items with their URL and rationale, so the errors can be read.
Deterministic: the same items, C and seeds give the same report.

    python -m pipeline.relevance_cv [--c 10] [--seeds 0 1 2] [--show 15]
"""

from __future__ import annotations

import argparse
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.corpus import CorpusItem, load_split
from pipeline.relevance_model import sigmoid
from pipeline.training import (
    Counts,
    Featurised,
    choose_thresholds,
    counts,
    featurise,
    out_of_fold_margins,
    platt,
    training_items,
)

RECALLS = (0.99, 0.98, 0.97, 0.96)
SEEDS = (0, 1, 2)
DEFAULT_C = 10.0
SHOWN = 15


def precision_at_recall(scores: Sequence[float], labels: Sequence[int], recall: float) -> float:
    """Precision of the threshold that keeps ``recall`` of the relevant items: the score of the
    relevant item that reaches it; every item scoring at least that much counts as labelled."""
    positives = sorted((s for s, y in zip(scores, labels, strict=True) if y), reverse=True)
    if not positives:
        return 1.0
    needed = max(math.ceil(recall * len(positives) - 1e-9), 1)
    threshold = positives[needed - 1]
    taken = [y for s, y in zip(scores, labels, strict=True) if s >= threshold]
    return sum(taken) / len(taken)


@dataclass(frozen=True, slots=True)
class SeedResult:
    seed: int
    probabilities: list[float]
    """Out-of-fold scores, Platt-calibrated on this seed's out-of-fold margins."""
    precision: dict[float, float]
    thresholds: tuple[float, float]
    """What the training code's rule (:func:`pipeline.training.choose_thresholds`) chooses."""
    relevant: Counts
    inbox: Counts


@dataclass(frozen=True, slots=True)
class CvResult:
    c: float
    labels: list[int]
    seeds: list[SeedResult]

    def mean_precision(self, recall: float) -> float:
        return statistics.fmean(s.precision[recall] for s in self.seeds)

    def mean_probability(self, row: int) -> float:
        return statistics.fmean(s.probabilities[row] for s in self.seeds)


def cross_validate(
    data: Featurised,
    *,
    c: float = DEFAULT_C,
    seeds: Sequence[int] = SEEDS,
    margins_of: Callable[[Featurised, float, int], Sequence[float]] | None = None,
) -> CvResult:
    """Out-of-fold scores of ``data`` for each fold seed, and precision at :data:`RECALLS`.

    ``margins_of(data, c, seed)``, when given, replaces the training code's out-of-fold margins
    (to measure a variant of the model with the same report)."""
    compute = margins_of or out_of_fold_margins
    results: list[SeedResult] = []
    for seed in seeds:
        margins = [float(m) for m in compute(data, c, seed)]
        a, b = platt(margins, data.labels)
        probabilities = [sigmoid(a * m + b) for m in margins]
        precision = {r: precision_at_recall(margins, data.labels, r) for r in RECALLS}
        relevant, maybe = choose_thresholds(probabilities, data.labels)
        truth = [bool(y) for y in data.labels]
        results.append(
            SeedResult(
                seed,
                probabilities,
                precision,
                (relevant, maybe),
                counts([p >= relevant for p in probabilities], truth),
                counts([p >= maybe for p in probabilities], truth),
            )
        )
    return CvResult(c, list(data.labels), results)


def _line(item: CorpusItem, probability: float) -> str:
    return f"  {probability:.3f}  {item.language:<3} {item.url}\n         {item.rationale}"


def format_report(result: CvResult, items: Sequence[CorpusItem], shown: int = SHOWN) -> str:
    header = " ".join(f"P@{round(r * 100)}%R" for r in RECALLS)
    lines = [
        f"Cross-validation over {len(items)} train + dev items "
        f"({sum(result.labels)} relevant), C = {result.c:g}, 5 folds per seed",
        f"  seed   {header}",
    ]
    for seed in result.seeds:
        lines.append(f"  {seed.seed:<6} " + " ".join(f"{seed.precision[r]:>7.3f}" for r in RECALLS))
    lines.append("  mean   " + " ".join(f"{result.mean_precision(r):>7.3f}" for r in RECALLS))
    lines.append("The training code's thresholds on these scores (relevant / maybe), held-out P / R:")
    for seed in result.seeds:
        r, i = seed.relevant, seed.inbox
        lines.append(
            f"  {seed.seed:<6} {seed.thresholds[0]:.3f} / {seed.thresholds[1]:.3f}   relevant "
            f"{r.precision:.3f} / {r.recall:.3f} (FP {r.fp}, FN {r.fn})   relevant or maybe "
            f"{i.precision:.3f} / {i.recall:.3f} (FP {i.fp}, FN {i.fn})"
        )
    rows = sorted(range(len(items)), key=lambda row: (result.mean_probability(row), items[row].url))
    relevant = [row for row in rows if result.labels[row]]
    irrelevant = [row for row in reversed(rows) if not result.labels[row]]
    lines.append(f"Lowest-ranked relevant items (mean out-of-fold probability), {shown}:")
    lines += [_line(items[row], result.mean_probability(row)) for row in relevant[:shown]]
    lines.append(f"Highest-ranked irrelevant items, {shown}:")
    lines += [_line(items[row], result.mean_probability(row)) for row in irrelevant[:shown]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.relevance_cv",
        description="Cross-validated precision at 99/98/97/96 % recall over the train and dev "
        "splits of corpus/relevance, and the worst-ranked items (the test split is not read).",
    )
    parser.add_argument("--c", type=float, default=DEFAULT_C, help="regularisation (default %(default)s)")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS), help="fold seeds")
    parser.add_argument("--show", type=int, default=SHOWN, help="errors listed of each kind")
    args = parser.parse_args(argv)
    items = [*load_split("train"), *load_split("dev")]
    result = cross_validate(featurise(training_items(items)), c=args.c, seeds=args.seeds)
    print(format_report(result, items, args.show))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
