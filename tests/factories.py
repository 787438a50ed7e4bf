"""Builders of realistic rows for tests that do not go through the crawler."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from newsmon.urls import canonical_url
from pipeline.types import Evidence, PageInput, Period, Relevance, TaggedArticle


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
    evidence = (Evidence(term="наркопреступн", match="наркопреступности", where="text", weight=1.0),) if relevant else ()
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
        period=Period(year=day.year, number=number, text="1-15.01.2025",
                      start=date(day.year, 1, 1), end=date(day.year, 1, 15)),
        relevance=Relevance(score=0.9 if relevant else 0.05, label="relevant" if relevant else "irrelevant",
                            evidence=evidence),
        topic="prevention" if relevant else "other",
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        minhash=None,
    )
