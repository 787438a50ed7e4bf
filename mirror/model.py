"""The article record every part of the mirror shares: catalog, site renderers, manifest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

EMPTY: Mapping[str, str] = MappingProxyType({})

PAGE_DATE_KINDS = ("meta", "time", "text", "url", "none")
"""Where an article page states its date: ``meta`` (``article:published_time`` plus a ``<time>``),
``time`` (a ``<time datetime>`` only), ``text`` (a displayed date without offset), ``url`` (only the
URL carries the day), ``none`` (the page carries no date at all)."""


@dataclass(frozen=True, slots=True)
class Article:
    """One article of a mirrored site, as the site publishes it."""

    source_id: str
    url: str
    """The real URL as the site links it (ASCII/punycode host, path percent-encoded as published)."""
    host: str
    path: str
    """The path part of :attr:`url`, still percent-encoded."""
    language: str
    """ISO 639-1: ru, kk, ky, tg, en."""
    title: str
    paragraphs: tuple[str, ...]
    published: datetime | None
    """Aware publication time in the site's zone; None when the page carries no date."""
    sort_time: datetime
    """Where the article sits in listings (equals :attr:`published` for dated articles)."""
    date_precision: str | None
    """``minute`` or ``day`` (the site states only the day); None for undated pages."""
    page_date: str
    """One of :data:`PAGE_DATE_KINDS`."""
    drug_related: bool
    reference_event: int | None
    """1..9: the event of the reference release (information-release-2025-01) this article reports."""
    cluster: str
    """Shared by the language versions and duplicates of one story."""
    signature: str | None = None
    """Closing line (``Пресс-служба МВД``), rendered after the body paragraphs."""
    author: str | None = None
    category: str | None = None
    item_id: int | None = None
    """Numeric id: мвд.рф item id, mvd.gov.kg news id, WordPress post id."""
    video: bool = False
    meta_date: bool = True
    """akn.tj: whether the page has ``article:published_time``."""
    synthetic: bool = False
    alternates: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    """hreflang alternates the page links to (language -> URL), including itself; empty if none."""

    @property
    def text(self) -> str:
        """The body as plain text: paragraphs separated by blank lines, signature last."""
        parts = list(self.paragraphs)
        if self.signature:
            parts.append(self.signature)
        return "\n\n".join(parts)

    @property
    def lead(self) -> str:
        """The first paragraph, cut at a word boundary near 220 characters."""
        first = self.paragraphs[0] if self.paragraphs else ""
        if len(first) <= 220:
            return first
        cut = first[:220].rsplit(" ", 1)[0]
        return cut.rstrip(",;:–—-") + "…"

    def manifest_entry(self, with_text: bool = False) -> dict[str, Any]:
        """The JSON-ready manifest row of this article."""
        entry: dict[str, Any] = {
            "url": self.url,
            "source_id": self.source_id,
            "host": self.host,
            "language": self.language,
            "published": self.published.isoformat() if self.published else None,
            "date_precision": self.date_precision,
            "page_date": self.page_date,
            "title": self.title,
            "drug_related": self.drug_related,
            "reference_event": self.reference_event,
            "cluster": self.cluster,
            "alternates": dict(self.alternates),
            "synthetic": self.synthetic,
        }
        if with_text:
            entry["text"] = self.text
        return entry
