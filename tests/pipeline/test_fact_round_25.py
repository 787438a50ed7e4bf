"""What the stage learnt from round 25's train part (issue #19): a car named after "in", a courier's
home after "residing in", a district's police by its full name, where drugs were meant to be sold, an
earlier story of the outlet, and three kinds of place the patterns did not know (an English border
checkpoint or neighbourhood, a Tajik locality).

Sentences are quoted from real published stories of ``corpus/facts`` (round 25, collected after the
rules of ``tests/pipeline/test_fact_round_23.py`` were final).
"""

from __future__ import annotations

from pipeline.facts.mainevent import classify
from pipeline.facts.rules import load_rules
from tests.pipeline.fact_reading import place_candidates, places


def test_a_car_the_drug_was_hidden_in_is_no_town() -> None:
    text = 'The "opium" hidden in Cobalt was exposed\nIllegal production, storage, distribution …'
    assert places(text, language="en") == []


def test_where_a_suspect_resides_is_his_home_beside_the_events_place() -> None:
    text = (
        "In Fergana, drug couriers and drug dealers were apprehended.\n\n"
        "A series of rapid measures aimed at preventing the illegal trade and distribution of narcotic "
        "drugs in the Fergana region were carried out through the joint cooperation of the State "
        "Security Service, the Ministry of Internal Affairs, and Customs authorities.\n\n"
        'During the operational measures, a "Matiz" brand car belonging to a citizen born in 1996 and '
        "residing in the city of Margilan was inspected in accordance with the established procedure."
    )
    assert places(text, language="en") == ["Fergana", "Fergana region"]


def test_a_districts_department_of_internal_affairs_is_no_place() -> None:
    text = (
        "According to it, on February 8, the Department of Internal Affairs of Zhaiyl district "
        "received information about the transportation of a large batch of drugs. The drugs were found "
        "in Tolkun-1 residential area near Sosnovka village."
    )
    assert "Zhaiyl district" not in places(text, language="en")


def test_the_regional_office_of_ukraines_security_service_is_no_place() -> None:
    text = (
        "В Харькове сотрудники областного Управления Службы безопасности Украины изъяли в понедельник "
        "110 граммов фенциклидина.\n"
        "Как сообщила пресс-служба УСБУ в Харьковской области, вещество было изъято."
    )
    assert places(text) == ["Харькове"]


def test_where_drugs_were_meant_to_be_sold_is_no_place_of_the_event() -> None:
    text = (
        "Автомобиль подозреваемых был остановлен на трассе М12 недалеко от Казани. Запрещенные "
        "вещества предназначались для распространения в Набережных Челнах, Пермском крае, Вологодской "
        "и Ульяновской областях."
    )
    assert "Набережных Челнах" not in places(text)


def test_a_district_police_department_named_by_its_adjective_is_no_place() -> None:
    text = (
        "На днях сотрудниками Жовтневого райотдела милиции в ходе проведения осмотра в одном из дворов "
        "по улице Холмогорской был выявлен огромный запас наркотического сырья."
    )
    assert places(text) == ["улице Холмогорской"]


def test_an_earlier_story_of_the_outlet_is_not_this_event() -> None:
    text = (
        "В Харькове прохожий помог задержать наркокурьера на улице Ньютона.\n"
        "Как писал KHARKIV Today, на Харьковщине разоблачили наркодельцов с прибылью в миллион гривен "
        "в месяц."
    )
    assert "Харьковщине" not in places(text)


def test_an_english_border_checkpoint_is_a_place_candidate() -> None:
    text = (
        "The Customs Criminal Service (MKT) reports that the German man cycled from Belarus to the "
        "Medininkai border checkpoint on October 22."
    )
    assert "Medininkai border checkpoint" in place_candidates(text)  # the event's? "to" says a destination


def test_an_english_neighbourhood_is_a_place() -> None:
    text = (
        "Last week the law guards on the Daugavpils Highway in the Jekabpils neighborhood stopped a "
        "lorry which was hidden in a semi-trailer in about 1000 kilograms of hashish."
    )
    assert "Jekabpils" in places(text, language="en")


