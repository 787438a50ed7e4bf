"""Feed parsing, page classification (challenge, soft 404) and what a page declares."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector

from crawlers.feeds import NotAFeed, parse_feed
from crawlers.pages import (
    CAPTCHA_MARKERS,
    CHALLENGE_MARKERS,
    classify_page,
    hreflang_alternates,
    html_language,
    meta_published,
    normalise_language,
)
from crawlers.registry import site_ids
from mirror.server import _CHALLENGE
from tests.crawlers.conftest import fetch

MSK = ZoneInfo("Europe/Moscow")

RSS_YANDEX = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:yandex="http://news.yandex.ru">
<channel><title>Новости</title>
<item>
  <title>В Барнауле  задержан
  наркокурьер</title>
  <link>https://22.xn--b1aew.xn--p1ai/news/item/59736803/</link>
  <pubDate>Fri, 10 Jan 2025 12:30:00 +0300</pubDate>
  <yandex:full-text>Сотрудники полиции задержали курьера.

Возбуждено уголовное дело.</yandex:full-text>
</item>
<item><title>Без ссылки</title></item>
<item><title>Только guid</title><guid>https://xn--b1aew.xn--p1ai/news/item/2/</guid></item>
</channel></rss>"""

WORDPRESS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><item>
 <title>Акция прошла в Кокшетау</title>
 <link>https://polisia.kz/ru/akciya/</link>
 <pubDate>Mon, 06 Jan 2025 10:40:00 +0000</pubDate>
 <guid isPermaLink="false">https://polisia.kz/ru/?p=51052</guid>
 <content:encoded><![CDATA[<p>Первый абзац.</p>
<p>Второй <b>абзац</b>.</p><script>x()</script>]]></content:encoded>
</item></channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>Atom entry</title><link rel="alternate" href="/2025/01/10/atom-entry/"/>
<published>2025-01-10T09:00:00+05:00</published><content type="html">&lt;p&gt;Text&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_with_yandex_full_text() -> None:
    entries = parse_feed(RSS_YANDEX.encode(), "https://22.xn--b1aew.xn--p1ai/news/rss", tz=MSK)
    assert [e.url for e in entries] == [
        "https://22.xn--b1aew.xn--p1ai/news/item/59736803/",
        "https://xn--b1aew.xn--p1ai/news/item/2/",
    ]
    first = entries[0]
    assert first.title == "В Барнауле задержан наркокурьер"
    assert first.published == datetime(2025, 1, 10, 12, 30, tzinfo=timezone(timedelta(hours=3)))
    assert first.text is not None and "Возбуждено уголовное дело." in first.text
    assert first.via == "feed"


def test_wordpress_content_encoded_and_atom() -> None:
    (post,) = parse_feed(WORDPRESS.encode(), "https://polisia.kz/ru/feed/", tz=ZoneInfo("Asia/Almaty"))
    assert post.published == datetime(2025, 1, 6, 10, 40, tzinfo=UTC)
    assert post.text == "Первый абзац.\n\nВторой абзац."
    (entry,) = parse_feed(ATOM.encode(), "https://akn.tj/feed/", tz=ZoneInfo("Asia/Dushanbe"))
    assert entry.url == "https://akn.tj/2025/01/10/atom-entry/"
    assert entry.text == "Text"


@pytest.mark.parametrize(
    "body", [_CHALLENGE.encode(), b"<html><body>Not a feed</body></html>", b"", b"\x00\x01garbage"]
)
def test_not_a_feed(body: bytes) -> None:
    with pytest.raises(NotAFeed):
        parse_feed(body, "https://polisia.kz/ru/feed/", tz=MSK)


def test_the_mirror_feeds_parse(mirror_server) -> None:
    for url in (
        "https://polisia.kz/ru/feed/",
        "https://xn--b1aew.xn--p1ai/news/rss",
        "https://akn.tj/tj/feed/",
    ):
        fetched = fetch(mirror_server, url)
        assert fetched.status == 200
        entries = parse_feed(fetched.body, url, tz=MSK)
        assert entries and all(e.published and e.title for e in entries)


def test_challenge_page_is_recognised() -> None:
    problem = classify_page(_CHALLENGE.replace("{{TOKEN}}", "abc"))
    assert problem is not None and problem.kind == "challenge"


_ARTICLE_BODY = "<p>" + "Изъято 404 грамма героина у жителя Бишкека. " * 30 + "</p>"


@pytest.mark.parametrize("marker", CHALLENGE_MARKERS)
def test_an_anti_bot_marker_anywhere_makes_a_challenge_page(marker: str) -> None:
    page = (
        f"<html><head><title>Новости</title></head><body>{_ARTICLE_BODY}"
        f"<div>{marker.upper()}</div></body></html>"
    )
    problem = classify_page(page)
    assert problem is not None and problem.kind == "challenge"
    assert problem.detail == f"anti-bot marker {marker!r}"


