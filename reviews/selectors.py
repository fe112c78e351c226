"""Reads of the legality review queue."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from core.models import Role

from .models import ReviewTask


def review_tasks_visible_to(*, user) -> QuerySet[ReviewTask]:
    """A review unit's reviewers (市司法局, a district's 司法局, a 司法所) see the open unassigned
    tasks sent to their unit and everything assigned to them; the unit's head its whole queue;
    the office and supervisors see all."""
    if not user.is_authenticated:
        return ReviewTask.objects.none()
    roles = set(user.roles)
    if {Role.OFFICE, Role.SUPERVISOR} & roles:
        return ReviewTask.objects.all()
    if Role.REVIEWER not in roles or user.department_id is None:
        return ReviewTask.objects.none()
    sent_here = ReviewTask.objects.filter(review_unit_id=user.department_id)
    if Role.HEAD in roles:  # the head of the review body sees the body's whole queue
        return sent_here
    return sent_here.filter(Q(status=ReviewTask.Status.OPEN) | Q(assigned_to=user))


def reviewable_object_ids(*, user, model) -> QuerySet:
    content_type = ContentType.objects.get_for_model(model)
    return review_tasks_visible_to(user=user).filter(content_type=content_type).values("object_id")


def review_queue_for(*, user, filters: dict | None = None) -> QuerySet[ReviewTask]:
    filters = filters or {}
    tasks = review_tasks_visible_to(user=user).select_related("department", "review_unit", "assigned_to",
                                                              "submitted_by")
    if filters.get("state") == "done":
        tasks = tasks.filter(status=ReviewTask.Status.DONE).order_by("-decided_at", "-id")
    elif filters.get("state") == "early":  # concluded before the earliest date, with the reason (issue 12)
        tasks = tasks.filter(status=ReviewTask.Status.DONE).exclude(early_reason="").order_by("-decided_at", "-id")
    else:
        tasks = tasks.exclude(status=ReviewTask.Status.DONE)
    if filters.get("mine"):
        tasks = tasks.filter(assigned_to=user)
    if filters.get("department"):
        tasks = tasks.filter(department_id=filters["department"])
    if filters.get("kind"):
        tasks = tasks.filter(kind=filters["kind"])
    if filters.get("due_before"):
        tasks = tasks.filter(due_on__lte=filters["due_before"])
    return tasks


def review_task_get_for_user(*, user, task_id: int) -> ReviewTask:
    return review_queue_base(user).get(pk=task_id)


def review_queue_base(user) -> QuerySet[ReviewTask]:
    return review_tasks_visible_to(user=user).select_related("department", "review_unit", "assigned_to", "submitted_by",
                                                            "content_type")


def reviews_of(obj) -> QuerySet[ReviewTask]:
    content_type = ContentType.objects.get_for_model(type(obj))
    return ReviewTask.objects.filter(content_type=content_type, object_id=obj.pk).select_related("assigned_to")
