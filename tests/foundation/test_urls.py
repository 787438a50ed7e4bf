"""Canonical URLs: real-world spellings of one page compare equal; different pages do not."""

import pytest

from core.urls import InvalidURL, ascii_host, canonical_url, same_url, unicode_host

SAME_PAGE = [
    # IDN host in Unicode and in punycode, any case
    ("https://мвд.рф/news/item/59736803", "https://xn--b1aew.xn--p1ai/news/item/59736803"),
    ("https://МВД.РФ/news/item/59736803/", "https://xn--b1aew.xn--p1ai/news/item/59736803"),
    ("https://22.мвд.рф/news/item/59534091/", "https://22.xn--b1aew.xn--p1ai/news/item/59534091"),
    # trailing slash, fragment, default port, scheme and host case
    ("https://polisia.kz/ru/oblast-ulytau/", "https://polisia.kz/ru/oblast-ulytau"),
    ("https://polisia.kz/ru/oblast-ulytau/#comments", "https://polisia.kz/ru/oblast-ulytau/"),
    ("https://polisia.kz:443/ru/oblast-ulytau/", "https://polisia.kz/ru/oblast-ulytau/"),
    ("HTTPS://POLISIA.KZ/ru/oblast-ulytau/", "https://polisia.kz/ru/oblast-ulytau/"),
    ("http://polisia.kz:80/ru/oblast-ulytau/", "https://polisia.kz/ru/oblast-ulytau/"),
    ("https://www.polisia.kz/ru/oblast-ulytau/", "https://polisia.kz/ru/oblast-ulytau/"),
    # tracking parameters, and query order
    ("https://mvd.gov.kg/rus/news/4052?utm_source=telegram&utm_medium=social", "https://mvd.gov.kg/rus/news/4052"),
    ("https://akn.tj/ru/?fbclid=IwAR0abc", "https://akn.tj/ru/"),
    ("https://xn--b1aew.xn--p1ai/news/item/1/?ysclid=lq2x&print=1", "https://xn--b1aew.xn--p1ai/news/item/1?print=1"),
    ("https://22.мвд.рф/news?year=2025&month=1&day=10", "https://22.мвд.рф/news?day=10&month=1&year=2025"),
    # percent-encoding: lower/upper hex, raw Unicode
    (
        "https://akn.tj/ru/2025/01/10/meeting-of-mtmu-%e2%84%963-of-firdavsi-district/",
        "https://akn.tj/ru/2025/01/10/meeting-of-mtmu-%E2%84%963-of-firdavsi-district",
    ),
    ("https://akn.tj/ru/2025/01/10/mtmu-№3/", "https://akn.tj/ru/2025/01/10/mtmu-%E2%84%963/"),
    (
        "https://22.мвд.рф/народный-участковый-2017/item/1/",
        "https://22.xn--b1aew.xn--p1ai/%D0%BD%D0%B0%D1%80%D0%BE%D0%B4%D0%BD%D1%8B%D0%B9-%D1%83%D1%87%D0%B0%D1%81%D1%82%D0%BA%D0%BE%D0%B2%D1%8B%D0%B9-2017/item/1",
    ),
    ("https://polisia.kz/ru/%7Enews", "https://polisia.kz/ru/~news"),
    # dot segments and doubled slashes
    ("https://polisia.kz/ru/page/../oblast/", "https://polisia.kz/ru/oblast"),
    ("https://polisia.kz//ru//oblast/", "https://polisia.kz/ru/oblast"),
]

DIFFERENT_PAGES = [
    ("https://mvd.gov.kg/rus/news/4052", "https://mvd.gov.kg/kyr/news/4052"),
    ("https://xn--b1aew.xn--p1ai/news/item/59534091", "https://22.xn--b1aew.xn--p1ai/news/item/59534091"),
    ("https://xn--b1aew.xn--p1ai/news/item/1?print=1", "https://xn--b1aew.xn--p1ai/news/item/1"),
    ("https://polisia.kz/ru/a%2Fb", "https://polisia.kz/ru/a/b"),
    ("https://polisia.kz:8443/ru/", "https://polisia.kz/ru/"),
]


@pytest.mark.parametrize(("first", "second"), SAME_PAGE)
def test_spellings_of_one_page_are_the_same_url(first, second):
    assert same_url(first, second)


@pytest.mark.parametrize(("first", "second"), DIFFERENT_PAGES)
def test_different_pages_stay_different(first, second):
    assert not same_url(first, second)


def test_canonical_form_uses_an_ascii_host_and_https():
    assert canonical_url("http://мвд.рф/news/item/59736803/") == "https://xn--b1aew.xn--p1ai/news/item/59736803"


def test_canonical_form_is_idempotent():
    for first, _ in SAME_PAGE:
        once = canonical_url(first)
        assert canonical_url(once) == once


def test_hosts_convert_both_ways():
    assert ascii_host("мвд.рф") == "xn--b1aew.xn--p1ai"
    assert unicode_host("22.xn--b1aew.xn--p1ai") == "22.мвд.рф"


@pytest.mark.parametrize(
    "bad", ["/news/item/1", "ftp://polisia.kz/x", "mailto:pressa@mvd.kg", "https:///nohost", ""]
)
def test_non_http_urls_are_refused(bad):
    with pytest.raises(InvalidURL):
        canonical_url(bad)
