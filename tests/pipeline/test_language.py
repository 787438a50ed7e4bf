"""Language stage: the cases langdetect gets wrong, and declared vs detected conflicts."""

from __future__ import annotations

import pytest

from pipeline.language import detect_langdetect, detect_language, letter_evidence

KAZAKH = (
    "Қарағанды облысы полиция департаментінің есірткі қылмысына қарсы іс-қимыл басқармасының "
    "қызметкерлері 23 жастағы жергілікті тұрғынды ұстады. Жеке тексеру кезінде одан синтетикалық "
    "есірткі салынған 15 орама табылды."
)
KYRGYZ = (
    "ИИМдин кызматкерлери Бишкек шаарында 34 жаштагы жаранды кармашты. Анын үстүнөн 2 кг гашишке "
    "окшош зат табылып, алынды. Бул факты боюнча кылмыш иши козголду."
)
TAJIK = (
    "Кормандони Агентии назорати маводи мухаддир дар ноҳияи Сино як сокини 38-солаи шаҳрро "
    "боздошт намуданд. Аз ӯ 12 кило маводи мухаддири навъи ҳашиш ба даст оварда шуд."
)
UZBEK_CYRILLIC = (
    "Сурхондарё вилояти ИИБ ходимлари томонидан Афғонистондан олиб кирилган 3 килограмм героин "
    "мусодара қилинди. Гиёҳванд моддани олиб ўтишга уринган икки шахс ушланди."
)
UZBEK_LATIN = (
    "Surxondaryo viloyati IIB xodimlari tomonidan o'tkazilgan tezkor tadbirda 27 yoshli fuqaro "
    "ushlandi. Uning avtomashinasidan 500 gramm giyohvand modda topildi."
)
RUSSIAN = (
    "Сотрудники полиции Карагандинской области задержали местного жителя, подозреваемого в сбыте "
    "наркотиков. При досмотре у него обнаружено 18 свёртков с мефедроном."
)


@pytest.mark.parametrize("text", [KAZAKH, KYRGYZ, TAJIK, UZBEK_CYRILLIC])
def test_langdetect_alone_gets_central_asian_cyrillic_wrong(text: str) -> None:
    assert detect_langdetect(text)[0] not in {"kk", "ky", "tg", "uz"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (KAZAKH, "kk"),
        (KYRGYZ, "ky"),
        (TAJIK, "tg"),
        (UZBEK_CYRILLIC, "uz"),
        (UZBEK_LATIN, "uz"),
        (RUSSIAN, "ru"),
    ],
)
def test_combined_stage_names_the_language(text: str, expected: str) -> None:
    assert detect_language("", text).language == expected


def test_kazakh_letters_are_evidence_for_kazakh() -> None:
    assert letter_evidence(KAZAKH).language == "kk"


def test_kyrgyz_is_recognised_by_the_absence_of_kazakh_letters() -> None:
    assert letter_evidence(KYRGYZ).language == "ky"


def test_one_kazakh_name_in_russian_text_is_not_kazakh() -> None:
    text = RUSSIAN + " В акции участвовали волонтёры фонда «Есбол қоры»."
    assert letter_evidence(text) is None


def test_kazakh_text_under_a_russian_url_is_kazakh() -> None:
    result = detect_language("", KAZAKH, declared="ru")
    assert (result.language, result.method) == ("kk", "letters")


def test_russian_text_under_a_kazakh_url_is_russian() -> None:
    assert detect_language("", RUSSIAN * 2, declared="kk").language == "ru"


def test_declared_language_decides_a_too_short_text() -> None:
    result = detect_language("Фото", "", declared="kk")
    assert (result.language, result.method) == ("kk", "declared")


def test_a_russian_title_full_of_place_names_stays_russian_when_declared() -> None:
    title = "Кыргызстан, Казахстан и Россия обсудили борьбу с наркотрафиком"
    assert detect_language(title, "", declared="ru", detector="pycld2").language == "ru"


def test_a_bulgarian_answer_for_a_russian_title_is_corrected() -> None:
    assert detect_language("В Душанбе изъято более 12 кг гашиша", "").language == "ru"


def test_confidence_is_between_zero_and_one() -> None:
    result = detect_language("", TAJIK)
    assert 0.0 < result.confidence <= 1.0


def test_the_result_is_deterministic() -> None:
    text = "Police held a lecture"
    assert {detect_language("", text).language for _ in range(5)} == {detect_language("", text).language}


