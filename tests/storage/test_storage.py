"""The storage layer, on SQLite and on the running PostgreSQL alike."""

from __future__ import annotations

import multiprocessing
import random
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, inspect, select

from config import load_sources
from core.story import LSH_BANDS, band_keys
from core.urls import InvalidURL
from pipeline.cluster import minhash_signature
from storage import schema
from storage.clustering import candidate_ids
from storage.db import DatabaseUnavailable, check_connection, get_engine, session_scope
from storage.models import Article, ArticleMatchKey, CrawlRun, Event
from storage.repository import (
    decompress_html,
    finish_run,
    known_canonical_urls,
    record_error,
    start_run,
    sync_sources,
    upsert_article,
)
from tests.factories import tagged_article
from tests.storage.concurrent_writer import ARTICLES_PER_WRITER, write_all

KOKSHETAU = "https://polisia.kz/ru/antinarkoticheskaya-aksiya-schast-e-v-melochah-proshla-v-kokshetau/"


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_migrations_create_every_table(migrated_db):
    tables = set(inspect(get_engine(migrated_db)).get_table_names())
    assert {"sources", "crawl_runs", "articles", "events", "releases", "audit_log", "users"} <= tables
    assert schema.is_up_to_date(migrated_db)


def test_storing_an_article_twice_keeps_one_row(migrated_db):
    with session_scope(migrated_db) as session:
        first = upsert_article(session, tagged_article())
    with session_scope(migrated_db) as session:
        second = upsert_article(session, tagged_article())
        assert _count(session, Article) == 1
        assert _count(session, Event) == 1
    assert first.created and not second.created
    assert first.article_id == second.article_id and first.event_id == second.event_id


def test_unicode_and_punycode_spellings_are_one_article(migrated_db):
    with session_scope(migrated_db) as session:
        upsert_article(
            session, tagged_article("https://мвд.рф/news/item/59736803/", source_id="mvd_ru", country="RU")
        )
        result = upsert_article(
            session,
            tagged_article("https://xn--b1aew.xn--p1ai/news/item/59736803", source_id="mvd_ru", country="RU"),
        )
        assert not result.created
        assert _count(session, Article) == 1
        stored = session.scalar(select(Article))
        assert stored.canonical_url == "https://xn--b1aew.xn--p1ai/news/item/59736803"


def test_a_recrawl_refreshes_machine_tags_but_keeps_the_analysts_edits(migrated_db):
    with session_scope(migrated_db) as session:
        event_id = upsert_article(session, tagged_article()).event_id
    with session_scope(migrated_db) as session:
        event = session.get(Event, event_id)
        event.status = "accepted"
        event.headline_en = "ANTI-DRUG CAMPAIGN HELD IN KOKSHETAU"
        event.text_en = "The event was initiated by officers of the regional police department."
        event.country_override = "KG"
        event.position = 3
    with session_scope(migrated_db) as session:
        upsert_article(
            session, tagged_article(text="Обновлённый текст о наркопреступности и акции.", country="KZ")
        )
    with session_scope(migrated_db) as session:
        event = session.get(Event, event_id)
        article = session.scalar(select(Article))
        assert article.text == "Обновлённый текст о наркопреступности и акции."
        assert (event.status, event.headline_en, event.country_override, event.position) == (
            "accepted", "ANTI-DRUG CAMPAIGN HELD IN KOKSHETAU", "KG", 3,
        )
        assert event.text_en.startswith("The event was initiated")
        assert event.country == "KZ" and event.section_country == "KG"


def test_raw_html_is_kept_compressed_and_comes_back_intact(migrated_db):
    html = "<html><body><p>Наркотики — зло. №3 «кавычки»</p>" + "<p>повтор</p>" * 500 + "</body></html>"
    with session_scope(migrated_db) as session:
        upsert_article(session, tagged_article(html=html))
    with session_scope(migrated_db) as session:
        article = session.scalar(select(Article))
        assert len(article.raw_html_z) < len(html.encode()) / 5
        assert decompress_html(article.raw_html_z) == html


