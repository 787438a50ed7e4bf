"""Date formatting the mirrored sites use in their markup and feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

RU_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
               "сентября", "октября", "ноября", "декабря")
KK_MONTHS = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
             "қыркүйек", "қазан", "қараша", "желтоқсан")
KY_MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
             "сентябрь", "октябрь", "ноябрь", "декабрь")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def offset(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


def rfc822(dt: datetime, tz: timezone | None = None) -> str:
    """``Fri, 10 Jan 2025 12:30:00 +0300``; in ``tz`` when given (WordPress feeds use UTC)."""
    return format_datetime(dt.astimezone(tz) if tz else dt)


def rfc822_gmt(dt: datetime) -> str:
    """WordPress feed style: the time in UTC with ``+0000``."""
    return format_datetime(dt.astimezone(UTC))


def ru_date(dt: datetime) -> str:
    """``9 января 2025``."""
    return f"{dt.day} {RU_GENITIVE[dt.month - 1]} {dt.year}"


def ru_legacy(dt: datetime) -> str:
    """мвд.рф legacy template: ``15 Января 2025 17:41`` (month capitalised, full form with year)."""
    return f"{dt.day} {RU_GENITIVE[dt.month - 1].capitalize()} {dt.year} {dt:%H:%M}"


def localized(dt: datetime, language: str) -> str:
    """The date as a WordPress theme in that language displays it."""
    if language == "kk":
        return f"{dt.day} {KK_MONTHS[dt.month - 1]}, {dt.year}"
    if language == "ky":
        return f"{dt.year}-жылдын {dt.day}-{KY_MONTHS[dt.month - 1]}"
    if language == "en":
        return f"{EN_MONTHS[dt.month - 1]} {dt.day}, {dt.year}"
    return f"{dt.day} {RU_GENITIVE[dt.month - 1]}, {dt.year}"
