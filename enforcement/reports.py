"""The annual statistics report of administrative enforcement (行政执法统计年报): the numbers
per body and per key area, server-rendered bar charts, CSV/XLSX exports, and the office's
publication, which freezes the numbers into ``AnnualReport.data``.

What is counted (for year Y, "today" for what is due so far):

* 立案数: cases with ``opened_on`` in Y;
* outcomes: decisions with ``decided_on`` in Y by outcome (a decision later revoked still counts
  as made);
* 罚没金额: the fines of penalty decisions made in Y and not revoked;
* 举行听证: cases whose hearing (``hearing_on``) was in Y and held (a hearing record);
* 法制审核率: of the decisions made in Y that needed a legal review (a ground of
  ``supervision.REVIEW_GROUND_CONDITIONS`` on the decision as made, or flagged when submitted),
  those with a passed review;
* 按时公开率: of the penalty / no-penalty decisions made in Y that were due for publicity (published,
  or the publicity clock past due), those published on time.

The figures hold no personal data at all: only counts, sums and the bodies' names.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import rulebook
from core.audit import record_event
from core.exceptions import DomainError, InvalidState, NotPermitted
from core.models import User
from core.permissions import is_office
from core.workdays import local_today
from deadlines.models import LegalClock

from .models import AnnualReport, Case, PublicNotice
from .supervision import OPEN_CLOCK, PUBLICITY_CLOCKS, with_review_grounds
from .workflow import CaseStatus, KeyArea, Outcome

COUNT_FIELDS = ("opened", "penalty", "no_penalty", "transfer", "hearings", "review_required", "reviewed",
                "publicity_due", "publicity_on_time")
#: (key, label) of the table's columns, in the order of the page, CSV and XLSX
COLUMNS = (
    ("name", gettext_lazy("名称")),
    ("opened", gettext_lazy("立案数")),
    ("penalty", gettext_lazy("给予行政处罚")),
    ("no_penalty", gettext_lazy("不予行政处罚")),
    ("transfer", gettext_lazy("移送司法机关")),
    ("fines", gettext_lazy("罚没金额（元）")),
    ("hearings", gettext_lazy("举行听证")),
    ("review_required", gettext_lazy("须法制审核")),
    ("reviewed", gettext_lazy("已法制审核")),
    ("review_rate", gettext_lazy("法制审核率")),
    ("publicity_due", gettext_lazy("应公开决定")),
    ("publicity_on_time", gettext_lazy("按时公开")),
    ("publicity_rate", gettext_lazy("按时公开率")),
)
RATE_FIELDS = ("review_rate", "publicity_rate")


# ================================================================== computation
def _rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, None when nothing was due."""
    return round(100 * part / whole, 1) if whole else None


def _row(key, name: str, values: dict | None = None) -> dict:
    values = values or {}
    row = {"key": key, "name": name, **{f: int(values.get(f) or 0) for f in COUNT_FIELDS}}
    row["fines"] = str(Decimal(values.get("fines") or 0).quantize(Decimal("0.01")))
    return _with_rates(row)


def _with_rates(row: dict) -> dict:
    row["review_rate"] = _rate(row["reviewed"], row["review_required"])
    row["publicity_rate"] = _rate(row["publicity_on_time"], row["publicity_due"])
    return row


def _total(rows: list[dict]) -> dict:
    total = _row("total", str(_("合计")))
    for row in rows:
        for field in COUNT_FIELDS:
            total[field] += row[field]
        total["fines"] = str(Decimal(total["fines"]) + Decimal(row["fines"]))
    return _with_rates(total)


def _grouped(year: int, today: dt.date, *fields: str):
    """One grouped query: every count of the report per value of ``fields``."""
    decided = Q(decided_on__year=year)
    published_kind = Q(outcome__in=(Outcome.PENALTY, Outcome.NO_PENALTY))
    needs_review = decided & (Q(review_needed=True) | Q(legal_review_required=True))
    notice = PublicNotice.objects.filter(case_id=OuterRef("pk"))
    overdue = LegalClock.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=OuterRef("pk"),
                                        rule__in=PUBLICITY_CLOCKS, status__in=OPEN_CLOCK, due_on__lt=today)
    cases = with_review_grounds(
        Case.objects.filter(Q(opened_on__year=year) | decided | Q(hearing_on__year=year))
    ).annotate(has_notice=Exists(notice), notice_on_time=Exists(notice.filter(on_time=True)),
               publicity_overdue=Exists(overdue))
    return (cases.order_by().values(*fields).annotate(
        opened=Count("id", filter=Q(opened_on__year=year)),
        penalty=Count("id", filter=decided & Q(outcome=Outcome.PENALTY)),
        no_penalty=Count("id", filter=decided & Q(outcome=Outcome.NO_PENALTY)),
        transfer=Count("id", filter=decided & Q(outcome=Outcome.TRANSFER)),
        fines=Sum("fine_amount", filter=decided & Q(outcome=Outcome.PENALTY) & ~Q(status=CaseStatus.REVOKED)),
        hearings=Count("id", filter=Q(hearing_on__year=year) & ~Q(hearing_record="")),
        review_required=Count("id", filter=needs_review),
        reviewed=Count("id", filter=needs_review & Q(legal_review_passed=True)),
        publicity_due=Count("id", filter=decided & published_kind & (Q(has_notice=True) | Q(publicity_overdue=True))),
        publicity_on_time=Count("id", filter=decided & published_kind & Q(notice_on_time=True)),
    ))


