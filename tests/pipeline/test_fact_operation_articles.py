"""The operation's name and the criminal-code articles of a story (issue #19,
``pipeline/facts/events.py``): a name before a described operation word in kk/uz, English "operation
called X", quotes that close one quotation and open the next; articles in Kazakh Latin and Uzbek,
articles listed before the one that names the article, a code of procedure, the Belarusian code.

Every text is cut, as published, from a story of the ``corpus/facts`` train split.
"""

from __future__ import annotations

from pipeline.facts import extract_facts


def operation(text: str, language: str) -> str | None:
    found = extract_facts(text, language=language).operation
    return found.value if found else None


def articles(text: str, language: str, country: str) -> list[str]:
    return [m.value for m in extract_facts(text, language=language, country=country).legal_articles]


def test_a_kyrgyz_operation_may_be_called_international() -> None:
    text = (
        "Чек ара кызматкерлеринин Бангизатка каршы «Желе» эл аралык операциясынын алкагында жүргүзүлгөн "
        "ыкчам иш-чаралардын натыйжасында"
    )
    assert operation(text, "ky") == "Желе"


def test_a_kazakh_operation_word_may_be_cut_by_a_space_after_its_hyphen() -> None:
    text = (
        "Плантацияны полиция қызметкерлері ҰҚКД-мен “Қарасора – 2024” іс- шарасын бірлесіп жүргізу аясында "
        "анықтады."
    )
    assert operation(text, "kk") == "Қарасора – 2024"


def test_the_operation_s_name_with_its_year_wins_over_the_headline_s_short_name() -> None:
    text = (
        "На Иссык-Куле уничтожают коноплю. Проходит операция «Мак»\n\nНа территории Иссык-Кульской области "
        "проходит комплексная операция «Мак-2020»."
    )
    assert operation(text, "ru") == "Мак-2020"


def test_a_kazakh_operation_word_may_follow_a_word_describing_it() -> None:
    text = (
        "Полиция қызметкерлері «Қарасора – 2024» жедел-профилактикалық іс-шарасы барысында Жамбыл "
        "ауданында есірткі өсімдігін заңсыз өсіру дерегін анықтады."
    )
    assert operation(text, "kk") == "Қарасора – 2024"


def test_an_uzbek_tadbir_is_an_operation() -> None:
    text = (
        "shaxslarni aniqlash maqsadida “Nazorat ostida olish” tezkor tadbiri o`tkazildi.\n"
        "Tezkor tadbir davomida 1993 yilda tug`ilgan, Urganch shahrida yashovchi Kamalov Otabek"
    )
    assert operation(text, "uz") == "Nazorat ostida olish"


def test_a_quote_closing_one_quotation_can_open_the_operation_s_name() -> None:
    text = (
        'the correspondent of Kazakhstan legal portal "" reports. The large-scale operation "Karasora" '
        "which is carried out annually from June to October is complete."
    )
    assert operation(text, "en") == "Karasora"


def test_an_english_operation_called_by_its_name() -> None:
    text = (
        "Every year, the government organizes a large-scale operation called Karasora to prevent "
        "criminals from harvesting, storing and selling of hashish and marijuana during the period from "
        "June to October."
    )
    assert operation(text, "en") == "Karasora"


def test_kazakh_latin_articles_listed_before_the_article_word() -> None:
    text = "Qazirgi ýaqytta eki áıel qamaýǵa alynyp, QR QK 250, 259-baptarymen qylmystyq is qozǵaldy."
    assert articles(text, "kk", "KZ") == ["250 УК РК", "259 УК РК"]


def test_uzbek_moddasi_articles_with_one_listed_between() -> None:
    text = (
        "fuqaro T.Sh.ga nisbatan JKning 270-moddasi, 1-qismi va 25, 273-moddasi 5-qismi bilan jinoyat "
        "ishi qo‘zg‘atilgan."
    )
    assert sorted(articles(text, "uz", "UZ")) == ["25 УК РУз", "270 УК РУз", "273 УК РУз"]


def test_an_article_of_the_code_of_criminal_procedure_is_not_a_criminal_article() -> None:
    text = (
        "Ал сотко чейинки өндүрүштүн алкагында Жазык проццестик кодексинин 98-беренесине ылайык, "
        "кылмышка шектелип, УКМКнын тергөө камак жайынын убактылуу кармоочу жайына киргизилди."
    )
    assert articles(text, "ky", "KG") == []


def test_the_belarusian_criminal_code_named_in_full() -> None:
    text = (
        "Задержанных будут судить за незаконные без цели сбыта изготовление, переработку, приобретение, "
        "хранение и перевозку наркотиков (ч.1 и ч.2 ст. 328, ст. 329 Уголовного кодекса Беларуси)."
    )
    assert articles(text, "ru", "RU") == ["328 УК РБ", "329 УК РБ"]


def test_an_article_opening_a_sentence() -> None:
    assert articles("Статья 228 — тяжкая статья.", "ru", "RU") == ["228 УК РФ"]
