"""The ``outlet`` shape: a news outlet with feeds and paged listings at paths ``site.toml`` states.

.. code-block:: toml

    source_id = "example_news"
    hosts = ["www.example-news.kz", "example-news.kz"]   # the first is canonical; the others 301 to it
    utc_offset_hours = 5
    article_path = '^/ru/[a-z0-9-]+-[0-9a-f]{6,8}$'   # what a fixture's URL path must match
    default_page_date = "meta"

    [[feeds]]                                 # RSS 2.0 of the newest articles of a language
    path = "/ru/rss/"
    language = "ru"
    size = 20

    [[listings]]                              # paged listing, newest first
    path = "/ru/lenta"
    language = "ru"
    per_page = 10
    page_path = "/ru/lenta/{page}"            # page >= 2

Templates default to ``mirror/templates/data/`` (article, listing, feed, 404); a folder's own
``templates/`` override them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from mirror.messages import Request, Response
from mirror.model import Article
from mirror.shapes.base import DataSite
from mirror.site import SHARED_TEMPLATES

DATA_TEMPLATES = SHARED_TEMPLATES / "data"


@dataclass(frozen=True, slots=True)
class FeedShape:
    path: str
    language: str
    size: int = 20


@dataclass(frozen=True, slots=True)
class ListingShape:
    path: str
    language: str
    per_page: int = 10
    page_path: str | None = None

    def page_of_path(self, path: str) -> int | None:
        """The page number ``path`` stands for on this listing, if it is one of its pages."""
        if path.rstrip("/") == self.path.rstrip("/"):
            return 1
        if self.page_path is None:
            return None
        pattern = re.escape(self.page_path.rstrip("/")).replace(re.escape("{page}"), r"(\d+)")
        match = re.fullmatch(pattern + "/?", path)
        return int(match.group(1)) if match and int(match.group(1)) >= 2 else None

    def url_of_page(self, host: str, page: int) -> str:
        path = self.path if page == 1 else (self.page_path or "").format(page=page)
        return f"https://{host}{path}"


class OutletSite(DataSite):
    """Feeds, listings and articles at the paths of ``site.toml``; aliases redirect."""

    article_path: ClassVar[re.Pattern[str]]
    feeds: ClassVar[tuple[FeedShape, ...]] = ()
    listings: ClassVar[tuple[ListingShape, ...]] = ()

    @classmethod
    def attributes(cls, raw: dict[str, Any], directory: Path) -> dict[str, Any]:
        return {
            **super().attributes(raw, directory),
            "article_path": re.compile(raw["article_path"]),
            "feeds": tuple(FeedShape(**feed) for feed in raw.get("feeds", ())),
            "listings": tuple(ListingShape(**listing) for listing in raw.get("listings", ())),
            "extra_templates": DATA_TEMPLATES,
        }

    @classmethod
    def check_article(cls, article: Article) -> list[str]:
        if article.host != cls.hosts[0]:
            return [f"{article.url}: not on the canonical host {cls.hosts[0]}"]
        if not cls.article_path.fullmatch(article.path):
            return [f"{article.url}: the path does not match article_path"]
        return []

    def template_context(self) -> dict[str, Any]:
        return {"name": self.name, "home": f"https://{self.hosts[0]}/"}

    def serve(self, req: Request) -> Response:
        for feed in self.feeds:
            if req.upath == feed.path:
                items = self.select(language=feed.language)[: feed.size]
                return self.render(
                    "feed.xml", content_type="application/rss+xml; charset=UTF-8", feed=feed, items=items
                )
        for listing in self.listings:
            page = listing.page_of_path(req.upath)
            if page is not None:
                return self._listing(req, listing, page)
        article = self.lookup(req)
        if article is not None:
            return self._article(article)
        return self.not_found(req)

    def _listing(self, req: Request, listing: ListingShape, page: int) -> Response:
        found = self.page_of(self.select(language=listing.language), page, listing.per_page)
        if found is None:
            return self.not_found(req)
        items, pages = found
        newer = listing.url_of_page(req.host, page - 1) if page > 1 else None
        older = listing.url_of_page(req.host, page + 1) if page < pages and listing.page_path else None
        return self.render("listing.html", listing=listing, items=items, page=page, newer=newer, older=older)

    def _article(self, article: Article) -> Response:
        same = self.select(language=article.language)
        latest = [a for a in same if a is not article][:5]
        return self.render("article.html", a=article, latest=latest)
