"""The accepted events of a release period, in the order the release prints them.

The period rule (the analyst's date wins over the machine's) and the order inside a section
(``Event.position``, then date, then id) are the desk's own (:mod:`desk.order`), so the
editor sees in the UI exactly the order the document gets; sections follow the country order of
``config/release.toml``.
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.period import Period
from desk import section_sort_key
from desk.leads import lead_article
from release.settings import ReleaseSettings, load_release_settings
from storage.db import Session
from storage.events import accepted_events
from storage.models import Article, Event
from storage.repository import source_zone


def release_events(
    session: Session, year: int, number: int, *, settings: ReleaseSettings | None = None
) -> list[Event]:
    """The accepted events of release ``number`` of ``year`` in section order.

    Country order from ``config/release.toml`` (unlisted countries after, by code; events with no
    country last), then ``Event.position``, then date, then id. Articles are loaded with them.
    """
    settings = settings or load_release_settings()
    events = accepted_events(session, Period(year, number), with_articles=True)
    return sorted(
        events, key=lambda event: (settings.country_rank(event.section_country), section_sort_key(event))
    )


def event_date(session: Session, event: Event, lead: Article | None = None) -> date | None:
    """The event's publication day: the analyst's date, else the machine's in the source's time zone."""
    if event.published_override is not None:
        return event.published_override
    if event.published_at is None:
        return None
    lead = lead if lead is not None else lead_article(event)
    zone = ZoneInfo("UTC")
    if lead is not None and lead.source_id:
        timezone = source_zone(session, lead.source_id)
        if timezone is not None:
            try:
                zone = ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                pass
    return event.published_at.astimezone(zone).date()


def paragraphs(text: str | None) -> tuple[str, ...]:
    """A text's paragraphs: every non-blank line is one (blank lines between them are optional)."""
    if not text:
        return ()
    return tuple(re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines() if line.strip())


def missing_translation(event: Event) -> tuple[str, ...]:
    """What the English edition lacks for this event: ``headline`` and/or ``text``."""
    gaps = []
    if not (event.headline_en or "").strip():
        gaps.append("headline")
    if not (event.text_en or "").strip():
        gaps.append("text")
    return tuple(gaps)
