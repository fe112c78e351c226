"""Working days under the official calendar (State Council holiday notices for
2025 and 2026, as loaded into core_calendarday by core/migrations/0003).

Every expected date below was counted by hand, day by day, from the notices
(counting begins the day after the start), and checked against the rows the
migration loaded from chinesecalendar 1.11.0:

2025  元旦 1-1 · 春节 1-28..2-4, 上班 1-26(日) 2-8(六) · 清明 4-4..4-6 · 劳动节 5-1..5-5, 上班 4-27(日)
      端午 5-31..6-2 · 国庆中秋 10-1..10-8, 上班 9-28(日) 10-11(六)
2026  元旦 1-1..1-3, 上班 1-4(日) · 春节 2-15..2-23, 上班 2-14(六) 2-28(六) · 清明 4-4..4-6
      劳动节 5-1..5-5, 上班 5-9(六) · 端午 6-19..6-21 · 中秋 9-25..9-27, 上班 9-20(日)
      国庆 10-1..10-7, 上班 10-10(六)
"""
import datetime as dt

import pytest

from core.exceptions import CalendarYearUnknown
from core.models import CalendarDay, CalendarYear
from core.workdays import (
    WorkCalendar,
    add_working_days,
    is_workday,
    working_days_between,
)

pytestmark = pytest.mark.django_db

D = dt.date

ADD_WORKING_DAYS_CASES = [
    # --- 2024 → 2025 year end: 1-1 is a holiday
    (D(2024, 12, 31), 1, D(2025, 1, 2)),
    (D(2024, 12, 27), 3, D(2025, 1, 2)),  # Sat, Sun, 12-30, 12-31, (1-1), 1-2
    # --- 2025 Spring Festival: Sunday 1-26 and Saturday 2-8 are working days
    (D(2025, 1, 24), 1, D(2025, 1, 26)),  # Friday → the make-up Sunday
    (D(2025, 1, 24), 2, D(2025, 1, 27)),
    (D(2025, 1, 24), 3, D(2025, 2, 5)),  # 1-28..2-4 are all off
    (D(2025, 1, 27), 1, D(2025, 2, 5)),
    (D(2025, 2, 7), 1, D(2025, 2, 8)),  # Friday → the make-up Saturday
    (D(2025, 2, 7), 2, D(2025, 2, 10)),
    (D(2025, 1, 20), 7, D(2025, 2, 5)),  # the 7-working-day review minimum across the festival
    (D(2025, 1, 20), 15, D(2025, 2, 14)),
    # --- 2025 Labour Day: Sunday 4-27 works, 5-1..5-5 off
    (D(2025, 4, 25), 1, D(2025, 4, 27)),
    (D(2025, 4, 30), 1, D(2025, 5, 6)),
    # --- 2025 National Day and Mid-autumn: Sunday 9-28 and Saturday 10-11 work, 10-1..10-8 off
    (D(2025, 9, 26), 1, D(2025, 9, 28)),
    (D(2025, 9, 30), 1, D(2025, 10, 9)),
    (D(2025, 9, 30), 3, D(2025, 10, 11)),
    (D(2025, 9, 26), 7, D(2025, 10, 13)),
    # --- 2025 → 2026 year end: 1-1..1-3 off, Sunday 1-4 works
    (D(2025, 12, 31), 1, D(2026, 1, 4)),
    (D(2025, 12, 31), 2, D(2026, 1, 5)),
    (D(2025, 12, 30), 7, D(2026, 1, 9)),
    # --- 2026 Spring Festival: Saturday 2-14 works, 2-15..2-23 off, Saturday 2-28 works
    (D(2026, 2, 13), 1, D(2026, 2, 14)),
    (D(2026, 2, 13), 2, D(2026, 2, 24)),
    (D(2026, 2, 14), 1, D(2026, 2, 24)),
    (D(2026, 2, 27), 1, D(2026, 2, 28)),
    (D(2026, 2, 27), 2, D(2026, 3, 2)),  # Sunday 3-1 is an ordinary rest day
    (D(2026, 2, 10), 7, D(2026, 2, 26)),
    (D(2026, 2, 10), 15, D(2026, 3, 9)),
    # --- 2026 Qingming (4-4..4-6) and Labour Day (5-1..5-5, Saturday 5-9 works)
    (D(2026, 4, 3), 1, D(2026, 4, 7)),
    (D(2026, 4, 30), 1, D(2026, 5, 6)),
    (D(2026, 5, 8), 1, D(2026, 5, 9)),
    (D(2026, 4, 28), 7, D(2026, 5, 11)),
    # --- 2026 Mid-autumn (9-25..9-27, Sunday 9-20 works) and National Day (10-1..10-7, Saturday 10-10 works)
    (D(2026, 9, 18), 1, D(2026, 9, 20)),
    (D(2026, 9, 24), 1, D(2026, 9, 28)),
    (D(2026, 9, 30), 1, D(2026, 10, 8)),
    (D(2026, 9, 30), 3, D(2026, 10, 10)),
    (D(2026, 9, 28), 7, D(2026, 10, 13)),
    # --- 2026 year end, still inside the loaded year
    (D(2026, 12, 30), 1, D(2026, 12, 31)),
    # --- zero days is the start itself
    (D(2026, 2, 15), 0, D(2026, 2, 15)),
]


