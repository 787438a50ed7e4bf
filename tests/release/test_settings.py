"""config/release.toml is validated on load; a mistake names the file and the field."""

from __future__ import annotations

import shutil

import pytest

from config import PACKAGED_CONFIG_DIR, ConfigError
from release import settings as release_settings


@pytest.fixture
def config_copy(tmp_path, monkeypatch):
    folder = tmp_path / "config"
    shutil.copytree(PACKAGED_CONFIG_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(folder))
    release_settings.clear_cache()
    yield folder
    release_settings.clear_cache()


def test_packaged_settings_hold_the_reference_country_order():
    settings = release_settings.load_release_settings()
    assert [c.code for c in settings.countries[:7]] == ["KZ", "KG", "RU", "TJ", "AZ", "TM", "UZ"]
    assert all(c.member for c in settings.countries[:7]) and not any(c.member for c in settings.countries[7:])
    assert settings.country_title("KG", "ru") == "КЫРГЫЗСКАЯ РЕСПУБЛИКА"


def test_an_unknown_placeholder_is_refused_naming_file_and_field(config_copy):
    path = config_copy / "release.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("{place} - {year}", "{city} - {year}", 1),
                    encoding="utf-8")
    expected = r"release\.toml: editions\.en.*place_line: unknown placeholder \{city\}"
    with pytest.raises(ConfigError, match=expected):
        release_settings.load_release_settings()


def test_a_country_without_a_russian_title_is_refused(config_copy):
    path = config_copy / "release.toml"
    text = path.read_text(encoding="utf-8").replace(', ru = "ТУРКМЕНИСТАН"', "", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="country TM needs title.ru"):
        release_settings.load_release_settings()
