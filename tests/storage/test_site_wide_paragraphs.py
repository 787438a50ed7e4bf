"""A paragraph a source prints on every page is dropped from its articles, across runs (#18)."""

from __future__ import annotations

from sqlalchemy import select

from pipeline.cluster import content_hash
from storage.db import session_scope
from storage.models import Article
from storage.repository import upsert_article
from tests.factories import tagged_article

NOTICE = (
    "Уважаемые граждане! Сообщить о фактах незаконного оборота наркотиков можно круглосуточно и "
    "анонимно по телефону доверия 102."
)
STORIES = [
    "В Кокшетау полицейские задержали курьера с двенадцатью свертками мефедрона.",
    "В Павлодаре прошла акция «Скажи наркотикам нет» для студентов колледжей.",
    "В Караганде ликвидирована нарколаборатория в частном доме на окраине города.",
    "В Астане полицейские провели профилактическую беседу с учениками школы-лицея.",
    "В Шымкенте изъято два килограмма гашиша у приезжего из соседней области.",
    "В Актобе стражи порядка уничтожили очаги дикорастущей конопли у реки.",
]


def url(n: int) -> str:
    return f"https://polisia.kz/ru/story-{n}/"


def store(database: str, n: int, text: str, source_id: str = "polisia_kz") -> None:
    """One article, stored in its own transaction (one crawl run each)."""
    with session_scope(database) as session:
        upsert_article(session, tagged_article(url(n), text=text, source_id=source_id))


def texts(database: str) -> dict[str, str]:
    with session_scope(database) as session:
        return {a.canonical_url: a.text for a in session.scalars(select(Article))}


def test_a_notice_on_every_article_of_a_source_leaves_them_all_once_it_is_on_three(migrated_db) -> None:
    for n in range(2):
        store(migrated_db, n, f"{STORIES[n]}\n{NOTICE}")
    assert all(NOTICE in text for text in texts(migrated_db).values())  # two articles prove nothing yet
    store(migrated_db, 2, f"{STORIES[2]}\n{NOTICE}")
    stored = texts(migrated_db)
    assert sorted(stored.values()) == sorted(STORIES[:3])


def test_the_cleaned_text_gets_its_own_content_hash(migrated_db) -> None:
    for n in range(3):
        store(migrated_db, n, f"{STORIES[n]}\n{NOTICE}")
    with session_scope(migrated_db) as session:
        hashes = {a.text: a.content_hash for a in session.scalars(select(Article))}
    assert hashes == {story: content_hash(story) for story in STORIES[:3]}


def test_storing_one_article_again_does_not_count_it_twice(migrated_db) -> None:
    for _ in range(3):
        store(migrated_db, 0, f"{STORIES[0]}\n{NOTICE}")
    store(migrated_db, 1, f"{STORIES[1]}\n{NOTICE}")
    assert all(NOTICE in text for text in texts(migrated_db).values())


def test_a_paragraph_on_a_minority_of_a_sources_articles_is_its_own_text(migrated_db) -> None:
    for n, story in enumerate(STORIES):
        store(migrated_db, n, f"{story}\n{NOTICE}" if n < 3 else story)
    for n, story in enumerate(STORIES):
        store(migrated_db, 10 + n, story)
    store(migrated_db, 20, f"Ещё одна история о задержании в Таразе.\n{NOTICE}")
    assert f"Ещё одна история о задержании в Таразе.\n{NOTICE}" in texts(migrated_db).values()


def test_the_same_paragraph_on_another_sources_articles_is_counted_there(migrated_db) -> None:
    for n in range(2):
        store(migrated_db, n, f"{STORIES[n]}\n{NOTICE}")
    with session_scope(migrated_db) as session:
        upsert_article(
            session,
            tagged_article(
                "https://mvd.gov.kg/rus/news/1", text=f"{STORIES[2]}\n{NOTICE}", source_id="mvd_kg"
            ),
        )
    assert all(NOTICE in text for text in texts(migrated_db).values())
