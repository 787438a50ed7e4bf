"""``newsmon retag``: the pipeline re-run on stored raw HTML, keeping every analyst edit."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import func, select

from core.types import PageInput
from newsmon.retag import retag
from pipeline.runner import tag_page
from storage.db import session_scope
from storage.models import Article, Event
from storage.repository import finish_run, start_run, upsert_article
from storage.retag import select_article_ids, stored_pages
from tests.ops.retag_store import make_stale, seizure_page


@pytest.fixture
def stored(ops_db):
    """Three articles stored by a crawl run; the first one's event accepted and edited by an analyst."""
    with session_scope(ops_db) as session:
        run_id = start_run(session, "mvd_kg", trigger="schedule")
        results = [upsert_article(session, tag_page(seizure_page(4100 + i, 9 + i)), run_id) for i in range(2)]
        finish_run(session, run_id, status="finished")
        other_run = start_run(session, "akn_tj", trigger="schedule")
        results.append(upsert_article(session, tag_page(seizure_page(7000, 3, "akn_tj")), other_run))
        event = session.get(Event, results[0].event_id)
        event.status = "accepted"
        event.headline_en = "DRUG COURIER DETAINED IN BISHKEK"
        event.text_en = "Police officers seized more than two kilograms of heroin."
        event.country_override = "KZ"
        event.topic_override = "statistics"
        event.position = 3
        event.reviewed_by = "analyst1"
        event.version = 4
    return ops_db, results, run_id


def test_retag_recomputes_machine_tags_and_keeps_analyst_edits(stored):
    url, results, run_id = stored
    make_stale(url)
    report = retag(database_url=url)
    assert (report.selected, report.retagged, report.failed) == (3, 3, 0)
    assert report.changed == 3
    with session_scope(url) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 3
        article = session.get(Article, results[0].article_id)
        assert (article.relevance_label, article.country) == ("relevant", "KG") and article.relevance_evidence
        assert article.last_run_id == run_id and article.first_run_id == run_id
        assert article.event_id == results[0].event_id
        event = session.get(Event, results[0].event_id)
        assert event.relevance_label == "relevant"
        assert (event.status, event.headline_en, event.text_en, event.country_override, event.topic_override,
                event.position, event.reviewed_by, event.version) == (
            "accepted", "DRUG COURIER DETAINED IN BISHKEK",
            "Police officers seized more than two kilograms of heroin.", "KZ", "statistics", 3, "analyst1", 4)


def test_retag_selects_by_source_and_publication_day(stored):
    url, results, _ = stored
    with session_scope(url) as session:
        assert len(select_article_ids(session)) == 3
        assert select_article_ids(session, source_id="akn_tj") == [results[2].article_id]
        assert select_article_ids(session, since=date(2025, 1, 10)) == [results[1].article_id]
    make_stale(url)
    report = retag(database_url=url, source_id="mvd_kg", since=date(2025, 1, 10))
    assert (report.selected, report.retagged) == (1, 1)
    with session_scope(url) as session:
        labels = dict(session.execute(select(Article.id, Article.relevance_label)).all())
    assert labels == {results[0].article_id: "irrelevant", results[1].article_id: "relevant",
                      results[2].article_id: "irrelevant"}


def test_the_stored_page_is_handed_over_as_the_crawler_did(stored):
    url, results, _ = stored
    with session_scope(url) as session:
        page = stored_pages(session, [results[0].article_id])[0].page()
    original = seizure_page(4100, 9)
    assert page.html == original.html and page.url == original.url
    assert (page.site_published, page.declared_language, page.fetched_at) == (
        original.site_published, "ru", original.fetched_at)


def test_a_page_that_fails_is_counted_and_the_others_are_retagged(stored):
    url, results, _ = stored

    def flaky(page: PageInput):
        if page.url.endswith("4101"):
            raise ValueError("lexicon file is broken")
        return tag_page(page)

    make_stale(url)
    report = retag(database_url=url, tagger=flaky)
    assert (report.retagged, report.failed) == (2, 1)
    assert report.failures == [f"article {results[1].article_id} https://mvd.gov.kg/rus/news/4101: "
                               "lexicon file is broken"]
    with session_scope(url) as session:
        assert session.get(Article, results[1].article_id).relevance_label == "irrelevant"
        assert session.get(Article, results[0].article_id).relevance_label == "relevant"


@pytest.mark.slow
def test_the_retag_command_shows_progress_lines_and_a_summary(stored):
    url, _, _ = stored
    make_stale(url)
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-m", "newsmon", "retag", "--source", "mvd_kg", "--workers", "2"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    summary = "retagged 2 of 2 articles, 2 changed tags, 0 failed (0 already tagged by tagger "
    assert result.stdout.startswith(summary) and "2 tagging process(es)" in result.stdout
    assert "retag: started, 2 to do" in result.stderr and "retag: done 2/2 (100%)" in result.stderr
    unknown = subprocess.run([sys.executable, "-m", "newsmon", "retag", "--source", "nope"],
                             capture_output=True, text=True, timeout=300, env=env)
    assert unknown.returncode == 2 and "unknown source 'nope'" in unknown.stderr
