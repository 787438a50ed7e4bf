"""The kinds of agency that acted in a seizure story, not every agency it names (issue #19).

Sentences are shaped after real published stories of ``corpus/facts`` train/dev.
"""

from __future__ import annotations

import pytest

from tests.pipeline.fact_reading import agencies


def test_a_prosecutor_named_only_as_the_source_of_the_news_did_not_act() -> None:
    text = "Суд приговорил курьера к 8 годам. Как сообщили в региональной прокуратуре, он вёз героин."
    assert agencies(text) == ["court"]


def test_a_prosecutor_that_acted_counts() -> None:
    text = "Прокуратура направила дело в суд, который приговорил курьера к 8 годам."
    assert agencies(text) == ["prosecutor", "court"]


def test_operatives_are_of_any_agency_not_the_police_by_default() -> None:
    assert agencies("Сотрудники УФСБ задержали курьера. Оперативники вскрыли посылку.") == [
        "national_security"
    ]


def test_the_border_directorate_of_the_fsb_is_the_border_service() -> None:
    assert agencies("Пограничное управление ФСБ России по Ростовской области задержало курьера.") == [
        "border"
    ]


def test_crossing_the_border_is_not_the_border_service() -> None:
    assert agencies("Ол героинді жасырып шекарадан өтпек болған. Полиция оны ұстады.", "kk") == ["police"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Qaraǵandy oblysynyń polıtsııa departamenti habarlady.", "kk"),
        ("ИИМдин кызматкерлери текшерүү жүргүзүштү.", "ky"),
        ("The counter-narcotics department of the Ministry of Interior said.", "en"),
    ],
)
def test_the_police_in_kazakh_latin_kyrgyz_case_forms_and_english(text: str, language: str) -> None:
    assert agencies(text, language) == ["police"]
