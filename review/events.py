"""Analyst pages: the inbox and the event page, and the decisions taken on them.

Every POST goes through :mod:`desk` (audit entry + optimistic lock). The page's
script may send the same forms with ``fetch`` and get JSON back; without script the forms
work as plain POST → redirect → GET.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for

import desk
from core.errors import UserError
from core.facts import facts_from_json
from core.period import Period
from core.types import row_id
from desk import REJECT_REASONS, TOPICS, EditError, PeriodFrozen, StaleEdit, event_period
from desk.facts import agency_ids, amount_line, facts_from_form, substance_ids
from desk.leads import lead_article
from desk.translation import Draft, english_version
from release.settings import load_release_settings
from release.summary import summary_sentence
from review import inbox as inbox_model
from review.context import db, user, wants_json
from review.text import COUNTRY_NAMES
from review.translate import TranslationUnavailable, machine_draft
from review.translate import configured as translation_configured
from storage.db import Session
from storage.events import article_by_id, effective_facts
from storage.inbox import InboxPage, oldest_undecided_period
from storage.merges import undoable_merges
from storage.models import Event
from storage.page_cache import banner_health, menu_periods, store_marker
from storage.repository import audit_trail, event_by_id, source_names, source_zones

bp = Blueprint("events", __name__)


def _int(value: Any) -> int | None:
    return row_id(value)


def local_time(moment: datetime | None, zone: str | None) -> datetime | None:
    """A stored UTC time in the source's own time zone (the one its period is computed in)."""
    if moment is None:
        return None
    try:
        return moment.astimezone(ZoneInfo(zone)) if zone else moment
    except (KeyError, ValueError):
        return moment


def event_date(event: Event, zones: dict[str, str]) -> tuple[date | None, str]:
    """The date shown for an event and where it comes from: ``analyst``, ``uncertain`` or ``site``."""
    if event.published_override is not None:
        return event.published_override, "analyst"
    if event.published_at is None:
        return None, "uncertain"
    zone = None
    for article in event.articles:
        if article.published_at == event.published_at:
            zone = zones.get(article.source_id or "")
            break
    moment = local_time(event.published_at, zone)
    return (moment.date() if moment else None), ("uncertain" if event.date_uncertain else "site")


def _query(default_period: Period | None = None) -> inbox_model.InboxQuery:
    return inbox_model.InboxQuery.from_args(request.args, default_period)


@bp.route("/")
def home() -> Any:
    return redirect(url_for("events.inbox"))


@bp.route("/inbox")
def inbox() -> Any:
    with db() as s:
        # Without a period in the address: the oldest period with events still to decide.
        today = inbox_model.desk_period()
        opening = None if request.args.get("period") else oldest_undecided_period(s, today)
        query = _query(opening)
        marker = store_marker(s)  # asked once: the period menu and the filters keep by it
        shown, page = inbox_model.load(s, query, marker)
        zones = source_zones(s)
        dates = {e.id: event_date(e, zones) for e in page.events}
        periods = menu_periods(s, marker)
        counts, summary = _summary(page, shown.period)
        unhealthy = [health for health in banner_health(s) if not health.healthy]
        return render_template(
            "inbox.html",
            page=page,
            unhealthy=unhealthy,
            leads={e.id: lead_article(e) for e in page.events},
            counts=counts,
            hidden=sum(entry["hidden"] for _, entry in counts),
            frozen=desk.frozen_release(s, shown.period),
            summary=summary,
            q=shown,
            dates=dates,
            periods=periods,
            sorts=inbox_model.SORTS,
            relevance_options=inbox_model.RELEVANCE,
            statuses=desk.STATUSES,
            topics=TOPICS,
            reject_reasons=REJECT_REASONS,
        )


def _summary(page: InboxPage, period: Period) -> tuple[list[tuple[str, dict[str, int]]], str]:
    """Per-country counts in release section order, and the release's summary sentence for the
    accepted ones: the numbers the release will print."""
    try:
        settings = load_release_settings()
    except UserError as error:
        return sorted(page.counts.items()), f"(release settings unusable: {error})"
    counts = sorted(page.counts.items(), key=lambda item: settings.country_rank(item[0]))
    accepted = {code: entry["accepted"] for code, entry in counts if entry["accepted"]}
    return counts, summary_sentence(period, accepted, "en", settings=settings)


def _neighbours(
    session: Session, query: inbox_model.InboxQuery, event_id: int
) -> tuple[int | None, int | None, int, int]:
    ids = inbox_model.event_ids(session, query)
    if event_id not in ids:
        return None, (ids[0] if ids else None), 0, len(ids)
    index = ids.index(event_id)
    previous = ids[index - 1] if index > 0 else None
    following = ids[index + 1] if index + 1 < len(ids) else None
    return previous, following, index + 1, len(ids)


