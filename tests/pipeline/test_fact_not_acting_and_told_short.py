"""What rounds 12 and 13's train stories taught the facts stage (issue #19): a figure told short
before the precise one, a pill's name with a number in it, a trade's yearly volume, a court named
without acting, a prosecutor who coordinated, border guards who are servicemen, the law's formula, a
government's ban, pregabalin's brands, and more seats, units and homes that are not the event's place.

Sentences are shaped after real published stories of the ``corpus/facts`` train split (rounds 12, 13).
"""

from __future__ import annotations

import pytest

from pipeline.facts import extract_facts
from tests.pipeline.fact_reading import agencies, amounts, places


def test_a_figure_told_short_in_the_lead_is_the_precise_one_told_later() -> None:
    text = (
        "Police Lieutenant Colonel arrested in Kyrgyzstan with 19 kg of drugs\n"
        "Employees of the Ministry of Internal Affairs have detained a police officer with 19 kg of hashish. "
        "An examination found out that the packages contained hashish weighing 19 kilograms 650 grams."
    )
    assert amounts(text, "en") == [("hashish", 19_650.0, None, None)]


def test_a_short_figure_rounded_up_from_the_precise_one_is_the_same_seizure() -> None:
    text = (
        "13/11-2007 10:15, Бишкек - ИА «24.kg»\n"
        "В Кыргызстане из оборота изъято 43 килограмма героина. У задержанного в тайнике автомобиля нашли "
        "42 килограмма 960 граммов героина."
    )
    assert amounts(text) == [("heroin", 42_960.0, None, None)]


def test_a_round_figure_after_the_precise_one_is_another_seizure() -> None:
    text = (
        "Жалпы салмагы 7 килограмм 845 грамм марихуана алынды.\n"
        "Андан кийин анын үйүнөн дагы 7 килограмм марихуана табылган."
    )
    assert amounts(text, "ky") == [("cannabis", 7845.0, None, None), ("cannabis", 7000.0, None, None)]


def test_the_tons_smuggled_annually_along_a_route_are_not_the_seizure() -> None:
    text = (
        "The officers found about ten kilograms of opium in the houses of the detainees.\n"
        "Up to a hundred tons of hard drugs are transported annually along this route."
    )
    assert amounts(text, "en") == [("opium", 10_000.0, None, None)]


@pytest.mark.parametrize(
    "text",
    [
        "Управление ФСБ России по Омской области передало в суд уголовное дело в отношении курьера.",
        "Полицейские изъяли мак. По ходатайству следователя судом решается вопрос о мере пресечения.",
    ],
)
def test_a_court_a_case_was_sent_to_did_not_act(text: str) -> None:
    assert "court" not in agencies(text)


def test_purchases_made_on_court_orders_are_not_a_court_acting() -> None:
    text = "The police conducted controlled drug purchases from the detainees based on court orders."
    assert agencies(text, "en") == ["police"]


@pytest.mark.parametrize(
    "text",
    [
        "Военнослужащие Государственной пограничной службы обнаружили плантацию конопли.",
        "Туда нагрянули полицейские вместе с сотрудниками погрануправления ФСБ.",
    ],
)
def test_servicemen_of_the_border_service_are_border_guards(text: str) -> None:
    found = agencies(text)
    assert "border" in found
    assert "military" not in found
    assert "national_security" not in found


def test_precursors_in_the_name_of_an_article_are_not_seized() -> None:
    text = (
        "He was charged under the article «Illegal production or sale of narcotic drugs, psychotropic "
        "substances, their analogs or precursors». The packages contained 2 kg of hashish."
    )
    assert extract_facts(text, language="en").substance_ids == ["hashish"]


def test_the_crops_a_government_banned_are_background() -> None:
    text = (
        "Afghan police seized 30 kg of methamphetamine in Kabul.\n"
        "The Afghan caretaker government has banned the cultivation of illegal crops, such as poppy."
    )
    assert extract_facts(text, language="en").substance_ids == ["methamphetamine"]


@pytest.mark.parametrize(
    ("text", "language", "event_place"),
    [
        (
            "Ағымдағы жылдың 23 мамыр күні Сайрам АІІБ кезекші бөліміне хабарлама түсті. Полицейлер "
            "Қарабұлақ ауылында 600 өсімдік тапты.",
            "kk",
            ["Қарабұлақ ауылында"],
        ),
        (
            "В Жамбылской области задержаны двое курьеров. Подозреваемые помещены в изолятор "
            "временного содержания города Шу.",
            "ru",
            ["Жамбылской области"],
        ),
        (
            "Following cooperation between the antinarcotics police of Isfahan and the province, the forces "
            "traced a big haul of drugs in Iranshahr.",
            "en",
            ["Iranshahr"],
        ),
        (
            "Yashnabad district criminal court of Tashkent sentenced five members of a gang who smuggled "
            "hashish through Bekabad.",
            "en",
            ["Bekabad"],
        ),
        (
            "Новосибирское УФСБ изъяло 80 кг мефедрона в лаборатории в селе Новососедово.",
            "ru",
            ["селе Новососедово"],
        ),
    ],
)
def test_more_seats_of_agencies_and_courts_are_not_the_events_place(
    text: str, language: str, event_place: list[str]
) -> None:
    assert places(text, language) == event_place


@pytest.mark.parametrize(
    ("text", "language", "event_place"),
    [
        (
            "В Сургуте транспортные полицейские расследуют дело в отношении жительницы ХМАО, "
            "отправившей посылку с мефедроном.",
            "ru",
            ["Сургуте"],
        ),
        (
            "Police found 5 kg of heroin in a car in Chirchik. The group consisted of five people living in "
            "Tashkent.",
            "en",
            ["Chirchik"],
        ),
    ],
)
def test_where_a_woman_or_a_group_lives_is_not_the_events_place(
    text: str, language: str, event_place: list[str]
) -> None:
    assert places(text, language) == event_place


def test_a_number_in_a_pills_name_is_not_a_count_of_pills() -> None:
    text = "In his jacket were found 295 grams of methamphetamine and 500 methadone-40 psychotropic pills."
    assert amounts(text, "en") == [
        ("methamphetamine", 295.0, None, None),
        ("psychotropic_pills", None, 500.0, "pills"),
    ]


def test_pregabalins_brand_is_a_psychotropic_pill() -> None:
    text = "У задержанного изъяли 826 единиц психотропного препарата «Регапен»."
    assert extract_facts(text, language="ru").substance_ids == ["psychotropic_pills"]


def test_a_prosecutor_the_operation_was_coordinated_with_did_not_act() -> None:
    text = "The police operation in Almaty was carried out in coordination with the prosecutor's office."
    assert agencies(text, "en") == ["police"]


@pytest.mark.parametrize(
    ("text", "language", "event_place"),
    [
        (
            "Border guards detained two men in the service area of the Goytapa border detachment near "
            "Yardimli region's Avash village.",
            "en",
            ["Yardimli region", "Avash village"],
        ),
        (
            'В Павлодаре задержана преступная группа, наладившая поставку "Скорости" из Европы.',
            "ru",
            ["Павлодаре"],
        ),
        (
            "При досмотре следственно-оперативная группа Баткенского РОВД нашла гашиш в селе Кара-Бак.",
            "ru",
            ["селе Кара-Бак"],
        ),
    ],
)
def test_a_border_unit_a_supply_and_a_district_police_department_are_not_places(
    text: str, language: str, event_place: list[str]
) -> None:
    assert places(text, language) == event_place
