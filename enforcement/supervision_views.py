"""Staff pages: the supervision dashboard, the annual statistics report with its downloads and
the office's publication, and guidance cases (proposal and review)."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import ConfirmForm, call_service
from core.keyset import keyset_page
from core.permissions import is_office
from core.workdays import local_today

from . import guidance as guidance_services
from . import masking, reports
from . import supervision as selectors
from .models import GuidanceCase
from .workflow import REVIEW_GROUNDS

PAGE_SIZE = 20


def _page(request, queryset, param: str):
    return keyset_page(request, queryset, per_page=PAGE_SIZE, param=param)


def _int(value) -> int | None:
    try:
        return int(value or 0) or None
    except (TypeError, ValueError):
        return None


# ================================================================== supervision dashboard
def dashboard(request):
    """Five read-only lists across bodies, each paginated, filterable by body."""
    if not selectors.can_view_supervision(request.user):
        raise PermissionDenied
    today = local_today()
    body_id = _int(request.GET.get("body"))
    user = request.user
    overdue = _page(request, selectors.overdue_open_cases(user=user, today=today, body_id=body_id), "overdue_page")
    for case in overdue:
        case.days_overdue = (today - case.decision_due_on).days if case.decision_due_on else None
    decided_late = _page(request, selectors.late_decisions(user=user, body_id=body_id), "decided_late_page")
    for case in decided_late:
        case.days_late = (case.decided_on - case.decision_due_on).days
    late = _page(request, selectors.late_publicity(user=user, today=today, body_id=body_id), "late_page")
    unreviewed = _page(request, selectors.unreviewed_major_decisions(user=user, body_id=body_id), "review_page")
    for case in unreviewed:
        case.ground_labels = [REVIEW_GROUNDS[key] for key in REVIEW_GROUNDS if getattr(case, f"ground_{key}", False)]
    same_party = _page(request, selectors.same_party_several_bodies(user=user, body_id=body_id), "party_page")
    previous = None
    for case in same_party:
        # the blind index groups the rows here; the number itself is never put into the page
        case.new_party = case.party_key != previous
        previous = case.party_key
        case.party_masked = masking.mask_name(case.party_name, case.party_type)
        case.id_masked = masking.mask_id(case.party_id_number, staff=True)
    return render(request, "enforcement/supervision.html", {
        "today": today, "body_id": body_id, "bodies": selectors.bodies_with_cases(),
        "overdue": overdue, "decided_late": decided_late, "late": late, "unreviewed": unreviewed,
        "same_party": same_party,
        "window_days": selectors.SAME_PARTY_WINDOW_DAYS,
    })


# ================================================================== annual report
class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)


def report(request):
    """Per body and key area; ``?format=csv|xlsx`` downloads; the office publishes (POST)."""
    if not selectors.can_view_supervision(request.user):
        raise PermissionDenied
    today = local_today()
    form = YearForm(request.GET or None, initial={"year": today.year})
    year = form.cleaned_data["year"] if form.is_valid() else today.year
    publish_form = ConfirmForm()
    status = 200
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied
        year_form = YearForm(request.POST)
        if not year_form.is_valid():
            raise Http404
        year = year_form.cleaned_data["year"]
        publish_form = ConfirmForm(request.POST)
        ok = publish_form.is_valid()
        if ok:
            ok, _report = call_service(publish_form, lambda: reports.report_publish(actor=request.user, year=year))
        if ok:
            messages.success(request, _("%(year)s年度统计年报已公布。") % {"year": year})
            return redirect(f"{request.path}?year={year}")
        status = 400
    data = reports.annual_statistics(year=year, today=today)
    export = request.GET.get("format")
    if export == "csv":
        response = HttpResponse(reports.report_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="enforcement-statistics-{year}.csv"'
        return response
    if export == "xlsx":
        response = HttpResponse(
            reports.report_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="enforcement-statistics-{year}.xlsx"'
        return response
    return render(request, "enforcement/report.html", {
        "year": year, "data": data, "columns": reports.COLUMNS, "charts": reports.charts(data),
        "body_rows": reports.table_rows(data["bodies"]), "area_rows": reports.table_rows(data["areas"]),
        "total_row": reports.table_rows([data["total"]])[0], "published": reports.published_report(year),
        "may_publish": is_office(request.user) and year < today.year, "publish_form": publish_form,
        "year_open": is_office(request.user) and year == today.year, "opens_on": dt.date(year + 1, 1, 1),
        "years": list(range(today.year, today.year - 6, -1)),
    }, status=status)


# ================================================================== guidance cases
class ProposeForm(forms.Form):
    case = forms.ModelChoiceField(label=gettext_lazy("案件"), queryset=None,
                                  help_text=gettext_lazy("本机关已结案或已归档的案件。"))
    title = forms.CharField(label=gettext_lazy("指导案例标题"), max_length=200)
    key_points = forms.CharField(label=gettext_lazy("裁判要点"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = guidance_services.proposable_cases(user=user)
        self.fields["case"].label_from_instance = lambda case: f"{case.number} {case.title}"


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("审核结论"), widget=forms.RadioSelect,
                                 choices=[("publish", gettext_lazy("发布为指导案例")), ("reject", gettext_lazy("不予采用"))])
    note = forms.CharField(label=gettext_lazy("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    #: publishing makes the case public (masked): the box of ``core.forms.ConfirmForm``, needed only then
    confirmed = forms.BooleanField(label=ConfirmForm.base_fields["confirmed"].label, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "publish" and not data.get("confirmed"):
            self.add_error("confirmed", ConfirmForm.base_fields["confirmed"].error_messages["required"])
        return data


def guidance_list(request):
    """Supervisors and the office see every proposal; a body's officers see theirs and propose."""
    if not guidance_services.can_view_guidance_pages(request.user):
        raise PermissionDenied
    may_propose = guidance_services.can_propose(request.user)
    form = ProposeForm(request.POST if request.method == "POST" else None, user=request.user) if may_propose else None
    if request.method == "POST":
        if not may_propose:
            raise PermissionDenied
        if form.is_valid():
            ok, guidance = call_service(form, lambda: guidance_services.guidance_propose(
                actor=request.user, case_id=form.cleaned_data["case"].pk, title=form.cleaned_data["title"],
                key_points=form.cleaned_data["key_points"]))
            if ok:
                messages.success(request, _("已推荐为指导案例，等待司法行政机关审核。"))
                return redirect("enforcement:guidance-detail", pk=guidance.pk)
    status_filter = request.GET.get("status", "")
    page = keyset_page(request, guidance_services.guidance_list_for_user(user=request.user, status=status_filter),
                       per_page=PAGE_SIZE)
    return render(request, "enforcement/guidance_list.html", {
        "page": page, "form": form, "status_filter": status_filter, "statuses": GuidanceCase.Status.choices,
    }, status=400 if request.method == "POST" else 200)


