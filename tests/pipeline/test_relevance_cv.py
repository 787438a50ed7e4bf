"""The cross-validation report's measure: precision at a given recall."""

from __future__ import annotations

from pipeline.relevance_cv import precision_at_recall


def test_precision_at_recall_counts_everything_scored_at_least_the_threshold_item() -> None:
    # 4 relevant items; 75 % recall needs the third-best relevant one (0.6), and the two
    # irrelevant items above it (0.9, 0.7) and the one tied with it count as labelled.
    scores = [0.95, 0.9, 0.8, 0.7, 0.6, 0.6, 0.2, 0.1]
    labels = [1, 0, 1, 0, 1, 0, 1, 0]
    assert precision_at_recall(scores, labels, 0.75) == 3 / 6
    assert precision_at_recall(scores, labels, 1.0) == 4 / 7
