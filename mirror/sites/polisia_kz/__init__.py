"""polisia.kz: WordPress multisite with a BetterStudio "Publisher"-like theme.

Editions: Kazakh at the root, Russian under ``/ru/``, English under ``/en/``. Flat slug permalinks,
``/page/N/`` listings, ``/feed/`` RSS (pubDate in UTC, full ``content:encoded``), hreflang links
between the language versions of a post. ``www.polisia.kz`` redirects to ``polisia.kz``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from datetime import timezone
from pathlib import Path
from typing import Any

import mirror.dates as dates
from mirror.messages import Request, Response, redirect
from mirror.model import Article
from mirror.site import Site

EDITIONS: dict[str, dict[str, Any]] = {
    "ru": {"prefix": "/ru", "html_lang": "ru-RU", "locale": "ru_RU",
           "site_name": "Информационный медиа-портал POLISIA.KZ", "description": "Новости полиции Казахстана",
           "read_also": "Читайте также", "leave_reply": "Оставьте ответ", "next": "Следующая",
           "prev": "Предыдущая", "page_label": "Страница", "author": "Автор", "published": "Опубликовано",
           "home": "Главная",
           "popular": "Популярное", "latest": "Последние новости", "comment": "Комментарий",
           "name": "Имя", "submit": "Отправить комментарий", "category": "Новости",
           "menu": ("Новости", "Происшествия", "Дорожная полиция", "Интервью", "Видео", "Контакты"),
           "not_found": "Страница не найдена"},
    "kk": {"prefix": "", "html_lang": "kk", "locale": "kk_KZ",
           "site_name": "POLISIA.KZ ақпараттық медиа-порталы",
           "description": "Қазақстан полициясының жаңалықтары",
           "read_also": "Тағы оқыңыз", "leave_reply": "Жауап қалдыру", "next": "Келесі", "prev": "Алдыңғы",
           "page_label": "Бет",
           "author": "Автор", "published": "Жарияланды", "home": "Басты бет", "popular": "Танымал",
           "latest": "Соңғы жаңалықтар", "comment": "Пікір", "name": "Аты", "submit": "Пікір жіберу",
           "category": "Жаңалықтар",
           "menu": ("Жаңалықтар", "Оқиғалар", "Жол полициясы", "Сұхбат", "Бейне", "Байланыс"),
           "not_found": "Бет табылмады"},
    "en": {"prefix": "/en", "html_lang": "en-US", "locale": "en_US",
           "site_name": "POLISIA.KZ information media portal",
           "description": "News of the police of Kazakhstan",
           "read_also": "Read also", "leave_reply": "Leave a reply", "next": "Next", "prev": "Previous",
           "page_label": "Page",
           "author": "Author", "published": "Published", "home": "Home", "popular": "Popular",
           "latest": "Latest news", "comment": "Comment", "name": "Name", "submit": "Post comment",
           "category": "News",
           "menu": ("News", "Incidents", "Road police", "Interviews", "Video", "Contacts"),
           "not_found": "Page not found"},
}
LANG_BY_PREFIX = {"/ru": "ru", "/en": "en"}
RESERVED = {"page", "feed", "category", "tag", "author", "wp-admin", "wp-content", "wp-includes",
            "wp-json", "ru", "en", "comments", "search"}
ARTICLE_PATH = re.compile(r"^(?:/(ru|en))?/([a-z0-9-]+)/$")
TZ = dates.offset(5)
PER_PAGE = 10
FEED_SIZE = 10


class PolisiaKz(Site):
    source_id = "polisia_kz"
    hosts = ("polisia.kz", "www.polisia.kz")
    hreflang = True
    directory = Path(__file__).resolve().parent
    robots_rules = ("Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php")

    def __init__(self, articles: Iterable[Article]) -> None:
        super().__init__(articles)
        self.post_ids: dict[str, int] = {}
        for base, language in ((51000, "ru"), (23000, "kk"), (4000, "en")):
            ordered = sorted(self.select(language=language), key=lambda a: (a.sort_time, a.url))
            for i, article in enumerate(ordered):
                self.post_ids[article.url] = base + 6 * i + zlib.crc32(article.url.encode()) % 5
        self.by_post_id = {(a.language, self.post_ids[a.url]): a for a in self.articles}

    def template_context(self) -> dict[str, object]:
        return {"post_ids": self.post_ids}

    @classmethod
    def local_tz(cls, host: str) -> timezone:
        return TZ

    @classmethod
    def check_article(cls, article: Article) -> list[str]:
        m = ARTICLE_PATH.match(article.path)
        if article.host != "polisia.kz" or not m:
            return [f"not a polisia.kz permalink: {article.url}"]
        language = LANG_BY_PREFIX.get(f"/{m.group(1)}", "kk") if m.group(1) else "kk"
        problems = []
        if language != article.language:
            problems.append(f"{article.url}: edition {language}, article says {article.language}")
        if m.group(2) in RESERVED:
            problems.append(f"{article.url}: reserved slug")
        return problems

    # --- routing ------------------------------------------------------------------------------

    def route(self, req: Request) -> Response:
        if req.host == "www.polisia.kz":
            return redirect(f"https://polisia.kz{req.path_with_query}")
        path = req.upath
        language, rest = "kk", path
        for prefix, lang in LANG_BY_PREFIX.items():
            if path == prefix or path.startswith(prefix + "/"):
                language, rest = lang, path[len(prefix):]
        prefix = EDITIONS[language]["prefix"]
        if rest == "":
            return redirect(f"https://polisia.kz{prefix}/")
        if rest == "/":
            if "p" in req.params:
                return self._shortlink(req, language)
            return self._listing(req, language, 1)
        m = re.fullmatch(r"/page/(\d+)(/?)", rest)
        if m:
            if not m.group(2):
                return self.slash_redirect(req)
            if int(m.group(1)) == 1:
                return redirect(f"https://polisia.kz{prefix}/")
            return self._listing(req, language, int(m.group(1)))
        if rest in ("/feed", "/feed/"):
            if rest == "/feed":
                return self.slash_redirect(req)
            return self._feed(req, language)
        m = re.fullmatch(r"/(?:category|tag|author)/[^/]+(/?)", rest)
        if m:
            # Taxonomy archives are not modelled: they show the edition's first listing page.
            return self._listing(req, language, 1) if m.group(1) else self.slash_redirect(req)
        m = re.fullmatch(r"/([^/]+)(/?)", rest)
        if m and m.group(1) not in RESERVED:
            article = self.lookup(req)
            if article is not None and article.language == language:
                if not m.group(2):
                    return self.slash_redirect(req)
                return self._article(article)
        return self.render("404.html", status=404, ed=EDITIONS[language], language=language,
                           latest=self.select(language=language)[:5], req=req)

    def _shortlink(self, req: Request, language: str) -> Response:
        try:
            article = self.by_post_id.get((language, int(req.params["p"])))
        except ValueError:
            article = None
        if article is None:
            return self.render("404.html", status=404, ed=EDITIONS[language], language=language,
                               latest=self.select(language=language)[:5], req=req)
        return redirect(article.url)

    def _listing(self, req: Request, language: str, page: int) -> Response:
        items = self.select(language=language)
        found = self.page_of(items, page, PER_PAGE)
        ed = EDITIONS[language]
        if found is None:
            return self.render("404.html", status=404, ed=ed, language=language, latest=items[:5], req=req)
        page_items, pages = found
        popular = items[3:12:4] if page == 1 else []
        return self.render("home.html", ed=ed, language=language, items=page_items, page=page,
                           pages=pages, popular=popular, latest=items[:5], post_ids=self.post_ids,
                           home=f"https://polisia.kz{ed['prefix']}/")

    def _feed(self, req: Request, language: str) -> Response:
        items = self.select(language=language)
        try:
            paged = int(req.params.get("paged", "1") or 1)
        except ValueError:
            paged = 1
        found = self.page_of(items, paged, FEED_SIZE)
        ed = EDITIONS[language]
        if found is None:
            return self.render("404.html", status=404, ed=ed, language=language, latest=items[:5], req=req)
        return self.render("feed.xml", content_type="application/rss+xml; charset=UTF-8", ed=ed,
                           language=language, items=found[0], post_ids=self.post_ids,
                           home=f"https://polisia.kz{ed['prefix']}", newest=items[0] if items else None)

    def _article(self, article: Article) -> Response:
        ed = EDITIONS[article.language]
        same = self.select(language=article.language)
        i = same.index(article)
        related = [a for a in same[max(0, i - 2): i + 4] if a is not article][:3]
        newer = same[i - 1] if i > 0 else None
        older = same[i + 1] if i + 1 < len(same) else None
        return self.render("article.html", ed=ed, language=article.language, a=article,
                           post_id=self.post_ids[article.url], related=related, newer=newer, older=older,
                           latest=same[:5], post_ids=self.post_ids,
                           home=f"https://polisia.kz{ed['prefix']}/")
