"""The analyst's day: the inbox opens where there is work, times are the desk's (Almaty), and the
release page's build history names files, sizes and who built them, never server paths or hashes."""

from __future__ import annotations

from datetime import UTC, datetime

from core.period import Period
from review.text import audit_value, desk_time, file_size
from storage.db import session_scope
from storage.inbox import oldest_undecided_period
from storage.models import Event


def test_the_inbox_opens_on_the_oldest_period_with_events_to_decide(client, review_env):
    client.login("anna")
    html = client.get("/inbox").get_data(as_text=True)
    assert "<title>Inbox #1 · 1-15.01.2025" in html  # not today's empty period


def test_decided_irrelevant_and_future_events_do_not_choose_the_period(review_env):
    with session_scope(review_env.url) as session:
        assert oldest_undecided_period(session) == Period(2025, 1)
        for event in session.query(Event).filter(Event.period_year == 2025, Event.period_number == 1):
            if event.relevance_label != "irrelevant":
                event.status = "accepted"
        session.add(Event(status="new", relevance_label="relevant", period_year=2025, period_number=3))
        session.add(Event(status="new", relevance_label="irrelevant", period_year=2025, period_number=2))
        session.add(Event(status="new", relevance_label="maybe", period_year=2031, period_number=1))
    with session_scope(review_env.url) as session:
        assert oldest_undecided_period(session, until=Period(2026, 24)) == Period(2025, 3)
        assert oldest_undecided_period(session, until=Period(2025, 2)) is None


def test_an_inbox_with_nothing_to_decide_opens_on_todays_period(client, review_env):
    with session_scope(review_env.url) as session:
        for event in session.query(Event).filter(Event.status == "new"):
            event.status = "rejected"
    client.login("anna")
    html = client.get("/inbox").get_data(as_text=True)
    assert "1-15.01.2025" not in html.split("</title>")[0]


def test_times_are_shown_in_the_desks_zone() -> None:
    assert desk_time(datetime(2025, 1, 15, 20, 30)) == "2025-01-16 01:30"  # naive = UTC; Almaty is +5
    assert desk_time("2025-01-15T20:30:00+00:00", "%H:%M") == "01:30"
    assert desk_time(datetime(2025, 1, 15, 20, 30, tzinfo=UTC), "%d.%m") == "16.01"
    assert desk_time(None) == "—"


def test_the_audit_trail_and_build_history_carry_no_server_path_or_hash() -> None:
    files = [{"path": "/srv/newsmon/data/releases/2025-1/information-release-2025-01-en.pdf",
              "sha256": "ab" * 32, "draft": False},
             {"path": "/srv/newsmon/data/releases/2025-1/information-release-2025-01-en-draft.docx",
              "sha256": "cd" * 32, "draft": True}]
    line = audit_value(files)
    assert line == "information-release-2025-01-en.pdf, information-release-2025-01-en-draft.docx (draft)"
    assert "/srv" not in line and "ab" * 8 not in line
    assert (file_size(412 * 1024), file_size(1_400_000)) == ("412 KB", "1.3 MB")


def test_the_release_page_lists_each_file_with_its_size_builder_and_desk_time(client, review_env):
    client.login("root")
    page = client.get("/release?period=2025-01").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    built = client.post("/release/build?period=2025-01", data={"csrf_token": token, "edition": "en",
                                                               "formats": "md", "draft": "1"})
    assert built.status_code in (200, 302, 303)
    page = client.get("/release?period=2025-01").get_data(as_text=True)
    files = page.split('id="files"')[1].split("</section>")[0]
    assert "class=\"download\">information-release-2025-01-en-draft." in files, files
    assert " KB</td>" in files and ">root</td>" in files and "Asia/Almaty" in files
    assert str(review_env.data_dir) not in page and "sha256" not in page
