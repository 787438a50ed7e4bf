"""Fixtures of the review UI tests: a seeded database, the Flask app, a live server, a browser.

The browser is Debian's ``chromium`` (installed by ``scripts/system-deps.sh``) driven through
Playwright's ``executable_path``: no browser is ever downloaded. The live server is the real app
served by werkzeug in a thread of the test process, on a free port of 127.0.0.1.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from review.app import create_app
from storage import schema
from storage.db import dispose_engines, session_scope
from tests.review.seed import PASSWORD, seed

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token" value="([^"]+)"')


@dataclass
class ReviewEnv:
    url: str
    data_dir: Path
    events: dict[str, int]


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """One migrated, seeded SQLite file per test session; each test gets a copy of it."""
    directory = tmp_path_factory.mktemp("review-template")
    url = f"sqlite:///{directory / 'newsmon.sqlite'}"
    schema.upgrade(url)
    with session_scope(url) as session:
        events = seed(session)
    dispose_engines()  # closing the last connection checkpoints the WAL into the file
    return directory / "newsmon.sqlite", events


@pytest.fixture
def review_env(seeded_template, tmp_path, monkeypatch) -> Iterator[ReviewEnv]:
    """A fresh copy of a migrated SQLite database seeded with the stories of release #1 2025
    and four users (anna, boris: analysts; erik: editor; root: admin)."""
    template, events = seeded_template
    database = tmp_path / "newsmon.sqlite"
    shutil.copyfile(template, database)
    url = f"sqlite:///{database}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("NEWSMON_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NEWSMON_SECRET_KEY", raising=False)
    assert schema.is_up_to_date(url)
    yield ReviewEnv(url=url, data_dir=tmp_path / "data", events=dict(events))
    dispose_engines()


@pytest.fixture
def app(review_env):
    return create_app(database_url=review_env.url, data_dir=review_env.data_dir, secret_key="test-secret")


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class Client:
    """The Flask test client with log-in and CSRF-aware POST helpers."""

    def __init__(self, app) -> None:
        self.app = app
        self.http = app.test_client()
        self.token = ""

    def login(self, name: str, password: str = PASSWORD):
        self.token = csrf_token(self.http.get("/login").get_data(as_text=True))
        response = self.http.post(
            "/login", data={"name": name, "password": password, "csrf_token": self.token}
        )
        if response.status_code == 302:
            self.token = csrf_token(self.http.get("/inbox").get_data(as_text=True))
        return response

    def get(self, path: str, **kwargs):
        return self.http.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs):
        return self.http.post(path, data={"csrf_token": self.token, **(data or {})}, **kwargs)


@pytest.fixture
def client(app) -> Client:
    return Client(app)


@dataclass
class LiveServer:
    base: str
    env: ReviewEnv


@pytest.fixture
def live_server(review_env) -> Iterator[LiveServer]:
    application = create_app(
        database_url=review_env.url, data_dir=review_env.data_dir, secret_key="live-secret"
    )
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="review-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(base=f"http://127.0.0.1:{server.server_port}", env=review_env)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="package")
def chromium():
    # Package scope: Playwright's sync API keeps an asyncio loop running in this thread while it
    # is started, which would break later tests that run their own loop.
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run scripts/system-deps.sh (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.base, viewport={"width": 1440, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.script_errors = errors  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


def browser_login(page, name: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill('input[name="name"]', name)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')
    page.wait_for_url(re.compile(r"/inbox"))
