"""The mirror's articles: hand-written fixtures plus optional synthetic ones, and the manifest.

Fixtures live in ``mirror/sites/<source_id>/articles/*.toml`` as ``[[article]]`` tables::

    [[article]]
    url = "https://polisia.kz/ru/<slug>/"      # the real URL exactly as the site links it
    lang = "ru"
    published = 2025-01-06T15:40:00+05:00       # TOML offset datetime; a bare date = day precision
    title = "…"
    drug_related = true
    event = 1                                   # reference event 1..9 (optional)
    cluster = "kz-kokshetau-happiness"          # shared by language versions (optional)
    page_date = "none"                          # optional: the page shows no date
    meta_date = false                           # optional (akn.tj): no article:published_time
    signature = "…"                             # optional; "" for none; default per site
    author = "…"  category = "…"  video = true  # optional
    body = '''
    First paragraph.

    Second paragraph.
    '''

:func:`articles` loads and validates them (a broken fixture fails loudly, naming the file and URL);
:func:`manifest` is the machine-readable list other test suites assert against.
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mirror.model import PAGE_DATE_KINDS, Article
from mirror.site import Site
from mirror.sites import SITE_CLASSES, site_class

MANIFEST_PATH = Path(__file__).resolve().parent / "manifest.json"
PERIOD_START = date(2025, 1, 1)
PERIOD_END = date(2025, 1, 15)

_ALLOWED_KEYS = {"url", "lang", "published", "title", "drug_related", "event", "cluster", "page_date",
                 "meta_date", "signature", "author", "category", "video", "body"}


class FixtureError(ValueError):
    """A fixture file is inconsistent; the message names the file and the article."""


def hosts() -> dict[str, str]:
    """Every mirrored host (ASCII, lowercase) mapped to its source id."""
    return {host: cls.source_id for cls in SITE_CLASSES for host in cls.hosts}


def _paragraphs(body: str) -> tuple[str, ...]:
    blocks = [" ".join(line.strip() for line in block.splitlines()).strip()
              for block in body.strip().split("\n\n")]
    return tuple(b for b in blocks if b)


def _article_from(cls: type[Site], raw: dict[str, Any], where: str) -> Article:
    unknown = set(raw) - _ALLOWED_KEYS
    if unknown:
        raise FixtureError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("url", "lang", "published", "title", "drug_related", "body"):
        if key not in raw:
            raise FixtureError(f"{where}: missing {key!r}")
    url: str = raw["url"]
    host, path = Site.url_parts(url)
    if not url.startswith("https://") or host not in cls.hosts:
        raise FixtureError(f"{where}: {url} is not on a host of {cls.source_id}")
    published = raw["published"]
    if isinstance(published, datetime):
        if published.tzinfo is None:
            raise FixtureError(f"{where}: published needs an offset")
        precision = "minute"
    elif isinstance(published, date):
        published = datetime.combine(published, time(0, 0), cls.local_tz(host))
        precision = "day"
    else:
        raise FixtureError(f"{where}: published must be a TOML date or offset datetime")
    meta_date = bool(raw.get("meta_date", True))
    page_date = raw.get("page_date") or cls.default_page_date(host, meta_date)
    if page_date not in PAGE_DATE_KINDS:
        raise FixtureError(f"{where}: page_date must be one of {PAGE_DATE_KINDS}")
    signature = raw.get("signature", cls.default_signature(raw["lang"], host)) or None
    item_id_of = getattr(cls, "item_id_of", None)
    event = raw.get("event")
    if event is not None and not (isinstance(event, int) and 1 <= event <= 9):
        raise FixtureError(f"{where}: event must be 1..9")
    return Article(
        source_id=cls.source_id, url=url, host=host, path=path, language=raw["lang"],
        title=raw["title"].strip(), paragraphs=_paragraphs(raw["body"]),
        published=None if page_date == "none" else published, sort_time=published,
        date_precision=None if page_date == "none" else precision, page_date=page_date,
        drug_related=bool(raw["drug_related"]), reference_event=event,
        cluster=raw.get("cluster") or f"{cls.source_id}:{host}{path}", signature=signature,
        author=raw.get("author"), category=raw.get("category"),
        item_id=item_id_of(path) if item_id_of else None, video=bool(raw.get("video", False)),
        meta_date=meta_date,
    )


def load_fixtures(cls: type[Site]) -> list[Article]:
    """The hand-written articles of one site, validated."""
    found: list[Article] = []
    for file in sorted((cls.directory / "articles").glob("*.toml")):
        with file.open("rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise FixtureError(f"{file.name}: {exc}") from exc
        for i, raw in enumerate(data.get("article", [])):
            where = f"{cls.source_id}/articles/{file.name} article #{i + 1} ({raw.get('url', '?')})"
            article = _article_from(cls, raw, where)
            problems = cls.check_article(article)
            if problems:
                raise FixtureError(f"{where}: " + "; ".join(problems))
            found.append(article)
    return found


def _with_alternates(items: Iterable[Article]) -> list[Article]:
    """Fill hreflang alternates for sites that publish them (one URL per language and cluster)."""
    items = list(items)
    groups: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for a in items:
        if site_class(a.source_id).hreflang:
            groups[(a.source_id, a.cluster)].setdefault(a.language, a.url)
    out = []
    for a in items:
        alt = groups.get((a.source_id, a.cluster), {})
        out.append(replace(a, alternates=MappingProxyType(dict(alt))) if len(alt) > 1 else a)
    return out


@lru_cache(maxsize=8)
def _articles(synthetic: int, seed: int, fresh: int = 0) -> tuple[Article, ...]:
    from mirror.synthetic import generate, generate_fresh

    items: list[Article] = []
    for cls in SITE_CLASSES:
        fixtures = load_fixtures(cls)
        older = fixtures + generate(cls, synthetic, seed, fixtures)
        items.extend(older)
        items.extend(generate_fresh(cls, fresh, seed, older))
    items = _with_alternates(items)
    seen: dict[str, Article] = {}
    for a in items:
        key = f"{a.host}{Site.path_key(a.path)}"
        if key in seen:
            raise FixtureError(f"duplicate URL {a.url}")
        seen[key] = a
    items.sort(key=lambda a: (a.source_id, a.sort_time, a.url))
    return tuple(items)


def articles(synthetic: int = 0, seed: int = 0, fresh: int = 0) -> list[Article]:
    """Every mirrored article: the fixtures plus ``synthetic`` generated ones per site, plus
    ``fresh`` ones per site published after all others (the same fixtures and synthetic
    articles whatever ``fresh`` is: a site that published ``fresh`` more)."""
    if synthetic < 0 or fresh < 0:
        raise ValueError("synthetic and fresh must be >= 0")
    return list(_articles(synthetic, seed, fresh))


def manifest(
    synthetic: int = 0, seed: int = 0, with_text: bool = False, fresh: int = 0
) -> list[dict[str, Any]]:
    """JSON-ready rows, one per article (see :meth:`Article.manifest_entry`)."""
    return [a.manifest_entry(with_text) for a in articles(synthetic, seed, fresh)]


def manifest_json(synthetic: int = 0, seed: int = 0, fresh: int = 0) -> str:
    data = {"hosts": hosts(), "articles": manifest(synthetic, seed, fresh=fresh)}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def in_period(article: Article, start: date = PERIOD_START, end: date = PERIOD_END) -> bool:
    """Whether the article's date, in its site's own offset, falls in [start, end]."""
    return article.published is not None and start <= article.published.date() <= end


def reference_events() -> dict[int, list[Article]]:
    """The articles of each of the nine reference events (all language versions and copies)."""
    events: dict[int, list[Article]] = defaultdict(list)
    for a in articles():
        if a.reference_event:
            events[a.reference_event].append(a)
    return dict(sorted(events.items()))
