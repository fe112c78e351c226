"""Every read of normative documents: the staff pages, 我的工作 and the public library (no login)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from core.models import Attachment, Department, Role, User
from core.workdays import local_today

from .models import DocumentRelation, DraftingProcedure, FilingRecord, NormativeDocument
from .workflow import DocumentStatus as S
from .workflow import PublicStatus, normalize_number, number_query

#: Documents whose life is over: they leave 我的工作.
ENDED_STATES = (S.NOT_ADOPTED, S.AMENDED, S.REPEALED, S.EXPIRED)
#: Waiting for the issuer (制定机关): deliberation, numbering, publication.
ISSUER_STATES = (S.READY_FOR_DELIBERATION, S.DELIBERATED, S.REGISTERED)
GOVERNMENT_KINDS = (Department.Kind.CITY, Department.Kind.DISTRICT, Department.Kind.TOWNSHIP)


def document_list_for_user(*, user: User, filters: dict | None = None) -> QuerySet[NormativeDocument]:
    """The documents the user may see; filters: ``status``, ``year`` (of publication, or of
    the proposal while unpublished), ``q`` (title or 文号)."""
    filters = filters or {}
    documents = NormativeDocument.objects.visible_to(user).with_list_columns().only(
        "id", "title", "doc_type", "status", "number", "published_on", "effective_on", "valid_until", "updated_at",
        "origin",
        "issuer__name", "issuer__short_name", "drafting_department__name", "drafting_department__short_name",
    )
    if filters.get("status"):
        documents = documents.filter(status=filters["status"])
    if filters.get("year"):
        year = filters["year"]
        documents = documents.filter(Q(published_on__year=year) | Q(published_on__isnull=True, created_at__year=year))
    if filters.get("q"):
        documents = documents.filter(matching_q(filters["q"].strip()))
    return documents.order_by("-updated_at", "-id")


def document_get_for_user(*, user: User, document_id: int) -> NormativeDocument:
    """Raises NormativeDocument.DoesNotExist for what the user may not see (a 404, never a 403)."""
    return (
        NormativeDocument.objects.visible_to(user)
        .select_related("issuer", "drafting_department", "filing_body", "created_by")
        .prefetch_related(
            Prefetch("procedures", queryset=DraftingProcedure.objects.select_related("recorded_by")
                     .prefetch_related("attachments")),
            "attachments",
            Prefetch("changes_made", queryset=DocumentRelation.objects.select_related("older", "older__issuer")),
            Prefetch("changed_by", queryset=DocumentRelation.objects.select_related("newer", "newer__issuer")),
            Prefetch("filings", queryset=FilingRecord.objects.select_related("filing_body")),
        )
        .get(pk=document_id)
    )


def document_pair_for_user(*, user: User, document_id: int, other_id: int) -> tuple[NormativeDocument, NormativeDocument]:
    """Two versions to compare, both visible to the user (DoesNotExist otherwise)."""
    documents = {d.pk: d for d in NormativeDocument.objects.visible_to(user).select_related("issuer")
                 .filter(pk__in=[document_id, other_id])}
    if document_id == other_id or len(documents) != 2:
        raise NormativeDocument.DoesNotExist
    return documents[document_id], documents[other_id]


def link_candidates(*, document: NormativeDocument) -> QuerySet[NormativeDocument]:
    """Published documents a draft may replace, amend or repeal."""
    return (NormativeDocument.objects.public().exclude(pk=document.pk).select_related("issuer")
            .only("id", "title", "number", "issuer__name", "issuer__short_name").order_by("-published_on", "-id"))


def issuers_for(*, user: User) -> QuerySet[Department]:
    """Whom a unit may propose a document for: its own department; the government office
    also for any people's government."""
    condition = Q(pk=user.department_id)
    if user.has_role(Role.OFFICE):
        condition |= Q(kind__in=GOVERNMENT_KINDS)
    return Department.objects.filter(condition).order_by("sort_order", "id")


