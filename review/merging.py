"""Merging events on the desk's terms: a preview of the merged result, a confirmation that carries
both events' versions, and an undo (:mod:`desk.merge` holds the rules)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

import desk
from core.types import row_id
from desk import EditError, StaleEdit
from release.events import lead_article
from review.context import db, user
from storage.events import article_by_id
from storage.repository import event_by_id, source_names

bp = Blueprint("merging", __name__)


def _back(endpoint: str, anchor: str = "", **values: Any) -> Any:
    """Redirect keeping the inbox query the analyst came with (minus the merge's own fields)."""
    query = {k: v for k, v in request.args.items() if k not in ("other", "title_from", "keep_period")}
    return redirect(url_for(endpoint, **{**query, **values}) + (f"#{anchor}" if anchor else ""))


def _choices(values: Any) -> tuple[int | None, str, bool]:
    other = row_id(values.get("other_id") or "") or row_id(values.get("other") or "")
    title_from = values.get("title_from") or "target"
    keep_period = values.get("keep_period", "1") != "0"
    return other, title_from, keep_period


def _title(event: Any) -> str:
    """The title an event is shown with: the English headline, else its lead article's title."""
    lead = lead_article(event)
    return event.headline_en or (lead.title if lead is not None else "")


@bp.route("/events/<int:event_id>/merge/preview")
def preview(event_id: int) -> Any:
    """What merging ``other`` into this event would do; the page's form confirms it."""
    other, title_from, keep_period = _choices(request.args)
    if other is None:
        flash("Choose the event to merge into this one.", "error")
        return _back("events.event", "merge", event_id=event_id)
    with db() as s:
        target, source = event_by_id(s, event_id), event_by_id(s, other)
        if target is None:
            abort(404, f"There is no event #{event_id}.")
        if source is None:
            flash(f"Not merged: there is no event #{other}.", "error")
            return _back("events.event", "merge", event_id=event_id)
        try:
            result = desk.preview_merge(s, event_id, other, title_from=title_from, keep_period=keep_period)
        except EditError as error:
            flash(f"Not merged: {error}", "error")
            return _back("events.event", "merge", event_id=event_id)
        target, source = event_by_id(s, event_id), event_by_id(s, other)
        assert target is not None and source is not None
        merged = [a for a in (article_by_id(s, i) for i in result.article_ids) if a is not None]
        return render_template(
            "merge.html",
            target=target,
            source=source,
            titles={e.id: _title(e) for e in (target, source)},
            result=result,
            merged=merged,
            shown_title=_title(
                SimpleNamespace(headline_en=result.headline_en, articles=merged, lead_url=target.lead_url)
            ),
            title_from=title_from,
            keep_period=keep_period,
            source_names=source_names(s),
            query={k: v for k, v in request.args.items() if k not in ("other", "title_from", "keep_period")},
        )


@bp.route("/events/<int:event_id>/merge", methods=["POST"])
def merge(event_id: int) -> Any:
    """Merge as previewed: both versions the preview showed are checked."""
    other, title_from, keep_period = _choices(request.form)
    version, other_version = (
        row_id(request.form.get("version") or ""),
        row_id(request.form.get("other_version") or ""),
    )
    if other is None:
        flash("Choose the event to merge into this one.", "error")
        return _back("events.event", "merge", event_id=event_id)
    if version is None or other_version is None:
        flash("Check the preview first: it shows what the merge changes.", "error")
        return _back("merging.preview", event_id=event_id, other=other)
    try:
        with db() as s:
            change = desk.merge(
                s,
                event_id,
                other,
                actor=user().name,
                version=version,
                source_version=other_version,
                title_from=title_from,
                keep_period=keep_period,
            )
    except StaleEdit as stale:
        flash(f"Not merged: {stale}", "error")
        return _back("merging.preview", event_id=event_id, other=other)
    except EditError as error:
        flash(f"Not merged: {error}", "error")
        return _back("events.event", "merge", event_id=event_id)
    flash(
        f"Event #{other} merged into #{event_id}. "
        f"It can be undone below (merge #{change.after['merge_id']}).",
        "ok",
    )
    return _back("events.event", event_id=event_id)


@bp.route("/merges/<int:merge_id>/undo", methods=["POST"])
def undo(merge_id: int) -> Any:
    """Undo a merge: the merged event comes back with its articles."""
    target = row_id(request.form.get("event_id") or "")
    try:
        with db() as s:
            change = desk.undo_merge(
                s, merge_id, actor=user().name, version=row_id(request.form.get("version") or "")
            )
    except EditError as error:
        flash(f"Not undone: {error}", "error")
        return _back("events.event", "merges", event_id=target) if target else _back("events.inbox")
    flash(f"Merge undone: event #{change.event_id} is back with its articles.", "ok")
    return _back("events.event", event_id=change.event_id)
