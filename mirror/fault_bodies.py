"""Answers of the mirror's fault modes that rewrite or replace a page (:mod:`mirror.faults`):
mislabelled charsets, an empty but valid feed, a stale feed, an entity-bomb feed, the 410 page."""

from __future__ import annotations

import re
from dataclasses import replace

from mirror.messages import Request, Response

_CHARSET_DECL = re.compile(rb"(charset\s*=\s*[\"']?|encoding\s*=\s*[\"'])utf-8", re.I)

OFFSITE_HOST = "offsite.invalid"
"""Where ``offsite-redirect`` sends a request: a host no source lists (the mirror answers 404)."""

STALE_FEED_KEEP = 2
"""The items ``stale-feed`` keeps of a feed: its oldest (the newer ones are what it misses)."""
_FEED_ITEM = re.compile(rb"<(item|entry)\b.*?</\1>\s*", re.S)

CUT_OFF_SHARE = 0.6
"""The share of the body ``cut-off`` sends before it closes the connection."""


def mislabel(resp: Response, kind: str) -> Response:
    """The page in other bytes than it declares: ``cp1251-as-utf8``, ``utf8-as-cp1251``,
    ``koi8r-as-cp1251`` (KOI8-R bytes, windows-1251 in the header and the markup)."""
    ctype = resp.content_type or ""
    if not any(t in ctype for t in ("text/", "xml", "json")):
        return resp
    body = resp.body_bytes()
    if kind == "cp1251-as-utf8":
        return replace(resp, body=body.decode("utf-8", "replace").encode("cp1251", "replace"))
    if kind == "koi8r-as-cp1251":
        body = body.decode("utf-8", "replace").encode("koi8-r", "replace")
    new_type = re.sub(r"charset=[\w-]+", "charset=windows-1251", ctype, flags=re.I)
    if "charset=" not in new_type:
        new_type += "; charset=windows-1251"
    return replace(resp, body=_CHARSET_DECL.sub(rb"\1windows-1251", body), content_type=new_type)


def empty_feed(req: Request) -> Response:
    """A valid RSS 2.0 feed of the site with no item at all."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{req.host}</title><link>https://{req.host}/</link>"
        "<description>Новости</description></channel></rss>\n"
    )
    return Response(200, body.encode(), "application/rss+xml; charset=utf-8")


def stale_feed(resp: Response, keep: int = STALE_FEED_KEEP) -> Response:
    """The feed as the site serves it, but with only its ``keep`` oldest items (RSS ``item`` or
    Atom ``entry``): still valid, no longer updated, so it misses the listing's newer articles."""
    if resp.status != 200:
        return resp
    body = resp.body_bytes()
    items = list(_FEED_ITEM.finditer(body))
    dropped = items[: max(len(items) - keep, 0)]
    if not dropped:
        return resp
    kept, start = [], 0
    for match in dropped:
        kept.append(body[start : match.start()])
        start = match.end()
    kept.append(body[start:])
    return replace(resp, body=b"".join(kept))


def entity_bomb() -> Response:
    """A feed whose internal entities expand to about 3 GB ("billion laughs"): a parser that
    expands entities runs out of memory on it."""
    entities = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 9)]
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE rss [\n' + "\n".join(entities) + "\n]>\n"
        '<rss version="2.0"><channel><title>&lol8;</title>'
        "<item><title>&lol8;</title><description>&lol8;</description></item></channel></rss>\n"
    )
    return Response(200, body.encode(), "application/rss+xml; charset=utf-8")


def gone_page() -> Response:
    """nginx's 410 page."""
    body = ("<html>\r\n<head><title>410 Gone</title></head>\r\n<body>\r\n"
            "<center><h1>410 Gone</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
    return Response(410, body.encode(), "text/html")


def offsite_location(req: Request) -> str:
    """The same path on :data:`OFFSITE_HOST`."""
    return f"https://{OFFSITE_HOST}{req.path_with_query}"
