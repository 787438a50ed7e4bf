"""What discovery yields: an article URL plus what a feed or listing states about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Entry:
    """One article found on a feed or listing page, before its page is fetched."""

    url: str
    """Absolute URL as the site links it (real host)."""
    title: str | None = None
    """Title stated by the feed item or the listing link (whitespace collapsed)."""
    published: datetime | None = None
    """Aware date the feed/listing states (pubDate, ``time[datetime]``, displayed date)."""
    text: str | None = None
    """Full text stated by the feed (``yandex:full-text``, ``content:encoded``), plain text."""
    via: str = "listing"
    """``feed``, ``listing``, ``archive`` or ``walk``: how the article was found."""
