"""Extract stage: title, text, author, publication date and declared language of a page.

A source whose entry in ``config/boilerplate.toml`` names its body container (``body_selectors``)
has its body read from the page tree with them (:mod:`pipeline.site_body`): about half the CPU of
the stage on such pages. When they match nothing, give a text too short or a list of links,
trafilatura reads the body as for any other source; :attr:`core.types.Extracted.body_method` and
``body_fallback`` say which path was taken and why.

trafilatura does the boilerplate removal, in its fast mode (no backup extraction to compare
with; on our pages the text is the same, at about 60 % of the CPU); when that finds too little
text the page gets trafilatura's full extraction as well. The page is parsed once: our own reads
of the markup (h1, og:title, <title>, meta author, <html lang>) and trafilatura share the tree.

trafilatura's metadata pass (title, author, date heuristics) is run only when the site does not
already state the title and the date (feed, listing, article markup, URL): it is the most
expensive part of extraction and adds nothing then. A date the site states
(:attr:`PageInput.site_published`) wins over anything guessed from the page; without one,
trafilatura's date, then htmldate's extensive search, are used. Every date comes back
timezone-aware in the source's local zone (naive values *are* local time there). A page without
usable text is kept with ``status="no_text"`` and a reason, never dropped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from configparser import ConfigParser
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cache
from html import unescape
from typing import Any

import htmldate
import trafilatura
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Document, use_config
from trafilatura.utils import load_html

from core.types import Extracted, PageInput
from pipeline.boilerplate import clean_text, drop_elements
from pipeline.site_body import selector_body
from pipeline.textutil import collapse_spaces

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 60
"""Shorter bodies are kept but flagged ``no_text`` (a caption, a cookie banner, an error page)."""

FULL_EXTRACTION_BELOW_CHARS = 250
"""A fast extraction shorter than this is done again with trafilatura's backup extraction."""

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_DATE_PARAMS: dict[str, Any] = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": _DATE_FORMAT,
}
_HTML_LANG_RE = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
_OG_LOCALE_RE = re.compile(
    r"<meta\b[^>]*?property\s*=\s*[\"']og:locale[\"'][^>]*?content\s*=\s*[\"']([A-Za-z]{2,3})", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _PageMarkup:
    """What we read from the markup ourselves (a few XPaths on the shared tree)."""

    h1: str | None = None
    og_title: str | None = None
    site_name: str | None = None
    author: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class _Metadata:
    """trafilatura's metadata pass, when it runs."""

    title: str | None = None
    site_name: str | None = None
    author: str | None = None
    date: str | None = None


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


def _parse(html: str) -> HtmlElement | None:
    """The page's tree, parsed as trafilatura parses (None when lxml cannot make one)."""
    try:
        tree = load_html(html)
    except ValueError:  # lxml's own complaints about the input
        return None
    return tree if isinstance(tree, HtmlElement) else None


def _markup(tree: HtmlElement | None, html: str) -> _PageMarkup:
    language = declared_html_language(html)
    if tree is None:
        return _PageMarkup(language=language)
    h1_nodes = tree.xpath("//h1")
    h1 = collapse_spaces(h1_nodes[0].text_content()) if h1_nodes else None
    return _PageMarkup(
        h1=h1 or None,
        og_title=_meta(tree, "og:title"),
        site_name=_meta(tree, "og:site_name"),
        author=_meta(tree, "author") or _meta(tree, "article:author"),
        language=language,
    )


def _meta(tree: HtmlElement, prop: str) -> str | None:
    values = tree.xpath(f"//meta[@property='{prop}' or @name='{prop}']/@content")
    return collapse_spaces(unescape(str(values[0]))) or None if values else None


@cache
def _short_item_config() -> ConfigParser:
    """trafilatura's settings with ``MIN_EXTRACTED_SIZE`` at :data:`MIN_TEXT_CHARS` (default 250):
    for a short item its default reads the item's whole container as one run of text (heading,
    date, paragraphs, share links and related headlines on one line), as its rescue does with
    anything shorter."""
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_TEXT_CHARS))
    return config


def _body_text(document: HtmlElement | str, url: str) -> tuple[str, bool]:
    """The article text trafilatura finds and whether it found a body at all: the fast mode; for a
    text of one line (a short item, perhaps read as one run of text) the fast mode with the short
    item settings, when they find paragraphs; for a short result the full extraction (with its
    backup algorithms), which wins then."""
    fast = trafilatura.bare_extraction(document, url=url, fast=True, include_comments=False)
    text = _text_of(fast)
    if text and "\n" not in text:
        short = trafilatura.bare_extraction(
            document, url=url, fast=True, include_comments=False, config=_short_item_config()
        )
        if len(_text_of(short)) >= MIN_TEXT_CHARS:
            return _text_of(short), True
    if len(text) >= FULL_EXTRACTION_BELOW_CHARS:
        return text, True
    full = trafilatura.bare_extraction(document, url=url, include_comments=False)
    return (_text_of(full) or text), fast is not None or full is not None