@pytest.mark.parametrize(("start", "days", "expected"), ADD_WORKING_DAYS_CASES, ids=lambda v: str(v))
def test_add_working_days_follows_the_official_holiday_calendar(start, days, expected):
    assert add_working_days(start, days) == expected


IS_WORKDAY_CASES = [
    (D(2025, 1, 26), True),  # 春节调休 Sunday
    (D(2025, 2, 8), True),  # 春节调休 Saturday
    (D(2025, 1, 28), False),  # 春节 Tuesday
    (D(2025, 2, 4), False),  # the added 2025 Spring Festival day
    (D(2025, 4, 27), True),
    (D(2025, 5, 5), False),
    (D(2025, 9, 28), True),
    (D(2025, 10, 8), False),
    (D(2025, 10, 11), True),
    (D(2026, 1, 3), False),  # 元旦 Saturday
    (D(2026, 1, 4), True),  # 元旦调休 Sunday
    (D(2026, 2, 14), True),
    (D(2026, 2, 16), False),
    (D(2026, 2, 23), False),  # 春节 Monday
    (D(2026, 2, 28), True),
    (D(2026, 3, 7), False),  # an ordinary Saturday
    (D(2026, 3, 9), True),  # an ordinary Monday
    (D(2026, 5, 9), True),
    (D(2026, 6, 19), False),  # 端午 Friday
    (D(2026, 9, 20), True),
    (D(2026, 9, 25), False),  # 中秋 Friday
    (D(2026, 10, 10), True),
]


@pytest.mark.parametrize(("day", "expected"), IS_WORKDAY_CASES, ids=lambda v: str(v))
def test_is_workday_knows_holidays_and_make_up_days(day, expected):
    assert is_workday(day) is expected


@pytest.mark.parametrize(
    ("day", "is_workday_row"),
    [(D(2025, 1, 26), True), (D(2025, 2, 8), True), (D(2026, 2, 14), True), (D(2026, 2, 28), True),
     (D(2026, 2, 16), False), (D(2026, 10, 1), False)],
    ids=str,
)
def test_calendar_rows_loaded_by_the_migration_hold_the_exceptions(day, is_workday_row):
    assert CalendarDay.objects.get(date=day).is_workday is is_workday_row


def test_years_2025_and_2026_are_loaded_and_2027_is_not():
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert {2025, 2026} <= years
    assert 2027 not in years


def test_working_days_between_counts_the_days_after_start_up_to_end():
    # (2-13, 2-24]: 2-14 (make-up Saturday) and 2-24
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2


def test_working_days_between_is_the_inverse_of_add_working_days():
    start = D(2025, 9, 26)
    assert working_days_between(start, add_working_days(start, 7)) == 7


def test_adding_working_days_into_an_unknown_year_is_refused():
    with pytest.raises(CalendarYearUnknown) as error:
        add_working_days(D(2026, 12, 31), 1)
    assert error.value.message == "工作日历尚未载入2027年的国务院节假日安排，无法计算工作日期限，请联系系统管理员导入。"
    assert error.value.code == "calendar_year_unknown"


def test_a_deadline_that_runs_into_an_unknown_year_is_refused_rather_than_guessed():
    # 2026-12-28 + 15 working days necessarily crosses into January 2027.
    with pytest.raises(CalendarYearUnknown):
        add_working_days(D(2026, 12, 28), 15)


def test_is_workday_for_an_unknown_year_is_refused():
    with pytest.raises(CalendarYearUnknown):
        is_workday(D(2027, 1, 4))


def test_negative_day_counts_are_a_programming_error():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 5, 11), -1)


def test_work_calendar_loads_each_year_once(django_assert_num_queries):
    calendar = WorkCalendar()
    with django_assert_num_queries(2):  # CalendarYear exists + the year's exceptions
        for offset in range(60):
            calendar.is_workday(D(2026, 2, 1) + dt.timedelta(days=offset))
