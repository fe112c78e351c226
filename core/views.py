"""Pages of the shared machinery: 我的工作, the review queue, attachments and
the responsibility view."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from deadlines import selectors as deadline_selectors
from deadlines.models import DeadlinePolicy
from decisions.selectors import decision_work_for
from decisions.services import decision_attachment_open
from enforcement.selectors import case_work_for, department_with_case_flag
from enforcement.services import case_attachment_open
from normative_docs.selectors import normative_work_for
from normative_docs.services import document_attachment_open

from . import selectors, services
from .exceptions import DomainError
from .forms import ReviewAssignForm, ReviewDecisionForm, call_service
from .models import Attachment, Department, ReviewTask, Role, User
from .permissions import can_decide_review, is_review_lead
from .workdays import local_today


#: 我的工作 shows the soonest deadlines; the API lists them all.
MY_DEADLINES_SHOWN = 50


def my_work(request):
    user = request.user
    if user.department_id:
        # The header shows the department anyway; loaded here it also says whether the body has cases.
        user.department = department_with_case_flag(department_id=user.department_id)
    reviews = []
    if user.has_role(Role.REVIEWER):
        reviews = list(selectors.review_queue_for(user=user)[:50])
    return render(request, "core/my_work.html", {
        "work": decision_work_for(user=user), "reviews": reviews, "today": local_today(),
        "normative": normative_work_for(user=user),
        "cases": case_work_for(user=user),
        "deadlines": deadline_selectors.with_lights(deadline_selectors.deadlines_for(user)[:MY_DEADLINES_SHOWN]),
    })


def review_queue(request):
    filters = {key: request.GET.get(key) for key in ("department", "kind", "due_before", "state", "mine")}
    if filters["department"] and not filters["department"].isdigit():
        filters["department"] = None
    page = Paginator(selectors.review_queue_for(user=request.user, filters=filters), 20).get_page(request.GET.get("page"))
    return render(request, "core/review_queue.html", {
        "page": page, "filters": filters, "today": local_today(),
        "departments": Department.objects.filter(kind=Department.Kind.DEPARTMENT).only("id", "name"),
        "kinds": ReviewTask.Kind.choices,
    })


def _task_or_404(request, pk: int) -> ReviewTask:
    try:
        return selectors.review_task_get_for_user(user=request.user, task_id=pk)
    except ReviewTask.DoesNotExist:
        raise Http404


#: The staff page of the object under review, per review kind.
REVIEW_SUBJECT_PAGES = {ReviewTask.Kind.DECISION: "decisions:detail",
                        ReviewTask.Kind.NORMATIVE_DOCUMENT: "normative_docs:detail",
                        ReviewTask.Kind.ENFORCEMENT: "enforcement:detail"}


def review_detail(request, pk: int):
    task = _task_or_404(request, pk)
    form = ReviewDecisionForm(request.POST or None, kind=task.kind)
    if request.method == "POST":
        if form.is_valid():
            ok, _task = call_service(form, lambda: services.review_task_decide(
                task_id=pk, actor=request.user, outcome=form.cleaned_data["outcome"],
                opinion=form.cleaned_data["opinion"], checklist=form.checklist()))
            if ok:
                messages.success(request, _("审查结论已提交。"))
                return redirect("core:review-queue")
    subject = task.subject
    return render(request, "core/review_detail.html", {
        "task": task, "subject": subject, "form": form, "can_decide": can_decide_review(request.user, task),
        "assign_form": ReviewAssignForm() if is_review_lead(request.user) and task.is_open else None,
        "subject_url": reverse(REVIEW_SUBJECT_PAGES[task.kind], args=[task.object_id])
        if task.kind in REVIEW_SUBJECT_PAGES else "",
        "history": selectors.reviews_of(subject).exclude(pk=task.pk) if subject else [],
        "minimum_policy": DeadlinePolicy.objects.filter(code=f"{task.kind}.legality_review_min",
                                                        effective_from__lte=task.submitted_on)
        .order_by("-effective_from").first(),
    }, status=400 if request.method == "POST" else 200)


def review_claim(request, pk: int):
    if request.method == "POST":
        try:
            services.review_task_claim(task_id=pk, actor=request.user)
        except ReviewTask.DoesNotExist:
            raise Http404
        except DomainError as error:
            # The task may no longer be visible (a colleague claimed it): show why on the queue, not on a 404.
            messages.error(request, error.message)
            return redirect("core:review-queue")
        else:
            messages.success(request, _("已认领，请开展审查。"))
    return redirect("core:review-detail", pk=pk)


def review_assign(request, pk: int):
    form = ReviewAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_task_assign(task_id=pk, actor=request.user, assignee_id=form.cleaned_data["assignee"].pk)
        except ReviewTask.DoesNotExist:
            raise Http404
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已分派。"))
    return redirect("core:review-detail", pk=pk)


#: Who checks a download, per app of the object the file belongs to.
ATTACHMENT_OPENERS = {"normative_docs": document_attachment_open, "enforcement": case_attachment_open}


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


def responsibility(request, user_id: int):
    """责任倒查: every recorded step one person took part in. For supervisors,
    the office, and the person themself."""
    user = request.user
    if not (user.pk == user_id or {Role.SUPERVISOR, Role.OFFICE} & set(user.roles)):
        raise PermissionDenied
    person = User.objects.filter(pk=user_id).select_related("department").first()
    if person is None:
        raise Http404
    page = Paginator(selectors.responsibility_events(person=person), 50).get_page(request.GET.get("page"))
    return render(request, "core/responsibility.html", {"person": person, "page": page})
