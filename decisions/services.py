"""One function per action on a decision or the catalog: atomic, locked,
permission-checked and audited. Pages, the API, the admin and commands all
call these."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import rulebook
from core.audit import record_event
from core.bodies import city_government, decision_body_for
from core.disclosure import (
    DisclosureKind,
    body_named,
    local_date,
    register_disclosure_kind,
    register_published,
)
from core.exceptions import DomainError, InvalidState, TransitionBlocked
from core.models import Attachment, Department, User
from core.permissions import is_office
from core.rulebook import records_refusals
from core.services import attachment_add, attachment_path
from core.workflow import apply_transition
from deadlines import services as deadline_services
from deadlines.engine import fmt
from reviews.models import ReviewTask
from reviews.services import register_review_outcome_handler, review_task_open

from . import procedures, reminders
from .models import (
    Catalog,
    CatalogAdjustment,
    CatalogItem,
    Decision,
    ExecutionReport,
    MeetingRecord,
    PostEvaluation,
    ProcedureRecord,
)
from .permissions import (
    can_act_as_decision_body,
    can_archive,
    can_edit,
    can_edit_draft,
    can_manage_catalog,
    can_propose_catalog_item,
)
from .workflow import (
    ALWAYS_REQUIRED,
    DecisionCategory,
    DecisionStatus,
    Disclosure,
    EvaluationConclusion,
    MeetingOutcome,
    Procedure,
    catalog_procedures,
    parse_planned,
    planned_code,
    track_procedures,
)

S = DecisionStatus


def _lock(decision_id: int, actor) -> Decision:
    return Decision.objects.visible_to(actor).select_for_update(of=("self",)).get(pk=decision_id)


def _transition(decision: Decision, *, actor, name: str, label: str, reason: str = "", details=None,
                extra_fields: tuple[str, ...] = (), **kwargs) -> Decision:
    """Run one FSM transition, save, and audit it (inside the caller's transaction); clocks follow."""
    source = apply_transition(decision, actor=actor, name=name, label=label, reason=reason, details=details,
                              **kwargs)
    reminders.follow_transition(decision, source=source, actor=actor)
    return decision


def _check_disclosure(disclosure: str, withheld_reason: str) -> None:
    if disclosure == Disclosure.WITHHELD and not withheld_reason.strip():
        raise DomainError(_("依法不予公开的，须写明不予公开的法律依据（《政府信息公开条例》第十四条至第十六条）。"),
                          code="withheld_reason_required")


NEW_ITEM_FIELDS = ("name", "content", "legal_basis", "planned_completion", "category")


def item_procedures(value) -> list[str]:
    """履行程序要求 of a catalog item from codes, names or a text ("公众参与、合法性审查、集体讨论决定");
    合法性审查 and 集体讨论决定 are always among them."""
    try:
        return catalog_procedures(value)
    except ValueError as error:
        raise DomainError(_("“%(word)s”不是履行程序要求：可填写公众参与、听证、专家论证、风险评估、公平竞争审查、合法性审查、"
                            "集体讨论决定。") % {"word": error.args[0]}, code="invalid_procedure") from error


def item_planned(value) -> tuple[dt.date, str]:
    """计划完成时间 and its precision: a day, a month ("2025-12", "2025年12月") or a quarter ("2025-Q4")."""
    try:
        return parse_planned(value)
    except ValueError as error:
        raise DomainError(_("计划完成时间“%(value)s”无法识别：请填写日期（2025-12-31）、月份（2025-12 或 2025年12月）"
                            "或季度（2025-Q4 或 2025年第四季度）。") % {"value": value},
                          code="invalid_planned_completion") from error


def _item_values(data: dict[str, Any]) -> dict[str, Any]:
    """The catalog columns as stored: procedures parsed (with the two always required), the
    planned completion as the last day of its period with its precision."""
    data = dict(data)
    data["required_procedures"] = item_procedures(data.get("required_procedures") or [])
    if data.get("planned_completion"):
        data["planned_completion"], data["planned_completion_precision"] = item_planned(data["planned_completion"])
    return data


def _check_new_item(data: dict[str, Any]) -> dict[str, Any]:
    """A catalog item, proposed or added by adjustment, needs every column of the catalog."""
    if any(not data.get(field) for field in NEW_ITEM_FIELDS) or data["category"] not in DecisionCategory.values:
        raise DomainError(_("增加事项须填写事项名称、主要内容、法律政策依据、计划完成时间和类别。"),
                          code="item_incomplete")
    _check_disclosure(data.get("disclosure", Disclosure.PUBLIC), data.get("withheld_reason", ""))
    return _item_values(data)


# ================================================================== catalog
def catalog_body(*, actor: User, body_id: int | None = None) -> Department:
    """The decision body whose catalog is meant: the one named, else the one the actor manages
    (政府办: the city government) or works for (its township, district, or own-catalog department)."""
    if body_id is not None:
        body = Department.objects.filter(pk=body_id, is_decision_body=True).first()
        if body is None:
            raise Catalog.DoesNotExist
        return body
    if is_office(actor):
        return city_government()
    return decision_body_for(actor.department_id) or city_government()


def _catalog_locked(*, actor: User, year: int, body_id: int | None) -> Catalog:
    body = catalog_body(actor=actor, body_id=body_id)
    if not can_manage_catalog(actor, body):
        raise PermissionDenied
    return Catalog.objects.select_for_update().get(body=body, year=year)


@transaction.atomic
def catalog_item_propose(*, actor: User, year: int, data: dict[str, Any]) -> CatalogItem:
    """A unit proposes an item for the year's catalog of the decision body it works for."""
    if not can_propose_catalog_item(actor):
        raise PermissionDenied
    catalog = Catalog.objects.of(decision_body_for(actor.department) or city_government(), year)
    if catalog.status != Catalog.Status.COLLECTING:
        raise DomainError(_("%(year)s年度目录已汇总，新增事项请通过目录调整提出。") % {"year": year},
                          code="catalog_closed")
    data = _check_new_item(data)
    data["decision_body"] = data.get("decision_body") or catalog.body.name
    item = CatalogItem.objects.create(catalog=catalog, lead_department=actor.department, proposed_by=actor, **data)
    record_event(actor=actor, event_type="catalog", obj=catalog, action="catalog_item_propose",
                 action_label=_("申报目录事项"), details={
                     "item": item.pk, "name": item.name, "required_procedures": item.required_procedures,
                     "planned_completion": item.planned_completion_code})
    return item


@transaction.atomic
def catalog_compile(*, actor: User, year: int, included_ids: list[int], note: str = "",
                    body_id: int | None = None) -> Catalog:
    """The office compiles: chosen items are numbered and included, the rest are not."""
    catalog = _catalog_locked(actor=actor, year=year, body_id=body_id)
    if catalog.status != Catalog.Status.COLLECTING:
        raise InvalidState(_("目录已汇总，不能重复汇总。"))
    items = list(catalog.items.filter(status=CatalogItem.Status.PROPOSED).order_by("lead_department__sort_order", "id"))
    if not any(item.pk in included_ids for item in items):
        raise DomainError(_("请至少选择一个列入目录的事项。"), code="catalog_empty")
    number = 0
    for item in items:
        if item.pk in included_ids:
            number += 1
            item.number, item.status = number, CatalogItem.Status.INCLUDED
        else:
            item.status = CatalogItem.Status.NOT_INCLUDED
        item.save(update_fields=["number", "status", "updated_at"])
    catalog.status = Catalog.Status.COMPILED
    catalog.compiled_at = timezone.now()
    catalog.save(update_fields=["status", "compiled_at", "updated_at"])
    record_event(actor=actor, event_type="catalog", obj=catalog, action="catalog_compile", action_label=_("汇总目录"),
                 source_state=Catalog.Status.COLLECTING, target_state=Catalog.Status.COMPILED, reason=note,
                 details={"included": number})
    return catalog


@transaction.atomic
def catalog_record_party_consent(*, actor: User, year: int, consent_on: dt.date, note: str,
                                 body_id: int | None = None) -> Catalog:
    catalog = _catalog_locked(actor=actor, year=year, body_id=body_id)
    if catalog.status != Catalog.Status.COMPILED:
        raise InvalidState(_("目录汇总后方可记录党委同意情况。"))
    if consent_on > timezone.localdate():
        raise DomainError(_("党委同意日期不能晚于今天。"), code="date_in_future")
    catalog.party_consent_on, catalog.party_consent_note = consent_on, note
    catalog.save(update_fields=["party_consent_on", "party_consent_note", "updated_at"])
    record_event(actor=actor, event_type="catalog", obj=catalog, action="catalog_party_consent",
                 action_label=_("记录党委同意"), reason=note, details={"consent_on": consent_on.isoformat()})
    return catalog


@transaction.atomic
def catalog_publish(*, actor: User, year: int, document_number: str = "", body_id: int | None = None) -> Catalog:
    """Publish after the Party committee agreed (713 Art. 3(3)); due in Q1 (D5)."""
    catalog = _catalog_locked(actor=actor, year=year, body_id=body_id)
    if catalog.status != Catalog.Status.COMPILED:
        raise InvalidState(_("只有已汇总的目录可以公布。"))
    if catalog.party_consent_on is None:
        raise TransitionBlocked(_("目录须经同级党委同意后公布（《重大行政决策程序暂行条例》第三条第三款）。"))
    catalog.status = Catalog.Status.PUBLISHED
    catalog.published_at = timezone.now()
    catalog.document_number = document_number
    catalog.save(update_fields=["status", "published_at", "document_number", "updated_at"])
    record_event(actor=actor, event_type="catalog", obj=catalog, action="catalog_publish", action_label=_("公布目录"),
                 source_state=Catalog.Status.COMPILED, target_state=Catalog.Status.PUBLISHED,
                 details={"in_q1": catalog.published_in_q1, "document_number": document_number})
    register_published(catalog, actor=actor)  # 索引号 of the 政府信息公开 catalogue
    for item in catalog.items.filter(status=CatalogItem.Status.INCLUDED).select_related("lead_department"):
        reminders.start_catalog_item_clock(item, actor=actor)
    return catalog


CHANGEABLE_ITEM_FIELDS = ("name", "content", "legal_basis", "planned_completion", "required_procedures")


@transaction.atomic
def catalog_adjustment_propose(*, actor: User, year: int, kind: str, reason: str, item_id: int | None = None,
                               data: dict[str, Any] | None = None) -> CatalogAdjustment:
    """The 承办单位 proposes adding, withdrawing or changing an item of a published catalog (D6)."""
    if not can_propose_catalog_item(actor):
        raise PermissionDenied
    catalog = Catalog.objects.select_for_update().get(body=decision_body_for(actor.department) or city_government(),
                                                      year=year)
    if catalog.status != Catalog.Status.PUBLISHED:
        raise InvalidState(_("目录公布后方可提出调整。"))
    if not reason.strip():
        raise DomainError(_("请说明调整理由。"), code="reason_required")
    data = data or {}
    if kind == CatalogAdjustment.Kind.ADD:
        data = _check_new_item(data)
        data["decision_body"] = data.get("decision_body") or catalog.body.name
        item = CatalogItem.objects.create(catalog=catalog, lead_department=actor.department, proposed_by=actor, **data)
        changes = {}
    else:
        item = catalog.items.filter(pk=item_id, lead_department=actor.department,
                                    status=CatalogItem.Status.INCLUDED).first()
        if item is None:
            raise DomainError(_("只能调整本单位承办且在目录中的事项。"), code="item_not_adjustable")
        changes = {}
        if kind == CatalogAdjustment.Kind.CHANGE:
            if "required_procedures" in data:
                data["required_procedures"] = item_procedures(data["required_procedures"])
            if data.get("planned_completion"):  # compared and kept at its precision: 2025-12, 2025-Q4
                data["planned_completion"] = planned_code(*item_planned(data["planned_completion"]))
            current = {**{f: getattr(item, f) for f in CHANGEABLE_ITEM_FIELDS},
                       "planned_completion": item.planned_completion_code}
            for field in CHANGEABLE_ITEM_FIELDS:
                if field in data and data[field] != current[field]:
                    changes[field] = [current[field], data[field]]
            if not changes:
                raise DomainError(_("没有需要变更的内容。"), code="no_changes")
        elif kind != CatalogAdjustment.Kind.WITHDRAW:
            raise DomainError(_("未知的调整类型。"), code="invalid_kind")
    adjustment = CatalogAdjustment.objects.create(catalog=catalog, item=item, kind=kind, reason=reason,
                                                  changes=changes, proposed_by=actor)
    record_event(actor=actor, event_type="catalog", obj=catalog, action="catalog_adjustment_propose",
                 action_label=_("提出目录调整"), reason=reason, details={"adjustment": adjustment.pk, "kind": kind})
    return adjustment


@transaction.atomic
def catalog_adjustment_decide(*, actor: User, adjustment_id: int, approve: bool, note: str = "") -> CatalogAdjustment:
    """The catalog's manager (政府办, or the body's head) publishes (applies) or rejects a proposed adjustment."""
    adjustment = CatalogAdjustment.objects.select_for_update().select_related(
        "catalog", "catalog__body", "item").get(pk=adjustment_id)
    if not can_manage_catalog(actor, adjustment.catalog.body):
        raise PermissionDenied
    if adjustment.status != CatalogAdjustment.Status.PROPOSED:
        raise InvalidState(_("该调整已处理。"))
    item = adjustment.item
    if approve:
        if adjustment.kind == CatalogAdjustment.Kind.ADD:
            item.number = (adjustment.catalog.items.aggregate(n=Max("number"))["n"] or 0) + 1
            item.status = CatalogItem.Status.INCLUDED
        elif adjustment.kind == CatalogAdjustment.Kind.WITHDRAW:
            item.status = CatalogItem.Status.WITHDRAWN
        else:
            for field, (_old, new) in adjustment.changes.items():
                if field == "planned_completion":
                    item.planned_completion, item.planned_completion_precision = parse_planned(new)
                else:
                    setattr(item, field, new)
        item.save()
        adjustment.status = CatalogAdjustment.Status.PUBLISHED
        adjustment.published_at = timezone.now()
        if item.status == CatalogItem.Status.WITHDRAWN:
            deadline_services.clocks_cancel_for(subject=item, actor=actor, note=_("事项已调出目录"))
        elif adjustment.kind == CatalogAdjustment.Kind.ADD or "planned_completion" in adjustment.changes:
            reminders.start_catalog_item_clock(item, actor=actor)
    else:
        if adjustment.kind == CatalogAdjustment.Kind.ADD:
            item.status = CatalogItem.Status.NOT_INCLUDED
            item.save(update_fields=["status", "updated_at"])
        adjustment.status = CatalogAdjustment.Status.REJECTED
    adjustment.save(update_fields=["status", "published_at", "updated_at"])
    record_event(actor=actor, event_type="catalog", obj=adjustment.catalog, action="catalog_adjustment_decide",
                 action_label=_("公布目录调整") if approve else _("不予调整"), reason=note,
                 source_state=CatalogAdjustment.Status.PROPOSED, target_state=adjustment.status,
                 details={"adjustment": adjustment.pk, "kind": adjustment.kind, "item": item.pk})
    return adjustment


# ================================================================== decision: drafting
def _decision_procedures(value) -> list[str]:
    """The procedures a decision records (its catalog's, or the department's choice), without the
    two every decision goes through in its workflow (合法性审查, 集体讨论决定)."""
    return [code for code in item_procedures(value) if code not in ALWAYS_REQUIRED]


DRAFT_FIELDS = ("title", "summary", "draft_text", "explanation", "category", "required_procedures",
                "disclosure", "withheld_reason", "outside_catalog_reason")


@transaction.atomic
def decision_create(*, actor: User, data: dict[str, Any]) -> Decision:
    """Staff of a department open a decision, linked to a catalog item of their
    department or explaining why it is outside the catalog."""
    if not can_propose_catalog_item(actor):
        raise PermissionDenied
    data = dict(data)
    item = data.pop("catalog_item", None)
    if item is not None:
        if isinstance(item, int):
            item = CatalogItem.objects.filter(pk=item).first()
        if item is None or item.lead_department_id != actor.department_id or item.status != CatalogItem.Status.INCLUDED:
            raise DomainError(_("只能关联本单位承办且已列入目录的事项。"), code="invalid_catalog_item")
        # The catalog's 履行程序要求 apply unless the department names procedures itself; 合法性审查
        # and 集体讨论决定 are stages of every decision's workflow, not records.
        if not data.get("required_procedures"):
            data["required_procedures"] = track_procedures(item.required_procedures)
        data.setdefault("category", item.category)
        data.setdefault("year", item.catalog.year)
        if item.disclosure == Disclosure.WITHHELD:
            data.setdefault("disclosure", Disclosure.WITHHELD)
            data.setdefault("withheld_reason", item.withheld_reason)
    elif not (data.get("outside_catalog_reason") or "").strip():
        raise DomainError(_("决策未关联年度目录事项，须说明目录外决策的理由（《重大行政决策程序暂行条例》第三条）。"),
                          code="catalog_link_required")
    data["required_procedures"] = _decision_procedures(data.get("required_procedures") or [])
    if data.get("category") not in DecisionCategory.values:
        raise DomainError(_("请选择事项类别。"), code="category_required")
    data.setdefault("year", timezone.localdate().year)
    _check_disclosure(data.get("disclosure", Disclosure.PUBLIC), data.get("withheld_reason", ""))
    decision = Decision.objects.create(department=actor.department, catalog_item=item, created_by=actor, **data)
    record_event(actor=actor, event_type="transition", obj=decision, action="create", action_label=_("创建决策事项"),
                 target_state=decision.status)
    return decision


@transaction.atomic
def decision_update_draft(*, actor: User, decision_id: int, version: int, data: dict[str, Any]) -> Decision:
    """Edit the draft; optimistic locking turns a stale form into a clear conflict."""
    decision = _lock(decision_id, actor)
    if not can_edit(actor, decision):
        raise PermissionDenied
    if not can_edit_draft(actor, decision):
        raise InvalidState(_("决策已提交审查或已进入后续阶段，不能修改草案。"))
    if version != decision.version:
        raise DomainError(_("该决策已被他人修改，请刷新页面后再编辑。"), code="stale_version")
    changed = {}
    if "required_procedures" in data:
        data = {**data, "required_procedures": _decision_procedures(data["required_procedures"])}
    for field in DRAFT_FIELDS:
        if field in data and data[field] != getattr(decision, field):
            changed[field] = True
            setattr(decision, field, data[field])
    _check_disclosure(decision.disclosure, decision.withheld_reason)
    if decision.catalog_item_id is None and not decision.outside_catalog_reason.strip():
        raise DomainError(_("目录外决策须说明理由。"), code="catalog_link_required")
    decision.version += 1
    decision.save()
    record_event(actor=actor, event_type="edit", obj=decision, action="update_draft", action_label=_("修改草案"),
                 details={"fields": sorted(changed)})
    return decision


@records_refusals(subject=(Decision, "decision_id"))
@transaction.atomic
def decision_start_procedures(*, actor: User, decision_id: int, note: str = "") -> Decision:
    decision = _lock(decision_id, actor)
    if not can_edit(actor, decision):
        raise PermissionDenied
    return _transition(decision, actor=actor, name="start_procedures", label=_("启动法定程序"), reason=note)


@records_refusals(subject=(Decision, "decision_id"))
@transaction.atomic
def decision_record_procedure(*, actor: User, decision_id: int, kind: str, details: dict[str, Any],
                              files=(), skip_ground: str = "", skip_reason: str = "") -> ProcedureRecord:
    """Record one statutory procedure with its evidence, or its skip on a D9 ground."""
    decision = _lock(decision_id, actor)
    if not can_edit(actor, decision):
        raise PermissionDenied
    if decision.status not in (S.DRAFTING, S.CONSULTING):
        raise InvalidState(_("只有起草或履行程序阶段可以记录法定程序。"))
    if kind not in Procedure.values:
        raise DomainError(_("未知的程序类型。"), code="invalid_procedure")
    if kind in ALWAYS_REQUIRED:
        raise DomainError(_("合法性审查在审查队列中办理，集体讨论决定在会议记录中办理，不单独记录。"),
                          code="invalid_procedure")
    record = decision.procedure_records.filter(kind=kind, round=decision.round).first()
    existing_files = record.attachments.count() if record else 0
    if skip_ground or skip_reason:
        status = ProcedureRecord.Status.SKIPPED
        errors = procedures.validate_skip(skip_ground, skip_reason)
        details = {}
    else:
        status = ProcedureRecord.Status.COMPLETED
        details, errors = procedures.validate_details(kind, details, decision=decision)
        if not files and not existing_files:
            errors.append(_("请上传“%(name)s”的证据材料（如公告截图、签名意见、评估报告）。")
                          % {"name": Procedure(kind).label})
    if errors:
        raise TransitionBlocked(errors[0], details=errors)
    _stop_procedure_clock(decision, kind, status, details, actor)
    if record is None:
        record = ProcedureRecord(decision=decision, kind=kind, round=decision.round, recorded_by=actor)
    record.status, record.details = status, details
    record.skip_ground, record.skip_reason = skip_ground, skip_reason
    record.recorded_by = actor
    record.save()
    for uploaded in files:
        attachment_add(subject=record, uploaded_file=uploaded, actor=actor, purpose=kind, audit_obj=decision)
    record_event(actor=actor, event_type="procedure", obj=decision, action=f"procedure_{status}",
                 action_label=_("记录程序：%(name)s") % {"name": Procedure(kind).label},
                 reason=skip_reason, details={"kind": kind, "status": status, "skip_ground": skip_ground, **details})
    return record


@records_refusals(subject=(Decision, "decision_id"))
@transaction.atomic
def decision_open_public_comment(*, actor: User, decision_id: int, opened_on: dt.date, closes_on: dt.date,
                                 channel: str, short_period_reason: str = "") -> Decision:
    """Open the draft for public comment (713 Art. 14–15): the closing date starts the R3 clock;
    a period shorter than the policy's 30 days only with a reason (rule D13)."""
    decision = _lock(decision_id, actor)
    if not can_edit(actor, decision):
        raise PermissionDenied
    if decision.status != S.CONSULTING:
        raise InvalidState(_("启动法定程序后方可公开征求意见。"))
    if not channel.strip():
        raise DomainError(_("请填写征求意见渠道。"), code="channel_required")
    if closes_on < opened_on:
        raise TransitionBlocked(_("征求意见截止日期不能早于开始日期。"))
    minimum = procedures.comment_period_short(opened_on, closes_on)
    if minimum:
        rulebook.reason_given("D13", obj=decision, actor=actor, reason=short_period_reason, days=minimum)
    if closes_on < timezone.localdate():
        raise DomainError(_("征求意见截止日期不能早于今天。"), code="invalid_date")
    deadline_services.clock_start(subject=decision, rule=reminders.PUBLIC_COMMENT, actor=actor, started_on=opened_on,
                                  fixed_due_on=closes_on, department=decision.department,
                                  label=_("公开征求意见截止：%(title)s") % {"title": decision.title})
    from consultations.services import (
        consultation_open,  # consultations reads decisions: imported late
    )

    consultation_open(actor=actor, subject=decision, opens_on=opened_on, closes_on=closes_on, channel=channel)
    record_event(actor=actor, event_type="procedure", obj=decision, action="public_comment_open",
                 action_label=_("公开征求意见"), reason=short_period_reason,
                 details={"opened_on": opened_on, "closes_on": closes_on, "channel": channel})
    return decision


@records_refusals(subject=(Decision, "decision_id"))
@transaction.atomic
def decision_schedule_hearing(*, actor: User, decision_id: int, held_on: dt.date, note: str = "") -> Decision:
    """Fix the hearing date (713 Art. 16–17): the materials are due 7 days before it (R4)."""
    decision = _lock(decision_id, actor)
    if not can_edit(actor, decision):
        raise PermissionDenied
    if decision.status != S.CONSULTING:
        raise InvalidState(_("启动法定程序后方可安排听证。"))
    days = deadline_services.policy_length(reminders.HEARING_MATERIALS)
    materials_due = held_on - dt.timedelta(days=days)
    if materials_due < timezone.localdate():
        raise DomainError(_("听证材料应当于听证会%(days)s日前送达，听证会最早可安排在%(day)s（《重大行政决策程序暂行条例》第十七条）。")
                          % {"days": days, "day": fmt(timezone.localdate() + dt.timedelta(days=days))}, code="too_soon")
    deadline_services.clock_start(subject=decision, rule=reminders.HEARING_MATERIALS, actor=actor,
                                  fixed_due_on=materials_due, department=decision.department,
                                  label=_("听证材料送达：%(title)s（听证会%(day)s）") % {"title": decision.title, "day": held_on})
    record_event(actor=actor, event_type="procedure", obj=decision, action="hearing_schedule",
                 action_label=_("安排听证会"), reason=note, details={"held_on": held_on, "materials_due": materials_due})
    return decision


def _stop_procedure_clock(decision: Decision, kind: str, status: str, details: dict, actor: User) -> None:
    """Recording the comment or the hearing ends its clock; closing a comment early needs a reason (R3)."""
    rule = {Procedure.PUBLIC_COMMENT: reminders.PUBLIC_COMMENT, Procedure.HEARING: reminders.HEARING_MATERIALS}.get(kind)
    if rule is None:
        return
    clock = deadline_services.open_clock(decision, rule)
    if clock is None:
        return
    if (rule == reminders.PUBLIC_COMMENT and status == ProcedureRecord.Status.COMPLETED and clock.due_on
            and clock.due_on > timezone.localdate() and not details.get("early_close_reason")):
        raise TransitionBlocked(_("征求意见截止日期为%(day)s，尚未截止；提前结束须填写“提前结束征求意见的理由”。")
                                % {"day": clock.due_on})
    deadline_services.clock_stop(subject=decision, rule=rule, actor=actor, note=Procedure(kind).label)


@records_refusals(subject=(Decision, "decision_id"))
@transaction.atomic
def decision_submit_for_legality_review(*, actor: User, decision_id: int, note: str = "") -> Decision:
    decision = _lock(decision_id, actor)
    if not can_edit(actor, decision):
        raise PermissionDenied
    _transition(decision, actor=actor, name="submit_for_legality_review", label=_("提交合法性审查"), reason=note)
    review_task_open(obj=decision, kind=ReviewTask.Kind.DECISION, title=decision.title, department=decision.department,
                     submitted_by=actor, note=note, min_policy=reminders.LEGALITY_REVIEW_MIN,
                     clock_rule=reminders.LEGALITY_REVIEW)
    return decision


def _apply_review_outcome(*, task: ReviewTask, actor: User) -> None:
    """Called by reviews.services.review_task_decide inside its transaction."""
    decision = Decision.objects.select_for_update().get(pk=task.object_id)
    decision.legality_opinion = task.opinion
    moves = {
        ReviewTask.Outcome.PASSED: ("pass_legality_review", _("合法性审查通过")),
        ReviewTask.Outcome.PASSED_WITH_CHANGES: ("pass_legality_review", _("合法性审查修改后通过")),
        ReviewTask.Outcome.RETURNED: ("return_for_supplement", _("合法性审查退回补充材料")),
        ReviewTask.Outcome.FAILED: ("fail_legality_review", _("合法性审查未通过")),
    }
    name, label = moves[task.outcome]
    _transition(decision, actor=actor, name=name, label=label, reason=task.opinion,
                details={"review_task": task.pk, "outcome": task.outcome, "checklist": task.checklist})


register_review_outcome_handler(ReviewTask.Kind.DECISION, _apply_review_outcome)


@transaction.atomic
def decision_revise(*, actor: User, decision_id: int, note: str) -> Decision:
    decision = _lock(decision_id, actor)
    if not can_edit(actor, decision):
        raise PermissionDenied
    return _transition(decision, actor=actor, name="revise", label=_("修改草案后重新履行程序"), reason=note)


@transaction.atomic
def decision_attachment_open(*, actor: User, attachment_id: int) -> Attachment:
    """An evidence file of a decision the actor may see, its download recorded.
    Raises DoesNotExist (a 404) for a file of a decision the actor may not see."""
    attachment = Attachment.objects.select_related("content_type").get(pk=attachment_id)
    model = attachment.content_type.model_class()
    if model is ProcedureRecord:
        decision_id = ProcedureRecord.objects.values_list("decision_id", flat=True).get(pk=attachment.object_id)
    elif model is Decision:
        decision_id = attachment.object_id
    else:
        raise Attachment.DoesNotExist
    decision = Decision.objects.visible_to(actor).get(pk=decision_id)
    if not attachment_path(attachment).exists():
        raise Attachment.DoesNotExist
    record_event(actor=actor, event_type="download", obj=decision, action="attachment_download",
                 action_label=_("下载附件"), details={"attachment": attachment.pk, "name": attachment.original_name})
    return attachment


# ================================================================== decision body
def _require_reason(reason: str, what: str) -> None:
    if not reason.strip():
        raise DomainError(_("请说明%(what)s的理由。") % {"what": what}, code="reason_required")


@records_refusals(subject=(Decision, "decision_id"))
@transaction.atomic
def decision_record_meeting(*, actor: User, decision_id: int, data: dict[str, Any]) -> MeetingRecord:
    """Collective discussion (713 Art. 30): the head speaks last and decides; dissent is recorded."""
    decision = _lock(decision_id, actor)
    if not can_act_as_decision_body(actor, decision):
        raise PermissionDenied
    if decision.status not in (S.READY_FOR_DISCUSSION, S.DEFERRED):
        if decision.status in (S.DRAFTING, S.CONSULTING, S.LEGALITY_REVIEW, S.LEGALITY_FAILED):
            raise TransitionBlocked(_("合法性审查未通过，不得提交集体讨论（《重大行政决策程序暂行条例》第二十五条）"))
        raise InvalidState(_("当前状态不允许此操作，请刷新页面后重试。"))
    errors = procedures.validate_meeting(data)
    if errors:
        raise TransitionBlocked(errors[0], details=errors)
    meeting = MeetingRecord.objects.create(decision=decision, recorded_by=actor, **data)
    moves = {
        MeetingOutcome.ADOPTED: ("adopt", _("集体讨论通过"), {"held_on": meeting.held_on}),
        MeetingOutcome.DEFERRED: ("defer", _("集体讨论决定暂缓"), {}),
        MeetingOutcome.REJECTED: ("reject", _("集体讨论决定不予通过"), {}),
        MeetingOutcome.REDRAFT: ("send_back_for_redraft", _("集体讨论决定修改后再议"), {}),
    }
    name, label, kwargs = moves[meeting.outcome]
    _transition(decision, actor=actor, name=name, label=label, reason=meeting.dissent,
                details={"meeting": meeting.pk, "session": meeting.session_name, "held_on": meeting.held_on,
                         "head": meeting.head_name, "dissent": meeting.dissent}, **kwargs)
    return meeting


@transaction.atomic
def decision_record_party_report(*, actor: User, decision_id: int, reported_on: dt.date, note: str) -> Decision:
    decision = _lock(decision_id, actor)
    if not can_act_as_decision_body(actor, decision):
        raise PermissionDenied
    if decision.status != S.DECIDED:
        raise InvalidState(_("决策作出后、公布前记录向党委报告情况。"))
    if reported_on > timezone.localdate():
        raise DomainError(_("报告日期不能晚于今天。"), code="date_in_future")
    if not note.strip():
        raise DomainError(_("请填写报告情况。"), code="note_required")
    decision.party_reported_on, decision.party_report_note = reported_on, note
    decision.version += 1
    decision.save()
    record_event(actor=actor, event_type="procedure", obj=decision, action="party_report",
                 action_label=_("向同级党委请示报告"), reason=note, details={"reported_on": reported_on})
    return decision


@records_refusals(subject=(Decision, "decision_id"))
@transaction.atomic
def decision_publish(*, actor: User, decision_id: int, channel: str, document_number: str = "",
                     late_reason: str = "") -> Decision:
    """Publish within 20 working days of the decision; later only with a reason (rule D24)."""
    decision = _lock(decision_id, actor)
    if not can_act_as_decision_body(actor, decision):
        raise PermissionDenied
    if not channel.strip():
        raise DomainError(_("请填写公布渠道（政府公报、政府网站、本地主要媒体等）。"), code="channel_required")
    if decision.status == S.DECIDED:
        decision.late_publication_reason = deadline_services.late_reason(
            decision, reminders.PUBLICATION, gate="D24", actor=actor, reason=late_reason)
    decision.publication_channel, decision.document_number = channel, document_number
    _transition(decision, actor=actor, name="publish", label=_("公布决策"), reason=decision.late_publication_reason,
                details={"channel": channel, "document_number": document_number})
    register_published(decision, actor=actor)  # 索引号; none for a decision withheld by law
    return decision


@transaction.atomic
def decision_report_execution(*, actor: User, decision_id: int, reported_on: dt.date, progress: str,
                              problems: str = "", targets_missed: bool = False) -> ExecutionReport:
    decision = _lock(decision_id, actor)
    if not can_edit(actor, decision):
        raise PermissionDenied
    if decision.status not in (S.EXECUTING, S.SUSPENDED, S.POST_EVALUATION):
        raise InvalidState(_("决策公布执行后方可报告执行情况。"))
    if not progress.strip():
        raise DomainError(_("请填写执行进展。"), code="progress_required")
    report = ExecutionReport.objects.create(decision=decision, reported_on=reported_on, progress=progress,
                                            problems=problems, targets_missed=targets_missed, reported_by=actor)
    record_event(actor=actor, event_type="procedure", obj=decision, action="execution_report",
                 action_label=_("报告执行情况"),
                 details={"report": report.pk, "reported_on": reported_on, "targets_missed": targets_missed})
    if decision.status == S.SUSPENDED:
        deadline_services.clock_stop(subject=decision, rule=reminders.EXECUTION_REPORT, actor=actor,
                                     note=_("已报告执行情况"))
    else:
        reminders.start_execution_report_clock(decision, actor=actor, started_on=min(reported_on, timezone.localdate()))
    if targets_missed:
        reminders.suggest_post_evaluation(decision=decision, report=report)
    return report


@transaction.atomic
def decision_suspend(*, actor: User, decision_id: int, reason: str) -> Decision:
    """Only the decision body suspends, and only with a recorded reason (713 Art. 37)."""
    decision = _lock(decision_id, actor)
    if not can_act_as_decision_body(actor, decision):
        raise PermissionDenied
    _require_reason(reason, _("暂停执行"))
    return _transition(decision, actor=actor, name="suspend", label=_("暂停执行"), reason=reason)


@transaction.atomic
def decision_resume(*, actor: User, decision_id: int, reason: str) -> Decision:
    decision = _lock(decision_id, actor)
    if not can_act_as_decision_body(actor, decision):
        raise PermissionDenied
    _require_reason(reason, _("恢复执行"))
    return _transition(decision, actor=actor, name="resume", label=_("恢复执行"), reason=reason)


@transaction.atomic
def decision_adjust(*, actor: User, decision_id: int, reason: str) -> Decision:
    """A major adjustment re-enters drafting and repeats the statutory procedures."""
    decision = _lock(decision_id, actor)
    if not can_act_as_decision_body(actor, decision):
        raise PermissionDenied
    _require_reason(reason, _("调整决策"))
    return _transition(decision, actor=actor, name="start_adjustment", label=_("调整决策（重新履行法定程序）"),
                       reason=reason)


@transaction.atomic
def decision_terminate(*, actor: User, decision_id: int, reason: str) -> Decision:
    decision = _lock(decision_id, actor)
    if not can_act_as_decision_body(actor, decision):
        raise PermissionDenied
    _require_reason(reason, _("停止执行"))
    return _transition(decision, actor=actor, name="terminate", label=_("停止执行"), reason=reason)


@records_refusals(subject=(Decision, "decision_id"))
@transaction.atomic
def decision_start_post_evaluation(*, actor: User, decision_id: int, trigger: str, evaluator: str,
                                   reason: str = "") -> PostEvaluation:
    """Post-evaluation on one of the three triggers; the evaluator may not be the risk assessor."""
    decision = _lock(decision_id, actor)
    if not can_act_as_decision_body(actor, decision):
        raise PermissionDenied
    errors = procedures.validate_post_evaluation(decision, trigger=trigger, evaluator=evaluator)
    if errors:
        raise TransitionBlocked(errors[0], details=errors)
    _transition(decision, actor=actor, name="start_post_evaluation", label=_("启动决策后评估"), reason=reason,
                details={"trigger": trigger, "evaluator": evaluator})
    return PostEvaluation.objects.create(decision=decision, trigger=trigger, evaluator=evaluator.strip(),
                                         started_on=timezone.localdate(), started_by=actor)


@transaction.atomic
def decision_conclude_post_evaluation(*, actor: User, decision_id: int, conclusion: str, findings: str) -> Decision:
    decision = _lock(decision_id, actor)
    if not can_act_as_decision_body(actor, decision):
        raise PermissionDenied
    if decision.status != S.POST_EVALUATION:
        raise InvalidState(_("当前状态不允许此操作，请刷新页面后重试。"))
    if conclusion not in EvaluationConclusion.values or not findings.strip():
        raise DomainError(_("请填写评估结论并选择处理建议。"), code="evaluation_incomplete")
    evaluation = decision.post_evaluations.select_for_update().order_by("-id").first()
    evaluation.conclusion, evaluation.findings, evaluation.completed_on = conclusion, findings, timezone.localdate()
    evaluation.save()
    name, label = {
        EvaluationConclusion.CONTINUE: ("continue_after_evaluation", _("评估后继续执行")),
        EvaluationConclusion.ADJUST: ("start_adjustment", _("评估后调整决策（重新履行法定程序）")),
        EvaluationConclusion.TERMINATE: ("terminate", _("评估后停止执行")),
    }[EvaluationConclusion(conclusion)]
    return _transition(decision, actor=actor, name=name, label=label, reason=findings,
                       details={"evaluation": evaluation.pk, "conclusion": conclusion})


@transaction.atomic
def decision_complete_execution(*, actor: User, decision_id: int, completed_on: dt.date, note: str = "") -> Decision:
    decision = _lock(decision_id, actor)
    if not can_edit(actor, decision):
        raise PermissionDenied
    if completed_on > timezone.localdate():
        raise DomainError(_("执行完毕日期不能晚于今天。"), code="date_in_future")
    return _transition(decision, actor=actor, name="complete_execution", label=_("执行完毕"), reason=note,
                       completed_on=completed_on)


@transaction.atomic
def decision_archive(*, actor: User, decision_id: int, note: str = "") -> Decision:
    """Archive the whole record; read-only and kept for life (终身责任追究)."""
    decision = _lock(decision_id, actor)
    if not can_archive(actor, decision):
        raise PermissionDenied
    return _transition(decision, actor=actor, name="archive", label=_("归档"), reason=note)


# ---------------------------------------------------------------- 政府信息公开目录信息 (core.disclosure)
def _catalog_disclosure(catalog: Catalog) -> dict:
    return {"body": body_named(catalog.decision_body), "written_on": local_date(catalog.published_at),
            "published_on": local_date(catalog.published_at), "document_number": catalog.document_number}


def _decision_disclosure(decision: Decision) -> dict | None:
    if decision.disclosure != Disclosure.PUBLIC:
        return None
    decision_body = decision.catalog_item.decision_body if decision.catalog_item_id else ""
    return {"body": body_named(decision_body), "written_on": decision.decided_on,
            "published_on": local_date(decision.published_at), "document_number": decision.document_number,
            "topic": str(decision.get_category_display())}


register_disclosure_kind(Catalog, DisclosureKind(
    describe=_catalog_disclosure, published=lambda: Catalog.objects.published(),
    published_key=lambda catalog: (catalog.published_on, catalog.published_at)))
register_disclosure_kind(Decision, DisclosureKind(
    describe=_decision_disclosure, published=lambda: Decision.objects.public().select_related("catalog_item"),
    published_key=lambda decision: (local_date(decision.published_at), decision.published_at)))