def test_published_dates_come_back_timezone_aware(migrated_db):
    published = datetime(2025, 1, 15, 19, 30, tzinfo=UTC)
    with session_scope(migrated_db) as session:
        upsert_article(session, tagged_article(published=published))
    with session_scope(migrated_db) as session:
        assert session.scalar(select(Article.published_at)) == published


def test_language_versions_linked_by_hreflang_are_one_event(migrated_db):
    russian = "https://mvd.gov.kg/rus/news/4052"
    kyrgyz = "https://mvd.gov.kg/kyr/news/4052"
    with session_scope(migrated_db) as session:
        first = upsert_article(session, tagged_article(
            russian, source_id="mvd_kg", country="KG", alternates={"ky": kyrgyz},
            text="МВД провело викторину по профилактике наркомании среди молодёжи."))
        second = upsert_article(session, tagged_article(
            kyrgyz, source_id="mvd_kg", country="KG", language="ky", alternates={"ru": russian},
            text="ИИМ жаштар арасында баңгизаттын алдын алуу боюнча викторина өткөрдү."))
        assert first.event_id == second.event_id
        assert _count(session, Event) == 1


def test_unrelated_articles_are_separate_events(migrated_db):
    with session_scope(migrated_db) as session:
        first = upsert_article(
            session, tagged_article("https://akn.tj/ru/2025/01/10/a/", text="Изъято 5 кг героина.")
        )
        second = upsert_article(
            session, tagged_article("https://akn.tj/ru/2025/01/11/b/", text="Прошёл турнир по футболу.")
        )
        assert first.event_id != second.event_id


def test_known_urls_are_reported_canonically(migrated_db):
    with session_scope(migrated_db) as session:
        upsert_article(session, tagged_article(KOKSHETAU))
        known = known_canonical_urls(session, [
            "https://polisia.kz/ru/antinarkoticheskaya-aksiya-schast-e-v-melochah-proshla-v-kokshetau",
            "https://polisia.kz/ru/unknown",
        ])
    assert known == {"https://polisia.kz/ru/antinarkoticheskaya-aksiya-schast-e-v-melochah-proshla-v-kokshetau"}


def test_crawl_runs_count_errors_by_kind(migrated_db):
    with session_scope(migrated_db) as session:
        sync_sources(session, load_sources())
        run_id = start_run(session, "mvd_kg", options={"since": "2025-01-01"})
    with session_scope(migrated_db) as session:
        record_error(session, run_id, "http_404", "https://mvd.gov.kg/rus/news/4050", "404 Not Found")
        record_error(session, run_id, "http_404", "https://mvd.gov.kg/rus/news/4049")
        record_error(session, run_id, "timeout", "https://mvd.gov.kg/rus/news/4048")
        upsert_article(
            session, tagged_article("https://mvd.gov.kg/rus/news/4052", source_id="mvd_kg"), run_id
        )
        finish_run(session, run_id, status="finished")
    with session_scope(migrated_db) as session:
        run = session.get(CrawlRun, run_id)
        assert (run.status, run.errors, run.articles_new) == ("finished", 3, 1)
        assert run.errors_by_kind == {"http_404": 2, "timeout": 1}
        assert run.error_samples[0]["url"] == "https://mvd.gov.kg/rus/news/4050"
        assert run.finished_at is not None and run.finished_at >= run.started_at


def test_syncing_sources_twice_keeps_one_row_per_source(migrated_db):
    with session_scope(migrated_db) as session:
        sync_sources(session, load_sources())
        sync_sources(session, load_sources())
    with session_scope(migrated_db) as session:
        from storage.models import Source

        assert sorted(session.scalars(select(Source.id))) == sorted(s.id for s in load_sources().sources)


