"""Facts are stored per article, merged per event, and an analyst's correction survives a recrawl."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from core.facts import Facts, facts_from_json, facts_to_json, merge_facts
from pipeline.facts import extract_facts
from storage.db import session_scope
from storage.models import Article, Event
from storage.repository import upsert_article
from tests.factories import tagged_article

RU_TEXT = "Сотрудники УВД задержали двух мужчин и изъяли 3 кг 367 г гашиша. Дело по ст. 283 УК КР."
KY_TEXT = "Милиция кызматкерлери 3 кг 367 г гашиш кармады."


def test_facts_survive_their_stored_form() -> None:
    facts = extract_facts(RU_TEXT, language="ru", country="KG")
    assert facts_from_json(facts_to_json(facts)) == facts


def test_an_event_s_facts_name_each_substance_and_amount_once() -> None:
    merged = merge_facts([extract_facts(RU_TEXT, language="ru"), extract_facts(KY_TEXT, language="ky")])
    assert merged.substance_ids == ["hashish"]
    assert [(q.substance, q.grams) for q in merged.quantities] == [("hashish", 3367.0)]
    assert merged.detained == 2


def test_nothing_stated_merges_to_nothing() -> None:
    assert merge_facts([]) == Facts()


def test_a_relevant_article_s_facts_are_stored_and_become_its_event_s(migrated_db) -> None:
    article = replace(tagged_article(text=RU_TEXT), facts=extract_facts(RU_TEXT, language="ru", country="KG"))
    with session_scope(migrated_db) as session:
        upsert_article(session, article)
    with session_scope(migrated_db) as session:
        stored = session.scalars(select(Article)).one()
        event = session.scalars(select(Event)).one()
        assert facts_from_json(stored.facts).substance_ids == ["hashish"]
        assert facts_from_json(event.facts).detained == 2
        assert [m.value for m in facts_from_json(event.facts).legal_articles] == ["283 УК КР"]


def test_a_recrawl_refreshes_the_machine_s_facts_but_not_the_analyst_s(migrated_db) -> None:
    first = replace(tagged_article(text=RU_TEXT), facts=extract_facts(RU_TEXT, language="ru"))
    with session_scope(migrated_db) as session:
        upsert_article(session, first)
        event = session.scalars(select(Event)).one()
        event.facts_override = {"detained": 3}
    changed = replace(first, facts=replace(first.facts or Facts(), detained=4))
    with session_scope(migrated_db) as session:
        upsert_article(session, changed)
    with session_scope(migrated_db) as session:
        event = session.scalars(select(Event)).one()
        assert facts_from_json(event.facts).detained == 4
        assert event.facts_override == {"detained": 3}


def test_an_irrelevant_article_has_no_facts(migrated_db) -> None:
    with session_scope(migrated_db) as session:
        upsert_article(session, tagged_article(relevant=False))
    with session_scope(migrated_db) as session:
        assert session.scalars(select(Article.facts)).one() is None
        assert session.scalars(select(Event.facts)).one() is None

