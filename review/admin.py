"""Admin pages: users (create, role, (de)activate, unlock, password, end sessions) and the
sources' crawl state."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from review.auth import sessions
from review.context import db, requires, user
from review.users import (
    ROLES,
    UserAdminError,
    create_user,
    end_sessions,
    set_password,
    unlock,
    update_user,
)
from storage.db import Session
from storage.health import source_health
from storage.models import utcnow
from storage.repository import articles_per_source, last_runs, sources_in_order
from storage.users import recent_user_changes, user_by_id, users_by_name

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@requires("admin")
def users() -> Any:
    with db() as s:
        rows, recent = users_by_name(s), recent_user_changes(s, limit=30)
    # After the block: on SQLite a second transaction inside it would wait for the first one's lock.
    live = sessions().store.counts([row.id for row in rows], utcnow())
    return render_template("users.html", users=rows, roles=ROLES, sessions=live, recent=recent)


@bp.route("/users", methods=["POST"])
@requires("admin")
def create() -> Any:
    name = (request.form.get("name") or "").strip()
    try:
        with db() as s:
            create_user(
                s, name, request.form.get("password") or "", request.form.get("role") or "", actor=user().name
            )
    except UserAdminError as error:
        flash(f"Not created: {error}", "error")
    else:
        flash(f"User {name} created.", "ok")
    return redirect(url_for("admin.users"))


def _name_of(s: Session, user_id: int) -> str:
    found = user_by_id(s, user_id)
    if found is None:
        abort(404, f"There is no user #{user_id}.")
    return found.name


@bp.route("/users/<int:user_id>", methods=["POST"])
@requires("admin")
def change(user_id: int) -> Any:
    action = request.form.get("action")
    try:
        with db() as s:
            name = _name_of(s, user_id)
            if action == "unlock":
                unlock(s, name, actor=user().name)
            elif action == "password":
                set_password(s, name, request.form.get("password") or "", actor=user().name)
            elif action in ("activate", "deactivate"):
                if name == user().name and action == "deactivate":
                    raise UserAdminError("you cannot deactivate yourself")
                update_user(s, name, actor=user().name, active=action == "activate")
            elif action == "end-sessions":
                end_sessions(s, name, actor=user().name)
            elif action == "role":
                if name == user().name:
                    raise UserAdminError("you cannot change your own role")
                update_user(s, name, actor=user().name, role=request.form.get("role") or "")
            else:
                abort(400, "unknown action")
    except UserAdminError as error:
        flash(f"Not changed: {error}", "error")
    else:
        if action in ("end-sessions", "password", "role", "deactivate"):
            sessions().end_user(user_id)  # the store's records too (Redis); the stamp already changed
        flash(f"User {name}: {action} done.", "ok")
    return redirect(url_for("admin.users"))


@bp.route("/sources")
@requires("admin")
def sources() -> Any:
    with db() as s:
        rows = []
        stored = articles_per_source(s)
        health = {item.source_id: item for item in source_health(s)}
        for source in sources_in_order(s):
            runs = last_runs(s, source.id, limit=5)
            rows.append((source, runs, stored.get(source.id, 0), health.get(source.id)))
        return render_template("sources.html", rows=rows)
