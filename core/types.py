"""The typed contract between spiders, pipeline stages and storage.

A spider produces a :class:`PageInput` (the page plus what the site itself states); the runner
(:mod:`pipeline.runner`) passes it through the stages and returns a :class:`TaggedArticle`, which
storage upserts. Every datetime here is timezone-aware.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from core.facts import Facts
from core.period import Period


@dataclass(frozen=True, slots=True)
class PageInput:
    """A fetched page and the facts its site states about it."""

    url: str
    """The URL as the site publishes it (the real host, also when crawled through the mirror)."""
    source_id: str | None = None
    """Configured source id (``polisia_kz`` …); None for an outlet that is not configured."""
    html: str | None = None
    """The decoded HTML of the article page; None when only feed/JSONL text is known."""
    encoding: str | None = None
    """The charset the page was served in (the HTML above is already decoded)."""
    title: str | None = None
    """A title stated outside the page body: feed item, listing link, JSONL input."""
    text: str | None = None
    """Text stated outside the page: ``yandex:full-text`` of a feed, JSONL input."""
    site_published: datetime | None = None
    """A publication date the site itself states (feed pubDate, listing date, article markup,
    a date in the URL). Wins over dates guessed from the page. Naive values are read in the
    source's local time zone."""
    declared_language: str | None = None
    """The language the site declares (URL prefix such as ``/kz/``, ``<html lang>``), ISO 639-1."""
    alternates: Mapping[str, str] = field(default_factory=dict)
    """hreflang alternates the page links to: language code -> URL."""
    http_status: int | None = None
    fetched_at: datetime | None = None
    """When the page was fetched (UTC); the fallback publication date, flagged uncertain."""
    timezone: str | None = None
    """IANA zone of the host when it differs from the source's (a regional site)."""
    encoding_confidence: float | None = None
    """How sure the charset above is (1.0: the bytes read as text in it; below 0.9 the page is
    fetched again by the next crawl); None when not judged (JSONL input)."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """Output of the extract stage."""

    title: str
    text: str
    author: str | None
    published: datetime | None
    """Aware datetime in the source's local zone, or None if no date could be found."""
    date_source: str
    """``site`` (stated by the site), ``page`` (read from the page's markup), ``none``."""
    html_language: str | None
    """``<html lang>`` / og:locale of the page, if any."""
    status: str = "ok"
    """``ok`` or ``no_text``."""
    reason: str | None = None
    """Why the text is empty or suspect (kept, never silently dropped)."""
    body_method: str = "trafilatura"
    """How the body was read: ``selector`` (the site's body selectors) or ``trafilatura``."""
    body_fallback: str | None = None
    """Why the site's selectors were not used although it has some (``no_match``, ``too_short``,
    ``listing``: :class:`pipeline.site_body.BodyFallback`); None when it has none or they were."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One lexicon match that made an article relevant."""

    term: str
    """The lexicon entry that matched (stem or phrase)."""
    match: str
    """The text as it appears in the article."""
    where: str
    """``title`` or ``text``."""
    weight: float


@dataclass(frozen=True, slots=True)
class Relevance:
    score: float
    """0..1: the learned model's calibrated probability (the lexicon's score without a model)."""
    label: str
    """``relevant``, ``maybe`` or ``irrelevant``."""
    evidence: tuple[Evidence, ...] = ()
    lexicon_score: float | None = None
    """The lexicon's own score, kept beside the model's probability."""
    model: str | None = None
    """Version of the model that gave ``score``; None when the lexicon alone decided."""
    note: str | None = None
    """What the analyst should know about how it was judged (a language without a lexicon)."""


@dataclass(frozen=True, slots=True)
class TaggedArticle:
    """Everything the machine knows about one article; storage upserts it by canonical URL."""

    page: PageInput
    canonical_url: str
    title: str
    text: str
    author: str | None
    published_at: datetime
    """Aware; the crawl time when the page stated no date (then ``date_uncertain``)."""
    date_uncertain: bool
    language: str
    language_confidence: float
    country: str | None
    """Reporting country (ISO 3166-1 alpha-2): decides the release section."""
    countries_mentioned: tuple[str, ...]
    period: Period
    relevance: Relevance
    topic: str
    """prevention, seizure_arrest, legislation, cooperation, statistics, treatment, other."""
    content_hash: str
    """SHA-256 of the normalised text: exact duplicates."""
    minhash: bytes | None
    """Serialized MinHash signature of the text shingles: near duplicates (pipeline.cluster)."""
    extraction_status: str = "ok"
    extraction_reason: str | None = None
    extraction_method: str = "trafilatura"
    """How the body was read (``selector`` or ``trafilatura``: :attr:`Extracted.body_method`)."""
    extraction_fallback: str | None = None
    """Why the site's body selectors were not used (:attr:`Extracted.body_fallback`)."""
    facts: Facts | None = None
    """What a seizure or arrest story states (:mod:`pipeline.facts`); None for an irrelevant article."""
    tagger_version: str | None = None
    """The fingerprint of the tagger that made these tags (:func:`pipeline.version.tagger_version`);
    ``newsmon retag`` retags the stored articles whose version is not the current one."""


MAX_ROW_ID = 2**31 - 1
"""The largest id a table row can have (a 32-bit INTEGER on PostgreSQL): a larger number in a URL
or a form names no row."""
_ROW_ID = re.compile(r"^\s*#?([0-9]{1,10})\s*$")


def row_id(value: object) -> int | None:
    """The row id ``value`` spells (``42``, ``#42``), or None for anything else: other digits
    («²», «٣»), signs, and numbers beyond :data:`MAX_ROW_ID`."""
    match = _ROW_ID.match(str(value)) if isinstance(value, str | int) else None
    if match is None:
        return None
    number = int(match.group(1))
    return number if 1 <= number <= MAX_ROW_ID else None
