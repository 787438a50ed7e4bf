"""What the inbox keeps between pages (the period menu, the filters' choices, the health banner)
is never older than the store: a change of the crawler or of an analyst shows on the next page."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import desk
from storage.db import session_scope
from storage.repository import upsert_article
from tests.review.seed import tagged
from tests.review.test_health import _failing_runs, _good_runs
from tests.review.test_merging import DECEMBER_HEROIN

MARCH_HEROIN = replace(
    DECEMBER_HEROIN,
    key="tj_heroin_march",
    url="https://khovar.tj/rus/2025/03/v-dusti-zaderzhan-kurer-s-geroinom/",
    published=datetime(2025, 3, 4, 9, tzinfo=UTC),
)


def _menu(html: str) -> str:
    return html.split('name="period" aria-label="Release period"')[1].split("</select>")[0]


def _languages(html: str) -> str:
    return html.split('name="language" aria-label="Language"')[1].split("</select>")[0]


def test_a_new_period_of_the_crawler_shows_in_the_period_menu_on_the_next_page(client, review_env):
    client.login("anna")
    assert 'value="2025-05"' not in _menu(client.get("/inbox?period=2025-01").get_data(as_text=True))
    with session_scope(review_env.url) as session:
        upsert_article(session, tagged(MARCH_HEROIN))
    assert 'value="2025-05"' in _menu(client.get("/inbox?period=2025-01").get_data(as_text=True))


def test_a_merge_changes_the_menus_counts_on_the_next_page(client, review_env):
    client.login("anna")
    assert "(14)" in _menu(client.get("/inbox?period=2025-01").get_data(as_text=True))
    with session_scope(review_env.url) as session:
        events = review_env.events
        desk.merge(session, events["tj_heroin"], events["tj_heroin_repost"], actor="anna")
    assert "(13)" in _menu(client.get("/inbox?period=2025-01").get_data(as_text=True))


def test_a_language_that_arrives_after_the_page_was_shown_is_offered_by_the_filter(client, review_env):
    client.login("anna")
    assert 'value="tg"' not in _languages(client.get("/inbox?period=2025-01").get_data(as_text=True))
    tajik = replace(DECEMBER_HEROIN, key="tj_tg", url="https://khovar.tj/tj/2025/01/qochoqbar/",
                    published=datetime(2025, 1, 10, 9, tzinfo=UTC), language="tg")
    with session_scope(review_env.url) as session:
        upsert_article(session, tagged(tajik))
    assert 'value="tg"' in _languages(client.get("/inbox?period=2025-01").get_data(as_text=True))


def test_a_source_failing_after_the_banner_was_shown_is_flagged_on_the_next_page(client, review_env):
    _good_runs(review_env.url)
    client.login("anna")
    assert 'class="health-alert"' not in client.get("/inbox?period=2025-01").get_data(as_text=True)
    _failing_runs(review_env.url, "mvd_kg")
    html = client.get("/inbox?period=2025-01").get_data(as_text=True)
    assert "<code>mvd_kg</code>" in html.split('class="health-alert"')[1].split("</div>")[0]
