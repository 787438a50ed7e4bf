"""Two readings of the same stories scored against each other as the stage is scored (issue #19):
how far careful labellers agree says how much of a gap to a target is disagreement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.corpus import CorpusError
from pipeline.facts.agreement import AGREEMENT, main, read_relabelling, score_labels
from pipeline.facts.quality import load_split


def _relabelling(tmp_path: Path, stories: list[dict[str, Any]], change=lambda facts: facts) -> Path:
    path = tmp_path / "relabel.jsonl"
    lines = [
        json.dumps({"id": s["id"], "url": s["url"], **change(dict(s["facts"]))}, ensure_ascii=False)
        for s in stories
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_relabelling_that_repeats_the_labels_agrees_fully(tmp_path: Path) -> None:
    stories = load_split("dev")[:20]
    labels = read_relabelling(_relabelling(tmp_path, stories))
    for field in ("substances", "quantities", "places", "agencies"):
        score = score_labels(stories, labels, field)
        assert (score.precision, score.recall) == (1.0, 1.0)


def test_a_place_left_out_by_the_second_reader_lowers_recall_not_precision(tmp_path: Path) -> None:
    stories = [s for s in load_split("dev") if len(s["facts"]["places"]) >= 2][:10]
    labels = read_relabelling(_relabelling(tmp_path, stories, lambda f: {**f, "places": f["places"][:1]}))
    score = score_labels(stories, labels, "places")
    assert score.precision == 1.0 and score.recall < 1.0


def test_a_place_in_another_case_form_is_the_same_place(tmp_path: Path) -> None:
    story = {"id": "x", "language": "ru", "facts": {"places": ["Бишкеке"]}}
    labels = {"x": {"places": ["города Бишкека"]}}
    score = score_labels([story], labels, "places")
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_a_relabelling_without_a_field_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "relabel.jsonl"
    path.write_text('{"id": "a", "substances": []}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"relabel.jsonl:1: no quantities"):
        read_relabelling(path)


def test_the_shipped_relabellings_are_scored_beside_the_stage(capsys) -> None:
    assert sorted(AGREEMENT.glob("*.jsonl")), "the corpus ships its relabellings"
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "| relabel_2 against relabel_1 | 72 |" in out
    assert "| the stage against the corpus, same stories |" in out


def test_a_story_of_no_train_or_dev_split_is_refused(tmp_path: Path, capsys) -> None:
    path = tmp_path / "relabel.jsonl"
    fields = {name: [] for name in ("substances", "quantities", "places", "agencies", "legal_articles")}
    path.write_text(json.dumps({"id": "nosuchstory", **fields, "detained": None, "operation": None}) + "\n")
    with pytest.raises(SystemExit) as exit_:
        main([str(path)])
    assert exit_.value.code == 2
    assert "nosuchstory" in capsys.readouterr().err
