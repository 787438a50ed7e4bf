"""The review UI in a real browser: Debian's chromium through Playwright, against a live server.

See ``conftest.py``: the server is the app on a free port of 127.0.0.1 in a thread of this
process, over a fresh migrated SQLite database seeded with the stories of release #1 2025.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from playwright.sync_api import expect

import desk
from core.period import Period
from storage.db import session_scope
from storage.models import Event, Release
from storage.repository import audit_trail, upsert_article
from tests.review.conftest import browser_login
from tests.review.seed import XSS_STORY, tagged

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _event(env, event_id: int) -> Event:
    with session_scope(env.url) as s:
        event = s.get(Event, event_id)
        assert event is not None
        return event


def test_log_in_filter_the_inbox_and_decide_with_the_keyboard(page, live_server):
    env = live_server.env
    page.goto("/inbox?period=2025-01")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    browser_login(page, "anna")
    page.goto("/inbox?period=2025-01")

    page.select_option('select[name="country"]', "TJ")
    page.click('form#filters button[type="submit"]')
    expect(page).to_have_url(re.compile(r"country=TJ"))
    rows = page.locator("tr.ev")
    expect(rows).to_have_count(3)
    ids = [int(i) for i in rows.evaluate_all("rows => rows.map(r => r.dataset.id)")]
    assert sorted(ids) == sorted({env.events[k] for k in ("tj_school", "tj_heroin", "tj_heroin_repost")})

    # The first row is selected on load; j moves down, k back up.
    expect(rows.nth(0)).to_have_class(re.compile(r"\bsel\b"))
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bsel\b"))
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bsel\b"))

    # a: accept the selected event in place; the selection moves on to the next one.
    page.keyboard.press("a")
    expect(rows.nth(0).locator(".badge")).to_have_text("accepted")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bsel\b"))

    # r: the reject dialog; 2 picks the second reason, Enter rejects.
    page.keyboard.press("r")
    dialog = page.locator("#reject-dialog")
    expect(dialog).to_be_visible()
    page.keyboard.press("2")
    expect(page.locator("#reject-reason")).to_have_value("duplicate")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(rows.nth(1).locator(".badge")).to_have_text("rejected")
    expect(rows.nth(1).locator(".reason")).to_have_text("rejected: duplicate")
    expect(rows.nth(2)).to_have_class(re.compile(r"\bsel\b"))

    # r then Escape: nothing happens.
    page.keyboard.press("r")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(rows.nth(2).locator(".badge")).to_have_text("new")

    first, second = _event(env, ids[0]), _event(env, ids[1])
    assert (first.status, first.reviewed_by, first.version) == ("accepted", "anna", 2)
    assert (second.status, second.reject_reason) == ("rejected", "duplicate")

    # ? shows the shortcuts.
    page.keyboard.press("?")
    expect(page.locator("#help-dialog")).to_be_visible()
    page.keyboard.press("Escape")

    # u resets; the inbox is reloaded with the same filter and the counts follow.
    page.keyboard.press("k")
    page.keyboard.press("u")
    expect(rows.nth(1).locator(".badge")).to_have_text("new")
    page.reload()
    expect(page.locator("table.counts tr.on td").nth(1)).to_have_text("1")  # TJ accepted
    assert page.script_errors == []


def test_a_key_pressed_as_a_dialog_closes_goes_to_the_page_not_to_the_dialog_field(page, live_server):
    """Chromium takes the focus off a field of a closed dialog only at its next layout pass; a
    key pressed before that is aimed at the hidden field and used to be swallowed (seen in CI:
    ``?`` right after Escape closed the reject dialog showed no help)."""
    browser_login(page, "anna")
    page.goto("/inbox?period=2025-01")
    page.keyboard.press("r")
    expect(page.locator("#reject-dialog")).to_be_visible()
    page.evaluate(
        """() => {
            const field = document.querySelector("#reject-reason");
            document.querySelector("#reject-dialog").close();
            field.dispatchEvent(new KeyboardEvent("keydown", { key: "?", bubbles: true, cancelable: true }));
        }"""
    )
    expect(page.locator("#help-dialog")).to_be_visible()
    expect(page.locator("#reject-reason")).not_to_be_focused()
    assert page.script_errors == []


def test_edit_and_save_a_translation_then_accept_and_move_on(page, live_server):
    env = live_server.env
    event_id = env.events["sko"]
    browser_login(page, "anna")
    page.goto(f"/inbox?period=2025-01#ev-{event_id}")
    expect(page.locator(f"#ev-{event_id}")).to_have_class(re.compile(r"\bsel\b"))
    page.keyboard.press("e")  # from the inbox: open the selected event in the editor
    page.wait_for_url(re.compile(rf"/events/{event_id}\?.*#write$"))
    expect(page.locator("#headline_en")).to_be_focused()
    page.keyboard.type(
        "What threatens drug traffickers: police officers in SKO explain changes in legislation"
    )
    page.fill(
        "#text_en",
        "Information work is carried out by law enforcement officers.\nCriminal liability for "
        "trafficking in precursors is also introduced.",
    )
    page.select_option("#topic_override", "legislation")
    page.fill("#published_override", "2025-01-11")
    page.locator("#text_en").press("Control+Enter")
    expect(page.locator(".flash.ok")).to_have_text("Saved.")
    expect(page.locator("#headline_en")).to_have_value(
        "What threatens drug traffickers: police officers in SKO explain changes in legislation"
    )
    expect(page.locator("h1")).to_contain_text("What threatens drug traffickers")
    trail = page.locator("table.audit")
    expect(trail).to_contain_text("anna")
    expect(trail.locator("ins").first).to_contain_text("What threatens drug traffickers")
    saved = _event(env, event_id)
    assert saved.text_en.endswith("precursors is also introduced.") and saved.version == 2
    assert (saved.topic_override, str(saved.published_override)) == ("legislation", "2025-01-11")
    expect(page.locator(".evhead dl.meta")).to_contain_text("11.01.2025 (analyst)")

    following = page.locator("#next-event").get_attribute("href")
    page.keyboard.press("a")
    page.wait_for_url(re.compile(re.escape(following.split("?")[0])))
    expect(page.locator(".flash.ok")).to_have_text(f"Event #{event_id} accepted.")
    page.keyboard.press("k")
    page.wait_for_url(re.compile(rf"/events/{event_id}\?"))
    expect(page.locator(".evhead .badge")).to_have_text("accepted")
    assert _event(env, event_id).status == "accepted"
    assert page.script_errors == []


def test_a_concurrent_edit_in_another_browser_is_refused_with_a_clear_message(page, chromium, live_server):
    env = live_server.env
    event_id = env.events["ulytau"]
    browser_login(page, "anna")
    page.goto(f"/events/{event_id}")
    other = chromium.new_context(base_url=live_server.base)
    try:
        boris = other.new_page()
        browser_login(boris, "boris")
        boris.goto(f"/events/{event_id}")
        boris.fill("#headline_en", "BORIS WAS FIRST")
        boris.click("#edit button[type=submit]")
        expect(boris.locator(".flash.ok")).to_have_text("Saved.")
    finally:
        other.close()
    page.fill("#headline_en", "ANNA WAS SECOND")
    page.click("#edit button[type=submit]")
    expect(page.locator("#conflict")).to_contain_text("changed by boris")
    expect(page.locator("#conflict")).to_contain_text("BORIS WAS FIRST")
    expect(page.locator("#headline_en")).to_have_value("ANNA WAS SECOND")
    assert _event(env, event_id).headline_en == "BORIS WAS FIRST"


def test_merge_two_events(page, live_server):
    env = live_server.env
    target, source = env.events["tj_heroin"], env.events["tj_heroin_repost"]
    browser_login(page, "anna")
    page.goto(f"/events/{target}?period=2025-01")
    expect(page.locator("article.art")).to_have_count(1)
    page.keyboard.press("m")
    expect(page.locator("#merge-other")).to_be_focused()
    page.select_option("#merge-other", str(source))
    page.click("#merge button[type=submit]")
    expect(page.locator("#merge-preview")).to_be_visible()
    page.click("#confirm-merge button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text(f"Event #{source} merged into #{target}.")
    expect(page.locator("article.art")).to_have_count(2)
    expect(page.locator("table.audit")).to_contain_text("merge")
    page.goto(f"/events/{source}")
    expect(page).to_have_url(re.compile(rf"/events/{target}$"))
    expect(page.locator(".flash.info")).to_contain_text(f"Event #{source} was merged into #{target}.")


def test_build_a_release_and_download_it(page, live_server, tmp_path):
    env = live_server.env
    ev = env.events
    with session_scope(env.url) as s:
        for key in ("kokshetau", "sko", "almaty_ads", "kg_quiz", "tj_heroin"):
            desk.edit(
                s, ev[key], actor="anna", headline_en=f"Headline of {key}", text_en=f"Text of {key}."
            )
            desk.accept(s, ev[key], actor="anna")
    browser_login(page, "erik")
    page.click("header.top >> text=Release")
    page.goto("/release?period=2025-01")
    expect(page.locator("p.summary").first).to_contain_text(
        "covered 5 events in the counter-narcotics sphere (Kazakhstan - 3, Kyrgyzstan - 1, Tajikistan - 1)"
    )

    # Reorder: the last Kazakh event moves to the top of its section.
    kz = page.locator("#section-kz li")
    expect(kz).to_have_count(3)
    kz.nth(2).locator('button[data-move="up"]').click()
    kz.nth(1).locator('button[data-move="up"]').click()
    expect(kz.nth(0)).to_contain_text("HEADLINE OF ALMATY_ADS")
    with session_scope(env.url) as s:
        assert [e.id for e in desk.section_events(s, Period(2025, 1), "KZ")] == [
            ev["almaty_ads"],
            ev["kokshetau"],
            ev["sko"],
        ]

    page.fill(
        'textarea[name="summary_en"]', "In the first half of January 2025 the media covered *five* events."
    )
    page.click("#texts button[type=submit]")
    expect(page.locator(".flash.ok")).to_have_text("Release texts saved.")
    expect(page.locator("p.summary").first).to_have_text(
        "In the first half of January 2025 the media covered five events."
    )

    page.check('#build input[value="pdf"]')
    page.check('#build input[value="docx"]')
    page.click("#build button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("Built information-release-2025-01-en.pdf")
    links = page.locator("#files a.download")
    expect(links).to_have_count(2)

    with page.expect_download() as pdf_download:
        links.filter(has_text=".pdf").click()
    pdf = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf)
    assert pdf.name == "information-release-2025-01-en.pdf" and pdf.read_bytes().startswith(b"%PDF")
    with page.expect_download() as docx_download:
        links.filter(has_text=".docx").click()
    docx = tmp_path / docx_download.value.suggested_filename
    docx_download.value.save_as(docx)
    with zipfile.ZipFile(docx) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "HEADLINE OF ALMATY_ADS" in body and body.index("HEADLINE OF ALMATY_ADS") < body.index(
        "HEADLINE OF KOKSHETAU"
    )

    with session_scope(env.url) as s:
        release = s.query(Release).filter_by(year=2025, number=1).one()
        assert release.status == "final" and {f["format"] for f in release.files} == {"pdf", "docx"}
        assert [e.action for e in audit_trail(s, "release", release.id)] == ["edit", "build", "freeze"]
        assert audit_trail(s, "release", release.id)[-1].actor == "erik"
    assert page.script_errors == []


def test_a_final_build_with_untranslated_events_is_refused_with_the_list(page, live_server):
    env = live_server.env
    with session_scope(env.url) as s:
        desk.accept(s, env.events["kg_quiz"], actor="anna")
    browser_login(page, "erik")
    page.goto("/release?period=2025-01")
    page.click("#build button[type=submit]")
    expect(page.locator(".flash.error")).to_contain_text(f"event #{env.events['kg_quiz']}")
    expect(page.locator(".flash.error")).to_contain_text("no English headline")
    page.check('#build input[name="draft"]')
    page.click("#build button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("-en-draft.pdf")


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_a_harvested_payload_is_shown_as_text_and_never_runs(chromium, live_server, bypass_csp):
    """Script, event-handler and javascript: payloads in a harvested article, its links and in
    analyst fields. With ``bypass_csp`` the browser ignores our Content-Security-Policy, so the
    escaping alone must keep them inert."""
    env = live_server.env
    with session_scope(env.url) as s:
        event_id = upsert_article(s, tagged(XSS_STORY)).event_id
        desk.edit(
            s,
            event_id,
            actor="anna",
            headline_en="<img src=x onerror=\"window.__pwned='headline'\">",
            text_en="<script>window.__pwned='text_en'</script>",
        )
        desk.reject(s, event_id, "<b onmouseover=\"window.__pwned='reason'\">spam</b>", actor="anna")
    context = chromium.new_context(base_url=live_server.base, bypass_csp=bypass_csp)
    try:
        page = context.new_page()
        requests: list[str] = []
        dialogs: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        browser_login(page, "anna")
        for path in (
            f"/events/{event_id}",
            "/inbox?period=2025-01&status=rejected",
            "/inbox?period=2025-01&q=heroin",
        ):
            page.goto(path)
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)  # time for an onerror / onload / fetch to fire
            page.mouse.move(200, 200)
            page.mouse.move(400, 300)
            assert page.evaluate("window.__pwned") is None, path
            assert "PWNED" not in page.title()
        page.goto(f"/events/{event_id}")
        title = page.locator("article.art h2")
        expect(title).to_contain_text("<script>window.__pwned = 'script'; document.title = 'PWNED'</script>")
        text = page.locator(".harvested-text")
        expect(text).to_contain_text("<img src=x onerror=")
        expect(text).to_contain_text("<a href=\"javascript:window.__pwned='link'\">here</a>")
        expect(page.locator("#headline_en")).to_have_value(
            "<img src=x onerror=\"window.__pwned='headline'\">"
        )
        expect(page.locator(".evhead .reason")).to_contain_text("<b onmouseover=")
        # No element came out of the payload, and no link points anywhere but http(s).
        assert (
            page.locator("article.art script, article.art img, article.art iframe, article.art svg").count()
            == 0
        )
        assert page.locator(".evhead img, .evhead b").count() == 0
        hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert not [h for h in hrefs if not h.startswith(("/", "http://", "https://", "#"))], hrefs
        bad = page.locator(".badurl")
        expect(bad).to_have_count(2)  # the javascript: alternates are plain text
        bad.first.click()
        text.locator("text=here").click()
        assert page.evaluate("window.__pwned") is None
        assert page.url.endswith(f"/events/{event_id}")
        assert not [url for url in requests if "pwned" in url or url.endswith("/x")], requests
        assert dialogs == []
    finally:
        context.close()
