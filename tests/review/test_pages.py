"""The pages through the Flask test client: inbox filters, the event page, conflicts, escaping."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

import desk
from core.period import Period
from review.inbox import desk_period, desk_today
from review.text import external_link, highlight
from storage.db import session_scope
from storage.models import Event
from storage.repository import upsert_article
from tests.review.seed import XSS_STORY, tagged


def _rows(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr class="ev [^"]*" id="ev-(\d+)"', html)]


@pytest.fixture
def anna(client):
    client.login("anna")
    return client


def test_the_inbox_lists_the_period_grouped_into_events_with_irrelevant_hidden(anna, review_env):
    ev = review_env.events
    html = anna.get("/inbox?period=2025-01").get_data(as_text=True)
    rows = _rows(html)
    assert ev["kz_football"] not in rows and ev["kg_veterans"] not in rows
    assert len(rows) == len(set(ev.values())) - 2
    # The Kazakh version is one event with its Russian original, shown as a sub-line.
    assert ev["kokshetau"] == ev["kokshetau_kk"] and "Көкшетауда" in html
    every = _rows(anna.get("/inbox?period=2025-01&relevance=all").get_data(as_text=True))
    assert ev["kz_football"] in every
    below = _rows(anna.get("/inbox?period=2025-01&relevance=below").get_data(as_text=True))
    assert sorted(below) == sorted([ev["kz_football"], ev["kg_veterans"]])
    strict = _rows(anna.get("/inbox?period=2025-01&threshold=0.95").get_data(as_text=True))
    assert sorted(strict) == sorted([ev["tj_heroin"], ev["tj_heroin_repost"]])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=TJ", ["tj_school", "tj_heroin", "tj_heroin_repost"]),
        ("source=mvd_ru", ["ru_ryazan", "ru_perm"]),
        ("language=kk", ["kokshetau"]),
        ("topic=seizure_arrest", ["tj_heroin", "tj_heroin_repost", "kz_undated"]),
        ("q=ГЕРОИН", ["tj_heroin", "tj_heroin_repost"]),  # Unicode case-insensitive on SQLite too
        ("q=xn--b1aew", ["ru_ryazan", "ru_perm"]),
        ("q=100%25", []),  # LIKE wildcards are searched literally
    ],
)
def test_inbox_filters(anna, review_env, query, expected):
    rows = _rows(anna.get(f"/inbox?period=2025-01&{query}").get_data(as_text=True))
    assert sorted(rows) == sorted({review_env.events[key] for key in expected})


def test_status_filter_sorting_and_counts_per_country(anna, review_env):
    ev = review_env.events
    with session_scope(review_env.url) as s:
        for key in ("sko", "ulytau", "kg_quiz"):
            desk.accept(s, ev[key], actor="anna")
        desk.reject(s, ev["almaty_ads"], "duplicate", actor="anna")
    html = anna.get("/inbox?period=2025-01&status=accepted").get_data(as_text=True)
    assert sorted(_rows(html)) == sorted([ev["sko"], ev["ulytau"], ev["kg_quiz"]])
    assert "(Kazakhstan - 2, Kyrgyzstan - 1)" in html  # the release summary's numbers
    kz_row = re.search(r"KZ <span class=\"muted\">Kazakhstan</span></a></td>\s*(.*?)</tr>", html, re.S).group(
        1
    )
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", kz_row, re.S)]
    # accepted, new (shown + hidden by the relevance filter), rejected, total
    assert cells == ["2", "3 (+1 hidden)", "1", "7"]
    by_relevance = _rows(anna.get("/inbox?period=2025-01&sort=relevance").get_data(as_text=True))
    assert by_relevance[0] == ev["tj_heroin"]
    oldest = _rows(anna.get("/inbox?period=2025-01&sort=date_asc").get_data(as_text=True))
    assert oldest[0] == ev["tj_heroin"]


def test_pagination(anna, review_env, monkeypatch):
    from review import inbox

    monkeypatch.setattr(inbox, "PAGE_SIZE", 5)
    first = anna.get("/inbox?period=2025-01").get_data(as_text=True)
    second = anna.get("/inbox?period=2025-01&page=2").get_data(as_text=True)
    assert len(_rows(first)) == 5 and len(_rows(second)) == 5 and not set(_rows(first)) & set(_rows(second))
    assert 'id="next-page"' in first and "page 1 of 3" in first


def test_the_default_period_is_the_current_one_and_lists_periods_with_events(anna):
    html = anna.get("/inbox").get_data(as_text=True)
    assert "2025 #1 · 1-15.01.2025 (14)" in html.replace("&nbsp;", " ")


def test_the_default_period_turns_at_the_desks_midnight_not_the_servers():
    evening_in_utc = datetime(2025, 1, 15, 20, 0, tzinfo=UTC)  # 01:00 on the 16th in Almaty
    assert desk_today(evening_in_utc) == date(2025, 1, 16)
    assert desk_period(desk_today(evening_in_utc)) == Period(2025, 2)


def test_the_event_page_shows_the_audit_trail(anna, review_env):
    event_id = review_env.events["sko"]
    anna.post(
        f"/events/{event_id}/edit",
        {
            "version": "1",
            "headline_en": "WHAT THREATENS DRUG TRAFFICKERS",
            "text_en": "Information work is carried out.",
        },
    )
    anna.post(f"/events/{event_id}/status", {"version": "2", "status": "rejected", "reason": "duplicate"})
    html = anna.get(f"/events/{event_id}").get_data(as_text=True)
    trail = html[html.index("Audit trail") :]
    assert trail.index(">reject<") < trail.index(">edit<")  # newest first
    assert (
        "<del>accepted</del>" not in trail
        and "<ins>rejected</ins>" in trail
        and "<ins>duplicate</ins>" in trail
    )
    assert "<ins>WHAT THREATENS DRUG TRAFFICKERS</ins>" in trail
    assert trail.count("<td>anna</td>") == 2


def test_a_second_analyst_saving_a_stale_version_is_refused_and_keeps_their_text(app, review_env):
    from tests.review.conftest import Client

    event_id = review_env.events["sko"]
    anna, boris = Client(app), Client(app)
    anna.login("anna")
    boris.login("boris")
    # Both opened the event at version 1.
    assert 'name="version" value="1"' in anna.get(f"/events/{event_id}").get_data(as_text=True)
    assert 'name="version" value="1"' in boris.get(f"/events/{event_id}").get_data(as_text=True)
    saved = anna.post(
        f"/events/{event_id}/edit", {"version": "1", "headline_en": "ANNA'S HEADLINE", "text_en": ""}
    )
    assert saved.status_code == 302
    refused = boris.post(
        f"/events/{event_id}/edit", {"version": "1", "headline_en": "BORIS'S HEADLINE", "text_en": ""}
    )
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "someone else changed this event" in html and "changed by anna" in html
    assert ">BORIS&#39;S HEADLINE</textarea>" in html  # his text is still in the form
    assert 'name="version" value="2"' in html  # saving again would now knowingly replace hers
    with session_scope(review_env.url) as s:
        assert s.get(Event, event_id).headline_en == "ANNA'S HEADLINE"
    # Through the page's script (fetch), the conflict is a 409 with the message.
    stale = boris.post(
        f"/events/{event_id}/status",
        {"version": "1", "status": "accepted"},
        headers={"X-Requested-With": "fetch"},
    )
    assert stale.status_code == 409 and "changed by anna" in stale.get_json()["error"]


def test_status_changes_from_the_inbox_script_answer_json(anna, review_env):
    event_id = review_env.events["kg_quiz"]
    response = anna.post(
        f"/events/{event_id}/status",
        {"version": "1", "status": "accepted"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.get_json() == {
        "id": event_id,
        "status": "accepted",
        "reject_reason": None,
        "version": 2,
        "changed": True,
    }
    missing = anna.post(
        f"/events/{event_id}/status",
        {"version": "2", "status": "rejected"},
        headers={"X-Requested-With": "fetch"},
    )
    assert missing.status_code == 400 and "reason" in missing.get_json()["error"]


@pytest.mark.parametrize(
    "extra_query",
    ["", "&event_id=1"],
    ids=["plain", "a query key named like a URL parameter"],  # the latter was a 500 (url_for TypeError)
)
def test_accept_on_the_event_page_goes_on_to_the_next_event(anna, review_env, extra_query):
    ev = review_env.events
    html = anna.get(f"/events/{ev['ulytau']}?period=2025-01").get_data(as_text=True)
    following = int(re.search(r'/events/(\d+)\?period=2025-01" id="next-event"', html).group(1))
    response = anna.post(
        f"/events/{ev['ulytau']}/status?period=2025-01{extra_query}",
        {"version": "1", "status": "accepted", "advance": "1"},
    )
    assert response.headers["Location"] == f"/events/{following}?period=2025-01"


def test_merge_and_split_through_the_pages(anna, review_env):
    ev = review_env.events
    response = anna.post(
        f"/events/{ev['tj_heroin']}/merge",
        {"version": "1", "other": str(ev["tj_heroin_repost"]), "other_version": "1"},
    )
    assert response.status_code == 302
    old = anna.get(f"/events/{ev['tj_heroin_repost']}")
    assert old.status_code == 302 and old.headers["Location"].startswith(f"/events/{ev['tj_heroin']}")
    html = anna.get(f"/events/{ev['tj_heroin']}").get_data(as_text=True)
    assert html.count('class="art"') == 2
    article_id = int(re.findall(r"/articles/(\d+)/split", html)[-1])
    split = anna.post(f"/articles/{article_id}/split", {"version": "2"})
    assert split.status_code == 302
    new_id = int(re.search(r"/events/(\d+)", split.headers["Location"]).group(1))
    assert new_id not in ev.values()


def test_harvested_markup_is_escaped_in_the_html(anna, review_env):
    with session_scope(review_env.url) as s:
        event_id = upsert_article(s, tagged(XSS_STORY)).event_id
    html = anna.get(f"/events/{event_id}").get_data(as_text=True)
    assert "<script>window" not in html and "&lt;script&gt;" in html
    assert (
        "<img src=x" not in html and "&lt;img src=x <mark" in html
    )  # the evidence "onerror" is marked, escaped
    assert 'href="javascript:' not in html.lower() and 'href=" javascript' not in html.lower()
    assert "<iframe" not in html and "<svg" not in html
    inbox = anna.get("/inbox?period=2025-01").get_data(as_text=True)
    assert "<script>window" not in inbox and "&lt;script&gt;" in inbox


def test_highlight_escapes_first_then_marks():
    evidence = [
        {"term": "героин*", "match": "героина", "where": "text", "weight": 1.0},
        {"term": "amp", "match": "amp", "where": "text", "weight": 0.1},
        {"term": "x", "match": '"><b>', "where": "text", "weight": 0.1},
    ]
    out = str(highlight('5 кг Героина & <b>героина</b> amp "><b>', evidence))
    assert out == (
        '5 кг <mark title="героин* (1)">Героина</mark> &amp; &lt;b&gt;<mark title="героин* (1)">'
        'героина</mark>&lt;/b&gt; <mark title="amp (0.1)">amp</mark> '
        '<mark title="x (0.1)">&#34;&gt;&lt;b&gt;</mark>'
    )
    assert str(highlight("<i>plain</i>", None)) == "&lt;i&gt;plain&lt;/i&gt;"


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://polisia.kz/ru/x/", True),
        ("http://akn.tj/ru/news/1", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("https://ok.kz/\njavascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ('https://x.kz/" onmouseover="alert(1)', False),
        ("//evil.example/", False),
    ],
)
def test_only_http_links_become_links(url, linked):
    html = str(external_link(url))
    assert html.startswith("<a ") is linked
    if linked:
        assert 'rel="noopener noreferrer nofollow"' in html
    assert "<script>" not in html


def test_without_script_the_inbox_accept_button_returns_to_the_inbox(anna, review_env):
    event_id = review_env.events["kg_quiz"]
    response = anna.post(
        f"/events/{event_id}/status?period=2025-01&country=KG",
        {"version": "1", "status": "accepted", "back": "inbox"},
    )
    assert response.headers["Location"] == f"/inbox?period=2025-01&country=KG#ev-{event_id}"


def test_the_event_page_shows_the_models_probability_beside_the_evidence(anna, review_env):
    from sqlalchemy import update

    from storage.models import Article

    event_id = review_env.events["sko"]
    with session_scope(review_env.url) as session:
        session.execute(
            update(Article)
            .where(Article.event_id == event_id)
            .values(
                relevance_score=0.934,
                relevance_model="relevance-0123456789ab",
                relevance_lexicon_score=0.63,
                relevance_note="no relevance lexicon for 'bg': matched with the ru, en, common terms <b>",
            )
        )
    html = anna.get(f"/events/{event_id}").get_data(as_text=True)
    evidence = html[html.index('class="evidence"') :]
    assert "model probability 0.93" in evidence and "lexicon score 0.63" in evidence
    assert "relevance-0123456789ab" in evidence
    assert "no relevance lexicon for &#39;bg&#39;" in evidence and "common terms &lt;b&gt;" in evidence
