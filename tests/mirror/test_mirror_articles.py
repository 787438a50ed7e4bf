"""Article pages carry the title, date and body markup the README claims for each site."""

from __future__ import annotations

import re

import pytest

from mirror import articles
from mirror.sites import SITE_CLASSES
from mirror.testing import fetch

KOKSHETAU = "https://polisia.kz/ru/antinarkoticheskaya-aksiya-schast-e-v-melochah-proshla-v-kokshetau/"
KOKSHETAU_KK = "https://polisia.kz/kokshetauda-baqyt-usaq-tujekte-esirtkige-qarsy-aktsiyasy-otti/"
FIRDAVSI = "meeting-with-teachers-and-parents-of-students-of-mtmu-%e2%84%963-of-firdavsi-district/"


def article(url):
    return next(a for a in articles() if a.url == url)


def body_text(nodes):
    return "\n\n".join(" ".join(n.text_content().split()) for n in nodes if n.text_content().strip())


def test_polisia_article_markup(mirror):
    a = article(KOKSHETAU)
    tree = fetch(mirror, KOKSHETAU).html()
    assert tree.get("lang") == "ru-RU"
    assert tree.cssselect("h1.single-post-title span.post-title")[0].text_content().strip() == a.title
    meta = tree.cssselect('meta[property="article:published_time"]')[0].get("content")
    assert meta == "2025-01-06T15:40:00+05:00"
    assert tree.cssselect("time.post-published")[0].get("datetime") == meta
    assert body_text(tree.cssselect("div.entry-content p")) == a.text
    assert tree.cssselect("span.post-author-name b")[0].text == "Пресс-служба ДП Акмолинской области"


def test_polisia_read_also_and_comments_sit_outside_the_body(mirror):
    tree = fetch(mirror, KOKSHETAU).html()
    content = tree.cssselect("div.entry-content")[0].text_content()
    page = tree.text_content()
    for block in ("Читайте также", "Оставьте ответ"):
        assert block in page and block not in content


def test_polisia_language_versions_link_each_other_with_hreflang(mirror):
    tree = fetch(mirror, KOKSHETAU).html()
    alternates = {link.get("hreflang"): link.get("href") for link in tree.cssselect("link[hreflang]")}
    assert alternates == {"ru": KOKSHETAU, "kk": KOKSHETAU_KK}
    kk = fetch(mirror, alternates["kk"]).html()
    assert kk.get("lang") == "kk"
    assert {link.get("hreflang") for link in kk.cssselect("link[hreflang]")} == {"ru", "kk"}


def test_polisia_post_without_translation_has_no_hreflang(mirror):
    tree = fetch(mirror, "https://polisia.kz/ru/avtoinspektory-shymkenta-proverili-500-avtobusov/").html()
    assert not tree.cssselect("link[hreflang]")


def test_mvd_kg_article_text_order_date_title_body_signature(mirror):
    resp = fetch(mirror, "https://mvd.gov.kg/rus/news/4052")
    text = " ".join(resp.html().cssselect(".news-detail")[0].text_content().split())
    date_at = text.index("13.01.2025")
    title_at = text.index("СБНОН МВД: в рамках профилактики")
    sign_at = text.index("Пресс-служба МВД")
    assert date_at < title_at < sign_at
    assert resp.html().cssselect("h1")[0].text == article("https://mvd.gov.kg/rus/news/4052").title


def test_mvd_kg_first_date_on_the_page_is_the_article_date(mirror):
    for a in (x for x in articles() if x.source_id == "mvd_kg" and x.page_date == "text"):
        text = fetch(mirror, a.url).html().text_content()
        first = re.search(r"\b(\d{2})\.(\d{2})\.(\d{4})\b", text)
        assert first and first.group(0) == a.published.strftime("%d.%m.%Y"), a.url


def test_mvd_kg_undated_page_has_no_date(mirror):
    page = fetch(mirror, "https://mvd.gov.kg/rus/news/4045").html()
    text = page.cssselect(".news-detail")[0].text_content()
    assert not re.search(r"\d{2}\.\d{2}\.\d{4}", text)


