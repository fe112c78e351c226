"""Every read of decisions and catalogs used by pages, the API and exports."""
from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from core.bodies import city_government
from core.models import Department, User

from .models import Catalog, CatalogAdjustment, CatalogItem, Decision, ProcedureRecord
from .workflow import Disclosure


def decision_list_for_user(*, user: User, filters: dict | None = None) -> QuerySet[Decision]:
    filters = filters or {}
    decisions = Decision.objects.visible_to(user).with_list_columns().only(
        "id", "title", "year", "status", "category", "disclosure", "updated_at", "published_at",
        "department__name", "department__short_name", "catalog_item__name", "catalog_item__number",
    )
    if filters.get("status"):
        decisions = decisions.filter(status=filters["status"])
    if filters.get("year"):
        decisions = decisions.filter(year=filters["year"])
    if filters.get("department"):
        decisions = decisions.filter(department_id=filters["department"])
    if filters.get("units") is not None:
        decisions = decisions.filter(department_id__in=filters["units"])
    if filters.get("q"):
        decisions = decisions.filter(title__icontains=filters["q"])
    return decisions.order_by("-updated_at", "-id")


def decision_get_for_user(*, user: User, decision_id: int) -> Decision:
    """Raises Decision.DoesNotExist for what the user may not see (a 404, never a 403)."""
    return (
        Decision.objects.visible_to(user)
        .select_related("department", "catalog_item", "catalog_item__catalog", "created_by")
        .prefetch_related(
            Prefetch("procedure_records", queryset=ProcedureRecord.objects.select_related("recorded_by")
                     .prefetch_related("attachments")),
            "meeting_records", "execution_reports", "post_evaluations",
        )
        .get(pk=decision_id)
    )


def public_decision_list(*, year: int | None = None) -> QuerySet[Decision]:
    decisions = Decision.objects.public().select_related("department", "catalog_item").only(
        "id", "title", "summary", "year", "status", "published_at", "document_number",
        "department__name", "catalog_item__name", "catalog_item__number",
    )
    if year:
        decisions = decisions.filter(year=year)
    return decisions.order_by("-published_at", "-id")


def public_decision_get(*, decision_id: int) -> Decision:
    return (
        Decision.objects.public()
        .select_related("department", "catalog_item")
        .prefetch_related("meeting_records", "execution_reports", "post_evaluations", "procedure_records")
        .get(pk=decision_id)
    )


def public_catalog_years(*, body: Department | None = None) -> list[int]:
    """Years with a published catalog (of any body, or of ``body``), newest first."""
    catalogs = Catalog.objects.published()
    if body is not None:
        catalogs = catalogs.filter(body=body)
    return sorted(set(catalogs.values_list("year", flat=True)), reverse=True)


def public_catalog_index(*, year: int | None = None, level: str | None = None) -> QuerySet[Catalog]:
    """Published catalogs of every decision body, by year, then level (市, 区县, 乡镇街道) and the
    reference order of the bodies; one query."""
    catalogs = Catalog.objects.published().select_related("body")
    if year:
        catalogs = catalogs.filter(year=year)
    if level:
        catalogs = catalogs.filter(body__level=level)
    level_order = Case(*[When(body__level=value, then=Value(rank)) for rank, value in enumerate(Department.Level.values)],
                       output_field=IntegerField())
    return catalogs.order_by("-year", level_order, "body__sort_order", "body_id")


def public_catalog_get(*, year: int, body: Department | None = None) -> Catalog:
    """A published catalog: the city government's unless another body is named."""
    catalogs = Catalog.objects.published().select_related("body")
    return (catalogs.get(year=year, body=body) if body is not None
            else catalogs.get(year=year, body__kind=Department.Kind.CITY))


def public_catalog_items(catalog: Catalog) -> QuerySet[CatalogItem]:
    """The public items of a published catalog in its order (a page of them: ``core.keyset``)."""
    return CatalogItem.objects.public().filter(catalog=catalog).select_related("lead_department").order_by(
        "number", "id")


