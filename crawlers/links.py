"""Article links on a listing page, found by URL pattern rather than by CSS class.

A redesign renames classes but rarely changes permalinks, so a listing is read as: every
``<a href>`` whose URL matches one of the site's article patterns is an article. Its listing
item is the largest ancestor that links to no *other* article; the title and date are read from
that item (``time[datetime]`` first, then any element whose class or itemprop mentions a date,
then the item's text), so no class name of the site is needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml.html import HtmlElement

from core.urls import InvalidURL, ascii_host, canonical_url
from crawlers.dates import find_site_date
from crawlers.entries import Entry

_DATE_HINT = re.compile(r"date|time|datum|data|published|posted|meta", re.I)
_SKIP_TAGS = {"script", "style", "noscript", "template"}
SHORT_DATE_TEXT = 40


def compile_patterns(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in patterns)


def matches_article(url: str, patterns: Sequence[re.Pattern[str]]) -> bool:
    """Whether the path (plus ``?query``) of ``url`` fully matches one of ``patterns``."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return any(pattern.fullmatch(target) for pattern in patterns)


def article_links(
    html: str | bytes,
    base_url: str,
    patterns: Sequence[re.Pattern[str]],
    *,
    hosts: Iterable[str] | None = None,
    tz: tzinfo,
    now: datetime | None = None,
    via: str = "listing",
    accept: Callable[[str], bool] | None = None,
    rewrite: Callable[[str], str] | None = None,
) -> list[Entry]:
    """The article entries of a listing page, in document order, one per canonical URL.

    Args:
        html: The page.
        base_url: Its URL (relative links resolve against it, ``<base href>`` is honoured).
        patterns: Article URL patterns, matched against path + query.
        hosts: ASCII hosts that count as the site (default: the host of ``base_url``);
            ``www.`` variants are accepted too.
        tz: Zone for displayed dates without an offset.
        now: Reference time for relative dates (``Сегодня``).
        via: Recorded on the entries.
        accept: Extra site rule a matching URL must pass (e.g. "not a reserved slug").
        rewrite: The article's own URL of a link (another address of the same article).
    """
    if not html:
        return []
    root = lxml.html.fromstring(html)
    base = root.xpath("string(//base/@href)") or base_url
    allowed = {ascii_host(h).removeprefix("www.") for h in (hosts or [urlsplit(base_url).hostname or ""])}

    anchors: list[tuple[HtmlElement, str, str]] = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")) or _in_navigation(anchor):
            continue
        url = urljoin(base, href)
        if rewrite is not None:
            url = rewrite(url)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        try:
            if ascii_host(parts.hostname).removeprefix("www.") not in allowed:
                continue
            key = canonical_url(url)
        except InvalidURL:
            continue
        url = url.split("#", 1)[0]
        if not matches_article(url, patterns) or (accept is not None and not accept(url)):
            continue
        anchors.append((anchor, url, key))

    by_element = {id(anchor): key for anchor, _url, key in anchors}
    found: dict[str, Entry] = {}
    for anchor, url, key in anchors:
        item = _item_of(anchor, key, by_element)
        title = _title(anchor, item)
        published = _date_in(item, anchor, tz, now)
        previous = found.get(key)
        if previous is None:
            found[key] = Entry(url=url, title=title, published=published, via=via)
            continue
        # The same article linked twice in one item (image + title): keep the best facts.
        better_title = previous.title if len(previous.title or "") >= len(title or "") else title
        found[key] = Entry(
            url=previous.url, title=better_title, published=previous.published or published, via=via
        )
    return list(found.values())


def _in_navigation(anchor: HtmlElement) -> bool:
    """Whether a link sits in the site's navigation (menus, page header/footer), not a listing."""
    node = anchor.getparent()
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "nav" or (node.get("role") or "").lower() in (
            "navigation",
            "menubar",
            "banner",
            "contentinfo",
        ):
            return True
        if tag in ("header", "footer"):
            # <header> inside an <article> card is part of the item, the page's header is not.
            return not any(
                ancestor.tag in ("article", "main", "section") for ancestor in node.iterancestors()
            )
        node = node.getparent()
    return False


def _article_keys_below(element: HtmlElement, by_element: dict[int, str]) -> set[str]:
    keys = {by_element[id(a)] for a in element.iter("a") if id(a) in by_element}
    return keys


def _item_of(anchor: HtmlElement, key: str, by_element: dict[int, str]) -> HtmlElement:
    """The largest ancestor of ``anchor`` that links to no other article (its listing item)."""
    item = anchor
    parent = anchor.getparent()
    while parent is not None and parent.tag not in ("body", "html"):
        if _article_keys_below(parent, by_element) - {key}:
            break
        item = parent
        parent = parent.getparent()
    return item


def _text(element: HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _title(anchor: HtmlElement, item: HtmlElement) -> str | None:
    text = _text(anchor) or (anchor.get("title") or "").strip()
    if not text:
        for heading in item.iter("h1", "h2", "h3", "h4", "h5"):
            text = _text(heading)
            if text:
                break
    if not text:
        image = next(iter(anchor.iter("img")), None)
        text = (image.get("alt") or "").strip() if image is not None else ""
    return " ".join(text.split()) or None


def _date_in(item: HtmlElement, anchor: HtmlElement, tz: tzinfo, now: datetime | None) -> datetime | None:
    """The date a listing item states: machine-readable first, then date-like elements, then text."""
    for element in item.iter():
        if not isinstance(element.tag, str):
            continue
        value = element.get("datetime") or (element.get("content") if element.get("itemprop") else None)
        if value:
            found = find_site_date(value, tz=tz, now=now)
            if found is not None:
                return found
    for element in item.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIP_TAGS or element is anchor:
            continue
        hints = f"{element.get('class', '')} {element.get('itemprop', '')} {element.get('id', '')}"
        if _DATE_HINT.search(hints):
            found = find_site_date(_text(element), tz=tz, now=now)
            if found is not None:
                return found
    # Last resort: a short text of its own in the item, outside the link. Only short ones: a
    # title or a lead may mention other dates ("изъято 10 января").
    for element in item.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIP_TAGS:
            continue
        inside = _inside(element, anchor)
        texts = []
        if not inside and element.text:
            texts.append(element.text)
        if element.tail and (element is anchor or not inside) and element is not item:
            texts.append(element.tail)
        for text in texts:
            text = " ".join(text.split())
            if 0 < len(text) <= SHORT_DATE_TEXT:
                found = find_site_date(text, tz=tz, now=now)
                if found is not None:
                    return found
    return None


def _inside(element: HtmlElement, ancestor: HtmlElement) -> bool:
    node: HtmlElement | None = element
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False
