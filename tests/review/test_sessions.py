"""Server-side sessions: log-out ends them for every copy of the cookie, the id changes at each
log-in, only its hash is stored, timeouts, and password/role/activity changes and an admin end them.
The store tests run on the database and on the private Redis the test session starts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from config.review import ReviewSettings, SessionSettings
from review.app import create_app
from review.sessions import (
    SESSION_ID_COOKIE,
    DatabaseSessionStore,
    RedisSessionStore,
    Sessions,
    hash_session_id,
)
from review.users import update_user
from storage.db import session_scope
from storage.models import AuditEntry, Event, User, UserSession, utcnow
from storage.repository import audit_trail
from tests.review.conftest import Client
from tests.services import free_port, redis_server_url


def _session_id(client: Client) -> str | None:
    cookie = client.http.get_cookie(SESSION_ID_COOKIE)
    return cookie.value if cookie is not None else None


def _copy_of(client: Client, app) -> Client:
    """Another client carrying copies of all of ``client``'s cookies and its CSRF token."""
    thief = Client(app)
    for name in (SESSION_ID_COOKIE, "newsmon_session"):
        cookie = client.http.get_cookie(name)
        assert cookie is not None, name
        thief.http.set_cookie(name, cookie.value)
    thief.token = client.token
    return thief


def _user_id(url: str, name: str) -> int:
    with session_scope(url) as s:
        return s.query(User).filter_by(name=name).one().id


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
def store(request, review_env):
    if request.param == "database":
        yield DatabaseSessionStore(review_env.url)
        return
    redis_store = RedisSessionStore(redis_server_url(), prefix=f"test-{uuid.uuid4().hex}")
    yield redis_store
    for key in redis_store.client.scan_iter(f"{redis_store.prefix}:*"):
        redis_store.client.delete(key)


@pytest.fixture
def store_app(review_env, store):
    return create_app(
        database_url=review_env.url, data_dir=review_env.data_dir, secret_key="k", session_store=store
    )


def test_a_cookie_copied_before_log_out_is_refused_after_it(store_app, review_env):
    anna = Client(store_app)
    assert anna.login("anna").status_code == 302
    thief = _copy_of(anna, store_app)
    assert thief.get("/inbox?period=2025-01").status_code == 200  # the copy works while anna is in
    assert anna.post("/logout").status_code == 302
    event_id = review_env.events["sko"]
    replay = thief.post(f"/events/{event_id}/status", {"status": "rejected", "version": "1", "reason": "x"})
    assert replay.status_code == 401
    assert thief.get("/inbox").status_code == 302
    with session_scope(review_env.url) as s:
        assert s.get(Event, event_id).status == "new"
        assert audit_trail(s, "event", event_id) == []


def test_log_in_gives_a_new_session_id_and_ends_the_one_sent_with_it(store_app):
    client = Client(store_app)
    client.login("anna")
    first = _session_id(client)
    client.login("anna")
    second = _session_id(client)
    assert first and second and first != second
    old = Client(store_app)
    old.http.set_cookie(SESSION_ID_COOKIE, first)
    assert old.get("/inbox").status_code == 302
    assert client.get("/inbox?period=2025-01").status_code == 200


def test_a_made_up_session_id_opens_nothing(store_app):
    forger = Client(store_app)
    forger.http.set_cookie(SESSION_ID_COOKIE, "a" * 43)
    assert forger.get("/inbox").status_code == 302


def test_the_database_keeps_only_a_hash_of_the_session_id(client, review_env):
    client.login("anna")
    session_id, anna_id = _session_id(client), _user_id(review_env.url, "anna")
    with session_scope(review_env.url) as s:
        (row,) = s.query(UserSession).all()
        assert row.id_hash == hash_session_id(session_id) != session_id
        assert session_id not in repr(vars(row))
        assert row.user_id == anna_id and row.address == "127.0.0.1"
    client.post("/logout")
    with session_scope(review_env.url) as s:
        assert s.query(UserSession).count() == 0


def test_a_role_change_ends_the_users_sessions(client, review_env):
    client.login("anna")
    with session_scope(review_env.url) as s:
        update_user(s, "anna", actor="root", role="editor")
        assert s.query(UserSession).count() == 0
    assert client.get("/inbox").status_code == 302
    assert client.login("anna").status_code == 302  # a new log-in is fine, with the new role
    assert client.get("/release?period=2025-01").status_code == 200