def _render_event(
    session: Session,
    event: Event,
    *,
    form: dict[str, Any] | None = None,
    conflict: StaleEdit | None = None,
    notice: str | None = None,
    draft: Draft | None = None,
    status: int = 200,
) -> Any:
    period = event_period(event)
    query = _query(period)
    zones = source_zones(session)
    previous, following, position, total = _neighbours(session, query, event.id)
    values = {
        "headline_en": event.headline_en or "",
        "text_en": event.text_en or "",
        "country_override": event.country_override or "",
        "published_override": event.published_override.isoformat() if event.published_override else "",
        "topic_override": event.topic_override or "",
    }
    english = english_version(session, event)
    if form:
        values.update(form)
    elif english is not None and not (event.headline_en or event.text_en):
        # Nothing written yet: the site's English version of the story is the draft.
        draft = english
        values.update(headline_en=english.headline, text_en=english.text)
    countries = sorted(set(COUNTRY_NAMES) | {c for c in (event.country, event.country_override) if c})
    lead = lead_article(event)
    articles = sorted(event.articles, key=lambda a: (a is not lead, a.published_at, a.id))
    return render_template(
        "event.html",
        event=event,
        lead=lead,
        articles=articles,
        period=period,
        day=event_date(event, zones),
        zones=zones,
        local_time=local_time,
        source_names=source_names(session),
        trail=list(reversed(audit_trail(session, "event", event.id))),
        q=query,
        previous=previous,
        following=following,
        position=position,
        total=total,
        values=values,
        version=event.version,
        conflict=conflict,
        notice=notice,
        draft=draft,
        english=english is not None,
        machine=translation_configured(),
        frozen=desk.frozen_release(session, period),
        merges=undoable_merges(session, event.id),
        countries=countries,
        topics=TOPICS,
        reject_reasons=REJECT_REASONS,
        candidates=[
            (c, event_date(c.event, zones)[0]) for c in desk.merge_candidates(session, event)
        ],
        facts=effective_facts(event),
        machine_facts=facts_from_json(event.facts),
        substance_ids=substance_ids(),
        agency_ids=agency_ids(),
        amount_line=amount_line,
        fact_marks=fact_marks,
    ), status


def fact_marks(article: Any) -> list[dict[str, str]]:
    """An article's fact spans as highlight evidence (shown beside the lexicon's matches)."""
    facts = facts_from_json(article.facts)
    named = (*facts.substances, *facts.places, *facts.agencies, *facts.legal_articles)
    marks = [(m.span.text, m.value) for m in named]
    marks += [(q.span.text, f"amount: {amount_line(q)}") for q in facts.quantities]
    return [{"match": text, "term": f"fact: {what}"} for text, what in marks if text.strip()]


@bp.route("/events/<int:event_id>")
def event(event_id: int) -> Any:
    with db() as s:
        found = event_by_id(s, event_id)
        if found is None:
            target = desk.merged_into(s, event_id)
            if target is not None:
                flash(f"Event #{event_id} was merged into #{target}.", "info")
                return redirect(_url_with_query("events.event", event_id=target))
            abort(404, f"There is no event #{event_id}.")
        return _render_event(s, found)


def _url_with_query(endpoint: str, **values: Any) -> str:
    """``url_for`` keeping the query string the analyst came with (the inbox's filters and page)."""
    query: dict[str, Any] = request.args.to_dict()
    return url_for(endpoint, **{**query, **values})


def _back_to_event(event_id: int, anchor: str | None = None) -> Any:
    return redirect(
        _url_with_query("events.event", event_id=event_id) + (f"#{anchor}" if anchor else "")
    )


def _version() -> int | None:
    version = _int(request.form.get("version"))
    if version is None:
        raise EditError("the form has no version: reload the page")
    return version


def _gone(session: Session, event_id: int, form: dict[str, Any] | None = None) -> Any:
    """A save to an event that no longer exists. When it was merged away, the event it went into
    is shown with a notice and, for an edit, the analyst's typed text kept in its form (409);
    otherwise a 404."""
    target_id = desk.merged_into(session, event_id)
    target = event_by_id(session, target_id) if target_id is not None else None
    if target is None:
        abort(404, f"There is no event #{event_id}.")
    if wants_json():
        return jsonify(error=f"event #{event_id} was merged into #{target.id}", merged_into=target.id), 409
    notice = f"Event #{event_id} was merged into #{target.id} while you worked on it; nothing was saved."
    if form:
        notice += f" Your text is kept in the form below: save it to put it on #{target.id}."
    return _render_event(session, target, form=form, notice=notice, status=409)


@bp.route("/events/<int:event_id>/status", methods=["POST"])
def set_status(event_id: int) -> Any:
    status = request.form.get("status", "")
    reason = request.form.get("reason") or request.form.get("reason_preset")
    advance = request.form.get("advance") == "1"
    following = None
    try:
        with db() as s:
            found = event_by_id(s, event_id)
            if found is None:
                return _gone(s, event_id)
            if advance:
                query = _query(event_period(found))
                following = _neighbours(s, query, event_id)[1]
            change = desk.set_status(
                s, event_id, status, actor=user().name, version=_version(), reason=reason
            )
            result = {
                "id": event_id,
                "status": found.status,
                "reject_reason": found.reject_reason,
                "version": found.version,
                "changed": change.changed,
            }
    except (StaleEdit, PeriodFrozen) as refused:
        if wants_json():
            return jsonify(error=str(refused), version=getattr(refused, "current", None)), 409
        flash(f"Not saved: {refused}", "error")
        if request.form.get("back") == "inbox":
            return redirect(_url_with_query("events.inbox") + f"#ev-{event_id}")
        return _back_to_event(event_id)
    if wants_json():
        return jsonify(result)
    verb = {"accepted": "accepted", "rejected": "rejected", "new": "reset to new"}[status]
    flash(
        f"Event #{event_id} {verb}." if change.changed else f"Event #{event_id} was already {status}.", "ok"
    )
    if request.form.get("back") == "inbox":
        return redirect(_url_with_query("events.inbox") + f"#ev-{event_id}")
    if advance and following is not None:
        return redirect(_url_with_query("events.event", event_id=following))
    if advance:
        return redirect(_url_with_query("events.inbox"))
    return _back_to_event(event_id)