def guidance_detail(request, pk: int):
    try:
        guidance = guidance_services.guidance_get_for_user(user=request.user, guidance_id=pk)
    except GuidanceCase.DoesNotExist:
        raise Http404
    may_decide = (guidance_services.can_decide_guidance(request.user)
                  and guidance.status == GuidanceCase.Status.PROPOSED)
    form = DecideForm(request.POST or None)
    if request.method == "POST":
        if not guidance_services.can_decide_guidance(request.user):
            raise PermissionDenied
        if form.is_valid():
            publish = form.cleaned_data["decision"] == "publish"
            ok, _guidance = call_service(form, lambda: guidance_services.guidance_decide(
                actor=request.user, guidance_id=pk, publish=publish, note=form.cleaned_data["note"]))
            if ok:
                messages.success(request, _("指导案例已发布。") if publish else _("已决定不予采用。"))
                return redirect("enforcement:guidance-detail", pk=pk)
    case = guidance.case
    return render(request, "enforcement/guidance_detail.html", {
        "guidance": guidance, "case": case, "form": form, "may_decide": may_decide,
        "party_masked": masking.mask_name(case.party_name, case.party_type),
        "id_masked": masking.mask_id(case.party_id_number, staff=True),
        "key_points": masking.mask_text(guidance.key_points),
    }, status=400 if request.method == "POST" else 200)
