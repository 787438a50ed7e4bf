"""Topic stage: one behaviour per rule."""

from __future__ import annotations

import pytest

from pipeline.topic import classify_topic


@pytest.mark.parametrize(
    ("title", "text", "topic"),
    [
        (
            "Задержан закладчик",
            "У него изъято 18 свёртков мефедрона общей массой 14 граммов.",
            "seizure_arrest",
        ),
        ("Лекция для школьников", "Полицейские рассказали учащимся о вреде наркотиков.", "prevention"),
        (
            "Изменения в законодательстве",
            "Вступили в силу поправки в Уголовный кодекс о наркотиках.",
            "legislation",
        ),
        (
            "Совместная операция",
            "Стороны обсудили международное сотрудничество против наркотрафика.",
            "cooperation",
        ),
        (
            "Итоги года",
            "Зарегистрировано на 12 процентов меньше наркопреступлений, чем годом ранее.",
            "statistics",
        ),
        ("Центр реабилитации", "Открыто отделение реабилитации и лечения наркозависимых.", "treatment"),
    ],
)
def test_cue_words_decide_the_topic(title: str, text: str, topic: str) -> None:
    assert classify_topic(title, text, "ru").topic == topic


def test_an_irrelevant_article_is_other() -> None:
    assert (
        classify_topic(
            "Лекция для школьников", "О мошенниках рассказали учащимся.", "ru", relevant=False
        ).topic
        == "other"
    )


def test_no_cue_is_other() -> None:
    assert classify_topic("Наркотики", "Наркотики.", "ru").topic == "other"


def test_international_day_against_drugs_is_prevention_not_cooperation() -> None:
    text = "В школах прошли мероприятия к Международному дню борьбы с наркоманией."
    assert classify_topic("Международный день", text, "ru").topic == "prevention"


def test_migration_legislation_is_not_drug_legislation() -> None:
    title = "В ходе рейда по соблюдению миграционного законодательства выявлены нарушители"
    text = "У одного из них обнаружено 30 граммов героина, возбуждено уголовное дело."
    assert classify_topic(title, text, "ru").topic == "seizure_arrest"


def test_kazakh_cues() -> None:
    text = "Полицейлер мектеп оқушыларымен кездесу өткізіп, есірткінің зияны туралы түсіндірді."
    assert classify_topic("", text, "kk").topic == "prevention"