@pytest.mark.parametrize("marker", CAPTCHA_MARKERS)
def test_a_captcha_marker_on_a_page_without_text_makes_a_challenge_page(marker: str) -> None:
    thin = f"<html><body><h1>Доступ</h1><p>{marker.capitalize()}</p></body></html>"
    problem = classify_page(thin)
    assert problem is not None and problem.kind == "challenge" and marker in problem.detail
    article = f"<html><body><h1>Изъято 404 грамма</h1>{_ARTICLE_BODY}<p>{marker}</p></body></html>"
    assert classify_page(article) is None


def test_a_script_only_page_that_redirects_is_a_challenge() -> None:
    page = (
        "<html><head><script>document.cookie='t=1'; window.location.href = '/news/';</script></head>"
        "<body></body></html>"
    )
    problem = classify_page(page)
    assert problem is not None and problem.detail == "script-only interstitial page"


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Страница не найдена - МВД России</title></head><body><h1>404</h1></body></html>",
        "<html><head><title>Page not found</title></head><body><p>Sorry</p></body></html>",
        "<html><body><h1>Ошибка 404</h1><p>Запрашиваемая страница не найдена.</p></body></html>",
        "<html><head><title>Бет табылмады - POLISIA.KZ</title></head><body></body></html>",
    ],
)
def test_error_pages_served_as_200_are_soft_404s(html: str) -> None:
    problem = classify_page(html, status=200)
    assert problem is not None and problem.kind == "soft_404"


def test_the_mirror_404_pages_are_recognised(mirror_server) -> None:
    for url in (
        "https://polisia.kz/ru/no-such-post/",
        "https://mvd.gov.kg/rus/news/1",
        "https://22.xn--b1aew.xn--p1ai/news/item/1/",
        "https://akn.tj/ru/2025/01/01/nothing/",
    ):
        fetched = fetch(mirror_server, url)
        assert fetched.status == 404
        problem = classify_page(fetched.body.decode("utf-8"), status=200)
        assert problem is not None and problem.kind == "soft_404", url


def test_real_articles_are_not_flagged(mirror_server, manifest_rows) -> None:
    # One article per source, and a page with a captcha in its comment form and a title with a number.
    for source_id in site_ids():
        row = next(r for r in manifest_rows if r["source_id"] == source_id)
        assert classify_page(fetch(mirror_server, row["url"]).body.decode("utf-8")) is None
    body = "<p>" + "Изъято 404 грамма героина. " * 40 + "</p>"
    page = (
        f"<html><head><title>Изъято 404 грамма героина</title></head><body><h1>Изъято 404 грамма</h1>{body}"
        '<form><div class="g-recaptcha" data-sitekey="x"></div></form></body></html>'
    )
    assert classify_page(page) is None


def test_an_xhtml_template_declares_its_language_as_xml_lang() -> None:
    page = """<?xml version="1.0" encoding="utf-8"?>
    <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
      "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
    <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ru">
    <head><title>Новости</title></head><body></body></html>"""
    assert html_language(Selector(text=page)) == "ru"
    assert html_language(Selector(text='<html xml:lang="kk"><body><p lang="en">x</p></body></html>')) == "kk"


def test_what_a_page_declares() -> None:
    selector = Selector(
        text="""<html lang="kk-KZ"><head>
      <link rel="alternate" hreflang="ru" href="/ru/post/">
      <link rel="alternate" hreflang="kk" href="https://polisia.kz/post/">
      <link rel="alternate" hreflang="x-default" href="https://polisia.kz/post/">
      <link rel="alternate" type="application/rss+xml" href="/feed/">
      <meta property="article:published_time" content="2025-01-06T15:40:00+05:00">
    </head><body></body></html>"""
    )
    assert html_language(selector) == "kk"
    assert hreflang_alternates(selector, "https://polisia.kz/post/") == {
        "ru": "https://polisia.kz/ru/post/",
        "kk": "https://polisia.kz/post/",
    }
    assert meta_published(selector, tz=MSK) == datetime(
        2025, 1, 6, 15, 40, tzinfo=timezone(timedelta(hours=5))
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("ru-RU", "ru"),
        ("kk_KZ", "kk"),
        ("kz", "kk"),
        ("tj", "tg"),
        ("kyr", "ky"),
        ("", None),
        (None, None),
        ("x-default", None),
    ],
)
def test_normalise_language(value, code) -> None:
    assert normalise_language(value) == code
