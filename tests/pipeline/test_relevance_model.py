"""The learned relevance model: deterministic training, one clear error for a bad model file,
and what the stage tells the analyst."""

from __future__ import annotations

import json
import shutil

import pytest

from config import PACKAGED_CONFIG_DIR
from newsmon.cli import main
from pipeline.corpus import load_split
from pipeline.relevance_model import (
    ModelError,
    char_ngrams,
    forget_loaded_model,
    judge_relevance,
    load_model,
)
from pipeline.training import TrainingItem, train_model


def _items(split: str, limit: int) -> list[TrainingItem]:
    return [TrainingItem(i.title, i.text, i.language, i.relevant) for i in load_split(split)[:limit]]


@pytest.fixture
def config_copy(tmp_path, monkeypatch):
    """A copy of the configuration folder the test may break; the model is read from it."""
    folder = tmp_path / "config"
    shutil.copytree(PACKAGED_CONFIG_DIR, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(folder))
    monkeypatch.setenv("NEWSMON_DATA_DIR", str(tmp_path / "data"))
    forget_loaded_model()
    yield folder / "models" / "relevance"
    forget_loaded_model()


@pytest.mark.slow
def test_training_twice_on_the_same_items_gives_the_same_model() -> None:
    train, dev = _items("train", 120), _items("dev", 60)
    first = train_model(train, dev, c_grid=(3.0,))
    second = train_model(train, dev, c_grid=(3.0,))
    first.pop("created")
    second.pop("created")
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_training_needs_both_labels() -> None:
    only_relevant = [i for i in _items("train", 200) if i.relevant]
    with pytest.raises(ValueError, match="relevant and irrelevant"):
        train_model(only_relevant[:100], only_relevant[100:])


def test_the_shipped_model_loads_once_and_scores_between_0_and_1() -> None:
    model = load_model()
    assert load_model() is model
    result = judge_relevance("Изъято 2 кг героина", "Полицейские изъяли у задержанного 2 кг героина.", "ru")
    assert 0.0 <= result.score <= 1.0 and result.model == model.version
    assert result.lexicon_score is not None and result.evidence


def test_a_drug_seizure_is_relevant_and_a_drunk_driver_is_not() -> None:
    seizure = judge_relevance(
        "В Караганде задержан закладчик",
        "Сотрудники полиции задержали 23-летнего местного жителя. При личном досмотре у него изъято "
        "15 свёртков с синтетическим наркотиком общей массой 11 граммов. Возбуждено уголовное дело.",
        "ru",
    )
    driver = judge_relevance(
        "Пьяный водитель задержан",
        "Сотрудники ДПС остановили автомобиль, водитель которого находился в состоянии алкогольного "
        "опьянения. Составлен административный протокол, машина помещена на штрафстоянку.",
        "ru",
    )
    assert seizure.label == "relevant" and driver.label == "irrelevant"


def test_a_language_without_a_lexicon_says_so_in_the_evidence() -> None:
    result = judge_relevance("Заловиха хероин", "Полицията задържа мъж с половин килограм хероин.", "bg")
    assert result.note and "no relevance lexicon for 'bg'" in result.note
    assert any(e.match.lower().startswith("хероин") for e in result.evidence)


def test_belarusian_narka_words_are_evidence() -> None:
    # Belarusian writes «нарка-» where Russian writes «нарко-» (a dev item of corpus/relevance, round 5)
    title, text = "У Івацэвічах затрыманы 40-гадовы наркаман", "Праходзіць комплекс мерапрыемстваў."
    result = judge_relevance(title, text, "be")
    assert any(e.match.lower() == "наркаман" for e in result.evidence)


def test_raw_opium_written_with_a_hyphen_is_evidence() -> None:
    # «опия-сырца» is one hyphenated word (a round-6 item of corpus/relevance)
    text = "В ходе осмотра местности была обнаружена лодка, в которой находилось 3 пакета опия-сырца."
    result = judge_relevance("", text, "ru")
    assert any(e.match.lower() == "опия-сырца" for e in result.evidence)