def test_a_tajik_locality_is_a_place() -> None:
    text = (
        "Маҳмадулло Асадуллоев гуфт, ин ҳодиса дар мавзеи Таваргони ҷамоати Шӯрободи ноҳияи Шӯрообод, "
        "воқеъ дар 250 км ҷанубу шарқи пойтахти Тоҷикистон рух додааст."
    )
    assert "мавзеи Таваргони" in places(text, language="tg")


def test_where_a_courier_planned_to_sell_is_no_place_of_the_event() -> None:
    text = (
        "16 января сотрудниками правоохранительных органов на территории Засвияжского района был "
        "задержан 45-летний мужчина, который ранее через “закладку” забрал в Ульяновске 100 грамм "
        "«мефедрона». Наркотики он планировал сбыть на территории Кузоватовского района."
    )
    assert places(text) == ["Засвияжского района", "Ульяновске"]


def test_where_drugs_were_to_be_sold_in_bulk_is_no_place_of_the_event() -> None:
    text = (
        "Сотрудники УФСБ обнаружили в частном доме в р. п. Станционно-Ояшинский Мошковского района "
        "лабораторию по производству наркотика Альфа-PVP. Произведенный наркотик он должен был сбывать "
        "оптовыми партиями на территории Новосибирской области"
    )
    assert places(text) == ["п. Станционно-Ояшинский", "Мошковского района"]


def test_a_sale_that_was_tried_is_where_it_happened() -> None:
    text = "Жители Средней Азии пытались продать метадон в Северной Осетии"
    assert places(text) == ["Северной Осетии"]


def test_an_uzbek_customs_post_is_where_it_happened() -> None:
    text = (
        'Ўзбекистон, Тошкент – Batafsil.uz. Сурхондарё вилоятида "Айритом" божхона постида '
        "ҳуқуқ-тартибот идоралари ходимлари юк машина кабинасида тахминан 8 килограмм афюн ва наша "
        "топишган."
    )
    assert "Айритом" in places(text, language="uz")


def test_a_regions_customs_directorate_is_its_seat() -> None:
    text = "Toshkent viloyati bojxona boshqarmasi xodimlari tomonidan 2 kg gashish aniqlandi."
    assert places(text, language="uz") == []


def test_an_uzbek_post_named_with_a_number_or_a_site_is_a_place() -> None:
    text = (
        "Joriy yilning 11 aprel kuni soat 18:45 da Jizzax viloyatining G‘allaorol tumanidagi "
        "«Sangzor-15» blok postida «Samarqand – Jizzax» yo‘nalishida harakatlanayotgan «Neksiya-3» "
        "avtomashinasi to‘xtatildi. Тезкор тадбирнинг иккинчи босқичида эса Бойсун туманидаги "
        "«Дарбанд» ЙПХ масканида Узун туманида яшовчи 3 нафар шахс кетаётган Nexia 2 машинаси "
        "тўхтатилиб, кўздан кечирилди."
    )
    assert {"Sangzor-15", "Дарбанд"} <= set(place_candidates(text))


def test_an_uzbek_district_after_its_region_is_read_whole() -> None:
    text = (
        "У Фарғона вилояти Риштон тумани ҳудуди орқали қўшни давлатдан кириб келган бўлиб, Учкўприк "
        "туманида яшаши аниқланган."
    )
    assert places(text, language="uz") == ["Фарғона", "Риштон тумани"]


def test_a_photo_credit_line_is_a_caption() -> None:
    text = (
        "Мужчин из Забайкалья задержали в Бурятии с мешками конопли\n"
        "Фото: Росгвардия Бурятии\n\n"
        "В Бичурском районе Бурятии росгвардейцы совместно с полицейскими задержали"
    )
    kinds = [s.kind for s in classify(text, load_rules().main_event)]
    assert kinds == ["event", "caption", "event"]


def test_an_archive_photos_caption_is_no_place_of_the_event() -> None:
    text = (
        "Тошкент яқинидаги завод печида ёқилаётган наркотик моддалар (архив сурати)\n\n"
        "Фарғона туманида нарколаборатория фош этилди, дея маълум қилди Ўзбекистон Давлат хавфсизлик "
        "хизмати матбуот хизмати."
    )
    assert places(text, language="uz") == ["Фарғона туманида"]
