"""Analysts see an event's facts, marked in the articles, and correct them; corrections are
audited and survive a recrawl; the machine's reading stays beside them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import desk
from core.facts import facts_from_json
from desk.facts import facts_from_form
from storage.db import session_scope
from storage.models import Event
from storage.repository import audit_trail
from tests.review.conftest import browser_login


def _event(url: str, event_id: int) -> Event:
    with session_scope(url) as s:
        event = s.get(Event, event_id)
        assert event is not None
        return event


def test_the_event_page_shows_the_facts_read_and_marks_them_in_the_text(client, review_env):
    client.login("anna")
    html = client.get(f"/events/{review_env.events['tj_heroin']}").get_data(as_text=True)
    assert re.search(r'<input type="checkbox" name="substance" value="heroin" checked>', html)
    assert "heroin 5000 g" in html
    assert '<mark title="fact: amount: heroin 5000 g">5 кг</mark>' in html


def test_corrected_facts_are_saved_as_the_analyst_s_and_audited(client, review_env):
    event_id = review_env.events["tj_heroin"]
    client.login("anna")
    version = _event(review_env.url, event_id).version
    form = {
        "version": str(version),
        "substance": "heroin",
        "quantities": "heroin 5.2 kg",
        "places": "район Дусти",
        "agency": "drug_control",
        "detained": "2",
    }
    assert client.post(f"/events/{event_id}/facts", form).status_code == 302
    event = _event(review_env.url, event_id)
    facts = facts_from_json(event.facts_override)
    assert (facts.detained, [q.grams for q in facts.quantities]) == (2, [5200.0])
    assert facts_from_json(event.facts).detained == 1  # the machine's reading is kept beside it
    with session_scope(review_env.url) as s:
        last = audit_trail(s, "event", event_id)[-1]
    assert last.actor == "anna" and "facts_override" in last.after


def test_an_amount_the_desk_cannot_read_is_refused_with_the_reason(client, review_env):
    event_id = review_env.events["tj_heroin"]
    client.login("anna")
    version = _event(review_env.url, event_id).version
    form = {"version": str(version), "quantities": "a lot of heroin"}
    response = client.post(f"/events/{event_id}/facts", form)
    assert response.status_code == 400
    assert "write &lt;substance&gt; &lt;number&gt; &lt;unit&gt;" in response.get_data(as_text=True)
    assert _event(review_env.url, event_id).facts_override is None


def test_back_to_the_machine_s_facts(review_env):
    event_id = review_env.events["tj_heroin"]
    with session_scope(review_env.url) as s:
        desk.edit(s, event_id, actor="anna", facts_override=facts_from_form({"detained": "7"}))
    with session_scope(review_env.url) as s:
        desk.edit(s, event_id, actor="anna", facts_override="")
    assert _event(review_env.url, event_id).facts_override is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("detained", "-1", "whole number"),
        ("substance", "sugar", "unknown sugar"),
        ("quantities", "heroin 5 buckets", "unknown unit"),
        ("quantities", "\n".join(["heroin 1 g"] * 51), "at most 50 lines"),
    ],
)
def test_the_facts_form_checks_every_field(field, value, message):
    with pytest.raises(desk.EditError, match=message):
        facts_from_form({field: value})


@pytest.mark.browser
@pytest.mark.slow
def test_an_analyst_corrects_the_facts_in_the_browser(page, live_server):
    env = live_server.env
    event_id = env.events["tj_heroin"]
    browser_login(page, "anna")
    page.goto(f"/events/{event_id}")
    expect(page.locator("mark", has_text="5 кг").first).to_be_visible()
    page.fill("#fact-detained", "3")
    page.fill("#fact-operation", "Канал")
    page.click("form#facts button[type=submit]:has-text('Save facts')")
    expect(page.locator(".flash, .flashes, [role=status]").first).to_contain_text("Facts saved")
    expect(page.locator("form#facts h3")).to_contain_text("(analyst)")
    facts = facts_from_json(_event(env.url, event_id).facts_override)
    assert (facts.detained, facts.operation.value if facts.operation else None) == (3, "Канал")
