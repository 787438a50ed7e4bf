"""The mirror picks the site by X-Mirror-Host, then Host, then an absolute-form request line."""

from __future__ import annotations

import http.client
import re
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from mirror import MirrorServer, articles
from mirror.server import normalize_host
from mirror.testing import fetch

KOKSHETAU = "https://polisia.kz/ru/antinarkoticheskaya-aksiya-schast-e-v-melochah-proshla-v-kokshetau/"
FIRDAVSI_RU = ("https://akn.tj/ru/2025/01/10/meeting-with-teachers-and-parents-of-students-of-mtmu-"
               "%e2%84%963-of-firdavsi-district/")


def raw_get(server: MirrorServer, target: str | bytes, headers: dict[str, str | bytes]) -> tuple[int, bytes]:
    """Send a request byte for byte (non-ASCII targets and headers included); return status and body."""
    target_bytes = target.encode("utf-8") if isinstance(target, str) else target
    lines = [b"GET " + target_bytes + b" HTTP/1.1"]
    for key, value in {**headers, "Connection": "close"}.items():
        lines.append(key.encode() + b": " + (value.encode("utf-8") if isinstance(value, str) else value))
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_same_path_is_answered_by_the_site_named_in_x_mirror_host(mirror):
    kz = fetch(mirror, "https://polisia.kz/robots.txt")
    kg = fetch(mirror, "https://mvd.gov.kg/robots.txt")
    assert kz.status == kg.status == 200
    assert "wp-admin" in kz.text and "wp-admin" not in kg.text


def test_unicode_x_mirror_host_is_converted_to_punycode(mirror):
    status, body = raw_get(mirror, "/news/item/59533870/",
                           {"X-Mirror-Host": "22.мвд.рф", "Host": "127.0.0.1"})
    assert status == 200
    assert "Молодые лидеры Сибири" in body.decode()


def test_host_header_is_used_without_x_mirror_host(mirror):
    status, body = raw_get(mirror, "/rus/news/4052", {"Host": "mvd.gov.kg"})
    assert status == 200 and "викторина" in body.decode()


def test_absolute_form_request_line_names_the_host(mirror):
    status, body = raw_get(mirror, "http://mvd.gov.kg/rus/news/4052", {"Host": f"127.0.0.1:{mirror.port}"})
    assert status == 200 and "викторина" in body.decode()


def test_unknown_host_answers_404_naming_the_known_hosts(mirror):
    resp = fetch(mirror, "https://example.org/")
    assert resp.status == 404
    assert "polisia.kz" in resp.text


@pytest.mark.parametrize("value, expected", [
    ("Polisia.KZ:443", "polisia.kz"), ("мвд.рф", "xn--b1aew.xn--p1ai"),
    ("22.МВД.РФ.", "22.xn--b1aew.xn--p1ai"),
])
def test_host_normalisation(value, expected):
    assert normalize_host(value) == expected


def test_www_polisia_redirects_to_the_bare_host_with_an_absolute_url(mirror):
    resp = fetch(mirror, "https://www.polisia.kz/ru/?utm_source=x")
    assert resp.status == 301
    assert resp.header("Location") == "https://polisia.kz/ru/?utm_source=x"


def test_plain_http_scheme_redirects_to_https(mirror):
    resp = fetch(mirror, "https://akn.tj/ru/", headers={"X-Mirror-Scheme": "http"})
    assert resp.status == 301 and resp.header("Location") == "https://akn.tj/ru/"


@pytest.mark.parametrize("path", [
    "/ru/2025/01/10/meeting-with-teachers-and-parents-of-students-of-mtmu-%e2%84%963-of-firdavsi-district/",
    "/ru/2025/01/10/meeting-with-teachers-and-parents-of-students-of-mtmu-%E2%84%963-of-firdavsi-district/",
    "/ru/2025/01/10/meeting-with-teachers-and-parents-of-students-of-mtmu-№3-of-firdavsi-district/",
])
def test_percent_encoded_slug_routes_in_any_spelling(mirror, path):
    status, body = raw_get(mirror, path, {"X-Mirror-Host": "akn.tj"})
    assert status == 200 and "Фирдавси" in body.decode()


