"""The summary sentence and the topic sentences generated from the data."""

from __future__ import annotations

import pytest

from core.facts import Facts
from core.period import Period
from pipeline.facts import extract_facts
from release.summary import (
    draft_topic_phrases,
    event_word,
    plain,
    summary_sentence,
    topic_paragraph,
)


@pytest.mark.parametrize(
    ("year", "number", "span"),
    [
        (2025, 1, "from 1 to 15 January 2025"),
        (2025, 2, "from 16 to 31 January 2025"),
        (2024, 4, "from 16 to 29 February 2024"),
        (2025, 4, "from 16 to 28 February 2025"),
        (2025, 24, "from 16 to 31 December 2025"),
    ],
)
def test_summary_names_the_period_in_words(year, number, span):
    sentence = summary_sentence(Period(year, number), {"KZ": 2})
    assert sentence.startswith(f"In the period {span}, media of CARICC member states")


def test_summary_of_the_reference_is_word_for_word():
    sentence = summary_sentence(Period(2025, 1), {"KZ": 5, "KG": 1, "RU": 2, "TJ": 1})
    assert sentence == (
        "In the period from 1 to 15 January 2025, media of CARICC member states and other countries "
        "covered 9 events in the counter-narcotics sphere (Kazakhstan - 5, Kyrgyzstan - 1, Russia - 2, "
        "Tajikistan - 1)."
    )


def test_one_event_is_singular():
    sentence = summary_sentence(Period(2025, 2), {"KG": 1})
    assert "covered 1 event in the counter-narcotics sphere (Kyrgyzstan - 1)." in sentence


def test_countries_without_events_are_left_out():
    sentence = summary_sentence(Period(2025, 3), {"KZ": 3, "KG": 0, "RU": 0, "UZ": 2})
    assert sentence.endswith(
        "covered 5 events in the counter-narcotics sphere (Kazakhstan - 3, Uzbekistan - 2)."
    )


def test_no_events_at_all_has_no_country_list():
    sentence = summary_sentence(Period(2025, 3), {})
    assert sentence.endswith("covered 0 events in the counter-narcotics sphere.")


def test_markup_italicises_the_country_list():
    sentence = summary_sentence(Period(2025, 1), {"KZ": 5, "TJ": 1}, markup=True)
    assert sentence.endswith("(*Kazakhstan - 5, Tajikistan - 1*).")
    assert plain(sentence) == summary_sentence(Period(2025, 1), {"KZ": 5, "TJ": 1})


def test_russian_edition_summary():
    sentence = summary_sentence(Period(2025, 1), {"KZ": 5, "KG": 1, "RU": 2, "TJ": 1}, "ru")
    assert sentence == (
        "В период с 1 по 15 января 2025 года СМИ государств-участников ЦАРИКЦ и других стран осветили "
        "9 событий в антинаркотической сфере (Казахстан - 5, Кыргызстан - 1, Россия - 2, Таджикистан - 1)."
    )


def test_russian_edition_names_february_of_a_leap_year():
    sentence = summary_sentence(Period(2024, 4), {"RU": 3}, "ru")
    assert sentence.startswith("В период с 16 по 29 февраля 2024 года")
    assert "осветили 3 события в антинаркотической сфере (Россия - 3)." in sentence


@pytest.mark.parametrize(
    ("count", "word"),
    [(1, "событие"), (2, "события"), (4, "события"), (5, "событий"), (11, "событий"), (12, "событий"),
     (14, "событий"), (20, "событий"), (21, "событие"), (22, "события"), (25, "событий"), (101, "событие"),
     (111, "событий"), (0, "событий")],
)
def test_russian_plural_forms(count, word):
    assert event_word(count, "ru") == word


def test_topic_phrases_are_drafted_from_the_events_topics():
    phrases = draft_topic_phrases(
        {
            "KZ": ["prevention", "legislation", "prevention", "other"],
            "KG": ["other"],
            "RU": ["seizure_arrest"],
        }
    )
    assert phrases == {
        "KZ": "on preventive activities carried out by police officers"
        " and on changes in anti-drug legislation",
        "KG": "on other events in the anti-drug sphere",
        "RU": "on detention of persons involved in drug trafficking and seizures of narcotic drugs",
    }


def test_topic_sentence_groups_countries_with_the_same_phrase():
    paragraph = topic_paragraph(
        {"KZ": "on changes in anti-drug legislation", "KG": "on preventive work", "TJ": "on preventive work"},
        markup=True,
    )
    assert paragraph == (
        "Published articles reflect information on changes in anti-drug legislation (*Kazakhstan*), "
        "on preventive work (*Kyrgyzstan, Tajikistan*)."
    )


def test_russian_topic_sentence():
    phrases = draft_topic_phrases({"KZ": ["prevention"]}, "ru")
    assert topic_paragraph(phrases, "ru") == (
        "Опубликованные материалы отражают информацию о профилактических мероприятиях, "
        "проводимых сотрудниками полиции (Казахстан)."
    )


def _seizure(text: str) -> Facts:
    return extract_facts(text, language="ru", country="KG")


def test_the_seizure_phrase_names_what_was_seized_how_much_and_how_many_were_detained() -> None:
    facts = [
        _seizure("Сотрудники УВД задержали двух мужчин и изъяли 3 кг 367 г гашиша."),
        _seizure("У жителя изъяли 2 кг 33 г героина, он задержан."),
    ]
    topics = {"KG": ["seizure_arrest", "seizure_arrest"]}
    drafted = draft_topic_phrases(topics, "en", seizure_facts={"KG": facts})
    assert drafted["KG"] == "on detention of 3 persons and seizures of hashish and heroin (5.4 kg)"


def test_the_russian_seizure_phrase_declines_the_substances_and_the_people() -> None:
    facts = [_seizure("Полицейские задержали двух мужчин и изъяли 1,5 кг гашиша.")]
    drafted = draft_topic_phrases({"KG": ["seizure_arrest"]}, "ru", seizure_facts={"KG": facts})
    assert drafted["KG"] == "о задержании 2 человек и изъятии гашиша (1,5 кг)"


def test_without_facts_naming_a_substance_the_generic_seizure_phrase_is_used() -> None:
    facts = [_seizure("Полицейские провели рейд.")]
    drafted = draft_topic_phrases({"KZ": ["seizure_arrest"]}, "en", seizure_facts={"KZ": facts})
    generic = "on detention of persons involved in drug trafficking and seizures of narcotic drugs"
    assert drafted["KZ"] == generic
