"""The ``id_news`` shape: id-numbered news per edition, ``/<ed>/news/<id>``, no trailing slashes.

Routes (``<ed>`` is an edition's prefix, e.g. ``/rus``):

- ``/``: 302 to the first edition;
- any path ending in ``/``: 301 to the same path without it;
- ``<ed>``: the edition's home page with its ``home_size`` newest items;
- ``<ed>/news`` and ``<ed>/news?page=N``: the listing, ordered by id;
- ``<ed>/news/<id>``: the article (a missing id is a 404), with a switch to the same id in the next
  edition (its twin) or to that edition's home;
- ``<ed>/<key>`` for every ``[key, label]`` of the edition's ``menu`` other than ``news``: a
  static section page;
- anything else: the 404 page of the edition the path starts with (else the first edition's).

``site.toml`` keys besides the common ones (:mod:`mirror.shapes.base`)::

    per_page = 10
    home_size = 6
    br_every = 3              # the body is <br>-separated text when id % br_every == br_remainder
    br_remainder = 1          # (editors paste text in two ways), else <p> paragraphs
    views = [97, 37, 900]     # the view counter shown: 97 + (id * 37) % 900

    [editions.ru]
    prefix = "/rus"
    signature = "Пресс-служба"
    menu = [["about", "О министерстве"], ["news", "Новости"]]
    # ... UI strings the templates show as ui.*

Templates receive ``ui`` (the edition's table), ``language``, ``prefix``, ``items``, ``page``,
``pages``, ``a``, ``switch``, ``style`` (``br`` or ``p``), ``views``, ``latest``, ``label``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from mirror.messages import Request, Response, redirect
from mirror.model import Article
from mirror.shapes.base import DataSite

NEWS = "news"


class IdNewsSite(DataSite):
    per_page: ClassVar[int] = 10
    home_size: ClassVar[int] = 6
    br_every: ClassVar[int] = 0
    br_remainder: ClassVar[int] = 0
    views: ClassVar[tuple[int, int, int]] = (0, 0, 1)

    @classmethod
    def attributes(cls, raw: dict[str, Any], directory: Path) -> dict[str, Any]:
        cls.require_editions(raw, directory)
        return {
            **super().attributes(raw, directory),
            "per_page": int(raw.get("per_page", 10)),
            "home_size": int(raw.get("home_size", 6)),
            "br_every": int(raw.get("br_every", 0)),
            "br_remainder": int(raw.get("br_remainder", 0)),
            "views": tuple(raw.get("views", (0, 0, 1))),
        }

    def __init__(self, articles: Iterable[Article]) -> None:
        super().__init__(articles)
        # The site orders news by id; an undated page sits where its id puts it.
        self.articles.sort(key=lambda a: (a.item_id or 0, a.language), reverse=True)
        self.by_id = {(a.language, a.item_id): a for a in self.articles}

    @classmethod
    def _article_pattern(cls) -> re.Pattern[str]:
        prefixes = "|".join(re.escape(ed["prefix"]) for ed in cls.editions.values())
        return re.compile(f"^({prefixes})/{NEWS}/(\\d+)$")

    @classmethod
    def _language_of_prefix(cls, prefix: str) -> str:
        return next(lang for lang, ed in cls.editions.items() if ed["prefix"] == prefix)

    @classmethod
    def item_id_of(cls, path: str) -> int | None:
        m = cls._article_pattern().match(path)
        return int(m.group(2)) if m else None

    @classmethod
    def check_article(cls, article: Article) -> list[str]:
        m = cls._article_pattern().match(article.path)
        if article.host != cls.canonical() or not m:
            return [f"not a {cls.canonical()} news URL: {article.url}"]
        if cls._language_of_prefix(m.group(1)) != article.language:
            return [f"{article.url}: prefix {m.group(1)} but language {article.language}"]
        if article.page_date not in (cls.page_date, "none"):
            return [f"{article.url}: page_date must be {cls.page_date} or none"]
        return []

    def _context(self, language: str) -> dict[str, Any]:
        edition = self.editions[language]
        return {"ui": edition, "language": language, "prefix": edition["prefix"]}

    def serve(self, req: Request) -> Response:
        path = req.upath
        first = next(iter(self.editions.values()))
        if path in ("", "/"):
            return redirect(f"https://{self.canonical()}{first['prefix']}", 302)
        if path.endswith("/"):
            q = "?" + req.query if req.query else ""
            return redirect(f"https://{self.canonical()}{req.path.rstrip('/')}{q}")
        for language, ed in self.editions.items():
            prefix = ed["prefix"]
            if path == prefix:
                return self.render("home.html", items=self.select(language=language)[: self.home_size],
                                   **self._context(language))
            sections = {key: label for key, label in ed["menu"] if key != NEWS}
            rest = path[len(prefix) + 1:] if path.startswith(prefix + "/") else None
            if rest in sections:
                return self.render("section.html", label=sections[rest], **self._context(language))
            if rest == NEWS:
                return self._listing(req, language)
        m = self._article_pattern().match(path)
        if m:
            article = self.by_id.get((self._language_of_prefix(m.group(1)), int(m.group(2))))
            if article is not None:
                return self._article(article)
        language = next((lang for lang, ed in self.editions.items() if path.startswith(ed["prefix"])),
                        next(iter(self.editions)))
        return self._not_found(req, language)

    def _not_found(self, req: Request, language: str) -> Response:
        return self.render("404.html", status=404, req=req, **self._context(language))

    def _listing(self, req: Request, language: str) -> Response:
        page = self.int_param(req, "page")
        found = self.page_of(self.select(language=language), page, self.per_page)
        if found is None:
            return self._not_found(req, language)
        return self.render("listing.html", items=found[0], page=page, pages=found[1],
                           **self._context(language))

    def _article(self, article: Article) -> Response:
        languages = list(self.editions)
        twin_language = languages[(languages.index(article.language) + 1) % len(languages)]
        twin = self.by_id.get((twin_language, article.item_id))
        item_id = article.item_id or 0
        style = "br" if self.br_every and item_id % self.br_every == self.br_remainder else "p"
        base, factor, mod = self.views
        return self.render("article.html", a=article, style=style, views=base + (item_id * factor) % mod,
                           switch=twin.path if twin else self.editions[twin_language]["prefix"],
                           latest=[x for x in self.select(language=article.language)[:6]
                                   if x is not article][:5],
                           **self._context(article.language))
