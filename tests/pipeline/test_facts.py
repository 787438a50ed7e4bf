"""The facts stage: what an analyst writes down from a seizure story, read from the text.

Sentences here are cut from real published stories of ``corpus/facts/train.jsonl`` (the frozen
test split is measured by ``make eval``, never used here).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import ConfigError
from core.facts import Facts, Mention, Span
from pipeline.facts import extract_facts
from pipeline.facts.quality import (
    CORPUS,
    FROZEN_PARTS,
    FrozenSplitChanged,
    by_language,
    load_part,
    load_split,
    places_per_story,
    score_field,
)
from pipeline.facts.rules import compile_rules
from tests.pipeline.fact_reading import amounts


@pytest.mark.parametrize(
    ("text", "grams"),
    [
        ("изъяли более 1,7 кг марихуаны", 1700.0),
        ("находилось 0,5 килограмма «Скорости»", 500.0),
        ("массой около 100 граммов, что является крупным размером", 100.0),
        ("изъята крупная партия наркотиков - 3 кг 367 г гашиша", 3367.0),
        ("Общий вес изъятого составил 2 килограмма 14 граммов.", 2014.0),
        ("обнаружили в тайниках более двух килограммов опасного «товара»", 2000.0),
        ("Петербургские таможенники обнаружили сто килограммов наркотиков.", 100000.0),
        ("изъято полкилограмма опия", 500.0),
        ("изъяли 12 тонн кокаина", 12_000_000.0),
        ("конфисковано 22 кг 115 г наркотических средств", 22115.0),
    ],
)
def test_a_mass_is_read_in_grams(text: str, grams: float) -> None:
    assert [g for _, g, _, _ in amounts(text)] == [grams]


def test_a_decimal_comma_in_russian_and_a_thousands_comma_in_english() -> None:
    assert amounts("изъято 9,447 килограмма гашиша")[0][1] == 9447.0
    assert amounts("1,112 kilograms of opium were seized", "en")[0][1] == 1_112_000.0


def test_counts_of_pills_doses_and_plants_keep_their_unit() -> None:
    assert amounts("изъято 2 тыс. таблеток трамадола") == [("psychotropic_pills", None, 2000.0, "pills")]
    assert amounts("9,447 килограмма гашиша, или 94 тысяч 470 разовых доз")[-1][2:] == (94470.0, "doses")
    assert amounts("уничтожено 1520 кустов конопли")[0][2:] == (1520.0, "plants")


def test_a_year_a_sum_of_money_and_an_age_are_not_amounts() -> None:
    assert amounts("В 2024 г. полицейские изъяли партию на сумму 50 тысяч рублей у 24-летнего жителя") == []


def test_packets_count_only_where_no_mass_is_stated_for_them() -> None:
    assert amounts("изъяли у него 17 свертков с «солью»") == [("mephedrone", None, 17.0, "packets")]
    assert amounts("обнаружено 18 свёртков с мефедроном общей массой 14,6 грамма") == [
        ("mephedrone", 14.6, None, None)
    ]


def test_an_amount_takes_the_substance_named_after_it_or_before_it_in_its_sentence() -> None:
    assert amounts("изъяли 3 кг 90 г героина") == [("heroin", 3090.0, None, None)]
    assert amounts("У него нашли героин массой 25 граммов.") == [("heroin", 25.0, None, None)]
    assert amounts("Изъят гашиш. Всего 5 кг наркотиков.")[0][0] is None


def test_a_rounded_repeat_of_an_amount_is_one_seizure() -> None:
    text = "изъяли почти 2 кг гашиша. Экспертиза установила, что изъято 1,93 кг гашиша."
    assert amounts(text) == [("hashish", 1930.0, None, None)]


def test_substances_are_the_controlled_list_ids() -> None:
    facts = extract_facts("изъяты героин, «соль», альфа-PVP и курительная смесь «спайс»", language="ru")
    assert facts.substance_ids == ["heroin", "mephedrone", "synthetic_cannabinoids"]


def test_an_operation_named_after_a_drug_is_not_that_drug_seized() -> None:
    facts = extract_facts("В ходе ОПМ «Мак-2024» полицейские изъяли гашиш", language="ru")
    assert facts.substance_ids == ["hashish"]
    assert facts.operation is not None and facts.operation.value == "Мак-2024"


def test_words_are_read_in_the_text_s_language() -> None:
    """«соли» is salt(s) in Russian drug slang, and "of the year" in Tajik."""
    tajik = extract_facts("Дар давоми 17 соли охир маводи мухаддир сӯхта шуд", language="tg")
    assert tajik.substance_ids == []


def test_kazakh_in_the_latin_alphabet() -> None:
    text = "«geroınniń» salmaǵy 5 kılo 920 gramǵa jetken"
    assert amounts(text, "kk") == [("heroin", 5920.0, None, None)]


@pytest.mark.parametrize(
    ("text", "country", "articles"),
    [
        ("возбуждено дело по ч. 3 ст. 228.1 УК РФ", "RU", ["228.1 УК РФ"]),
        ("возбудила уголовное дело по статье 283 УК КР («Незаконное изготовление»)", "KG", ["283 УК КР"]),
        ("начато досудебное расследование по статье 297", "KZ", ["297 УК РК"]),
        ("составлен протокол по ст. 6.9 КоАП РФ", "RU", []),
        ("charged under Article 296 of the Criminal Code of Kazakhstan", "US", ["296 УК РК"]),
    ],
)
def test_criminal_code_articles_are_normalised(text: str, country: str, articles: list[str]) -> None:
    language = "en" if text.startswith("charged") else "ru"
    facts = extract_facts(text, language=language, country=country)
    assert [m.value for m in facts.legal_articles] == articles


@pytest.mark.parametrize(
    ("text", "detained"),
    [
        ("Сотрудники УВД задержали двух мужчин с гашишем.", 2),
        ("На территории РФ были задержаны трое граждан.", 3),
        ("В Йошкар-Оле автоинспекторы задержали местного жителя.", 1),
        ("Курьер был задержан, на место вызвали группу.", 1),
        ("Полицейские изъяли 2 кг гашиша.", None),
    ],
)
def test_the_number_detained(text: str, detained: int | None) -> None:
    assert extract_facts(text, language="ru").detained == detained


def test_places_come_from_the_gazetteer_and_from_words_that_mark_a_place() -> None:
    text = "В Свердловском районе Бишкека выявили факт хранения. В Подольске патрульные задержали курьера."
    places = [m.span.text for m in extract_facts(text, language="ru").places]
    assert places == ["Свердловском районе", "Бишкека", "Подольске"]


def test_agencies_are_kinds_not_names() -> None:
    text = "Сотрудники ДП и КНБ при поддержке пограничников и таможни"
    assert extract_facts(text, language="ru").agency_ids == [
        "police",
        "national_security",
        "border",
        "customs",
    ]


def test_every_fact_keeps_the_words_that_state_it() -> None:
    text = "изъяли более 1,7 кг марихуаны"
    quantity = extract_facts(text, language="ru").quantities[0]
    assert quantity.span.text == "1,7 кг" and text[quantity.span.start : quantity.span.end] == "1,7 кг"


def test_a_malformed_rules_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    broken = tmp_path / "facts.toml"
    broken.write_text('[substances.heroin]\nru = ["героин*"]\n[units]\nmax_gap_words = "two"\n')
    with pytest.raises(ConfigError, match="facts.toml"):
        compile_rules(broken)


@pytest.mark.parametrize("edited", FROZEN_PARTS)
def test_each_frozen_part_of_the_test_split_is_refused_once_edited(tmp_path: Path, edited: str) -> None:
    for part in FROZEN_PARTS:
        for name in (f"{part}.jsonl", f"{part}.sha256"):
            (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    assert len(load_split("test", tmp_path)) == sum(len(load_part(part, tmp_path)) for part in FROZEN_PARTS)
    with (tmp_path / f"{edited}.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "x", "text": "", "facts": {}}) + "\n")
    with pytest.raises(FrozenSplitChanged):
        load_split("test", tmp_path)


def test_the_frozen_test_split_holds_at_least_150_stories() -> None:
    assert len(load_split("test")) >= 150


def test_the_scorer_counts_a_missed_and_an_extra_substance() -> None:
    item = {"id": "a", "facts": {"substances": ["heroin", "hashish"]}}
    predicted = Facts(substances=(Mention("heroin", Span(0, 1, "x")), Mention("cocaine", Span(2, 3, "y"))))
    score = score_field("substances", [(item, predicted)])
    assert (score.precision, score.recall) == (0.5, 0.5)


def test_the_scores_are_also_given_per_language_most_stories_first() -> None:
    languages = ["en", "ru", "ru", "kk", "ru", "en"]
    stories = [{"id": str(i), "language": language} for i, language in enumerate(languages)]
    groups = by_language([(story, Facts()) for story in stories])
    assert {name: len(pairs) for name, pairs in groups.items()} == {"ru": 3, "en": 2, "kk": 1}
    assert list(groups) == ["ru", "en", "kk"]


def test_places_per_story_count_the_first_place_given_and_any_place_given() -> None:
    def story(places: list[str]) -> dict[str, object]:
        return {"id": "s", "language": "ru", "facts": {"places": places}}

    def given(*names: str) -> Facts:
        return Facts(places=tuple(Mention(name, Span(0, len(name), name)) for name in names))

    pairs = [
        (story(["Бишкеке"]), given("Бишкеке", "Чуйской области")),
        (story(["Ошской области"]), given("Оша", "Ошской области")),
        (story(["Караколе"]), given("Нарыне")),
        (story([]), given("Москве")),
    ]
    assert places_per_story(pairs) == (
        "Places per story (3 stories with a labelled place): the first place given is a labelled one in "
        "0.333, some place given is in 0.667."
    )
