"""Listing pages paginate over every article of a site, newest first, in each site's markup."""

from __future__ import annotations

import re

from mirror import articles
from mirror.testing import fetch


def site(source_id, host=None, language=None, dated_only=True):
    out = [a for a in articles() if a.source_id == source_id and (host is None or a.host == host)
           and (language is None or a.language == language) and (not dated_only or a.page_date != "none")]
    return sorted(out, key=lambda a: (a.sort_time, a.url), reverse=True)


def crawl_pages(mirror, first_url, next_selector):
    """Follow the next-page links from first_url; yield each page's HTML tree."""
    url, seen = first_url, set()
    while url and url not in seen:
        seen.add(url)
        resp = fetch(mirror, url)
        assert resp.status == 200, url
        tree = resp.html()
        yield tree
        nxt = tree.cssselect(next_selector)
        href = nxt[0].get("href") if nxt else None
        if href and not href.startswith("https://"):
            href = re.sub(r"^(https://[^/]+).*", r"\1", url) + href
        url = href


def test_polisia_ru_listing_pages_through_every_post(mirror):
    links, dates = [], []
    for tree in crawl_pages(mirror, "https://polisia.kz/ru/", "a.next.page-numbers"):
        for item in tree.cssselect("div.listing-blog .listing-item > .item-inner"):
            links.append(item.cssselect("a.post-url.post-title")[0].get("href"))
            dates.append(item.cssselect("time[datetime]")[0].get("datetime"))
    want = site("polisia_kz", language="ru")
    assert links == [a.url for a in want]
    assert dates == [a.published.isoformat() for a in want]
    assert len(want) > 20  # at least three pages


def test_polisia_listing_titles_carry_extra_whitespace(mirror):
    tree = fetch(mirror, "https://polisia.kz/ru/").html()
    raw = tree.cssselect("a.post-url.post-title")[0].text
    assert raw != raw.strip()


def test_polisia_home_repeats_posts_in_a_popular_widget(mirror):
    tree = fetch(mirror, "https://polisia.kz/ru/").html()
    hrefs = [a.get("href") for a in tree.cssselect(".listing-item a.post-url.post-title")]
    assert len(hrefs) > len(set(hrefs))


def test_polisia_kazakh_and_english_editions_list_their_posts(mirror):
    for url, language in (("https://polisia.kz/", "kk"), ("https://polisia.kz/en/", "en")):
        tree = fetch(mirror, url).html()
        hrefs = [a.get("href") for a in tree.cssselect("div.listing-blog a.post-url.post-title")]
        assert hrefs == [a.url for a in site("polisia_kz", language=language)][:10]


def test_mvd_ru_main_listing_uses_the_new_layout_and_paginates(mirror):
    hrefs, times = [], []
    for tree in crawl_pages(mirror, "https://xn--b1aew.xn--p1ai/news", "a.next"):
        for item in tree.cssselect(".news-inner__item"):
            hrefs.append("https://xn--b1aew.xn--p1ai" + item.cssselect("a.news-inner__link")[0].get("href"))
            times.append(item.cssselect(".news-inner__data-time time")[0].get("datetime"))
    want = site("mvd_ru", host="xn--b1aew.xn--p1ai")
    assert hrefs == [a.url for a in want]
    assert times == [a.published.isoformat() for a in want]


def test_mvd_ru_regional_listing_uses_the_legacy_template(mirror):
    hrefs, shown = [], []
    for tree in crawl_pages(mirror, "https://22.xn--b1aew.xn--p1ai/news", "a.next"):
        for item in tree.cssselect("div.b-news div.section-list.type-4.type-4a.margin2 > div.sl-item"):
            link = item.cssselect("div.sl-item-title > a")[0]
            hrefs.append("https://22.xn--b1aew.xn--p1ai" + link.get("href"))
            shown.append(item.cssselect("div.sl-item-date")[0].text)
    want = site("mvd_ru", host="22.xn--b1aew.xn--p1ai")
    assert hrefs == [a.url for a in want]
    assert "6 Января 2025 14:20" in shown  # Barnaul time, month capitalised, no offset
    assert all(re.fullmatch(r"\d{1,2} [А-Я][а-я]+ \d{4} \d{2}:\d{2}", s) for s in shown)


def test_mvd_ru_regional_listing_marks_video_items(mirror):
    tree = fetch(mirror, "https://22.xn--b1aew.xn--p1ai/news").html()
    assert tree.cssselect("div.sl-item-title .t_vid")


def test_mvd_ru_regional_day_archive_lists_that_local_day(mirror):
    tree = fetch(mirror, "https://22.xn--b1aew.xn--p1ai/news?year=2025&month=1&day=6").html()
    hrefs = [a.get("href") for a in tree.cssselect("div.sl-item-title > a")]
    assert hrefs == ["/news/item/59533870/"]


def test_mvd_kg_listing_pages_through_every_russian_item(mirror):
    hrefs = []
    for tree in crawl_pages(mirror, "https://mvd.gov.kg/rus/news", "a[rel=next]"):
        hrefs += [a.get("href") for a in tree.cssselect("a.news-list__link")]
    want = sorted((a for a in articles() if a.source_id == "mvd_kg" and a.language == "ru"),
                  key=lambda a: a.item_id, reverse=True)
    assert hrefs == [a.path for a in want]


def test_mvd_kg_kyrgyz_listing(mirror):
    tree = fetch(mirror, "https://mvd.gov.kg/kyr/news").html()
    assert [a.get("href") for a in tree.cssselect("a.news-list__link")] == [
        "/kyr/news/4057", "/kyr/news/4052", "/kyr/news/4041", "/kyr/news/4038", "/kyr/news/4034"]


def test_akn_home_paginates_through_every_russian_post(mirror):
    hrefs = []
    for tree in crawl_pages(mirror, "https://akn.tj/ru/", "a.next.page-numbers"):
        hrefs += [a.get("href") for a in tree.cssselect("article h2.entry-title a")]
    assert hrefs == [a.url for a in site("akn_tj", language="ru")]


def test_akn_month_and_day_archives(mirror):
    month = fetch(mirror, "https://akn.tj/ru/2024/12/").html()
    assert len(month.cssselect("article h2.entry-title a")) == 3
    day = fetch(mirror, "https://akn.tj/ru/2025/01/10/").html()
    assert [a.get("href") for a in day.cssselect("article h2.entry-title a")] == [
        "https://akn.tj/ru/2025/01/10/meeting-with-teachers-and-parents-of-students-of-mtmu-%e2%84%963-of-"
        "firdavsi-district/"]


def test_akn_listing_page_two_and_its_end(mirror):
    first = fetch(mirror, "https://akn.tj/ru/").html()
    assert first.cssselect("a.next.page-numbers")[0].get("href") == "https://akn.tj/ru/page/2/"
    assert fetch(mirror, "https://akn.tj/ru/page/2/").status == 200
    assert fetch(mirror, "https://akn.tj/ru/page/3/").status == 404


def test_akn_legacy_english_news_list(mirror):
    tree = fetch(mirror, "https://akn.tj/en/news/").html()
    assert [a.get("href") for a in tree.cssselect(".news-item a")] == [
        "https://akn.tj/en/news/agency-staff-took-part-in-a-city-subbotnik/"]
