"""Editor pages: a period's release — section order, summary and topic sentences, preview, build.

The document itself is the release builder's (:mod:`release.builder`): this page shows its
layout model, edits the overrides it reads (``Release.summary_*``, ``Release.topic_sentences``,
``Event.position``), and calls :func:`release.builder.build_release`.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from core.errors import UserError
from core.period import Period, PeriodError
from core.types import row_id
from desk import EditError, StaleOrder, StaleRelease, edit_release_texts, frozen_release, reopen
from desk import move as move_event
from release.builder import FORMATS, assemble_release, build_release
from release.render import render_html
from release.settings import EDITIONS, load_release_settings
from review.context import db, requires, user
from review.inbox import desk_period, period_or
from storage.db import Session
from storage.releases import events_changed_since, find_release
from storage.repository import audit_trail

bp = Blueprint("releases", __name__, url_prefix="/release")

# The preview is the builder's standalone HTML (inline styles): shown with scripts impossible.
PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; sandbox"


def _period() -> Period:
    return period_or(request.values.get("period"), desk_period())


def out_dir(period: Period) -> Path:
    """Where the web UI's builds go: ``<data dir>/releases/<year>-<number>``."""
    return Path(current_app.config["NEWSMON_DATA_DIR"]) / "releases" / period.key


def _here(period: Period, anchor: str = "") -> Any:
    return redirect(url_for("releases.release", period=period.key) + (f"#{anchor}" if anchor else ""))


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


@bp.route("")
@requires("editor")
def release(form: dict[str, Any] | None = None, status: int = 200) -> Any:
    period = _period()
    settings = load_release_settings()
    with db() as s:
        docs = {
            edition: assemble_release(s, period.year, period.number, edition, draft=True, settings=settings)
            for edition in EDITIONS
        }
        row = find_release(s, period)
        files = [
            {
                **item,
                "name": Path(item.get("path", "")).name,
                "exists": Path(item.get("path", "")).is_file(),
                "size": _size(Path(item.get("path", ""))),
                "changed": _changed_since_build(s, period, item),
            }
            for item in (row.files if row else []) or []
        ]
        trail = list(reversed(audit_trail(s, "release", row.id))) if row else []
        en = docs["en"]
        values = {
            "summary_en": (row.summary_en if row else None) or "",
            "summary_ru": (row.summary_ru if row else None) or "",
        }
        edited = (row.topic_sentences if row else None) or {}
        for edition in EDITIONS:
            for code in docs[edition].topic_phrases:
                values[f"topic_{edition}_{code}"] = (edited.get(edition) or {}).get(code, "")
        if form:
            values.update(form)
        return render_template(
            "release.html",
            period=period,
            doc=en,
            docs=docs,
            row=row,
            version=row.version if row else 0,
            values=values,
            files=files,
            stale=sorted({i for f in files if not f.get("draft") for i in f["changed"]}),
            frozen=frozen_release(s, period),
            trail=trail,
            formats=FORMATS,
            editions=EDITIONS,
            settings=settings,
        ), status


def _changed_since_build(session: Session, period: Period, item: dict[str, Any]) -> list[int]:
    """The events of the period (or printed in the file) changed after the file was built: a
    non-empty list makes the file stale."""
    try:
        built_at = datetime.fromisoformat(str(item.get("built_at") or ""))
    except ValueError:
        return []
    return events_changed_since(session, period, built_at, item.get("event_ids") or [])


@bp.route("/reopen", methods=["POST"])
@requires("editor")
def reopen_period() -> Any:
    """Let the events of a frozen period be edited again (audited on the release)."""
    period = _period()
    try:
        with db() as s:
            reopen(s, period, actor=user().name, reason=request.form.get("reason"))
    except EditError as error:
        flash(f"Not reopened: {error}", "error")
        return _here(period, "frozen")
    flash(f"Period {period.year} {period.label} reopened: its events can be edited again.", "ok")
    return _here(period, "frozen")


@bp.route("/texts", methods=["POST"])
@requires("editor")
def texts() -> Any:
    period = _period()
    form = {key: value for key, value in request.form.items() if key.startswith(("summary_", "topic_"))}
    topics: dict[str, dict[str, str]] = {}
    for key, value in form.items():
        parts = key.split("_", 2)
        if key.startswith("topic_") and len(parts) == 3 and parts[1] in EDITIONS and parts[2].isalpha():
            topics.setdefault(parts[1], {})[parts[2].upper()[:3]] = value
        elif key.startswith("topic_"):
            abort(400, f"unknown field {key[:40]!r}: topic fields are named topic_<edition>_<country>")
    version = request.form.get("version")
    try:
        with db() as s:
            change = edit_release_texts(
                s,
                period.year,
                period.number,
                actor=user().name,
                version=int(version) if version and re.fullmatch(r"[0-9]{1,9}", version) else None,
                summary_en=form.get("summary_en"),
                summary_ru=form.get("summary_ru"),
                topic_sentences=topics,
            )
    except StaleRelease as stale:
        flash(str(stale), "error")
        return release(form=form, status=409)
    except EditError as error:
        flash(f"Not saved: {error}", "error")
        return release(form=form, status=400)
    flash("Release texts saved." if change.changed else "Nothing to save: no text changed.", "ok")
    return _here(period, "texts")


@bp.route("/move", methods=["POST"])
@requires("editor")
def move() -> Any:
    period = _period()
    event_id = row_id(request.form.get("event_id", ""))
    offset = request.form.get("offset", "0").strip()
    order = [row_id(i) for i in request.form.get("order", "").split(",") if i.strip()]
    if event_id is None or not re.fullmatch(r"-?[0-9]{1,3}", offset) or None in order:
        abort(400, "bad reorder request: an event id, an offset of at most 999 places, the section's ids")
    expected = [i for i in order if i is not None]
    try:
        with db() as s:
            move_event(s, event_id, int(offset), actor=user().name, expected_order=expected or None)
    except StaleOrder as stale:
        flash(str(stale), "error")
    except EditError as error:
        flash(f"Not moved: {error}", "error")
    return _here(period, f"entry-{event_id}")


@bp.route("/preview")
@requires("editor")
def preview() -> Any:
    period = _period()
    edition = request.args.get("edition", "en")
    if edition not in EDITIONS:
        abort(404)
    with db() as s:
        doc = assemble_release(s, period.year, period.number, edition, draft=True)
        html = render_html(doc)
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    return response


@bp.route("/build", methods=["POST"])
@requires("editor")
def build() -> Any:
    period = _period()
    formats = request.form.getlist("format") or ["pdf"]
    edition = request.form.get("edition", "en")
    draft = request.form.get("draft") == "1"
    try:
        with db() as s:
            paths = build_release(
                s, period.year, period.number, formats, edition, draft, out_dir(period), actor=user().name
            )
    except UserError as error:
        flash(f"Not built: {error}", "error")
        return _here(period, "build")
    names = ", ".join(path.name for path in paths)
    flash(f"Built {names}.", "ok")
    return _here(period, "files")


@bp.route("/files/<period_key>/<name>")
@requires("editor")
def download(period_key: str, name: str) -> Any:
    try:
        period = Period.parse(period_key)
    except PeriodError:
        abort(404)
    with db() as s:
        row = find_release(s, period)
        recorded = [Path(item.get("path", "")) for item in ((row.files if row else None) or [])]
    for path in recorded:
        if path.name == name and path.is_file():
            return send_file(path, as_attachment=True, download_name=name, max_age=0)
    abort(404, f"No built file {name} for release {period.label}.")