def test_wordpress_sites_add_a_trailing_slash(mirror):
    resp = fetch(mirror, KOKSHETAU.rstrip("/"))
    assert resp.status == 301 and resp.header("Location") == KOKSHETAU


def test_mvd_gov_kg_removes_a_trailing_slash(mirror):
    resp = fetch(mirror, "https://mvd.gov.kg/rus/news/4052/")
    assert resp.status == 301 and resp.header("Location") == "https://mvd.gov.kg/rus/news/4052"


def test_mvd_ru_items_answer_with_and_without_trailing_slash(mirror):
    assert fetch(mirror, "https://xn--b1aew.xn--p1ai/news/item/59534091").status == 200
    assert fetch(mirror, "https://xn--b1aew.xn--p1ai/news/item/59534091/").status == 200


def test_an_item_id_of_another_host_is_not_found(mirror):
    assert fetch(mirror, "https://xn--b1aew.xn--p1ai/news/item/59533870/").status == 404


@pytest.mark.parametrize("url", [
    "https://mvd.gov.kg/rus/news/4033", "https://polisia.kz/ru/no-such-post/", "https://akn.tj/ru/2023/01/",
    "https://xn--b1aew.xn--p1ai/news/99/", "https://polisia.kz/ru/page/99/",
])
def test_missing_pages_answer_404(mirror, url):
    assert fetch(mirror, url).status == 404


@pytest.mark.parametrize("host", ["polisia.kz", "mvd.gov.kg", "xn--b1aew.xn--p1ai", "22.xn--b1aew.xn--p1ai",
                                  "akn.tj"])
def test_every_host_serves_an_allow_all_robots_txt(mirror, host):
    resp = fetch(mirror, f"https://{host}/robots.txt")
    assert resp.status == 200 and resp.text.startswith("User-agent: *")
    assert "Disallow: /\n" not in resp.text


def test_pages_never_link_to_the_mirror_itself(mirror):
    pages = ["https://polisia.kz/ru/", KOKSHETAU, "https://mvd.gov.kg/rus/news",
             "https://mvd.gov.kg/rus/news/4052",
             "https://xn--b1aew.xn--p1ai/news", "https://22.xn--b1aew.xn--p1ai/news", "https://akn.tj/ru/",
             FIRDAVSI_RU, "https://akn.tj/ru/feed/", "https://xn--b1aew.xn--p1ai/news/rss"]
    for url in pages:
        text = fetch(mirror, url).text
        assert "127.0.0.1" not in text and "localhost" not in text, url
        for href in re.findall(r'href="([^"]+)"', text):
            assert href.startswith(("/", "https://", "#", "whatsapp:")), (url, href)


def test_concurrent_requests_are_all_answered(mirror):
    urls = [a.url for a in articles()][:48]
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda u: fetch(mirror, u).status, urls))
    assert statuses == [200] * len(urls)


def test_keep_alive_connection_serves_several_requests(mirror):
    conn = http.client.HTTPConnection("127.0.0.1", mirror.port, timeout=10)
    try:
        for path in ("/ru/", "/ru/feed/", "/robots.txt"):
            conn.request("GET", path, headers={"X-Mirror-Host": "polisia.kz"})
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200
    finally:
        conn.close()


def test_head_returns_headers_only(mirror):
    resp = fetch(mirror, KOKSHETAU, method="HEAD")
    assert resp.status == 200 and resp.body == b""
    assert int(resp.header("Content-Length")) > 1000


def test_server_port_is_bound_on_loopback(mirror):
    assert mirror.url == f"http://127.0.0.1:{mirror.port}"
    with socket.create_connection(("127.0.0.1", mirror.port), timeout=5):
        pass
