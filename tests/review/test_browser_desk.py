"""The desk's safeguards in a real browser: the merge preview and its undo, bulk decisions in the
inbox, and a period frozen by its final release (see ``conftest.py`` for the live server)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import desk
from core.period import Period
from storage.db import session_scope
from storage.events import article_ids_of
from storage.models import Event
from storage.releases import find_release
from tests.review.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _event(env, event_id: int) -> Event:
    with session_scope(env.url) as s:
        event = s.get(Event, event_id)
        assert event is not None
        return event


def _ready(env, *keys: str) -> None:
    with session_scope(env.url) as s:
        for key in keys:
            event_id = env.events[key]
            desk.edit(
                s, event_id, actor="anna", headline_en=f"HEADLINE OF {key.upper()}", text_en=f"Text of {key}."
            )
            desk.accept(s, event_id, actor="anna")


def test_merge_shows_a_preview_then_undo_restores_the_merged_event(page, live_server):
    env = live_server.env
    target, source = env.events["tj_heroin"], env.events["tj_heroin_repost"]
    _ready(env, "tj_heroin", "tj_heroin_repost")
    browser_login(page, "anna")
    page.goto(f"/events/{target}?period=2025-01")
    page.keyboard.press("m")
    first = page.locator("#merge-other option").nth(1)
    expect(first).to_have_attribute("value", str(source))  # the most alike text comes first
    page.select_option("#merge-other", str(source))
    page.click("#merge button[type=submit]")

    expect(page.locator("h1")).to_have_text(f"Merge #{source} into #{target}?")
    expect(page.locator("#result-title")).to_have_text("HEADLINE OF TJ_HEROIN")
    expect(page.locator("#result-articles li")).to_have_count(2)
    page.check('input[name="title_from"][value="other"]')  # the preview reloads with the choice
    expect(page.locator("#result-title")).to_have_text("HEADLINE OF TJ_HEROIN_REPOST")
    page.check('input[name="title_from"][value="target"]')
    expect(page.locator("#result-title")).to_have_text("HEADLINE OF TJ_HEROIN")
    assert _event(env, source) is not None  # nothing merged yet

    page.click("#confirm-merge button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text(f"Event #{source} merged into #{target}.")
    expect(page.locator("article.art")).to_have_count(2)
    expect(page.locator("h1")).to_contain_text("HEADLINE OF TJ_HEROIN")

    page.click("#merges button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text(f"Merge undone: event #{source} is back")
    expect(page).to_have_url(re.compile(rf"/events/{source}\b"))
    expect(page.locator("article.art")).to_have_count(1)
    restored = _event(env, source)
    assert (restored.headline_en, restored.status) == ("HEADLINE OF TJ_HEROIN_REPOST", "accepted")
    with session_scope(env.url) as s:
        assert len(article_ids_of(s, target)) == 1 and len(article_ids_of(s, source)) == 1
    assert not page.script_errors


def test_bulk_reject_the_ticked_events_with_a_reason(page, live_server):
    env = live_server.env
    ev = env.events
    browser_login(page, "anna")
    page.goto("/inbox?period=2025-01&country=KZ")
    ticked = [ev["sko"], ev["akmola"], ev["ulytau"]]
    for event_id in ticked[:2]:
        page.check(f"#ev-{event_id} input.bulk-pick")
    page.click(f"#ev-{ticked[2]} td.date")  # select the row, then tick it with the keyboard
    page.keyboard.press("x")
    expect(page.locator("#bulk-count")).to_have_text("3 selected")
    with session_scope(env.url) as s:  # a colleague edits one of them meanwhile
        desk.edit(s, ev["ulytau"], actor="boris", headline_en="BORIS EDITED THIS ONE")
    page.select_option("#bulk-reason-preset", "too minor")
    page.click("#bulk-reject")
    expect(page.locator(".flash.error")).to_have_text(
        f"2 rejected, 1 skipped: changed by someone else (#{ev['ulytau']})."
    )
    for event_id in ticked[:2]:
        expect(page.locator(f"#ev-{event_id} .reason")).to_have_text("rejected: too minor")
        assert _event(env, event_id).reject_reason == "too minor"
    assert _event(env, ev["ulytau"]).status == "new"
    assert not page.script_errors


def test_a_final_build_freezes_the_period_until_an_editor_reopens_it(page, live_server):
    env = live_server.env
    sko = env.events["sko"]
    _ready(env, "sko", "kg_quiz")
    browser_login(page, "erik")
    page.goto("/release?period=2025-01")
    page.uncheck('#build input[value="pdf"]')
    page.uncheck('#build input[value="docx"]')
    page.check('#build input[value="md"]')
    page.click("#build button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("Built information-release-2025-01-en.md")
    expect(page.locator("#frozen")).to_contain_text("The period is frozen")

    page.goto(f"/events/{sko}?period=2025-01")
    expect(page.locator("#frozen")).to_contain_text("frozen")
    page.fill("#headline_en", "A LATE CHANGE")
    page.click("#edit button[type=submit]")
    expect(page.locator(".flash.error")).to_contain_text("is frozen")
    expect(page.locator("#headline_en")).to_have_value("A LATE CHANGE")  # the typed text is kept
    assert _event(env, sko).headline_en == "HEADLINE OF SKO"

    page.goto("/release?period=2025-01")
    page.fill("#reopen-reason", "a late correction")
    page.click("#reopen-form button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("reopened")
    page.goto(f"/events/{sko}?period=2025-01")
    expect(page.locator("#frozen")).to_have_count(0)
    page.fill("#headline_en", "A LATE CHANGE")
    page.click("#edit button[type=submit]")
    expect(page.locator(".flash.ok")).to_have_text("Saved.")

    page.goto("/release?period=2025-01")
    expect(page.locator("#release-status")).to_contain_text("stale: 1 event changed after the build")
    expect(page.locator("#files .stale")).to_contain_text("stale")
    expect(page.locator("table.audit")).to_contain_text("reopen")
    with session_scope(env.url) as s:
        assert find_release(s, Period(2025, 1)).frozen_at is None
    assert not page.script_errors