def annual_statistics(*, year: int, today: dt.date | None = None) -> dict:
    """The report of ``year`` as JSON-ready data (two grouped queries): rows per body, per key
    area (every area, zeros included) and the totals."""
    today = today or local_today()
    bodies = [_row(r["body_id"], r["body__short_name"] or r["body__name"], r)
              for r in _grouped(year, today, "body_id", "body__name", "body__short_name")]
    bodies.sort(key=lambda r: (-r["opened"], r["name"]))
    by_area = {r["key_area"]: r for r in _grouped(year, today, "key_area")}
    areas = [_row(value, str(label), by_area.get(value)) for value, label in KeyArea.choices]
    return {"year": year, "computed_on": today.isoformat(), "bodies": bodies, "areas": areas,
            "total": _total(bodies)}


# ================================================================== publication
def published_report(year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(year=year, published_on__isnull=False).first()


def published_reports():
    return AnnualReport.objects.filter(published_on__isnull=False).only("id", "year", "published_on").order_by("-year")


@transaction.atomic
def report_publish(*, actor: User, year: int) -> AnnualReport:
    """The office approves and publishes the report of ``year``: the numbers computed now are
    frozen into ``AnnualReport.data``; later changes to cases do not alter it."""
    if not is_office(actor):
        raise NotPermitted(_("统计年报由政府办批准后公布。"))
    today = local_today()
    if not 2000 <= int(year) <= today.year:
        raise DomainError(_("只能公布本年度及以前年度的统计年报。"), code="invalid_year")
    if int(year) == today.year:  # the year's numbers are not final before it ends
        rulebook.refuse("E-annual", obj=None, actor=actor, year=year,
                        opens=dateformat.format(dt.date(int(year) + 1, 1, 1), _("Y年n月j日")))
    report, _created = AnnualReport.objects.select_for_update().get_or_create(year=year)
    if report.published_on:
        raise InvalidState(_("%(year)s年度统计年报已于%(day)s公布，不能重复公布。")
                           % {"year": year, "day": dateformat.format(report.published_on, _("Y年n月j日"))})
    report.data = annual_statistics(year=year, today=today)
    report.published_on, report.approved_by = today, actor
    report.save()
    record_event(actor=actor, event_type="publicity", obj=report, action="annual_report_publish",
                 action_label=_("批准并公布行政执法统计年报"),
                 details={"year": year, "total": {k: report.data["total"][k] for k in ("opened", "fines")}})
    return report


# ================================================================== charts, CSV, XLSX
def _display(row: dict, key: str):
    value = row[key]
    if key in RATE_FIELDS:
        return "—" if value is None else f"{value}%"
    return value


def table_rows(rows: list[dict]) -> list[list]:
    """Display values of the rows, in column order (for the page's data tables): amounts grouped by
    thousands (55,000.00) as people write them; the CSV and XLSX keep plain numbers."""
    return [[f"{Decimal(row[key]):,.2f}" if key == "fines" else _display(row, key) for key, _label in COLUMNS]
            for row in rows]


def figure(value: float) -> str:
    """A chart's number as people write it: grouped by thousands, no exponent (1,250,000; 12.5)."""
    value = float(value)
    return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _amount(value: float, unit: str) -> str:
    """"55,000元" in Chinese, "55,000 yuan" in English."""
    return _("%(value)s%(unit)s") % {"value": figure(value), "unit": unit} if unit else figure(value)


def _with_unit(measure: str, unit: str) -> str:
    """"罚没金额（元）" in Chinese, "Fines and confiscations (yuan)" in English."""
    return _("%(measure)s（%(unit)s）") % {"measure": measure, "unit": unit}


def bar_chart(*, title: str, items: list[tuple[str, float]], unit: str = "", category: str = "",
              measure: str = "") -> SafeString:
    """A horizontal bar chart as inline SVG (no script): its title as the SVG's ``<title>`` (the page
    shows it once, as the figure's caption, not again inside the drawing), the category axis (``category``,
    e.g. 执法主体) and the value axis with ticks at 0, half (unless that would be a fraction of a count) and the maximum, labelled with
    ``measure`` and ``unit``; ``role="img"`` with an ``aria-label`` that states every value, so the
    chart is readable without sight. The page shows the same numbers in a table under it.

    Drawn 450 units wide with no text under 13 units, so that scaled to a phone's 358 px no text is
    smaller than 10 px (and at most 32rem wide on a desktop: see portal.css). A value is written inside
    its bar when the bar is long (white on the bar), else after it, so that no value runs off the chart."""
    row_h, label_w, bar_w, pad, head, foot = 26, 160, 210, 8, 14, 46
    width = label_w + bar_w + 80
    plot_h = row_h * max(len(items), 1)
    height = head + pad + plot_h + foot
    top = max((float(v) for _l, v in items), default=0) or 1
    summary = _("；").join(f"{label} {_amount(value, unit)}" for label, value in items) or _("无数据")
    y0 = head + pad

    def bar(i: int, label: str, value: float) -> tuple:
        length, middle = round(bar_w * float(value) / top, 1), y0 + i * row_h + row_h / 2
        inside = length >= bar_w * 0.6
        return (label_w - 6, middle, label if len(label) <= 11 else f"{label[:10]}…",
                label_w, y0 + i * row_h + 4, length, row_h - 8,
                label_w + length + (-4 if inside else 4), middle, "end" if inside else "start",
                "#ffffff" if inside else "#1f2328", _amount(value, unit))

    bars = format_html_join("", (
        '<g><text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" font-size="14">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#1f5f99"></rect>'
        '<text x="{}" y="{}" text-anchor="{}" fill="{}" dominant-baseline="middle" font-size="13">{}</text></g>'
    ), (bar(i, label, value) for i, (label, value) in enumerate(items)))
    axis_y = y0 + plot_h
    # counts have no half tick between 0 and an odd maximum (no "0.5 cases")
    whole = all(float(v).is_integer() for _l, v in items)
    shares = (0, 1) if whole and not (top / 2).is_integer() else (0, 0.5, 1)
    ticks = format_html_join("", (
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#59636e"></line>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="13">{}</text>'
    ), ((label_w + bar_w * share, axis_y, label_w + bar_w * share, axis_y + 4,
         label_w + bar_w * share, axis_y + 17, figure(top * share)) for share in shares))
    value_axis = _with_unit(measure, unit) if measure and unit else measure or unit
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#59636e"></line>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#59636e"></line>{}{}'
        '<text x="{}" y="{}" text-anchor="middle" font-size="13">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" font-size="13">{}</text></svg>',
        _("%(title)s：%(summary)s") % {"title": title, "summary": summary}, width, height, title,
        label_w, y0, label_w, axis_y, label_w, axis_y, label_w + bar_w, axis_y, bars, ticks,
        label_w + bar_w / 2, axis_y + 36, value_axis, label_w - 6, y0 - 6, category)


