"""The merge candidates' kept texts and figures follow the store: a new event or a re-crawled
text is ranked on the next event page, and the figures are the similarity itself."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import desk
from desk.similarity import ProfileMatrix
from pipeline.cluster import profile_similarity, text_profile
from storage.db import session_scope
from storage.models import Event
from storage.repository import upsert_article
from tests.review.seed import tagged
from tests.review.test_merging import DECEMBER_HEROIN


def _ranked(url: str, event_id: int) -> dict[int, float]:
    with session_scope(url) as s:
        return {c.event.id: c.similarity for c in desk.merge_candidates(s, s.get(Event, event_id))}


def test_a_new_event_of_a_nearby_period_is_ranked_on_the_next_page(review_env):
    target = review_env.events["tj_heroin"]
    before = _ranked(review_env.url, target)
    later = replace(DECEMBER_HEROIN, key="tj_heroin_later", url="https://khovar.tj/rus/2025/01/kurer-20/",
                    published=datetime(2025, 1, 20, 9, tzinfo=UTC))
    with session_scope(review_env.url) as s:
        new_event = upsert_article(s, tagged(later)).event_id
    after = _ranked(review_env.url, target)
    assert new_event not in before and new_event in after


def test_a_text_rewritten_by_a_recrawl_is_ranked_by_its_new_text(review_env):
    target = review_env.events["tj_heroin"]
    with session_scope(review_env.url) as s:
        december = upsert_article(s, tagged(DECEMBER_HEROIN)).event_id
    before = _ranked(review_env.url, target)
    rewritten = replace(DECEMBER_HEROIN, title="Праздник урожая в Худжанде",
                        text="В Худжанде прошёл праздник урожая: ярмарка, концерт и конкурс поваров.")
    with session_scope(review_env.url) as s:
        event_id = upsert_article(s, tagged(rewritten)).event_id
    after = _ranked(review_env.url, target)
    assert after.get(event_id, 0.0) < before[december]


def test_the_figures_of_a_period_are_the_texts_profile_similarity():
    texts = ["", "Изъято пять килограммов героина", "Изъято пять килограммов гашиша в Душанбе",
             "Праздник урожая в Худжанде", "героина героина изъято"]
    profiles = {i + 1: text_profile(text) for i, text in enumerate(texts)}
    matrix = ProfileMatrix.of(profiles)
    for own in profiles.values():
        assert matrix.similarities(own) == {i: profile_similarity(own, p) for i, p in profiles.items()}
