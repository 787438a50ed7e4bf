"""мвд.рф (xn--b1aew.xn--p1ai) and its regional site 22.мвд.рф (Altai Krai).

Both: ``/news/rss`` (RSS 2.0, pubDate +0300), ``/news`` and ``/news/N/`` listings of 10 with an
``a.next`` link, ``/news/item/<id>/`` articles with global integer ids. The regional host renders
the legacy "mvd-2014" template (``div.sl-item`` listing, ``div.ln-content-holder h1``,
``div.article-date-item`` in local time without offset, ``div.article p``, a bold ``Пресс-служба``
signature) and serves the day archive ``/news?year=Y&month=M&day=D``; its feed has no
``yandex:full-text``. The main host renders a newer layout (``.news-inner__item``,
``a.news-inner__link``, ``.news-inner__data-time``, ``<time datetime>``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timezone
from pathlib import Path
from typing import Any

import mirror.dates as dates
from mirror.messages import Request, Response
from mirror.model import Article
from mirror.site import Site

MAIN = "xn--b1aew.xn--p1ai"
REGIONS = {
    "22.xn--b1aew.xn--p1ai": {
        "code": "22", "tz": dates.offset(7), "unit": "ГУ МВД России по Алтайскому краю",
        "region": "Алтайский край", "cms_site": 23,
    },
}
MSK = dates.offset(3)
ITEM_PATH = re.compile(r"^/news/item/(\d+)/?$")
PER_PAGE = 10
FEED_SIZE = 20
STATIC_PAGES = {"/folder/1": "О Главном управлении", "/folder/2": "Деятельность", "/folder/3": "Для граждан",
                "/mvd/structure1": "Структура", "/contacts": "Контакты", "/request_main": "Прием обращений"}


class MvdRu(Site):
    source_id = "mvd_ru"
    hosts = (MAIN, *REGIONS)
    directory = Path(__file__).resolve().parent
    robots_rules = ("Disallow: /search", "Disallow: /request_main", "Disallow: /captcha")

    def __init__(self, articles: Iterable[Article]) -> None:
        super().__init__(articles)
        self.by_id = {(a.host, a.item_id): a for a in self.articles}

    @classmethod
    def local_tz(cls, host: str) -> timezone:
        region = REGIONS.get(host)
        return region["tz"] if region else MSK  # type: ignore[return-value]

    @classmethod
    def default_signature(cls, language: str, host: str) -> str | None:
        region = REGIONS.get(host)
        return f"Пресс-служба {region['unit']}" if region else None

    @classmethod
    def default_page_date(cls, host: str, meta_date: bool) -> str:
        return "text" if host in REGIONS else "time"

    @classmethod
    def item_id_of(cls, path: str) -> int | None:
        m = ITEM_PATH.match(path)
        return int(m.group(1)) if m else None

    @classmethod
    def check_article(cls, article: Article) -> list[str]:
        if article.host not in cls.hosts or not ITEM_PATH.match(article.path):
            return [f"not an мвд.рф item URL: {article.url}"]
        # Main-host links drop the trailing slash, the legacy template keeps it.
        if article.host in REGIONS and not article.path.endswith("/"):
            return [f"{article.url}: regional item URLs end with a slash"]
        if article.host == MAIN and article.path.endswith("/"):
            return [f"{article.url}: main-host item URLs have no trailing slash"]
        if article.language != "ru":
            return [f"{article.url}: мвд.рф articles are Russian"]
        return []

    def route(self, req: Request) -> Response:
        path = req.upath
        legacy = req.host in REGIONS
        if path == "/":
            return self._listing(req, 1, home=True)
        if path in ("/news", "/news/"):
            if legacy and {"year", "month", "day"} <= req.params.keys():
                return self._day_archive(req)
            return self._listing(req, 1)
        m = re.fullmatch(r"/news/(\d+)/?", path)
        if m:
            return self._listing(req, int(m.group(1)))
        if path in ("/news/rss", "/news/rss/"):
            return self._feed(req)
        m = ITEM_PATH.match(path)
        if m:
            article = self.by_id.get((req.host, int(m.group(1))))
            if article is not None:
                return self._article(req, article)
        if path.rstrip("/") in STATIC_PAGES:
            return self.render("static_legacy.html" if legacy else "static_main.html",
                               title=STATIC_PAGES[path.rstrip("/")], **self._context(req))
        return self.render("404_legacy.html" if legacy else "404_main.html", status=404,
                           **self._context(req))

    def _context(self, req: Request) -> dict[str, Any]:
        region = REGIONS.get(req.host)
        return {"host": req.host, "region": region, "tz": self.local_tz(req.host),
                "base": f"https://{req.host}"}

    def _listing(self, req: Request, page: int, home: bool = False) -> Response:
        items = self.select(host=req.host)
        found = self.page_of(items, page, PER_PAGE)
        ctx = self._context(req)
        legacy = req.host in REGIONS
        if found is None:
            return self.render("404_legacy.html" if legacy else "404_main.html", status=404, **ctx)
        return self.render("listing_legacy.html" if legacy else "listing_main.html", items=found[0],
                           page=page, pages=found[1], home=home, day=None, **ctx)

    def _day_archive(self, req: Request) -> Response:
        ctx = self._context(req)
        tz = self.local_tz(req.host)
        try:
            day = date(int(req.params["year"]), int(req.params["month"]), int(req.params["day"]))
        except ValueError:
            return self._listing(req, 1)
        items = [a for a in self.select(host=req.host)
                 if a.published is not None and a.published.astimezone(tz).date() == day]
        return self.render("listing_legacy.html", items=items, page=1, pages=1, home=False, day=day, **ctx)

    def _feed(self, req: Request) -> Response:
        items = self.select(host=req.host)[:FEED_SIZE]
        return self.render("rss.xml", content_type="application/rss+xml; charset=utf-8", items=items,
                           full_text=req.host == MAIN, msk=MSK, **self._context(req))

    def _article(self, req: Request, article: Article) -> Response:
        legacy = req.host in REGIONS
        latest = [a for a in self.select(host=req.host)[:6] if a is not article][:5]
        return self.render("article_legacy.html" if legacy else "article_main.html", a=article,
                           latest=latest, **self._context(req))
