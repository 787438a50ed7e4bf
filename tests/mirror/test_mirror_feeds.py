"""Each site's feeds parse as RSS 2.0 and list the manifest's newest articles with correct dates."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime

import lxml.etree
import pytest

from mirror import articles
from mirror.testing import fetch

YANDEX = "{http://news.yandex.ru}full-text"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"

FEEDS = {
    # feed URL: (source_id, host, language, how many items it shows)
    "https://polisia.kz/ru/feed/": ("polisia_kz", "polisia.kz", "ru", 10),
    "https://polisia.kz/feed/": ("polisia_kz", "polisia.kz", "kk", 10),
    "https://polisia.kz/en/feed/": ("polisia_kz", "polisia.kz", "en", 10),
    "https://xn--b1aew.xn--p1ai/news/rss": ("mvd_ru", "xn--b1aew.xn--p1ai", "ru", 20),
    "https://22.xn--b1aew.xn--p1ai/news/rss": ("mvd_ru", "22.xn--b1aew.xn--p1ai", "ru", 20),
    "https://akn.tj/ru/feed/": ("akn_tj", "akn.tj", "ru", 10),
    "https://akn.tj/tj/feed/": ("akn_tj", "akn.tj", "tg", 10),
    "https://akn.tj/feed/": ("akn_tj", "akn.tj", "en", 10),
}


def items(url, mirror):
    resp = fetch(mirror, url)
    assert resp.status == 200
    assert "xml" in resp.header("Content-Type")
    root = lxml.etree.fromstring(resp.body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("./channel/item")


def expected(source_id, host, language, size):
    dated = [a for a in articles() if a.source_id == source_id and a.host == host and a.language == language
             and a.page_date != "none"]
    dated.sort(key=lambda a: (a.sort_time, a.url), reverse=True)
    return dated[:size]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_lists_the_newest_articles_of_its_edition(mirror, url):
    want = expected(*FEEDS[url])
    got = items(url, mirror)
    assert [i.findtext("link") for i in got] == [a.url for a in want]
    assert [i.findtext("title") for i in got] == [a.title for a in want]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_pubdates_are_the_publication_instants(mirror, url):
    by_url = {a.url: a for a in articles()}
    for item in items(url, mirror):
        stated = parsedate_to_datetime(item.findtext("pubDate"))
        assert stated == by_url[item.findtext("link")].published


def test_wordpress_feeds_state_pubdate_in_utc(mirror):
    for url in ("https://polisia.kz/ru/feed/", "https://akn.tj/ru/feed/"):
        assert all(i.findtext("pubDate").endswith("+0000") for i in items(url, mirror))


def test_mvd_ru_feeds_state_pubdate_in_moscow_time(mirror):
    for url in ("https://xn--b1aew.xn--p1ai/news/rss", "https://22.xn--b1aew.xn--p1ai/news/rss"):
        for item in items(url, mirror):
            assert item.findtext("pubDate").endswith("+0300")
            assert parsedate_to_datetime(item.findtext("pubDate")).utcoffset() == timedelta(hours=3)


def test_main_mvd_ru_feed_carries_yandex_full_text(mirror):
    by_url = {a.url: a for a in articles()}
    for item in items("https://xn--b1aew.xn--p1ai/news/rss", mirror):
        assert item.findtext(YANDEX) == by_url[item.findtext("link")].text


def test_regional_mvd_ru_feed_has_no_full_text(mirror):
    assert all(i.find(YANDEX) is None for i in items("https://22.xn--b1aew.xn--p1ai/news/rss", mirror))


def test_polisia_feed_has_full_content_but_akn_feed_only_a_summary(mirror):
    assert all(i.find(CONTENT) is not None for i in items("https://polisia.kz/ru/feed/", mirror))
    assert all(i.find(CONTENT) is None for i in items("https://akn.tj/ru/feed/", mirror))


def test_wordpress_feed_pages_with_paged(mirror):
    first = [i.findtext("link") for i in items("https://polisia.kz/ru/feed/", mirror)]
    second = [i.findtext("link") for i in items("https://polisia.kz/ru/feed/?paged=2", mirror)]
    assert second and not set(first) & set(second)
    assert second == [a.url for a in expected("polisia_kz", "polisia.kz", "ru", 20)[10:20]]


def test_mvd_ru_feed_answers_with_a_trailing_slash_too(mirror):
    assert fetch(mirror, "https://xn--b1aew.xn--p1ai/news/rss/").body == fetch(
        mirror, "https://xn--b1aew.xn--p1ai/news/rss").body
