"""Fault modes: one behaviour each, set in the constructor or at run time."""

from __future__ import annotations

import http.client
import json
import re
import socket
from xml.etree import ElementTree

import pytest
from protego import Protego

from mirror import MirrorServer
from mirror.faults import Fault, robots_path
from mirror.testing import fetch

FEED = "https://polisia.kz/ru/feed/"


def test_503_burst_fails_the_first_n_requests_then_recovers(fresh_mirror):
    fresh_mirror.set_faults({r"^/ru/feed/": "503-burst:2"})
    assert [fetch(fresh_mirror, FEED).status for _ in range(4)] == [503, 503, 200, 200]


def test_500_can_be_limited_to_the_first_requests(fresh_mirror):
    fresh_mirror.set_faults({r"feed": "500:n=1"})
    assert [fetch(fresh_mirror, FEED).status for _ in range(2)] == [500, 200]


def test_429_sends_retry_after(fresh_mirror):
    fresh_mirror.set_faults({r"^/news/rss": "429:retry_after=7"})
    resp = fetch(fresh_mirror, "https://xn--b1aew.xn--p1ai/news/rss")
    assert resp.status == 429 and resp.header("Retry-After") == "7"


def test_404_fault_hides_an_existing_page(fresh_mirror):
    fresh_mirror.set_faults({r"^/rus/news/4052$": "404"})
    assert fetch(fresh_mirror, "https://mvd.gov.kg/rus/news/4052").status == 404
    assert fetch(fresh_mirror, "https://mvd.gov.kg/kyr/news/4052").status == 200


def test_host_qualified_pattern_targets_one_host(fresh_mirror):
    fresh_mirror.set_faults({r"//22\.xn--b1aew\.xn--p1ai/news/rss": "500"})
    assert fetch(fresh_mirror, "https://22.xn--b1aew.xn--p1ai/news/rss").status == 500
    assert fetch(fresh_mirror, "https://xn--b1aew.xn--p1ai/news/rss").status == 200


def test_slow_outlasts_a_client_timeout(fresh_mirror):
    fresh_mirror.set_faults({r"^/ru/$": "slow:3"})
    with pytest.raises(TimeoutError):
        fetch(fresh_mirror, "https://polisia.kz/ru/", timeout=0.5)


def test_reset_closes_the_connection_without_an_answer(fresh_mirror):
    fresh_mirror.set_faults({r"^/ru/$": "reset"})
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
        fetch(fresh_mirror, "https://polisia.kz/ru/")
    assert fresh_mirror.requests[-1] == ("polisia.kz", "/ru/", 0)


def test_truncated_body_is_shorter_than_content_length(fresh_mirror):
    fresh_mirror.set_faults({r"^/ru/$": "truncated"})
    with pytest.raises(http.client.IncompleteRead):
        fetch(fresh_mirror, "https://polisia.kz/ru/")


def test_cp1251_as_utf8_sends_windows_1251_bytes_under_a_utf8_label(fresh_mirror):
    fresh_mirror.set_faults({r"^/rus/news/4052$": "cp1251-as-utf8"})
    resp = fetch(fresh_mirror, "https://mvd.gov.kg/rus/news/4052")
    assert "utf-8" in resp.header("Content-Type").lower()
    with pytest.raises(UnicodeDecodeError):
        resp.body.decode("utf-8")
    assert "викторина" in resp.body.decode("cp1251")


def test_utf8_as_cp1251_labels_utf8_bytes_as_windows_1251(fresh_mirror):
    fresh_mirror.set_faults({r"^/rus/news/4052$": "utf8-as-cp1251"})
    resp = fetch(fresh_mirror, "https://mvd.gov.kg/rus/news/4052")
    assert "windows-1251" in resp.header("Content-Type")
    assert 'charset="windows-1251"' in resp.text or "charset=windows-1251" in resp.text
    assert "викторина" in resp.text


def test_empty_answers_200_without_a_body(fresh_mirror):
    fresh_mirror.set_faults({"feed": "empty"})
    resp = fetch(fresh_mirror, FEED)
    assert resp.status == 200 and resp.body == b""


