"""Period stage: which bi-weekly release an article belongs to.

Release #1 covers 1–15 January, #2 16–31 January, … #24 16–31 December; #(2m-1) is the first
half of month m and #2m the rest of it. The publication date is read in the **source's local
time zone**: 2025-01-15T19:30Z is 16 January 00:30 in Almaty, so release #2.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from pipeline.types import Period

PERIODS_PER_YEAR = 24
_YEAR_NUMBER_RE = re.compile(r"^\s*(\d{4})\s*[-/#]\s*#?(\d{1,2})\s*$")
_PERIOD_TEXT_RE = re.compile(r"^\s*(\d{1,2})\s*[-–]\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


class PeriodError(ValueError):
    """Text or numbers that do not name a release period."""


def period_for(year: int, number: int) -> Period:
    """Release ``number`` (1–24) of ``year``."""
    if not 1 <= number <= PERIODS_PER_YEAR:
        raise PeriodError(f"release number must be 1–{PERIODS_PER_YEAR}, not {number}")
    if not 1 <= year <= 9999:
        raise PeriodError(f"bad year {year}")
    month = (number + 1) // 2
    if number % 2:
        start, end = date(year, month, 1), date(year, month, 15)
    else:
        start = date(year, month, 16)
        end = date(year, month, calendar.monthrange(year, month)[1])
    text = f"{start.day}-{end.day}.{month:02d}.{year}"
    return Period(year=year, number=number, text=text, start=start, end=end)


def period_of_date(day: date) -> Period:
    """The release a calendar day belongs to."""
    number = 2 * day.month - (1 if day.day <= 15 else 0)
    return period_for(day.year, number)


def local_date(moment: datetime, zone: tzinfo) -> date:
    """The calendar day of ``moment`` in ``zone``; a naive moment is already local time there."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(zone).date()


def period_of(moment: datetime, zone: tzinfo | str) -> Period:
    """The release of a publication moment, read in the source's local time zone."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return period_of_date(local_date(moment, tz))


def current_period(zone: tzinfo | str = "UTC", *, now: datetime | None = None) -> Period:
    """The release period that contains ``now`` (default: the current time) in ``zone``."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    moment = now if now is not None else datetime.now(tz)
    return period_of(moment, tz)


def next_period(period: Period) -> Period:
    if period.number == PERIODS_PER_YEAR:
        return period_for(period.year + 1, 1)
    return period_for(period.year, period.number + 1)


def previous_period(period: Period) -> Period:
    if period.number == 1:
        return period_for(period.year - 1, PERIODS_PER_YEAR)
    return period_for(period.year, period.number - 1)


def parse_period(text: str) -> Period:
    """``2025-1`` / ``2025/1`` / ``2025#1`` or the printed form ``1-15.01.2025``.

    The printed form must be exactly a release period: ``16-30.01.2025`` is refused with the
    right spelling in the message rather than silently rounded.
    """
    match = _YEAR_NUMBER_RE.match(text)
    if match:
        return period_for(int(match.group(1)), int(match.group(2)))
    match = _PERIOD_TEXT_RE.match(text)
    if not match:
        raise PeriodError(
            f"{text!r} is not a period: write YEAR-NUMBER (2025-1) or D-D.MM.YYYY (1-15.01.2025)"
        )
    first, last, month, year = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        raise PeriodError(f"{text!r}: bad month {month}")
    if first not in (1, 16):
        raise PeriodError(f"{text!r}: a period starts on the 1st or the 16th")
    period = period_for(year, 2 * month - (1 if first == 1 else 0))
    if last != period.end.day:
        raise PeriodError(f"{text!r} is not a release period; did you mean {period.text}?")
    return period