def test_an_unreachable_database_is_a_clear_error():
    with pytest.raises(DatabaseUnavailable, match=r"cannot use the database postgresql\+psycopg://nobody@127\.0\.0\.1:1/x"):
        check_connection("postgresql+psycopg://nobody@127.0.0.1:1/x")


def test_a_password_never_appears_in_the_error():
    with pytest.raises(DatabaseUnavailable) as error:
        check_connection("postgresql+psycopg://nobody:s3cret@127.0.0.1:1/x")
    assert "s3cret" not in str(error.value)


# --- two processes writing the same articles at once ----------------------------------------

def test_two_processes_storing_the_same_articles_at_once_end_with_one_row_each(migrated_db):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    writers = [context.Process(target=write_all, args=(migrated_db, seed, barrier)) for seed in (1, 2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=240)
    assert [writer.exitcode for writer in writers] == [0, 0]
    with session_scope(migrated_db) as session:
        assert _count(session, Article) == ARTICLES_PER_WRITER
        assert session.scalar(select(func.count()).where(Article.event_id.is_(None))) == 0
        event_ids = set(session.scalars(select(Article.event_id)))
        assert _count(session, Event) == len(event_ids) == ARTICLES_PER_WRITER


@pytest.mark.postgres
def test_two_transactions_storing_several_articles_with_one_in_common_do_not_deadlock(postgres_url):
    """A crawl process stores a batch of articles in one transaction. Batch A holds the clustering
    lock after its first article when batch B inserts the article both hold; if A could then reach
    that article while B waits for the lock, each would wait for the other."""
    schema.upgrade(postgres_url)
    with session_scope(postgres_url) as session:
        sync_sources(session, load_sources())
    shared = tagged_article("https://polisia.kz/ru/shared-story/", text=_unrelated_text(10))
    first_of_a = tagged_article("https://polisia.kz/ru/story-a/", text=_unrelated_text(11))
    a_started, failures = threading.Event(), []

    def batch_a() -> None:
        try:
            with session_scope(postgres_url) as session:
                upsert_article(session, first_of_a)
                a_started.set()
                time.sleep(1.0)  # B inserts the shared article meanwhile, or waits for the lock
                upsert_article(session, shared)
        except Exception as exc:  # a deadlock PostgreSQL broke
            failures.append(exc)
            a_started.set()

    def batch_b() -> None:
        a_started.wait(10)
        try:
            with session_scope(postgres_url) as session:
                upsert_article(session, shared)
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=batch_a), threading.Thread(target=batch_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    with session_scope(postgres_url) as session:
        assert sorted(session.scalars(select(Article.url))) == sorted([first_of_a.page.url, shared.page.url])
        assert session.scalar(select(func.count()).where(Article.event_id.is_(None))) == 0


def test_the_migrations_describe_exactly_the_models(migrated_db):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.models import Base

    with get_engine(migrated_db).connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_object": lambda obj, name, kind, reflected, other: name != "apscheduler_jobs"},
        )
        assert compare_metadata(context, Base.metadata) == []


# --- clustering candidates by key --------------------------------------------------------------


def _unrelated_text(number: int) -> str:
    """A text sharing no three-word run with another number's (words drawn from a large pool)."""
    words = [f"слово{n}" for n in range(3000)]
    return " ".join(random.Random(number).sample(words, 60))


def _with_signature(tagged):
    return replace(tagged, minhash=minhash_signature(tagged.text))


def _keys_of(session, article_id: int) -> set[int]:
    return set(session.scalars(select(ArticleMatchKey.key).where(ArticleMatchKey.article_id == article_id)))


def test_a_new_article_is_compared_only_with_articles_sharing_a_key(migrated_db):
    with session_scope(migrated_db) as session:
        stored = [
            upsert_article(session, _with_signature(tagged_article(
                f"https://akn.tj/ru/2025/01/10/item-{n}/", text=_unrelated_text(n))))
            for n in range(30)
        ]
        repost = upsert_article(session, _with_signature(tagged_article(
            "https://polisia.kz/ru/repost-of-item-7/",
            text="Сообщают коллеги: " + _unrelated_text(7) + " Фото пресс-службы.")))
        article = session.get(Article, repost.article_id)
        assert candidate_ids(session, article) == [stored[7].article_id]
        assert repost.event_id == stored[7].event_id
        assert _count(session, Event) == 30


