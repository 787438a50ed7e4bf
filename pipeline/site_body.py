"""The article body read with the site's own selectors, from the page tree already parsed.

A source's entry in ``config/boilerplate.toml`` may name the CSS of its body container
(``body_selectors``). :func:`selector_body` reads the text of the first selector that matches, in
document order, as trafilatura prints a body: one paragraph a line (block elements and ``<br>``
break lines, table cells are joined with ``|``). Inside the container it leaves out what is never
article text: scripts, styles, forms, embedded frames, hidden elements and the blocks that are
mostly links (a related-news list, a share bar, a list of social networks).

The text is refused, and the extract stage falls back to trafilatura, when (:class:`BodyFallback`):

* ``no_match``: no selector finds an element (the markup changed, or another template);
* ``too_short``: the text is shorter than the extract stage's least body (an empty container,
  a caption: trafilatura's full extraction does better there);
* ``listing``: more than :data:`MAX_LINK_SHARE` of the container's text is link text (the
  selector found a menu or a listing, not an article).

Nothing here knows a site: the selectors are data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass
from enum import StrEnum

from lxml.etree import _Element
from lxml.html import HtmlElement

from config.boilerplate import load_boilerplate
from pipeline.boilerplate import css_xpath

MAX_LINK_SHARE = 0.5
"""A container whose text is more than this share link text is a listing or a menu."""
LINK_BLOCK_SHARE = 0.6
"""A block inside the body (list, div, table, nav) that is more than this share link text, and
holds at least :data:`LINK_BLOCK_MIN_LINKS` links, is left out (related news, share links)."""
LINK_BLOCK_MIN_LINKS = 2
EXTRACT_ENV = "NEWSMON_EXTRACT"
"""``NEWSMON_EXTRACT=trafilatura`` turns the site selectors off (every body by trafilatura)."""

_SKIPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "svg",
        "canvas",
        "head",
        "title",
        "meta",
        "link",
        "figure",
    }
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "address",
        "center",
        "hr",
        "figcaption",
        "details",
        "summary",
    }
)
_LINK_BLOCKS = frozenset({"ul", "ol", "div", "table", "nav", "section", "aside", "p", "dl"})
_CELLS = frozenset({"td", "th"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES = re.compile(r"[^\S\n]+")


class BodyFallback(StrEnum):
    """Why the selectors' text was not taken (the body is trafilatura's then)."""

    NO_MATCH = "no_match"
    TOO_SHORT = "too_short"
    LISTING = "listing"


@dataclass(frozen=True, slots=True)
class SelectorBody:
    """The outcome of :func:`selector_body`: the text, or why there is none."""

    text: str | None
    fallback: BodyFallback | None = None


def selectors_enabled() -> bool:
    """Whether the site selectors are used (``NEWSMON_EXTRACT`` is not ``trafilatura``)."""
    return os.environ.get(EXTRACT_ENV, "").strip().lower() != "trafilatura"


def source_body_selectors(source_id: str | None) -> tuple[str, ...]:
    """The body selectors of ``source_id`` in ``config/boilerplate.toml``; none when it has none or
    ``NEWSMON_EXTRACT=trafilatura``."""
    return load_boilerplate().body_selectors(source_id) if selectors_enabled() else ()


def _containers(tree: HtmlElement, selectors: Sequence[str]) -> list[HtmlElement]:
    """The elements of the first selector that matches any, outermost only, in document order."""
    for selector in selectors:
        found = [node for node in tree.xpath(css_xpath(selector)) if isinstance(node, HtmlElement)]
        if found:
            chosen = set(found)
            return [node for node in found if not any(a in chosen for a in node.iterancestors())]
    return []


def _is_hidden(element: HtmlElement) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style") or ""))


def _text_len(element: _Element) -> int:
    return len("".join(element.itertext()).strip())


def _link_len(element: HtmlElement) -> int:
    return sum(_text_len(link) for link in element.iter("a"))


def _link_share(element: HtmlElement) -> float:
    total = _text_len(element)
    return _link_len(element) / total if total else 0.0


def _is_link_block(element: HtmlElement) -> bool:
    if element.tag not in _LINK_BLOCKS:
        return False
    links = sum(1 for _ in element.iter("a"))
    return links >= LINK_BLOCK_MIN_LINKS and _link_share(element) > LINK_BLOCK_SHARE


def _prune(container: HtmlElement) -> HtmlElement:
    """A copy of ``container`` without skipped, hidden and link-dense elements (the page's tree
    stays as it is: the metadata and date passes read it afterwards)."""
    copy = deepcopy(container)
    copy.tail = None  # the text after the container is no part of it
    doomed = [
        node
        for node in copy.iterdescendants()
        if isinstance(node, HtmlElement)
        and (node.tag in _SKIPPED or _is_hidden(node) or _is_link_block(node))
    ]
    for node in doomed:
        parent = node.getparent()
        if parent is not None and not any(a in doomed for a in node.iterancestors()):
            node.drop_tree()
    return copy


def _inline(text: str | None) -> str:
    """Text of the markup: its line breaks are spaces (only elements break lines)."""
    return text.replace("\r", " ").replace("\n", " ") if text else ""


def _render(element: _Element, out: list[str]) -> None:
    """Append the text of ``element`` to ``out``, ``\\n`` around blocks and at ``<br>``, `` | ``
    between table cells; comments and processing instructions are left out."""
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is None:  # a comment or processing instruction: its tail is text
        out.append(_inline(element.tail))
        return
    if tag == "br":
        out.append("\n")
    elif tag in _BLOCKS:
        out.append("\n")
    elif tag in _CELLS:
        out.append(" | ")
    out.append(_inline(element.text))
    for child in element:
        _render(child, out)
    if tag in _BLOCKS:
        out.append("\n")
    out.append(_inline(element.tail))


def _lines(containers: Sequence[HtmlElement]) -> str:
    parts: list[str] = []
    for container in containers:
        _render(container, parts)
        parts.append("\n")
    lines = []
    for raw in "".join(parts).split("\n"):
        line = _SPACES.sub(" ", raw.replace("\u00a0", " ")).strip().strip("|").strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def selector_body(tree: HtmlElement, selectors: Sequence[str], *, min_chars: int) -> SelectorBody:
    """The body text the site's ``selectors`` find in ``tree``, or the reason it is not taken
    (``min_chars``: the least text taken, the extract stage's ``no_text`` bound)."""
    containers = _containers(tree, selectors)
    if not containers:
        return SelectorBody(None, BodyFallback.NO_MATCH)
    total = sum(_text_len(node) for node in containers)
    links = sum(_link_len(node) for node in containers)
    if total and links / total > MAX_LINK_SHARE:
        return SelectorBody(None, BodyFallback.LISTING)
    text = _lines([_prune(node) for node in containers])
    if len(text) < min_chars:
        return SelectorBody(None, BodyFallback.TOO_SHORT)
    return SelectorBody(text)
