"""What a seizure story names that is not its seizure (issue #19, the precision round after the
round-5 fresh check): the drugs of an earlier case, the smell a package had, the law's formula, the
cargo the drugs were hidden in, an area of wild hemp, the year's statistics and a link to other news.

The sentences are cut from real published stories of the ``corpus/facts`` train split.
"""

from __future__ import annotations

from pipeline.facts import extract_facts
from tests.pipeline.fact_reading import agencies, places


def substances(text: str, language: str = "ru") -> list[str]:
    return extract_facts(text, language=language).substance_ids


def grams(text: str, language: str = "ru") -> list[float | None]:
    return [q.grams for q in extract_facts(text, language=language).quantities]


def test_the_drug_of_an_earlier_case_told_after_ranee_is_not_the_story_s() -> None:
    text = (
        "У 22-летнего гражданина изъяли почти 500 г метадона. Ранее сообщалось, что в Иваново у "
        "иностранцев нашли мандарины с наркотиками. В мандаринах было около 30 граммов метадона и "
        "50 грамм гашиша."
    )
    assert substances(text) == ["methadone"]


def test_the_smell_of_a_precursor_is_not_a_precursor_seized() -> None:
    text = (
        "Five briquettes with a specific smell of acetic anhydride were found under the seat of the car "
        "and seized. According to the forensic chemical study, the substance found is heroin weighing "
        "5 kilograms 178 grams."
    )
    assert substances(text, "en") == ["heroin"]


def test_the_drug_a_substance_smelt_of_is_still_the_drug_found() -> None:
    text = "11 kg 987 g of a narcotic substance with a specific pungent odor of heroin was found."
    assert substances(text, "en") == ["heroin"]


def test_precursors_in_the_law_s_list_are_not_a_seizure() -> None:
    text = (
        "У жителя Минска изъяли марихуану. В соответствии с республиканским перечнем наркотических "
        "средств, психотропных веществ и их прекурсоров к марихуане относятся не только измельчённые листья."
    )
    assert substances(text) == ["cannabis"]


def test_the_mass_of_the_cargo_is_not_the_drugs() -> None:
    text = (
        "The truck was detained during special operation, it carried 19 tons of fruit. Investigators "
        "found 93 bricks with 44.3 kilograms of heroin among peaches and pears."
    )
    assert grams(text, "en") == [44300.0]


def test_a_cargo_told_in_tons_and_kilograms_is_not_the_drugs() -> None:
    text = (
        "“Oybek” chegara-bojxona postida hujjatlarda 21 tonna 649 kg paxta tolasi ortilgan yuk mashinasi "
        "ko‘zdan kechiriladi. Yashirilgan 229 kilogramm 719 gramm geroin topildi."
    )
    assert grams(text, "uz") == [229719.0]


def test_an_area_of_hemp_is_not_a_count_of_plants() -> None:
    text = (
        "С мая по октябрь на территории Красноярского края уничтожено 55 очагов произрастания "
        "дикорастущей конопли. Всего выявлено около 1,5 тыс. гектаров наркосодержащих растений."
    )
    assert [q.count for q in extract_facts(text, language="ru").quantities] == []


def test_the_totals_since_the_start_of_a_named_year_are_statistics() -> None:
    text = (
        "У жителя Душанбе изъяли 15 кг героина. По данным источника, с начала 2006 года сотрудниками "
        "МВД РТ изъято более 280 кг наркотических средств, из них 200 кг составляет героин."
    )
    assert grams(text) == [15000.0]


def test_a_link_to_other_news_is_not_the_story_s_drug() -> None:
    text = (
        "Полицейские задержали двоих мужчин с 300 граммами героина.\n"
        "Смотрите также: У жителя Ярославской области нашли почти полкилограмма марихуаны →"
    )
    assert substances(text) == ["heroin"]


def test_a_black_market_price_per_kilogram_is_not_an_amount() -> None:
    text = (
        "Мужчина вез 13,5 кг марихуаны для сбыта в Челябинск. По нашей информации, на черном рынке "
        "1 кг марихуаны стоит около 20 000 тенге."
    )
    assert grams(text) == [13500.0]


def test_a_case_told_after_dobavim_is_another_case() -> None:
    text = (
        "Таможенники обнаружили 120 кг кокаина в контейнере с бананами.\n"
        "Добавим, что 31 июля на таможенном посту «Лесной порт» обнаружили почти 140 кг кокаина."
    )
    assert grams(text) == [120000.0]


def test_a_rounded_headline_amount_is_the_precise_one() -> None:
    # «более 50 килограммов» in the lead, «57 кг» in the body: one seizure (round 6, train)
    text = (
        "Российские пограничники задержали двух украинцев\n"
        "Более 50 килограммов синтетических наркотиков пытались провезти на территорию России двое "
        "украинцев.\nВ автомобиле нашли 57 кг мефедрона."
    )
    assert grams(text) == [57000.0]


def test_the_city_an_agency_is_named_by_is_its_seat_not_the_event_s() -> None:
    text = (
        "По информации Управления по борьбе с наркобизнесом (УБН) ДВД г. Астаны, 19 ноября на "
        "заградительном посту «Бектау» задержан автомобиль."
    )
    assert places(text) == ["Бектау"]


def test_a_regional_customs_office_is_a_seat_not_the_event_s_place() -> None:
    text = (
        "Сотрудники Харьковской областной таможни вместе с пограничниками на таможенном посту "
        '"Казачья Лопань" обнаружили 2 кг героина.'
    )
    assert places(text) == ["Казачья Лопань"]


