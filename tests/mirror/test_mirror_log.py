"""The access log records every site request in arrival order; internal endpoints stay out of it."""

from __future__ import annotations

import json

from mirror.testing import fetch


def test_requests_are_logged_in_order_with_status(fresh_mirror):
    fetch(fresh_mirror, "https://polisia.kz/ru/")
    fetch(fresh_mirror, "https://mvd.gov.kg/rus/news/4033")
    fetch(fresh_mirror, "https://www.polisia.kz/ru/feed/?paged=2")
    assert fresh_mirror.requests == [("polisia.kz", "/ru/", 200), ("mvd.gov.kg", "/rus/news/4033", 404),
                                     ("www.polisia.kz", "/ru/feed/?paged=2", 301)]


def test_count_filters_by_host_and_path_prefix(fresh_mirror):
    for url in ("https://polisia.kz/ru/", "https://polisia.kz/ru/feed/", "https://polisia.kz/feed/",
                "https://akn.tj/ru/feed/"):
        fetch(fresh_mirror, url)
    assert fresh_mirror.count() == 4
    assert fresh_mirror.count(host="polisia.kz") == 3
    assert fresh_mirror.count(path_prefix="/ru/") == 3
    assert fresh_mirror.count(host="polisia.kz", path_prefix="/ru/") == 2


def test_count_accepts_a_unicode_host(fresh_mirror):
    fetch(fresh_mirror, "https://22.xn--b1aew.xn--p1ai/news")
    assert fresh_mirror.count(host="22.мвд.рф") == 1


def test_reset_log_empties_it(fresh_mirror):
    fetch(fresh_mirror, "https://akn.tj/")
    fresh_mirror.reset_log()
    assert fresh_mirror.requests == [] and fresh_mirror.count() == 0


def test_log_endpoint_returns_json_and_is_not_logged_itself(fresh_mirror):
    fetch(fresh_mirror, "https://akn.tj/ru/", headers={"User-Agent": "newsmon-test"})
    data = json.loads(fetch(fresh_mirror, "https://akn.tj/__mirror__/log").body)
    assert [(r["host"], r["path"], r["status"], r["user_agent"]) for r in data["requests"]] == [
        ("akn.tj", "/ru/", 200, "newsmon-test")]
    assert fresh_mirror.count() == 1


def test_health_endpoint(fresh_mirror):
    resp = fetch(fresh_mirror, "http://127.0.0.1/__mirror__/health")
    data = json.loads(resp.body)
    assert resp.status == 200 and data["status"] == "ok" and data["articles"] > 80
    assert "xn--b1aew.xn--p1ai" in data["hosts"]


def test_reset_endpoint_clears_the_log(fresh_mirror):
    fetch(fresh_mirror, "https://akn.tj/ru/")
    assert fetch(fresh_mirror, "https://akn.tj/__mirror__/reset", method="POST").status == 200
    assert fresh_mirror.count() == 0
