"""`newsmon serve` starts the app; the preview and admin pages through the test client."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from storage.db import session_scope
from storage.models import User

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_newsmon_serve_answers_with_the_log_in_page(review_env):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": review_env.url, "NEWSMON_DATA_DIR": str(review_env.data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsmon", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
                    body = response.read().decode()
                    headers = response.headers
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stdout.read()
                assert time.monotonic() < deadline, "newsmon serve did not answer"
                time.sleep(0.3)
        assert 'name="password"' in body and headers["X-Frame-Options"] == "DENY"
        assert "HttpOnly" in headers["Set-Cookie"]
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/release/build", data=b"", timeout=5)
        except urllib.error.HTTPError as refused:
            assert refused.code == 400
        # The secret key was generated into the data folder, private.
        key = review_env.data_dir / "secret_key"
        assert key.exists() and key.stat().st_mode & 0o777 == 0o600
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()


def test_the_preview_is_the_builders_html_in_a_sandbox(client):
    client.login("erik")
    response = client.get("/release/preview?period=2025-01&edition=ru")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "ИНФОРМАЦИОННЫЙ ВЫПУСК" in response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "script-src" not in policy and "default-src 'none'" in policy


def test_an_admin_creates_and_unlocks_users_in_the_ui(client, review_env):
    client.login("root")
    assert (
        client.post("/admin/users", {"name": "dana", "role": "analyst", "password": "short"}).status_code
        == 302
    )
    assert "at least 12 characters" in client.get("/admin/users").get_data(as_text=True)
    client.post("/admin/users", {"name": "dana", "role": "analyst", "password": "long enough secret"})
    with session_scope(review_env.url) as s:
        dana = s.query(User).filter_by(name="dana").one()
        dana_id = dana.id
        assert dana.role == "analyst"
    client.post(f"/admin/users/{dana_id}", {"action": "role", "role": "editor"})
    client.post(f"/admin/users/{dana_id}", {"action": "deactivate"})
    with session_scope(review_env.url) as s:
        dana = s.get(User, dana_id)
        assert (dana.role, dana.active) == ("editor", False)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "dana" in html and "Recent user changes" in html
    assert "polisia_kz" in client.get("/admin/sources").get_data(as_text=True)
