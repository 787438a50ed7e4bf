"""What every mirrored site shares: article lookup, Jinja rendering, listings, robots.txt, 404s.

A site is one folder under ``mirror/sites/<source_id>/`` holding its article data
(``articles/*.toml``), its templates (``templates/``) and a ``site.toml`` naming the shape
(:mod:`mirror.shapes`) that serves it; :mod:`mirror.datasite` builds the :class:`Site` subclass.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import timezone
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import jinja2

import mirror.dates as dates
from mirror.messages import Request, Response, redirect, text_response
from mirror.model import Article

SHARED_TEMPLATES = Path(__file__).resolve().parent / "templates"


class Site:
    """One mirrored source. Subclasses set the class attributes and implement :meth:`route`."""

    source_id: ClassVar[str]
    hosts: ClassVar[tuple[str, ...]]
    """ASCII hosts served by this site; the first is the canonical one."""
    hreflang: ClassVar[bool] = False
    """Whether article pages link their language versions with ``<link rel=alternate hreflang>``."""
    directory: ClassVar[Path]
    robots_rules: ClassVar[tuple[str, ...]] = ()
    """Lines under ``User-agent: *`` in robots.txt (allow-all when empty)."""
    extra_templates: ClassVar[Path | None] = None
    """Default templates between the site's own and the shared ones (data sites' defaults)."""

    def __init__(self, articles: Iterable[Article]) -> None:
        self.articles = sorted((a for a in articles if a.source_id == self.source_id),
                               key=lambda a: (a.sort_time, a.url), reverse=True)
        self._by_key: dict[tuple[str, str], Article] = {}
        for article in self.articles:
            self._by_key[(article.host, self.path_key(unquote(article.path)))] = article
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([
                jinja2.FileSystemLoader(str(folder))
                for folder in (self.directory / "templates", self.extra_templates, SHARED_TEMPLATES)
                if folder is not None
            ]),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        self.env.globals.update(dates=dates, site=self)
        self.env.filters["ru_date"] = dates.ru_date
        self.env.filters["rfc822"] = dates.rfc822
        self.env.filters["rfc822_gmt"] = dates.rfc822_gmt

    # --- to implement -------------------------------------------------------------------------

    def route(self, req: Request) -> Response:
        raise NotImplementedError

    @classmethod
    def check_article(cls, article: Article) -> list[str]:
        """Problems with an article's URL/language/date for this site (empty when consistent)."""
        return []

    @classmethod
    def local_tz(cls, host: str) -> timezone:
        """The zone the site displays times in on ``host``."""
        raise NotImplementedError

    @classmethod
    def default_signature(cls, language: str, host: str) -> str | None:
        return None

    @classmethod
    def default_page_date(cls, host: str, meta_date: bool) -> str:
        return "meta"

    def template_context(self) -> dict[str, Any]:
        """Variables every template of the site may use."""
        return {}

    # --- shared machinery ---------------------------------------------------------------------

    @staticmethod
    def path_key(upath: str) -> str:
        """Lookup key of a decoded path: lowercase, no trailing slash."""
        return upath.lower().rstrip("/") or "/"

    def handle(self, req: Request) -> Response:
        if req.upath == "/robots.txt":
            return text_response(self.robots_txt(req.host, ()))
        return self.route(req)

    def lookup(self, req: Request) -> Article | None:
        return self._by_key.get((req.host, self.path_key(req.upath)))

    def robots_txt(self, host: str, extra_disallow: Sequence[str]) -> str:
        lines = ["User-agent: *"]
        rules = list(self.robots_rules) + [f"Disallow: {p}" for p in extra_disallow]
        lines += rules or ["Disallow:"]
        return "\n".join(lines) + "\n"

    def render(self, template: str, status: int = 200, content_type: str = "text/html; charset=UTF-8",
               **context: Any) -> Response:
        html = self.env.get_template(template).render(**{**self.template_context(), **context})
        return Response(status, html.encode("utf-8"), content_type)

    def not_found(self, req: Request) -> Response:
        return self.render("404.html", status=404, req=req)

    def select(self, host: str | None = None, language: str | None = None,
               prefix: str | None = None) -> list[Article]:
        """Articles newest first, filtered by host, language and path prefix."""
        return [a for a in self.articles
                if (host is None or a.host == host)
                and (language is None or a.language == language)
                and (prefix is None or a.path.startswith(prefix))]

    @staticmethod
    def page_of(items: Sequence[Article], page: int, per_page: int) -> tuple[list[Article], int] | None:
        """Items of 1-based ``page`` and the page count, or None when the page does not exist."""
        pages = max(1, math.ceil(len(items) / per_page))
        if page < 1 or page > pages:
            return None
        return list(items[(page - 1) * per_page: page * per_page]), pages

    @staticmethod
    def slash_redirect(req: Request) -> Response:
        """WordPress-style 301 to the same URL with a trailing slash."""
        q = "?" + req.query if req.query else ""
        return redirect(f"https://{req.host}{req.path}/{q}")

    @staticmethod
    def url_parts(url: str) -> tuple[str, str]:
        parts = urlsplit(url)
        return parts.hostname or "", parts.path
