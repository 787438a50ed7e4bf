"""Reading what a fetched page itself states, and telling real pages from impostors.

A bot challenge (a JavaScript/captcha interstitial) or an error page served with status 200 must
be recorded as such, never tagged and stored as an article: :func:`classify_page` says which it
is. The other helpers read the facts a page declares: ``<html lang>``, hreflang alternates,
machine-readable publication dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from urllib.parse import urljoin

from parsel import Selector

from crawlers.dates import find_site_date
from crawlers.integrity import decode_body

# Markers of anti-bot interstitials (Cloudflare, DDoS-Guard, Qrator, Variti): decisive anywhere.
# Plain lower-case strings looked for in the lower-cased page: a substring search is some tens of
# times faster than a regular expression alternation scanning every position of the page.
CHALLENGE_MARKERS = (
    "cf-chl",
    "challenge-platform",
    "cf_chl_opt",
    "/cdn-cgi/challenge",
    "ddos-guard",
    "__qrator",
    "qrator.net",
    "variti",
    "checking your browser",
    "just a moment...",
    "enable javascript and cookies to continue",
    "проверка браузера",
    "проверяем ваш браузер",
)
# Captcha markers: a real article may carry a captcha in its comment form, so these count only
# on a page with hardly any text of its own ("captcha" also covers g-recaptcha, h-captcha,
# hcaptcha.com and smartcaptcha).
CAPTCHA_MARKERS = (
    "captcha",
    "verify you are human",
    "verify you are a human",
    "are you a robot",
    "подтвердите, что вы не робот",
    "вы не робот",
    "введите символы с картинки",
)
THIN_PAGE_CHARS = 600
# Headings and titles of error pages, in the sites' languages.
_NOT_FOUND_MARKERS = re.compile(
    r"^\W*404\b|\b404\W*$|\b(?:error|ошибка)\W*404\b|\b404\W*(?:error|not found|ошибка)"
    r"|page not found|^\W*not found\b|\bnot found\W*$|page (?:is )?no longer available|page does not exist"
    r"|страница не найдена|страница не существует|запрашиваемая страница|ничего не найдено|ошибка 404"
    r"|бет табылмады|бет жоқ|барак табылган жок|барак табылбады|саҳифа ёфт нашуд|саҳифа пайдо нашуд",
    re.I,
)
_SPACES = re.compile(r"\s+")
_SCRIPT_REDIRECT = re.compile(r"location(?:\.href)?\s*=|location\.replace|document\.cookie")


def first_marker(lowered: str, markers: tuple[str, ...]) -> str | None:
    """The marker that occurs first in ``lowered`` (a lower-cased page), if any."""
    found = [(position, marker) for marker in markers if (position := lowered.find(marker)) >= 0]
    return min(found)[1] if found else None


def _may_redirect(text: str) -> bool:
    """Whether ``text`` may run a redirecting or cookie-setting script (substring check first)."""
    return ("location" in text or "document.cookie" in text) and _SCRIPT_REDIRECT.search(text) is not None


@dataclass(frozen=True, slots=True)
class PageProblem:
    """Why a page must not be parsed as an article: ``challenge`` or ``soft_404``."""

    kind: str
    detail: str


def classify_page(
    html: str, *, status: int = 200, content_type: str | None = None, selector: Selector | None = None
) -> PageProblem | None:
    """``None`` for a page worth parsing; otherwise what it really is.

    A challenge is recognised by the markers of anti-bot interstitials, or by a tiny page that
    only runs a script. A soft 404 is a page whose ``<title>`` or first heading says "not found".
    ``selector``: the page already parsed (a response's), to save parsing it again.
    """
    if content_type and not any(kind in content_type.lower() for kind in ("html", "xml", "text")):
        return None
    head = html[:300_000]
    lowered = head.lower()
    marker = first_marker(lowered, CHALLENGE_MARKERS)
    if marker:
        return PageProblem("challenge", f"anti-bot marker {marker!r}")
    if selector is None or len(html) > len(head):
        selector = Selector(text=head or "<html></html>")
    captcha = first_marker(lowered, CAPTCHA_MARKERS)
    # The visible text only matters on a page that shows a captcha or runs a redirecting script.
    if captcha or _may_redirect(head):
        texts = selector.xpath("//body//text()[not(ancestor::script)][not(ancestor::style)]").getall()
        visible = _SPACES.sub(" ", " ".join(texts)).strip()
        if captcha and len(visible) < THIN_PAGE_CHARS:
            return PageProblem(
                "challenge", f"captcha page ({captcha!r}, {len(visible)} characters of text)"
            )
        scripts = " ".join(selector.xpath("//script/text()").getall())
        if len(visible) < 200 and _may_redirect(scripts):
            return PageProblem("challenge", "script-only interstitial page")
    title = _SPACES.sub(" ", selector.xpath("string(//title)").get() or "").strip()
    heading = _SPACES.sub(" ", selector.xpath("string((//h1)[1])").get() or "").strip()
    for label, value in (("title", title), ("heading", heading)):
        if value and _NOT_FOUND_MARKERS.search(value):
            return PageProblem("soft_404", f"{label} says {value[:120]!r} (status {status})")
    return None


def true_encoding(body: bytes, declared: str | None) -> str:
    """The charset ``body`` is really in, whatever the page declares
    (:func:`crawlers.integrity.decode_body`)."""
    return decode_body(body, declared).encoding


def looks_like_html(body: bytes) -> bool:
    start = body[:1024].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html")) or b"<body" in body[:4096].lower()


def html_language(selector: Selector) -> str | None:
    """The ISO 639-1 code ``<html lang>``, ``<html xml:lang>`` (older XHTML templates) or
    ``og:locale`` declares, if any."""
    value = (
        selector.xpath("/html/@lang").get()
        or selector.xpath("/*/@*[local-name()='lang' or name()='xml:lang']").get()
        or selector.xpath("//meta[@property='og:locale']/@content").get()
    )
    return normalise_language(value)


# Country codes used by mistake as language codes on Central Asian sites.
_LANGUAGE_ALIASES = {
    "kz": "kk",
    "kg": "ky",
    "kgz": "ky",
    "kir": "ky",
    "kyr": "ky",
    "tj": "tg",
    "taj": "tg",
    "rus": "ru",
    "eng": "en",
    "kaz": "kk",
    "tgk": "tg",
    "uzb": "uz",
}


def normalise_language(value: str | None) -> str | None:
    """``ru-RU`` -> ``ru``, ``kk_KZ`` -> ``kk``, ``kz`` -> ``kk``; None for empty/unknown shapes."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    code = _LANGUAGE_ALIASES.get(code, code)
    if not (2 <= len(code) <= 3 and code.isalpha()):
        return None
    return code


def hreflang_alternates(selector: Selector, base_url: str) -> dict[str, str]:
    """``<link rel="alternate" hreflang>`` of a page: language -> absolute URL (no x-default)."""
    alternates: dict[str, str] = {}
    for link in selector.xpath("//link[@hreflang][@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        if "alternate" not in rel:
            continue
        language = normalise_language(link.attrib.get("hreflang"))
        if language is None or link.attrib.get("hreflang", "").lower() == "x-default":
            continue
        alternates.setdefault(language, urljoin(base_url, link.attrib["href"].strip()))
    return alternates


_META_DATE_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//meta[@name='pubdate' or @name='publish-date' or @name='date' or @name='DC.date.issued']/@content",
)


def meta_published(selector: Selector, *, tz: tzinfo, now: datetime | None = None) -> datetime | None:
    """The publication date a page states in machine-readable meta data, if any."""
    for xpath in _META_DATE_XPATHS:
        for value in selector.xpath(xpath).getall():
            found = find_site_date(value, tz=tz, now=now)
            if found is not None:
                return found
    for value in selector.xpath("//script[@type='application/ld+json']/text()").getall():
        match = re.search(r'"datePublished"\s*:\s*"([^"]+)"', value)
        if match:
            found = find_site_date(match.group(1), tz=tz, now=now)
            if found is not None:
                return found
    return None


def first_date(
    selector: Selector, css_or_xpaths: Iterable[str], *, tz: tzinfo, now: datetime | None = None
) -> datetime | None:
    """The first date found by ``css_or_xpaths`` (``datetime`` attribute first, then the text)."""
    for query in css_or_xpaths:
        nodes = selector.xpath(query) if query.startswith(("/", "(")) else selector.css(query)
        for node in nodes:
            value = node.attrib.get("datetime") if hasattr(node, "attrib") else None
            text = value or " ".join(node.xpath(".//text()").getall()) or node.get()
            found = find_site_date(text, tz=tz, now=now)
            if found is not None:
                return found
    return None


def near_heading_date(selector: Selector, *, tz: tzinfo, now: datetime | None = None) -> datetime | None:
    """A date stated next to the page's ``h1`` (before or after it, within its container)."""
    heading = selector.xpath("(//h1)[1]")
    if not heading:
        return None
    around = heading.xpath(
        "./preceding-sibling::*[position() <= 3] | ./following-sibling::*[position() <= 3]"
    )
    for node in [*heading.xpath("./parent::*/preceding-sibling::*[1]"), *around]:
        if node.xpath("self::script|self::style"):
            continue
        value = node.xpath("string(.//@datetime)").get() or ""
        found = find_site_date(value, tz=tz, now=now) if value else None
        if found is None:
            text = " ".join(node.xpath(".//text()").getall())
            found = find_site_date(text[:300], tz=tz, now=now)
        if found is not None:
            return found
    return None


def plain_alternates(values: Mapping[str, str]) -> dict[str, str]:
    return {key: value for key, value in values.items() if key and value}