def historical_issuers_for(*, user: User) -> QuerySet[Department]:
    """The bodies whose earlier documents the user may register (历史文件登记): those that
    file with the user's body — townships with their district or county, every other body
    with the city's justice bureau (as ``permissions.filing_body_for``)."""
    if Role.REVIEWER not in user.roles or not user.department_id:
        return Department.objects.none()
    township = Q(kind=Department.Kind.TOWNSHIP, parent__isnull=False)
    condition = township & Q(parent_id=user.department_id)
    if Department.objects.filter(pk=user.department_id, code="hz-justice").exists():
        condition |= ~township
    return Department.objects.filter(condition).order_by("sort_order", "id")


def may_register_historical(user: User) -> bool:
    """Whether ``historical_issuers_for`` has anyone for the user (one query, for a button)."""
    if Role.REVIEWER not in user.roles or not user.department_id:
        return False
    return Department.objects.filter(Q(pk=user.department_id, code="hz-justice")
                                     | Q(parent_id=user.department_id, kind=Department.Kind.TOWNSHIP)).exists()


#: 本单位规范性文件: at most this many, the last changed first
NORMATIVE_WORK_SHOWN = 100


def normative_work_for(*, user: User, limit: int = NORMATIVE_WORK_SHOWN) -> list[NormativeDocument]:
    """本单位规范性文件 for 我的工作: the unit's documents still in progress or in force
    (as drafter or issuer), and for the office those waiting for a government's
    deliberation, number or publication. One query, at most ``limit`` rows.

    Each way of belonging is its own branch, read newest first down its own index and cut
    at ``limit``, and the branches are joined by a ``UNION`` (one document may be in several):
    an ``OR`` of them hides the unit's indexes and walks every unit's documents (0023)."""
    roles = set(user.roles)
    branches = []
    if {Role.STAFF, Role.HEAD} & roles and user.department_id:
        branches += [Q(drafting_department_id=user.department_id), Q(issuer_id=user.department_id)]
    if Role.OFFICE in roles:
        branches.append(Q(issuer__kind__in=GOVERNMENT_KINDS, status__in=ISSUER_STATES))
    if not branches:
        return []
    order = ("-updated_at", "-id")
    parts = [
        NormativeDocument.objects.filter(condition).exclude(status__in=ENDED_STATES)
        .select_related("issuer").only("id", "title", "status", "number", "valid_until", "updated_at",
                                       "issuer__name", "issuer__short_name", "issuer__kind")
        .order_by(*order)[:limit]
        for condition in branches
    ]
    if len(parts) == 1:
        return list(parts[0])
    return list(parts[0].union(*parts[1:]).order_by(*order)[:limit])


# ================================================================== public library (no login)
#: Only files attached to the document itself for publication are public; drafting
#: evidence (调研、论证、征求意见 …) stays inside.
PUBLIC_ATTACHMENT_PURPOSE = "published"
LIST_COLUMNS = ("id", "title", "number", "status", "signed_on", "published_on", "effective_on", "valid_until",
                "origin", "issuer__name", "issuer__short_name")


def public_status_q(status: str, today: dt.date) -> Q:
    """The condition of one 时效性 as a query on states and dates — the same answer as
    ``NormativeDocument.public_status()``, so 失效 shows the day after ``valid_until``
    even before the nightly job has moved the document."""
    lapsed = Q(valid_until__isnull=False, valid_until__lt=today)
    return {
        PublicStatus.REPEALED: Q(status=S.REPEALED),
        PublicStatus.AMENDED: Q(status=S.AMENDED),
        PublicStatus.EXPIRED: Q(status=S.EXPIRED) | (Q(status=S.PUBLISHED) & lapsed),
        PublicStatus.NOT_YET: Q(status=S.PUBLISHED, effective_on__gt=today) & ~lapsed,
        PublicStatus.VALID: Q(status=S.PUBLISHED, effective_on__lte=today) & ~lapsed,
    }[PublicStatus(status)]