def public_catalog(*, year: int, body: Department | None = None) -> tuple[Catalog, list[CatalogItem],
                                                                        list[CatalogAdjustment]]:
    """A published catalog (the city government's unless another body is named) with its public
    items and published adjustments. Withheld items are neither listed nor counted."""
    catalog = public_catalog_get(year=year, body=body)
    return catalog, list(public_catalog_items(catalog)), public_catalog_adjustments(catalog)


def public_catalog_adjustments(catalog: Catalog) -> list[CatalogAdjustment]:
    """The published adjustments of a catalog's public items (a catalog has tens)."""
    return list(
        CatalogAdjustment.objects.filter(
            catalog=catalog, status=CatalogAdjustment.Status.PUBLISHED, item__disclosure=Disclosure.PUBLIC
        ).select_related("item", "item__lead_department").order_by("published_at", "id")
    )


def public_catalog_item_get(*, year: int, item_id: int) -> CatalogItem:
    """One public item of a published catalog (its own page, where the search links)."""
    return CatalogItem.objects.public().select_related("catalog", "catalog__body", "lead_department").get(
        pk=item_id, catalog__year=year)


def catalog_for_management(*, user: User, year: int, body: Department | None = None
                           ) -> tuple[Catalog | None, QuerySet[CatalogItem]]:
    body = body or city_government()
    catalog = Catalog.objects.filter(year=year, body=body).first()
    items = CatalogItem.objects.visible_to(user).filter(catalog__year=year, catalog__body=body).select_related(
        "lead_department", "proposed_by").order_by("status", "number", "id")
    return catalog, items


def catalog_adjustments_for_management(*, user: User, year: int, body: Department | None = None
                                       ) -> QuerySet[CatalogAdjustment]:
    body = body or city_government()
    adjustments = CatalogAdjustment.objects.filter(catalog__year=year, catalog__body=body).select_related(
        "item", "item__lead_department", "proposed_by")
    from .permissions import can_manage_catalog
    if not can_manage_catalog(user, body) and not user.has_role("supervisor"):
        adjustments = adjustments.filter(item__lead_department_id=user.department_id)
    return adjustments.order_by("-created_at", "-id")


def catalog_items_for_decision(*, user: User) -> QuerySet[CatalogItem]:
    """Catalog items a staff member may link a new decision to."""
    return CatalogItem.objects.filter(
        lead_department_id=user.department_id, status=CatalogItem.Status.INCLUDED
    ).select_related("catalog").order_by("-catalog__year", "number")


#: the columns 我的工作 shows of each list (workbench/my_work.html): compiling and reading every column of the
#: joined rows cost more than the rows (~1 ms a list, most of it for lists that are empty)
MY_WORK_DEPARTMENT_COLUMNS = ("id", "title", "status", "updated_at", "catalog_item__planned_completion",
                              "catalog_item__planned_completion_precision")
MY_WORK_OFFICE_COLUMNS = ("id", "title", "status", "updated_at", "department__name")
MY_WORK_ADJUSTMENT_COLUMNS = ("id", "kind", "catalog__year", "catalog__body__code", "item__name")