def _text_of(result: Document | dict[str, Any] | None) -> str:
    """The text of a ``bare_extraction`` result (a dict only if asked ``as_dict=True``)."""
    if result is None:
        return ""
    text = result.get("text") if isinstance(result, dict) else result.text
    return (text or "").strip()


def _metadata(document: HtmlElement | str, url: str) -> _Metadata:
    """trafilatura's title, site name, author and date (with htmldate's extensive search)."""
    try:
        found: Document = extract_metadata(document, url, _DATE_PARAMS)
    except (ValueError, TypeError) as exc:  # malformed markup trafilatura cannot read
        log.debug("no metadata for %s: %s", url, exc)
        return _Metadata()
    return _Metadata(title=found.title, site_name=found.sitename, author=found.author, date=found.date)


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


_LEADING_DATE = re.compile(r"\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}(,?\s*\d{1,2}:\d{2})?\s+")


def _strip_leading_title(text: str, title: str) -> str:
    """The text without the heading it opens with: a first line that is the title, or (a short
    page, which trafilatura prints as one line) the title and the date before the first sentence."""
    first, _, rest = text.partition("\n")
    line = collapse_spaces(first)
    if title and line.casefold() == title.casefold():
        return rest.lstrip("\n")
    if title and line.casefold().startswith(title.casefold() + " "):
        after = line[len(title) :]
        dated = _LEADING_DATE.match(after)
        if dated and after[dated.end() :].strip():
            return (after[dated.end() :] + ("\n" + rest if rest else "")).strip()
    return text


def _site_or_trafilatura(
    tree: HtmlElement | None, document: HtmlElement | str, url: str, body_selectors: Sequence[str]
) -> tuple[str, bool, str, str | None]:
    """The body text, whether a body was found, how it was read and why not by the selectors:
    the site's ``body_selectors`` when they give a body (:func:`pipeline.site_body.selector_body`),
    trafilatura otherwise."""
    fallback: str | None = None
    if body_selectors and tree is not None:
        found = selector_body(tree, body_selectors, min_chars=MIN_TEXT_CHARS)
        if found.text is not None:
            return found.text, True, "selector", None
        fallback = found.fallback.value if found.fallback else None
    text, found_body = _body_text(document, url)
    return text, found_body, "trafilatura", fallback


def extract(
    page: PageInput, zone: tzinfo, drop_selectors: Sequence[str] = (), body_selectors: Sequence[str] = ()
) -> Extracted:
    """Run the extract stage on one page; ``zone`` is the source's (or host's) local zone,
    ``drop_selectors`` the CSS selectors of the source's page chrome
    (:func:`pipeline.boilerplate.source_selectors`), removed before the body is read;
    ``body_selectors`` those of its body container (:func:`pipeline.site_body.source_body_selectors`),
    trafilatura reading the body when they give none. The text then loses the lines the generic
    rules call chrome (:func:`pipeline.boilerplate.clean_text`)."""
    site_date = to_zone(page.site_published, zone) if page.site_published else None
    if not page.html:
        return _from_stated_text(page, site_date)

    tree = _parse(page.html)
    markup = _markup(tree, page.html)
    if tree is not None and drop_selectors:
        drop_elements(tree, drop_selectors)
    document: HtmlElement | str = tree if tree is not None else page.html
    text, found_body, method, fallback = _site_or_trafilatura(tree, document, page.url, body_selectors)
    stated = bool(page.title) and site_date is not None
    metadata = _Metadata() if stated else _metadata(document, page.url)
    title = _choose_title(metadata.title, metadata.site_name, markup, page.title)
    text = _strip_leading_title(clean_text(text), title)

    published, date_source = site_date, "site"
    if published is None:
        published = parse_page_date(metadata.date, zone)
        date_source = "page"
    if published is None:
        published = parse_page_date(
            htmldate.find_date(
                document, url=page.url, extensive_search=True, original_date=True, outputformat=_DATE_FORMAT
            ),
            zone,
        )
    if published is None:
        date_source = "none"

    if len(text) < MIN_TEXT_CHARS and page.text and len(page.text.strip()) >= len(text):
        text = page.text.strip()
    status, reason = _text_status(text, page, from_html=True, extracted=found_body)
    return Extracted(
        title=title,
        text=text,
        author=metadata.author or markup.author,
        published=published,
        date_source=date_source,
        html_language=markup.language,
        status=status,
        reason=reason,
        body_method=method,
        body_fallback=fallback,
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
