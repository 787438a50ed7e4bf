"""The release period: which bi-weekly release a day, a moment or a text belongs to.

Release #1 covers 1–15 January, #2 16–31 January, … #24 16–31 December; #(2m-1) is the first
half of month m and #2m the rest of it. A publication moment is read in the **source's local
time zone**: 2025-01-15T19:30Z is 16 January 00:30 in Almaty, so release #2. The desk's own
calendar (which period is "current") is read in the desk's zone, passed in by the caller.

This is the only representation of a period: pipeline, storage, review and release all use it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

PERIODS_PER_YEAR = 24
_YEAR_NUMBER_RE = re.compile(r"^\s*(\d{4})\s*[-/#]\s*#?(\d{1,2})\s*$")
_PERIOD_TEXT_RE = re.compile(r"^\s*(\d{1,2})\s*[-–]\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_NUMBER_SIGN = {"en": "#", "ru": "№"}


class PeriodError(ValueError):
    """Text or numbers that do not name a release period."""


def _zone(zone: tzinfo | str) -> tzinfo:
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def local_date(moment: datetime, zone: tzinfo) -> date:
    """The calendar day of ``moment`` in ``zone``; a naive moment is already local time there."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(zone).date()


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """Release ``number`` (1–24) of ``year``; built only valid (else :class:`PeriodError`)."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= PERIODS_PER_YEAR:
            raise PeriodError(f"release number must be 1–{PERIODS_PER_YEAR}, not {self.number}")
        if not 1 <= self.year <= 9999:
            raise PeriodError(f"bad year {self.year}")

    # --- finding a period -------------------------------------------------------------------

    @classmethod
    def containing(cls, day: date) -> Period:
        """The release a calendar day belongs to."""
        return cls(day.year, 2 * day.month - (1 if day.day <= 15 else 0))

    @classmethod
    def at(cls, moment: datetime, zone: tzinfo | str) -> Period:
        """The release of a publication moment, read in the source's local time zone."""
        return cls.containing(local_date(moment, _zone(zone)))

    @classmethod
    def current(cls, zone: tzinfo | str = "UTC", *, now: datetime | None = None) -> Period:
        """The release that contains ``now`` (default: the current time) in ``zone``."""
        tz = _zone(zone)
        return cls.at(now if now is not None else datetime.now(tz), tz)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2025-1`` / ``2025-01`` / ``2025/1`` / ``2025#1`` or the printed ``1-15.01.2025``.

        The printed form must be exactly a release period: ``16-30.01.2025`` is refused with the
        right spelling in the message rather than silently rounded.
        """
        match = _YEAR_NUMBER_RE.match(text)
        if match:
            return cls(int(match.group(1)), int(match.group(2)))
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
        period = cls(year, 2 * month - (1 if first == 1 else 0))
        if last != period.end.day:
            raise PeriodError(f"{text!r} is not a release period; did you mean {period.text}?")
        return period

    # --- what it covers ---------------------------------------------------------------------

    @property
    def month(self) -> int:
        return (self.number + 1) // 2

    @property
    def start(self) -> date:
        """The first day (the 1st or the 16th)."""
        return date(self.year, self.month, 1 if self.number % 2 else 16)

    @property
    def end(self) -> date:
        """The last day, inclusive (the 15th or the month's last)."""
        if self.number % 2:
            return date(self.year, self.month, 15)
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def bounds(self, zone: tzinfo | str) -> tuple[datetime, datetime]:
        """``[start, end)`` as aware moments: midnight of the first day and of the day after the
        last, in ``zone``."""
        tz = _zone(zone)
        return (
            datetime.combine(self.start, time(), tz),
            datetime.combine(self.end + timedelta(days=1), time(), tz),
        )

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    # --- neighbours -------------------------------------------------------------------------

    def shift(self, by: int) -> Period:
        index = self.year * PERIODS_PER_YEAR + self.number - 1 + by
        return Period(index // PERIODS_PER_YEAR, index % PERIODS_PER_YEAR + 1)

    def next(self) -> Period:
        return self.shift(1)

    def previous(self) -> Period:
        return self.shift(-1)

    # --- names ------------------------------------------------------------------------------

    @property
    def key(self) -> str:
        """``2025-01``: in URLs, file names and the CLI."""
        return f"{self.year}-{self.number:02d}"

    @property
    def text(self) -> str:
        """As printed on the release: ``1-15.01.2025``, ``16-29.02.2024``."""
        return f"{self.start.day}-{self.end.day}.{self.month:02d}.{self.year}"

    def label_in(self, edition: str) -> str:
        """``#1 · 1-15.01.2025`` (English) / ``№1 · 1-15.01.2025`` (Russian)."""
        return f"{_NUMBER_SIGN.get(edition, '#')}{self.number} · {self.text}"

    @property
    def label(self) -> str:
        """The English label (the review UI's language)."""
        return self.label_in("en")
