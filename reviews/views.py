"""Pages of the legality review queue: the queue, one task (claim, assign, decide)."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.forms import call_service
from core.keyset import keyset_page
from core.models import Department
from core.permissions import is_review_lead
from core.workdays import local_today
from deadlines.models import DeadlinePolicy

from . import selectors, services
from .forms import ReviewAssignForm, ReviewDecisionForm
from .models import ReviewTask
from .permissions import can_decide_review


def review_queue(request):
    filters = {key: request.GET.get(key) for key in ("department", "kind", "due_before", "state", "mine")}
    if filters["department"] and not filters["department"].isdigit():
        filters["department"] = None
    page = keyset_page(request, selectors.review_queue_for(user=request.user, filters=filters))
    return render(request, "reviews/review_queue.html", {
        "page": page, "filters": filters, "today": local_today(),
        "departments": Department.objects.exclude(kind=Department.Kind.JUSTICE_OFFICE).only("id", "name"),
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
                        ReviewTask.Kind.ENFORCEMENT: "enforcement:detail",
                        ReviewTask.Kind.CONTRACT: "contracts:detail"}


def review_detail(request, pk: int):
    task = _task_or_404(request, pk)
    form = ReviewDecisionForm(request.POST or None, kind=task.kind)
    if request.method == "POST":
        if form.is_valid():
            ok, _task = call_service(form, lambda: services.review_task_decide(
                task_id=pk, actor=request.user, outcome=form.cleaned_data["outcome"],
                opinion=form.cleaned_data["opinion"], checklist=form.checklist(),
                early_reason=form.cleaned_data["early_reason"]))
            if ok:
                messages.success(request, _("审查结论已提交。"))
                return redirect("reviews:review-queue")
    subject = task.subject
    return render(request, "reviews/review_detail.html", {
        "task": task, "subject": subject, "form": form, "can_decide": can_decide_review(request.user, task),
        "assign_form": ReviewAssignForm(review_unit_id=task.review_unit_id) if is_review_lead(request.user) and task.is_open else None,
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
            return redirect("reviews:review-queue")
        else:
            messages.success(request, _("已认领，请开展审查。"))
    return redirect("reviews:review-detail", pk=pk)


def review_assign(request, pk: int):
    form = ReviewAssignForm(request.POST or None, review_unit_id=request.user.department_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_task_assign(task_id=pk, actor=request.user, assignee_id=form.cleaned_data["assignee"].pk)
        except ReviewTask.DoesNotExist:
            raise Http404
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已分派。"))
    return redirect("reviews:review-detail", pk=pk)
