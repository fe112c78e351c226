"""The public site's annual enforcement statistics (frozen when the office published them) and
published guidance cases. No account needed; what is not published is a 404, the same as a
missing year or id. Nothing here holds personal data: the reports are counts and sums, and a
guidance case shows the party's name masked."""
from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

from core.keyset import keyset_page

from . import guidance as guidance_selectors
from . import masking, reports
from .models import GuidanceCase
from .workflow import KeyArea, Outcome

PAGE_SIZE = 20


@login_not_required
def report_index(request):
    return render(request, "enforcement/reports_public/index.html", {"reports": reports.published_reports()})


@login_not_required
def report_detail(request, year: int):
    report = reports.published_report(year)
    if report is None:
        raise Http404
    data = report.data
    return render(request, "enforcement/reports_public/detail.html", {
        "report": report, "data": data, "columns": reports.COLUMNS, "charts": reports.charts(data),
        "body_rows": reports.table_rows(data["bodies"]), "area_rows": reports.table_rows(data["areas"]),
        "total_row": reports.table_rows([data["total"]])[0],
    })


@login_not_required
def guidance_index(request):
    page = keyset_page(request, guidance_selectors.guidance_public(), per_page=PAGE_SIZE)
    labels = dict(KeyArea.choices)
    for guidance in page:
        guidance.key_area_label = labels.get(guidance.case.key_area, "")
        guidance.title = masking.mask_text(guidance.title, names=masking.party_names(guidance.case))
    return render(request, "enforcement/reports_public/guidance_list.html", {"page": page})


@login_not_required
def guidance_public_detail(request, pk: int):
    try:
        guidance = guidance_selectors.guidance_public().get(pk=pk)
    except GuidanceCase.DoesNotExist:
        raise Http404
    case = guidance.case
    guidance.title = masking.mask_text(guidance.title, names=masking.party_names(case))
    return render(request, "enforcement/reports_public/guidance_detail.html", {
        "guidance": guidance, "case": case,
        "party_masked": masking.mask_name(case.party_name, case.party_type),
        "key_points": masking.mask_text(guidance.key_points, names=masking.party_names(case)),
        "key_area": KeyArea(case.key_area).label if case.key_area in KeyArea.values else "",
        "outcome": Outcome(case.outcome).label if case.outcome in Outcome.values else "",
    })
