"""Bulk decisions from the inbox, and the undecided counts that include hidden events."""

from __future__ import annotations

import re

import pytest

import desk
from storage.db import session_scope
from storage.models import Event
from storage.repository import audit_trail


def _status(url: str, event_id: int) -> tuple[str, str | None, int]:
    with session_scope(url) as s:
        event = s.get(Event, event_id)
        return event.status, event.reject_reason, event.version


def test_bulk_accept_goes_through_the_desk_rule_and_reports_each_event(review_env):
    url, ev = review_env.url, review_env.events
    ids = [ev["sko"], ev["akmola"], ev["kg_quiz"]]
    with session_scope(url) as s:
        desk.edit(s, ev["kg_quiz"], actor="boris", headline_en="BORIS WAS HERE")  # now version 2
    with session_scope(url) as s:
        report = desk.decide_many(s, [(i, 1) for i in ids], "accepted", actor="anna")
    assert report.summary == f"2 accepted, 1 skipped: changed by someone else (#{ev['kg_quiz']})"
    assert [_status(url, i)[0] for i in ids] == ["accepted", "accepted", "new"]
    with session_scope(url) as s:
        assert [e.action for e in audit_trail(s, "event", ev["sko"])] == ["accept"]


def test_bulk_reject_needs_a_reason_before_touching_anything(review_env):
    with pytest.raises(desk.EditError, match="reason"), session_scope(review_env.url) as s:
        desk.decide_many(s, [(review_env.events["sko"], 1)], "rejected", actor="anna", reason=" ")
    assert _status(review_env.url, review_env.events["sko"]) == ("new", None, 1)


def test_the_inbox_rejects_the_ticked_events_with_one_post(client, review_env):
    ev = review_env.events
    client.login("anna")
    html = client.get("/inbox?period=2025-01").get_data(as_text=True)
    picks = dict(re.findall(r'class="bulk-pick" name="event" value="((\d+):\d+)"', html))
    assert picks, "no bulk checkboxes in the inbox"
    chosen = [value for value, event_id in picks.items() if int(event_id) in (ev["sko"], ev["ulytau"])]
    response = client.post(
        "/inbox/decide?period=2025-01",
        {"event": chosen, "status": "rejected", "reason_preset": "too minor"},
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/inbox?period=2025-01")
    assert _status(review_env.url, ev["sko"])[:2] == ("rejected", "too minor")
    assert _status(review_env.url, ev["ulytau"])[:2] == ("rejected", "too minor")
    page = client.get("/inbox?period=2025-01").get_data(as_text=True)
    assert "2 rejected" in page


def test_a_bulk_post_without_the_csrf_token_is_refused(client, review_env):
    client.login("anna")
    event_id = review_env.events["sko"]
    refused = client.http.post("/inbox/decide", data={"event": f"{event_id}:1", "status": "accepted"})
    assert refused.status_code == 400
    assert _status(review_env.url, event_id)[0] == "new"


def test_undecided_counts_include_the_events_the_relevance_filter_hides(client, review_env):
    ev = review_env.events
    with session_scope(review_env.url) as s:
        for key in ("kg_quiz",):
            desk.accept(s, ev[key], actor="anna")
    client.login("anna")
    html = client.get("/inbox?period=2025-01").get_data(as_text=True)
    kg_row = re.search(r"KG <span class=\"muted\">Kyrgyzstan</span></a></td>\s*(.*?)</tr>", html, re.S).group(
        1
    )
    new_cell = re.search(r'class="n new-count">(.*?)</td>', kg_row, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", new_cell).strip() == "0 (+1 hidden)"  # kg_veterans: irrelevant, undecided
    assert "undecided hidden by the relevance filter" in html
    everything = client.get("/inbox?period=2025-01&relevance=all").get_data(as_text=True)
    assert "(+1 hidden)" not in everything


def test_a_bulk_decision_without_the_versions_read_decides_nothing(client, review_env):
    client.login("anna")
    event_id = review_env.events["sko"]
    response = client.post("/inbox/decide?period=2025-01", {"event": str(event_id), "status": "accepted"})
    assert response.status_code == 302
    assert _status(review_env.url, event_id)[0] == "new"
    assert "has no version" in client.get("/inbox?period=2025-01").get_data(as_text=True)
