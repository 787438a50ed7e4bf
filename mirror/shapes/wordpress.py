"""The ``wordpress`` shape: a WordPress site with editions by path prefix (WPML or multisite).

Routes of each edition ``<ed>`` (``""`` for the root edition):

- ``<ed>/`` and ``<ed>/page/N/``: the listing (``/page/1/`` 301s to the edition root);
  ``<ed>/?p=ID`` 301s to the post (with ``shortlinks``);
- ``<ed>/feed/`` and ``<ed>/feed/?paged=N``: RSS 2.0;
- ``<ed>/<taxonomy>/<term>/``: taxonomy archives (not modelled: listing page 1);
- ``<ed>/YYYY/``, ``<ed>/YYYY/MM/``, ``<ed>/YYYY/MM/DD/`` (with ``page/N/``): date archives;
- the permalinks ``<ed>/<slug>/`` or ``<ed>/YYYY/MM/DD/<slug>/``;
- a path without its trailing slash 301s to the slashed one when that one is a route (for slug
  permalinks: when the post exists); anything else is the edition's 404 page.

``site.toml`` keys besides the common ones (:mod:`mirror.shapes.base`)::

    permalink = "slug"                # slug: /<slug>/   date: /YYYY/MM/DD/<slug>/
    slug_pattern = "[a-z0-9-]+"       # what fixture slugs must match (default: [^/]+)
    per_page = 10                     # listing and archive page size
    feed_size = 10                    # items per feed page
    shortlinks = true                 # /?p=ID redirects to the post
    taxonomies = ["category", "tag"]  # archive bases (none by default)
    date_archives = true
    redirects = { "/en" = "/" }       # fixed 301s (path -> path on the canonical host)
    popular = [3, 12, 4]              # the "popular" widget of listing page 1: items[3:12:4]

    [templates]                       # file names, when the theme's differ from these defaults
    listing = "listing.html"          # also article.html, feed.xml, 404.html

    [post_ids]                        # post ids the pages show: start + step * n + jitter % mod,
    per_edition = true                # n counting oldest first (per edition or over the site)
    start = { ru = 51000, kk = 23000 }   # or one number
    step = 6
    jitter = "url_crc32"              # url_crc32 | title_length
    jitter_mod = 5

    [undated_section]                 # a legacy section of undated pages (page_date = "none")
    path = "/en/news/"
    language = "en"
    list_template = "legacy_list.html"
    article_template = "legacy_article.html"

Templates receive ``ed`` (the edition's table), ``language``, ``items``, ``page``, ``pages``,
``latest``/``recent`` (the edition's 5 newest posts), ``home``, ``base``, ``title``,
``post_ids``/``post_id``, ``newer``/``older``/``related`` and ``x_default`` (root edition version).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from mirror.messages import Request, Response, redirect
from mirror.model import Article
from mirror.shapes.base import DataSite

ALWAYS_RESERVED = ("page", "feed", "comments", "search", "wp-admin", "wp-content", "wp-includes", "wp-json")
DATE_PERMALINK = r"/(\d{4})/(\d{2})/(\d{2})/([^/]+)/"
JITTERS = {
    "url_crc32": lambda a: zlib.crc32(a.url.encode()),
    "title_length": lambda a: len(a.title),
}


class WordPressSite(DataSite):
    permalink: ClassVar[str] = "slug"
    slug_pattern: ClassVar[str] = "[^/]+"
    per_page: ClassVar[int] = 10
    feed_size: ClassVar[int] = 10
    shortlinks: ClassVar[bool] = False
    taxonomies: ClassVar[tuple[str, ...]] = ()
    date_archives: ClassVar[bool] = False
    redirects: ClassVar[dict[str, str]] = {}
    popular: ClassVar[tuple[int, int, int] | None] = None
    templates: ClassVar[dict[str, str]] = {}
    post_id_rule: ClassVar[dict[str, Any]] = {}
    undated_section: ClassVar[dict[str, str] | None] = None

    @classmethod
    def attributes(cls, raw: dict[str, Any], directory: Path) -> dict[str, Any]:
        if raw.get("permalink", "slug") not in ("slug", "date"):
            raise ValueError(f"{directory}/site.toml: permalink must be slug or date")
        section = raw.get("undated_section")
        cls.require_editions(raw, directory)
        return {
            **super().attributes(raw, directory),
            "permalink": raw.get("permalink", "slug"),
            "slug_pattern": raw.get("slug_pattern", "[^/]+"),
            "per_page": int(raw.get("per_page", 10)),
            "feed_size": int(raw.get("feed_size", 10)),
            "shortlinks": bool(raw.get("shortlinks", False)),
            "taxonomies": tuple(raw.get("taxonomies", ())),
            "date_archives": bool(raw.get("date_archives", False)),
            "redirects": dict(raw.get("redirects", {})),
            "popular": tuple(raw["popular"]) if "popular" in raw else None,
            "templates": {"listing": "listing.html", "article": "article.html", "feed": "feed.xml",
                          "not_found": "404.html", **raw.get("templates", {})},
            "post_id_rule": dict(raw.get("post_ids", {})),
            "undated_section": dict(section) if section else None,
        }

    def __init__(self, articles: Iterable[Article]) -> None:
        super().__init__(articles)
        self.posts = [a for a in self.articles if a.page_date != "none"]
        self.undated = [a for a in self.articles if a.page_date == "none"]
        self.post_ids = self._post_ids()
        self.by_post_id = {(a.language, self.post_ids[a.url]): a for a in self.articles}

    def _post_ids(self) -> dict[str, int]:
        rule = self.post_id_rule
        if not rule:
            return {}
        jitter, mod = JITTERS[rule.get("jitter", "url_crc32")], int(rule.get("jitter_mod", 1))
        start, step = rule.get("start", 1), int(rule.get("step", 1))
        groups: list[tuple[int, list[Article]]]
        if rule.get("per_edition", False):
            groups = [(int(start[lang]), self.select(language=lang)) for lang in self.editions]
        else:
            groups = [(int(start), list(self.articles))]
        ids: dict[str, int] = {}
        for base, group in groups:
            for i, article in enumerate(sorted(group, key=lambda a: (a.sort_time, a.url))):
                ids[article.url] = base + step * i + jitter(article) % mod
        return ids

    def template_context(self) -> dict[str, object]:
        return {"post_ids": self.post_ids}

    # --- fixtures -----------------------------------------------------------------------------

    @classmethod
    def reserved(cls) -> set[str]:
        """First path segments that are never a slug permalink."""
        prefixes = {ed["prefix"].strip("/") for ed in cls.editions.values()} - {""}
        return set(ALWAYS_RESERVED) | set(cls.taxonomies) | prefixes

    @classmethod
    def check_article(cls, article: Article) -> list[str]:
        section = cls.undated_section
        if section and re.fullmatch(re.escape(section["path"]) + "[^/]+/", article.path):
            if article.language != section["language"] or article.page_date != "none":
                return [f"{article.url}: pages of {section['path']} are {section['language']} and undated"]
            return []
        language, rest = cls.edition_of(article.path)
        pattern = DATE_PERMALINK if cls.permalink == "date" else f"/({cls.slug_pattern})/"
        m = re.fullmatch(pattern, rest)
        if article.host != cls.canonical() or not m:
            return [f"not a {cls.canonical()} permalink: {article.url}"]
        problems = []
        if language != article.language:
            problems.append(f"{article.url}: edition {language}, article says {article.language}")
        if cls.permalink == "slug" and m.group(1) in cls.reserved():
            problems.append(f"{article.url}: reserved slug")
        if cls.permalink == "date":
            url_day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if article.published is None or article.published.astimezone(cls.zone).date() != url_day:
                problems.append(f"{article.url}: URL date differs from the publication date")
        return problems

    # --- routing ------------------------------------------------------------------------------

    def serve(self, req: Request) -> Response:
        path = req.upath
        if path in self.redirects:
            return redirect(f"https://{self.canonical()}{self.redirects[path]}")
        section = self.undated_section
        if section and (path + "/").startswith(section["path"]):
            return self._section(req, section)
        language, rest = self.edition_of(path)
        if rest == "":
            return self.slash_redirect(req)
        if not rest.endswith("/"):
            return self.slash_redirect(req) if self._routes_with_slash(req, language, rest) else \
                self._not_found(req, language)
        if rest == "/" and self.shortlinks and "p" in req.params:
            return self._shortlink(req, language)
        if rest == "/feed/":
            return self._feed(req, language)
        m = re.fullmatch(self._archive_pattern(), rest)
        if m:
            *parts, page = m.groups()
            if page is not None and int(page) == 1:
                return redirect(req.absolute_url().replace(f"page/{page}/", "", 1))
            return self._listing(req, language, [p for p in parts if p], int(page or 1))
        if self.taxonomies and re.fullmatch(f"/(?:{'|'.join(self.taxonomies)})/[^/]+/", rest):
            return self._listing(req, language, [], 1)  # taxonomies are not modelled
        article = self.lookup(req)
        if article is not None and article.language == language and article.page_date != "none" \
                and re.fullmatch(self._permalink_pattern(), rest):
            return self._article(article)
        return self._not_found(req, language)

    def _archive_pattern(self) -> str:
        dated = r"(?:(\d{4})/(?:(\d{2})/(?:(\d{2})/)?)?)?" if self.date_archives else "()()()"
        return f"/{dated}(?:page/(\\d+)/)?"

    def _permalink_pattern(self) -> str:
        return DATE_PERMALINK if self.permalink == "date" else "/[^/]+/"

    def _routes_with_slash(self, req: Request, language: str, rest: str) -> bool:
        """Whether ``rest`` with a trailing slash added is a route (a slug post: one that exists)."""
        routes = ["feed", r"page/\d+", *(f"{t}/[^/]+" for t in self.taxonomies)]
        if self.date_archives or self.permalink == "date":
            routes.append(r"\d{4}(/\d{2}(/\d{2}(/[^/]+)?)?)?(/page/\d+)?")
        if re.fullmatch(f"/({'|'.join(routes)})", rest):
            return True
        if self.permalink == "slug" and re.fullmatch("/[^/]+", rest) and rest[1:] not in self.reserved():
            article = self.lookup(req)
            return article is not None and article.language == language
        return False

    def _section(self, req: Request, section: dict[str, str]) -> Response:
        path, base = req.upath, section["path"]
        ed, language = self.editions[section["language"]], section["language"]
        if path == base.rstrip("/"):
            return self.slash_redirect(req)
        if path == base:
            return self.render(section["list_template"], ed=ed, language=language, items=self.undated,
                               recent=self._recent(language))
        if re.fullmatch(re.escape(base) + "[^/]+/?", path):
            article = self.lookup(req)
            if article is not None and article.page_date == "none":
                if not path.endswith("/"):
                    return self.slash_redirect(req)
                return self.render(section["article_template"], ed=ed, language=language, a=article,
                                   recent=self._recent(language))
        return self._not_found(req, language)

    def _recent(self, language: str) -> list[Article]:
        return [a for a in self.posts if a.language == language][:5]

    def _not_found(self, req: Request, language: str) -> Response:
        recent = self._recent(language)
        return self.render(self.templates["not_found"], status=404, ed=self.editions[language],
                           language=language, latest=recent, recent=recent, req=req)

    def _shortlink(self, req: Request, language: str) -> Response:
        try:
            article = self.by_post_id.get((language, int(req.params["p"])))
        except ValueError:
            article = None
        return self._not_found(req, language) if article is None else redirect(article.url)

    def _listing(self, req: Request, language: str, parts: list[str], page: int) -> Response:
        items = [a for a in self.posts if a.language == language]
        if parts:
            items = [a for a in items if self._date_parts(a)[: len(parts)] == parts]
            if not items:
                return self._not_found(req, language)
        found = self.page_of(items, page, self.per_page)
        if found is None:
            return self._not_found(req, language)
        ed = self.editions[language]
        home = f"https://{self.canonical()}{ed['prefix']}/"
        title = f"{ed['archives']}: " + ".".join(reversed(parts)) if parts else None
        popular = items[slice(*self.popular)] if self.popular and page == 1 else []
        recent = self._recent(language)
        return self.render(self.templates["listing"], ed=ed, language=language, items=found[0], page=page,
                           pages=found[1], popular=popular, latest=recent, recent=recent, home=home,
                           base=home + "".join(f"{p}/" for p in parts), title=title, post_ids=self.post_ids)

    def _date_parts(self, article: Article) -> list[str]:
        m = re.fullmatch(DATE_PERMALINK, self.edition_of(article.path)[1])
        return list(m.groups()[:3]) if m else []

    def _feed(self, req: Request, language: str) -> Response:
        items = [a for a in self.posts if a.language == language]
        found = self.page_of(items, self.int_param(req, "paged"), self.feed_size)
        if found is None:
            return self._not_found(req, language)
        ed = self.editions[language]
        return self.render(self.templates["feed"], content_type="application/rss+xml; charset=UTF-8", ed=ed,
                           language=language, items=found[0], post_ids=self.post_ids,
                           home=f"https://{self.canonical()}{ed['prefix']}",
                           newest=items[0] if items else None)

    def _article(self, article: Article) -> Response:
        ed = self.editions[article.language]
        same = [a for a in self.posts if a.language == article.language]
        i = same.index(article)
        related = [a for a in same[max(0, i - 2): i + 4] if a is not article][:3]
        alternates = article.alternates
        x_default = alternates.get(self.root_language()) or next(iter(alternates.values()), None)
        return self.render(self.templates["article"], ed=ed, language=article.language, a=article,
                           post_id=self.post_ids.get(article.url), related=related,
                           newer=same[i - 1] if i > 0 else None,
                           older=same[i + 1] if i + 1 < len(same) else None,
                           latest=same[:5], recent=same[:5], post_ids=self.post_ids, x_default=x_default,
                           home=f"https://{self.canonical()}{ed['prefix']}/")