def test_mvd_kg_kyrgyz_twin_shares_the_id_and_signs_in_kyrgyz(mirror):
    resp = fetch(mirror, "https://mvd.gov.kg/kyr/news/4052")
    assert resp.status == 200 and resp.html().get("lang") == "ky"
    assert "ИИМдин басма сөз кызматы" in resp.text
    assert resp.html().cssselect(".lang-switch a")[0].get("href") == "/rus/news/4052"


def test_mvd_ru_legacy_article_markup(mirror):
    url = "https://22.xn--b1aew.xn--p1ai/news/item/59533870/"
    a = article(url)
    tree = fetch(mirror, url).html()
    assert tree.cssselect("div.ln-content-holder h1")[0].text == a.title
    assert tree.cssselect("div.article-date-item")[0].text == "6 Января 2025 14:20"
    paragraphs = [p for p in tree.cssselect("div.article p") if p.text_content().strip()]
    assert body_text(paragraphs) == a.text
    assert paragraphs[-1].cssselect("strong")[0].text == "Пресс-служба ГУ МВД России по Алтайскому краю"


def test_mvd_ru_main_article_markup(mirror):
    url = "https://xn--b1aew.xn--p1ai/news/item/59736803"
    a = article(url)
    tree = fetch(mirror, url).html()
    assert tree.cssselect("h1")[0].text == a.title
    assert tree.cssselect("time[datetime]")[0].get("datetime") == "2025-01-10T12:30:00+03:00"
    assert tree.cssselect('meta[property="og:title"]')[0].get("content") == a.title
    assert not tree.cssselect("div.ln-content-holder")


def test_forum_story_is_the_same_text_on_both_hosts(mirror):
    main = article("https://xn--b1aew.xn--p1ai/news/item/59534091")
    regional = article("https://22.xn--b1aew.xn--p1ai/news/item/59533870/")
    assert main.text == regional.text and main.title == regional.title
    assert main.cluster == regional.cluster


def test_akn_article_markup_with_meta_date(mirror):
    url = "https://akn.tj/ru/2025/01/10/" + FIRDAVSI
    a = article(url)
    tree = fetch(mirror, url).html()
    assert tree.cssselect('meta[property="og:title"]')[0].get("content") == a.title
    meta = tree.cssselect('meta[property="article:published_time"]')[0]
    assert meta.get("content") == "2025-01-10T15:45:00+05:00"
    assert body_text(tree.cssselect(".entry-content p")) == a.text
    assert tree.cssselect("p.site-title")[0].text_content().startswith("Агентство по контролю за наркотиками")


def test_akn_article_without_meta_date_has_only_the_url_date(mirror):
    url = "https://akn.tj/ru/2025/01/14/mini-football-tournament-among-agency-employees/"
    assert article(url).page_date == "url"
    text = fetch(mirror, url).text
    assert "article:published_time" not in text and "datetime=" not in text


def test_akn_hreflang_names_three_languages_and_x_default(mirror):
    tree = fetch(mirror, "https://akn.tj/tj/2025/01/10/" + FIRDAVSI).html()
    assert tree.get("lang") == "tg"
    alternates = {link.get("hreflang"): link.get("href") for link in tree.cssselect("link[hreflang]")}
    english = "https://akn.tj/2025/01/10/" + FIRDAVSI
    assert alternates == {"ru": "https://akn.tj/ru/2025/01/10/" + FIRDAVSI,
                          "tg": "https://akn.tj/tj/2025/01/10/" + FIRDAVSI,
                          "en": english, "x-default": english}


def test_akn_legacy_page_carries_no_date(mirror):
    resp = fetch(mirror, "https://akn.tj/en/news/agency-staff-took-part-in-a-city-subbotnik/")
    assert resp.status == 200
    assert "published_time" not in resp.text
    assert not re.search(r"20\d\d", resp.html().cssselect("article")[0].text_content())


@pytest.mark.parametrize("source_id", [cls.source_id for cls in SITE_CLASSES])
def test_every_article_page_shows_its_title(mirror, source_id):
    for a in (x for x in articles() if x.source_id == source_id):
        tree = fetch(mirror, a.url).html()
        assert tree.cssselect("h1")[-1].text_content().strip() == a.title, a.url