def test_a_page_named_as_an_alternate_joins_the_event_of_the_page_naming_it_days_later(migrated_db):
    kazakh = "https://polisia.kz/kk/narkokurier/"
    russian = "https://polisia.kz/ru/narkokurier/"
    with session_scope(migrated_db) as session:
        first = upsert_article(session, tagged_article(
            kazakh, language="kk", alternates={"ru": russian},
            text="Есірткі курьері ұсталды, полиция хабарлады."))
        second = upsert_article(session, tagged_article(
            russian, published=datetime(2025, 1, 16, 9, 0, tzinfo=UTC),
            text="Задержан наркокурьер, сообщила полиция."))
        assert second.event_id == first.event_id


def test_storing_an_article_again_replaces_its_match_keys(migrated_db):
    url = "https://akn.tj/ru/2025/01/10/changed/"
    with session_scope(migrated_db) as session:
        first = upsert_article(session, _with_signature(tagged_article(url, text=_unrelated_text(1))))
        before = _keys_of(session, first.article_id)
        assert before == band_keys(minhash_signature(_unrelated_text(1)))
        upsert_article(session, _with_signature(tagged_article(url, text=_unrelated_text(2))))
        assert _keys_of(session, first.article_id) == band_keys(minhash_signature(_unrelated_text(2)))


def test_upgrading_a_database_files_its_stored_articles_under_their_keys(migrated_db):
    with session_scope(migrated_db) as session:
        ids = [
            upsert_article(session, _with_signature(tagged_article(
                f"https://mvd.gov.kg/rus/news/{n}", source_id="mvd_kg",
                alternates={"ky": f"https://mvd.gov.kg/kyr/news/{n}"}, text=_unrelated_text(n)))).article_id
            for n in range(3)
        ]
        filed = {article_id: _keys_of(session, article_id) for article_id in ids}
    schema.downgrade(migrated_db, "0002_jobstore")
    schema.upgrade(migrated_db)
    with session_scope(migrated_db) as session:
        assert {article_id: _keys_of(session, article_id) for article_id in ids} == filed
        assert all(len(keys) == LSH_BANDS + 1 for keys in filed.values())


def test_candidates_are_read_in_batches_and_a_match_in_a_later_batch_is_found(migrated_db, monkeypatch):
    monkeypatch.setattr("storage.clustering.CANDIDATE_BATCH", 1)
    text = _unrelated_text(5)

    def version(n: int, language: str):
        tagged = _with_signature(
            tagged_article(f"https://akn.tj/{language}/2025/01/10/item-{n}/", language=language, text=text)
        )
        return replace(tagged, content_hash=f"{n:064x}")  # one text, told apart only by language

    with session_scope(migrated_db) as session:
        kazakh = upsert_article(session, version(1, "kk"))
        kyrgyz = upsert_article(session, version(2, "ky"))
        russian = upsert_article(session, version(3, "ru"))
        repost = upsert_article(session, version(4, "ru"))
        assert len({kazakh.event_id, kyrgyz.event_id, russian.event_id}) == 3
        assert candidate_ids(session, session.get(Article, repost.article_id)) == [
            kazakh.article_id, kyrgyz.article_id, russian.article_id]
        assert repost.event_id == russian.event_id


def test_an_article_whose_url_is_not_http_is_never_stored(migrated_db) -> None:
    article = tagged_article()
    unsafe = replace(article, page=replace(article.page, url="javascript:alert(1)"))
    with pytest.raises(InvalidURL), session_scope(migrated_db) as session:
        upsert_article(session, unsafe)
    with session_scope(migrated_db) as session:
        assert session.scalars(select(Article)).all() == []
