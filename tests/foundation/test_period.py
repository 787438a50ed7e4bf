"""Release periods: #1 = 1–15 January … #24 = 16–31 December, in the source's local time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.period import Period, PeriodError

ALMATY = ZoneInfo("Asia/Almaty")


def test_first_half_of_january_is_release_1() -> None:
    period = Period(2025, 1)
    assert (period.text, period.start, period.end) == ("1-15.01.2025", date(2025, 1, 1), date(2025, 1, 15))


def test_second_half_of_january_is_release_2() -> None:
    assert Period(2025, 2).text == "16-31.01.2025"


def test_leap_february_ends_on_the_29th() -> None:
    assert Period(2024, 4).text == "16-29.02.2024"


def test_common_february_ends_on_the_28th() -> None:
    assert Period(2025, 4).text == "16-28.02.2025"


def test_release_24_is_the_end_of_december() -> None:
    assert Period(2024, 24).text == "16-31.12.2024"


def test_15th_at_23_59_local_is_still_the_first_half() -> None:
    assert Period.at(datetime(2025, 1, 15, 23, 59, tzinfo=ALMATY), ALMATY).number == 1


def test_16th_at_midnight_local_is_the_second_half() -> None:
    assert Period.at(datetime(2025, 1, 16, 0, 0, tzinfo=ALMATY), ALMATY).number == 2


def test_utc_evening_of_the_15th_is_the_16th_in_almaty() -> None:
    moment = datetime.fromisoformat("2025-01-15T19:30:00+00:00")  # 16 Jan 00:30 in Almaty
    assert Period.at(moment, "Asia/Almaty").text == "16-31.01.2025"


def test_the_same_utc_moment_is_the_15th_in_moscow() -> None:
    moment = datetime.fromisoformat("2025-01-15T19:30:00+00:00")  # 22:30 in Moscow
    assert Period.at(moment, "Europe/Moscow").number == 1


def test_naive_time_is_read_as_local_time() -> None:
    assert Period.at(datetime(2025, 1, 15, 23, 30), ALMATY).number == 1


def test_29_february_2024_is_in_release_4() -> None:
    assert Period.at(datetime(2024, 2, 29, 12, 0, tzinfo=ALMATY), ALMATY).text == "16-29.02.2024"


def test_31_december_late_evening_utc_is_next_year_in_dushanbe() -> None:
    moment = datetime.fromisoformat("2024-12-31T20:00:00+00:00")  # 1 Jan 01:00 in Dushanbe
    assert (Period.at(moment, "Asia/Dushanbe").year, Period.at(moment, "Asia/Dushanbe").number) == (2025, 1)


@pytest.mark.parametrize(
    ("text", "year", "number"),
    [("2025-1", 2025, 1), ("2025/24", 2025, 24), ("1-15.01.2025", 2025, 1), ("16-29.02.2024", 2024, 4)],
)
def test_parse_period_accepts_both_spellings(text: str, year: int, number: int) -> None:
    period = Period.parse(text)
    assert (period.year, period.number) == (year, number)


def test_parse_period_refuses_a_wrong_end_day_and_names_the_right_one() -> None:
    with pytest.raises(PeriodError, match="16-31.01.2025"):
        Period.parse("16-30.01.2025")


def test_period_for_refuses_release_25() -> None:
    with pytest.raises(PeriodError):
        Period(2025, 25)


def test_next_period_wraps_into_the_next_year() -> None:
    assert Period(2024, 24).next() == Period(2025, 1)


def test_previous_period_wraps_into_the_previous_year() -> None:
    assert Period(2025, 1).previous() == Period(2024, 24)


def test_current_period_uses_the_zone_of_now() -> None:
    now = datetime.fromisoformat("2025-03-15T20:00:00+00:00")  # 16 March 01:00 in Almaty
    assert Period.current("Asia/Almaty", now=now).text == "16-31.03.2025"


def test_a_period_is_named_by_its_key_in_urls_and_files() -> None:
    assert Period(2025, 1).key == "2025-01"
    assert Period.parse("2025-01") == Period(2025, 1)


def test_labels_differ_by_edition() -> None:
    assert Period(2025, 1).label_in("en") == "#1 · 1-15.01.2025"
    assert Period(2025, 1).label_in("ru") == "№1 · 1-15.01.2025"


def test_bounds_are_midnights_in_the_given_zone_with_the_end_exclusive() -> None:
    start, end = Period(2025, 2).bounds("Asia/Almaty")
    assert (start, end) == (datetime(2025, 1, 16, tzinfo=ALMATY), datetime(2025, 2, 1, tzinfo=ALMATY))


def test_a_period_contains_exactly_its_days() -> None:
    assert date(2024, 2, 29) in Period(2024, 4)
    assert date(2024, 3, 1) not in Period(2024, 4)


def test_an_invalid_period_cannot_be_built() -> None:
    with pytest.raises(PeriodError):
        Period(2025, 0)


def test_shift_moves_across_years_both_ways() -> None:
    assert Period(2025, 1).shift(-25) == Period(2023, 24)
    assert Period(2023, 24).shift(25) == Period(2025, 1)
