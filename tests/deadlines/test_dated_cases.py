"""Dated cases for the legal-calendar engine, each due date counted by hand.

Counted from the rows core/migrations/0003 loaded into core_calendarday
(checked in the database before writing the table; ``test_calendar_rows_used_below``
pins the ones the counts rely on). Counting starts the day after the start
(《民法典》第二百零一条); "WD n" below is the n-th working day counted.

2024  元旦 1-1 · 春节 2-10..2-17
2025  元旦 1-1 · 春节 1-28(二)..2-4(二), 上班 1-26(日) 2-8(六) · 清明 4-4(五)..4-6
      劳动节 5-1(四)..5-5(一), 上班 4-27(日) · 端午 5-31(六)..6-2(一)
      国庆中秋 10-1(三)..10-8(三), 上班 9-28(日) 10-11(六)
2026  元旦 1-1(四)..1-3(六), 上班 1-4(日) · 春节 2-15(日)..2-23(一), 上班 2-14(六) 2-28(六)
      清明 4-4(六)..4-6(一) · 劳动节 5-1(五)..5-5(二), 上班 5-9(六) · 端午 6-19(五)..6-21
      中秋 9-25(五)..9-27, 上班 9-20(日) · 国庆 10-1(四)..10-7(三), 上班 10-10(六)
2027  not loaded
"""
import datetime as dt

import pytest

from core.exceptions import CalendarYearUnknown
from core.models import CalendarDay, Department
from deadlines import engine, rules, services
from deadlines.engine import ClockInput
from deadlines.models import DeadlinePolicy, LegalClock, Unit

pytestmark = pytest.mark.django_db

D = dt.date
WD, CD, MO = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.MONTHS


def test_calendar_rows_used_below():
    """The exceptions the hand counts rely on (W = 调休上班, R = 休息)."""
    rows = dict(CalendarDay.objects.filter(date__year__in=[2025, 2026]).values_list("date", "is_workday"))
    for day in ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
                "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]:
        assert rows[D.fromisoformat(day)] is True, day
    rest = [("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"), ("2025-05-01", "2025-05-05"),
            ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08"), ("2026-01-01", "2026-01-03"),
            ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"), ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"), ("2026-10-01", "2026-10-07")]
    for first, last in rest:
        day = D.fromisoformat(first)
        while day <= D.fromisoformat(last):
            assert rows[day] is False, day
            day += dt.timedelta(days=1)
    assert rows[D(2025, 1, 1)] is False
    assert D(2025, 12, 31) not in rows  # an ordinary Wednesday


