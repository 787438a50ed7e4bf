"""Log-in and log-out.

Accounts lock after :data:`review.users.MAX_FAILED_LOGINS` failures in a row; on top of that a
client address that fails too often (any user names) is slowed down by :class:`AddressThrottle`.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from review.context import db, safe_next, user
from review.users import authenticate, session_stamp
from storage.repository import audit

bp = Blueprint("auth", __name__)


class AddressThrottle:
    """At most ``limit`` failed log-ins per client address in ``window`` seconds (in memory)."""

    def __init__(self, limit: int = 20, window: float = 15 * 60) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        failures = self._failures[address]
        while failures and failures[0] < now - self.window:
            failures.popleft()
        return failures

    def blocked(self, address: str) -> bool:
        with self._lock:
            return len(self._recent(address, time.monotonic())) >= self.limit

    def failed(self, address: str) -> None:
        with self._lock:
            self._recent(address, time.monotonic()).append(time.monotonic())

    def clear(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)


def _throttle() -> AddressThrottle:
    throttle = current_app.extensions.get("newsmon_throttle")
    if throttle is None:
        throttle = current_app.extensions["newsmon_throttle"] = AddressThrottle()
    return throttle


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    target = safe_next(request.values.get("next"), url_for("events.inbox"))
    if request.method == "GET":
        return render_template("login.html", next=target)
    name = (request.form.get("name") or "").strip()
    password = request.form.get("password") or ""
    address = request.remote_addr or "?"
    throttle = _throttle()
    if throttle.blocked(address):
        flash("Too many failed log-ins from this address: wait a few minutes.", "error")
        return render_template("login.html", next=target, name=name), 429
    with db() as s:
        result = authenticate(s, name, password)
        if result.user is None:
            throttle.failed(address)
            flash(result.message or "Log-in refused.", "error")
            return render_template("login.html", next=target, name=name), 401
        stamp, user_id = session_stamp(result.user), result.user.id
        audit(
            s,
            actor=result.user.name,
            entity_type="user",
            entity_id=user_id,
            action="login",
            after={"address": address},
        )
    throttle.clear(address)
    session.clear()  # a fresh session (and CSRF token) for the authenticated user
    session.permanent = True
    session["uid"], session["stamp"] = user_id, stamp
    return redirect(target)


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    name = user().name
    session.clear()
    flash(f"Logged out {name}.", "info")
    return redirect(url_for("auth.login"))
