"""The Russian place finders issue #19 named as candidates (natasha's NER, its yargy address grammar,
natasha's syntax in a learned ranker), measured beside the facts stage on real labelled stories."""

from __future__ import annotations

import builtins
from typing import Any

import pytest

from pipeline.facts import extract_facts, places_of
from pipeline.facts.alternatives import FINDERS, NatashaReader, candidate_recall, main, russian, score_finder
from pipeline.facts.candidate_ranker import candidates, train_and_score
from pipeline.facts.mainevent import main_event
from pipeline.facts.mentions import find_places
from pipeline.facts.places import place_roles
from pipeline.facts.quality import load_split, story_body
from pipeline.facts.rules import load_rules

COURIER_ON_THE_RING_ROAD = "c464de49aeb3"
"""«В Москве … задержали доставщика еды … остановили на 105-м километре МКАД»: labelled Москве, МКАД."""


@pytest.fixture(scope="module")
def reader() -> NatashaReader:
    return NatashaReader()


def _story(story_id: str) -> dict[str, Any]:
    return next(s for s in load_split("train") if s["id"] == story_id)


def test_natasha_reads_the_ring_road_the_stage_does_not_know(reader: NatashaReader) -> None:
    story = _story(COURIER_ON_THE_RING_ROAD)
    stage = [m.span.text for m in extract_facts(story["text"], language="ru").places]
    found = [m.span.text for m in reader(story_body(story)).locations]
    assert "МКАД" in found and "МКАД" not in stage


def test_a_country_alone_is_no_place_natasha_offers(reader: NatashaReader) -> None:
    body = "Сотрудники УМВД России по Тамбовской области задержали в Тамбове жителя Казахстана."
    found = [m.span.text for m in reader(body).locations]
    assert "России" not in found and "Казахстана" not in found
    assert "Тамбове" in found


def test_the_address_grammar_gives_village_and_district_not_the_country(reader: NatashaReader) -> None:
    body = "В России в поселке Первомайское Зеленовского района нашли коноплю."
    found = [m.span.text for m in reader(body).address]
    assert any("Первомайское" in f for f in found) and not any("России" in f for f in found)


def test_added_candidates_go_through_the_stage_s_rules(reader: NatashaReader) -> None:
    story = _story(COURIER_ON_THE_RING_ROAD)
    body = story_body(story)
    rules = load_rules().for_language("ru")
    chosen = places_of(body, rules, main_event(body, rules.main_event), added=reader(body).locations)
    assert [m.span.text for m in chosen] == ["Москве", "МКАД"]


def test_an_added_candidate_inside_one_of_the_stage_s_own_is_dropped() -> None:
    body = "В Тамбове задержали курьера с героином."
    rules = load_rules().for_language("ru")
    stage = places_of(body, rules, main_event(body, rules.main_event))
    overlapping = places_of(body, rules, main_event(body, rules.main_event), added=stage)
    assert overlapping == stage


def test_the_rules_read_each_place_s_part_in_the_story() -> None:
    body = "МОСКВА, 5 января. В Тамбове сотрудники полиции задержали жителя Саратова."
    rules = load_rules().for_language("ru")
    events = main_event(body, rules.main_event)
    found = places_of(body, rules, events)
    mentions = find_places(body, not_places=rules.not_places)
    roles = dict(
        zip((m.span.text for m in mentions), place_roles(body, mentions, rules.place_cues), strict=True)
    )
    assert roles == {"МОСКВА": "dateline", "Тамбове": "event", "Саратова": "home"}
    assert [m.span.text for m in found] == ["Тамбове"]


def test_the_ranker_sees_which_word_a_place_hangs_on(reader: NatashaReader) -> None:
    body = "В Тамбове сотрудники полиции задержали жителя Владимира."
    by_place = {c.mentions[0].span.text: c.features for c in candidates(body, reader(body), syntax=True)}
    assert {"verb=задержать", "case=в", "relation=obl"} <= by_place["Тамбове"].keys()
    assert "head=житель" in by_place["Владимира"]


def test_without_syntax_the_ranker_has_no_parse_features(reader: NatashaReader) -> None:
    body = "В Тамбове сотрудники полиции задержали жителя Владимира."
    features = candidates(body, reader(body), syntax=False)[0].features
    assert not any(name.startswith(("verb=", "head=", "relation=")) for name in features)


def test_the_ranker_learns_the_labelled_places_of_its_training_stories(reader: NatashaReader) -> None:
    stories = russian(load_split("train"))[:80]
    readings = [reader(story_body(s), address=False) for s in stories]
    learnt = train_and_score(stories, readings, stories, readings, syntax=True)
    assert learnt.precision > 0.8 and learnt.recall > 0.8


def test_every_finder_is_scored_as_the_stage_is(reader: NatashaReader) -> None:
    stories = russian(load_split("dev"))[:12]
    readings = [reader(story_body(s)) for s in stories]
    scores = {name: score_finder(finder, stories, readings) for name, finder in FINDERS}
    stage = scores["the facts stage (its rules and gazetteer)"]
    assert stage.gold == sum(len(s["facts"]["places"]) for s in stories)
    assert all(0.0 < s.recall <= 1.0 and 0.0 < s.precision <= 1.0 for s in scores.values())


def test_natasha_s_candidates_hold_places_the_stage_s_do_not(reader: NatashaReader) -> None:
    stories = russian(load_split("dev"))[:30]
    readings = [reader(story_body(s), address=False) for s in stories]
    assert candidate_recall(stories, readings, with_ner=True) > candidate_recall(
        stories, readings, with_ner=False
    )


def test_the_frozen_test_split_cannot_be_asked() -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--split", "test"])
    assert exit_.value.code == 2


def test_the_ranker_is_scored_on_dev_only(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--split", "train", "--ranker"])
    assert "--ranker needs --split dev" in capsys.readouterr().err


def test_without_natasha_the_command_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_import = builtins.__import__

    def no_natasha(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "natasha":
            raise ImportError("No module named 'natasha'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_natasha)
    assert main(["--split", "dev"]) == 2
    assert "make setup installs it" in capsys.readouterr().out
