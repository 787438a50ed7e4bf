"""Malformed data files raise ConfigError naming the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import config
from config import ConfigError
from pipeline import country, language, relevance, topic

PACKAGED = Path(config.__file__).resolve().parent


@pytest.fixture
def config_copy(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "config"
    shutil.copytree(PACKAGED, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(target))
    config.clear_cache()
    yield target
    config.clear_cache()


def test_a_bad_relevance_pattern_names_file_and_field(config_copy) -> None:
    path = config_copy / "lexicons" / "relevance" / "ru.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[[terms]]\npattern = "*"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"ru\.toml: terms\[\d+\]\.pattern"):
        relevance.load_lexicons()


def test_a_bad_gazetteer_timezone_names_file_and_field(config_copy) -> None:
    path = config_copy / "gazetteer" / "kz.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Asia/Almaty", "Asia/Nowhere"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"kz\.toml: timezone"):
        country.load_gazetteer()


def test_a_bad_language_in_a_towns_file_names_file_and_field(config_copy) -> None:
    path = config_copy / "gazetteer" / "towns" / "kz.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("ru = [", "Russian = [", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"kz\.toml: towns"):
        country.load_gazetteer()


def test_an_unknown_table_in_a_provinces_file_names_file_and_field(config_copy) -> None:
    path = config_copy / "gazetteer" / "provinces" / "af.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[provinces]", "[provincs]"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"af\.toml: provincs"):
        country.load_gazetteer()


def test_a_bad_code_in_the_world_file_names_file_and_field(config_copy) -> None:
    path = config_copy / "gazetteer" / "world" / "countries.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[NP]", "[Nepal]"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"countries\.toml: .*Nepal"):
        country.load_gazetteer()


def test_an_unknown_topic_is_refused(config_copy) -> None:
    path = config_copy / "lexicons" / "topics.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('id = "treatment"', 'id = "healing"'), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"topics\.toml: .*healing"):
        topic.load_topic_rules()


def test_a_broken_language_file_is_refused(config_copy) -> None:
    (config_copy / "lexicons" / "language.toml").write_text("min_ratio = [", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"language\.toml: not valid TOML"):
        language.load_marks()
