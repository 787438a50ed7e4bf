"""Politeness and honesty settings come from the configuration; tests and the mirror can relax them."""

from __future__ import annotations

import inspect

import pytest
from scrapy.settings import Settings
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.project import get_project_settings

from config import load_sources
from crawlers.base import NewsSpider
from crawlers.registry import sites
from crawlers.settings import apply_source_politeness, politeness_mode
from crawlers.spiders.mvd_kg import MvdKgSpider


@pytest.fixture
def project(monkeypatch) -> Settings:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "crawlers.settings")
    monkeypatch.delenv("NEWSMON_POLITENESS", raising=False)
    return get_project_settings()


def test_honest_defaults(project: Settings) -> None:
    crawler = load_sources().crawler
    assert project.getbool("ROBOTSTXT_OBEY") is True
    assert "newsmon" in project["USER_AGENT"] and crawler.contact_url in project["USER_AGENT"]
    assert project.getfloat("DOWNLOAD_TIMEOUT") == crawler.download_timeout_s
    assert project.getint("RETRY_TIMES") == crawler.retry_times
    assert {429, 503}.issubset(set(project.getlist("RETRY_HTTP_CODES")))
    assert project.getbool("AUTOTHROTTLE_ENABLED")
    assert not project.get("NEWSMON_MIRROR_URL"), "real crawling is the default"
    settings = project.copy()
    MvdKgSpider.update_settings(settings)
    assert settings.getdict("DOWNLOAD_HANDLERS") == {}, "Scrapy's own download handlers fetch the sites"


def test_a_spider_on_the_mirror_fetches_through_the_mirror_handler(project: Settings) -> None:
    settings = project.copy()
    settings.set("NEWSMON_MIRROR_URL", "http://127.0.0.1:1", priority="cmdline")
    MvdKgSpider.update_settings(settings)
    assert set(settings.getdict("DOWNLOAD_HANDLERS").values()) == {"crawlers.mirroring.MirrorDownloadHandler"}


def test_per_source_politeness_from_the_configuration(project: Settings) -> None:
    settings = project.copy()
    MvdKgSpider.update_settings(settings)
    politeness = load_sources().source("mvd_kg").politeness
    assert settings.getfloat("DOWNLOAD_DELAY") == politeness.download_delay_s
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == politeness.concurrency_per_host
    assert settings.getbool("AUTOTHROTTLE_ENABLED")


@pytest.mark.parametrize(
    ("mirror", "mode", "expected"),
    [
        (None, None, "config"),
        ("http://127.0.0.1:1", None, "off"),
        ("http://127.0.0.1:1", "config", "config"),
        (None, "off", "off"),
    ],
)
def test_politeness_is_off_for_the_mirror_unless_asked(project: Settings, mirror, mode, expected) -> None:
    settings = project.copy()
    settings.set("NEWSMON_MIRROR_URL", mirror, priority="cmdline")
    if mode:
        settings.set("NEWSMON_POLITENESS", mode, priority="cmdline")
    assert politeness_mode(settings) == expected
    apply_source_politeness(settings, "mvd_kg")
    if expected == "off":
        assert settings.getfloat("DOWNLOAD_DELAY") == 0 and not settings.getbool("AUTOTHROTTLE_ENABLED")
    else:
        assert settings.getfloat("DOWNLOAD_DELAY") == 1.5


def test_command_line_settings_win_over_the_source(project: Settings) -> None:
    settings = project.copy()
    settings.set("DOWNLOAD_DELAY", 9, priority="cmdline")
    apply_source_politeness(settings, "mvd_kg")
    assert settings.getfloat("DOWNLOAD_DELAY") == 9


@pytest.mark.parametrize("spider", [NewsSpider, *(site.spider for site in sites())])
def test_no_callback_of_a_spider_returns_a_value(spider: type[NewsSpider]) -> None:
    """What Scrapy's WARN_ON_GENERATOR_RETURN_VALUE would check for every response (switched off:
    it parses the callback's source each time), checked once here: a value a generator callback
    returns is lost without a word. (Helpers such as ``schedule_entries`` return theirs to a
    ``yield from`` on purpose.)"""
    callbacks = {
        name: member
        for name, member in inspect.getmembers(spider, inspect.isgeneratorfunction)
        if name.startswith("parse")
    }
    assert {"parse_feed", "parse_listing", "parse_article"} <= set(callbacks)
    assert [name for name, member in callbacks.items() if is_generator_with_return_value(member)] == []
