"""Date-archive backfill: the archive listing pages covering a window, newest first."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from crawlers.channels import Channel
from crawlers.entries import Entry
from crawlers.spec import ArchiveSpec

_PAGE_TAIL = re.compile(r"page/\d+/$")


@dataclass(frozen=True, slots=True)
class Archive:
    """A date-archive listing page and the days it covers."""

    url: str
    first_day: date
    last_day: date


class ArchiveBackfill:
    """Archive URLs of a window by the site's :class:`~crawlers.spec.ArchiveSpec`."""

    def __init__(self, spec: ArchiveSpec | None) -> None:
        self.spec = spec

    def urls(self, channel: Channel, since: date, until: date) -> list[Archive] | None:
        """Date-archive listing pages covering [since, until], newest first; None: no archives."""
        spec = self.spec
        if spec is None or channel.listing is None:
            return None
        if any(section in channel.listing for section in spec.skip_sections):
            return None
        periods = _days(since, until) if spec.period == "day" else _months(since, until)
        parts = urlsplit(channel.listing)
        origin = f"{parts.scheme}://{parts.netloc}"
        listing = channel.listing.rstrip("/")
        return [
            Archive(
                spec.template.format(
                    listing=listing, origin=origin, year=first.year, month=first.month, day=first.day
                ),
                first,
                last,
            )
            for first, last in periods
        ]

    def page_url(self, url: str, page: int) -> str | None:
        """URL of page ``page`` (>= 2) of an archive listing, if archives paginate."""
        if self.spec is None or self.spec.page_template is None:
            return None
        return self.spec.page_template.format(archive=_PAGE_TAIL.sub("", url), page=page)

    @staticmethod
    def honoured(entries: Sequence[Entry], archive: Archive, channel: Channel) -> bool:
        """Whether an archive page lists entries of its period (widgets of the newest posts may
        add others). A site that ignores the archive parameters serves its front listing, with
        nothing of an older period on it: then the channel's listing is paged instead."""
        zone = ZoneInfo(channel.timezone)
        dated = [e.published.astimezone(zone).date() for e in entries if e.published]
        return not dated or any(archive.first_day <= day <= archive.last_day for day in dated)


def _days(since: date, until: date) -> list[tuple[date, date]]:
    days = []
    day = until
    while day >= since:
        days.append((day, day))
        day -= timedelta(days=1)
    return days


def _months(since: date, until: date) -> list[tuple[date, date]]:
    months = []
    year, month = until.year, until.month
    while (year, month) >= (since.year, since.month):
        first = date(year, month, 1)
        months.append((first, date(year, month, calendar.monthrange(year, month)[1])))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months