# (start, length, unit, hand-counted due date)
DUE_CASES = [
    # ---- 2025 Spring Festival (1-28..2-4 off; Sun 1-26 and Sat 2-8 work)
    # Fri 1-24: Sat 1-25 off, Sun 1-26 WD1, Mon 1-27 WD2, 1-28..2-4 off, Wed 2-5 WD3
    pytest.param(D(2025, 1, 24), 3, WD, D(2025, 2, 5), id="2025-spring-3wd-via-makeup-sunday"),
    # Thu 1-23: Fri 1-24 WD1, Sat 1-25 off, Sun 1-26 (调休) WD2 — due on a Sunday
    pytest.param(D(2025, 1, 23), 2, WD, D(2025, 1, 26), id="2025-spring-due-on-makeup-sunday"),
    # Mon 1-27: 1-28..2-4 off, Wed 2-5 WD1
    pytest.param(D(2025, 1, 27), 1, WD, D(2025, 2, 5), id="2025-spring-1wd-skips-whole-festival"),
    # Mon 1-27: 2-5 WD1, 2-6 WD2, 2-7 WD3, Sat 2-8 (调休) WD4, Sun 2-9 off, Mon 2-10 WD5
    pytest.param(D(2025, 1, 27), 5, WD, D(2025, 2, 10), id="2025-spring-5wd-counts-makeup-saturday"),
    # Sat 2-1 (a holiday): 2-2..2-4 off, 2-5..2-7 WD1-3, Sat 2-8 WD4, Sun 2-9 off, 2-10..2-12 WD5-7
    pytest.param(D(2025, 2, 1), 7, WD, D(2025, 2, 12), id="2025-spring-7wd-starting-on-holiday"),
    # 1-13 + 15 days = Tue 1-28 (春节) → off through 2-4 → rolled to Wed 2-5
    pytest.param(D(2025, 1, 13), 15, CD, D(2025, 2, 5), id="2025-spring-15cd-rolled-past-festival"),
    # 2-1 + 7 days = Sat 2-8, a make-up working day: not rolled
    pytest.param(D(2025, 2, 1), 7, CD, D(2025, 2, 8), id="2025-spring-7cd-ends-on-makeup-saturday"),
    # 1-16 + 10 days = Sun 1-26, a make-up working day: not rolled
    pytest.param(D(2025, 1, 16), 10, CD, D(2025, 1, 26), id="2025-spring-10cd-ends-on-makeup-sunday"),
    # ---- 2025 New Year: Tue 12-31-2024, Wed 1-1 off, Thu 1-2 WD1
    pytest.param(D(2024, 12, 31), 1, WD, D(2025, 1, 2), id="2025-new-year-1wd"),
    # ---- 2025 Qingming (Fri 4-4..Sun 4-6 off, no make-up day)
    # Thu 4-3: 4-4, 4-5, 4-6 off, Mon 4-7 WD1
    pytest.param(D(2025, 4, 3), 1, WD, D(2025, 4, 7), id="2025-qingming-1wd"),
    # 3-25 + 10 days = Fri 4-4 (清明) → 4-5, 4-6 off → Mon 4-7
    pytest.param(D(2025, 3, 25), 10, CD, D(2025, 4, 7), id="2025-qingming-10cd-rolled"),
    # ---- 2025 Labour Day (Thu 5-1..Mon 5-5 off; Sun 4-27 works)
    # Fri 4-25: Sat 4-26 off, Sun 4-27 WD1, Mon 4-28 WD2, Tue 4-29 WD3
    pytest.param(D(2025, 4, 25), 3, WD, D(2025, 4, 29), id="2025-labour-3wd-via-makeup-sunday"),
    # Wed 4-30: 5-1..5-5 off, Tue 5-6 WD1
    pytest.param(D(2025, 4, 30), 1, WD, D(2025, 5, 6), id="2025-labour-1wd"),
    # Mon 4-28: 4-29 WD1, 4-30 WD2, 5-1..5-5 off, 5-6 WD3, 5-7 WD4, 5-8 WD5
    pytest.param(D(2025, 4, 28), 5, WD, D(2025, 5, 8), id="2025-labour-5wd"),
    # ---- 2025 Dragon Boat (Sat 5-31..Mon 6-2 off)
    # Fri 5-30: 5-31, 6-1, 6-2 off, Tue 6-3 WD1
    pytest.param(D(2025, 5, 30), 1, WD, D(2025, 6, 3), id="2025-dragon-boat-1wd"),
    # 5-2 + 30 days = Sun 6-1 (端午) → Mon 6-2 off → Tue 6-3
    pytest.param(D(2025, 5, 2), 30, CD, D(2025, 6, 3), id="2025-dragon-boat-30cd-rolled"),
    # ---- 2025 National Day (Wed 10-1..Wed 10-8 off; Sun 9-28 and Sat 10-11 work)
    # Fri 9-26: Sat 9-27 off, Sun 9-28 WD1, Mon 9-29 WD2, Tue 9-30 WD3
    pytest.param(D(2025, 9, 26), 3, WD, D(2025, 9, 30), id="2025-national-3wd-via-makeup-sunday"),
    # Tue 9-30: 10-1..10-8 off, Thu 10-9 WD1
    pytest.param(D(2025, 9, 30), 1, WD, D(2025, 10, 9), id="2025-national-1wd"),
    # Tue 9-30: Thu 10-9 WD1, Fri 10-10 WD2, Sat 10-11 (调休) WD3 — due on a Saturday
    pytest.param(D(2025, 9, 30), 3, WD, D(2025, 10, 11), id="2025-national-due-on-makeup-saturday"),
    # Fri 9-26: 9-28 WD1, 9-29 WD2, 9-30 WD3, 10-1..10-8 off, 10-9 WD4, 10-10 WD5, 10-11 WD6, Sun 10-12 off,
    # Mon 10-13 WD7
    pytest.param(D(2025, 9, 26), 7, WD, D(2025, 10, 13), id="2025-national-7wd"),
    # 9-20 + 15 days = Sun 10-5 (国庆) → 10-6..10-8 off → Thu 10-9
    pytest.param(D(2025, 9, 20), 15, CD, D(2025, 10, 9), id="2025-national-15cd-rolled"),
    # 10-1 + 10 days = Sat 10-11, a make-up working day: not rolled
    pytest.param(D(2025, 10, 1), 10, CD, D(2025, 10, 11), id="2025-national-10cd-ends-on-makeup-saturday"),
    # 9-18 + 10 days = Sun 9-28, a make-up working day: not rolled
    pytest.param(D(2025, 9, 18), 10, CD, D(2025, 9, 28), id="2025-national-10cd-ends-on-makeup-sunday"),
    # ---- 2025 → 2026 year end (Thu 1-1..Sat 1-3 off; Sun 1-4 works)
    # Wed 12-31: 1-1, 1-2, 1-3 off, Sun 1-4 WD1
    pytest.param(D(2025, 12, 31), 1, WD, D(2026, 1, 4), id="2026-new-year-1wd-lands-on-makeup-sunday"),
    # Mon 12-29: Tue 12-30 WD1, Wed 12-31 WD2, 1-1..1-3 off, Sun 1-4 WD3, Mon 1-5 WD4, Tue 1-6 WD5
    pytest.param(D(2025, 12, 29), 5, WD, D(2026, 1, 6), id="2026-new-year-5wd-across-year-end"),
    # 12-22 + 10 days = Thu 1-1 (元旦) → 1-2, 1-3 off → Sun 1-4, a working day
    pytest.param(D(2025, 12, 22), 10, CD, D(2026, 1, 4), id="2026-new-year-10cd-rolled-to-makeup-sunday"),
    # ---- 2026 Spring Festival (Sun 2-15..Mon 2-23 off; Sat 2-14 and Sat 2-28 work)
    # Fri 2-13: Sat 2-14 (调休) WD1
    pytest.param(D(2026, 2, 13), 1, WD, D(2026, 2, 14), id="2026-spring-1wd-lands-on-makeup-saturday"),
    # Fri 2-13: Sat 2-14 WD1, 2-15..2-23 off, Tue 2-24 WD2
    pytest.param(D(2026, 2, 13), 2, WD, D(2026, 2, 24), id="2026-spring-2wd-skips-festival"),
    # Thu 2-12: Fri 2-13 WD1, Sat 2-14 WD2, 2-15..2-23 off, 2-24..2-27 WD3-6, Sat 2-28 WD7
    pytest.param(D(2026, 2, 12), 7, WD, D(2026, 2, 28), id="2026-spring-7wd-both-makeup-saturdays"),
    # Sun 2-15 (a holiday): 2-16..2-23 off, 2-24..2-27 WD1-4, Sat 2-28 WD5
    pytest.param(D(2026, 2, 15), 5, WD, D(2026, 2, 28), id="2026-spring-5wd-starting-on-holiday"),
    # Mon 2-9: 2-10..2-13 WD1-4, 2-14 WD5, 2-15..2-23 off, 2-24..2-27 WD6-9, 2-28 WD10, Sun 3-1 off, Mon 3-2 WD11
    pytest.param(D(2026, 2, 9), 11, WD, D(2026, 3, 2), id="2026-spring-11wd"),
    # 2-1 + 15 days = Mon 2-16 (春节) → off through 2-23 → Tue 2-24
    pytest.param(D(2026, 2, 1), 15, CD, D(2026, 2, 24), id="2026-spring-15cd-rolled-past-festival"),
    # 2-4 + 10 days = Sat 2-14, a make-up working day: not rolled
    pytest.param(D(2026, 2, 4), 10, CD, D(2026, 2, 14), id="2026-spring-10cd-ends-on-makeup-saturday"),
    # 1-29 + 30 days = Sat 2-28 (1-31 is day 2, 2-28 day 30), a make-up working day: not rolled
    pytest.param(D(2026, 1, 29), 30, CD, D(2026, 2, 28), id="2026-spring-30cd-ends-on-second-makeup-saturday"),
    # ---- ordinary weekends (no notice involved)
    # 3-4 + 10 days = Sat 3-14 → Sun 3-15 off → Mon 3-16
    pytest.param(D(2026, 3, 4), 10, CD, D(2026, 3, 16), id="2026-10cd-ends-on-ordinary-saturday"),
    # Sat 3-7: Sun 3-8 off, Mon 3-9 WD1
    pytest.param(D(2026, 3, 7), 1, WD, D(2026, 3, 9), id="2026-1wd-starting-on-saturday"),
    # Fri 3-6: 3-7, 3-8 off, 3-9..3-13 WD1-5
    pytest.param(D(2026, 3, 6), 5, WD, D(2026, 3, 13), id="2026-5wd-from-friday"),
    # ---- 2026 Qingming (Sat 4-4..Mon 4-6 off, no make-up day)
    # Fri 4-3: 4-4, 4-5, 4-6 off, Tue 4-7 WD1
    pytest.param(D(2026, 4, 3), 1, WD, D(2026, 4, 7), id="2026-qingming-1wd"),
    # ---- 2026 Labour Day (Fri 5-1..Tue 5-5 off; Sat 5-9 works)
    # Thu 4-30: 5-1..5-5 off, Wed 5-6 WD1, Thu 5-7 WD2, Fri 5-8 WD3
    pytest.param(D(2026, 4, 30), 3, WD, D(2026, 5, 8), id="2026-labour-3wd"),
    # Thu 4-30: ... 5-8 WD3, Sat 5-9 (调休) WD4
    pytest.param(D(2026, 4, 30), 4, WD, D(2026, 5, 9), id="2026-labour-4wd-lands-on-makeup-saturday"),
    # 4-21 + 10 days = Fri 5-1 (劳动节) → 5-2..5-5 off → Wed 5-6
    pytest.param(D(2026, 4, 21), 10, CD, D(2026, 5, 6), id="2026-labour-10cd-rolled"),
    # ---- 2026 Dragon Boat (Fri 6-19..Sun 6-21 off)
    # Thu 6-18: 6-19, 6-20, 6-21 off, Mon 6-22 WD1
    pytest.param(D(2026, 6, 18), 1, WD, D(2026, 6, 22), id="2026-dragon-boat-1wd"),
    # ---- 2026 Mid-Autumn and National Day (Fri 9-25..Sun 9-27 off; Thu 10-1..Wed 10-7 off;
    #      Sun 9-20 and Sat 10-10 work)
    # Fri 9-18: Sat 9-19 off, Sun 9-20 (调休) WD1, Mon 9-21 WD2
    pytest.param(D(2026, 9, 18), 2, WD, D(2026, 9, 21), id="2026-national-2wd-via-makeup-sunday"),
    # Tue 9-22: 9-23 WD1, 9-24 WD2, 9-25..9-27 off, 9-28 WD3, 9-29 WD4, 9-30 WD5
    pytest.param(D(2026, 9, 22), 5, WD, D(2026, 9, 30), id="2026-mid-autumn-5wd"),
    # Wed 9-30: 10-1..10-7 off, Thu 10-8 WD1
    pytest.param(D(2026, 9, 30), 1, WD, D(2026, 10, 8), id="2026-national-1wd"),
    # Wed 9-30: 10-8 WD1, Fri 10-9 WD2, Sat 10-10 (调休) WD3
    pytest.param(D(2026, 9, 30), 3, WD, D(2026, 10, 10), id="2026-national-3wd-lands-on-makeup-saturday"),
    # Mon 9-14 (20 WD, the publication period): 9-15..9-18 WD1-4, Sat 9-19 off, Sun 9-20 WD5, 9-21..9-24 WD6-9,
    # 9-25..9-27 off, 9-28..9-30 WD10-12, 10-1..10-7 off, 10-8 WD13, 10-9 WD14, Sat 10-10 WD15, Sun 10-11 off,
    # 10-12..10-16 WD16-20
    pytest.param(D(2026, 9, 14), 20, WD, D(2026, 10, 16), id="2026-national-20wd"),
    # 9-24 + 7 days = Thu 10-1 (国庆) → off through 10-7 → Thu 10-8
    pytest.param(D(2026, 9, 24), 7, CD, D(2026, 10, 8), id="2026-national-7cd-rolled"),
    # 9-30 + 10 days = Sat 10-10, a make-up working day: not rolled
    pytest.param(D(2026, 9, 30), 10, CD, D(2026, 10, 10), id="2026-national-10cd-ends-on-makeup-saturday"),
    # 9-10 + 10 days = Sun 9-20, a make-up working day: not rolled
    pytest.param(D(2026, 9, 10), 10, CD, D(2026, 9, 20), id="2026-national-10cd-ends-on-makeup-sunday"),
    # ---- month periods (《民法典》第二百零二条: no corresponding day → the month's last day)
    # 2025-1-31 + 1 month: no 2-31 → Fri 2-28, a working day
    pytest.param(D(2025, 1, 31), 1, MO, D(2025, 2, 28), id="month-jan31-plus-1-2025"),
    # 2026-1-31 + 1 month → Sat 2-28, the make-up working day: not rolled
    pytest.param(D(2026, 1, 31), 1, MO, D(2026, 2, 28), id="month-jan31-plus-1-2026-makeup-saturday"),
    # 2024-1-31 + 1 month → Thu 2-29 (leap year)
    pytest.param(D(2024, 1, 31), 1, MO, D(2024, 2, 29), id="month-jan31-plus-1-leap-year"),
    # 2025-8-31 + 1 month → Tue 9-30
    pytest.param(D(2025, 8, 31), 1, MO, D(2025, 9, 30), id="month-aug31-plus-1"),
    # 2026-1-15 + 1 month = Sun 2-15 (春节) → off through 2-23 → Tue 2-24
    pytest.param(D(2026, 1, 15), 1, MO, D(2026, 2, 24), id="month-ends-in-spring-festival-rolled"),
    # 2025-12-1 + 10 months = Thu 2026-10-1 (国庆) → off through 10-7 → Thu 10-8
    pytest.param(D(2025, 12, 1), 10, MO, D(2026, 10, 8), id="month-10-ends-on-national-day-rolled"),
]


