"""The ``portal`` shape: one news portal on several hosts, each with its own zone and templates.

Routes on every host (each host lists only its own items; item ids are global):

- ``/`` and ``/news``: listing page 1; ``/news/N/``: page N, ``per_page`` items;
- ``/news/rss``: RSS 2.0 of the host's ``feed_size`` newest items, times in the feed zone;
- ``/news/item/<id>`` (with or without the trailing slash): the article;
- ``/news/window/<id>/``: the same article as the pop-up the home page links to (real on мвд.рф:
  its home page links news only this way);
- ``/news?year=Y&month=M&day=D``: the day archive, on hosts with ``day_archive``;
- every path of ``[static_pages]`` (with or without the trailing slash): a static page;
- anything else: the host's 404 page.

Each host renders ``<kind>_<template>.html`` (``listing``, ``article``, ``static``, ``404``) of its
template variant, and ``rss.xml``.

``site.toml`` keys besides the common ones (:mod:`mirror.shapes.base`)::

    languages = ["ru"]                   # the languages fixtures may have
    per_page = 10
    feed_size = 20
    feed_utc_offset_hours = 3            # the zone feed dates are stated in
    region_signature = "Пресс-служба {unit}"   # default signature on hosts with a region

    [static_pages]
    "/contacts" = "Контакты"

    [hosts."example.ru"]                 # one table per host; the first is the main host
    template = "main"                    # the template variant
    utc_offset_hours = 3                 # the zone pages display times in
    page_date = "time"                   # where its article pages state the date
    item_trailing_slash = false          # whether its item links end in "/"
    feed_full_text = true                # yandex:full-text in its feed

    [hosts."22.example.ru"]              # a regional host
    template = "legacy"
    utc_offset_hours = 7
    page_date = "text"
    item_trailing_slash = true
    day_archive = true
    region = { code = "22", unit = "ГУ по краю", region = "Край", cms_site = 23 }

Templates receive ``host``, ``base`` (``https://<host>``), ``tz`` (the host's zone), ``region``
(the host's ``region`` table, or None), and per page ``items``, ``page``, ``pages``, ``home``,
``day``, ``a``, ``latest``, ``title``, ``full_text`` and ``msk`` (the feed zone).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timezone
from pathlib import Path
from typing import Any, ClassVar

import mirror.dates as dates
from mirror.messages import Request, Response
from mirror.model import Article
from mirror.shapes.base import DataSite

ITEM_PATH = re.compile(r"^/news/item/(\d+)/?$")
WINDOW_PATH = re.compile(r"^/news/window/(\d+)/?$")


@dataclass(frozen=True)
class PortalHost:
    """What one host of a portal has of its own."""

    template: str
    zone: timezone
    page_date: str
    item_trailing_slash: bool
    day_archive: bool = False
    feed_full_text: bool = False
    region: dict[str, Any] | None = field(default=None, hash=False)


class PortalSite(DataSite):
    languages: ClassVar[tuple[str, ...]] = ("ru",)
    per_page: ClassVar[int] = 10
    feed_size: ClassVar[int] = 20
    feed_zone: ClassVar[timezone]
    region_signature: ClassVar[str | None] = None
    static_pages: ClassVar[dict[str, str]] = {}
    host_data: ClassVar[dict[str, PortalHost]] = {}

    @classmethod
    def attributes(cls, raw: dict[str, Any], directory: Path) -> dict[str, Any]:
        host_data = {host: _portal_host(table) for host, table in raw["hosts"].items()}
        return {
            **super().attributes(raw, directory),
            "languages": tuple(raw.get("languages", ("ru",))),
            "per_page": int(raw.get("per_page", 10)),
            "feed_size": int(raw.get("feed_size", 20)),
            "feed_zone": dates.offset(raw["feed_utc_offset_hours"]),
            "region_signature": raw.get("region_signature"),
            "static_pages": dict(raw.get("static_pages", {})),
            "host_data": host_data,
        }

    @classmethod
    def local_tz(cls, host: str) -> timezone:
        return cls.host_data[host].zone

    @classmethod
    def default_signature(cls, language: str, host: str) -> str | None:
        region = cls.host_data[host].region
        return cls.region_signature.format(**region) if region and cls.region_signature else None

    @classmethod
    def default_page_date(cls, host: str, meta_date: bool) -> str:
        return cls.host_data[host].page_date

    @classmethod
    def item_id_of(cls, path: str) -> int | None:
        m = ITEM_PATH.match(path)
        return int(m.group(1)) if m else None

    @classmethod
    def check_article(cls, article: Article) -> list[str]:
        if article.host not in cls.hosts or not ITEM_PATH.match(article.path):
            return [f"not a {cls.canonical()} item URL: {article.url}"]
        if cls.host_data[article.host].item_trailing_slash != article.path.endswith("/"):
            slash = "end with" if cls.host_data[article.host].item_trailing_slash else "have no"
            return [f"{article.url}: item URLs on {article.host} {slash} a trailing slash"]
        if article.language not in cls.languages:
            return [f"{article.url}: the languages of {cls.source_id} are {', '.join(cls.languages)}"]
        return []

    def __init__(self, articles: Iterable[Article]) -> None:
        super().__init__(articles)
        self.by_id = {(a.host, a.item_id): a for a in self.articles}

    def serve(self, req: Request) -> Response:
        path = req.upath
        host = self.host_data[req.host]
        if path == "/":
            return self._listing(req, 1, home=True)
        if path in ("/news", "/news/"):
            if host.day_archive and {"year", "month", "day"} <= req.params.keys():
                return self._day_archive(req)
            return self._listing(req, 1)
        m = re.fullmatch(r"/news/(\d+)/?", path)
        if m:
            return self._listing(req, int(m.group(1)))
        if path in ("/news/rss", "/news/rss/"):
            return self.render("rss.xml", content_type="application/rss+xml; charset=utf-8",
                               items=self.select(host=req.host)[: self.feed_size],
                               full_text=host.feed_full_text, msk=self.feed_zone, **self._context(req))
        m = ITEM_PATH.match(path) or WINDOW_PATH.match(path)
        if m:
            article = self.by_id.get((req.host, int(m.group(1))))
            if article is not None:
                latest = [a for a in self.select(host=req.host)[:6] if a is not article][:5]
                return self._page(req, "article", a=article, latest=latest)
        if path.rstrip("/") in self.static_pages:
            return self._page(req, "static", title=self.static_pages[path.rstrip("/")])
        return self._page(req, "404", status=404)

    def _context(self, req: Request) -> dict[str, Any]:
        host = self.host_data[req.host]
        return {"host": req.host, "region": host.region, "tz": host.zone, "base": f"https://{req.host}"}

    def _page(self, req: Request, kind: str, status: int = 200, **context: Any) -> Response:
        template = f"{kind}_{self.host_data[req.host].template}.html"
        return self.render(template, status=status, **context, **self._context(req))

    def _listing(self, req: Request, page: int, home: bool = False) -> Response:
        found = self.page_of(self.select(host=req.host), page, self.per_page)
        if found is None:
            return self._page(req, "404", status=404)
        return self._page(req, "listing", items=found[0], page=page, pages=found[1], home=home, day=None)

    def _day_archive(self, req: Request) -> Response:
        tz = self.local_tz(req.host)
        try:
            day = date(int(req.params["year"]), int(req.params["month"]), int(req.params["day"]))
        except ValueError:
            return self._listing(req, 1)
        items = [a for a in self.select(host=req.host)
                 if a.published is not None and a.published.astimezone(tz).date() == day]
        return self._page(req, "listing", items=items, page=1, pages=1, home=False, day=day)


def _portal_host(table: dict[str, Any]) -> PortalHost:
    zone = dates.offset(table["utc_offset_hours"])
    region = table.get("region")
    return PortalHost(
        template=table["template"], zone=zone, page_date=table["page_date"],
        item_trailing_slash=bool(table["item_trailing_slash"]),
        day_archive=bool(table.get("day_archive", False)),
        feed_full_text=bool(table.get("feed_full_text", False)),
        region={**region, "tz": zone} if region else None,
    )
