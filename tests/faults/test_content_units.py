"""The pieces behind the content faults (``test_content_faults.py``), one by one: the charset
decided from the bytes, a body cut short, a feed stale against its listing, a feed that declares
entities, 410 and off-site redirects as their own kinds, pages fetched again, a source without a
spider."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from config import PACKAGED_CONFIG_DIR
from crawlers.discovery.feed import FeedSeen, stale_against
from crawlers.entries import Entry
from crawlers.failures import RETRY_CRAWLS, OffsiteRedirect, RetryList, classify_failure
from crawlers.feeds import NotAFeed, parse_feed
from crawlers.integrity import cut_short, decode_body
from mirror.fault_bodies import entity_bomb

ARTICLE = (
    '<!DOCTYPE html><html lang="ru"><head><meta charset="windows-1251"><title>Задержан курьер</title>'
    "</head><body><h1>Задержан курьер</h1>"
    + "<p>Сотрудники полиции задержали курьера с партией наркотиков. Возбуждено уголовное дело.</p>" * 40
    + "</body></html>"
)


def _failure(exc: Exception) -> Failure:
    try:
        raise exc
    except Exception:
        return Failure()


# --- charset -------------------------------------------------------------------------------------


def test_koi8r_bytes_declared_windows_1251_are_read_as_koi8r() -> None:
    decoding = decode_body(ARTICLE.encode("koi8-r"), "cp1251")
    assert decoding.encoding == "koi8_r" and not decoding.doubtful
    assert "Задержан курьер" in ARTICLE.encode("koi8-r").decode(decoding.encoding)


def test_a_page_in_the_charset_it_declares_is_kept_with_full_confidence() -> None:
    decoding = decode_body(ARTICLE.encode("cp1251"), "cp1251")
    assert (decoding.encoding, decoding.confidence) == ("cp1251", 1.0)


def test_utf8_bytes_are_utf8_whatever_the_page_declares() -> None:
    decoding = decode_body(ARTICLE.encode(), "cp1251")
    assert (decoding.encoding, decoding.confidence) == ("utf-8", 1.0)


def test_bytes_that_read_as_text_in_no_charset_are_doubtful() -> None:
    noise = bytes(range(128, 256)) * 40
    assert decode_body(noise, "cp1251").doubtful


# --- truncation ----------------------------------------------------------------------------------


def test_a_body_cut_before_its_end_with_no_content_length_is_cut_short() -> None:
    body = ARTICLE.encode()
    assert cut_short(body[: int(len(body) * 0.6)], partial=True) is not None
    assert cut_short(body, partial=True) is None


def test_a_body_ending_inside_a_tag_is_cut_short_even_with_a_content_length() -> None:
    assert cut_short(ARTICLE.encode()[:-4], partial=False) == "the body ends inside a tag"


def test_a_partial_body_much_shorter_than_the_sites_usual_is_cut_short() -> None:
    small = b"<p>short</p>"
    assert cut_short(small, partial=True, usual=[50_000] * 5) is not None
    assert cut_short(small, partial=False, usual=[50_000] * 5) is None


# --- feeds ---------------------------------------------------------------------------------------


def _entry(path: str, day: int | None = None) -> Entry:
    published = datetime(2025, 3, day, 12, tzinfo=UTC) if day else None
    return Entry(url=f"https://polisia.kz/ru/news/{path}", published=published)


def test_a_feed_missing_the_listings_newest_articles_is_stale() -> None:
    feed = FeedSeen.of([_entry("a", 1), _entry("b", 1)])
    listing = [_entry("x", 5), _entry("y", 4), _entry("z", 3), _entry("a", 1), _entry("b", 1)]
    assert "3 of the listing's 5 newest articles are missing" in (stale_against(feed, listing) or "")


def test_a_feed_with_the_listings_newest_articles_is_not_stale() -> None:
    feed = FeedSeen.of([_entry("x", 5), _entry("y", 4), _entry("z", 3)])
    listing = [_entry("x", 5), _entry("y", 4), _entry("z", 3), _entry("old", 1)]
    assert stale_against(feed, listing) is None


def test_listing_links_older_than_the_feed_do_not_make_it_stale() -> None:
    feed = FeedSeen.of([_entry("a", 9)])
    assert stale_against(feed, [_entry("pinned", 1), _entry("other", 2), _entry("a", 9)]) is None


def test_an_entity_bomb_feed_is_refused_without_expanding_it() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(NotAFeed, match="declares XML entities"):
        parse_feed(entity_bomb().body_bytes(), "https://akn.tj/ru/feed/", tz=ZoneInfo("Asia/Dushanbe"))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB


# --- kinds and the retry list --------------------------------------------------------------------


def test_410_is_gone_and_404_stays_http_404() -> None:
    request = Request("https://mvd.gov.kg/rus/news/1")
    for status, kind in ((410, "gone"), (404, "http_404")):
        response = Response(request.url, status=status, request=request)
        assert classify_failure(_failure(HttpError(response, "x")))[0] == kind


def test_an_offsite_redirect_is_its_own_kind_and_other_ignored_redirects_are_not() -> None:
    assert classify_failure(_failure(OffsiteRedirect("off-site redirect to https://x.invalid/")))[0] == (
        "offsite_redirect")
    assert classify_failure(_failure(IgnoreRequest("max redirections reached")))[0] == "redirect"


def test_a_gone_article_is_remembered_and_leaves_the_retry_list() -> None:
    retries = RetryList({})
    retries.note("https://мвд.рф/news/item/1", "mvd_ru:ru", "http_5xx")
    retries.note_gone("https://мвд.рф/news/item/1")
    assert retries.failed == {}
    assert retries.is_gone(next(iter(retries.gone)))


def test_a_stored_page_with_a_doubtful_charset_is_asked_for_again_a_few_times() -> None:
    retries = RetryList({})
    for _ in range(RETRY_CRAWLS):
        retries.refetch("https://mvd.gov.kg/rus/news/1", "mvd_kg:ru", "encoding")
        (entry,) = retries.failed.values()
        assert entry["stored"] is True and entry["kind"] == "encoding"
    retries.refetch("https://mvd.gov.kg/rus/news/1", "mvd_kg:ru", "encoding")
    assert retries.failed == {}


def test_the_response_is_decoded_in_the_charset_of_its_bytes() -> None:
    from crawlers.articles import decoded

    body = ARTICLE.encode("koi8-r")
    response = HtmlResponse("https://mvd.gov.kg/rus/news/1", body=body,
                            headers={"Content-Type": "text/html; charset=windows-1251"})
    fixed, decoding = decoded(response)
    assert "Задержан курьер" in fixed.text and decoding.confidence >= 0.9


# --- a source without a spider -------------------------------------------------------------------


def test_newsmon_sources_refuses_a_source_without_a_spider_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(PACKAGED_CONFIG_DIR, config, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    with (config / "sources.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[sources]]\nid = "iiv_uz"\nname = "MIA of Uzbekistan"\ncountry = "UZ"\n'
                     'timezone = "Asia/Tashkent"\nlanguages = ["uz", "ru"]\nhosts = ["iiv.uz"]\n'
                     'start_urls = ["https://iiv.uz/news"]\n')
    env = {**os.environ, "NEWSMON_CONFIG_DIR": str(config)}
    result = subprocess.run([sys.executable, "-m", "newsmon", "sources"], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "newsmon: error: config/sources.toml: source 'iiv_uz' has no spider (crawlers/spiders/iiv_uz.py): "
        "add one, or set enabled = false"
    ]