@pytest.mark.parametrize(("started_on", "length", "unit", "due_on"), DUE_CASES)
def test_due_date(started_on, length, unit, due_on):
    result = engine.compute(ClockInput(started_on=started_on, length=length, unit=unit))
    assert (result.due_on, result.paused) == (due_on, False)


# (input, hand-counted due date)
PAUSE_AND_EXTENSION_CASES = [
    # Mon 3-2, 10 WD, paused 3-4..resumed 3-10: 3-3 WD1, 3-4 WD2 (the pause day itself counts),
    # 3-5..3-10 do not count, 3-11 WD3, 3-12 WD4, 3-13 WD5, 3-16..3-20 WD6-10
    pytest.param(ClockInput(D(2026, 3, 2), 10, WD, pauses=((D(2026, 3, 4), D(2026, 3, 10)),)), D(2026, 3, 20),
                 id="closed-pause-working-days"),
    # 3-2, 30 days, paused 3-10..3-15: 3-3..3-10 days 1-8, 3-11..3-15 skipped, 3-16..3-31 days 9-24,
    # 4-1..4-6 days 25-30; Mon 4-6 is 清明 → Tue 4-7
    pytest.param(ClockInput(D(2026, 3, 2), 30, CD, pauses=((D(2026, 3, 10), D(2026, 3, 15)),)), D(2026, 4, 7),
                 id="closed-pause-calendar-days-then-rolled-past-qingming"),
    # 1-10 + 1 month = 2-10, plus the 5 paused days 1-21..1-25 = Sun 2-15 (春节) → Tue 2-24
    pytest.param(ClockInput(D(2026, 1, 10), 1, MO, pauses=((D(2026, 1, 20), D(2026, 1, 25)),)), D(2026, 2, 24),
                 id="closed-pause-month-then-rolled-past-spring-festival"),
    # Mon 3-2, 15 + 15 WD: 3-3..3-6 WD1-4, 3-9..3-13 WD5-9, 3-16..3-20 WD10-14, 3-23..3-27 WD15-19,
    # 3-30, 3-31 WD20-21, 4-1..4-3 WD22-24, 4-4..4-6 off (清明), 4-7..4-10 WD25-28, 4-13 WD29, 4-14 WD30
    pytest.param(ClockInput(D(2026, 3, 2), 15, WD, extension_length=15), D(2026, 4, 14),
                 id="extension-working-days-across-qingming"),
    # 3-2 + 30 + 30 days = Fri 5-1 (劳动节) → 5-2..5-5 off → Wed 5-6
    pytest.param(ClockInput(D(2026, 3, 2), 30, CD, extension_length=30), D(2026, 5, 6),
                 id="extension-calendar-days-rolled-past-labour-day"),
    # the closed-pause case above ends on 3-20 after 10 WD; 5 more: 3-23..3-27
    pytest.param(ClockInput(D(2026, 3, 2), 10, WD, pauses=((D(2026, 3, 4), D(2026, 3, 10)),), extension_length=5),
                 D(2026, 3, 27), id="closed-pause-and-extension"),
    # 2025-1-31 + 1 + 1 month → 3-31 (Mon)
    pytest.param(ClockInput(D(2025, 1, 31), 1, MO, extension_length=1), D(2025, 3, 31), id="extension-month"),
]


