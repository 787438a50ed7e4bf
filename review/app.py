"""The review web app: Flask, server-rendered pages, sessions, CSRF and strict security headers.

Every page but the log-in page needs a server-side session (:func:`_require_login`,
:mod:`review.sessions`); pages are grouped in blueprints by who uses them (``events``: analysts,
``releases``: editors, ``admin``: admins). ``config/review.toml`` sets the session timeouts, the
log-in throttle and how many reverse proxies to trust (Werkzeug's ProxyFix).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect
from redis.exceptions import RedisError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from config.review import ReviewSettings, load_review_settings
from config.schedules import load_schedules
from core.types import MAX_ROW_ID
from desk import EditError, PeriodFrozen
from release.render import html_rich
from review import text as textutil
from review.context import CurrentUser, db, wants_json
from review.sessions import SESSION_ID_COOKIE, Sessions, SessionStore, store_from_env
from storage.db import DatabaseUnavailable
from storage.db import data_dir as default_data_dir
from storage.inbox import register_sqlite_casefold
from storage.users import user_by_id

PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)

csrf = CSRFProtect()


def secret_key_for(directory: Path) -> str:
    """``NEWSMON_SECRET_KEY``, else a key generated once into ``<data dir>/secret_key`` (mode 600)."""
    from_env = os.environ.get("NEWSMON_SECRET_KEY")
    if from_env:
        return from_env
    path = directory / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def _env_flag(name: str) -> bool | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return None
    return value.strip().lower() in {"1", "true", "yes", "on"}


class RowIdConverter(IntegerConverter):
    """``<int:…>`` in a route: a row id (1 … :data:`~core.types.MAX_ROW_ID`). A larger number names no
    row, so the URL does not match and the answer is 404, never a database overflow (500)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(map, *args, **kwargs)


def create_app(
    *,
    database_url: str | None = None,
    data_dir: Path | str | None = None,
    secret_key: str | None = None,
    secure_cookies: bool | None = None,
    testing: bool = False,
    settings: ReviewSettings | None = None,
    session_store: SessionStore | None = None,
) -> Flask:
    """The review app. ``database_url`` defaults to ``DATABASE_URL``/the SQLite file; cookies
    are marked Secure when ``secure_cookies`` (or env ``NEWSMON_SECURE_COOKIES=1``) says so.
    ``settings`` default to ``config/review.toml``; sessions are kept in ``session_store``,
    by default Redis when ``REDIS_URL`` is set, else the database."""
    app = Flask(__name__, static_folder="static", template_folder="templates")
    directory = Path(data_dir) if data_dir is not None else default_data_dir()
    secure = secure_cookies if secure_cookies is not None else bool(_env_flag("NEWSMON_SECURE_COOKIES"))
    app.config.update(
        SECRET_KEY=secret_key or secret_key_for(directory),
        TESTING=testing,
        NEWSMON_DATABASE_URL=database_url,
        NEWSMON_DATA_DIR=directory,
        SESSION_COOKIE_NAME="newsmon_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        WTF_CSRF_SSL_STRICT=secure,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=300,
    )
    app.url_map.converters["int"] = RowIdConverter  # before any route: /events/<int:…> ids are row ids
    review_settings = settings or load_review_settings()
    app.extensions["newsmon_review_settings"] = review_settings
    app.extensions["newsmon_sessions"] = Sessions(
        session_store or store_from_env(database_url), review_settings.sessions
    )
    proxy = review_settings.proxy
    if proxy.x_for or proxy.x_proto:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxy.x_for, x_proto=proxy.x_proto)  # type: ignore[method-assign]
    csrf.init_app(app)
    register_sqlite_casefold(database_url)  # the inbox search's Unicode case folding on SQLite
    load_schedules()  # the desk's time zone (default period): a malformed file fails here, by name

    from review import admin, auth, bulk, events, merging, releases, trends

    app.register_blueprint(auth.bp)
    app.register_blueprint(events.bp)
    app.register_blueprint(merging.bp)
    app.register_blueprint(bulk.bp)
    app.register_blueprint(releases.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(trends.bp)

    app.before_request(_require_login)
    app.after_request(_security_headers)
    app.context_processor(_template_globals)
    app.jinja_env.filters.update(
        country=textutil.country_name,
        excerpt=textutil.excerpt,
        audit_value=textutil.audit_value,
        topic=lambda t: textutil.TOPIC_LABELS.get(t or "", t or "—"),
        language=lambda code: textutil.LANGUAGE_NAMES.get(code or "", code or "?"),
        rich=html_rich,
        desk_time=textutil.desk_time,
        file_size=textutil.file_size,
    )
    app.jinja_env.globals.update(
        highlight=textutil.highlight, external_link=textutil.external_link, is_linkable=textutil.is_linkable
    )
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(EditError, _edit_error)
    app.register_error_handler(DatabaseUnavailable, _database_error)
    app.register_error_handler(RedisError, _session_store_error)
    app.register_error_handler(HTTPException, _http_error)
    return app


def _session_user(session_id: str) -> CurrentUser | None:
    """The user of a live server-side session whose stamp still matches the account."""
    from review.users import session_stamp

    sessions: Sessions = current_app.extensions["newsmon_sessions"]
    record = sessions.lookup(session_id)
    if record is None:
        return None
    with db() as s:
        user = user_by_id(s, record.user_id)
        if user is not None and user.active and session_stamp(user) == record.stamp:
            return CurrentUser(id=user.id, name=user.name, role=user.role)
    sessions.end(session_id)  # password, role or activity changed since: this session is over
    return None


def _require_login() -> Any:
    g.user = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    session_id = request.cookies.get(SESSION_ID_COOKIE)
    if session_id:
        g.user = _session_user(session_id)
        if g.user is not None:
            g.session_id = session_id
            return None
    if request.method in ("GET", "HEAD") and not wants_json():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if wants_json():
        return jsonify(error="log in first"), 401
    return Response("log in first\n", status=401, mimetype="text/plain")


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


def _template_globals() -> dict[str, Any]:
    from review.users import has_role

    user = g.get("user")
    return {
        "current_user": user,
        "can": (lambda role: user is not None and has_role(user.role, role)),
        "desk_zone_name": str(textutil.desk_zone()),
    }


def _error_page(status: int, title: str, message: str) -> Any:
    if wants_json():
        return jsonify(error=message), status
    return render_template("error.html", status=status, title=title, message=message), status


def _csrf_error(error: CSRFError) -> Any:
    return _error_page(
        400,
        "Form refused",
        "The form was not accepted (its security token is missing or expired). "
        "Reload the page and try again.",
    )


def _edit_error(error: EditError) -> Any:
    if isinstance(error, PeriodFrozen):
        return _error_page(409, "Period frozen", str(error))
    return _error_page(400, "Not saved", str(error))


def _database_error(error: DatabaseUnavailable) -> Any:
    current_app.logger.error("database unavailable: %s", error)
    return _error_page(503, "Database unavailable", str(error))


def _session_store_error(error: RedisError) -> Any:
    current_app.logger.error("session store (Redis) unavailable: %s", error)
    message = "The session store (Redis) did not answer: try again soon."
    return _error_page(503, "Sessions unavailable", message)


def _http_error(error: HTTPException) -> Any:
    if error.code is None or error.code < 400:
        return error
    return _error_page(error.code, error.name, error.description or error.name)
