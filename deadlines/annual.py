"""Reminders on fixed dates of the year, run once a day by Celery beat (idempotent):

* the calendar: from 1 December, administrators are warned every day until next
  year's State Council holiday notice is loaded (domain.md W8, R24);
* rules registered by the lifecycles with ``register_daily``, e.g. the catalog's
  1 December / 1 March / 20 March reminders (R1).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Role
from core.workdays import local_today

from . import rules, services

DAILY_JOBS: dict[str, Callable[[dt.date], int]] = {}


def register_daily(name: str, job: Callable[[dt.date], int]) -> None:
    DAILY_JOBS[name] = job


def at(day: dt.date, hour: int = services.REMINDER_HOUR) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def calendar_warning(today: dt.date) -> int:
    year = services.calendar_missing_next_year(today)
    if year is None:
        return 0
    admins = rules.users_with_roles(Role.ADMIN)
    # The subject is the person reminded: one warning per administrator per day.
    created = 0
    for admin in admins:
        created += services.reminder_schedule(
            subject=admin, rule="R24", step=f"calendar-{year}", due_at=at(today, 8), recipients=[admin],
            title=_("【工作日历】%(year)s年节假日安排尚未载入") % {"year": year},
            body=_("国务院办公厅每年11月前后公布下一年度节假日安排。%(year)s年的安排载入前，跨年的工作日期限无法计算，"
                   "相关到期日将显示为“待载入日历”。请在“工作日历导入”中导入。") % {"year": year},
            url="/work/calendar/",
        )
    return created


register_daily("calendar_warning", calendar_warning)


def run_daily(today: dt.date | None = None) -> dict:
    today = today or local_today()
    return {name: job(today) for name, job in DAILY_JOBS.items()}
