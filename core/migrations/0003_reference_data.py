"""Reference rows: the Huzhou hierarchy and the official holiday calendar
(2020–2026, from the chinesecalendar package's copy of the State Council notices)."""

from django.db import migrations

from core.reference_data import HUZHOU_BODIES

FIRST_YEAR, LAST_YEAR = 2020, 2026
CHINESE_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节", "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def load_departments(apps, schema_editor):
    Department = apps.get_model("core", "Department")
    by_code = {}
    for order, (code, name, short, kind, parent) in enumerate(HUZHOU_BODIES):
        by_code[code], _ = Department.objects.update_or_create(
            code=code,
            defaults={"name": name, "short_name": short, "kind": kind, "parent": by_code.get(parent),
                      "sort_order": order},
        )


def load_calendar(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    names = {}
    for day, name in chinese_calendar.holidays.items():
        if FIRST_YEAR <= day.year <= LAST_YEAR:
            names[day] = (False, CHINESE_NAMES.get(name, name or ""))
    for day, name in chinese_calendar.workdays.items():
        if FIRST_YEAR <= day.year <= LAST_YEAR and day.weekday() >= 5:
            names[day] = (True, f"{CHINESE_NAMES.get(name, name or '')}调休上班")
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        CalendarYear.objects.update_or_create(
            year=year, defaults={"source": f"国务院办公厅关于{year}年部分节假日安排的通知（chinesecalendar 1.11.0）"}
        )
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=day, is_workday=work, name=name[:50]) for day, (work, name) in sorted(names.items())],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [
        migrations.RunPython(load_departments, migrations.RunPython.noop),
        migrations.RunPython(load_calendar, migrations.RunPython.noop),
    ]
