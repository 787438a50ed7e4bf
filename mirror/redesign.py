"""A redesign of every mirrored site: the same pages and URLs, other markup.

Sites change their themes; their permalinks and feeds usually survive. ``MirrorServer(redesign=
True)`` (``python -m mirror --redesign``) serves every HTML page rewritten the way a new theme
would: every class name and id replaced by a hashed one (as CSS modules and utility builds
emit), the semantic elements a spider may lean on (``article``, ``section``, ``header``,
``footer``, ``nav``, ``aside``, ``main``, lists) turned into plain ``div``\\s, ``<time datetime>``
reduced to its displayed text, and the body wrapped in two more levels. The ``<head>`` (meta
data, feeds, hreflang) and the text are left as they were. A crawl of it must still find every
article, by URL pattern and generic extraction, and report the sources as degraded.
"""

from __future__ import annotations

import hashlib

import lxml.etree
import lxml.html

from mirror.messages import Response

BLOCK_TAGS = {"article", "section", "header", "footer", "nav", "aside", "main", "ul", "ol", "li", "figure"}
INLINE_TAGS = {"time"}


def redesigned(response: Response) -> Response:
    """The response with its HTML markup rewritten (other responses unchanged)."""
    if not (response.content_type or "").startswith("text/html") or not isinstance(response.body, bytes):
        return response
    if not response.body.strip():
        return response
    root = lxml.html.document_fromstring(response.body.decode("utf-8"))
    body = root.find("body")
    if body is None:
        return response
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        _rename(element)
        for attribute in ("class", "id"):
            value = element.get(attribute)
            if value:
                element.set(attribute, " ".join(_hashed(token) for token in value.split()))
        for attribute in ("datetime", "itemprop", "role"):
            element.attrib.pop(attribute, None)
    _wrap_children(body)
    html = lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return Response(response.status, html.encode("utf-8"), response.content_type, list(response.headers))



def _rename(element: lxml.html.HtmlElement) -> None:
    if element.tag in BLOCK_TAGS:
        element.tag = "div"
    elif element.tag in INLINE_TAGS:
        element.tag = "span"


def _hashed(token: str) -> str:
    """A class name as a build tool would emit it: stable, meaningless."""
    return "x" + hashlib.blake2s(token.encode(), digest_size=4).hexdigest()


def _wrap_children(body: lxml.html.HtmlElement) -> None:
    outer = lxml.etree.SubElement(body, "div")
    inner = lxml.etree.SubElement(outer, "div")
    inner.text, body.text = body.text, None
    for child in list(body):
        if child is not outer:
            inner.append(child)
    outer.set("class", _hashed("layout"))
    inner.set("class", _hashed("layout-inner"))