def test_narcology_in_uzbek_and_azerbaijani_is_evidence() -> None:
    # the treatment-service word of round 8's narcology items (corpus/relevance), at half weight
    uz = judge_relevance("", "Viloyat narkologiya dispanserlari yagona tizimga birlashtiriladi.", "uz")
    az = judge_relevance("", "Respublika Narkoloji Mərkəzində qəbul olunan xəstələrin sayı artıb.", "az")
    assert any(e.match.lower().startswith("narkolog") for e in uz.evidence)
    assert any(e.match.lower().startswith("narkoloj") for e in az.evidence)


def test_related_languages_share_ngrams_after_folding() -> None:
    assert char_ngrams("", "героїн") & char_ngrams("", "героин")
    assert " есир" in char_ngrams("", "есірткі") and " esir" in char_ngrams("", "esirtki")


def test_an_empty_article_is_irrelevant() -> None:
    assert judge_relevance("", "", "ru").label == "irrelevant"


def test_a_missing_model_file_is_one_clear_error(config_copy) -> None:
    version = (config_copy / "ACTIVE").read_text().strip()
    (config_copy / f"{version}.json").unlink()
    with pytest.raises(ModelError, match=f"no relevance model '{version}'"):
        load_model()


def test_a_corrupt_model_file_is_one_clear_error(config_copy) -> None:
    version = (config_copy / "ACTIVE").read_text().strip()
    path = config_copy / f"{version}.json"
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(ModelError, match="the relevance model is corrupt"):
        load_model()


def test_a_file_that_is_not_a_model_is_one_clear_error(config_copy) -> None:
    version = (config_copy / "ACTIVE").read_text().strip()
    (config_copy / f"{version}.json").write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ModelError, match="not a usable relevance model"):
        load_model()


def test_a_model_of_an_older_version_says_how_to_get_a_usable_one(config_copy) -> None:
    version = (config_copy / "ACTIVE").read_text().strip()
    path = config_copy / f"{version}.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    content["dense_features"] = content["dense_features"][:7]
    content["dense_weights"] = content["dense_weights"][:7]
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(ModelError, match="newsmon model train.*newsmon model restore"):
        load_model()


def test_a_command_that_tags_reports_a_broken_model_in_one_line(config_copy, tmp_path, capsys) -> None:
    (config_copy / "ACTIVE").write_text("../../etc/passwd\n", encoding="utf-8")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "url": "https://a.kz/1", "text": "Текст."}) + "\n")
    assert main(["tag", str(source)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not name a model version" in err[0]


def test_an_unsure_model_without_a_drug_word_does_not_fill_the_inbox() -> None:
    """In the ``maybe`` band (here made wide) a cigarette seizure, whose only lexicon term is
    «контрабанда», is not a candidate; a story with a drug word is."""
    from dataclasses import replace

    from pipeline.relevance_model import Thresholds

    unsure = replace(load_model(), thresholds=Thresholds(relevant=0.999999, maybe=0.000001))
    cigarettes = judge_relevance(
        "Изъято более 500 блоков контрабандных сигарет",
        "На автодороге остановлен грузовой автомобиль: в кузове перевозились 520 блоков сигарет без "
        "акцизных марок. Возбуждено уголовное дело по статье о контрабанде.",
        "ru",
        model=unsure,
    )
    talk = judge_relevance(
        "Встреча со студентами",
        "Сотрудники полиции рассказали студентам колледжа о вреде наркотиков.",
        "ru",
        model=unsure,
    )
    assert cigarettes.label == "irrelevant" and talk.label == "maybe"


def test_a_clear_lexicon_hit_is_never_hidden_from_the_inbox() -> None:
    from pipeline.relevance import score_relevance

    title = "На форуме «Молодые лидеры Сибири» организована встреча с экспертами"
    text = (
        "Участники форума обсудили волонтёрство, спорт и карьеру. Отдельная встреча была посвящена "
        "ответственности за распространение наркотиков и вовлечение молодёжи в наркобизнес."
    )
    assert score_relevance(title, text, "ru").label == "relevant"
    assert judge_relevance(title, text, "ru").label in ("relevant", "maybe")