KAZAKH_LATIN_2018 = (
    "Mańǵystaý oblysy polısııa departamentiniń málimetinshe, óńirde esirtki saýdasymen aınalysqan "
    "eki adam ustaldy. Olardyń kóliginen eki keliden astam sıntetıkalyq esirtki tabyldy."
)
KAZAKH_LATIN_2021 = (
    "Qaraǧandy oblysynyñ polisiasy jyl basynan beri esırtkı taratumen aınalysqan 53 adamdy ūstady. "
    "Qylmystyq ıs qozǧalyp, künä jasaǧan azamattar jauapqa tartyldy, dep habarlady departament."
)
UKRAINIAN = (
    "На Київщині поліцейські затримали росіянина з партією героїну на кілька мільйонів гривень. "
    "Він зберігав наркотики у квартирі, яку винаймав, повідомляє пресслужба поліції області."
)
BELARUSIAN = (
    "На футбольным матчы Беларусь – Іспанія міліцыя знайшла ў заўзятара пакет з рэчывам, падобным "
    "на каноплі. Ён спрабаваў пранесці яго на стадыён, паведамілі ў праваахоўных органах."
)
MONGOLIAN = (
    "Цагдаагийн газрын мэдээлснээр мансууруулах бодис худалдаалж байсан хоёр иргэнийг саатуулжээ. "
    "Тэдний гэрээс хууль бус ургамал хураан авч, хэргийг шалгаж байна гэж мэдэгдлээ."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (KAZAKH_LATIN_2018, "kk"),
        (KAZAKH_LATIN_2021, "kk"),
        (UKRAINIAN, "uk"),
        (BELARUSIAN, "be"),
        (MONGOLIAN, "mn"),
    ],
    ids=["kazakh-latin-2018", "kazakh-latin-2021", "ukrainian-not-kazakh", "belarusian-not-uzbek",
         "mongolian-not-kyrgyz"],
)
def test_languages_that_share_letters_with_the_desks_are_told_apart(text, expected) -> None:
    assert detect_language("", text).language == expected


def test_kazakh_in_latin_script_is_not_taken_for_turkmen() -> None:
    assert letter_evidence(KAZAKH_LATIN_2018).language == "kk"


def test_a_site_menu_in_another_language_does_not_decide_the_language() -> None:
    menu = "Home\nNews\nAbout us\nContacts\nSearch\nEnglish | Русский | Қазақша\n"
    assert detect_language("", menu + RUSSIAN).language == "ru"


def test_the_host_countrys_language_decides_between_serbian_croatian_and_bosnian() -> None:
    from core.types import PageInput
    from pipeline.runner import tag_page

    text = (
        "Policija je u akciji zaplijenila sto kilograma marihuane i uhapsila osumnjičenog muškarca. "
        "Protiv njega je podnesena krivična prijava nadležnom tužilaštvu, saopćeno je iz policije."
    )
    serbian = tag_page(PageInput(url="https://example.rs/vijesti/1", title="Zaplijenjeno", text=text))
    croatian = tag_page(PageInput(url="https://example.hr/vijesti/1", title="Zaplijenjeno", text=text))
    assert (serbian.language, serbian.country) == ("sr", "RS")
    assert (croatian.language, croatian.country) == ("hr", "HR")


ENGLISH = (
    "Police officers of the Karaganda region detained a local resident suspected of selling drugs. "
    "During the search eighteen packets of mephedrone were found in his car, the press service said."
)


@pytest.fixture
def primary_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the primary detector (py3langid) was asked about."""
    import pipeline.language as language

    calls: list[str] = []
    primary = language.DETECTORS[language.PRIMARY_DETECTOR]

    def recorded(text: str) -> tuple[str | None, float]:
        calls.append(text)
        return primary(text)

    monkeypatch.setitem(language.DETECTORS, language.PRIMARY_DETECTOR, recorded)
    return calls


def test_a_declared_language_the_cheap_detector_confirms_needs_no_primary_detector(primary_calls):
    result = detect_language("Задержан наркосбытчик", RUSSIAN + " " + RUSSIAN, declared="ru")
    assert (result.language, result.method) == ("ru", "declared")
    assert result.confidence >= 0.8
    assert primary_calls == []


def test_letters_the_cheap_detector_confirms_need_no_primary_detector(primary_calls):
    result = detect_language("", KYRGYZ, declared="ky")
    assert result.language == "ky"
    assert primary_calls == []


def test_a_declared_language_the_cheap_detector_contradicts_goes_to_the_primary_detector(primary_calls):
    result = detect_language("Drug dealer detained", ENGLISH, declared="ru")
    assert result.language == "en"
    assert len(primary_calls) == 1
