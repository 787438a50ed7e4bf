"""desk: the analyst operations, their audit entries and the optimistic lock."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select

import desk
from core.period import Period
from storage.db import session_factory, session_scope
from storage.events import in_period
from storage.models import Article, Event
from storage.repository import audit_trail


def _event(url: str, event_id: int) -> Event:
    with session_scope(url) as session:
        event = session.get(Event, event_id)
        assert event is not None
        return event


def test_accept_reject_reset_are_audited_with_before_and_after(review_env):
    url, event_id = review_env.url, review_env.events["sko"]
    with session_scope(url) as s:
        change = desk.accept(s, event_id, actor="anna", version=1)
    assert change.version == 2 and change.before["status"] == "new" and change.after["status"] == "accepted"
    with session_scope(url) as s:
        desk.reject(s, event_id, "duplicate", actor="boris", version=2)
    with session_scope(url) as s:
        desk.reset(s, event_id, actor="anna", version=3)
        trail = audit_trail(s, "event", event_id)
    assert [(e.actor, e.action) for e in trail] == [
        ("anna", "accept"),
        ("boris", "reject"),
        ("anna", "reset"),
    ]
    assert trail[1].before == {"status": "accepted", "reject_reason": None, "version": 2}
    assert trail[1].after == {"status": "rejected", "reject_reason": "duplicate", "version": 3}
    event = _event(url, event_id)
    assert (event.status, event.reject_reason, event.reviewed_by, event.version) == ("new", None, None, 4)


def test_a_rejection_needs_a_reason_and_unknown_values_are_refused(review_env):
    url, event_id = review_env.url, review_env.events["sko"]
    with pytest.raises(desk.EditError, match="reason"), session_scope(url) as s:
        desk.reject(s, event_id, "  ", actor="anna")
    with pytest.raises(desk.EditError, match="two-letter"), session_scope(url) as s:
        desk.edit(s, event_id, actor="anna", country_override="Kazakhstan")
    with pytest.raises(desk.EditError, match="YYYY-MM-DD"), session_scope(url) as s:
        desk.edit(s, event_id, actor="anna", published_override="10.01.2025")
    with pytest.raises(desk.EditError, match="topic"), session_scope(url) as s:
        desk.edit(s, event_id, actor="anna", topic_override="sports")
    with pytest.raises(desk.EditError, match="cannot edit"), session_scope(url) as s:
        desk.edit(s, event_id, actor="anna", country="KZ")
    with pytest.raises(desk.EventNotFound), session_scope(url) as s:
        desk.accept(s, 999_999, actor="anna")
    assert _event(url, event_id).version == 1


def test_edit_changes_only_what_differs_and_a_no_op_writes_nothing(review_env):
    url, event_id = review_env.url, review_env.events["sko"]
    with session_scope(url) as s:
        change = desk.edit(
            s,
            event_id,
            actor="anna",
            version=1,
            headline_en="  WHAT THREATENS DRUG TRAFFICKERS  ",
            text_en="Line one.\r\nLine two.",
            country_override="kz",
            published_override="2025-01-11",
        )
    assert change.after == {
        "headline_en": "WHAT THREATENS DRUG TRAFFICKERS",
        "text_en": "Line one.\nLine two.",
        "country_override": "KZ",
        "published_override": "2025-01-11",
        "version": 2,
    }
    with session_scope(url) as s:
        again = desk.edit(
            s, event_id, actor="anna", version=2, headline_en="WHAT THREATENS DRUG TRAFFICKERS"
        )
        assert not again.changed
        assert len(audit_trail(s, "event", event_id)) == 1
    event = _event(url, event_id)
    assert event.published_override == date(2025, 1, 11) and event.version == 2


def test_a_stale_save_is_refused_and_names_who_changed_the_event(review_env):
    url, event_id = review_env.url, review_env.events["sko"]
    with session_scope(url) as s:
        desk.edit(s, event_id, actor="anna", version=1, headline_en="ANNA'S HEADLINE")
    with pytest.raises(desk.StaleEdit) as raised, session_scope(url) as s:
        desk.edit(s, event_id, actor="boris", version=1, headline_en="BORIS'S HEADLINE")
    message = str(raised.value)
    assert "changed by anna" in message and "version 1" in message and "now version 2" in message
    assert "not saved" in message
    assert _event(url, event_id).headline_en == "ANNA'S HEADLINE"


def test_two_concurrent_saves_of_one_version_cannot_both_pass(review_env):
    """Both writers read version 1; the conditional UPDATE lets exactly one of them through."""
    url, event_id = review_env.url, review_env.events["sko"]
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, str] = {}

    def save(name: str) -> None:
        session = session_factory(url)()
        try:
            event = session.get(Event, event_id)
            assert event is not None and event.version == 1
            session.rollback()  # let the other writer read too before anyone writes
            barrier.wait()
            desk.edit(session, event_id, actor=name, version=1, headline_en=f"{name} WAS HERE")
            session.commit()
            outcomes[name] = "saved"
        except desk.StaleEdit:
            session.rollback()
            outcomes[name] = "refused"
        finally:
            session.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("anna", "boris")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    event = _event(url, event_id)
    assert event.headline_en == f"{winner} WAS HERE" and event.version == 2


def test_merge_moves_articles_fills_gaps_and_redirects_the_old_event(review_env):
    url = review_env.url
    target, source = review_env.events["tj_heroin"], review_env.events["tj_heroin_repost"]
    with session_scope(url) as s:
        desk.edit(s, source, actor="anna", headline_en="5 KG OF HEROIN SEIZED IN KHATLON")
        desk.accept(s, source, actor="anna")
    with session_scope(url) as s:
        change = desk.merge(s, target, source, actor="boris", version=1)
    assert change.after["merged_event"] == source
    with session_scope(url) as s:
        assert s.get(Event, source) is None
        merged = s.get(Event, target)
        assert merged.headline_en == "5 KG OF HEROIN SEIZED IN KHATLON" and merged.status == "accepted"
        assert len(merged.articles) == 2 and merged.version == 2
        actions = [(e.entity_id, e.action) for e in audit_trail(s, "event", source)]
        assert actions[-1] == (str(source), "merged")
        assert desk.merged_into(s, source) == target
    with pytest.raises(desk.EditError, match="itself"), session_scope(url) as s:
        desk.merge(s, target, target, actor="boris")


def test_split_takes_an_article_out_into_a_new_event(review_env):
    url, event_id = review_env.url, review_env.events["kokshetau"]
    with session_scope(url) as s:
        kk = s.scalar(select(Article).where(Article.event_id == event_id, Article.language == "kk"))
        change = desk.split(s, kk.id, actor="anna", version=1)
        new_event = s.get(Event, change.event_id)
        assert [a.id for a in new_event.articles] == [kk.id]
        assert new_event.country == "KZ" and new_event.period_number == 1 and new_event.status == "new"
        assert s.get(Event, event_id).version == 2
        assert [e.action for e in audit_trail(s, "event", event_id)] == ["split"]
        assert [e.action for e in audit_trail(s, "event", change.event_id)] == ["split_from"]
    with pytest.raises(desk.EditError, match="only article"), session_scope(url) as s:
        desk.split(s, kk.id, actor="anna")


def test_reorder_within_a_section_is_audited_and_guarded_by_the_order_seen(review_env):
    url = review_env.url
    kz = [review_env.events[key] for key in ("kokshetau", "sko", "almaty_ads", "ulytau")]
    with session_scope(url) as s:
        for event_id in kz:
            desk.accept(s, event_id, actor="erik")
    with session_scope(url) as s:
        order = [e.id for e in desk.section_events(s, Period(2025, 1), "KZ")]
    assert order == kz  # by date before anyone reorders
    with session_scope(url) as s:
        desk.move(s, kz[3], -2, actor="erik", expected_order=order)
    with session_scope(url) as s:
        section = desk.section_events(s, Period(2025, 1), "KZ")
        assert [e.id for e in section] == [kz[0], kz[3], kz[1], kz[2]]
        assert audit_trail(s, "event", kz[3])[-1].after == {"position": 2}
    with pytest.raises(desk.StaleOrder), session_scope(url) as s:
        desk.move(s, kz[0], 1, actor="erik", expected_order=order)


def test_the_analysts_date_moves_an_event_to_another_period(review_env):
    url, event_id = review_env.url, review_env.events["sko"]
    with session_scope(url) as s:
        desk.edit(s, event_id, actor="anna", published_override="2025-01-20")
    with session_scope(url) as s:
        first = s.scalars(select(Event.id).where(in_period(Period(2025, 1)))).all()
        second = s.scalars(select(Event.id).where(in_period(Period(2025, 2)))).all()
    assert event_id not in first and event_id in second
