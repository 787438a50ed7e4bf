"""Builders of realistic rows for tests that do not go through the crawler."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.period import Period
from core.types import Evidence, PageInput, Relevance, TaggedArticle
from core.urls import canonical_url


def tagged_article(
    url: str = "https://polisia.kz/ru/antinarkoticheskaya-aksiya-schast-e-v-melochah-proshla-v-kokshetau/",
    *,
    title: str = "Антинаркотическая акция «Счастье в мелочах!» прошла в Кокшетау",
    text: str = "Акцию инициировали сотрудники управления по противодействию наркопреступности.",
    source_id: str | None = "polisia_kz",
    language: str = "ru",
    country: str = "KZ",
    published: datetime = datetime(2025, 1, 9, 6, 30, tzinfo=UTC),
    relevant: bool = True,
    alternates: dict[str, str] | None = None,
    html: str | None = "<html><body><h1>Акция</h1><p>Текст</p></body></html>",
) -> TaggedArticle:
    """A tagged article as the pipeline would produce it (period #1 2025 by default)."""
    day = published.date()
    number = (day.month - 1) * 2 + (1 if day.day <= 15 else 2)
    evidence = (
        (Evidence(term="наркопреступн", match="наркопреступности", where="text", weight=1.0),)
        if relevant
        else ()
    )
    return TaggedArticle(
        page=PageInput(url=url, source_id=source_id, html=html, encoding="utf-8", http_status=200,
                       fetched_at=datetime(2025, 1, 10, tzinfo=UTC), alternates=alternates or {}),
        canonical_url=canonical_url(url),
        title=title,
        text=text,
        author=None,
        published_at=published,
        date_uncertain=False,
        language=language,
        language_confidence=0.99,
        country=country,
        countries_mentioned=(country,),
        period=Period(year=day.year, number=number),
        relevance=Relevance(score=0.9 if relevant else 0.05, label="relevant" if relevant else "irrelevant",
                            evidence=evidence),
        topic="prevention" if relevant else "other",
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        minhash=None,
    )


def storage_pipeline(database: str, spool_dir: Path, tagger: str, **settings: Any) -> tuple[Any, Any]:
    """The crawl's storage pipeline on a crawler without a network, with an open crawl run of
    polisia_kz: ``(StoragePipeline, RunBook)``. ``tagger`` is the dotted path of the tagging
    function; ``settings`` override the test defaults (short store back-off, the spool in
    ``spool_dir``)."""
    from scrapy.utils.test import get_crawler

    from crawlers.pipelines import StoragePipeline
    from crawlers.runs import RunBook

    crawler = get_crawler(
        settings_dict={
            "NEWSMON_DATABASE_URL": database,
            "NEWSMON_TAGGER": tagger,
            "NEWSMON_STORE_BACKOFF_S": 0.01,
            "NEWSMON_SPOOL_DIR": str(spool_dir),
            **settings,
        }
    )
    book = RunBook("polisia_kz", database_url=database)
    book.open()
    crawler.spider = type("S", (), {"book": book, "name": "polisia_kz"})()
    crawler.crawling = True  # a crawl in progress (a stopping one spools at once, without retries)
    return StoragePipeline.from_crawler(crawler), book


def crawled_page(
    url: str, *, site_published: datetime | None = datetime(2025, 1, 6, 15, 40, tzinfo=UTC)
) -> PageInput:
    """A page as a polisia.kz spider hands it to the storage pipeline (a stub body: the tests'
    taggers do not read it)."""
    return PageInput(
        url=url,
        source_id="polisia_kz",
        html="<html><body><p>x</p></body></html>",
        site_published=site_published,
        fetched_at=datetime.now(UTC),
    )
