"""Merges on the desk's terms: the preview, what a merge keeps, both versions checked, undo, the
candidates ranked by text, and a save to an event merged away."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

import desk
from core.period import Period
from storage.db import session_scope
from storage.events import article_ids_of, event_period
from storage.models import Event
from storage.repository import audit_trail, upsert_article
from tests.review.seed import Story, tagged

DECEMBER_HEROIN = Story(
    "tj_heroin_december",
    "https://khovar.tj/rus/2024/12/v-dusti-zaderzhan-kurer-s-geroinom/",
    "В Дусти задержан курьер с героином",
    "Сотрудники АКН в районе Дусти задержали курьера, перевозившего героин в тайнике автомобиля. "
    "Изъято пять килограммов героина, возбуждено уголовное дело.",
    datetime(2024, 12, 30, 9, tzinfo=UTC),
    None,
    "TJ",
    topic="seizure_arrest",
    score=0.95,
    evidence=[("героин*", "героина", "text", 1.0)],
)


def _accepted_with_headline(url: str, event_id: int, headline: str) -> None:
    with session_scope(url) as s:
        desk.edit(s, event_id, actor="anna", headline_en=headline, text_en=f"{headline} (text).")
        desk.accept(s, event_id, actor="anna")


def _december_event(url: str) -> int:
    with session_scope(url) as s:
        return upsert_article(s, tagged(DECEMBER_HEROIN)).event_id


def test_merge_keeps_the_targets_headline_and_text(review_env):
    url, ev = review_env.url, review_env.events
    target, source = ev["tj_heroin"], ev["tj_heroin_repost"]
    _accepted_with_headline(url, target, "TARGET HEADLINE")
    _accepted_with_headline(url, source, "OTHER HEADLINE")
    with session_scope(url) as s:
        desk.merge(s, target, source, actor="boris", version=3, source_version=3)
    with session_scope(url) as s:
        merged = s.get(Event, target)
        assert (merged.headline_en, merged.text_en) == ("TARGET HEADLINE", "TARGET HEADLINE (text).")


def test_merge_takes_the_other_headline_when_the_analyst_picks_it(review_env):
    url, ev = review_env.url, review_env.events
    target, source = ev["tj_heroin"], ev["tj_heroin_repost"]
    _accepted_with_headline(url, target, "TARGET HEADLINE")
    _accepted_with_headline(url, source, "OTHER HEADLINE")
    with session_scope(url) as s:
        change = desk.merge(s, target, source, actor="boris", title_from="other")
    assert (
        change.before["headline_en"] == "TARGET HEADLINE" and change.after["headline_en"] == "OTHER HEADLINE"
    )
    with session_scope(url) as s:
        assert s.get(Event, target).text_en == "OTHER HEADLINE (text)."


def test_merge_checks_the_merged_events_version_too(review_env):
    url, ev = review_env.url, review_env.events
    target, source = ev["tj_heroin"], ev["tj_heroin_repost"]
    with session_scope(url) as s:
        desk.edit(s, source, actor="boris", version=1, headline_en="BORIS'S HEADLINE")
    with pytest.raises(desk.StaleEdit, match="changed by boris"), session_scope(url) as s:
        desk.merge(s, target, source, actor="anna", version=1, source_version=1)
    with session_scope(url) as s:
        assert s.get(Event, source).headline_en == "BORIS'S HEADLINE"
        assert len(article_ids_of(s, target)) == 1


def test_an_accepted_event_keeps_its_period_when_an_earlier_period_is_merged_in(review_env):
    url, target = review_env.url, review_env.events["tj_heroin"]
    _accepted_with_headline(url, target, "5 KG OF HEROIN SEIZED")
    december = _december_event(url)
    with session_scope(url) as s:
        assert event_period(s.get(Event, december)) == Period(2024, 24)
        change = desk.merge(s, target, december, actor="anna")
    with session_scope(url) as s:
        merged = s.get(Event, target)
        assert event_period(merged) == Period(2025, 1) and merged.status == "accepted"
        assert merged.published_override == date(2025, 1, 6)  # its own day, now stated
        assert len(merged.articles) == 2 and Period(2025, 1).start <= merged.published_override
    assert "period" not in change.after


def test_moving_an_accepted_event_to_another_period_is_explicit_and_announced(review_env):
    url, target = review_env.url, review_env.events["tj_heroin"]
    _accepted_with_headline(url, target, "5 KG OF HEROIN SEIZED")
    december = _december_event(url)
    with session_scope(url) as s:
        kept = desk.preview_merge(s, target, december)
        moved = desk.preview_merge(s, target, december, keep_period=False)
    assert kept.period == Period(2025, 1) and kept.natural_period == Period(2024, 24)
    assert any("it is kept in 2025" in warning for warning in kept.warnings)
    assert moved.period == Period(2024, 24)
    assert any("leaves the release of 2025" in warning for warning in moved.warnings)
    with session_scope(url) as s:
        change = desk.merge(s, target, december, actor="anna", keep_period=False)
        assert event_period(s.get(Event, target)) == Period(2024, 24)
    assert change.after["period"] == Period(2024, 24).key


def test_the_preview_writes_nothing(review_env):
    url, ev = review_env.url, review_env.events
    target, source = ev["tj_heroin"], ev["tj_heroin_repost"]
    with session_scope(url) as s:
        preview = desk.preview_merge(s, target, source)
    assert (preview.target_version, preview.source_version) == (1, 1)
    assert len(preview.article_ids) == 2
    with session_scope(url) as s:
        assert s.get(Event, source) is not None and s.get(Event, target).version == 1
        assert len(article_ids_of(s, target)) == 1
        assert audit_trail(s, "event", target) == [] and audit_trail(s, "event", source) == []


def test_undo_restores_the_merged_event_its_articles_and_the_targets_values(review_env):
    url, ev = review_env.url, review_env.events
    target, source = ev["tj_heroin"], ev["tj_heroin_repost"]
    _accepted_with_headline(url, source, "OTHER HEADLINE")
    with session_scope(url) as s:
        source_articles = article_ids_of(s, source)
        change = desk.merge(s, target, source, actor="anna", version=1, source_version=3)
        assert s.get(Event, target).headline_en == "OTHER HEADLINE"  # the target had none: filled in
    with session_scope(url) as s:
        restored = desk.undo_merge(s, change.after["merge_id"], actor="boris", version=2)
    assert restored.event_id == source
    with session_scope(url) as s:
        back, kept = s.get(Event, source), s.get(Event, target)
        assert (back.headline_en, back.status, back.reviewed_by) == ("OTHER HEADLINE", "accepted", "anna")
        assert article_ids_of(s, source) == source_articles and len(article_ids_of(s, target)) == 1
        assert (kept.headline_en, kept.status, kept.version) == (None, "new", 3)
        assert desk.merged_into(s, source) is None
        assert [e.action for e in audit_trail(s, "event", target)] == ["merge", "unmerge"]
        assert audit_trail(s, "event", source)[-1].action == "restored"
    with pytest.raises(desk.MergeNotUndoable, match="undone already"), session_scope(url) as s:
        desk.undo_merge(s, change.after["merge_id"], actor="boris")


def test_undo_is_refused_once_the_merged_event_changed(review_env):
    url, ev = review_env.url, review_env.events
    target, source = ev["tj_heroin"], ev["tj_heroin_repost"]
    with session_scope(url) as s:
        change = desk.merge(s, target, source, actor="anna")
    with session_scope(url) as s:
        desk.edit(s, target, actor="boris", headline_en="BORIS EDITED AFTER THE MERGE")
    with pytest.raises(desk.MergeNotUndoable, match="changed after the merge"), session_scope(url) as s:
        desk.undo_merge(s, change.after["merge_id"], actor="anna")
    with session_scope(url) as s:
        assert s.get(Event, source) is None


def test_candidates_are_ranked_by_text_similarity(review_env):
    url, ev = review_env.url, review_env.events
    december = _december_event(url)
    with session_scope(url) as s:
        candidates = desk.merge_candidates(s, s.get(Event, ev["tj_heroin"]))
    ranked = [c.event.id for c in candidates]
    assert set(ranked[:2]) == {ev["tj_heroin_repost"], december}  # the same seizure, either period
    assert candidates[0].similarity > candidates[2].similarity
    assert [c.similarity for c in candidates] == sorted((c.similarity for c in candidates), reverse=True)
    assert next(c for c in candidates if c.event.id == december).period == Period(2024, 24)


def test_a_candidate_edited_since_the_last_ranking_is_ranked_by_its_new_text(review_env):
    url, ev = review_env.url, review_env.events
    target = ev["tj_heroin"]
    with session_scope(url) as s:
        before = {c.event.id: c.similarity for c in desk.merge_candidates(s, s.get(Event, target))}
        own = s.get(Event, target)
        words = " ".join(part for a in own.articles for part in (a.title, a.text))
    other = min(before, key=lambda event_id: before[event_id])  # the least alike, ranked once
    with session_scope(url) as s:
        desk.edit(s, other, actor="anna", headline_en=words[:300], text_en=words)
    with session_scope(url) as s:
        after = {c.event.id: c.similarity for c in desk.merge_candidates(s, s.get(Event, target))}
    assert after[other] > before[other]
    assert {k: v for k, v in after.items() if k != other} == {k: v for k, v in before.items() if k != other}


def test_saving_an_event_that_was_merged_away_keeps_the_typed_text(client, review_env):
    ev = review_env.events
    target, source = ev["tj_heroin"], ev["tj_heroin_repost"]
    client.login("anna")
    with session_scope(review_env.url) as s:
        desk.merge(s, target, source, actor="boris")
    response = client.post(
        f"/events/{source}/edit?period=2025-01", {"version": "1", "headline_en": "ANNA'S UNSAVED HEADLINE"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f"Event #{source} was merged into #{target}" in html
    assert "ANNA&#39;S UNSAVED HEADLINE" in html
    assert re.search(rf'action="/events/{target}/edit[^"]*" id="edit"', html)


def test_the_merge_page_previews_then_merges_with_both_versions(client, review_env):
    ev = review_env.events
    target, source = ev["tj_heroin"], ev["tj_heroin_repost"]
    client.login("anna")
    preview = client.get(f"/events/{target}/merge/preview?other={source}&period=2025-01")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'id="merge-preview"' in html
    assert 'name="other_version" value="1"' in html and 'name="version" value="1"' in html
    both = re.search(r'<tr id="row-articles"><th>articles</th><td>(\d+)</td><td>(\d+)</td>', html)
    assert both and both.groups() == ("1", "1")  # each event as it is, before the merge
    assert html.count("В Хатлоне задержан наркокурьер") >= 2  # the merged event's title, and in the list
    with session_scope(review_env.url) as s:
        assert s.get(Event, source) is not None  # previewing changed nothing
    without = client.post(f"/events/{target}/merge", {"other": str(source), "version": "1"})
    assert without.status_code == 302 and "/merge/preview" in without.headers["Location"]
    done = client.post(
        f"/events/{target}/merge", {"other": str(source), "version": "1", "other_version": "1"}
    )
    assert done.status_code == 302
    with session_scope(review_env.url) as s:
        assert s.get(Event, source) is None
