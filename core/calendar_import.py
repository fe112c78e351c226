"""Reading a year's holiday notice typed or uploaded by an administrator.

One line per day: ``2027-01-01,休,元旦`` or ``2027-02-07,班,春节调休上班``
(comma or tab; 休/班, rest/work or 0/1; the name may be left out for a make-up
day). The parser only reads and checks lines, naming the line of each problem;
``deadlines.services.calendar_year_import`` writes and re-checks.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

#: The kinds a line may give, and whether that kind is a working day.
KINDS = {"休": False, "休息": False, "rest": False, "0": False,
         "班": True, "上班": True, "work": True, "1": True}
HEADER_WORDS = {"日期", "date"}
SEPARATOR = re.compile(r"[,，\t]")
MAX_BYTES = 100_000
NAME_MAX = 50

Row = tuple[dt.date, bool, str]


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def decode_upload(data: bytes) -> str:
    """The text of an uploaded CSV file (UTF-8, with or without BOM). Raises ``ValueError`` in Chinese."""
    if len(data) > MAX_BYTES:
        raise ValueError(_("文件过大（不超过100KB）。"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(_("文件不是UTF-8编码，请另存为“CSV UTF-8”后再上传。")) from None


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text.replace("/", "-"), "%Y-%m-%d").date()
    except ValueError:
        return None


def _parse_line(number: int, cells: list[str], year: int) -> tuple[Row | None, str]:
    day = _parse_date(cells[0])
    if day is None:
        return None, _("第%(n)s行：日期“%(text)s”无法识别，应写作2027-01-01。") % {"n": number, "text": cells[0]}
    if day.year != year:
        return None, _("第%(n)s行：%(day)s不属于%(year)s年。") % {"n": number, "day": day, "year": year}
    kind = cells[1] if len(cells) > 1 else ""
    if kind.lower() not in KINDS:
        return None, _("第%(n)s行：类型“%(text)s”无法识别，应为“休”或“班”。") % {"n": number, "text": kind}
    is_workday, name = KINDS[kind.lower()], cells[2] if len(cells) > 2 else ""
    if len(name) > NAME_MAX:
        return None, _("第%(n)s行：名称过长（不超过%(max)s字）。") % {"n": number, "max": NAME_MAX}
    weekend = day.weekday() >= 5
    if is_workday and not weekend:
        return None, _("第%(n)s行：%(day)s是周一至周五，本来就是工作日，不能登记为调休上班。") % {"n": number, "day": day}
    if not is_workday and weekend and not name:
        return None, _("第%(n)s行：%(day)s是周末，登记为休息日时须写明节日名称。") % {"n": number, "day": day}
    return (day, is_workday, name), ""


def parse_days(text: str, *, year: int) -> Parsed:
    """Rows ``(date, is_workday, name)`` of ``year``, or every problem found, each naming its line."""
    result = Parsed()
    seen: dict[dt.date, int] = {}
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        cells = [cell.strip() for cell in SEPARATOR.split(line, maxsplit=2)]
        if not cells[0] or cells[0].startswith("#"):
            continue
        if not result.rows and not result.errors and cells[0].lower() in HEADER_WORDS:
            continue
        row, error = _parse_line(number, cells, year)
        if error:
            result.errors.append(error)
        elif row[0] in seen:
            result.errors.append(_("第%(n)s行：%(day)s与第%(first)s行重复。")
                                 % {"n": number, "day": row[0], "first": seen[row[0]]})
        else:
            seen[row[0]] = number
            result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(_("没有读到任何日期，请每行填写一天，如：2027-01-01,休,元旦"))
    return result


def rows_as_text(rows) -> str:
    """The loaded rows in the import format, for correcting a year."""
    return "\n".join(f"{day.isoformat()},{'班' if is_workday else '休'},{name}" for day, is_workday, name in rows)