@pytest.mark.parametrize(("data", "due_on"), PAUSE_AND_EXTENSION_CASES)
def test_due_date_with_pauses_and_extensions(data, due_on):
    assert engine.compute(data).due_on == due_on


OPEN_PAUSE_CASES = [
    # Mon 3-2, 10 WD, paused 3-6: 3-3..3-6 WD1-4 counted → 6 left
    pytest.param(ClockInput(D(2026, 3, 2), 10, WD, pauses=((D(2026, 3, 6), None),)), 6, id="open-pause-working-days"),
    # 3-2, 30 days, paused 3-12: 3-3..3-12 = 10 days counted → 20 left
    pytest.param(ClockInput(D(2026, 3, 2), 30, CD, pauses=((D(2026, 3, 12), None),)), 20,
                 id="open-pause-calendar-days"),
    # Fri 2-13, 5 WD, paused Tue 2-24: 2-14 WD1, 2-15..2-23 off, 2-24 WD2 → 3 left
    pytest.param(ClockInput(D(2026, 2, 13), 5, WD, pauses=((D(2026, 2, 24), None),)), 3,
                 id="open-pause-after-spring-festival"),
]


@pytest.mark.parametrize(("data", "remaining"), OPEN_PAUSE_CASES)
def test_open_pause_freezes_the_remaining_count(data, remaining):
    result = engine.compute(data)
    assert (result.paused, result.due_on, result.remaining_when_paused) == (True, None, remaining)


