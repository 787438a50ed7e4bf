"""RSS 2.0 / RSS 1.0 / Atom parsing into :class:`~crawlers.entries.Entry` values.

Elements are matched by local name, so namespaced extensions (``yandex:full-text``,
``content:encoded``, ``dc:date``) are read whatever prefix a feed binds them to.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from urllib.parse import urljoin

import lxml.etree as etree
import lxml.html

from crawlers.dates import find_site_date
from crawlers.entries import Entry

FEED_ROOTS = {"rss", "rdf", "feed"}
_TEXT_ELEMENTS = ("full-text", "encoded")  # yandex:full-text, content:encoded


class NotAFeed(ValueError):
    """The body is not an RSS/Atom document (an HTML page, a challenge, garbage)."""


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child.tag) == name]


def _first_text(element: etree._Element, *names: str) -> str | None:
    for name in names:
        for child in _children(element, name):
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, one paragraph per block, whitespace collapsed."""
    if "<" not in markup:
        return " ".join(markup.split())
    try:
        fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(markup.split())
    for bad in fragment.xpath(".//script|.//style"):
        bad.drop_tree()
    blocks: list[str] = []
    for block in fragment.xpath(".//p|.//li|.//h1|.//h2|.//h3|.//h4|.//blockquote"):
        text = " ".join(block.text_content().split())
        if text:
            blocks.append(text)
    if not blocks:
        text = " ".join(fragment.text_content().split())
        return text
    return "\n\n".join(blocks)


def parse_feed(body: bytes, base_url: str, *, tz: tzinfo, now: datetime | None = None) -> list[Entry]:
    """The items of a feed, in feed order.

    Args:
        body: The raw document.
        base_url: URL of the feed (relative links resolve against it).
        tz: Zone for dates that state no offset.
        now: Reference time for relative dates (tests).

    The parser neither expands entities nor fetches anything, and a feed that declares
    entities is refused.

    Raises:
        NotAFeed: the body does not parse as XML, its root is not rss/RDF/feed, or it declares
            entities.
    """
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body.lstrip(), parser)
    except etree.XMLSyntaxError as exc:
        raise NotAFeed(f"not XML: {exc}") from exc
    if root is None or _local(root.tag) not in FEED_ROOTS:
        raise NotAFeed(f"root element is {getattr(root, 'tag', None)!r}, not rss/RDF/feed")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        # No feed needs its own entities; expanded, a few nested ones make gigabytes (the
        # parser above never expands them, and the feed is refused).
        raise NotAFeed("refused: the feed declares XML entities (an entity bomb?)")
    entries: list[Entry] = []
    for item in root.iter():
        name = _local(item.tag)
        if name == "item":
            entry = _rss_item(item, base_url, tz, now)
        elif name == "entry":
            entry = _atom_entry(item, base_url, tz, now)
        else:
            continue
        if entry is not None:
            entries.append(entry)
    return entries


def _rss_item(item: etree._Element, base_url: str, tz: tzinfo, now: datetime | None) -> Entry | None:
    link = _first_text(item, "link")
    if not link:
        guid = _children(item, "guid")
        if guid and guid[0].get("isPermaLink", "true") != "false" and (guid[0].text or "").strip():
            link = (guid[0].text or "").strip()
    if not link:
        return None
    date_text = _first_text(item, "pubdate", "date", "published", "updated")
    full = _first_text(item, *_TEXT_ELEMENTS)
    return Entry(
        url=urljoin(base_url, link),
        title=_clean(_first_text(item, "title")),
        published=find_site_date(date_text, tz=tz, now=now) if date_text else None,
        text=html_to_text(full) if full else None,
        via="feed",
    )


def _atom_entry(item: etree._Element, base_url: str, tz: tzinfo, now: datetime | None) -> Entry | None:
    href = None
    for link in _children(item, "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            href = link.get("href")
            break
    if not href:
        return None
    date_text = _first_text(item, "published", "updated")
    content = _first_text(item, "content")
    return Entry(
        url=urljoin(base_url, href),
        title=_clean(_first_text(item, "title")),
        published=find_site_date(date_text, tz=tz, now=now) if date_text else None,
        text=html_to_text(content) if content else None,
        via="feed",
    )


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = " ".join(text.split())
    return cleaned or None
