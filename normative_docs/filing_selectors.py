"""Reads of the filing review (备案审查) and of documents for the API: who sees which
filing, the filing body's queue with its counts per status, one document with all
that its detail shows. Lists are fixed-cost (``select_related``, one count query)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet

from core.models import Attachment, Role, User
from core.permissions import is_reviewer, is_supervisor

from .models import DocumentRelation, DraftingProcedure, FilingRecord, NormativeDocument
from .workflow import FilingStatus


def filings_visible_to(*, user: User) -> QuerySet[FilingRecord]:
    """Supervisors and the office see every filing; the filing body's reviewers their
    body's; the issuer's and the drafting unit's staff and head their own documents'."""
    if not user.is_authenticated:
        return FilingRecord.objects.none()
    roles = set(user.roles)
    if {Role.SUPERVISOR, Role.OFFICE} & roles:
        return FilingRecord.objects.all()
    condition = Q(pk__in=[])
    if Role.REVIEWER in roles and user.department_id:
        condition |= Q(filing_body_id=user.department_id)
    if {Role.STAFF, Role.HEAD} & roles and user.department_id:
        condition |= Q(document__issuer_id=user.department_id) | Q(document__drafting_department_id=user.department_id)
    return FilingRecord.objects.filter(condition)


def may_see_filing_queue(user: User) -> bool:
    return is_reviewer(user) or is_supervisor(user)


def filing_queue_for(*, user: User, status: str | None = None) -> tuple[QuerySet[FilingRecord], dict[str, int]]:
    """The filing body's filings (supervisors: all), newest first, and the count per status
    over the same rows (one query). Others may not open the queue."""
    if not may_see_filing_queue(user):
        raise PermissionDenied
    filings = FilingRecord.objects.all() if is_supervisor(user) else FilingRecord.objects.filter(
        filing_body_id=user.department_id)
    counts = {row["status"]: row["n"] for row in filings.order_by().values("status").annotate(n=Count("id"))}
    if status in FilingStatus.values:
        filings = filings.filter(status=status)
    rows = filings.select_related("document", "document__issuer", "filing_body", "submitted_by").order_by(
        "-submitted_on", "-id")
    return rows, counts


def filing_get_for_user(*, user: User, filing_id: int) -> FilingRecord:
    return (filings_visible_to(user=user)
            .select_related("document", "document__issuer", "document__drafting_department", "filing_body",
                            "submitted_by", "reviewer")
            .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
            .get(pk=filing_id))


def document_list_for_user(*, user: User) -> QuerySet[NormativeDocument]:
    return NormativeDocument.objects.visible_to(user).with_list_columns().order_by("-updated_at", "-id")


def document_get_for_user(*, user: User, document_id: int) -> NormativeDocument:
    """One document with its procedures (and evidence), its 立改废 relations both ways and its filings."""
    return (NormativeDocument.objects.visible_to(user)
            .select_related("issuer", "drafting_department", "filing_body")
            .prefetch_related(
                Prefetch("procedures", queryset=DraftingProcedure.objects.select_related("recorded_by")
                         .prefetch_related("attachments").order_by("round", "kind")),
                Prefetch("changes_made", queryset=DocumentRelation.objects.select_related("older")),
                Prefetch("changed_by", queryset=DocumentRelation.objects.select_related("newer")),
                Prefetch("filings", queryset=FilingRecord.objects.select_related("filing_body")
                         .prefetch_related("attachments").order_by("-submitted_on", "-id")),
            )
            .get(pk=document_id))
