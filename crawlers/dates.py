"""Dates as the monitored sites display them, parsed by one helper.

Sites state dates in many shapes: relative words (``Сегодня 17:10``, ``Вчера 09:05``), a day and a
month name with or without a year (``16 Июня 17:17``, ``18 Июня 2014 17:41``, ``15 января 2025``),
numeric (``16.05.2024``), ISO 8601 (``2025-01-10T12:00:00+05:00``) and RFC 822 in feeds
(``Fri, 10 Jan 2025 12:00:00 +0300``). :func:`parse_site_date` reads any of them as an aware
datetime: a stated offset is kept, everything else is read in the site's zone, and words like
"today" are resolved against ``now`` in that zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

__all__ = ["DateNotRecognised", "find_site_date", "parse_site_date", "month_number"]

# A year-less date that lands this far in the future still counts as this year: the site's clock
# and zone may differ a little from ours, and a one-year jump is a far worse error than that.
FUTURE_TOLERANCE = timedelta(days=2)

# Month names by their first letters: Russian (nominative and genitive), Kyrgyz and Tajik (which
# share the Russian stems), English, and Kazakh. Matching on a prefix covers every case ending.
# fmt: off
_MONTH_PREFIXES: tuple[tuple[str, int], ...] = (
    ("янв", 1), ("фев", 2), ("мар", 3), ("апр", 4), ("май", 5), ("мая", 5), ("июн", 6),
    ("июл", 7), ("авг", 8), ("сен", 9), ("окт", 10), ("ноя", 11), ("дек", 12),
    ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5), ("jun", 6), ("jul", 7),
    ("aug", 8), ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12),
    ("қаң", 1), ("ақп", 2), ("нау", 3), ("сәу", 4), ("мам", 5), ("мау", 6), ("шіл", 7),
    ("там", 8), ("қыр", 9), ("қаз", 10), ("қар", 11), ("жел", 12),
)
# fmt: on

_TIME = r"(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?"
# "в", "," or "г." may sit between the parts: "Сегодня в 17:10", "СЕГОДНЯ, 14:35", "2025 г. 10:00".
_SEP = r"(?:\s*(?:,|\bв\b|\bг\.?|\bгода\b|\bat\b|\bin\b|-|—)\s*|\s+)"

_RELATIVE_RE = re.compile(rf"\b(?P<word>сегодня|вчера|позавчера|today|yesterday)(?:{_SEP}{_TIME})?", re.I)
# "16 Июня 17:17", "18 Июня 2014 17:41", "12 қаңтар, 2025" (day first)
_MONTH_NAME_RE = re.compile(
    rf"\b(?P<day>[0-3]?\d)\s+(?P<month>[^\W\d_]{{3,}})\.?(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?(?:{_SEP}{_TIME})?",
    re.I,
)
# "January 12, 2025 10:00" (month first, English style)
_MONTH_FIRST_RE = re.compile(
    rf"\b(?P<month>[a-z]{{3,}})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b(?:{_SEP}{_TIME})?",
    re.I,
)
# "2025-жылдын 12-январь" (Kyrgyz: year first, day and month joined by a hyphen)
_YEAR_FIRST_RE = re.compile(
    rf"\b(?P<year>(?:19|20)\d\d)-?\s*ж\w*\.?\s+(?P<day>[0-3]?\d)-(?P<month>[^\W\d_]{{3,}})(?:{_SEP}{_TIME})?",
    re.I,
)
_NUMERIC_RE = re.compile(
    rf"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b(?:{_SEP}{_TIME})?",
)
_ISO_RE = re.compile(
    r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d"
    r"(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?(?:Z|[+-][0-2]\d:?[0-5]\d)?)?)(?![\d:])",
    re.I,
)
_RFC822_RE = re.compile(
    r"\b(?P<rfc>(?:(?:mon|tue|wed|thu|fri|sat|sun),?\s+)?[0-3]?\d\s+[a-z]{3}\s+(?:19|20)\d\d\s+"
    r"[0-2]\d:[0-5]\d(?::[0-5]\d)?\s*(?:[+-]\d{4}|gmt|ut|utc|z|[ecmp][sd]t)?)",
    re.I,
)
_SPACES_RE = re.compile(r"\s+")


class DateNotRecognised(ValueError):
    """The text holds no date in any of the known shapes."""


def month_number(name: str) -> int | None:
    """The month a (possibly inflected) month name means: ``Июня`` -> 6, ``қаңтар`` -> 1."""
    lowered = name.lower().rstrip(".")
    if len(lowered) < 3:
        return None
    for prefix, number in _MONTH_PREFIXES:
        if lowered.startswith(prefix):
            return number
    return None


def parse_site_date(text: str, *, now: datetime | None = None, tz: tzinfo | str = "UTC") -> datetime:
    """Read a date the way a site displays it.

    Args:
        text: The displayed date, possibly with surrounding words (``Опубликовано: 16.05.2024``).
        now: The moment "today" and year-less dates are resolved against (default: the current
            time). A naive ``now`` is read in ``tz``.
        tz: The site's zone (a ``ZoneInfo`` or an IANA name), used for dates without an offset.

    Returns:
        An aware datetime: in the stated offset when the text has one, otherwise in ``tz``.
        A date without a time of day is midnight local time.

    Raises:
        DateNotRecognised: no date shape matched.
    """
    found = find_site_date(text, now=now, tz=tz)
    if found is None:
        raise DateNotRecognised(f"no date recognised in {text!r}")
    return found


def find_site_date(
    text: str | None, *, now: datetime | None = None, tz: tzinfo | str = "UTC"
) -> datetime | None:
    """Like :func:`parse_site_date`, but ``None`` when the text holds no date (for scanning)."""
    if not text:
        return None
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    current = _aware(now or datetime.now(zone), zone).astimezone(zone)
    cleaned = _SPACES_RE.sub(" ", text.replace("\u00a0", " ")).strip()

    # Explicit, unambiguous shapes first; the month-name shape last, as it is the loosest.
    for parse in (
        _parse_iso,
        _parse_rfc822,
        _parse_relative,
        _parse_numeric,
        _parse_year_first,
        _parse_month_first,
        _parse_month_name,
    ):
        result = parse(cleaned, current, zone)
        if result is not None:
            return result
    return None


def _aware(value: datetime, zone: tzinfo) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def _clock(match: re.Match[str]) -> time:
    if match.group("hour") is None:
        return time(0, 0)
    return time(int(match.group("hour")), int(match.group("minute")), int(match.group("second") or 0))


def _local(day: date, clock: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=zone)


def _parse_iso(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    match = _ISO_RE.search(text)
    if not match:
        return None
    raw = match.group("iso").replace(" ", "T")
    if raw[-1] in "zZ":
        raw = raw[:-1] + "+00:00"
    elif re.search(r"[+-]\d{4}$", raw):  # +0500 -> +05:00
        raw = f"{raw[:-2]}:{raw[-2:]}"
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return _aware(parsed, zone)


def _parse_rfc822(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    match = _RFC822_RE.search(text)
    if not match:
        return None
    try:
        parsed = parsedate_to_datetime(match.group("rfc"))
    except (TypeError, ValueError):
        return None
    # "-0000" and a missing zone both mean "unknown" in RFC 2822: read it in the site's zone.
    return _aware(parsed, zone)


def _parse_relative(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    match = _RELATIVE_RE.search(text)
    if not match:
        return None
    days_back = {"сегодня": 0, "today": 0, "вчера": 1, "yesterday": 1, "позавчера": 2}[
        match.group("word").lower()
    ]
    return _local(now.date() - timedelta(days=days_back), _clock(match), zone)


def _parse_numeric(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    for match in _NUMERIC_RE.finditer(text):
        try:
            day = date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
        except ValueError:
            continue
        return _local(day, _clock(match), zone)
    return None


def _parse_year_first(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    return _month_name_match(_YEAR_FIRST_RE, text, now, zone)


def _parse_month_first(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    return _month_name_match(_MONTH_FIRST_RE, text, now, zone)


def _parse_month_name(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    return _month_name_match(_MONTH_NAME_RE, text, now, zone)


def _month_name_match(pattern: re.Pattern[str], text: str, now: datetime, zone: tzinfo) -> datetime | None:
    for match in pattern.finditer(text):
        month = month_number(match.group("month"))
        if month is None:
            continue
        day_number = int(match.group("day"))
        year = int(match.group("year")) if match.group("year") else now.year
        try:
            result = _local(date(year, month, day_number), _clock(match), zone)
        except ValueError:
            continue
        if match.group("year") is None and result > now + FUTURE_TOLERANCE:
            # "16 Июня" seen in March means last June.
            try:
                result = result.replace(year=year - 1)
            except ValueError:  # 29 February
                continue
        return result
    return None
