"""Help with the English edition: the site's English version pre-fills the draft, a LibreTranslate
server gives a machine draft (marked as such), "copy original" copies the text, and `e` puts the
cursor at the end of the headline. Nothing is saved until the analyst saves."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from config import PACKAGED_CONFIG_DIR
from config.review import clear_cache
from core.urls import canonical_url, url_host
from storage.db import session_scope
from storage.models import Article, Event
from tests.review.conftest import browser_login

ENGLISH_URL = "https://akn.tj/2025/01/06/5-kg-of-heroin-seized-in-khatlon-region/"
ENGLISH_TITLE = "5 kg of heroin seized in Khatlon region"
ENGLISH_TEXT = "Agency officers detained a resident of Dusti district with five kilograms of heroin."


def _english_version(url: str, event_id: int) -> None:
    """The site's English version of the story, stored in the event (as hreflang clusters it)."""
    with session_scope(url) as session:
        event = session.get(Event, event_id)
        assert event is not None and not event.headline_en
        session.add(Article(
            canonical_url=canonical_url(ENGLISH_URL), url=ENGLISH_URL, host=url_host(ENGLISH_URL),
            source_id="akn_tj", event_id=event_id, title=ENGLISH_TITLE, text=ENGLISH_TEXT,
            published_at=datetime(2025, 1, 6, 9, tzinfo=UTC), language="en", country="TJ",
            period_year=2025, period_number=1, content_hash="en-version",
        ))


def _field(html: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, name
    return match.group(1)


class _LibreTranslate(BaseHTTPRequestHandler):
    """A LibreTranslate-compatible ``POST /translate`` (the API's documented request and answer)."""

    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        answer = json.dumps({"translatedText": f"[{body['source']}→{body['target']}] {body['q'][:40]}"})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def translation_server(tmp_path: Path, monkeypatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LibreTranslate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = tmp_path / "settings"
    shutil.copytree(PACKAGED_CONFIG_DIR, config, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    review = config / "review.toml"
    url = f"http://127.0.0.1:{server.server_port}"
    text = review.read_text(encoding="utf-8").replace('url = ""', f'url = "{url}"')
    review.write_text(text, encoding="utf-8")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(config))
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", "desk-key")
    _LibreTranslate.requests = []
    yield url
    server.shutdown()


def test_the_sites_english_version_prefills_an_empty_draft(client, review_env):
    event_id = review_env.events["tj_heroin"]
    _english_version(review_env.url, event_id)
    client.login("anna")
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert (_field(html, "headline_en"), _field(html, "text_en")) == (ENGLISH_TITLE, ENGLISH_TEXT)
    assert "Draft from the English version" in html
    with session_scope(review_env.url) as session:
        assert session.get(Event, event_id).headline_en is None  # a draft, not saved


def test_copy_original_puts_the_original_text_in_the_form_and_keeps_the_rest(client, review_env):
    event_id = review_env.events["tj_heroin"]
    client.login("anna")
    html = client.post(f"/events/{event_id}/draft", {"draft": "original", "headline_en": "mine",
                                                      "country_override": "KG"}).get_data(as_text=True)
    assert _field(html, "headline_en") == "В Хатлонской области изъято 5 кг героина"
    assert _field(html, "text_en").startswith("Сотрудники АКН задержали")
    assert '<option value="KG" selected>' in html


def test_a_machine_draft_comes_from_the_translation_server_and_says_so(client, review_env,
                                                                      translation_server):
    event_id = review_env.events["tj_heroin"]
    client.login("anna")
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert 'id="draft-machine"' in page
    html = client.post(f"/events/{event_id}/draft", {"draft": "machine"}).get_data(as_text=True)
    assert _field(html, "headline_en") == "[ru→en] В Хатлонской области изъято 5 кг героина"
    assert "Machine translation draft" in html
    assert [r["source"] for r in _LibreTranslate.requests] == ["ru", "ru"]
    assert all(r["api_key"] == "desk-key" and r["format"] == "text" for r in _LibreTranslate.requests)


def test_an_unreachable_translation_server_keeps_the_typed_text(client, review_env, translation_server):
    review = Path(os.environ["NEWSMON_CONFIG_DIR"]) / "review.toml"
    text = review.read_text(encoding="utf-8").replace(translation_server, "http://127.0.0.1:9")
    review.write_text(text, encoding="utf-8")
    clear_cache()  # the settings are cached per folder: read the edited file
    event_id = review_env.events["tj_heroin"]
    client.login("anna")
    response = client.post(f"/events/{event_id}/draft", {"draft": "machine", "headline_en": "typed"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "No machine draft" in html
    assert _field(html, "headline_en") == "typed"


def test_without_a_server_there_is_no_machine_button(client, review_env):
    client.login("anna")
    html = client.get(f"/events/{review_env.events['tj_heroin']}").get_data(as_text=True)
    assert 'id="draft-original"' in html and 'id="draft-machine"' not in html


def test_in_the_browser_e_goes_to_the_end_of_the_prefilled_headline(page, live_server, review_env):
    event_id = review_env.events["tj_heroin"]
    _english_version(review_env.url, event_id)
    browser_login(page, "anna")
    page.goto(f"/events/{event_id}")
    assert page.locator("#draft-notice").is_visible()
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.id") == "headline_en"
    caret = page.evaluate("[document.activeElement.selectionStart, document.activeElement.value.length]")
    assert caret == [len(ENGLISH_TITLE), len(ENGLISH_TITLE)]
    page.click("#draft-original")
    page.wait_for_load_state()
    assert page.input_value("#headline_en") == "В Хатлонской области изъято 5 кг героина"
    assert not page.script_errors