def charts(data: dict) -> list[dict]:
    """Each chart with its title, its SVG and the rows of its data table (label, value with unit)."""
    bodies, areas = data["bodies"], data["areas"]
    specs = [
        (_("各执法主体立案数"), [(r["name"], r["opened"]) for r in bodies], _("件"), _("执法主体"), _("立案数")),
        (_("各执法主体罚没金额"), [(r["name"], float(r["fines"])) for r in bodies], _("元"), _("执法主体"),
         _("罚没金额")),
        (_("各重点领域立案数"), [(r["name"], r["opened"]) for r in areas], _("件"), _("重点领域"), _("立案数")),
    ]
    return [{"title": title, "category": category, "measure": _with_unit(measure, unit),
             "rows": [(label, figure(value)) for label, value in items],
             "svg": bar_chart(title=title, items=items, unit=unit, category=category, measure=measure)}
            for title, items, unit, category, measure in specs]


SECTIONS = (("bodies", gettext_lazy("按执法主体")), ("areas", gettext_lazy("按重点领域")))


def report_csv(data: dict) -> str:
    """Both tables as CSV, starting with a byte-order mark so that Excel reads the Chinese as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_("%(year)s年度行政执法统计") % {"year": data["year"]}])
    for key, label in SECTIONS:
        writer.writerow([])
        writer.writerow([str(label)])
        writer.writerow([str(column) for _key, column in COLUMNS])
        for row in [*data[key], *([data["total"]] if key == "bodies" else [])]:
            writer.writerow([_display(row, column) for column, _label in COLUMNS])
    return buffer.getvalue()


def report_xlsx(data: dict) -> bytes:
    """One sheet per table; amounts as numbers, rates as percentages."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, label in SECTIONS:
        sheet = workbook.create_sheet(title=str(label))
        sheet.append([str(column) for _key, column in COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in [*data[key], *([data["total"]] if key == "bodies" else [])]:
            values = []
            for column, _label in COLUMNS:
                value = row[column]
                if column == "fines":
                    value = Decimal(value)
                elif column in RATE_FIELDS:
                    value = None if value is None else value / 100
                values.append(value)
            sheet.append(values)
            for column_index, (column, _label) in enumerate(COLUMNS, start=1):
                cell = sheet.cell(row=sheet.max_row, column=column_index)
                if column in RATE_FIELDS:
                    cell.number_format = "0.0%"
                elif column == "fines":
                    cell.number_format = "#,##0.00"
        sheet.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

