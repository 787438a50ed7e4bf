"""What the stage learnt from the train parts of rounds 26 and 27 (issue #19). Round 26: an outlet's
earlier story, a weather box, a ship's route through a port named with its country, places named after a
checkpoint's or an island's kind word, an English customs post, a province's anti-narcotics force, a
town's police named in a headline, where a consignment was to be delivered, an Uzbek district's
department. Round 27: a prison named by its place, a heading over the page's other stories, where drugs
were made for sale.

Sentences are quoted from real published stories of ``corpus/facts`` (each round collected after the
rules before it were final, scored fresh, then dealt; round 26 after those of
``tests/pipeline/test_fact_round_25.py``).
"""

from __future__ import annotations

from tests.pipeline.fact_reading import place_candidates, places


def test_an_earlier_story_the_outlet_reported_is_not_this_event() -> None:
    text = (
        "По данным патрульных, 48-летний иностранец вез в Киев 300 граммов кокаина с целью "
        "последующего сбыта.\n"
        "Как сообщал kubmarket.ru ранее, в Запорожье малолетний наркозависимый напал с ножом на "
        "полицейского."
    )
    assert "Запорожье" not in places(text)


def test_a_city_under_a_weather_heading_is_the_pages_furniture() -> None:
    text = (
        "В Приамурье задержан грузовик со 150 кг конопли\n\n"
        "В Амурской области милиционеры задержали грузовик, в котором, по версии следствия, "
        "перевозились около 150 кг конопли, сообщает пресс-служба УВД по региону во вторник.\n\n"
        '"Минувшей ночью сотрудники ДПС в селе Поярково Михайловского района остановили водителя '
        "Mitsubishi Canter, в котором при досмотре было обнаружено 9 мешков, набитых сухой коноплей, "
        'общей массой около 150 кг", - говорится в сообщении.\n\n'
        "По данным пресс-службы, водитель доставлен в местное отделение милиции для дачи показаний. "
        "Изъятое вещество отправлено на экспертизу, по результатам которой будет вынесено решение о "
        'возбуждении уголовного дела. "Интерфакс-Дальний Восток"\n\n'
        "Текущая погода\n\n"
        "Хабаровск\n\n"
        "Рассеянные облака\n"
        "  • Рассеянные облака\n"
        "  • Температура: 4 °C, по ощущениям 0.7 °C\n"
        "  • Ветер: Западный-Северозападный (300°), 14.4 км/ч\n"
        "  • Давление: 1004 гПа\n"
        "  • Отн. Влажность: 65 %\n"
        "  • Видимость: 10 км\n"
        "  • Восход: 08:14\n"
        "  • Закат: 20:04\n"
        "Отчёт от:\n"
        "Вс, 03/16/2025 - 23:30"
    )
    assert "Хабаровск" not in places(text)


def test_a_port_of_a_ships_route_is_no_place_of_the_event() -> None:
    text = (
        "По данным Государственной пограничной службы Украины, основным грузом на судне под флагом "
        "Панамы, которое следовало по маршруту Боливар (Эквадор) — Сеута (Испания) — Одесса, были "
        "указаны 4627 тонн бананов."
    )
    assert "Одесса" not in places(text)


def test_a_checkpoint_and_a_border_post_named_unquoted_are_places() -> None:
    text = (
        "Гашиш, экстази, наркотики МДМА и ЛСД были ввезены в страну через КПП Леушены в "
        "несопровождаемой упаковке. Героин был обнаружен в грузовике, остановленном для досмотра на "
        "пограничном пункте Мегри в южной части Армении."
    )
    assert {"Леушены", "Мегри"} <= set(place_candidates(text))


def test_an_island_named_in_quotes_is_a_place() -> None:
    text = "Случай произошел на острове «Майский» города Зеи."
    assert "Майский" in " ".join(places(text))


def test_an_english_customs_post_is_a_place() -> None:
    text = (
        "As a result of the operation carried out at the Astara customs post of the Southern "
        "Territorial Main Customs Office on the basis of information received"
    )
    assert places(text, language="en") == ["Astara customs post"]


def test_a_provinces_anti_narcotics_force_named_after_it_is_no_place() -> None:
    text = (
        "KARACHI: The Anti-Narcotics Force, Sindh (ANF) claims to have foiled a narcotic smuggling bid "
        "in Karachi by seizing a huge cache of narcotics on Friday."
    )
    assert places(text, language="en") == ["Karachi"]


def test_a_towns_police_in_a_headline_is_no_place_name() -> None:
    text = "17 million amphetamine pills seized and three arrested in Dubai Police drugs bust"
    assert "Dubai Police" not in place_candidates(text)


def test_where_a_consignment_was_supposed_to_be_delivered_is_no_place_of_the_event() -> None:
    text = (
        "Acting on a tipoff, the Central agency sleuths conducted a raid near Bhubaneswar, apprehended "
        "the driver and seized the truck. “Initial investigation suggests that the ganja was procured "
        "from Andhra Pradesh and the consignment was supposed to be delivered in Balasore,” said a NCB "
        "officer."
    )
    assert "Balasore" not in places(text, language="en")


def test_an_uzbek_districts_department_is_its_seat() -> None:
    text = (
        "Шунингдек, Департаментнинг Узун туман бўлими, ДХХ ва ИИБ ходимлари ҳамкорлигидаги бошқа "
        "тезкор тадбирда Қ.Э. ва бошқалар ушланди."
    )
    assert places(text, language="uz") == []


def test_a_prison_named_by_its_place_is_a_place() -> None:
    text = (
        "В Стрижавскую колонию не удалось перекинуть пакетик “травы” и бутылку водки\n"
        "Пакет с маковой соломкой и бутылка водки так и не перелетели через ограду Стрижавской "
        "исправительной колонии № 81."
    )
    assert places(text) == ["Стрижавской исправительной колонии № 81"]


def test_the_stories_under_a_check_also_heading_are_other_news() -> None:
    text = (
        "On the same day, BNCA fined 82 people for illegal possession of tobacco products. BNCA "
        "collected Nu 37,610 as fine money.\n\n"
        "The team will continue to conduct more highway checking and special drug crackdowns to bring "
        "down the number of people in possession of drugs and illegal tobacco products.\n\n\n"
        "Check Also\n\n"
        "Underutilization of new cold storage facilities in Wangdue and Sarpang\n\n"
        "Three state-of-the-art cold storage facilities in Wangduephodrang, Trashigang and Sarpang, "
        "equipped with a capacity of …\n\n"
        "Leave a Reply"
    )
    assert places(text, language="en") == []


def test_where_drugs_were_made_for_selling_is_no_place_of_the_event() -> None:
    text = (
        "The police have recently seized about 45 kilograms of amphetamine at a drug lab in the Ropaži "
        "municipality near Riga.\n\n"
        "It was worth around €600,000 on the black market, and the illegal substance had been made for "
        "selling in Northern European countries."
    )
    assert "Northern European" not in places(text, language="en")
