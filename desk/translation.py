"""Help with the English edition: the English version of a story, when a site published one.

polisia.kz, akn.tj and mvd.gov.kg publish some news in English too. An event's English
headline and text are the analyst's; when they are still empty, the English version of the
story pre-fills the form as a draft (nothing is saved until the analyst saves). The version is
an article of the event in English, or a stored article an article of the event names as its
English alternate (hreflang).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.urls import InvalidURL, canonical_url
from storage.db import Session
from storage.models import Event
from storage.repository import article_by_url

ENGLISH = "en"


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft of the English headline and text, and where it comes from."""

    headline: str
    text: str
    source: str
    """``english`` (the site's English version), ``machine`` or ``original``."""
    url: str | None = None
    """The English version's address, for the notice."""


def english_version(session: Session, event: Event) -> Draft | None:
    """The English version of the event's story, as a draft (None when the sites published none)."""
    for article in event.articles:
        if article.language == ENGLISH and (article.title or article.text):
            return Draft(article.title or "", article.text or "", "english", article.url)
    for article in event.articles:
        alternate = (article.alternates or {}).get(ENGLISH)
        if not isinstance(alternate, str):
            continue
        try:
            found = article_by_url(session, canonical_url(alternate))
        except InvalidURL:
            continue
        if found is not None and (found.title or found.text):
            return Draft(found.title or "", found.text or "", "english", found.url)
    return None