def decision_work_for(*, user: User, limit: int = 100) -> dict[str, list]:
    """What waits for this user's action, for the 我的工作 page (fixed query count): at most ``limit``
    of the department's and of the office's decisions, and every catalog change waiting (up to 100)."""
    from core.models import Role

    from .workflow import DecisionStatus as S

    work: dict[str, list] = {"department": [], "office": [], "catalog_adjustments": [], "catalogs": []}
    roles = set(user.roles)
    if {Role.STAFF, Role.HEAD} & roles and user.department_id:
        work["department"] = list(
            Decision.objects.filter(department_id=user.department_id).exclude(status=S.ARCHIVED)
            .select_related("catalog_item").only(*MY_WORK_DEPARTMENT_COLUMNS).order_by("status", "-updated_at")[:limit]
        )
    if Role.OFFICE in roles:
        work["office"] = list(
            Decision.objects.filter(status__in=(S.READY_FOR_DISCUSSION, S.DEFERRED, S.DECIDED))
            .select_related("department").only(*MY_WORK_OFFICE_COLUMNS).order_by("updated_at")[:limit]
        )
    # the catalog's manager: 政府办 for the city, the body's head for any other decision body
    managed = Q(body__kind=Department.Kind.CITY) if Role.OFFICE in roles else (
        Q(body_id=user.department_id) if Role.HEAD in roles and user.department_id else None)
    if managed is not None:
        work["catalog_adjustments"] = list(
            CatalogAdjustment.objects.filter(status=CatalogAdjustment.Status.PROPOSED)
            .filter(**{f"catalog__{key}": value for key, value in managed.children})
            .select_related("catalog__body", "item").only(*MY_WORK_ADJUSTMENT_COLUMNS)[:100]
        )
        work["catalogs"] = list(Catalog.objects.filter(managed).exclude(status=Catalog.Status.PUBLISHED)
                                .select_related("body").order_by("year"))
    return work


# ================================================================== public execution tracker
#: The decisions the public tracker (决策执行情况) follows: published and being, or done being, executed.
TRACKED_STATES = ("executing", "suspended", "post_evaluation", "completed")


def public_execution_tracker(*, department: int | None = None, year: int | None = None) -> QuerySet[Decision]:
    """Public decisions in execution with what of their execution is meant for the public: each
    report's date, progress and whether targets are met (not its internal problems or reporter),
    and post-evaluations (findings and conclusion only once concluded). Three queries a page."""
    from .models import ExecutionReport, PostEvaluation

    decisions = Decision.objects.public().filter(status__in=TRACKED_STATES)
    if department:
        decisions = decisions.filter(department_id=department)
    if year:
        decisions = decisions.filter(year=year)
    return (decisions.select_related("department")
            .only("id", "title", "year", "status", "published_at", "document_number", "department__name")
            .prefetch_related(
                Prefetch("execution_reports", to_attr="public_reports", queryset=ExecutionReport.objects.only(
                    "id", "decision_id", "reported_on", "progress", "targets_missed").order_by("-reported_on", "-id")),
                Prefetch("post_evaluations", to_attr="public_evaluations", queryset=PostEvaluation.objects.only(
                    "id", "decision_id", "trigger", "evaluator", "started_on", "findings", "conclusion",
                    "completed_on").order_by("-started_on", "-id")))
            .order_by("-published_at", "-id"))


def public_execution_tracker_facets() -> dict[str, list]:
    """The departments and years the tracker can be filtered by."""
    decisions = Decision.objects.public().filter(status__in=TRACKED_STATES)
    return {
        "years": list(decisions.order_by("-year").values_list("year", flat=True).distinct()),
        "departments": list(decisions.order_by("department__name")
                            .values_list("department_id", "department__name").distinct()),
    }


def decision_submission_summary(*, decision: Decision) -> dict:
    """What goes to the legality review, shown before submitting: the draft and its explanation,
    and each required procedure of this round with its record (done, skipped on a ground, or missing)
    and the number of evidence files."""
    from django.db.models import Count

    from .workflow import ALWAYS_REQUIRED, Procedure

    records = {r.kind: r for r in decision.procedure_records.filter(round=decision.round)
               .annotate(files=Count("attachments"))}
    procedures = []
    for kind in decision.required_procedures:
        if kind in ALWAYS_REQUIRED:  # the review itself and the meeting come after
            continue
        record = records.get(kind)
        procedures.append({"label": Procedure(kind).label, "record": record,
                           "status": record.get_status_display() if record else None,
                           "files": record.files if record else 0})
    return {"draft_chars": len(decision.draft_text or ""), "explanation_chars": len(decision.explanation or ""),
            "procedures": procedures, "missing": [p["label"] for p in procedures if p["record"] is None],
            "missing_note": _("尚未记录的程序须先记录或依法说明免予履行，否则不能提交。")}
