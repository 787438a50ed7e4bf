"""Facts of stories in Uzbek and of phrasings the first splits did not show (issue #19): Uzbek drug,
agency, number and place words, Uzbek asides about earlier cases, a tonne named with no number, an
earlier case told «днями ранее», English agency abbreviations.

The texts are cut from real published stories added to the ``corpus/facts`` train split.
"""

from __future__ import annotations

from pipeline.facts import extract_facts
from tests.pipeline.fact_reading import amounts, places


def agencies(text: str, language: str) -> list[str]:
    return sorted({a.value for a in extract_facts(text, language=language).agencies})


def test_an_uzbek_story_names_mephedrone_and_its_compound_amount() -> None:
    text = (
        "Натижада автомашина юкхонасида бўлган, хуфиёна тарзда яширилган, 5 дона ўрамдаги, умумий "
        "оғирлиги 2 кг 300 граммни ташкил қилувчи “Мефедрон” синтетик наркотик моддаси борлиги маълум бўлди."
    )
    assert amounts(text, "uz") == [("mephedrone", 2300.0, None, None)]


def test_uzbek_border_troops_of_the_security_service_are_border_not_security() -> None:
    text = (
        "Toshkent viloyati bojxona boshqarmasi xodimlari DXX Chegara qo‘shinlari bilan hamkorlikda "
        "“Yallama” chegara bojxona posti orqali chiqib ketayotgan fuqaro avtotransport vositasini tekshirdi."
    )
    assert agencies(text, "uz") == ["border", "customs"]


def test_an_uzbek_district_is_a_place() -> None:
    text = (
        "Oʻtkazilgan tezkor tadbir davomida Andijon viloyati Boʻston tumani hududidagi dala maydoniga "
        "koʻmib ketilgan 9 kg 447 g gashish olindi."
    )
    assert "Bo'ston tumani" in places(text, "uz")  # places are given in the normalised text


def test_an_uzbek_border_post_named_in_quotes_is_a_place() -> None:
    text = (
        "Toshkent viloyati bojxona boshqarmasiga qarashli “Oybek” chegara-bojxona postida yuk mashinasi "
        "ko‘zdan kechiriladi."
    )
    assert "Oybek" in places(text, "uz")


def test_a_region_before_its_customs_office_is_the_office_seat_not_a_place() -> None:
    text = (
        "Toshkent viloyati bojxona boshqarmasiga qarashli “Oybek” chegara-bojxona postida yuk mashinasi "
        "ko‘zdan kechiriladi."
    )
    assert places(text, "uz") == ["Oybek"]


def test_an_uzbek_aside_opening_with_bundan_oldin_is_an_earlier_case() -> None:
    text = (
        "Natijada ushbu shaxs 8 dona o‘ramdagi 376,5 gramm opiy giyohvandlik vositasini ichki aʼzosiga "
        "yashirib, yurtimizga olib kirmoqchi bo‘lgani aniqlangan.\n"
        "Bundan oldin Jizzax va Qashqadaryoda qariyb salkam 15,5 kilo giyohvandlik vositasining noqonuniy "
        "savdosiga chek qo‘yilgani to‘g‘risida xabar berilgandi."
    )
    assert amounts(text, "uz") == [("opium", 376.5, None, None)]


def test_an_uzbek_amount_with_the_ablative_kgdan_is_read() -> None:
    text = (
        "O‘tkazilgan tadbirlar davomida jami 112 kgdan ortiq giyohvandlik vositalari tarqatilishi "
        "to‘xtatib qolindi."
    )
    assert amounts(text, "uz") == [(None, 112000.0, None, None)]


def test_a_tonne_named_with_no_number_is_one_tonne() -> None:
    text = "Сотрудники таможни изъяли тонну прекурсоров из крупной нарколаборатории в Подмосковье"
    assert amounts(text, "ru") == [("precursors", 1000000.0, None, None)]


def test_a_seizure_told_tremya_dnyami_ranee_is_another_case() -> None:
    text = (
        "8 февраля в автомобиле с помощью служебной собаки были обнаружены тайники, из которых "
        "пограничники извлекли пакеты с героином общим весом 32 кг. Тремя днями ранее на ОПК "
        '"Кордай" было задержано почти 4 кг героина и 21 кг гашиша.'
    )
    assert amounts(text, "ru") == [("heroin", 32000.0, None, None)]


def test_an_english_dia_of_a_region_is_the_police() -> None:
    text = "According to the Tashkent regional DIA, a 33-year-old man was detained in the Bostanlyk district."
    assert agencies(text, "en") == ["police"]


def test_a_tajik_court_of_a_city_is_not_an_uzbek_district_name() -> None:
    text = (
        "Додгоҳи шаҳри Саратов 8 шаҳрванди Тоҷикистону Узбакистонро барои тақрибан 100 соли маҳбас, "
        "дар робита ба кӯшиши фурӯши маводи мухаддир маҳкум кард."
    )
    assert not [p for p in places(text, "tg") if p.startswith("Додгоҳи")]


def test_poltory_tonny_is_one_and_a_half_tonnes() -> None:
    assert amounts("Полторы тонны кокаина.", "ru") == [("cocaine", 1500000.0, None, None)]
