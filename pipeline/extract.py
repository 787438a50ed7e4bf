"""Extract stage: title, text, author, publication date and declared language of a page.

trafilatura does the boilerplate removal; htmldate is the fallback for the date. A date the
site itself states (:attr:`PageInput.site_published`: feed pubDate, listing date, a date in
the URL) wins over anything guessed from the page. Every date comes back timezone-aware in the
source's local zone (naive values *are* local time there). A page without usable text is kept
with ``status="no_text"`` and a reason, never dropped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from html import unescape

import htmldate
import trafilatura
from lxml import html as lxml_html

from pipeline.textutil import collapse_spaces
from pipeline.types import Extracted, PageInput

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 60
"""Shorter bodies are kept but flagged ``no_text`` (a caption, a cookie banner, an error page)."""

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_DATE_PARAMS = {"extensive_search": True, "original_date": True, "outputformat": _DATE_FORMAT}
# When the site states the date, trafilatura's own date is not used: search only the cheap places.
_STATED_DATE_PARAMS = {**_DATE_PARAMS, "extensive_search": False}
_HTML_LANG_RE = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
_OG_LOCALE_RE = re.compile(
    r"<meta\b[^>]*?property\s*=\s*[\"']og:locale[\"'][^>]*?content\s*=\s*[\"']([A-Za-z]{2,3})", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _PageMarkup:
    """What we read from the markup ourselves (cheap regex/lxml, no second extraction)."""

    h1: str | None
    og_title: str | None
    site_name: str | None
    language: str | None


def to_zone(moment: datetime, zone: tzinfo) -> datetime:
    """An aware datetime in ``zone``; a naive one is taken as local time in ``zone``."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def parse_page_date(value: str | None, zone: tzinfo) -> datetime | None:
    """A date string from trafilatura/htmldate (``2025-01-10`` or with time and offset)."""
    if not value:
        return None
    for fmt in (_DATE_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return to_zone(datetime.strptime(value, fmt), zone)
        except ValueError:
            continue
    log.debug("unparseable page date %r", value)
    return None


def declared_html_language(html: str) -> str | None:
    """``<html lang>`` (or og:locale) reduced to its language part: ``kk-KZ`` → ``kk``."""
    head = html[:5000]
    match = _HTML_LANG_RE.search(head) or _OG_LOCALE_RE.search(head)
    return match.group(1).lower() if match else None


def _markup(html: str) -> _PageMarkup:
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return _PageMarkup(None, None, None, declared_html_language(html))
    h1_nodes = tree.xpath("//h1")
    h1 = collapse_spaces(h1_nodes[0].text_content()) if h1_nodes else None
    og_title = _meta(tree, "og:title")
    site_name = _meta(tree, "og:site_name")
    return _PageMarkup(h1 or None, og_title, site_name, declared_html_language(html))


def _meta(tree: lxml_html.HtmlElement, prop: str) -> str | None:
    values = tree.xpath(f"//meta[@property='{prop}' or @name='{prop}']/@content")
    return collapse_spaces(unescape(str(values[0]))) if values else None


def _is_site_name(title: str, site_name: str | None) -> bool:
    if not site_name:
        return False
    a, b = title.casefold().strip(), site_name.casefold().strip()
    return a == b or a in b or b.startswith(a)


def _choose_title(
    extracted: str | None, site_name: str | None, markup: _PageMarkup, stated: str | None
) -> str:
    """trafilatura's title unless it is the site's name; then the page's h1/og:title; then the
    title the spider stated (feed/listing)."""
    names = [site_name, markup.site_name]
    candidates = [extracted, markup.h1, markup.og_title, stated]
    for candidate in candidates:
        if candidate and not any(_is_site_name(candidate, name) for name in names):
            return collapse_spaces(candidate)
    return collapse_spaces(stated or extracted or "")


def _strip_leading_title(text: str, title: str) -> str:
    first, _, rest = text.partition("\n")
    if title and collapse_spaces(first).casefold() == title.casefold():
        return rest.lstrip("\n")
    return text


def extract(page: PageInput, zone: tzinfo) -> Extracted:
    """Run the extract stage on one page; ``zone`` is the source's (or host's) local zone."""
    site_date = to_zone(page.site_published, zone) if page.site_published else None
    if not page.html:
        return _from_stated_text(page, site_date)

    markup = _markup(page.html)
    document = trafilatura.bare_extraction(
        page.html,
        url=page.url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=_DATE_PARAMS if site_date is None else _STATED_DATE_PARAMS,
    )
    raw_title = getattr(document, "title", None) if document is not None else None
    site_name = getattr(document, "sitename", None) if document is not None else None
    title = _choose_title(raw_title, site_name, markup, page.title)
    text = (getattr(document, "text", None) or "") if document is not None else ""
    text = _strip_leading_title(text.strip(), title)
    author = getattr(document, "author", None) if document is not None else None

    published, date_source = site_date, "site"
    if published is None:
        published = parse_page_date(getattr(document, "date", None) if document is not None else None, zone)
        date_source = "page"
    if published is None:
        published = parse_page_date(
            htmldate.find_date(
                page.html, url=page.url, extensive_search=True, original_date=True, outputformat=_DATE_FORMAT
            ),
            zone,
        )
    if published is None:
        date_source = "none"

    if len(text) < MIN_TEXT_CHARS and page.text and len(page.text.strip()) >= len(text):
        text = page.text.strip()
    status, reason = _text_status(text, page, from_html=True, extracted=document is not None)
    return Extracted(
        title=title,
        text=text,
        author=author or None,
        published=published,
        date_source=date_source,
        html_language=markup.language,
        status=status,
        reason=reason,
    )


def _from_stated_text(page: PageInput, site_date: datetime | None) -> Extracted:
    text = (page.text or "").strip()
    status, reason = _text_status(text, page, from_html=False, extracted=False)
    return Extracted(
        title=collapse_spaces(page.title or ""),
        text=text,
        author=None,
        published=site_date,
        date_source="site" if site_date else "none",
        html_language=None,
        status=status,
        reason=reason,
    )


def _text_status(text: str, page: PageInput, *, from_html: bool, extracted: bool) -> tuple[str, str | None]:
    if page.http_status is not None and page.http_status >= 400:
        return "no_text", f"HTTP status {page.http_status}"
    if len(text) >= MIN_TEXT_CHARS:
        return "ok", None
    if not text:
        if not from_html:
            return "no_text", "no HTML and no text was given"
        if not extracted:
            return "no_text", "trafilatura found no article body in the HTML"
        return "no_text", "the article body is empty"
    return "no_text", f"text too short ({len(text)} characters < {MIN_TEXT_CHARS})"
