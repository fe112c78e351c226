"""The administrator's working-day calendar: the loaded years, one year's
holidays and make-up days, and the import (or correction) of a year's notice.

Every write goes through ``services.calendar_year_import``, which
validates, audits and recomputes the running clocks.
"""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar_import import decode_upload, parse_days, rows_as_text
from core.forms import call_service
from core.models import CalendarDay, CalendarYear

from .permissions import is_administrator
from .services import calendar_year_import


class CalendarImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    source = forms.CharField(label=gettext_lazy("依据"), max_length=200,
                             help_text=gettext_lazy("国务院办公厅关于节假日安排的通知文号，如：国办发明电〔2026〕X号"))
    reason = forms.CharField(label=gettext_lazy("更正理由"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("更正已载入的年度时必填。"))
    days = forms.CharField(
        label=gettext_lazy("节假日与调休上班日"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "placeholder": "2027-01-01,休,元旦\n2027-02-07,班,春节调休上班"}),
        help_text=gettext_lazy("每行一天：日期,休/班,名称（逗号或制表符分隔）。只登记例外：周一至周五放假的日子、"
                               "周末放假的节日和周末调休上班日；未登记的日子按周一至周五上班计算。"))
    file = forms.FileField(label=gettext_lazy("或上传CSV文件"), required=False,
                           help_text=gettext_lazy("列同上（日期,类型,名称），可有表头，UTF-8编码。"))

    def clean(self):
        data = super().clean()
        text, upload = data.get("days") or "", data.get("file")
        if upload and text.strip():
            raise forms.ValidationError(_("请粘贴日期或上传文件，二者选其一。"))
        if upload:
            try:
                text = decode_upload(upload.read())
            except ValueError as error:
                self.add_error("file", str(error))
                return data
        if data.get("year") is None:
            return data
        parsed = parse_days(text, year=data["year"])
        for message in parsed.errors:
            self.add_error(None, message)
        data["rows"] = parsed.rows
        return data


def _require_administrator(request) -> None:
    if not is_administrator(request.user):
        raise PermissionDenied


def _loaded_years() -> list[CalendarYear]:
    """The loaded years, newest first, each with its numbers of holidays and make-up days (two queries)."""
    counts = {
        row["year"]: row for row in CalendarDay.objects.annotate(year=ExtractYear("date")).values("year").annotate(
            holidays=Count("pk", filter=Q(is_workday=False)), makeup=Count("pk", filter=Q(is_workday=True))
        ).order_by()
    }
    years = list(CalendarYear.objects.order_by("-year"))
    for item in years:
        item.holidays = counts.get(item.year, {}).get("holidays", 0)
        item.makeup = counts.get(item.year, {}).get("makeup", 0)
    return years


def _chosen_year(request, years: list[CalendarYear]) -> CalendarYear | None:
    wanted = request.GET.get("year", "")
    by_year = {item.year: item for item in years}
    if wanted.isdigit():
        return by_year.get(int(wanted))
    return years[0] if years else None


def _summary(result: dict, rows, *, corrected: bool) -> str:
    values = {"year": result["year"], "holidays": sum(1 for _d, work, _n in rows if not work),
              "makeup": sum(1 for _d, work, _n in rows if work), "clocks": result["clocks_changed"],
              "changed": result["changed_days"]}
    if corrected:
        return _("已更正%(year)s年：%(holidays)s个节假日、%(makeup)s个调休上班日（变动%(changed)s天）；"
                 "重新计算期限%(clocks)s个") % values
    return _("已载入%(year)s年：%(holidays)s个节假日、%(makeup)s个调休上班日；重新计算期限%(clocks)s个") % values


def calendar(request):
    _require_administrator(request)
    if request.method == "POST":
        form = CalendarImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            corrected = CalendarYear.objects.filter(year=data["year"]).exists()
            ok, result = call_service(form, lambda: calendar_year_import(
                actor=request.user, year=data["year"], source=data["source"], days=data["rows"],
                reason=data["reason"]))
            if ok:
                messages.success(request, _summary(result, data["rows"], corrected=corrected))
                return redirect(f"{reverse('deadlines:calendar')}?year={data['year']}")
    years = _loaded_years()
    chosen = _chosen_year(request, years)
    days = list(CalendarDay.objects.filter(date__year=chosen.year)) if chosen else []
    if request.method != "POST":
        initial = {}
        if chosen and request.GET.get("correct"):
            initial = {"year": chosen.year, "source": chosen.source,
                       "days": rows_as_text((d.date, d.is_workday, d.name) for d in days)}
        form = CalendarImportForm(initial=initial)
    return render(request, "deadlines/calendar.html", {"years": years, "chosen": chosen, "days": days, "form": form},
                  status=400 if request.method == "POST" else 200)
