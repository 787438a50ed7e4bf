"""config/sources.toml is validated on load; a mistake is reported naming the file and field."""

import shutil
from pathlib import Path

import pytest

import config
from config import ConfigError, load_sources


@pytest.fixture
def config_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the packaged configuration folder that a test may break."""
    target = tmp_path / "config"
    shutil.copytree(config.PACKAGED_CONFIG_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(target))
    config.clear_cache()
    yield target
    config.clear_cache()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_packaged_sources_describe_the_four_sites_and_two_outlets():
    sources = load_sources()
    assert [s.id for s in sources.sources if s.kind == "site"] == ["polisia_kz", "mvd_kg", "mvd_ru", "akn_tj"]
    assert [s.id for s in sources.sources if s.kind == "outlet"] == ["kazinform", "vb_kg"]
    assert {s.id: s.country for s in sources.sources} == {
        "polisia_kz": "KZ", "mvd_kg": "KG", "mvd_ru": "RU", "akn_tj": "TJ", "kazinform": "KZ", "vb_kg": "KG"
    }
    assert sources.source("mvd_kg").timezone == "Asia/Bishkek"
    assert "newsmon" in sources.crawler.user_agent


def test_unknown_time_zone_names_the_source_and_field(config_copy):
    _edit(config_copy / "sources.toml", 'timezone = "Asia/Bishkek"', 'timezone = "Asia/Bishkekk"')
    with pytest.raises(ConfigError) as error:
        load_sources()
    message = str(error.value)
    assert "sources.toml" in message
    assert "sources[1] (mvd_kg).timezone" in message
    assert "Asia/Bishkekk" in message


def test_bad_country_code_is_reported(config_copy):
    _edit(config_copy / "sources.toml", 'country = "KG"', 'country = "Kyrgyzstan"')
    with pytest.raises(ConfigError, match=r"sources\[1\] \(mvd_kg\)\.country"):
        load_sources()


def test_unknown_field_is_reported(config_copy):
    _edit(config_copy / "sources.toml", 'country = "TJ"', 'country = "TJ"\ncountyr = "TJ"')
    with pytest.raises(
        ConfigError, match=r"sources\[3\] \(akn_tj\)\.countyr: Extra inputs are not permitted"
    ):
        load_sources()


def test_broken_toml_syntax_is_reported_with_the_file(config_copy):
    _edit(config_copy / "sources.toml", "[[sources]]", "[[sources]")
    with pytest.raises(ConfigError, match=r"sources\.toml: not valid TOML"):
        load_sources()


def test_duplicate_source_ids_are_refused(config_copy):
    _edit(config_copy / "sources.toml", 'id = "mvd_kg"', 'id = "polisia_kz"')
    with pytest.raises(ConfigError, match="appears twice"):
        load_sources()


def test_missing_file_is_reported(config_copy):
    (config_copy / "sources.toml").unlink()
    with pytest.raises(ConfigError, match="file not found"):
        load_sources()


def test_relative_start_url_is_refused(config_copy):
    _edit(config_copy / "sources.toml", 'start_urls = ["https://akn.tj/ru/"]', 'start_urls = ["/ru/"]')
    with pytest.raises(ConfigError, match=r"start_urls.*not an absolute"):
        load_sources()


def test_a_url_date_pattern_without_its_groups_is_refused(config_copy):
    _edit(config_copy / "sources.toml", "url_date = '/(?P<year>", "url_date = '/(?P<yr>")
    with pytest.raises(ConfigError) as caught:
        load_sources()
    assert "url_date" in str(caught.value) and "year, month and day" in str(caught.value)


def test_crawling_a_configured_source_without_a_spider_is_one_line(config_copy, tmp_path):
    import os
    import subprocess
    import sys

    with (config_copy / "sources.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n[[sources]]\nid = "iiv_uz"\nname = "MIA of Uzbekistan"\ncountry = "UZ"\n'
            'timezone = "Asia/Tashkent"\nlanguages = ["uz", "ru"]\nhosts = ["iiv.uz"]\n'
            'start_urls = ["https://iiv.uz/news"]\n'
        )
    database = f"sqlite:///{tmp_path / 'n.sqlite'}"
    env = {**os.environ, "NEWSMON_CONFIG_DIR": str(config_copy), "DATABASE_URL": database}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "newsmon", *args], capture_output=True, text=True, env=env, timeout=120
        )

    assert run("db", "upgrade").returncode == 0
    crawl = run("crawl", "iiv_uz", "--no-resume")
    assert crawl.returncode == 2
    assert crawl.stderr.strip().splitlines() == [
        "newsmon: error: config/sources.toml: source 'iiv_uz' has no spider (crawlers/spiders/iiv_uz.py): "
        "add one, or set enabled = false"
    ]
