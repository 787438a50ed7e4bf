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
def test_the_self_written_fixtures_pass_their_gate(capsys) -> None:
    labelled = Path(__file__).resolve().parents[1] / "data" / "labelled"
    assert main(["--data", str(labelled)]) == 0, f"inbox recall < {MIN_RECALL} or precision < {MIN_PRECISION}"
    assert "relevance recall" in capsys.readouterr().out


@pytest.mark.slow
def test_the_real_test_split_is_reported_beside_the_baselines_and_gates_the_exit_code(capsys) -> None:
    code = main([])
    out = capsys.readouterr().out
    assert "Real published items: **185** (the frozen `test` split" in out
    assert "| keyword baseline | lexicon only | newsmon (lexicon + model) |" in out
    assert "| relevance recall |" in out and "language accuracy" in out
    assert "reporting-country accuracy" in out
    passed = "gate P ≥ 0.95 and R ≥ 0.98: **passed**" in out
    assert code == (0 if passed else 1)


@pytest.mark.slow
def test_the_holdout_batch_passes_the_quality_gate(capsys) -> None:
    holdout = Path(__file__).resolve().parents[1] / "data" / "holdout"
    assert main(["--data", str(holdout)]) == 0
