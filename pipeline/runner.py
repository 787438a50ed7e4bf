"""The one runner that composes the stages: :func:`tag_page` turns a page into a
:class:`~core.types.TaggedArticle`.

The crawler calls it once per page, so everything expensive (gazetteer, lexicons, topic rules,
detector models) is loaded once per process and reused. Pass a ``timings`` dict to get the
seconds each stage took (benchmarks, ``python -m pipeline.evaluate``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from config import ConfigError, SourceConfig, load_sources
from core.period import Period
from core.story import StoryKey
from core.types import PageInput, TaggedArticle
from core.urls import canonical_url, unicode_host
from pipeline import cluster
from pipeline.boilerplate import source_selectors
from pipeline.country import Gazetteer, country_of_host, language_hint, load_gazetteer, tag_country
from pipeline.extract import extract, to_zone
from pipeline.facts import extract_facts
from pipeline.facts.rules import load_rules as load_fact_rules
from pipeline.language import (
    CHEAP_DETECTOR,
    DETECTORS,
    PRIMARY_DETECTOR,
    detect_language,
    load_marks,
    prefer_hint,
)
from pipeline.records import source_for_url
from pipeline.relevance import load_lexicons
from pipeline.relevance_model import judge_relevance, load_model
from pipeline.site_body import source_body_selectors
from pipeline.topic import classify_topic, load_topic_rules
from pipeline.version import tagger_version

STAGES = ("extract", "language", "country", "period", "relevance", "topic", "facts", "cluster")


@contextmanager
def _timed(timings: MutableMapping[str, float] | None, stage: str) -> Iterator[None]:
    if timings is None:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def warm_up(*, signatures: bool = True, detectors: Iterable[str] | None = None) -> None:
    """Load configuration data and detector models now rather than on the first page
    (``signatures``: also MinHash, which only storing needs; ``detectors``: the language
    detectors to load, default all)."""
    load_gazetteer()
    load_lexicons()
    load_model()
    load_topic_rules()
    load_fact_rules()
    load_marks()
    tagger_version()
    if signatures:
        cluster.load()
    for name in DETECTORS if detectors is None else detectors:
        DETECTORS[name]("Загрузка моделей определения языка перед первой страницей.")


def warm_up_worker() -> None:
    """A crawl's tagging worker, before its first page: everything but langdetect (a second
    opinion a crawl seldom needs, loaded when it does). Loaded first, the models' transient
    allocations are freed before the pages' own grow the heap: py3langid's model, loaded for
    the first page that needs it in the middle of a crawl, raised the worker's peak by 30 MB."""
    warm_up(detectors=(PRIMARY_DETECTOR, CHEAP_DETECTOR))


def resolve_source(page: PageInput, source: SourceConfig | None) -> SourceConfig | None:
    """The page's source: given, named by ``page.source_id``, or found by its URL's host."""
    if source is not None:
        return source
    try:
        sources = load_sources()
    except ConfigError:
        if page.source_id:
            raise
        return None
    if page.source_id:
        return sources.source(page.source_id)
    return source_for_url(page.url, sources)


def _zone(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_for(page: PageInput, source: SourceConfig | None, gazetteer: Gazetteer) -> tzinfo:
    """Local time zone of a page: the page's own (a regional host), the source's region zone
    for a host like ``22.<source host>``, the source's, the zone of the domain's country, UTC."""
    if page.timezone and (zone := _zone(page.timezone)):
        return zone
    if source is not None:
        host = unicode_host(urlsplit(page.url).hostname or "")
        label = host.split(".", 1)[0]
        if label in source.region_timezones and (zone := _zone(source.region_timezones[label])):
            return zone
        return source.zone
    country = country_of_host(page.url, gazetteer)
    if country and country in gazetteer.timezones and (zone := _zone(gazetteer.timezones[country])):
        return zone
    return UTC


def tag_page(
    page: PageInput,
    source: SourceConfig | None = None,
    *,
    now: datetime | None = None,
    timings: MutableMapping[str, float] | None = None,
    signature: bool = True,
) -> TaggedArticle:
    """Run every stage on one page.

    Args:
        page: what the spider (or a JSONL line) hands over.
        source: the configured source; looked up from ``page.source_id`` or the URL host if None.
        now: the crawl time when the page has neither a date nor ``fetched_at`` (tests freeze it).
        timings: if given, seconds per stage are added to it (keys: :data:`STAGES`).
        signature: compute the MinHash signature (storage clusters by it; ``newsmon tag``
            prints no cluster and skips it, and the MinHash library's import with it).

    Raises:
        core.urls.InvalidURL: the page URL is not an absolute http(s) URL.
        config.ConfigError: ``page.source_id`` names no configured source.
    """
    source = resolve_source(page, source)
    gazetteer = load_gazetteer()
    zone = zone_for(page, source, gazetteer)
    canonical = canonical_url(page.url)

    with _timed(timings, "extract"):
        source_id = source.id if source else page.source_id
        extracted = extract(page, zone, source_selectors(source_id), source_body_selectors(source_id))
    with _timed(timings, "language"):
        language = detect_language(
            extracted.title,
            extracted.text,
            declared=page.declared_language,
            html_language=extracted.html_language,
        )
        if source is None and not page.declared_language:
            language = prefer_hint(language, language_hint(page.url, gazetteer))
    with _timed(timings, "country"):
        countries = tag_country(
            extracted.title,
            extracted.text,
            url=page.url,
            source_country=source.country if source else None,
            gazetteer=gazetteer,
            language=language.language,
        )
    with _timed(timings, "period"):
        if extracted.published is not None:
            published, uncertain = extracted.published, False
        else:
            crawled = page.fetched_at or now or datetime.now(UTC)
            published, uncertain = to_zone(crawled, zone), True
        period = Period.at(published, zone)
    with _timed(timings, "relevance"):
        relevance = judge_relevance(extracted.title, extracted.text, language.language)
    with _timed(timings, "topic"):
        topic = classify_topic(
            extracted.title, extracted.text, language.language, relevant=relevance.label != "irrelevant"
        )
    with _timed(timings, "facts"):
        facts = (
            extract_facts(
                extracted.text, title=extracted.title, language=language.language, country=countries.country
            )
            if relevance.label != "irrelevant"
            else None
        )
    with _timed(timings, "cluster"):
        # An empty text would make every empty page an "exact duplicate": hash the URL instead.
        content_hash = (
            cluster.content_hash(extracted.text)
            if extracted.text.strip()
            else cluster.content_hash("empty page " + canonical)
        )
        minhash = cluster.minhash_signature(extracted.text) if signature else None

    return TaggedArticle(
        page=page,
        canonical_url=canonical,
        title=extracted.title,
        text=extracted.text,
        author=extracted.author,
        published_at=published,
        date_uncertain=uncertain,
        language=language.language,
        language_confidence=language.confidence,
        country=countries.country,
        countries_mentioned=countries.mentioned,
        period=period,
        relevance=relevance,
        topic=topic.topic,
        content_hash=content_hash,
        minhash=minhash,
        extraction_status=extracted.status,
        extraction_reason=extracted.reason,
        extraction_method=extracted.body_method,
        extraction_fallback=extracted.body_fallback,
        facts=facts,
        tagger_version=tagger_version(),
    )


def story_key(article: TaggedArticle) -> StoryKey:
    """The clustering key of a freshly tagged article (storage builds the same from columns)."""
    return StoryKey.build(
        url=article.canonical_url,
        content_hash=article.content_hash,
        minhash=article.minhash,
        language=article.language,
        alternates=article.page.alternates,
        published=article.published_at,
    )
