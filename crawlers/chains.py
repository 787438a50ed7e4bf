"""Chains of feed/listing pages: the incremental stop rule, high-water marks and the date window.

A chain (a channel's feed, then its listing) stops, without ``since``/``until``, at the first
page below the channel's high-water mark (the newest entry its last complete crawl saw) or, on
undated listings, at a page of only known articles. The mark only advances when a chain ends
normally, so an interrupted crawl is caught up by the next one. ``since``/``until`` (inclusive
dates, in the host's zone) bound what is fetched and stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from crawlers.channels import Channel


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a feed/listing page decided: go on to the next page, and the newest date so far."""

    go_on: bool
    top: datetime | None
    keys: frozenset[str] = frozenset()
    """Canonical URLs of the page's entries (a next page listing the same ones is a repeat)."""


@dataclass(slots=True)
class Window:
    """The dates a crawl fetches and stores (None: open on that side), and whether it refetches."""

    since: date | None = None
    until: date | None = None
    refetch: bool = False

    @property
    def backfill(self) -> bool:
        """Bounded by dates or refetching: incremental stopping is off."""
        return bool(self.since or self.until or self.refetch)

    def holds(self, published: datetime | None, zone: tzinfo) -> bool:
        if published is None:
            return True
        day = published.astimezone(zone).date()
        return not ((self.since and day < self.since) or (self.until and day > self.until))


def older(value: datetime, mark: datetime, zone: tzinfo) -> bool:
    """Whether ``value`` is before ``mark``; a day-precision value (midnight) by calendar day."""
    local = value.astimezone(zone)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return local.date() < mark.astimezone(zone).date()
    return value < mark


def continues(
    window: Window,
    previous_state: dict[str, Any],
    *,
    entries: int,
    new: int,
    known: int,
    dates: Sequence[datetime],
    channel: Channel,
    repeats_previous: bool = False,
) -> bool:
    """Whether to read the next page of a chain after one with these entries.

    A page listing exactly the previous page's articles ends the chain (the site ignores the
    page parameter). Listings run newest first, but widgets (latest, popular) add entries
    from anywhere, so a page counts as "below" a date when most of its dated entries are.
    A backfill goes on until a page is below ``since``. An incremental crawl stops at a page
    below the channel's high-water mark (the newest entry of its last complete crawl); on a
    page without any dates, at one with no new article but some known ones (trusted only
    when the last crawl of the channel completed).
    """
    if entries == 0:
        return False
    if repeats_previous:
        return False  # the site serves the previous page again (an ignored page parameter)
    zone = ZoneInfo(channel.timezone)
    if window.backfill:
        if window.since is None:
            return True
        since = window.since
        below = sum(1 for d in dates if d.astimezone(zone).date() < since)
        return not (dates and below * 2 > len(dates))
    mark = previous_state.get("high_water")
    high_water = datetime.fromisoformat(mark) if mark else None
    if high_water is not None and dates:
        below = sum(1 for d in dates if older(d, high_water, zone))
        if below * 2 > len(dates):
            return False
    if not dates and new == 0 and known > 0 and previous_state.get("complete"):
        return False
    return True


def finish_chain(state: dict[str, Any], top: datetime | None) -> None:
    """A chain ended by the stop rule or at the end of the listing: advance the channel's mark."""
    current = state.get("high_water")
    if top is not None and (current is None or top > datetime.fromisoformat(current)):
        state["high_water"] = top.isoformat()
    state["complete"] = True
    state["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")


def as_date(value: str | date | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{name} must be a date YYYY-MM-DD, not {value!r}") from exc


def as_bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")
