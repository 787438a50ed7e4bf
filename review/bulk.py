"""The inbox's bulk decisions: accept, or reject with a reason, the events an analyst ticked.

One CSRF-protected POST; each event goes through the desk's single-decision rule
(:func:`desk.decide_many`: version checked, audited), and the flash reports every outcome.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

import desk
from core.types import row_id
from desk import EditError
from review.context import db, user

bp = Blueprint("bulk", __name__)


def _selected() -> list[tuple[int, int | None]]:
    """The ticked boxes: ``<event id>:<version read>`` each."""
    items: list[tuple[int, int | None]] = []
    for value in request.form.getlist("event"):
        event_id, _, version = value.partition(":")
        if (number := row_id(event_id)) is not None:
            items.append((number, row_id(version)))
    return items


@bp.route("/inbox/decide", methods=["POST"])
def decide() -> Any:
    status = request.form.get("status", "")
    reason = (request.form.get("reason") or "").strip() or request.form.get("reason_preset") or None
    query: dict[str, Any] = request.args.to_dict()
    back = redirect(url_for("events.inbox", **query) + "#inbox")
    if status not in ("accepted", "rejected"):
        flash("Choose accept or reject.", "error")
        return back
    selected = _selected()
    if any(version is None for _, version in selected):
        flash("Nothing decided: the form has no version for an event; reload the inbox.", "error")
        return back
    try:
        with db() as s:
            report = desk.decide_many(s, selected, status, actor=user().name, reason=reason)
    except EditError as error:
        flash(f"Nothing decided: {error}", "error")
        return back
    skipped = any(o.outcome not in ("done", "unchanged") for o in report.outcomes)
    flash(report.summary + ".", "error" if skipped else "ok")
    return back
