"""How many SQL statements storing an article costs, as the crawl stores a batch and as
``newsmon retag`` writes one (one ``executemany`` counts once), on SQLite and PostgreSQL.

These are counts, not times: a bound fails when someone brings back a query per article that a
batch makes once (the run's counters, the events' refresh, the row read back after writing it).
"""

from __future__ import annotations

import hashlib
from contextlib import nullcontext
from dataclasses import replace

import newsmon.retag
from config import load_sources
from core.types import PageInput, TaggedArticle
from newsmon.retag import retag
from pipeline.runner import tag_page
from storage import schema
from storage.article_store import store_batch
from storage.db import dispose_engines, session_scope
from storage.repository import start_run, sync_sources, upsert_article
from storage.statements import counting_statements
from tests.ops.retag_store import make_stale, mixed_pages, rows, store_pages

NEW_ARTICLE = 8
"""Statements per new article: its row, its paragraph fingerprints, their counts, its match keys,
its candidates (and their rows, when there are some), a new event or none, the event set."""
STORED_ARTICLE = 8
"""Per article stored again: its row, paragraphs and keys replaced, their counts, no event work."""
RETAGGED_ARTICLE = 3
"""Per retagged article whose text stays as it was (a lexicon fix): its tags and its paragraphs'
counts; its paragraphs and keys are known for the batch and not rewritten; plus the batch's reads."""


def test_a_crawl_batch_costs_at_most_eight_statements_per_new_article(ops_db):
    tagged = [tag_page(page) for page in mixed_pages()]
    with session_scope(ops_db) as session:
        run_id = start_run(session, "mvd_kg")
    with counting_statements(ops_db) as count:
        results = store_batch(ops_db, [(article, run_id) for article in tagged])
    assert all(result.created for result in results)
    assert count.total <= NEW_ARTICLE * len(tagged), count.by_kind


def test_a_crawl_batch_of_stored_articles_costs_at_most_eight_statements_each(ops_db):
    tagged = [tag_page(page) for page in mixed_pages()]
    store_batch(ops_db, [(article, None) for article in tagged])
    with counting_statements(ops_db) as count:
        results = store_batch(ops_db, [(article, None) for article in tagged])
    assert not any(result.created for result in results)
    assert count.total <= STORED_ARTICLE * len(tagged), count.by_kind


def test_a_retag_batch_costs_at_most_three_statements_per_article(ops_db):
    store_pages(ops_db, mixed_pages())
    make_stale(ops_db)
    with counting_statements(ops_db) as count:
        report = retag(database_url=ops_db, workers=1, batch_size=30)
    assert (report.retagged, report.failed) == (30, 0)
    assert count.total <= RETAGGED_ARTICLE * 30, count.by_kind


def test_a_batch_stores_what_one_transaction_per_article_stores(tmp_path):
    """The batch refreshes its events and counts its run once, at its end: the rows are those of
    storing each article in a transaction of its own."""
    batch, single = (f"sqlite:///{tmp_path / name}.sqlite" for name in ("batch", "single"))
    for url in (batch, single):
        schema.upgrade(url)
        with session_scope(url) as session:
            sync_sources(session, load_sources())
    tagged = [tag_page(page) for page in mixed_pages()]
    store_batch(batch, [(article, None) for article in tagged])
    for article in tagged:
        with session_scope(single) as session:
            upsert_article(session, article)
    assert rows(batch) == rows(single)
    assert len(rows(batch)["events"]) < len(tagged)  # reposts share an event
    dispose_engines()


def reworded(page: PageInput) -> TaggedArticle:
    """The tagger after an extractor change: every other page's text comes out changed."""
    if page.html and int(hashlib.sha256(page.url.encode()).hexdigest(), 16) % 2:
        page = replace(page, html=page.html.replace("</p>", " Дополнение к сообщению.</p>", 1))
    return tag_page(page)


def test_a_retag_that_skips_unchanged_rows_writes_what_rewriting_them_all_writes(tmp_path, monkeypatch):
    known, rewritten = (f"sqlite:///{tmp_path / name}.sqlite" for name in ("known", "rewritten"))
    for url in (known, rewritten):
        schema.upgrade(url)
        with session_scope(url) as session:
            sync_sources(session, load_sources())
        store_pages(url, mixed_pages())
        make_stale(url)
    stale_keys = rows(known)["article_match_keys"]
    retag(database_url=known, workers=1, batch_size=8, tagger=reworded)
    assert rows(known)["article_match_keys"] != stale_keys  # texts changed, so did their keys
    monkeypatch.setattr(newsmon.retag, "knowing_stored_rows", lambda session, ids: nullcontext())
    retag(database_url=rewritten, workers=1, batch_size=8, tagger=reworded)
    assert rows(known) == rows(rewritten)
    dispose_engines()