@bp.route("/events/<int:event_id>/edit", methods=["POST"])
def edit(event_id: int) -> Any:
    form = {key: request.form.get(key, "") for key in desk.EDITABLE_FIELDS if key in request.form}
    with db() as s:
        found = event_by_id(s, event_id)
        if found is None:
            return _gone(s, event_id, form)
        try:
            with s.begin_nested():
                change = desk.edit(s, event_id, actor=user().name, version=_version(), **form)
        except StaleEdit as stale:
            s.refresh(found)
            if wants_json():
                return jsonify(error=str(stale), version=stale.current), 409
            return _render_event(s, found, form=form, conflict=stale, status=409)
        except PeriodFrozen as frozen:
            s.refresh(found)
            if wants_json():
                return jsonify(error=str(frozen)), 409
            flash(f"Not saved: {frozen}", "error")
            return _render_event(s, found, form=form, status=409)
        except EditError as error:
            if wants_json():
                return jsonify(error=str(error)), 400
            flash(f"Not saved: {error}", "error")
            return _render_event(s, found, form=form, status=400)
        version = found.version
    if wants_json():
        return jsonify(id=event_id, version=version, changed=change.changed)
    flash("Saved." if change.changed else "Nothing to save: no field changed.", "ok")
    return _back_to_event(event_id, "edit")


@bp.route("/events/<int:event_id>/draft", methods=["POST"])
def draft(event_id: int) -> Any:
    """Fill the English fields with a draft (the site's English version, a machine translation
    or the original text) and show the form again: nothing is saved until the analyst saves."""
    form = {key: request.form.get(key, "") for key in desk.EDITABLE_FIELDS if key in request.form}
    with db() as s:
        found = event_by_id(s, event_id)
        if found is None:
            return _gone(s, event_id, form)
        lead = lead_article(found)
        made: Draft | None = None
        notice = None
        wanted = request.form.get("draft", "")
        if wanted == "english":
            made = english_version(s, found)
            notice = None if made else "No English version of this story was published."
        elif wanted == "machine" and lead is not None:
            try:
                made = machine_draft(lead.title or "", lead.text or "", lead.language)
            except TranslationUnavailable as exc:
                notice = f"No machine draft: {exc}. Your text is kept."
        elif wanted == "original" and lead is not None:
            made = Draft(lead.title or "", lead.text or "", "original", lead.url)
        else:
            abort(400, "Ask for a draft from english, machine or original.")
        if made is not None:
            form.update(headline_en=made.headline, text_en=made.text)
        return _render_event(s, found, form=form, draft=made, notice=notice)


@bp.route("/events/<int:event_id>/facts", methods=["POST"])
def edit_facts(event_id: int) -> Any:
    """Correct the event's facts (or go back to the machine's with ``reset``)."""
    with db() as s:
        found = event_by_id(s, event_id)
        if found is None:
            return _gone(s, event_id)
        try:
            corrected = "" if "reset" in request.form else facts_from_form(request.form, request.form.getlist)
            with s.begin_nested():
                change = desk.edit(
                    s, event_id, actor=user().name, version=_version(), facts_override=corrected
                )
        except StaleEdit as stale:
            s.refresh(found)
            return _render_event(s, found, conflict=stale, status=409)
        except EditError as error:
            s.refresh(found)
            flash(f"Facts not saved: {error}", "error")
            return _render_event(s, found, status=409 if isinstance(error, PeriodFrozen) else 400)
    flash("Facts saved." if change.changed else "Nothing to save: the facts did not change.", "ok")
    return _back_to_event(event_id, "facts")


@bp.route("/articles/<int:article_id>/split", methods=["POST"])
def split(article_id: int) -> Any:
    with db() as s:
        article = article_by_id(s, article_id)
        if article is None or article.event_id is None:
            abort(404, f"There is no article #{article_id} in an event.")
        old_event = article.event_id
    try:
        with db() as s:
            change = desk.split(s, article_id, actor=user().name, version=_version())
    except StaleEdit as stale:
        flash(str(stale), "error")
        return _back_to_event(old_event)
    except EditError as error:
        flash(f"Not split: {error}", "error")
        return _back_to_event(old_event)
    flash(f"Article #{article_id} split out of event #{old_event} into new event #{change.event_id}.", "ok")
    return redirect(_url_with_query("events.event", event_id=change.event_id))
