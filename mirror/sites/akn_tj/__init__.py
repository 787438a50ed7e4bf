"""akn.tj: the Drug Control Agency of Tajikistan, WordPress with a multilingual plugin.

English at the root, Russian under ``/ru/``, Tajik under ``/tj/`` (guessed; hreflang ``tg``).
Date permalinks ``/<lang>/YYYY/MM/DD/<english-slug>/`` with slugs shared by the translations and
kept percent-encoded as WordPress stores them (``%e2%84%96``). Date archives with ``page/N/``,
``/feed/`` per edition (summary only, pubDate in UTC). Article pages show no date:
``article:published_time`` is present on most pages, on the others the URL is the only date.
A legacy English section ``/en/news/<slug>/`` carries no date at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timezone
from pathlib import Path

import mirror.dates as dates
from mirror.messages import Request, Response, redirect
from mirror.model import Article
from mirror.site import Site

EDITIONS = {
    "en": {"prefix": "", "html_lang": "en-US", "locale": "en_US",
           "site_name": "Drug Control Agency under the President of the Republic of Tajikistan",
           "home": "Home", "news": "News", "next": "Next", "prev": "Previous", "archives": "Archives",
           "recent": "Recent posts", "not_found": "Nothing found", "menu": ("About", "News", "Contacts")},
    "ru": {"prefix": "/ru", "html_lang": "ru-RU", "locale": "ru_RU",
           "site_name": "Агентство по контролю за наркотиками при Президенте Республики Таджикистан",
           "home": "Главная", "news": "Новости", "next": "Следующая", "prev": "Предыдущая",
           "archives": "Архивы", "recent": "Свежие записи", "not_found": "Ничего не найдено",
           "menu": ("Об Агентстве", "Новости", "Контакты")},
    "tg": {"prefix": "/tj", "html_lang": "tg", "locale": "tg_TJ",
           "site_name": "Агентии назорати маводи нашъаовар назди Президенти Ҷумҳурии Тоҷикистон",
           "home": "Асосӣ", "news": "Хабарҳо", "next": "Баъдӣ", "prev": "Қаблӣ", "archives": "Бойгонӣ",
           "recent": "Навиштаҳои охирин", "not_found": "Чизе ёфт нашуд",
           "menu": ("Дар бораи Агентӣ", "Хабарҳо", "Тамос")},
}
LANG_BY_PREFIX = {"/ru": "ru", "/tj": "tg"}
POST_PATH = re.compile(r"^(?:/(ru|tj))?/(\d{4})/(\d{2})/(\d{2})/([^/]+)/$")
LEGACY_PATH = re.compile(r"^/en/news/([^/]+)/$")
TZ = dates.offset(5)
PER_PAGE = 8
FEED_SIZE = 10


def _date_parts(path: str) -> list[str]:
    """``["2025", "01", "10"]`` of a date permalink."""
    m = POST_PATH.match(path)
    return [m.group(2), m.group(3), m.group(4)] if m else []


class AknTj(Site):
    source_id = "akn_tj"
    hosts = ("akn.tj",)
    hreflang = True
    directory = Path(__file__).resolve().parent
    robots_rules = ("Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php")

    def __init__(self, articles: Iterable[Article]) -> None:
        super().__init__(articles)
        self.posts = [a for a in self.articles if a.page_date != "none"]
        self.legacy = [a for a in self.articles if a.page_date == "none"]
        ordered = sorted(self.articles, key=lambda a: (a.sort_time, a.url))
        self.post_ids = {a.url: 9000 + 4 * i + len(a.title) % 3 for i, a in enumerate(ordered)}

    def template_context(self) -> dict[str, object]:
        return {"post_ids": self.post_ids}

    @classmethod
    def local_tz(cls, host: str) -> timezone:
        return TZ

    @classmethod
    def default_page_date(cls, host: str, meta_date: bool) -> str:
        return "meta" if meta_date else "url"

    @classmethod
    def check_article(cls, article: Article) -> list[str]:
        legacy = LEGACY_PATH.match(article.path)
        if legacy:
            if article.language != "en" or article.page_date != "none":
                return [f"{article.url}: legacy /en/news/ pages are English and undated"]
            return []
        m = POST_PATH.match(article.path)
        if article.host != "akn.tj" or not m:
            return [f"not an akn.tj permalink: {article.url}"]
        language = LANG_BY_PREFIX.get(f"/{m.group(1)}", "en") if m.group(1) else "en"
        problems = []
        if language != article.language:
            problems.append(f"{article.url}: edition {language}, article says {article.language}")
        url_day = date(int(m.group(2)), int(m.group(3)), int(m.group(4)))
        if article.published is None or article.published.astimezone(TZ).date() != url_day:
            problems.append(f"{article.url}: URL date differs from the publication date")
        return problems

    # --- routing ------------------------------------------------------------------------------

    def route(self, req: Request) -> Response:
        path = req.upath
        if path in ("/en", "/en/"):
            return redirect("https://akn.tj/")
        if path == "/en/news":
            return self.slash_redirect(req)
        if path == "/en/news/":
            return self.render("legacy_list.html", ed=EDITIONS["en"], language="en", items=self.legacy,
                               recent=self._recent("en"))
        if LEGACY_PATH.match(path) or re.fullmatch(r"/en/news/[^/]+", path):
            article = self.lookup(req)
            if article is not None and article.page_date == "none":
                if not path.endswith("/"):
                    return self.slash_redirect(req)
                return self.render("legacy_article.html", ed=EDITIONS["en"], language="en", a=article,
                                   recent=self._recent("en"))
            return self._not_found(req, "en")
        language, rest = "en", path
        for prefix, lang in LANG_BY_PREFIX.items():
            if path == prefix or path.startswith(prefix + "/"):
                language, rest = lang, path[len(prefix):]
        if rest == "":
            return self.slash_redirect(req)
        if rest != "/" and not rest.endswith("/"):
            if re.fullmatch(r"/(feed|page/\d+|\d{4}(/\d{2}(/\d{2}(/[^/]+)?)?)?(/page/\d+)?)", rest):
                return self.slash_redirect(req)
            return self._not_found(req, language)
        if rest == "/feed/":
            return self._feed(req, language)
        m = re.fullmatch(r"/(?:(\d{4})/(?:(\d{2})/(?:(\d{2})/)?)?)?(?:page/(\d+)/)?", rest)
        if m:
            year, month, day, page = m.groups()
            if page == "1":
                return redirect(req.absolute_url().replace("page/1/", "", 1))
            return self._archive(req, language, year, month, day, int(page or 1))
        if POST_PATH.match(path):
            article = self.lookup(req)
            if article is not None and article.language == language and article.page_date != "none":
                return self._article(article)
        return self._not_found(req, language)

    def _recent(self, language: str) -> list[Article]:
        return [a for a in self.posts if a.language == language][:5]

    def _not_found(self, req: Request, language: str) -> Response:
        return self.render("404.html", status=404, ed=EDITIONS[language], language=language,
                           recent=self._recent(language))

    def _archive(self, req: Request, language: str, year: str | None, month: str | None,
                 day: str | None, page: int) -> Response:
        items = [a for a in self.posts if a.language == language]
        wanted = [x for x in (year, month, day) if x]
        if wanted:
            items = [a for a in items if _date_parts(a.path)[: len(wanted)] == wanted]
            if not items:
                return self._not_found(req, language)
        found = self.page_of(items, page, PER_PAGE)
        if found is None:
            return self._not_found(req, language)
        ed = EDITIONS[language]
        base = f"https://akn.tj{ed['prefix']}/" + "".join(f"{x}/" for x in (year, month, day) if x)
        title = None
        if year:
            title = f"{ed['archives']}: " + ".".join(x for x in (day, month, year) if x)
        return self.render("listing.html", ed=ed, language=language, items=found[0], page=page,
                           pages=found[1], base=base, title=title, recent=self._recent(language),
                           post_ids=self.post_ids)

    def _feed(self, req: Request, language: str) -> Response:
        items = [a for a in self.posts if a.language == language]
        try:
            paged = int(req.params.get("paged", "1") or 1)
        except ValueError:
            paged = 1
        found = self.page_of(items, paged, FEED_SIZE)
        if found is None:
            return self._not_found(req, language)
        ed = EDITIONS[language]
        return self.render("feed.xml", content_type="application/rss+xml; charset=UTF-8", ed=ed,
                           language=language, items=found[0], post_ids=self.post_ids,
                           home=f"https://akn.tj{ed['prefix']}", newest=items[0] if items else None)

    def _article(self, article: Article) -> Response:
        ed = EDITIONS[article.language]
        same = [a for a in self.posts if a.language == article.language]
        i = same.index(article)
        x_default = article.alternates.get("en") or next(iter(article.alternates.values()), None)
        return self.render("article.html", ed=ed, language=article.language, a=article,
                           post_id=self.post_ids[article.url], x_default=x_default,
                           newer=same[i - 1] if i > 0 else None,
                           older=same[i + 1] if i + 1 < len(same) else None,
                           recent=self._recent(article.language))
