"""Extract stage on real-looking article HTML and on pages without text."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import trafilatura

from core.types import PageInput
from pipeline.extract import declared_html_language, extract

ALMATY = ZoneInfo("Asia/Almaty")
DUSHANBE = ZoneInfo("Asia/Dushanbe")
URL = "https://polisia.kz/ru/v-karagande-zaderzhan-zakladchik-mefedrona/"


def test_title_comes_from_the_article_not_the_site_name(html_fixture) -> None:
    extracted = extract(PageInput(url=URL, html=html_fixture("polisia_kz_article")), ALMATY)
    assert extracted.title == "В Караганде задержан закладчик мефедрона"


def test_text_is_the_article_body_without_boilerplate(html_fixture) -> None:
    text = extract(PageInput(url=URL, html=html_fixture("polisia_kz_article")), ALMATY).text
    assert (
        text.startswith("Сотрудники управления") and "Оставьте ответ" not in text and "Поделиться" not in text
    )


def test_date_from_meta_is_aware_in_the_source_zone(html_fixture) -> None:
    extracted = extract(PageInput(url=URL, html=html_fixture("polisia_kz_article")), ALMATY)
    assert extracted.published == datetime(2025, 1, 16, 0, 30, tzinfo=ALMATY)
    assert extracted.published.utcoffset() is not None and extracted.date_source == "page"


def test_date_stated_by_the_site_wins_over_the_page(html_fixture) -> None:
    stated = datetime(2025, 1, 15, 12, 0)
    page = PageInput(url=URL, html=html_fixture("polisia_kz_article"), site_published=stated)
    extracted = extract(page, ALMATY)
    assert (extracted.published, extracted.date_source) == (stated.replace(tzinfo=ALMATY), "site")


def test_date_only_in_the_url_is_found(html_fixture) -> None:
    url = "https://akn.tj/ru/2024/05/29/opium-seized-in-sughd-region/"
    extracted = extract(PageInput(url=url, html=html_fixture("akn_tj_article")), DUSHANBE)
    assert extracted.published is not None and extracted.published.date().isoformat() == "2024-05-29"


def test_h1_replaces_a_title_that_is_the_site_name(html_fixture) -> None:
    url = "https://akn.tj/ru/2024/05/29/opium-seized-in-sughd-region/"
    extracted = extract(PageInput(url=url, html=html_fixture("akn_tj_article")), DUSHANBE)
    assert extracted.title == "В Согдийской области изъято 5 кг опия"


def test_html_language_is_read_from_the_html_tag(html_fixture) -> None:
    assert extract(PageInput(url=URL, html=html_fixture("polisia_kz_article")), ALMATY).html_language == "ru"


def test_a_page_without_text_is_kept_with_a_reason(html_fixture) -> None:
    extracted = extract(
        PageInput(url="https://polisia.kz/ru/foto/", html=html_fixture("no_text_gallery")), ALMATY
    )
    assert extracted.status == "no_text" and extracted.reason
    assert extracted.title == "Фотогалерея"


def test_stated_text_is_used_when_there_is_no_html() -> None:
    page = PageInput(url=URL, title="Заголовок из ленты", text="Полный текст из RSS " * 5)
    extracted = extract(page, ALMATY)
    assert (extracted.title, extracted.status, extracted.date_source) == ("Заголовок из ленты", "ok", "none")


def test_nothing_to_extract_is_no_text() -> None:
    extracted = extract(PageInput(url=URL), ALMATY)
    assert extracted.status == "no_text" and "no HTML" in (extracted.reason or "")


def test_an_http_error_page_is_no_text(html_fixture) -> None:
    page = PageInput(url=URL, html=html_fixture("polisia_kz_article"), http_status=404)
    assert extract(page, ALMATY).reason == "HTTP status 404"


def test_language_subtag_is_dropped() -> None:
    assert declared_html_language('<html lang="kk-KZ"><head>') == "kk"


SHORT_PAGE = (
    "<html><body><span>В Караганде полицейские задержали подозреваемого в сбыте наркотиков.</span>"
    "<span> Изъято 50 свертков с мефедроном. Возбуждено уголовное дело по статье 296 УК.</span>"
    "</body></html>"
)


def test_a_short_article_gets_trafilaturas_full_extraction() -> None:
    full = trafilatura.bare_extraction(SHORT_PAGE, include_comments=False)
    fast = trafilatura.bare_extraction(SHORT_PAGE, fast=True, include_comments=False)
    assert full.text.strip() != fast.text.strip()  # the page tells the two modes apart
    assert extract(PageInput(url=URL, html=SHORT_PAGE), ALMATY).text == full.text.strip()


def test_with_title_and_date_stated_the_title_is_still_the_articles(html_fixture) -> None:
    page = PageInput(
        url=URL,
        html=html_fixture("polisia_kz_article"),
        title="POLISIA.KZ",
        site_published=datetime(2025, 1, 15, 12, 0),
    )
    assert extract(page, ALMATY).title == "В Караганде задержан закладчик мефедрона"


def test_author_is_read_from_the_page_meta_when_the_site_states_title_and_date() -> None:
    html = (
        '<html lang="ru"><head><meta name="author" content="Пресс-служба ДП"></head><body>'
        "<h1>Задержан курьер</h1><p>" + "В Алматы задержан курьер с гашишем. " * 10 + "</p></body></html>"
    )
    page = PageInput(url=URL, html=html, title="Задержан курьер", site_published=datetime(2025, 1, 15, 12, 0))
    extracted = extract(page, ALMATY)
    assert (extracted.author, extracted.title) == ("Пресс-служба ДП", "Задержан курьер")


SHORT_ITEM = """<html lang="ru"><head><title>Кондитерский дом открылся в Москве</title></head><body>
<article class="article"><h1>Кондитерский дом открылся в Москве</h1><time>11.03.2015 00:00</time>
<div class="article-body">
<p>Бишкекский кондитерский дом «Куликовский» открывает свое первое заведение в Москве.</p>
<ul class="social-links"><li><a href="https://vk.com/">ВКонтакте</a></li><li><a href="https://t.me/">Telegram</a></li></ul>
</div></article></body></html>"""


def test_a_one_paragraph_item_is_its_paragraph_not_one_run_of_heading_date_and_links() -> None:
    page = PageInput(url="https://www.vb.kg/doc/1_item.html", html=SHORT_ITEM)
    text = extract(page, ZoneInfo("Asia/Bishkek")).text
    assert text == "Бишкекский кондитерский дом «Куликовский» открывает свое первое заведение в Москве."


def test_a_sources_selectors_drop_its_chrome_before_extraction() -> None:
    notice = '<p class="site-notice">При перепечатке материалов ссылка на сайт издания обязательна.</p>'
    html = SHORT_ITEM.replace('<ul class="social-links">', notice + '<ul class="social-links">')
    page = PageInput(url="https://www.vb.kg/doc/1_item.html", html=html)
    assert "При перепечатке" in extract(page, ZoneInfo("Asia/Bishkek")).text
    assert "При перепечатке" not in extract(page, ZoneInfo("Asia/Bishkek"), ["p.site-notice"]).text