def library_list(*, filters: dict, today: dt.date | None = None) -> QuerySet[NormativeDocument]:
    """Every public document matching the search: title words (all of them), or — for a 文号
    in any bracket style — that number alone (``number_query``: never a longer serial, another
    year or another issuer)."""
    today = today or local_today()
    documents = NormativeDocument.objects.public().select_related("issuer").only(*LIST_COLUMNS)
    documents = documents.filter(matching_q((filters.get("q") or "").strip()))
    if filters.get("issuer"):
        documents = documents.filter(issuer=filters["issuer"])
    if filters.get("status"):
        documents = documents.filter(public_status_q(filters["status"], today))
    if filters.get("year"):
        documents = documents.filter(published_on__year=filters["year"])
    return documents.order_by("-published_on", "-id")


def matching_q(query: str) -> Q:
    """Documents whose 文号 is the query when it is one (``number_query``); otherwise those
    whose title holds every word, or whose 文号 holds the query (an issuer's prefix, 湖发改规)."""
    if not query:
        return Q()
    number = number_query(query)
    if number is not None:
        return number.condition()
    by_title = Q()
    for word in query.split():
        by_title &= Q(title__icontains=word)
    return by_title | Q(number_normalized__icontains=normalize_number(query))


def library_get(*, document_id: int) -> NormativeDocument:
    """Raises NormativeDocument.DoesNotExist for what is not public."""
    return NormativeDocument.objects.public().select_related("issuer").get(pk=document_id)


def document_pages_for(*, user: User, document_ids: list[int]) -> dict[int, str]:
    """Which page of each document opens for ``user``: "staff" (``document_get_for_user``'s rule),
    else "public" (``library_get``'s), else none (left out): two queries whatever the number."""
    staff = set(NormativeDocument.objects.visible_to(user).filter(pk__in=document_ids).values_list("pk", flat=True))
    public = set(NormativeDocument.objects.public().filter(pk__in=document_ids).values_list("pk", flat=True))
    return {pk: "staff" if pk in staff else "public" for pk in staff | public}


def library_chain(document: NormativeDocument) -> tuple[list[DocumentRelation], list[DocumentRelation]]:
    """立改废: what this document replaced, amended or repealed, and what later changed it —
    public documents only (a draft that will replace this one is nobody's business yet)."""
    public = NormativeDocument.objects.public()
    changed = list(DocumentRelation.objects.filter(newer=document, older__in=public)
                   .select_related("older", "older__issuer").order_by("older__published_on", "older_id"))
    changed_by = list(DocumentRelation.objects.filter(older=document, newer__in=public)
                      .select_related("newer", "newer__issuer").order_by("newer__published_on", "newer_id"))
    return changed, changed_by


def library_attachments(document: NormativeDocument) -> list[Attachment]:
    return list(document.attachments.filter(purpose=PUBLIC_ATTACHMENT_PURPOSE).order_by("uploaded_at", "id"))


def document_submission_summary(*, document: NormativeDocument) -> dict:
    """What goes to the legality review (送请合法性审核), shown before submitting: the draft and its
    explanation, and each procedure this document requires with its record of this round and the number
    of evidence files (the checks of ``SUBMIT_FOR_REVIEW_CHECKS`` refuse a submission with gaps)."""
    from .workflow import Procedure, required_procedures_for

    records = {r.kind: r for r in document.procedures.filter(round=document.round).annotate(files=Count("attachments"))}
    procedures = [{"label": Procedure(kind).label, "record": records.get(kind), "status": _("已记录"),
                   "files": records[kind].files if kind in records else 0}
                  for kind in required_procedures_for(document)]
    return {"draft_chars": len(document.body or ""), "explanation_chars": len(document.explanation or ""),
            "explanation_required": True, "procedures": procedures,
            "missing": [p["label"] for p in procedures if p["record"] is None],
            "missing_note": _("尚未完成的程序须先记录并留存证据，否则不能送请合法性审核。")}