# (input, hand-counted due date, hand-counted warning date)
WARN_CASES = [
    # Mon 2-9, 11 WD → Mon 3-2; 3 WD back: Sun 3-1 off, Sat 2-28 (调休) 1, Fri 2-27 2, Thu 2-26 3
    pytest.param(ClockInput(D(2026, 2, 9), 11, WD, warn_before=3), D(2026, 3, 2), D(2026, 2, 26),
                 id="warn-3wd-back-over-makeup-saturday"),
    # Fri 2-13, 2 WD → Tue 2-24; 1 WD back: 2-23..2-15 off, Sat 2-14 (调休) 1
    pytest.param(ClockInput(D(2026, 2, 13), 2, WD, warn_before=1), D(2026, 2, 24), D(2026, 2, 14),
                 id="warn-1wd-back-across-spring-festival"),
    # Mon 3-2, 2 WD → Wed 3-4; 5 WD back reaches the start → the start day
    pytest.param(ClockInput(D(2026, 3, 2), 2, WD, warn_before=5), D(2026, 3, 4), D(2026, 3, 2),
                 id="warn-clipped-to-start"),
    # 3-2 + 30 days = Wed 4-1; 3 calendar days before = 3-29
    pytest.param(ClockInput(D(2026, 3, 2), 30, CD, warn_before=3), D(2026, 4, 1), D(2026, 3, 29),
                 id="warn-3cd"),
    # 9-20 + 15 days → rolled to Thu 2025-10-9; 3 calendar days before the (rolled) due date = 10-6
    pytest.param(ClockInput(D(2025, 9, 20), 15, CD, warn_before=3), D(2025, 10, 9), D(2025, 10, 6),
                 id="warn-3cd-before-rolled-due-date"),
    # 2025-11-15 + 3 months = Sun 2026-2-15 (春节) → Tue 2-24; 1 month before = 1-24
    pytest.param(ClockInput(D(2025, 11, 15), 3, MO, warn_before=1), D(2026, 2, 24), D(2026, 1, 24),
                 id="warn-1-month"),
]


