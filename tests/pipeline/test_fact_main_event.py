"""The story's main event (issue #19): facts come from the sentences about the story's own seizure,
not from the year's statistics, another case, background, a photo caption or the headlines of other
news beside it; the whole text when the main event states none.

The texts are cut from real published stories of the ``corpus/facts`` train split (two from dev,
where train has no instance: said so at the test).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError, config_path
from pipeline.facts import extract_facts
from pipeline.facts.mainevent import EVENT, SIDEBAR, classify
from pipeline.facts.rules import compile_rules, load_rules
from tests.pipeline.fact_reading import amounts


def kinds(text: str) -> list[str]:
    return [sentence.kind for sentence in classify(text, load_rules().main_event)]


def test_a_sentence_opening_with_ranee_is_another_case_and_the_rest_is_the_event() -> None:
    text = "Пограничники изъяли 40 кг кокаина в порту. Ранее в конце октября СБУ задержала 50 кг кокаина."
    assert kinds(text) == [EVENT, "other_case"]


def test_a_drug_only_in_a_photo_caption_is_not_a_substance() -> None:
    text = (
        "© Sputnik / Утарбеков / Гузариш ба медиабонкОпийный мак, архивное фото\n"
        "Опийный мак, архивное фото - Sputnik Тоҷикистон, 1920, 28.05.2021\n"
        'ДУШАНБЕ, 28 май — Sputnik. Дар Душанбе амалиёти "Кӯкнор-2021" оғоз гардид.'
    )
    assert extract_facts(text, language="tg").substance_ids == []


def test_a_drug_named_as_the_region_s_background_is_not_seized() -> None:
    text = (
        "During the operation, the service seized more than 200kg of finished mephedrone.\n\n"
        "Over the past year, the drug situation in Central Asian countries has been characterized by an "
        "increase in the production of opiates and methamphetamine in Afghanistan, the emergence of new "
        "types of synthetic drugs and methods of their distribution."
    )
    assert extract_facts(text, language="en").substance_ids == ["mephedrone"]


def test_the_statistics_of_eleven_months_are_not_this_seizure() -> None:
    text = (
        "Тергеу барысында ер адамның жанынан орақ және алдын ала жинап қойған 15 келіден астам марихуана "
        "анықталды.\nЖалпы 11 айда есірткіге қатысты 500 құқық бұзушылық анықталып, заңсыз айналымнан 9,2 "
        "тоннадан астам түрлі есірткі, оның ішінде 9 келі синтетикалық есірткі тәркіленді."
    )
    assert amounts(text, "kk") == [("cannabis", 15_000.0, None, None)]


def test_a_story_opening_with_the_year_s_statistics_is_a_summary_and_keeps_its_totals() -> None:
    text = (
        "С начала года изъято из незаконного оборота более 22 кг наркотиков. Об этом сообщили в "
        "пресс-службе МВД."
    )
    assert amounts(text, title="В Кыргызстане с начала года изъято более 22 кг наркотиков") == [
        (None, 22_000.0, None, None)
    ]


def test_another_case_told_at_the_end_carries_to_the_rest_of_its_paragraph() -> None:
    text = (
        "Петербургские таможенники обнаружили в контейнерах с бананами сто килограммов наркотиков.\n\n"
        "Несколько дней назад телеканал «Санкт-Петербург» сообщал о другом случае обнаружения крупной "
        "партии наркотиков. У троих петербуржцев, подозреваемых в незаконном наркообороте, нашли больше "
        "15 килограммов запрещённых веществ."
    )
    assert amounts(text) == [(None, 100_000.0, None, None)]


def test_headlines_of_other_news_beside_the_story_are_a_sidebar() -> None:
    text = (
        "Tajik border troops jointly seized more than 43 kilograms of marijuana on the Tajik-Afghan border "
        "in the Farkhor district, the DCA press service reported.\n"
        "An investigation is under way.\n"
        "Death toll for the Turkiye-Syria earthquake exceeds 1,200\n"
        "Invitation for Bids\n"
        "Moscow, Tehran reportedly advance plans to produce Iranian-designed drones in Russia\n"
        "Ex-mayor of Panjakent and his two sons suspected of cheating a businessman out of US$2 million"
    )
    assert kinds(text)[-4:] == [SIDEBAR] * 4
    places = [m.span.text for m in extract_facts(text, language="en").places]
    assert "Moscow" not in places and "Panjakent" not in places


def test_packets_with_a_mass_each_are_one_amount_the_total() -> None:
    text = (
        "В ходе досмотра его багажа оперативники обнаружили четыре пакета, в каждом из которых находилось "
        "0,5 килограмма «Скорости»."
    )
    assert amounts(text) == [("mephedrone", 2000.0, None, None)]


def test_packets_are_left_out_where_the_story_gives_the_mass() -> None:
    text = (
        "При дальнейшем досмотре в его личных вещах обнаружили и изъяли 10 свертков с веществом. "
        "Экспертиза показала, что изъятое вещество – героин общей массой свыше 1,7 кг."
    )
    assert amounts(text) == [("heroin", 1700.0, None, None)]


def test_a_place_in_one_of_a_city_s_districts_is_the_event_s() -> None:
    text = (
        "В октябре минувшего года граждане Узбекистана разложили в одном из районов Орла около 30 «закладок»."
    )
    assert [m.span.text for m in extract_facts(text, language="ru").places] == ["районов Орла"]


def test_an_operation_name_before_an_adjective_and_the_operation_word_is_not_a_drug() -> None:
    text = (
        "АСТАНА. KAZINFORM – «Қарасора – 2025» жедел-профилактикалық іс-шарасы барысында полиция "
        "қызметкерлері есірткі қылмысын әшкереледі."
    )
    assert extract_facts(text, language="kk").substance_ids == []


def test_a_field_skipping_an_unknown_kind_is_a_config_error(tmp_path: Path) -> None:
    source = config_path("facts.toml")
    broken = tmp_path / "facts.toml"
    broken.write_text(
        source.read_text(encoding="utf-8").replace(
            'substances = ["other_case", "caption", "background", "sidebar"]',
            'substances = ["caption", "gossip"]',
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="main_event.skip.substances"):
        compile_rules(broken)


def test_a_unit_with_no_number_is_one_of_it() -> None:
    # dev split (the train split has no such amount): «… более 5 килограммов мефедрона, килограмм марихуаны»
    text = "У них изъяли крупую партию — более 5 килограммов мефедрона, килограмм марихуаны, а также гашиш."
    assert amounts(text) == [("mephedrone", 5000.0, None, None), ("cannabis", 1000.0, None, None)]


def test_an_exact_amount_close_to_another_is_a_second_seizure_not_a_rounding() -> None:
    # dev split: two airport seizures of a summary, 1 kg and 950 grams of "Ice"
    text = (
        "ANF recovers 36 kg drugs in eight operations\n"
        "In another operation, 1 kg Ice drug was recovered from a Bahrain-bound passenger netted at "
        "Faisalabad Airport.\n\n"
        "950 grams Ice was recovered from a passenger going to Sharjah at Multan Airport."
    )
    assert [q[1] for q in amounts(text, "en") if q[0] == "methamphetamine"] == [1000.0, 950.0]


def test_one_packet_named_with_no_number_counts_as_one() -> None:
    text = (
        "При проверке в потайном отделе его спортивной сумки был обнаружен сверток с порошкообразным "
        "веществом белого цвета."
    )
    assert amounts(text) == [(None, None, 1.0, "packets")]


def test_a_street_after_po_is_where_it_happened_not_an_agency_s_seat() -> None:
    text = (
        "Вчера, 9 июля, сотрудниками УКОН МВД по РД в ходе проведения оперативно-разыскных мероприятий по "
        "улице Урожайная в Махачкале для досмотра был остановлен автомобиль «Ford Focus»."
    )
    places = [m.span.text for m in extract_facts(text, language="ru").places]
    assert "улице Урожайная" in places


def test_what_a_lab_made_a_day_is_a_rate_not_an_amount_seized() -> None:
    text = (
        "Нарколаборатория ликвидирована в Брянской области, где ежесуточно производили 4 кг синтетики, "
        "заявил глава МВД России Владимир Колокольцев, сообщает ТАСС."
    )
    assert amounts(text, title="Четыре килограмма в сутки: под Брянском накрыли нарколабораторию") == []


def test_a_summary_opening_after_a_dateline_alone_is_still_a_summary() -> None:
    text = (
        " date 2015-08-18 TALDYKORGAN. KAZINFORM - Since the beginning of 2015 police of Almaty region has "
        "revealed 380 drug-related crimes with the seizure of 482 kg of drugs.\n\nAccording to the press "
        "service, 53 drug traffickers have been arrested."
    )
    assert [q.grams for q in extract_facts(text, language="en").quantities] == [482000.0]