def test_huge_sends_a_page_of_that_size(fresh_mirror):
    fresh_mirror.set_faults({"^/ru/$": "huge:1.5"})
    resp = fetch(fresh_mirror, "https://polisia.kz/ru/")
    assert resp.status == 200 and len(resp.body) == int(1.5 * 1024 * 1024)
    assert resp.text.startswith("<!DOCTYPE html>") and resp.text.endswith("</html>\n")


def test_redirect_loop_points_at_itself(fresh_mirror):
    fresh_mirror.set_faults({"^/ru/$": "redirect-loop"})
    resp = fetch(fresh_mirror, "https://polisia.kz/ru/")
    assert resp.status == 302 and resp.header("Location") == "https://polisia.kz/ru/"


def test_garbage_is_random_bytes_labelled_html(fresh_mirror):
    fresh_mirror.set_faults({"^/ru/$": "garbage"})
    first = fetch(fresh_mirror, "https://polisia.kz/ru/")
    second = fetch(fresh_mirror, "https://polisia.kz/ru/")
    assert first.status == 200 and "text/html" in first.header("Content-Type")
    assert first.body == second.body and b"<html" not in first.body


def test_challenge_page_replaces_the_feed(fresh_mirror):
    fresh_mirror.set_faults({r"^/news/rss": "challenge"})
    resp = fetch(fresh_mirror, "https://xn--b1aew.xn--p1ai/news/rss")
    assert resp.status == 200 and "text/html" in resp.header("Content-Type")
    assert "Checking your browser" in resp.text and "<script>" in resp.text


def test_robots_forbid_disallows_the_path_in_that_hosts_robots_txt(fresh_mirror):
    fresh_mirror.set_faults({r"//polisia\.kz/ru/oblast-": "robots-forbid"})
    robots = Protego.parse(fetch(fresh_mirror, "https://polisia.kz/robots.txt").text)
    forbidden = "https://polisia.kz/ru/oblast-ulytau-aktiviziruet-bor-bu-s-narkoprestupnost-yu/"
    assert not robots.can_fetch(forbidden, "newsmon")
    assert robots.can_fetch("https://polisia.kz/ru/", "newsmon")
    assert "oblast" not in fetch(fresh_mirror, "https://akn.tj/robots.txt").text


@pytest.mark.parametrize("pattern, path", [("^/ru/x", "/ru/x"), (r"news/rss$", "/*news/rss$"),
                                           (r"^/ru/.*\.xml", "/ru/*.xml")])
def test_robots_path_translation(pattern, path):
    assert robots_path(pattern) == path


def test_faults_given_to_the_constructor_apply():
    with MirrorServer(faults={"^/ru/feed/": "404"}) as server:
        assert fetch(server, FEED).status == 404


def test_faults_can_be_set_over_http(fresh_mirror):
    conn = http.client.HTTPConnection("127.0.0.1", fresh_mirror.port, timeout=5)
    conn.request("POST", "/__mirror__/faults", body=json.dumps({"feed": "500"}),
                 headers={"Content-Type": "application/json"})
    assert conn.getresponse().status == 200
    conn.close()
    assert fresh_mirror.faults == {"feed": "500"}
    assert fetch(fresh_mirror, FEED).status == 500


def test_global_latency_delays_each_answer():
    with MirrorServer(latency_s=0.6) as server:
        with pytest.raises(socket.timeout):
            fetch(server, FEED, timeout=0.2)


@pytest.mark.parametrize("spec", ["teapot", "503-burst", "slow", "huge:x", "404:9"])
def test_bad_fault_specs_are_rejected(spec):
    with pytest.raises(ValueError):
        Fault.parse(spec)


def test_stale_feed_is_the_valid_feed_with_only_its_oldest_items(fresh_mirror):
    dates = re.compile(rb"<pubDate>(.*?)</pubDate>")
    full = fetch(fresh_mirror, FEED).body
    fresh_mirror.set_faults({r"^/ru/feed/": "stale-feed"})
    stale = fetch(fresh_mirror, FEED)
    assert stale.status == 200
    ElementTree.fromstring(stale.body)  # still valid XML
    assert len(dates.findall(full)) > 2
    assert dates.findall(stale.body) == dates.findall(full)[-2:]
    fresh_mirror.set_faults({r"^/ru/feed/": "stale-feed:keep=3"})
    assert dates.findall(fetch(fresh_mirror, FEED).body) == dates.findall(full)[-3:]