@pytest.mark.parametrize(("data", "due_on", "warn_on"), WARN_CASES)
def test_warning_date(data, due_on, warn_on):
    result = engine.compute(data)
    assert (result.due_on, result.warn_on) == (due_on, warn_on)


FIXED_CASES = [
    # a fixed date is never moved, even on a holiday (Sun 2026-2-15); 7 days before = 2-8
    pytest.param(ClockInput(D(2026, 1, 5), None, CD, fixed_due_on=D(2026, 2, 15), warn_before=7),
                 D(2026, 2, 15), D(2026, 2, 8), id="fixed-on-holiday-not-moved"),
    # a fixed date in 2027 needs no calendar
    pytest.param(ClockInput(D(2026, 11, 2), None, CD, fixed_due_on=D(2027, 3, 1), warn_before=30),
                 D(2027, 3, 1), D(2027, 1, 30), id="fixed-in-unknown-year"),
]


@pytest.mark.parametrize(("data", "due_on", "warn_on"), FIXED_CASES)
def test_fixed_due_date(data, due_on, warn_on):
    result = engine.compute(data)
    assert (result.due_on, result.warn_on) == (due_on, warn_on)


# (due date, unit, today, hand-counted days left)
DAYS_LEFT_CASES = [
    # working days in (2-13, 2-24]: Sat 2-14 (调休), Tue 2-24 → 2
    pytest.param(D(2026, 2, 24), WD, D(2026, 2, 13), 2, id="wd-left-across-spring-festival"),
    # working days in (9-30, 10-8]: only 10-8 → 1
    pytest.param(D(2026, 10, 8), WD, D(2026, 9, 30), 1, id="wd-left-across-national-day"),
    pytest.param(D(2026, 5, 11), WD, D(2026, 5, 11), 0, id="wd-left-due-today"),
    # overdue: working days in (2-13, 2-24] → -2
    pytest.param(D(2026, 2, 13), WD, D(2026, 2, 24), -2, id="wd-overdue-across-spring-festival"),
    # overdue: working days in (2025-9-30, 10-9]: only 10-9 → -1
    pytest.param(D(2025, 9, 30), WD, D(2025, 10, 9), -1, id="wd-overdue-across-national-day"),
    # calendar: 2-13 → 2-24 is 11 days, either way
    pytest.param(D(2026, 2, 24), CD, D(2026, 2, 13), 11, id="cd-left"),
    pytest.param(D(2026, 2, 13), CD, D(2026, 2, 24), -11, id="cd-overdue"),
    # month clocks show calendar days: 2-28 → 3-31 is 31 days
    pytest.param(D(2026, 3, 31), MO, D(2026, 2, 28), 31, id="month-clock-left-in-days"),
]


