"""Working days in the official calendar (Asia/Shanghai).

A day is a working day when it is Monday–Friday and not a statutory holiday,
or when it is a make-up working day (调休上班). Only years whose holiday
notice is loaded (``CalendarYear``) are known; any other year is refused rather
than treated as plain Monday–Friday.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import CalendarYearUnknown
from .models import CalendarDay, CalendarYear


def local_today() -> dt.date:
    return timezone.localdate()


class WorkCalendar:
    """Loads the exceptions of the years it needs once, then answers in memory."""

    def __init__(self) -> None:
        self._years: dict[int, dict[dt.date, tuple[bool, str]]] = {}

    def _year(self, year: int) -> dict[dt.date, tuple[bool, str]]:
        if year not in self._years:
            if not CalendarYear.objects.filter(year=year).exists():
                raise CalendarYearUnknown(
                    _("工作日历尚未载入%(year)s年的国务院节假日安排，无法计算工作日期限，请联系系统管理员导入。")
                    % {"year": year}
                )
            self._years[year] = {
                date: (is_workday, name)
                for date, is_workday, name in CalendarDay.objects.filter(date__year=year).values_list(
                    "date", "is_workday", "name"
                )
            }
        return self._years[year]

    def is_workday(self, day: dt.date) -> bool:
        exceptions = self._year(day.year)
        if day in exceptions:
            return exceptions[day][0]
        return day.weekday() < 5

    def day_name(self, day: dt.date) -> str:
        """The holiday or make-up day's name from the notice, or "" for an ordinary day."""
        return self._year(day.year).get(day, (None, ""))[1]


def is_workday(day: dt.date) -> bool:
    return WorkCalendar().is_workday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start``; counting begins the next day."""
    if days < 0:
        raise ValueError("days must be >= 0")
    calendar = WorkCalendar()
    current = start
    counted = 0
    while counted < days:
        current += dt.timedelta(days=1)
        if calendar.is_workday(current):
            counted += 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]."""
    calendar = WorkCalendar()
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if calendar.is_workday(current):
            count += 1
    return count
