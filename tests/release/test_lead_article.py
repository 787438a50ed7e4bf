"""The release prints an event's original article, not a regional repost, and always the one an
analyst's decision names (the Altai forum of the reference: the main host's /news/item/59534091,
reposted earlier by 22.мвд.рф as /news/item/59533870)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from core.urls import canonical_url, url_host
from desk import EditError, apply_lines, edit
from desk.leads import lead_article
from release.builder import assemble_release
from release.export import export_events
from storage.db import session_scope
from storage.models import Article, Event
from tests.release.reference import add_event

MAIN = "https://xn--b1aew.xn--p1ai/news/item/59534091"
REPOST = "https://22.xn--b1aew.xn--p1ai/news/item/59533870/"
OTHER_REPOST = "https://25.xn--b1aew.xn--p1ai/news/item/71000001/"


def _article(url: str, *, published: datetime, language: str = "ru", article_id: int = 0,
             uncertain: bool = False) -> Article:
    return Article(id=article_id, canonical_url=canonical_url(url), url=url, host=url_host(url),
                   language=language, published_at=published, date_uncertain=uncertain)


def _event(*articles: Article, lead_url: str | None = None) -> Event:
    return Event(articles=list(articles), lead_url=lead_url)


def test_the_main_host_is_preferred_over_an_earlier_regional_repost():
    repost = _article(REPOST, published=datetime(2025, 1, 9, 3, 0, tzinfo=UTC), article_id=1)
    main = _article(MAIN, published=datetime(2025, 1, 9, 8, 0, tzinfo=UTC), article_id=2)
    assert lead_article(_event(repost, main)) is main


def test_between_reposts_the_earliest_publication_leads():
    later = _article(OTHER_REPOST, published=datetime(2025, 1, 10, tzinfo=UTC), article_id=1)
    earlier = _article(REPOST, published=datetime(2025, 1, 9, tzinfo=UTC), article_id=2)
    assert lead_article(_event(later, earlier)) is earlier


def test_the_russian_version_leads_a_multilingual_cluster():
    kazakh = _article("https://polisia.kz/aksiya/", published=datetime(2025, 1, 8, tzinfo=UTC), language="kk",
                      article_id=1)
    russian = _article("https://polisia.kz/ru/aktsiya/", published=datetime(2025, 1, 9, tzinfo=UTC),
                       article_id=2)
    assert lead_article(_event(kazakh, russian)) is russian


def test_the_article_an_analyst_named_leads_whatever_the_rules_say():
    main = _article(MAIN, published=datetime(2025, 1, 9, tzinfo=UTC), article_id=1)
    repost = _article(REPOST, published=datetime(2025, 1, 10, tzinfo=UTC), article_id=2)
    assert lead_article(_event(main, repost, lead_url=canonical_url(REPOST))) is repost


def test_a_named_article_that_left_the_event_no_longer_leads():
    main = _article(MAIN, published=datetime(2025, 1, 9, tzinfo=UTC), article_id=1)
    repost = _article(REPOST, published=datetime(2025, 1, 8, tzinfo=UTC), article_id=2)
    assert lead_article(_event(main, repost, lead_url=canonical_url(OTHER_REPOST))) is main


def _altai_event(url: str) -> int:
    """The regional repost stored first and dated earlier; the main host's original beside it."""
    with session_scope(url) as session:
        event = add_event(session, url=REPOST, country="RU", source_id=None, language="ru",
                          title="Региональная перепечатка", text="Текст перепечатки о форуме.", day=9)
        session.add(Article(
            canonical_url=canonical_url(MAIN), url=MAIN, host=url_host(MAIN), event_id=event.id,
            title="На форуме «Молодые лидеры Сибири» организовали встречу с экспертами",
            text="Молодёжный форум проходит в Барнауле.", published_at=datetime(2025, 1, 9, 9, 0, tzinfo=UTC),
            language="ru", country="RU", period_year=2025, period_number=1, content_hash="main",
        ))
        return event.id


def test_the_release_and_the_export_link_the_original(release_db):
    _altai_event(release_db)
    with session_scope(release_db) as session:
        [entry] = assemble_release(session, 2025, 1, "ru").entries
        exported = export_events(session, 2025, 1)
    assert entry.url == MAIN
    assert [event["url"] for event in exported["events"]] == [MAIN]


def test_a_decision_naming_the_repost_makes_it_the_printed_link(release_db):
    event_id = _altai_event(release_db)
    line = json.dumps({"url": REPOST, "status": "accepted", "headline_en": "A forum"})
    report = apply_lines([line], actor="cli:analyst", database_url=release_db)
    assert [result.outcome for result in report.results] == ["applied"]
    with session_scope(release_db) as session:
        [entry] = assemble_release(session, 2025, 1, "en").entries
        stored = session.get(Event, event_id)
        assert stored is not None and stored.lead_url == canonical_url(REPOST)
    assert entry.url == REPOST


def test_the_lead_must_be_one_of_the_events_articles(release_db):
    event_id = _altai_event(release_db)
    with session_scope(release_db) as session, pytest.raises(EditError, match="not an article of event"):
        edit(session, event_id, actor="analyst", lead_url="https://polisia.kz/ru/drugoe/")
