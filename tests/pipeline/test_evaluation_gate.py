"""The labelled data and the quality gate of ``python -m pipeline.evaluate``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.evaluate import MIN_PRECISION, MIN_RECALL, load_items, main


def test_there_are_at_least_200_labelled_items() -> None:
    assert len(load_items()) >= 200


def test_about_half_the_items_are_drug_related() -> None:
    counts = Counter(item.expected.relevant for item in load_items())
    assert abs(counts[True] - counts[False]) <= len(load_items()) * 0.1


def test_items_cover_the_four_countries_and_six_languages() -> None:
    items = load_items()
    assert {"KZ", "KG", "RU", "TJ"} <= {i.expected.country for i in items}
    assert {"ru", "kk", "ky", "tg", "uz", "en"} <= {i.expected.language for i in items}


def test_item_ids_are_unique() -> None:
    ids = [item.id for item in load_items()]
    assert len(ids) == len(set(ids))


@pytest.mark.slow
def test_the_evaluation_passes_the_quality_gate(capsys) -> None:
    assert main([]) == 0, f"relevance below recall {MIN_RECALL} / precision {MIN_PRECISION}"
    assert "relevance recall" in capsys.readouterr().out


@pytest.mark.slow
def test_the_holdout_batch_passes_the_quality_gate(capsys) -> None:
    holdout = Path(__file__).resolve().parents[1] / "data" / "holdout"
    assert main(["--data", str(holdout)]) == 0
