"""What the whole text does with its drug words: the relevance model's context features."""

from __future__ import annotations

import shutil

import pytest

from config import PACKAGED_CONFIG_DIR, ConfigError
from pipeline.relevance import lexicon_relevance
from pipeline.relevance_context import CONTEXT_FEATURES, context_features, load_cues


def _features(title: str, text: str, language: str = "ru") -> dict[str, float]:
    signals = lexicon_relevance(title, text, language)[1]
    return dict(zip(CONTEXT_FEATURES, context_features(title, text, signals), strict=True))


SEIZURE = (
    "Полицейские задержали наркокурьера. У задержанного изъяли 2 килограмма героина. "
    "Возбуждено уголовное дело о сбыте наркотиков."
)
RIOT = (
    "В ходе беспорядков задержаны 40 человек. Они повредили витрины магазинов и автомобили. "
    "Часть задержанных находилась в состоянии опьянения, в том числе наркотического. "
    "Пострадали прохожие, ущерб оценивается в миллионы тенге."
)


def test_a_seizure_report_carries_drug_terms_beside_action_words_throughout() -> None:
    seizure, riot = _features("", SEIZURE), _features("", RIOT)
    assert seizure["drug_with_action"] > riot["drug_with_action"]
    assert seizure["drug_sentence_share"] > riot["drug_sentence_share"]


def test_drugs_as_someones_state_are_read_as_intoxication() -> None:
    assert _features("", RIOT)["drug_with_intoxication"] > 0
    assert _features("", SEIZURE)["drug_with_intoxication"] == 0


def test_a_drug_term_in_a_list_of_crimes_is_seen_as_one_item_of_the_list() -> None:
    roundup = "За сутки раскрыты кражи, грабежи, мошенничества, хранение наркотиков и угон автомобиля."
    assert _features("", roundup)["crimes_beside_drug"] >= 0.75


def test_phone_fraud_with_a_drug_pretext_shows_its_fraud_cues() -> None:
    fraud = (
        "Мошенники позвонили пенсионерке и сообщили, что её сын задержан с наркотиками. "
        "За освобождение от ответственности она перевела деньги незнакомцу."
    )
    assert _features("", fraud)["fraud_cues"] > _features("", SEIZURE)["fraud_cues"]


def test_a_seizure_told_without_a_drug_word_shows_a_substance_beside_an_action() -> None:
    # The euphemism of real seizure reports: no drug term, but packets of a substance seized.
    packets = (
        "Росгвардейцы подошли к прохожему, который что-то искал в кустах. "
        "В ходе досмотра у него изъяли десяток пакетиков с каким-то веществом, замотанных изолентой."
    )
    assert _features("", packets)["substance_with_action"] > 0
    assert _features("", RIOT)["substance_with_action"] == 0


def test_drugs_in_a_sentence_about_alcohol_are_read_as_narcology_of_alcohol() -> None:
    alcohol = "На учёте у нарколога состоят 300 человек с алкогольной зависимостью и 12 наркозависимых."
    assert _features("", alcohol)["alcohol_share_of_drug_sentences"] == 1.0
    assert _features("", SEIZURE)["alcohol_share_of_drug_sentences"] == 0.0


def test_a_text_without_drug_terms_has_no_drug_sentences() -> None:
    features = _features("Погода", "Завтра в Алматы ожидается снег и гололёд на дорогах.")
    assert features["drug_sentences"] == 0 and features["first_drug_position"] == 1.0


def test_every_feature_stays_between_zero_and_one() -> None:
    long_text = " ".join([SEIZURE] * 50)
    assert all(0.0 <= value <= 1.0 for value in _features("Изъяли героин", long_text).values())


def test_a_missing_cue_file_is_one_configuration_error(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "config"
    shutil.copytree(PACKAGED_CONFIG_DIR, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (folder / "lexicons" / "relevance_context.toml").unlink()
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(folder))
    with pytest.raises(ConfigError, match="relevance_context.toml"):
        load_cues()