@pytest.mark.parametrize(("due_on", "unit", "today", "left"), DAYS_LEFT_CASES)
def test_days_left(due_on, unit, today, left):
    assert engine.days_left(due_on=due_on, unit=unit, today=today) == left


# ---------------------------------------------------------------- explanation
def test_explanation_names_skipped_holidays_and_makeup_days():
    result = engine.compute(ClockInput(D(2026, 2, 12), 7, WD, rule_label="合法性审查", source="条例第二十六条"))
    text = "\n".join(result.steps)
    assert "2月15日至2月23日春节" in text
    assert "共9天" in text
    assert "2026年2月14日（星期六）春节调休上班" in text
    assert "2026年2月28日（星期六）春节调休上班" in text
    assert result.steps[-1] == "到期日：2026年2月28日（星期六）24时。"


def test_explanation_says_when_the_last_day_was_rolled_forward():
    result = engine.compute(ClockInput(D(2026, 9, 24), 7, CD))
    assert "期限最后一日2026年10月1日（星期四）为休息日，顺延至休息日结束的次日。" in result.steps
    assert result.rolled_from == D(2026, 10, 1)


# ---------------------------------------------------------------- unknown year
@pytest.mark.parametrize("data", [
    pytest.param(ClockInput(D(2026, 12, 28), 5, WD), id="working-days-into-2027"),
    pytest.param(ClockInput(D(2026, 12, 20), 30, CD), id="calendar-days-ending-in-2027"),
    pytest.param(ClockInput(D(2026, 12, 15), 1, MO), id="month-ending-in-2027"),
])
def test_a_period_reaching_2027_is_refused(data):
    with pytest.raises(CalendarYearUnknown) as refused:
        engine.compute(data)
    assert "2027" in refused.value.message


