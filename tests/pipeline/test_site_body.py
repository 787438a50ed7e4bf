"""The article body read with the site's selectors (pipeline/site_body.py), trafilatura the fallback.

The pages are the real 67.мвд.рф news item of corpus/bodies (its body container is ``div.article``,
the selector of мвд.рф's entry in config/boilerplate.toml) and the akn.tj test fixture, changed
where a test needs another markup.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml.html import fromstring

import config
from config import ConfigError
from config import boilerplate as boilerplate_config
from core.types import PageInput
from pipeline.bodies import BODIES_DIR
from pipeline.boilerplate import source_selectors
from pipeline.extract import MIN_TEXT_CHARS, extract
from pipeline.site_body import EXTRACT_ENV, BodyFallback, selector_body, source_body_selectors

MOSCOW = ZoneInfo("Europe/Moscow")
REAL_PAGE = BODIES_DIR / "pages" / "real-mvd_ru-legacy-67-3599309.html"
REAL_URL = "https://67.mvd.ru/news/item/3599309"
FIRST_SENTENCE = "24 июня 2015 года, с 15.00 до 16.00 по телефону 8-910-767-77-31"
SELECTORS = ("div.article",)


def _real_html() -> str:
    return REAL_PAGE.read_text(encoding="utf-8")


def _extract(html: str, body_selectors: tuple[str, ...] = SELECTORS, source_id: str | None = "mvd_ru"):
    page = PageInput(
        url=REAL_URL,
        source_id=source_id,
        html=html,
        title="Прямая линия",
        site_published=datetime(2015, 6, 22),
    )
    return extract(page, MOSCOW, source_selectors(source_id), body_selectors)


def test_the_selector_body_is_used_when_it_matches() -> None:
    extracted = _extract(_real_html())
    assert (extracted.body_method, extracted.body_fallback) == ("selector", None)
    assert extracted.text.startswith(FIRST_SENTENCE)
    assert extracted.text.endswith("Пресс-служба УМВД России по Смоленской области")


def test_the_selector_body_has_one_paragraph_a_line_without_the_chrome_inside_it() -> None:
    lines = _extract(_real_html()).text.splitlines()
    assert len(lines) == 4 and not any(
        "Версия для печати" in line or "@mvd_official" in line for line in lines
    )


def test_trafilatura_reads_the_body_when_no_selector_matches() -> None:
    html = _real_html().replace('<div class="article">', '<div class="story">')
    extracted = _extract(html)
    assert (extracted.body_method, extracted.body_fallback) == ("trafilatura", BodyFallback.NO_MATCH.value)
    assert extracted.text.startswith(FIRST_SENTENCE)


def test_trafilatura_reads_the_body_when_the_selector_text_is_too_short() -> None:
    html = _real_html().replace(
        '<div class="article-date-item">',
        '<div class="lead">Прямая линия.</div><div class="article-date-item">',
    )
    extracted = _extract(html, ("div.lead", "div.article"))
    assert (extracted.body_method, extracted.body_fallback) == ("trafilatura", BodyFallback.TOO_SHORT.value)
    assert extracted.text.startswith(FIRST_SENTENCE)


def test_a_container_of_links_is_a_listing_not_a_body() -> None:
    listing = "".join(
        f'<li><a href="/news/item/{n}">Новость номер {n} о задержании</a></li>' for n in range(8)
    )
    tree = fromstring(f"<html><body><ul class='news'>{listing}</ul></body></html>")
    assert selector_body(tree, ("ul.news",), min_chars=MIN_TEXT_CHARS).fallback is BodyFallback.LISTING


def test_scripts_styles_comments_and_hidden_text_in_the_body_are_ignored() -> None:
    hostile = (
        "<script>document.write('ВНЕДРЁННЫЙ СКРИПТ')</script><style>.x{color:red}</style>"
        "<!-- КОММЕНТАРИЙ --><p style='display:none'>СКРЫТЫЙ ТЕКСТ</p><p hidden>СКРЫТО</p>"
        "<noscript>БЕЗ СКРИПТОВ</noscript><iframe src='https://evil.example/'>РАМКА</iframe>"
        '<p onclick="alert(1)">Текст с &lt;script&gt;alert(2)&lt;/script&gt; как текст.</p>'
    )
    html = _real_html().replace('<div class="article">', f'<div class="article">{hostile}')
    text = _extract(html).text
    assert not any(
        word in text for word in ("ВНЕДРЁННЫЙ", "color:red", "КОММЕНТАРИЙ", "СКРЫТ", "БЕЗ СКРИПТОВ", "РАМКА")
    )
    assert "Текст с <script>alert(2)</script> как текст." in text.splitlines()


def test_a_site_without_body_selectors_is_read_by_trafilatura(html_fixture) -> None:
    assert source_body_selectors("kazinform") == ()
    page = PageInput(
        url="https://akn.tj/ru/news/5-kg-opiya/", source_id="kazinform", html=html_fixture("akn_tj_article")
    )
    extracted = extract(
        page, ZoneInfo("Asia/Dushanbe"), source_selectors("kazinform"), source_body_selectors("kazinform")
    )
    assert (extracted.body_method, extracted.body_fallback) == ("trafilatura", None)
    assert extracted.text.startswith("Сотрудники Управления Агентства по Согдийской области")


def test_newsmon_extract_trafilatura_turns_the_selectors_off(monkeypatch) -> None:
    assert source_body_selectors("mvd_ru")
    monkeypatch.setenv(EXTRACT_ENV, "trafilatura")
    assert source_body_selectors("mvd_ru") == ()


def test_body_selectors_without_their_provenance_are_refused(tmp_path, monkeypatch) -> None:
    target = tmp_path / "config"
    shutil.copytree(
        Path(config.__file__).resolve().parent, target, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    path = target / "boilerplate.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('body_markup = "theme"\n', ""), encoding="utf-8")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(target))
    boilerplate_config.clear_cache()
    try:
        with pytest.raises(ConfigError, match=r"boilerplate\.toml: sources\.polisia_kz"):
            boilerplate_config.load_boilerplate()
    finally:
        boilerplate_config.clear_cache()
