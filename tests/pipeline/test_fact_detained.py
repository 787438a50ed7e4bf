"""The number detained in a story's own event (issue #19, ``pipeline/facts/detained.py``): people
counted in words, digits, lists of ages and years of birth, pairs; one person in the singular;
further people added, a stated total, parts of a number told before, no one detained.

Every text is cut, as published, from a story of the ``corpus/facts`` train split.
"""

from __future__ import annotations

from pipeline.facts import extract_facts


def detained(text: str, language: str) -> int | None:
    return extract_facts(text, language=language).detained


def test_a_number_in_words_beside_the_verb_counts_without_a_person_word() -> None:
    assert detained("Были задержаны трое белорусов.", "ru") == 3


def test_an_english_subject_far_before_the_verb_is_counted() -> None:
    text = (
        "Three persons suspected of manufacturing and selling psychotropic substances were detained as "
        "part of the operation carried out by Almaty’s NSC department during which two large illicit "
        "synthetic drugs laboratories were eliminated, Kazinform reports."
    )
    assert detained(text, "en") == 3


def test_an_age_is_one_person_not_a_number_of_people() -> None:
    text = (
        "Полицейские задержали 32-летнего мужчину на трассе М4 «Дон» за незаконное хранение наркотиков, "
        "сообщила пресс-служба ГУ МВД по региону в пятницу, 6 марта."
    )
    assert detained(text, "ru") == 1


def test_the_day_of_a_date_is_not_a_number_of_people() -> None:
    text = " date 2026-02-07 Задержан мужчина, пытавшийся доставить в больницу наркотики."
    assert detained(text, "ru") == 1


def test_a_married_couple_is_two() -> None:
    text = "Сотрудники управления ФСКН России по Новосибирской области задержали супружескую пару."
    assert detained(text, "ru") == 2


def test_a_list_of_years_of_birth_is_one_person_each() -> None:
    text = (
        "O'tkazilgan tezkor tadbir davomida Andijon viloyati Bo'ston tumani hududidagi dala maydoniga "
        "ko'mib ketilgan 9 kg 447 g gashish olinayotgan vaqtda uyushgan guruhning 1990, 1996, 1980 va "
        "1981-yillarda tug'ilgan a'zolari qo'lga olindi."
    )
    assert detained(text, "uz") == 4


def test_an_organiser_and_three_helpers_are_four() -> None:
    text = (
        "Жинақталған бұлтартпас айғақтардың нәтижесінде Шымкент және Қонаев қалаларында есірткі "
        "синдикатының ұйымдастырушысы мен үш көмекшісі ұсталды."
    )
    assert detained(text, "kk") == 4


def test_a_plural_subject_of_a_kazakh_verb_is_not_one_person() -> None:
    text = "Алматыда цифрлық төлеммен жұмыс істеген есірткі таратушылар ұсталды"
    assert detained(text, "kk") is None


def test_a_batch_of_drugs_detained_is_no_person() -> None:
    text = (
        "Очередная партия героина, предназначенная для провоза в Российскую Федерацию, задержана накануне "
        "сотрудниками Агентства по контролю за наркотиками при президенте РТ на столичном железнодорожном "
        "вокзале."
    )
    assert detained(text, "ru") is None


def test_no_one_detained_yet_is_no_number() -> None:
    text = (
        "Учурда эч ким кармала элек, Кыргызстандагы укк коргоо органдары бул иш боюнча териштируу "
        "жургузудо."
    )
    assert detained(text, "ky") is None


def test_a_detention_in_another_case_is_added() -> None:
    text = (
        "По подозрению в совершении данного преступления задержан проводник поезда.\n"
        "Кроме того, в Кара-Суйском районе сотрудники отдела ОБНОН УВД Оша области задержали жителя "
        "южной столицы, который пытался продать более 1 кг гашиша."
    )
    assert detained(text, "ru") == 2


def test_people_of_new_ages_after_a_group_are_added() -> None:
    text = (
        "In Uzun district of Surkhandarya region, three individuals were apprehended while attempting to "
        "smuggle 10.05 kg of opium and 10.029 kg of hashish from Tajikistan. They were intercepted by "
        "border troops.\n\nDuring an operation in Muzrabad district, a 43-year-old Termez resident, "
        "previously convicted of drug trafficking, was arrested while receiving 1.953 kg of opium and "
        "4.116 kg of hashish from Afghanistan. Shortly after, a 48-year-old Kazakh citizen was detained "
        "for planning to obtain these drugs in Termez."
    )
    assert detained(text, "en") == 5


def test_one_man_told_again_with_his_age_is_still_one() -> None:
    text = (
        "“Courier” detained near Tashkent with synthetic drugs worth 4.8 billion soums\n\n"
        "A man was detained in the Tashkent region for bringing synthetic drugs worth almost 5 billion "
        "soums.\n\nAccording to the Tashkent regional DIA, a 33-year-old man was detained in the "
        "Bostanlyk district."
    )
    assert detained(text, "en") == 1


def test_a_stated_total_of_the_detained_wins() -> None:
    text = (
        "при сбыте наркотического средства гашиша в особо крупном размере был задержан старший лейтенант "
        "милиции 1979 года рождения.\nПо данным ведомства, у задержанного была изъята партия наркотиков, "
        "общим весом около 500 граммов, расфасованная на 40 доз. В ходе дальнейших оперативных "
        "мероприятий в Бишкеке были задержаны два предполагаемых соучастника.\nВозбуждено уголовное дело. "
        "Все трое задержанных водворены в СИЗО Бишкека сроком на два месяца."
    )
    assert detained(text, "ru") == 3


def test_the_parts_listed_after_a_number_are_not_added() -> None:
    text = (
        "SSS officers carried out operational activities in a number of regions, during which they "
        "detained more than 10 drug dealers.\n\nPhoto: Frame from video\n\nIn particular, a native of "
        "Tajikistan was detained while smuggling 5 kg 817 grams of hashish at the Uzbek-Tajik state "
        "border in the city of Almalyk, Tashkent region."
    )
    assert detained(text, "en") == 10


def test_a_detention_in_an_earlier_case_is_not_this_event_s() -> None:
    text = (
        "Аталган факты боюнча сотко чейинки өндүрүш ачылып, эки кыргызстандык баңгизаттарын мыйзамсыз "
        "сатууга шектелип кармалып, УКМКнын убактылуу кармоо жайына киргизилген.\n\n"
        "Буга чейин Ош облусунда Борбордук Азия өлкөлөрүнө маңзаттарды ташуу жана сатуу үчүн туруктуу "
        "канал түзгөн 55 жана 59 жаштагы тургундар кармалган."
    )
    assert detained(text, "ky") == 2


def test_two_people_joined_after_the_verb_are_two() -> None:
    # round 6 of corpus/facts (train)
    text = (
        "В Ошской области задержали россиянина и кыргызстанца, у которых обнаружены и изъяты наркотики."
    )
    assert detained(text, "ru") == 2


def test_one_person_and_what_was_found_on_him_is_one() -> None:
    text = "Полицейские задержали мужчину и изъяли у него 300 граммов героина."
    assert detained(text, "ru") == 1