def test_the_court_of_an_earlier_case_did_not_act_in_this_one() -> None:
    text = (
        "Пограничники КНБ изъяли 96 кг гашиша и 39 кг героина.\n"
        "Ранее сообщалось, что в Западно-Казахстанской области суд вынес приговор в отношении "
        "граждан Украины."
    )
    assert agencies(text) == ["border", "national_security"]


def test_a_prosecutor_who_coordinated_the_operation_did_not_act() -> None:
    text = (
        "Нарколабораторию ликвидировали в ходе полицейской спецоперации в Алматы. \"Специальная операция "
        "проведена при координации прокуратуры. Задержан 35-летний житель Алматинской области."
    )
    assert agencies(text) == ["police"]


def test_the_salts_of_precursors_are_not_mephedrone() -> None:
    text = (
        "Через таможню пытались провезти опасные растворители. Прекурсоры (вещества и их соли, "
        "используемые при производстве наркотических средств) обнаружили таможенники."
    )
    assert substances(text) == ["precursors"]


def test_a_date_before_an_abbreviation_is_not_a_mass() -> None:
    text = (
        "29 октября т.г. с участием подразделений Департамента полиции задержан наркокурьер, в транспортном "
        "средстве которого обнаружено около 15 кг гашиша."
    )
    assert grams(text) == [15000.0]


def test_an_age_is_not_a_count_of_packets() -> None:
    text = "Служебная собака обнаружила в бороде 32-летнего мужчины сверток с марихуаной."
    assert [(q.count, q.unit) for q in extract_facts(text, language="ru").quantities] == [(1.0, "packets")]


def test_a_black_market_price_in_quotes_is_not_an_amount() -> None:
    text = (
        "Правоохранители изъяли 135 кг героина. Стоимость на \"черном рынке\" 1 грамма героина составляет "
        "около 100 долларов США."
    )
    assert grams(text) == [135000.0]


def test_what_a_lab_made_a_month_is_not_an_amount_seized() -> None:
    text = (
        "В Московской области ликвидировали подпольную нарколабораторию, где производилось более 100 кг "
        "наркотиков в месяц. При обыске изъяли 12 кг мефедрона."
    )
    assert grams(text) == [12000.0]


def test_then_in_the_story_s_own_chronology_is_the_same_case() -> None:
    text = (
        "Все началось с февраля нынешнего года. Тогда задержали двух межрегиональных курьеров. В их машине "
        "нашли 1,2 килограмма мефедрона.\nПозже наркополицейские обнаружили тайники с 4,2 кг мефедрона."
    )
    assert grams(text) == [1200.0, 4200.0]


def test_a_seizure_a_month_ago_is_another_case() -> None:
    text = (
        "На таможенном посту обнаружили 490 килограммов кокаина.\n"
        "Месяц назад на этом же таможенном посту было проведено аналогичное задержание 172-килограммовой "
        "партии кокаина."
    )
    assert grams(text) == [490000.0]


def test_the_year_s_totals_opening_with_v_etom_godu_are_statistics() -> None:
    text = (
        "Он вез 10 килограммов героина для продажи в Алматы.\n"
        "В этом году силами полиции Алматинской области из незаконного оборота изъято 232 килограмма "
        "различных наркотиков."
    )
    assert grams(text) == [10000.0]


def test_cannabis_resin_is_hashish() -> None:
    text = "The substance seized in the car was cannabis resin (hashish) of Afghan origin."
    assert substances(text, "en") == ["hashish"]


def test_what_a_precursor_is_used_to_make_is_not_seized() -> None:
    text = (
        "More than 1,000 kg of ammonia water were seized. It is used in the manufacture of amphetamine and "
        "other psychotropic substances and is a precursor."
    )
    assert substances(text, "en") == ["precursors"]


def test_a_mass_each_container_held_is_not_the_seizure_when_no_count_is_read() -> None:
    text = (
        "Изъято больше пяти тонн мака. Семена были расфасованы в 208 многослойных бумажных пакета, каждый "
        "из которых содержал по 25 грамм мака."
    )
    assert grams(text) == [5000000.0]


def test_a_count_with_a_thousands_dot_is_thousands() -> None:
    text = "Признаков культивации не обнаружили. Все 2.700 кустов конопли росли произвольно."
    assert [q.count for q in extract_facts(text, language="ru").quantities] == [2700.0]


def test_the_totals_of_a_year_opening_the_sentence_are_statistics() -> None:
    text = (
        "Border guards seized heroin weighing 635 grams.\n"
        "In 2011, the Sughd law enforcement authorities reportedly seized more than 575 kilograms of "
        "narcotics."
    )
    assert grams(text, "en") == [635.0]


def test_ice_the_agency_is_not_ice_the_drug() -> None:
    text = (
        "Officers found 40 kilograms of cocaine and turned it over to special agents from U.S. Immigration "
        "and Customs Enforcement (ICE)."
    )
    assert substances(text, "en") == ["cocaine"]


def test_the_drugs_a_country_is_the_largest_supplier_of_are_background() -> None:
    text = (
        "Border guards seized 5 kilograms of hashish. Tajikistan is a transit country for drugs from "
        "Afghanistan, the world's largest supplier of heroin and opium."
    )
    assert substances(text, "en") == ["hashish"]
