"""The one date helper, over every shape the sites display (table-driven)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from crawlers.dates import DateNotRecognised, find_site_date, month_number, parse_site_date

MOSCOW = ZoneInfo("Europe/Moscow")
BISHKEK = ZoneInfo("Asia/Bishkek")
BARNAUL = ZoneInfo("Asia/Barnaul")
# A fixed "now": 2025-06-20 12:00 Moscow time.
NOW = datetime(2025, 6, 20, 12, 0, tzinfo=MOSCOW)


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MOSCOW)


CASES = [
    # displayed text, zone, expected (aware)
    ("Сегодня 17:10", MOSCOW, msk(2025, 6, 20, 17, 10)),
    ("Сегодня  14:13", MOSCOW, msk(2025, 6, 20, 14, 13)),  # double space, as listings have
    ("СЕГОДНЯ, 14:35", MOSCOW, msk(2025, 6, 20, 14, 35)),
    ("сегодня в 09:00", MOSCOW, msk(2025, 6, 20, 9, 0)),
    ("Вчера 09:05", MOSCOW, msk(2025, 6, 19, 9, 5)),
    ("Вчера", MOSCOW, msk(2025, 6, 19)),
    ("16 Июня 17:17", MOSCOW, msk(2025, 6, 16, 17, 17)),  # current year
    ("16 Июля 17:17", MOSCOW, msk(2024, 7, 16, 17, 17)),  # would be in the future: last year
    ("21 Июня 10:00", MOSCOW, msk(2025, 6, 21, 10, 0)),  # one day ahead: within tolerance
    ("18 Июня 2014 17:41", MOSCOW, msk(2014, 6, 18, 17, 41)),
    ("3 мая 2024", MOSCOW, msk(2024, 5, 3)),
    ("15 января 2025", MOSCOW, msk(2025, 1, 15)),
    ("15 января 2025 г. 10:30", MOSCOW, msk(2025, 1, 15, 10, 30)),
    ("1 марта 2023, 08:15", MOSCOW, msk(2023, 3, 1, 8, 15)),
    ("16.05.2024", BISHKEK, datetime(2024, 5, 16, tzinfo=BISHKEK)),
    ("Опубликовано 05.01.2025 в 11:20", BISHKEK, datetime(2025, 1, 5, 11, 20, tzinfo=BISHKEK)),
    ("10 January 2025", MOSCOW, msk(2025, 1, 10)),
    ("12 қаңтар 2025", MOSCOW, msk(2025, 1, 12)),
    ("12 қаңтар, 2025", MOSCOW, msk(2025, 1, 12)),  # Kazakh WordPress theme
    ("9 января, 2025", MOSCOW, msk(2025, 1, 9)),
    ("2025-жылдын 12-январь", BISHKEK, datetime(2025, 1, 12, tzinfo=BISHKEK)),  # Kyrgyz
    ("January 12, 2025", MOSCOW, msk(2025, 1, 12)),
    ("Published: March 3, 2024 14:05", MOSCOW, msk(2024, 3, 3, 14, 5)),
    ("15 Января 2025 17:41", MOSCOW, msk(2025, 1, 15, 17, 41)),
    ("2025-01-10T12:00:00+05:00", MOSCOW, datetime(2025, 1, 10, 12, tzinfo=timezone(timedelta(hours=5)))),
    ("2025-01-10T07:00:00Z", MOSCOW, datetime(2025, 1, 10, 7, tzinfo=UTC)),
    ("2025-01-10T12:00:00+0500", MOSCOW, datetime(2025, 1, 10, 12, tzinfo=timezone(timedelta(hours=5)))),
    ("2025-01-10 09:30:00", BARNAUL, datetime(2025, 1, 10, 9, 30, tzinfo=BARNAUL)),  # no offset: site zone
    ("2025-01-10", BARNAUL, datetime(2025, 1, 10, tzinfo=BARNAUL)),
    (
        "Fri, 10 Jan 2025 12:00:00 +0300",
        MOSCOW,
        datetime(2025, 1, 10, 12, tzinfo=timezone(timedelta(hours=3))),
    ),
    ("Fri, 10 Jan 2025 09:00:00 GMT", MOSCOW, datetime(2025, 1, 10, 9, tzinfo=UTC)),
    ("10 Jan 2025 12:00 +0700", MOSCOW, datetime(2025, 1, 10, 12, tzinfo=timezone(timedelta(hours=7)))),
]


@pytest.mark.parametrize(("text", "zone", "expected"), CASES, ids=[case[0] for case in CASES])
def test_parse_site_date(text: str, zone: ZoneInfo, expected: datetime) -> None:
    parsed = parse_site_date(text, now=NOW, tz=zone)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


def test_relative_words_use_the_site_zone_for_today() -> None:
    # 2025-06-20 22:30 UTC is already 21 June in Barnaul (UTC+7).
    now = datetime(2025, 6, 20, 22, 30, tzinfo=UTC)
    assert parse_site_date("Сегодня 08:00", now=now, tz="Asia/Barnaul") == datetime(
        2025, 6, 21, 8, tzinfo=BARNAUL
    )


def test_year_less_date_at_new_year() -> None:
    now = datetime(2025, 1, 2, 10, tzinfo=MOSCOW)
    assert parse_site_date("31 Декабря 23:50", now=now, tz=MOSCOW) == msk(2024, 12, 31, 23, 50)


@pytest.mark.parametrize("text", ["", "Новости", "32.13.2024", "99 Июня", "Пресс-служба МВД"])
def test_unrecognised(text: str) -> None:
    assert find_site_date(text, now=NOW, tz=MOSCOW) is None
    with pytest.raises(DateNotRecognised):
        parse_site_date(text, now=NOW, tz=MOSCOW)


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("Июня", 6),
        ("июнь", 6),
        ("мая", 5),
        ("Май", 5),
        ("марта", 3),
        ("декабря", 12),
        ("Sept", 9),
        ("шілде", 7),
        ("xx", None),
    ],
)
def test_month_number(name: str, number: int | None) -> None:
    assert month_number(name) == number
