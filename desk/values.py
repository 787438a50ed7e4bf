"""The desk's vocabulary (statuses, topics, the fields an analyst edits, reasons to reject) and
how a typed-in value becomes a stored one (or an :class:`~desk.errors.EditError` saying why not)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.urls import InvalidURL, canonical_url, is_web_url
from desk.errors import EditError
from desk.facts import clean_facts

STATUSES = ("new", "accepted", "rejected")
TOPICS = ("prevention", "seizure_arrest", "legislation", "cooperation", "statistics", "treatment", "other")
EDITABLE_FIELDS = (
    "headline_en",
    "text_en",
    "country_override",
    "published_override",
    "topic_override",
    "facts_override",
    "lead_url",
)
# Reasons offered in the UI (free text is accepted too).
REJECT_REASONS = (
    "not about drugs",
    "duplicate",
    "outside the period",
    "not a media report",
    "too minor",
)
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(slots=True)
class Change:
    """What one operation did to one event (or release)."""

    event_id: int
    action: str
    version: int
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.after) or bool(self.before)


def as_json(value: Any) -> Any:
    """A value as the audit trail stores it (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def clean_text(value: Any) -> str | None:
    """Text without surrounding white space and with ``\\n`` line ends; empty is None."""
    if value is None:
        return None
    text = str(value).replace("\r\n", "\n").strip()
    return text or None


def clean_line(value: Any) -> str | None:
    """One line of text: a headline never carries line breaks or runs of spaces."""
    text = clean_text(value)
    return " ".join(text.split()) if text else None


MAX_HEADLINE_CHARS = 500
MAX_TEXT_CHARS = 20_000
"""Caps on what an analyst may save: a headline is a line, a text a few pages. A longer value is
refused with the reason, never cut silently."""


def capped(cleaner: Callable[[Any], str | None], limit: int, name: str) -> Callable[[Any], str | None]:
    def clean(value: Any) -> str | None:
        text = cleaner(value)
        if text is not None and len(text) > limit:
            raise EditError(f"the {name} is {len(text):,} characters long; at most {limit:,} are kept")
        return text

    return clean


def clean_country(value: Any) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    text = text.upper()
    if not _COUNTRY.match(text):
        raise EditError(f"a country is a two-letter ISO code such as KZ, not {value!r}")
    return text


def clean_date(value: Any) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    text = clean_text(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise EditError(f"a date is written YYYY-MM-DD, not {value!r}") from exc


def clean_article_url(value: Any) -> str | None:
    """An article's canonical URL (http(s) only); empty is None (back to the machine's choice)."""
    text = clean_line(value)
    if text is None:
        return None
    if not is_web_url(text):
        raise EditError(f"{text[:80]!r} is not an http(s) article address")
    try:
        return canonical_url(text)
    except InvalidURL as exc:
        raise EditError(f"{text[:80]!r} is not an article address: {exc}") from exc


def clean_topic(value: Any) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    if text not in TOPICS:
        raise EditError(f"unknown topic {text!r} (one of: {', '.join(TOPICS)})")
    return text


CLEANERS: dict[str, Callable[[Any], Any]] = {
    "headline_en": capped(clean_line, MAX_HEADLINE_CHARS, "headline"),
    "text_en": capped(clean_text, MAX_TEXT_CHARS, "text"),
    "country_override": clean_country,
    "published_override": clean_date,
    "topic_override": clean_topic,
    "facts_override": clean_facts,
    "lead_url": clean_article_url,
}
"""One cleaner per editable field (:data:`EDITABLE_FIELDS`)."""
