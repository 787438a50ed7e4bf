"""Frozen periods (a final build freezes its period; an editor reopens it) and stale builds."""

from __future__ import annotations

import json

import pytest

import desk
from core.period import Period
from desk.decisions import apply_lines
from release.builder import build_release
from storage.db import session_scope
from storage.models import Event
from storage.releases import find_release
from storage.repository import audit_trail

JANUARY = Period(2025, 1)
SKO_URL = "https://polisia.kz/ru/chto-grozit-narkodel-tsam-v-sko-politsejskie-raz-yasnyayut-izmeneniya-v-zakonodatel-stve/"


def _ready(url: str, *event_ids: int) -> None:
    with session_scope(url) as s:
        for event_id in event_ids:
            desk.edit(
                s, event_id, actor="anna", headline_en=f"HEADLINE {event_id}", text_en=f"Text {event_id}."
            )
            desk.accept(s, event_id, actor="anna")


def _build(url: str, out_dir, *, draft: bool = False) -> None:
    with session_scope(url) as s:
        build_release(s, 2025, 1, ["md"], "en", draft, out_dir, actor="erik")


def test_a_final_build_freezes_the_period_and_the_desk_refuses_edits(review_env, tmp_path):
    url, ev = review_env.url, review_env.events
    _ready(url, ev["sko"], ev["kg_quiz"])
    _build(url, tmp_path)
    with session_scope(url) as s:
        release = find_release(s, JANUARY)
        assert release.frozen_by == "erik" and release.frozen_at is not None
        assert [e.action for e in audit_trail(s, "release", release.id)] == ["build", "freeze"]
    refusals = [
        lambda s: desk.edit(s, ev["sko"], actor="anna", headline_en="LATE CHANGE"),
        lambda s: desk.reject(s, ev["kg_quiz"], "duplicate", actor="anna"),
        lambda s: desk.accept(s, ev["akmola"], actor="anna"),
        lambda s: desk.merge(s, ev["tj_heroin"], ev["tj_heroin_repost"], actor="anna"),
        lambda s: desk.edit(s, ev["sko"], actor="anna", published_override="2025-01-20"),
        lambda s: desk.move(s, ev["sko"], 1, actor="erik"),
    ]
    for refusal in refusals:
        with pytest.raises(desk.PeriodFrozen, match="2025 .* is frozen"), session_scope(url) as s:
            refusal(s)
    with session_scope(url) as s:
        assert s.get(Event, ev["sko"]).headline_en == f"HEADLINE {ev['sko']}"
        assert s.get(Event, ev["akmola"]).status == "new"


def test_no_event_can_be_moved_into_a_frozen_period(review_env, tmp_path):
    url, ev = review_env.url, review_env.events
    _ready(url, ev["sko"])
    with session_scope(url) as s:
        desk.edit(s, ev["akmola"], actor="anna", published_override="2025-01-20")  # to period #2
    _build(url, tmp_path)
    with pytest.raises(desk.PeriodFrozen, match="cannot be moved into it"), session_scope(url) as s:
        desk.edit(s, ev["akmola"], actor="anna", published_override="2025-01-05")
    with session_scope(url) as s:
        desk.edit(s, ev["akmola"], actor="anna", headline_en="ITS OWN PERIOD IS OPEN")


def test_a_draft_build_does_not_freeze(review_env, tmp_path):
    url, ev = review_env.url, review_env.events
    _ready(url, ev["sko"])
    _build(url, tmp_path, draft=True)
    with session_scope(url) as s:
        assert find_release(s, JANUARY).frozen_at is None
        desk.edit(s, ev["sko"], actor="anna", headline_en="STILL OPEN")


def test_review_apply_reports_the_frozen_period(review_env, tmp_path):
    url, ev = review_env.url, review_env.events
    _ready(url, ev["sko"])
    _build(url, tmp_path)
    report = apply_lines([json.dumps({"url": SKO_URL, "headline_en": "FROM THE CLI"})], actor="cli:anna")
    assert report.results[0].outcome == "invalid" and "is frozen" in report.results[0].message
    with session_scope(url) as s:
        assert s.get(Event, ev["sko"]).headline_en == f"HEADLINE {ev['sko']}"


def test_an_editor_reopens_the_period_audited(client, review_env, tmp_path):
    url, ev = review_env.url, review_env.events
    _ready(url, ev["sko"])
    _build(url, tmp_path)
    client.login("anna")
    assert client.post("/release/reopen?period=2025-01", {"reason": "typo"}).status_code == 403
    refused = client.post(f"/events/{ev['sko']}/edit?period=2025-01", {"version": "3", "headline_en": "NEW"})
    assert refused.status_code == 409 and "is frozen" in refused.get_data(as_text=True)
    assert 'id="frozen"' in client.get("/inbox?period=2025-01").get_data(as_text=True)
    client.login("erik")
    assert client.post("/release/reopen?period=2025-01", {"reason": "typo in #1"}).status_code == 302
    with session_scope(url) as s:
        release = find_release(s, JANUARY)
        assert release.frozen_at is None
        entry = audit_trail(s, "release", release.id)[-1]
        assert (entry.actor, entry.action, entry.after["reason"]) == ("erik", "reopen", "typo in #1")
    saved = client.post(f"/events/{ev['sko']}/edit?period=2025-01", {"version": "3", "headline_en": "NEW"})
    assert saved.status_code == 302
    with session_scope(url) as s:
        assert s.get(Event, ev["sko"]).headline_en == "NEW"


def test_the_release_page_marks_a_build_stale_when_an_event_changes_after_it(client, review_env, tmp_path):
    url, ev = review_env.url, review_env.events
    _ready(url, ev["sko"], ev["kg_quiz"])
    _build(url, tmp_path)
    client.login("erik")
    fresh = client.get("/release?period=2025-01").get_data(as_text=True)
    assert "stale" not in fresh.split('id="release-status"')[1].split("</span>")[0]
    with session_scope(url) as s:
        desk.reopen(s, JANUARY, actor="erik")
        desk.edit(s, ev["kg_quiz"], actor="anna", headline_en="CHANGED AFTER THE BUILD")
    page = client.get("/release?period=2025-01").get_data(as_text=True)
    status = page.split('id="release-status"')[1].split("</span>")[0]
    assert "status final" in status and "stale: 1 event changed after the build" in page
    assert f"#{ev['kg_quiz']}" in page.split('id="files"')[1]
