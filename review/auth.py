"""Log-in and log-out, with server-side sessions (:mod:`review.sessions`) and the log-in throttle.

Failures are counted per account and per client address. An account locks after
:data:`review.users.MAX_FAILED_LOGINS` failures in a row (the answer stays the uniform "wrong user
name or password"); a client address with ``[login].address_limit`` failures (any user names)
within the window is refused with 429. The address is the one Werkzeug's ProxyFix leaves in
``remote_addr``: with ``[proxy].x_for`` set to the number of trusted proxies, the client's own
address from ``X-Forwarded-For``, so one person's failures behind the proxy do not lock out the
whole desk.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from config.review import ReviewSettings
from review.context import db, safe_next, user
from review.sessions import SESSION_ID_COOKIE, Sessions
from review.users import authenticate, session_stamp
from storage.db import Session
from storage.models import utcnow
from storage.repository import audit
from storage.sessions import forget_login_failures, login_failures_since, record_login_failure

bp = Blueprint("auth", __name__)
ADDRESS_REFUSED = "Too many failed log-ins from this address: wait a few minutes."


def sessions() -> Sessions:
    return current_app.extensions["newsmon_sessions"]


def settings() -> ReviewSettings:
    return current_app.extensions["newsmon_review_settings"]


def client_address() -> str:
    return (request.remote_addr or "?")[:64]


def _address_blocked(s: Session, address: str) -> bool:
    login = settings().login
    failures = login_failures_since(s, address=address, since=utcnow() - login.address_window)
    return failures >= login.address_limit


def _count_failure(s: Session, address: str, account: str) -> None:
    now = utcnow()
    forget_login_failures(s, before=now - settings().login.address_window)
    record_login_failure(s, address=address, account=account, at=now)


def set_session_cookie(response: Response, session_id: str) -> None:
    config = current_app.config
    response.set_cookie(
        SESSION_ID_COOKIE,
        session_id,
        max_age=int(settings().sessions.absolute.total_seconds()),
        path="/",
        httponly=True,
        samesite="Lax",
        secure=bool(config["SESSION_COOKIE_SECURE"]),
    )


def clear_session_cookie(response: Response) -> None:
    config = current_app.config
    secure = bool(config["SESSION_COOKIE_SECURE"])
    response.delete_cookie(SESSION_ID_COOKIE, path="/", httponly=True, samesite="Lax", secure=secure)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    target = safe_next(request.values.get("next"), url_for("events.inbox"))
    if request.method == "GET":
        return render_template("login.html", next=target)
    name = (request.form.get("name") or "").strip()
    password = request.form.get("password") or ""
    address = client_address()
    with db() as s:
        if _address_blocked(s, address):
            flash(ADDRESS_REFUSED, "error")
            return render_template("login.html", next=target, name=name), 429
        result = authenticate(s, name, password)
        if result.user is None:
            _count_failure(s, address, name)
        else:
            stamp, user_id = session_stamp(result.user), result.user.id
            audit(
                s,
                actor=result.user.name,
                entity_type="user",
                entity_id=user_id,
                action="login",
                after={"address": address},
            )
    if result.user is None:
        flash(result.message or "Log-in refused.", "error")
        return render_template("login.html", next=target, name=name), 401
    previous = request.cookies.get(SESSION_ID_COOKIE)
    if previous:
        sessions().end(previous)  # a new id at every log-in: an id planted before it is worthless
    session_id = sessions().start(
        user_id, stamp, address=address, user_agent=request.headers.get("User-Agent")
    )
    session.clear()  # a fresh Flask session (and CSRF token) for the authenticated user
    response = redirect(target)
    set_session_cookie(response, session_id)
    return response


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    name = user().name
    session_id = g.get("session_id")
    if session_id:
        sessions().end(session_id)
    session.clear()
    flash(f"Logged out {name}.", "info")
    response = redirect(url_for("auth.login"))
    clear_session_cookie(response)
    return response
