"""Every route of the review UI, fed out-of-range ids and odd strings in its path, query and form,
answers with a page or a refusal (4xx), never a server error. The list is the app's own URL map,
so a route added later is fuzzed too."""

from __future__ import annotations

import re

import pytest

HUGE = "9999999999999999999999999"
ODD = ["0", "-1", HUGE, "²", "٣", "' OR 1=1 --", "%00", "a" * 3000, "../../etc/passwd", "2025-99"]
FORM_FIELDS = ("status", "version", "other", "other_id", "reason", "headline_en", "text_en", "draft",
               "country_override", "published_override", "topic_override", "period", "edition", "formats",
               "title_from", "keep_period", "event_ids", "order", "role", "password", "name", "q")


def _routes(app) -> list[tuple[str, str, list[str]]]:
    """(rule, method, argument names) of every route but static files."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule in ("/login", "/logout"):
            continue  # the session must last the whole run (log-in itself: tests/review/test_accounts.py)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.rule, method, sorted(rule.arguments)))
    return found


def _path(rule: str, value: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?[^>]+>", value.replace("/", "%2F"), rule)


@pytest.mark.parametrize("value", ODD)
def test_no_route_answers_a_server_error(client, app, value):
    client.login("root")
    failures = []
    for rule, method, _ in _routes(app):
        path = _path(rule, value)
        if method == "GET":
            response = client.get(path, query_string={"period": value, "page": value, "q": value,
                                                      "other": value, "edition": value})
        else:
            response = client.post(path + f"?period={value}", {field: value for field in FORM_FIELDS})
        if response.status_code >= 500:
            failures.append(f"{method} {path[:80]} -> {response.status_code}")
    assert not failures, failures
    assert client.get("/inbox?period=2025-01").status_code == 200, "still logged in: every route was reached"


def test_the_fuzz_covers_the_routes_of_every_blueprint(app):
    endpoints = {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()}
    assert {"events", "releases", "merging", "admin"} <= endpoints
    assert len(_routes(app)) >= 25
