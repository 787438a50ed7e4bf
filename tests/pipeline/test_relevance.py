"""Relevance stage: hard cases and the evidence kept for the analyst."""

from __future__ import annotations

from pipeline.relevance import RELEVANT_THRESHOLD, score_relevance

FORUM = (
    "В Барнауле проходит молодёжный форум «Молодые лидеры Сибири». Участники встретились с "
    "представителями Правительства края, обсудили перспективы молодёжного движения, патриотическое "
    "воспитание и профориентацию. Эксперт ЭКЦ прочитала лекцию о криминалистике. Подполковник полиции "
    "организовала дискуссионную игру, в ходе которой подростки узнали об ответственности за "
    "распространение наркотиков. Завершился форум концертом."
)
TAJIK_MEETING = (
    "В школе №3 района Фирдавси состоялась встреча с родителями, посвящённая Посланию Президента. "
    "Выступающие говорили о развитии экономики, цифровых инновациях, о ВИЧ/СПИДе, профилактике "
    "терроризма и экстремизма, распаде молодых семей, а также о причинах и последствиях наркомании."
)


def test_alcohol_only_news_is_irrelevant() -> None:
    result = score_relevance(
        "Продавцов алкоголя проверили",
        "В трёх магазинах выявлена продажа алкогольной продукции несовершеннолетним, владельцы оштрафованы.",
        "ru",
    )
    assert result.label == "irrelevant"


def test_tobacco_only_news_is_irrelevant() -> None:
    result = score_relevance("Изъято 500 вейпов", "Полицейские изъяли вейпы и табачную продукцию.", "ru")
    assert result.label == "irrelevant"


def test_forum_with_one_drug_paragraph_is_relevant() -> None:
    assert score_relevance("Форум «Молодые лидеры Сибири»", FORUM, "ru").label == "relevant"


def test_meeting_where_drug_addiction_is_one_topic_among_many_is_relevant() -> None:
    assert score_relevance("Встреча с родителями", TAJIK_MEETING, "ru").label == "relevant"


def test_foundation_laying_is_not_a_dead_drop() -> None:
    result = score_relevance(
        "Закладка фундамента", "Состоялась закладка фундамента нового здания полиции.", "ru"
    )
    assert result.label == "irrelevant"


def test_a_dead_drop_is_drug_news() -> None:
    result = score_relevance("", "Подросток устроился закладчиком и делал закладки в парке.", "ru")
    assert result.label == "relevant"


def test_anaesthesia_is_not_a_drug() -> None:
    result = score_relevance("", "Ребёнку провели операцию под общим наркозом.", "ru")
    assert result.label == "irrelevant"


def test_an_agency_name_alone_is_only_maybe() -> None:
    text = "В спортзале Агентства по контролю за наркотиками прошёл турнир по волейболу."
    assert score_relevance("Турнир", text, "ru").label == "maybe"


def test_negative_cue_never_vetoes_a_strong_term() -> None:
    text = "Водитель в состоянии алкогольного опьянения перевозил 2 кг гашиша."
    result = score_relevance("", text, "ru")
    assert result.label == "relevant"
    assert all(e.weight > 0 for e in result.evidence)


def test_negative_cue_lowers_a_weak_score() -> None:
    weak = score_relevance("", "Незаконный оборот выявлен в ходе рейда.", "ru").score
    lowered = score_relevance("", "Незаконный оборот алкоголя выявлен в ходе рейда.", "ru").score
    assert lowered < weak


def test_evidence_names_the_term_the_matched_text_and_where() -> None:
    result = score_relevance("Изъят героин", "У задержанного обнаружено 5 граммов героина.", "ru")
    evidence = {(e.term.split("|")[0], e.match, e.where) for e in result.evidence}
    assert ("героин*", "героин", "title") in evidence


def test_a_title_match_weighs_more_than_the_same_match_in_the_text() -> None:
    in_title = score_relevance("Наркотики", "Прошла встреча.", "ru").score
    in_text = score_relevance("Встреча", "Наркотики.", "ru").score
    assert in_title > in_text >= RELEVANT_THRESHOLD


def test_kazakh_lexicon_finds_inflected_drug_words() -> None:
    result = score_relevance("", "Оқушыларға есірткінің зияны туралы айтылды.", "kk")
    assert result.label == "relevant"


def test_kyrgyz_lexicon_finds_bangizat() -> None:
    assert score_relevance("", "Баңгизаттын зыяны тууралуу лекция өттү.", "ky").label == "relevant"


def test_tajik_lexicon_finds_narcotic_substances() -> None:
    assert score_relevance("", "12 кило маводи мухаддир мусодира шуд.", "tg").label == "relevant"


def test_uzbek_latin_lexicon_finds_giyohvand() -> None:
    assert score_relevance("", "500 gramm giyohvand modda topildi.", "uz").label == "relevant"


def test_english_pharmacy_prices_are_irrelevant() -> None:
    text = "The ministry will monitor prices of essential drugs in pharmacies."
    assert score_relevance("Medicine prices", text, "en").label == "irrelevant"


def test_a_language_without_a_lexicon_uses_russian_and_english() -> None:
    assert score_relevance("", "Изъято 2 кг гашиша.", "be").label == "relevant"


def test_score_is_between_zero_and_one() -> None:
    result = score_relevance("Наркотики героин гашиш", "наркотики " * 50, "ru")
    assert 0.0 <= result.score <= 1.0


def test_a_term_written_with_yo_matches_the_normalised_text() -> None:
    # Texts are normalised (ё → е) before matching; so are the patterns (uz «гиёҳванд»).
    assert score_relevance("", "гиёҳванд моддалар савдоси", "uz").label == "relevant"


def test_kyrgyz_mangzat_is_a_drug_word() -> None:
    assert score_relevance("", "Маңзат көзөмөл кызматы 2 кг маңзат кармады", "ky").label == "relevant"
