"""The legal-calendar engine: a clock's due date, warning date and days left,
with a step-by-step explanation of how the due date was reached.

Pure computation over a ``WorkCalendar``; nothing here writes. Rules applied:

* counting starts the day after the trigger (《民法典》第二百零一条);
* working-day periods count only working days of the official calendar, so
  statutory holidays and weekends are skipped and make-up working days (调休上班)
  count (《行政处罚法》第八十五条; 《重大行政决策程序暂行条例》第二十六条);
* a calendar-day or month period whose last day is a rest day ends on the next
  working day (《民法典》第二百零三条); a fixed due date is never moved;
* the days of a pause (中止) — after the day it began, up to and including the
  day it ended — do not count; an open pause freezes the remaining time;
* an extension adds its length, in the same unit, once.
"""
from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.workdays import WorkCalendar

from .models import Unit

WEEKDAYS = "一二三四五六日"


def fmt(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later; the month's last day when it has none (《民法典》第二百零二条)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ClockInput:
    started_on: dt.date
    length: int | None
    unit: str
    fixed_due_on: dt.date | None = None
    pauses: tuple[tuple[dt.date, dt.date | None], ...] = ()
    extension_length: int = 0
    warn_before: int = 0
    rule_label: str = ""
    source: str = ""
    kind_label: str = ""

    @classmethod
    def of(cls, clock) -> ClockInput:
        return cls(
            started_on=clock.started_on, length=clock.length, unit=clock.unit, fixed_due_on=clock.fixed_due_on,
            pauses=tuple((p.paused_on, p.resumed_on) for p in clock.pauses.all()) if clock.pk else (),
            extension_length=clock.extension_length, warn_before=clock.warn_before,
            rule_label=clock.policy.name if clock.policy_id else clock.label,
            source=clock.source, kind_label=clock.get_kind_display(),
        )


@dataclass
class Computation:
    due_on: dt.date | None = None
    warn_on: dt.date | None = None
    paused: bool = False
    remaining_when_paused: int | None = None
    steps: list[str] = field(default_factory=list)
    skipped_holidays: list[tuple[dt.date, str]] = field(default_factory=list)
    skipped_weekend_days: list[dt.date] = field(default_factory=list)
    makeup_workdays: list[tuple[dt.date, str]] = field(default_factory=list)
    paused_days: int = 0
    rolled_from: dt.date | None = None


def _in_pause(day: dt.date, pauses) -> tuple[bool, bool]:
    """(is the day inside a pause, is that pause still open)."""
    for paused_on, resumed_on in pauses:
        if day > paused_on and (resumed_on is None or day <= resumed_on):
            return True, resumed_on is None
    return False, False


def _unit_text(length: int, unit: str) -> str:
    return f"{length}{Unit(unit).label}"


def _group_holidays(days: list[tuple[dt.date, str]]) -> list[str]:
    groups: list[list] = []
    for day, name in days:
        if groups and groups[-1][2] == name and (day - groups[-1][1]).days == 1:
            groups[-1][1] = day
        else:
            groups.append([day, day, name])
    parts = []
    for first, last, name in groups:
        span = f"{first.month}月{first.day}日" if first == last else f"{first.month}月{first.day}日至{last.month}月{last.day}日"
        parts.append(f"{span}{name}")
    return parts


def compute(data: ClockInput, calendar: WorkCalendar | None = None) -> Computation:
    """Compute the due date. Raises ``CalendarYearUnknown`` when a needed year is not loaded."""
    calendar = calendar or WorkCalendar()
    result = Computation()
    if data.rule_label or data.source:
        basis = data.rule_label
        if data.length is not None and data.unit:
            basis += f"：{_unit_text(data.length, data.unit)}"
        if data.kind_label:
            basis += f"（{data.kind_label}）"
        result.steps.append(_("依据：%(basis)s，%(source)s。") % {"basis": basis, "source": data.source})
    if data.fixed_due_on is not None:
        result.due_on = data.fixed_due_on
        result.steps.append(_("到期日为指定日期：%(day)s。") % {"day": fmt(data.fixed_due_on)})
    else:
        _count(data, calendar, result)
        if result.paused:
            return result
    for paused_on, resumed_on in data.pauses:
        if resumed_on is not None:
            result.steps.append(
                _("中止：%(start)s起至%(end)s止，期间不计入期限。") % {"start": fmt(paused_on), "end": fmt(resumed_on)}
            )
    if data.extension_length:
        result.steps.append(_("经批准延长%(ext)s。") % {"ext": _unit_text(data.extension_length, data.unit or Unit.CALENDAR_DAYS)})
    if result.rolled_from:
        result.steps.append(_("期限最后一日%(day)s为休息日，顺延至休息日结束的次日。") % {"day": fmt(result.rolled_from)})
    result.steps.append(_("到期日：%(day)s24时。") % {"day": fmt(result.due_on)})
    result.warn_on = warn_date(result.due_on, data, calendar)
    return result


def _count(data: ClockInput, calendar: WorkCalendar, result: Computation) -> None:
    total = (data.length or 0) + data.extension_length
    start = data.started_on
    result.steps.append(_("起算：%(day)s，自次日开始计算。") % {"day": fmt(start)})
    if data.unit == Unit.MONTHS:
        due = add_months(start, total)
        day = start
        while day < due:
            day += dt.timedelta(days=1)
            inside, still_open = _in_pause(day, data.pauses)
            if still_open:
                result.paused = True
                result.steps.append(_("期限已中止，恢复后继续计算。"))
                return
            if inside:
                result.paused_days += 1
                due += dt.timedelta(days=1)
        result.due_on = _roll_forward(due, calendar, result)
        return
    counted, day = 0, start
    while counted < total:
        day += dt.timedelta(days=1)
        inside, still_open = _in_pause(day, data.pauses)
        if still_open:
            result.paused = True
            result.remaining_when_paused = total - counted
            result.steps.append(
                _("期限已中止：已计%(used)s，剩余%(left)s，恢复后继续计算。")
                % {"used": _unit_text(counted, data.unit), "left": _unit_text(total - counted, data.unit)}
            )
            return
        if inside:
            result.paused_days += 1
            continue
        if data.unit == Unit.WORKING_DAYS:
            if calendar.is_workday(day):
                counted += 1
                if day.weekday() >= 5:
                    result.makeup_workdays.append((day, calendar.day_name(day) or _("调休上班")))
            elif calendar.day_name(day):
                result.skipped_holidays.append((day, calendar.day_name(day)))
            else:
                result.skipped_weekend_days.append(day)
        else:
            counted += 1
    if data.unit == Unit.WORKING_DAYS:
        if result.skipped_holidays:
            result.steps.append(_("跳过法定节假日：%(days)s，共%(n)s天。") % {
                "days": "；".join(_group_holidays(result.skipped_holidays)), "n": len(result.skipped_holidays)})
        if result.skipped_weekend_days:
            result.steps.append(_("跳过周末休息日%(n)s天。") % {"n": len(result.skipped_weekend_days)})
        if result.makeup_workdays:
            result.steps.append(_("计入调休上班日：%(days)s。") % {
                "days": "、".join(f"{fmt(d)}{name}" for d, name in result.makeup_workdays)})
        result.due_on = day
    else:
        result.due_on = _roll_forward(day, calendar, result)


def _roll_forward(day: dt.date, calendar: WorkCalendar, result: Computation) -> dt.date:
    if calendar.is_workday(day):
        return day
    result.rolled_from = day
    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def warn_date(due_on: dt.date, data: ClockInput, calendar: WorkCalendar) -> dt.date | None:
    """The day the clock turns amber: ``warn_before`` units before the due date."""
    if not data.warn_before:
        return None
    if data.unit == Unit.WORKING_DAYS and data.fixed_due_on is None:
        day, counted = due_on, 0
        while counted < data.warn_before:
            day -= dt.timedelta(days=1)
            if day <= data.started_on:
                return data.started_on
            if calendar.is_workday(day):
                counted += 1
        return day
    if data.unit == Unit.MONTHS:
        return max(add_months(due_on, -data.warn_before), data.started_on)
    return max(due_on - dt.timedelta(days=data.warn_before), data.started_on)


def days_left(*, due_on: dt.date, unit: str, today: dt.date, calendar: WorkCalendar | None = None) -> int:
    """Units left until the due date (negative when overdue), in the clock's own unit
    (working days for working-day clocks, calendar days otherwise)."""
    if unit != Unit.WORKING_DAYS:
        return (due_on - today).days
    calendar = calendar or WorkCalendar()
    if today <= due_on:
        return sum(1 for n in range(1, (due_on - today).days + 1) if calendar.is_workday(today + dt.timedelta(days=n)))
    return -sum(1 for n in range(1, (today - due_on).days + 1) if calendar.is_workday(due_on + dt.timedelta(days=n)))
