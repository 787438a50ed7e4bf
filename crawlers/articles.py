"""Hand-over of an article page: the date and alternates the site states, and page checks.

What an article page states is read here by the spec (date selectors, language prefixes, an id
language switch); the spider core turns it into a :class:`~core.types.PageInput`.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from urllib.parse import urlsplit

from htmldate import find_date
from scrapy.http import TextResponse

from config import SourceConfig
from config.boilerplate import load_boilerplate
from crawlers.channels import language_of
from crawlers.discovery.walk import IdWalk
from crawlers.entries import Entry
from crawlers.integrity import Decoding, decode_body
from crawlers.markup import article_misses
from crawlers.pages import first_date, hreflang_alternates, meta_published, near_heading_date
from crawlers.spec import SiteSpec
from pipeline.records import date_in_url


class ArticleReader:
    """Dates and language versions an article page of one site states."""

    def __init__(self, spec: SiteSpec, source: SourceConfig, walk: IdWalk) -> None:
        self.spec = spec
        self.source = source
        self.walk = walk

    def url_date(self, url: str, zone: tzinfo) -> datetime | None:
        """A date the article URL states (``/2025/01/10/``): the source's ``url_date`` pattern."""
        stated = date_in_url(url, self.source)
        return stated.replace(tzinfo=zone) if stated else None

    def page_date(
        self, response: TextResponse, zone: tzinfo
    ) -> tuple[datetime | None, list[tuple[str, str]]]:
        """The date an article page states, and the known markup the page lacks
        (:func:`crawlers.markup.article_misses`), read from one pass over its dates.

        The date: meta data, then the spec's date selectors, then a date next to the heading (a
        redesign that renames the date's element still has one); for an outlet, whose markup no
        spec describes, then the date htmldate finds. Otherwise the extract stage's generic
        dating (htmldate) decides, and marks the date uncertain."""
        selector = response.selector
        meta = meta_published(selector, tz=zone)
        selected = heading = None
        if meta is None:
            selected = first_date(selector, self.spec.article_date_selectors, tz=zone)
        if meta is None and selected is None:
            heading = near_heading_date(selector, tz=zone)
        # A date found by the selectors means their element is there: no miss to tell apart.
        misses = article_misses(
            self.spec,
            selector,
            body_selectors=load_boilerplate().body_selectors(self.source.id),
            meta_date=meta is not None,
            date_elsewhere=heading is not None,
        )
        stated = meta or selected or heading
        if stated is None and self.spec.guess_article_date:
            stated = guessed_date(response.text, zone)
        return stated, misses

    def site_published(
        self, response: TextResponse, entry: Entry, zone: tzinfo
    ) -> tuple[datetime | None, list[tuple[str, str]]]:
        """The best date the site states: a timed one (page, then feed/listing) over a day-only
        one (page, listing, URL); and the known markup the page lacks."""
        stated, misses = self.page_date(response, zone)
        return self._best_date([stated, entry.published, self.url_date(response.url, zone)]), misses

    @staticmethod
    def _best_date(candidates: list[datetime | None]) -> datetime | None:
        dated = [value for value in candidates if value is not None]
        for value in dated:
            if (value.hour, value.minute, value.second) != (0, 0, 0):
                return value
        return dated[0] if dated else None

    def alternates(self, response: TextResponse) -> dict[str, str]:
        """Other language versions the page links to: hreflang, and for sites whose language
        switch links the same id under another prefix, those links."""
        alternates = hreflang_alternates(response.selector, response.url)
        if self.walk.spec is None or not self.walk.spec.alternates_by_id:
            return alternates
        own_id = self.walk.item_id(response.url)
        if own_id is None:
            return alternates
        for href in response.xpath("//a/@href").getall():
            url = response.urljoin(href)
            language = language_of(self.spec, url)
            if (
                language
                and self.walk.item_id(url) == own_id
                and urlsplit(url).netloc == urlsplit(response.url).netloc
            ):
                alternates.setdefault(language, url)
        if alternates:
            alternates.setdefault(language_of(self.spec, response.url) or "", response.url)
        alternates.pop("", None)
        return alternates


def guessed_date(html: str, zone: tzinfo) -> datetime | None:
    """The publication day htmldate finds in a page (original date, not updates), at midnight
    in ``zone``: day precision."""
    found = find_date(html, original_date=True, outputformat="%Y-%m-%d", extensive_search=False)
    if not found:
        return None
    day = date.fromisoformat(found)
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def with_true_encoding(response: TextResponse) -> TextResponse:
    """The response decoded in the charset its body is really in (:func:`decoded`)."""
    return decoded(response)[0]


def decoded(response: TextResponse) -> tuple[TextResponse, Decoding]:
    """The response decoded in the charset its body is really in, and that decoding
    (:func:`crawlers.integrity.decode_body`)."""
    decoding = decode_body(response.body, response.encoding)
    if decoding.encoding.replace("-", "").replace("_", "").lower() == (
        (response.encoding or "").replace("-", "").replace("_", "").lower()
    ):
        return response, decoding
    return response.replace(encoding=decoding.encoding), decoding
