"""Every read of enforcement cases used by the staff pages and 我的工作."""
from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from core.models import Attachment, Role, User

from .models import Case, OfficerCertificate, RecordEntry, Recusal
from .workflow import CaseStatus as S

#: Cases whose life is over: they leave 我的工作.
ENDED_STATES = (S.NOT_OPENED, S.ARCHIVED)
WORK_LIMIT = 100

LIST_COLUMNS = ("id", "number", "title", "status", "key_area", "kind", "party_type", "party_name", "clue_received_on",
                "opened_on", "decided_on", "updated_at", "body__name", "body__short_name")


def case_list_for_user(*, user: User, filters: dict | None = None) -> QuerySet[Case]:
    """The cases the user may see; filters: ``status``, ``key_area``, ``year`` (of the clue's registration)."""
    filters = filters or {}
    cases = Case.objects.visible_to(user).select_related("body").only(*LIST_COLUMNS)
    if filters.get("status"):
        cases = cases.filter(status=filters["status"])
    if filters.get("key_area"):
        cases = cases.filter(key_area=filters["key_area"])
    if filters.get("year"):
        cases = cases.filter(clue_received_on__year=filters["year"])
    return cases.order_by("-updated_at", "-id")


def case_get_for_user(*, user: User, case_id: int) -> Case:
    """Raises Case.DoesNotExist for what the user may not see (a 404, never a 403)."""
    return (
        Case.objects.visible_to(user)
        .select_related("body", "body__enforcement_profile", "hearing_chair", "created_by", "notice")
        .prefetch_related(
            Prefetch("officers", queryset=User.objects.order_by("id").prefetch_related(
                Prefetch("enforcement_certificates", queryset=OfficerCertificate.objects.order_by("-valid_until")))),
            Prefetch("records", queryset=RecordEntry.objects.order_by("happened_at", "id").prefetch_related(
                Prefetch("officers", queryset=User.objects.order_by("id")),
                Prefetch("attachments", queryset=Attachment.objects.order_by("id")))),
            Prefetch("recusals", queryset=Recusal.objects.select_related("officer", "decided_by").order_by("id")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
        )
        .get(pk=case_id)
    )


def certified_officers(*, body_id: int, on: dt.date) -> QuerySet[User]:
    """Active users holding a certificate of the body valid on ``on`` (who may be assigned to a case)."""
    certified = OfficerCertificate.objects.filter(body_id=body_id, valid_from__lte=on, valid_until__gte=on)
    return User.objects.filter(pk__in=certified.values("user_id"), is_active=True).order_by("full_name", "id")


def body_users(*, body_id: int) -> QuerySet[User]:
    """The body's active people (e.g. for a hearing chair)."""
    return User.objects.filter(department_id=body_id, is_active=True).order_by("full_name", "id")


def case_work_for(*, user: User, limit: int = WORK_LIMIT) -> list[Case]:
    """本单位执法案件 for 我的工作: the body's cases not yet archived or declined, for its
    staff and heads. One query, at most ``limit`` rows; none for other roles. (A department
    annotated with whether it has such cases cost a query of its own, the case query's price.)"""
    if not ({Role.STAFF, Role.HEAD} & set(user.roles) and user.department_id):
        return []
    return list(
        Case.objects.filter(body_id=user.department_id).exclude(status__in=ENDED_STATES)
        .only("id", "number", "title", "status", "opened_on", "updated_at")
        .order_by("-updated_at", "-id")[:limit]
    )


def pending_recusals(case: Case) -> list[Recusal]:
    """The undecided recusal requests, from the prefetched rows."""
    return [r for r in case.recusals.all() if r.granted is None]

