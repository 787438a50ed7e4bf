"""mvd.gov.kg: the Kyrgyz MVD site. Markup unknown (research: only the text order is known).

``/rus/news/<id>`` (Russian) and ``/kyr/news/<same id>`` (Kyrgyz twin, guessed); ids are sequential
with gaps (missing ids answer 404); the page shows ``DD.MM.YYYY``, then the ``h1`` title, the body
and the signature ``Пресс-служба МВД``. Listings ``/rus/news?page=N`` are guessed. Links are
relative. A trailing slash redirects to the slash-less URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timezone
from pathlib import Path
from typing import Any

import mirror.dates as dates
from mirror.messages import Request, Response, redirect
from mirror.model import Article
from mirror.site import Site

PREFIX = {"ru": "/rus", "ky": "/kyr"}
LANG = {v: k for k, v in PREFIX.items()}
UI: dict[str, dict[str, Any]] = {
    "ru": {"html_lang": "ru", "ministry": "Министерство внутренних дел Кыргызской Республики",
           "news": "Новости", "home": "Главная", "all_news": "Все новости", "views": "Просмотров",
           "menu": (("about", "О министерстве"), ("news", "Новости"), ("documents", "Документы"),
                    ("appeals", "Обращения граждан"), ("contacts", "Контакты")),
           "not_found": "Страница не найдена", "other": "Кыр", "latest": "Последние новости"},
    "ky": {"html_lang": "ky", "ministry": "Кыргыз Республикасынын Ички иштер министрлиги",
           "news": "Жаңылыктар", "home": "Башкы бет", "all_news": "Бардык жаңылыктар", "views": "Көрүүлөр",
           "menu": (("about", "Министрлик жөнүндө"), ("news", "Жаңылыктар"), ("documents", "Документтер"),
                    ("appeals", "Жарандардын кайрылуулары"), ("contacts", "Байланыш")),
           "not_found": "Барак табылган жок", "other": "Рус", "latest": "Акыркы жаңылыктар"},
}
SIGNATURE = {"ru": "Пресс-служба МВД", "ky": "ИИМдин басма сөз кызматы"}
ARTICLE_PATH = re.compile(r"^/(rus|kyr)/news/(\d+)$")
TZ = dates.offset(6)
PER_PAGE = 10


class MvdKg(Site):
    source_id = "mvd_kg"
    hosts = ("mvd.gov.kg",)
    directory = Path(__file__).resolve().parent
    robots_rules = ("Disallow: /admin/",)

    def __init__(self, articles: Iterable[Article]) -> None:
        super().__init__(articles)
        # The site orders news by id; an undated page sits where its id puts it.
        self.articles.sort(key=lambda a: (a.item_id or 0, a.language), reverse=True)
        self.by_id = {(a.language, a.item_id): a for a in self.articles}

    @classmethod
    def local_tz(cls, host: str) -> timezone:
        return TZ

    @classmethod
    def default_signature(cls, language: str, host: str) -> str | None:
        return SIGNATURE.get(language)

    @classmethod
    def default_page_date(cls, host: str, meta_date: bool) -> str:
        return "text"

    @classmethod
    def item_id_of(cls, path: str) -> int | None:
        m = ARTICLE_PATH.match(path)
        return int(m.group(2)) if m else None

    @classmethod
    def check_article(cls, article: Article) -> list[str]:
        m = ARTICLE_PATH.match(article.path)
        if article.host != "mvd.gov.kg" or not m:
            return [f"not a mvd.gov.kg news URL: {article.url}"]
        if LANG["/" + m.group(1)] != article.language:
            return [f"{article.url}: prefix /{m.group(1)} but language {article.language}"]
        if article.page_date not in ("text", "none"):
            return [f"{article.url}: page_date must be text or none"]
        return []

    def route(self, req: Request) -> Response:
        path = req.upath
        if path in ("", "/"):
            return redirect("https://mvd.gov.kg/rus", 302)
        if path != "/" and path.endswith("/"):
            q = "?" + req.query if req.query else ""
            return redirect(f"https://mvd.gov.kg{req.path.rstrip('/')}{q}")
        if path in LANG:
            return self._home(LANG[path])
        m = re.fullmatch(r"/(rus|kyr)/(about|documents|appeals|contacts)", path)
        if m:
            language = LANG["/" + m.group(1)]
            label = dict(UI[language]["menu"])[m.group(2)]
            return self.render("section.html", ui=UI[language], language=language,
                               prefix=PREFIX[language], label=label)
        m = re.fullmatch(r"/(rus|kyr)/news", path)
        if m:
            return self._listing(req, LANG["/" + m.group(1)])
        m = ARTICLE_PATH.match(path)
        if m:
            language = LANG["/" + m.group(1)]
            article = self.by_id.get((language, int(m.group(2))))
            if article is not None:
                return self._article(article)
        language = "ky" if path.startswith("/kyr") else "ru"
        return self.render("404.html", status=404, ui=UI[language], language=language,
                           prefix=PREFIX[language], req=req)

    def _home(self, language: str) -> Response:
        return self.render("home.html", ui=UI[language], language=language, prefix=PREFIX[language],
                           items=self.select(language=language)[:6])

    def _listing(self, req: Request, language: str) -> Response:
        try:
            page = int(req.params.get("page", "1") or 1)
        except ValueError:
            page = 1
        items = self.select(language=language)
        found = self.page_of(items, page, PER_PAGE)
        if found is None:
            return self.render("404.html", status=404, ui=UI[language], language=language,
                               prefix=PREFIX[language], req=req)
        return self.render("listing.html", ui=UI[language], language=language, prefix=PREFIX[language],
                           items=found[0], page=page, pages=found[1])

    def _article(self, article: Article) -> Response:
        twin_language = "ky" if article.language == "ru" else "ru"
        twin = self.by_id.get((twin_language, article.item_id))
        switch = twin.path if twin else PREFIX[twin_language]
        # Editors paste text in two ways: paragraphs, or one block with <br> breaks.
        style = "br" if (article.item_id or 0) % 3 == 1 else "p"
        return self.render("article.html", ui=UI[article.language], language=article.language,
                           prefix=PREFIX[article.language], a=article, switch=switch, style=style,
                           views=97 + ((article.item_id or 0) * 37) % 900,
                           latest=[x for x in self.select(language=article.language)[:6]
                                   if x is not article][:5])
