"""Article links found by URL pattern on listing pages (the mirror's, and redesigned ones)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from scrapy.http import TextResponse

from core.urls import InvalidURL, canonical_url, url_host
from crawlers.base import Channel, NewsSpider
from crawlers.links import article_links, compile_patterns
from crawlers.mirroring import mirrored_hosts
from crawlers.registry import site, site_ids
from crawlers.spiders.akn_tj import AknTjSpider
from crawlers.spiders.mvd_kg import MvdKgSpider
from crawlers.spiders.mvd_ru import MvdRuSpider
from crawlers.spiders.polisia_kz import PolisiaKzSpider
from tests.crawlers.conftest import fetch, html_response

LISTINGS = [
    (PolisiaKzSpider, "https://polisia.kz/ru/"),
    (PolisiaKzSpider, "https://polisia.kz/ru/page/2/"),
    (PolisiaKzSpider, "https://polisia.kz/"),
    (PolisiaKzSpider, "https://polisia.kz/en/"),
    (MvdKgSpider, "https://mvd.gov.kg/rus/news"),
    (MvdKgSpider, "https://mvd.gov.kg/rus/news?page=2"),
    (MvdKgSpider, "https://mvd.gov.kg/kyr/news"),
    (MvdKgSpider, "https://mvd.gov.kg/rus"),
    (MvdRuSpider, "https://xn--b1aew.xn--p1ai/news"),
    (MvdRuSpider, "https://22.xn--b1aew.xn--p1ai/news"),
    (MvdRuSpider, "https://22.xn--b1aew.xn--p1ai/news?year=2025&month=1&day={day}"),
    (AknTjSpider, "https://akn.tj/ru/"),
    (AknTjSpider, "https://akn.tj/ru/2025/01/"),
    (AknTjSpider, "https://akn.tj/"),
    (AknTjSpider, "https://akn.tj/tj/"),
    (AknTjSpider, "https://akn.tj/en/news/"),
]


def channel_for(spider: NewsSpider, url: str) -> Channel:
    host = url_host(url)
    for channel in spider.channels():
        if channel.host == host:
            return channel
    raise AssertionError(f"no channel of {spider.name} on {host}")


def regional_day(manifest_by_url: dict[str, dict]) -> int:
    days = sorted(
        datetime.fromisoformat(row["published"]).astimezone(ZoneInfo("Asia/Barnaul")).date()
        for row in manifest_by_url.values()
        if row["host"] == "22.xn--b1aew.xn--p1ai" and row["published"]
    )
    january = [day for day in days if (day.year, day.month) == (2025, 1)]
    return january[len(january) // 2].day


def linked_articles(html: bytes, base: str, known: dict[str, dict], source_id: str) -> set[str]:
    """Ground truth: the manifest articles of the source the page links to anywhere."""
    root = lxml.html.fromstring(html)
    found = set()
    for href in root.xpath("//a/@href"):
        try:
            key = canonical_url(urljoin(base, href))
        except InvalidURL:
            continue
        if key in known and known[key]["source_id"] == source_id:
            found.add(key)
    return found


@pytest.mark.parametrize(("spidercls", "url"), LISTINGS, ids=[url for _, url in LISTINGS])
def test_listing_links_by_pattern(spidercls, url, mirror_server, manifest_by_url) -> None:
    if "{day}" in url:  # a day archive of a day with regional news
        url = url.format(day=regional_day(manifest_by_url))
    spider = spidercls()
    channel = channel_for(spider, url)
    response = html_response(mirror_server, url)
    entries = spider.listings.entries(response, channel, via="listing")
    found = {canonical_url(entry.url): entry for entry in entries}

    # Nothing but articles (no menus, categories, static pages, pagination), each once.
    assert len(found) == len(entries)
    not_articles = [entry.url for key, entry in found.items() if key not in manifest_by_url]
    assert not not_articles, f"not articles: {not_articles}"
    # Every article the page links to, outside the site's navigation.
    expected = linked_articles(response.body, url, manifest_by_url, spider.name)
    assert set(found) == expected
    assert found, "the listing page shows no article"

    # Where the listing states a date, it is the article's (to the minute, or to the day).
    zone = ZoneInfo(channel.timezone)
    for key, entry in found.items():
        published = manifest_by_url[key]["published"]
        if entry.published is None or published is None:
            continue
        truth = datetime.fromisoformat(published)
        local = entry.published.astimezone(zone)
        if (local.hour, local.minute) == (0, 0):
            assert local.date() == truth.astimezone(zone).date(), entry.url
        else:
            assert entry.published == truth, entry.url


def test_titles_are_the_link_texts(mirror_server, manifest_by_url) -> None:
    spider = MvdRuSpider()
    url = "https://22.xn--b1aew.xn--p1ai/news"
    entries = spider.listings.entries(
        html_response(mirror_server, url), channel_for(spider, url), via="listing"
    )
    for entry in entries:
        assert entry.title == manifest_by_url[canonical_url(entry.url)]["title"]


PATTERNS = compile_patterns([r"/news/item/\d+/?"])
ZONE = ZoneInfo("Europe/Moscow")
NOW = datetime(2025, 1, 15, 18, 0, tzinfo=ZONE)

# Three markups of one listing: the legacy template, the 2025 redesign, and a later redesign
# whose classes say nothing. Discovery must read them all without knowing a class name.
REDESIGNS = {
    "legacy": """
      <div class="b-news"><div class="section-list type-4">
        <div class="sl-item"><div class="sl-item-title"><a href="/news/item/101/">Первая новость</a></div>
          <div class="sl-item-date">Сегодня  14:13</div></div>
        <div class="sl-item"><div class="sl-item-title"><a href="/news/item/102/">Вторая новость</a></div>
          <div class="sl-item-date">14 Января 17:41</div></div>
      </div></div>""",
    "news-inner": """
      <div class="news-inner">
        <div class="news-inner__item"><a class="news-inner__link" href="/news/item/101">
          <div class="news-inner__title">Первая новость</div></a>
          <div class="news-inner__data-time">
            <time datetime="2025-01-15T14:13:00+03:00">15 января, 14:13</time></div></div>
        <div class="news-inner__item"><a class="news-inner__link" href="/news/item/102">
          <div class="news-inner__title">Вторая новость</div></a>
          <div class="news-inner__data-time">
            <time datetime="2025-01-14T17:41:00+03:00">14 января, 17:41</time></div></div>
      </div>""",
    "cards": """
      <section>
        <article class="x7f"><a class="q1" href="https://xn--b1aew.xn--p1ai/news/item/101">
          <img src="/a.jpg" alt=""></a><h3><a href="/news/item/101">Первая новость</a></h3>
          <span class="z9">СЕГОДНЯ, 14:13</span></article>
        <article class="x7f"><h3><a href="/news/item/102">Вторая новость</a></h3>
          <p>Вчера, 17:41</p><p>Краткое содержание новости.</p></article>
      </section>""",
}


@pytest.mark.parametrize("layout", sorted(REDESIGNS))
def test_links_survive_a_redesign(layout: str) -> None:
    page = f"""<html><body>
      <header><nav><a href="/news/item/999/">Закреплено в меню</a><a href="/news">Новости</a></nav></header>
      {REDESIGNS[layout]}
      <div class="pager"><a href="/news/2/">2</a> <a class="next" href="/news/2/">Следующая</a></div>
      <footer><a href="/news/item/998/">Ссылка в подвале</a></footer>
    </body></html>"""
    entries = article_links(page, "https://xn--b1aew.xn--p1ai/news", PATTERNS, tz=ZONE, now=NOW)
    assert [canonical_url(e.url) for e in entries] == [
        "https://xn--b1aew.xn--p1ai/news/item/101",
        "https://xn--b1aew.xn--p1ai/news/item/102",
    ]
    assert [e.title for e in entries] == ["Первая новость", "Вторая новость"]
    first, second = (e.published for e in entries)
    assert first == datetime(2025, 1, 15, 14, 13, tzinfo=ZONE)
    assert second == datetime(2025, 1, 14, 17, 41, tzinfo=ZONE)


def test_other_hosts_and_other_paths_are_not_articles() -> None:
    page = """<html><body><main>
      <div><a href="https://vk.com/share.php?url=https://xn--b1aew.xn--p1ai/news/item/5">VK</a></div>
      <div><a href="https://example.org/news/item/6/">elsewhere</a></div>
      <div><a href="/news/item/7/?print=1">print version</a></div>
      <div><a href="/news/item/8/#comments">8</a></div>
    </main></body></html>"""
    entries = article_links(page, "https://xn--b1aew.xn--p1ai/news", PATTERNS, tz=ZONE)
    assert [e.url for e in entries] == ["https://xn--b1aew.xn--p1ai/news/item/8/"]


@pytest.mark.parametrize("source_id", site_ids())
def test_every_channel_of_every_source_finds_only_articles(source_id, mirror_server, manifest_by_url) -> None:
    """For each configured source (police site or outlet), each channel's feed and first listing
    page, as the mirror serves them, yield articles of that source only, and some."""
    spider = site(source_id).spider
    assert spider is not None, f"{source_id} has no spider"
    crawler = spider()
    served = mirrored_hosts(mirror_server.url)
    assert served is not None
    for channel in [c for c in crawler.channels() if c.host in served]:
        found = []
        if channel.feed:
            fetched = fetch(mirror_server, channel.feed)
            assert fetched.status == 200, channel.feed
            found += crawler.feeds.entries(
                TextResponse(url=channel.feed, body=fetched.body, encoding="utf-8"), channel
            )
        if channel.listing:
            response = html_response(mirror_server, channel.listing)
            found += crawler.listings.entries(response, channel, via="listing")
        assert found, f"{channel.key}: no article found"
        owner = {e.url: manifest_by_url.get(canonical_url(e.url), {}).get("source_id") for e in found}
        strangers = [url for url, source in owner.items() if source != source_id]
        assert strangers == [], f"{channel.key}: not articles of {source_id}"


def test_home_page_pop_up_links_are_the_items_they_show() -> None:
    """мвд.рф's home page links its news as /news/window/<id>/ pop-ups (0 of 17 links were found
    before): they are read as /news/item/<id>/, one article under one canonical URL."""
    page = """<html><body><div class="main-news">
      <a class="main-news__link" href="/news/window/59736803/">Конкурс социальной рекламы</a>
      <a class="main-news__link" href="/news/item/59736803">Конкурс социальной рекламы</a>
      <a class="main-news__link" href="/news/window/59534091/">Молодые лидеры Сибири</a>
    </div></body></html>"""
    response = TextResponse("https://xn--b1aew.xn--p1ai/", body=page.encode(), encoding="utf-8")
    spider = MvdRuSpider()
    [channel] = [c for c in spider.channels() if c.host == "xn--b1aew.xn--p1ai" and c.listing]
    entries = spider.listings.entries(response, channel, via="listing")
    assert [e.url for e in entries] == [
        "https://xn--b1aew.xn--p1ai/news/item/59736803/",
        "https://xn--b1aew.xn--p1ai/news/item/59534091/",
    ]
    assert canonical_url(entries[0].url) == canonical_url("https://мвд.рф/news/item/59736803")