def test_a_working_day_period_ending_on_the_last_day_of_2026_needs_no_2027():
    # Mon 12-28: 12-29 WD1, 12-30 WD2, 12-31 WD3 (no 2026 exception after 10-10)
    assert engine.compute(ClockInput(D(2026, 12, 28), 3, WD)).due_on == D(2026, 12, 31)


@pytest.fixture
def probe_rule():
    """A throwaway rule reading a policy row created here (10 working days)."""
    DeadlinePolicy.objects.create(code="test.calendar_probe", name="测试期限", length=10, unit=WD,
                                  kind="statutory", warn_before=2, source="测试依据", effective_from=D(2020, 1, 1))
    rule = rules.register(rules.ClockRule(code="test.calendar_probe", reminder="R0", label="测试期限",
                                          policy="test.calendar_probe", recipients=lambda clock, subject: [],
                                          url=lambda subject: ""))
    yield rule
    rules.RULES.pop(rule.code, None)


def test_clock_needing_2027_is_saved_pending_without_a_due_date(probe_rule):
    subject = Department.objects.get(code="hz-drc")
    clock = services.clock_start(subject=subject, rule=probe_rule.code, actor=None, started_on=D(2026, 12, 21))
    clock.refresh_from_db()
    assert (clock.calendar_pending, clock.due_on, clock.warn_on, clock.status) == (
        True, None, None, LegalClock.Status.RUNNING)
