"""The staff face across apps: 我的工作, attachment downloads and the responsibility view (责任倒查)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from contracts.services import contract_attachment_open
from core import rulebook, selectors, services
from core.api.views import archive_response
from core.archive import ARCHIVE_SOURCES, archive_package_build
from core.exceptions import DomainError
from core.keyset import keyset_page
from core.models import Attachment, Department, Role, User
from core.permissions import may_view_responsibility
from core.workdays import local_today
from deadlines import selectors as deadline_selectors
from deadlines.permissions import can_see_all_deadlines
from decisions.selectors import decision_work_for
from decisions.services import decision_attachment_open
from enforcement.selectors import case_work_for
from enforcement.services import case_attachment_open
from normative_docs.selectors import normative_work_for
from normative_docs.services import document_attachment_open
from reviews.selectors import review_queue_for

from . import coverage

#: 我的工作 is an overview: each of its lists shows this many rows (the soonest deadlines, the work last
#: changed) and links to the full list, which pages through the rest; the API lists them all.
MY_WORK_ROWS = 20


MY_DEADLINES_PAGE = 50


def my_deadlines(request):
    """我的期限: grouped by urgency (the later ones folded), filterable by kind of work and department,
    50 a page; each row names the responsible unit and person."""
    from .forms import MyDeadlinesFilterForm

    clocks = deadline_selectors.deadlines_for(request.user)
    form = MyDeadlinesFilterForm(request.GET or None, departments=clocks)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = deadline_selectors.my_deadlines(request.user, kind=filters.get("kind") or "",
                                           department=filters.get("department") or None)
    page = keyset_page(request, rows, order=["due_on", "id"], per_page=MY_DEADLINES_PAGE)
    today = local_today()
    rows = deadline_selectors.with_responsible(deadline_selectors.with_lights(page.object_list, today=today))
    groups = deadline_selectors.urgency_groups(rows, today=today)
    return render(request, "workbench/my_deadlines.html", {"form": form, "page": page, "groups": groups,
                                                           "today": today})


#: a dashboard count stops here ("1000+"): the page never counts a whole big table
DASHBOARD_CAP = 1000


def _capped(queryset) -> str:
    n = len(queryset.order_by().values_list("pk", flat=True)[:DASHBOARD_CAP + 1])
    return f"{DASHBOARD_CAP}+" if n > DASHBOARD_CAP else str(n)


def supervision_dashboard(user) -> list[dict]:
    """For supervisors and the office on 我的工作: what is late across the bodies, each with its list."""
    from enforcement import supervision
    from normative_docs import oversight

    cards = [{"label": _("已逾期的期限"), "count": _capped(deadline_selectors.overdue_clocks(user)),
              "url": reverse("deadlines:overdue"), "unit": _("项")}]
    if supervision.can_view_supervision(user):
        cards += [
            {"label": _("超过90日未作出决定的执法案件"), "count": _capped(supervision.overdue_open_cases(user=user)),
             "url": reverse("enforcement:supervision") + "#overdue", "unit": _("件")},
            {"label": _("未按时公开的执法决定"), "count": _capped(supervision.late_publicity(user=user)),
             "url": reverse("enforcement:supervision") + "#late", "unit": _("件")},
        ]
    if oversight.can_view_oversight(user):
        cards += [
            {"label": _("逾期未报送备案的规范性文件"), "count": _capped(oversight.unfiled_overdue(user=user)),
             "url": reverse("normative_docs:oversight") + "#unfiled", "unit": _("件")},
            {"label": _("逾期未办结的备案审查"), "count": _capped(oversight.unreviewed_overdue(user=user)),
             "url": reverse("normative_docs:oversight") + "#unreviewed", "unit": _("件")},
        ]
    return cards


def my_work(request):
    user = request.user
    reviews = []
    if user.has_role(Role.REVIEWER):
        reviews = list(review_queue_for(user=user)[:MY_WORK_ROWS])
    return render(request, "workbench/my_work.html", {
        "work": decision_work_for(user=user, limit=MY_WORK_ROWS), "reviews": reviews, "today": local_today(),
        "normative": normative_work_for(user=user, limit=MY_WORK_ROWS),
        "cases": case_work_for(user=user, limit=MY_WORK_ROWS), "rows_shown": MY_WORK_ROWS,
        "deadlines": deadline_selectors.with_lights(deadline_selectors.soonest_deadlines_for(user, MY_WORK_ROWS)),
        "dashboard": supervision_dashboard(user) if can_see_all_deadlines(user) else [],
    })


#: Who checks a download, per app of the object the file belongs to.
ATTACHMENT_OPENERS = {"normative_docs": document_attachment_open, "enforcement": case_attachment_open,
                      "contracts": contract_attachment_open}


def attachment_download(request, pk: int):
    """Stream a file only to those who may see the object it belongs to."""
    app_label = Attachment.objects.filter(pk=pk).values_list("content_type__app_label", flat=True).first()
    open_attachment = ATTACHMENT_OPENERS.get(app_label, decision_attachment_open)
    try:
        attachment = open_attachment(actor=request.user, attachment_id=pk)
    except ObjectDoesNotExist:
        raise Http404
    return FileResponse(services.attachment_path(attachment).open("rb"), as_attachment=True,
                        filename=attachment.original_name, content_type=attachment.content_type_name)


def archive_package_download(request, kind: str, pk: int):
    """决策档案/案卷 from the staff pages: the same package and permission as the API."""
    if kind not in ARCHIVE_SOURCES:
        raise Http404
    try:
        package = archive_package_build(kind=kind, object_id=pk, actor=request.user)
    except ObjectDoesNotExist:
        raise Http404
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("workbench:my-work")
    return archive_response(package)


def responsibility(request, user_id: int):
    """责任倒查: every recorded step one person took part in. For supervisors,
    the office, and the person themself."""
    if not may_view_responsibility(request.user, user_id):
        raise PermissionDenied
    person = User.objects.filter(pk=user_id).select_related("department").first()
    if person is None:
        raise Http404
    page = keyset_page(request, selectors.responsibility_events(person=person), per_page=50)
    return render(request, "workbench/responsibility.html", {"person": person, "page": page})


# ================================================================== the rules matrix (issue 12)
#: The staff page of the object a refusal or a reason was recorded on.
SUBJECT_PAGES = {"decisions.decision": "decisions:detail", "normative_docs.normativedocument": "normative_docs:detail",
                 "enforcement.case": "enforcement:detail"}


def _require_supervision(user) -> None:
    if not can_see_all_deadlines(user):  # supervisors, the office, administrators
        raise PermissionDenied


def rules_matrix(request):
    """Every rule the portal enforces: article, kind, the policy table's value, service and test —
    printed from the registry the services use (``manage.py rules_matrix`` prints the same)."""
    _require_supervision(request.user)
    rows = deadline_selectors.rules_matrix()
    return render(request, "workbench/rules_matrix.html", {
        "rows": rows, "counts": deadline_selectors.rules_matrix_counts(rows), "today": local_today(),
        "printable": request.GET.get("print") == "1"})


def rule_events(request):
    """Every refusal and every reason recorded under the rules, newest first, filterable."""
    _require_supervision(request.user)
    kind, rule = request.GET.get("kind", ""), request.GET.get("rule", "").strip()
    page = keyset_page(request, rulebook.rule_events(kind=kind, rule=rule), per_page=50)
    for event in page:
        name = SUBJECT_PAGES.get(event.object_type)
        event.subject_url = reverse(name, args=[event.object_id]) if name and event.object_id.isdigit() else ""
    return render(request, "workbench/rule_events.html", {
        "page": page, "kind": kind, "rule": rule, "codes": sorted(rulebook.RULES)})


# ================================================================== coverage (issue 16)
def coverage_page(request):
    """覆盖率: a row per decision body, each figure computed from the records, linked to them."""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else local_today().year
    level = request.GET.get("level", "")
    level = level if level in Department.Level.values else ""
    # supervisors: every body; a district government's staff and head: their district's (else 403)
    rows = coverage.coverage_for(user=request.user, year=year, today=local_today(), level=level or None)
    return render(request, "workbench/coverage.html", {
        "rows": rows, "columns": coverage.COLUMNS, "summary": coverage.summary(rows), "year": year, "level": level,
        "levels": Department.Level.choices, "years": range(local_today().year, local_today().year - 5, -1),
        "below": sum(row.below_full for row in rows),
        "district": None if can_see_all_deadlines(request.user) else coverage.district_of(request.user)})
