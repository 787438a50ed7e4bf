"""Log-in on every page, CSRF, roles, lock-out, cookies and headers (Flask test client)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from review.app import CONTENT_SECURITY_POLICY, PUBLIC_ENDPOINTS, create_app, secret_key_for
from review.sessions import SESSION_ID_COOKIE
from review.users import MAX_FAILED_LOGINS, WRONG_CREDENTIALS, authenticate
from storage.db import session_scope
from storage.models import Event, User, utcnow
from tests.review.conftest import Client

SAMPLE_VALUES = {"int": "1", "default": "x", "string": "x", "path": "x"}


def _sample_url(rule) -> str:
    """A concrete URL for a route, its variables filled with plausible values."""
    url = rule.rule
    for argument in rule.arguments:
        converter = (
            rule._converters[argument].__class__.__name__.lower().replace("converter", "") or "default"
        )
        value = "2025-01" if argument == "period_key" else SAMPLE_VALUES.get(converter, "1")
        url = re.sub(rf"<(?:[^:<>]+:)?{argument}>", value, url)
    return url


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_but_log_in_needs_a_session(app):
    http = app.test_client()
    checked = 0
    for rule, method in _routes(app):
        response = http.open(_sample_url(rule), method=method)
        if method == "GET":
            assert response.status_code == 302, (rule.rule, response.status_code)
            assert response.headers["Location"].startswith("/login"), rule.rule
        else:
            # A POST without a session fails before any view runs: CSRF (400) or log-in (401).
            assert response.status_code in (400, 401), (rule.rule, method, response.status_code)
        checked += 1
    assert checked >= 12
    assert {rule.endpoint for rule, _ in _routes(app)} >= {
        "events.inbox",
        "events.event",
        "events.set_status",
        "events.edit",
        "merging.merge",
        "merging.preview",
        "merging.undo",
        "bulk.decide",
        "events.split",
        "releases.release",
        "releases.build",
        "releases.download",
        "releases.preview",
        "releases.reopen_period",
        "admin.users",
        "admin.sources",
    }
    assert http.get("/login").status_code == 200


def test_a_post_without_the_csrf_token_is_refused_even_with_a_session(client, review_env):
    assert client.login("anna").status_code == 302
    event_id = review_env.events["sko"]
    refused = client.http.post(f"/events/{event_id}/status", data={"status": "accepted", "version": "1"})
    assert refused.status_code == 400
    assert "security token" in refused.get_data(as_text=True)
    wrong = client.http.post(
        f"/events/{event_id}/status", data={"status": "accepted", "version": "1", "csrf_token": "forged"}
    )
    assert wrong.status_code == 400
    with session_scope(review_env.url) as s:
        assert s.get(Event, event_id).status == "new"
    accepted = client.post(f"/events/{event_id}/status", {"status": "accepted", "version": "1"})
    assert accepted.status_code == 302


def test_log_in_itself_needs_the_csrf_token(app):
    http = app.test_client()
    http.get("/login")
    response = http.post("/login", data={"name": "anna", "password": "correct horse battery"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("name", "editor_pages", "admin_pages"),
    [("anna", 403, 403), ("erik", 200, 403), ("root", 200, 200)],
)
def test_roles_gate_the_editor_and_admin_pages(client, name, editor_pages, admin_pages):
    client.login(name)
    assert client.get("/inbox?period=2025-01").status_code == 200
    assert client.get("/release?period=2025-01").status_code == editor_pages
    assert client.get("/release/preview?period=2025-01").status_code == editor_pages
    assert client.post("/release/build?period=2025-01", {"format": "md", "draft": "1"}).status_code in (
        (403,) if editor_pages == 403 else (302,)
    )
    assert client.get("/admin/users").status_code == admin_pages
    assert client.get("/admin/sources").status_code == admin_pages
    created = client.post("/admin/users", {"name": "mallory", "role": "admin", "password": "Zq8-vexing-Lark"})
    assert created.status_code == (403 if admin_pages == 403 else 302)


def test_the_analyst_does_not_see_links_to_pages_they_cannot_use(client):
    client.login("anna")
    html = client.get("/inbox?period=2025-01").get_data(as_text=True)
    assert 'href="/release' not in html and 'href="/admin' not in html


def test_five_failures_lock_the_account_for_fifteen_minutes(client, review_env):
    for _ in range(MAX_FAILED_LOGINS):
        response = client.login("anna", "wrong password!")
        assert response.status_code == 401
        assert WRONG_CREDENTIALS in response.get_data(as_text=True)
    # The right password does not open a locked account, and the answer does not say it is locked.
    still = client.login("anna")
    assert still.status_code == 401 and WRONG_CREDENTIALS in still.get_data(as_text=True)
    with session_scope(review_env.url) as s:
        user = s.query(User).filter_by(name="anna").one()
        assert user.locked_until is not None
        assert timedelta(minutes=14) < user.locked_until - utcnow() <= timedelta(minutes=15)
        # After the lock expires, the right password works again.
        later = authenticate(s, "anna", "correct horse battery", now=user.locked_until + timedelta(seconds=1))
        assert later.user is not None


def test_session_cookie_flags_and_security_headers(client, review_env):
    response = client.login("anna")
    cookie = _session_id_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    page = client.get("/inbox?period=2025-01")
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "no-store" in page.headers["Cache-Control"]
    html = page.get_data(as_text=True)
    assert "<script>" not in html and " onclick=" not in html and " style=" not in html
    secure_app = create_app(
        database_url=review_env.url, data_dir=review_env.data_dir, secret_key="k", secure_cookies=True
    )
    secure = Client(secure_app).login("anna")
    assert "Secure" in _session_id_cookie(secure)


def _session_id_cookie(response) -> str:
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{SESSION_ID_COOKIE}=")]
    return cookie


def test_changing_the_password_ends_existing_sessions(client, review_env):
    client.login("anna")
    assert client.get("/inbox").status_code == 200
    from review.users import set_password

    with session_scope(review_env.url) as s:
        set_password(s, "anna", "a brand new passphrase", actor="root")
    assert client.get("/inbox").status_code == 302


def test_deactivated_users_are_logged_out(client, review_env):
    client.login("anna")
    from review.users import update_user

    with session_scope(review_env.url) as s:
        update_user(s, "anna", actor="root", active=False)
    assert client.get("/inbox").status_code == 302
    assert client.login("anna").status_code == 401


def test_log_in_redirects_only_to_local_pages(client):
    client.token = ""
    http = client.http
    html = http.get("/login?next=https://evil.example/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        response = http.post(
            "/login",
            data={"name": "anna", "password": "correct horse battery", "csrf_token": token, "next": target},
        )
        assert response.headers["Location"] == "/inbox", target
        http.post(
            "/logout",
            data={
                "csrf_token": re.search(
                    r'name="csrf-token" content="([^"]+)"', http.get("/inbox").get_data(as_text=True)
                ).group(1)
            },
        )
        html = http.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_secret_key_comes_from_the_environment_or_a_generated_private_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSMON_SECRET_KEY", "from-env")
    assert secret_key_for(tmp_path) == "from-env"
    monkeypatch.delenv("NEWSMON_SECRET_KEY")
    first = secret_key_for(tmp_path)
    assert len(first) == 64 and secret_key_for(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_passwords_are_stored_as_argon2_hashes(review_env):
    with session_scope(review_env.url) as s:
        user = s.query(User).filter_by(name="anna").one()
        assert user.password_hash.startswith("$argon2")
        assert "correct horse" not in user.password_hash
