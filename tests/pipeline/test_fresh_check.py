"""A fresh check scores a collected batch before anything is learnt from it (issues #17 and #19)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.facts.quality import load_split
from pipeline.fresh_check import main
from pipeline.relevance_model import load_model

ROUND_9 = Path(__file__).resolve().parents[2] / "corpus" / "relevance" / "raw" / "round9_reldata.jsonl"


def test_a_collected_round_is_scored_beside_the_keyword_baseline_and_the_lexicon(capsys) -> None:
    assert main([str(ROUND_9)]) == 0
    out = capsys.readouterr().out
    assert "**30**" in out and "round9_reldata.jsonl" in out
    assert "| measure | keyword baseline | lexicon only | newsmon (lexicon + model) |" in out
    assert load_model().version in out
    assert "frozen" not in out.splitlines()[0]


def test_hand_labelled_stories_are_scored_per_fact_field(tmp_path: Path, capsys) -> None:
    stories = tmp_path / "batch.jsonl"
    lines = [json.dumps(story, ensure_ascii=False) for story in load_split("dev")[:5]]
    stories.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--facts", str(stories)]) == 0
    out = capsys.readouterr().out
    assert "(5 real seizure and arrest stories)" in out and "batch.jsonl" in out
    for field in ("substances", "quantities", "places", "agencies"):
        assert f"| {field} |" in out


@pytest.mark.parametrize("line", ["not json", '{"id": "a", "text": "no facts"}'])
def test_a_line_that_is_not_a_labelled_story_is_one_clear_error(tmp_path: Path, capsys, line: str) -> None:
    stories = tmp_path / "batch.jsonl"
    stories.write_text(line + "\n", encoding="utf-8")
    assert main(["--facts", str(stories)]) == 2
    assert f"{stories}:1:" in capsys.readouterr().err
