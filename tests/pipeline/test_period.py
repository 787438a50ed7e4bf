"""Release periods: #1 = 1–15 January … #24 = 16–31 December, in the source's local time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pipeline.period import (
    PeriodError,
    current_period,
    next_period,
    parse_period,
    period_for,
    period_of,
    previous_period,
)

ALMATY = ZoneInfo("Asia/Almaty")


def test_first_half_of_january_is_release_1() -> None:
    period = period_for(2025, 1)
    assert (period.text, period.start, period.end) == ("1-15.01.2025", date(2025, 1, 1), date(2025, 1, 15))


def test_second_half_of_january_is_release_2() -> None:
    assert period_for(2025, 2).text == "16-31.01.2025"


def test_leap_february_ends_on_the_29th() -> None:
    assert period_for(2024, 4).text == "16-29.02.2024"


def test_common_february_ends_on_the_28th() -> None:
    assert period_for(2025, 4).text == "16-28.02.2025"


def test_release_24_is_the_end_of_december() -> None:
    assert period_for(2024, 24).text == "16-31.12.2024"


def test_15th_at_23_59_local_is_still_the_first_half() -> None:
    assert period_of(datetime(2025, 1, 15, 23, 59, tzinfo=ALMATY), ALMATY).number == 1


def test_16th_at_midnight_local_is_the_second_half() -> None:
    assert period_of(datetime(2025, 1, 16, 0, 0, tzinfo=ALMATY), ALMATY).number == 2


def test_utc_evening_of_the_15th_is_the_16th_in_almaty() -> None:
    moment = datetime.fromisoformat("2025-01-15T19:30:00+00:00")  # 16 Jan 00:30 in Almaty
    assert period_of(moment, "Asia/Almaty").text == "16-31.01.2025"


def test_the_same_utc_moment_is_the_15th_in_moscow() -> None:
    moment = datetime.fromisoformat("2025-01-15T19:30:00+00:00")  # 22:30 in Moscow
    assert period_of(moment, "Europe/Moscow").number == 1


def test_naive_time_is_read_as_local_time() -> None:
    assert period_of(datetime(2025, 1, 15, 23, 30), ALMATY).number == 1


def test_29_february_2024_is_in_release_4() -> None:
    assert period_of(datetime(2024, 2, 29, 12, 0, tzinfo=ALMATY), ALMATY).text == "16-29.02.2024"


def test_31_december_late_evening_utc_is_next_year_in_dushanbe() -> None:
    moment = datetime.fromisoformat("2024-12-31T20:00:00+00:00")  # 1 Jan 01:00 in Dushanbe
    assert (period_of(moment, "Asia/Dushanbe").year, period_of(moment, "Asia/Dushanbe").number) == (2025, 1)


@pytest.mark.parametrize(
    ("text", "year", "number"),
    [("2025-1", 2025, 1), ("2025/24", 2025, 24), ("1-15.01.2025", 2025, 1), ("16-29.02.2024", 2024, 4)],
)
def test_parse_period_accepts_both_spellings(text: str, year: int, number: int) -> None:
    period = parse_period(text)
    assert (period.year, period.number) == (year, number)


def test_parse_period_refuses_a_wrong_end_day_and_names_the_right_one() -> None:
    with pytest.raises(PeriodError, match="16-31.01.2025"):
        parse_period("16-30.01.2025")


def test_period_for_refuses_release_25() -> None:
    with pytest.raises(PeriodError):
        period_for(2025, 25)


def test_next_period_wraps_into_the_next_year() -> None:
    assert next_period(period_for(2024, 24)) == period_for(2025, 1)


def test_previous_period_wraps_into_the_previous_year() -> None:
    assert previous_period(period_for(2025, 1)) == period_for(2024, 24)


def test_current_period_uses_the_zone_of_now() -> None:
    now = datetime.fromisoformat("2025-03-15T20:00:00+00:00")  # 16 March 01:00 in Almaty
    assert current_period("Asia/Almaty", now=now).text == "16-31.03.2025"
