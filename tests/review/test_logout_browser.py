"""Log-out in a real browser (Debian's chromium through Playwright): the session cookie copied
before it is refused after it, changes nothing and leaves no audit entry."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from review.sessions import SESSION_ID_COOKIE
from storage.db import session_scope
from storage.models import AuditEntry, Event
from tests.review.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_cookie_copied_before_log_out_is_refused_when_replayed(page, chromium, live_server):
    env = live_server.env
    event_id = env.events["sko"]
    browser_login(page, "anna")
    page.goto(f"/events/{event_id}")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    copied = page.context.cookies()
    assert SESSION_ID_COOKIE in {cookie["name"] for cookie in copied}
    with session_scope(env.url) as s:
        entries_before = s.query(AuditEntry).count()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator(".flash")).to_contain_text("Logged out anna")

    replay = chromium.new_context(base_url=live_server.base)
    try:
        replay.add_cookies(copied)
        refused = replay.request.post(
            f"/events/{event_id}/status",
            form={"csrf_token": token, "status": "rejected", "version": "1", "reason": "replayed"},
            max_redirects=0,
        )
        assert refused.status == 401
        stolen = replay.new_page()
        stolen.goto("/inbox?period=2025-01")
        expect(stolen).to_have_url(re.compile(r"/login\?next="))
    finally:
        replay.close()
    with session_scope(env.url) as s:
        event = s.get(Event, event_id)
        assert event.status == "new" and event.reject_reason is None
        assert s.query(AuditEntry).count() == entries_before
        assert s.query(AuditEntry).filter_by(entity_type="event", entity_id=str(event_id)).count() == 0