def test_an_admin_ends_a_users_sessions_from_the_users_page(store_app, review_env):
    anna, root = Client(store_app), Client(store_app)
    anna.login("anna")
    root.login("root")
    anna_id = _user_id(review_env.url, "anna")
    page = root.get("/admin/users").get_data(as_text=True)
    assert 'value="end-sessions"' in page
    forged = root.http.post(f"/admin/users/{anna_id}", data={"action": "end-sessions"})
    assert forged.status_code == 400  # no CSRF token: refused, anna stays logged in
    assert anna.get("/inbox?period=2025-01").status_code == 200
    assert root.post(f"/admin/users/{anna_id}", {"action": "end-sessions"}).status_code == 302
    assert anna.get("/inbox").status_code == 302
    assert root.get("/admin/users").status_code == 200  # the admin's own session goes on
    with session_scope(review_env.url) as s:
        entry = s.query(AuditEntry).filter_by(entity_type="user", action="end-sessions").one()
        assert entry.actor == "root" and entry.entity_id == str(anna_id)


def test_an_admin_ends_sessions_in_the_store_itself(store, review_env):
    sessions = Sessions(store, SessionSettings())
    anna_id = _user_id(review_env.url, "anna")
    ids = [sessions.start(anna_id, "stamp") for _ in range(2)]
    assert store.counts([anna_id], utcnow()) == {anna_id: 2}
    sessions.end_user(anna_id)
    assert store.counts([anna_id], utcnow()) == {anna_id: 0}
    assert all(sessions.lookup(session_id) is None for session_id in ids)


def test_a_session_ends_after_the_idle_timeout(store, review_env):
    sessions = Sessions(store, SessionSettings(idle_minutes=30, absolute_hours=12))
    start = utcnow()
    session_id = sessions.start(_user_id(review_env.url, "anna"), "stamp", now=start)
    assert sessions.lookup(session_id, now=start + timedelta(minutes=29)) is not None
    # Each request moves the idle clock on…
    assert sessions.lookup(session_id, now=start + timedelta(minutes=58)) is not None
    # …and 30 minutes without one end the session for good.
    assert sessions.lookup(session_id, now=start + timedelta(minutes=89)) is None
    assert sessions.lookup(session_id, now=start + timedelta(minutes=60)) is None


def test_a_session_ends_after_the_absolute_timeout_even_when_used(store, review_env):
    sessions = Sessions(store, SessionSettings(idle_minutes=60, absolute_hours=2))
    start = utcnow()
    session_id = sessions.start(_user_id(review_env.url, "anna"), "stamp", now=start)
    for minutes in range(30, 120, 30):
        assert sessions.lookup(session_id, now=start + timedelta(minutes=minutes)) is not None
    assert sessions.lookup(session_id, now=start + timedelta(minutes=120)) is None


def test_the_timeouts_come_from_the_review_settings(review_env):
    settings = ReviewSettings(sessions=SessionSettings(idle_minutes=5, absolute_hours=1))
    app = create_app(
        database_url=review_env.url, data_dir=review_env.data_dir, secret_key="k", settings=settings
    )
    client = Client(app)
    response = client.login("anna")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(SESSION_ID_COOKIE))
    assert "Max-Age=3600" in cookie
    sessions = app.extensions["newsmon_sessions"]
    assert sessions.settings.idle == timedelta(minutes=5)
    record = sessions.lookup(_session_id(client))
    assert record is not None and record.expires_at - record.created_at == timedelta(hours=1)


def test_a_redis_that_does_not_answer_is_a_503_not_a_crash(review_env):
    nowhere = RedisSessionStore(f"redis://127.0.0.1:{free_port()}/0")
    app = create_app(
        database_url=review_env.url, data_dir=review_env.data_dir, secret_key="k", session_store=nowhere
    )
    client = Client(app)
    client.http.set_cookie(SESSION_ID_COOKIE, "a" * 43)
    response = client.get("/inbox")
    assert response.status_code == 503 and "session store" in response.get_data(as_text=True)
