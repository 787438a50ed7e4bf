"""The phrase matcher of the facts rules: one compiled expression per cue list, with the meaning
of the plain definition (a phrase's words, each exact or a ``stem*``, at the end, the start or
anywhere among a sentence's words)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pipeline.facts.mainevent import cue_words, sentences
from pipeline.facts.phrases import Phrase, phrase_at, phrase_in, phrases
from pipeline.facts.rules import load_rules

REPO = Path(__file__).resolve().parents[2]


def _word_matches(word: str, pattern: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


def _plain_at(words: Sequence[str], candidates: Sequence[Phrase], *, end: bool) -> bool:
    for phrase in candidates:
        if not phrase or len(phrase) > len(words):
            continue
        part = words[len(words) - len(phrase) :] if end else words[: len(phrase)]
        if all(_word_matches(w, p) for w, p in zip(part, phrase, strict=True)):
            return True
    return False


def _plain_in(words: Sequence[str], candidates: Sequence[Phrase]) -> bool:
    return any(_plain_at(words[: end + 1], candidates, end=True) for end in range(len(words)))


def test_a_stem_matches_any_ending_and_an_exact_word_only_itself() -> None:
    cues = phrases(["с начал* года", "ранее"])
    assert phrase_in(cue_words("Всего с начала года изъято"), cues)
    assert phrase_in(cue_words("Он ранее судим"), cues)
    assert not phrase_in(cue_words("Он ранееший"), cues)
    assert not phrase_in(cue_words("с года начала"), cues)


def test_at_the_end_and_at_the_start_are_anchored() -> None:
    cues = phrases(["жител*"])
    assert phrase_at(["задержан", "житель"], cues, end=True)
    assert not phrase_at(["житель", "задержан"], cues, end=True)
    assert phrase_at(["жители", "района"], cues, end=False)
    assert not phrase_at([], cues, end=False)


def test_regex_characters_in_a_cue_are_literal() -> None:
    cues = phrases(["за # месяц*", "a.b"])
    assert phrase_in(cue_words("за 9 месяцев"), cues)
    assert not phrase_in(["axb"], cues)


def test_the_compiled_matcher_agrees_with_the_plain_definition_on_real_stories() -> None:
    """Every sentence of the facts corpus's train split, against every configured cue list."""
    rules = load_rules()
    cue_lists = [*rules.main_event.opening.values(), *rules.main_event.anywhere.values()]
    stories = [json.loads(line) for line in (REPO / "corpus/facts/train.jsonl").open(encoding="utf-8")]
    checked = 0
    for story in stories:
        text = story["text"]
        for sentence in sentences(text):
            words = cue_words(text[sentence.start : sentence.end])
            for cues in cue_lists:
                assert phrase_in(words, cues) == _plain_in(words, cues)
                assert phrase_at(words, cues, end=True) == _plain_at(words, cues, end=True)
                assert phrase_at(words, cues, end=False) == _plain_at(words, cues, end=False)
                checked += 1
    assert checked > 10_000
