"""Writes of administrative contracts: one function per action (permission, lock, transition,
audit, clocks). 浙政办发〔2013〕37号 (domain.md §9): review before signing for the listed types by
the body's review unit, filing, reminders before milestones and expiry, an annual clean-up."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import rulebook
from core.audit import record_event
from core.bodies import decision_body_for, review_unit_for
from core.exceptions import Conflict, DomainError, NotPermitted
from core.models import Attachment, Department, User
from core.services import attachment_add, attachment_path
from core.workdays import local_today
from core.workflow import apply_transition
from deadlines import services as deadline_services
from reviews.models import ReviewTask
from reviews.services import register_review_outcome_handler, review_task_open

from . import reminders
from .models import Contract, ContractCleanup, ContractMilestone, ContractRecord
from .permissions import can_draft, can_edit, can_keep_register
from .workflow import (
    AttachmentKind,
    ContractStatus,
    ContractType,
    DisputeResolution,
    RecordKind,
)

S = ContractStatus
FIELDS = ("title", "number", "counterparty", "contract_type", "amount", "term_start", "term_end", "key_clauses",
          "dispute_resolution", "dispute_forum", "foreign_related", "confidentiality")
REQUIRED = ("title", "counterparty", "contract_type", "term_start", "term_end", "key_clauses", "dispute_resolution",
            "dispute_forum")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    values = {field: data[field] for field in FIELDS if field in data}
    missing = [field for field in REQUIRED if not values.get(field)]
    if missing:
        labels = "、".join(str(Contract._meta.get_field(field).verbose_name) for field in missing)
        raise DomainError(_("请填写：%(fields)s。") % {"fields": labels}, code="contract_incomplete")
    if values["contract_type"] not in ContractType.values:
        raise DomainError(_("请选择合同类型。"), code="invalid_type")
    if values["dispute_resolution"] not in DisputeResolution.values:
        raise DomainError(_("请选择争议解决方式。"), code="invalid_dispute_resolution")
    if values["term_end"] < values["term_start"]:
        raise DomainError(_("履行期限止不得早于履行期限起。"), code="term_order")
    if values.get("amount") not in (None, ""):
        try:
            values["amount"] = Decimal(str(values["amount"]))
        except InvalidOperation as error:
            raise DomainError(_("合同金额须为数字。"), code="invalid_amount") from error
        if values["amount"] < 0 or values["amount"] >= Decimal("1e14"):
            raise DomainError(_("合同金额须为非负数且不超过一百万亿元。"), code="invalid_amount")
    else:
        values["amount"] = None
    return values


def _lock(contract_id: int, actor: User) -> Contract:
    return Contract.objects.visible_to(actor).select_for_update(of=("self",)).select_related(
        "department", "body").get(pk=contract_id)


def _act(actor: User, contract: Contract) -> None:
    if not can_edit(actor, contract):
        raise NotPermitted(_("只有承办单位可以办理该合同。"))


@transaction.atomic
def contract_draft(*, actor: User, data: dict[str, Any]) -> Contract:
    """The contracting unit drafts a contract of the decision body it works for."""
    if not can_draft(actor):
        raise NotPermitted(_("只有本单位承办人员可以起草合同。"))
    values = _clean(data)
    body = decision_body_for(actor.department) or actor.department
    contract = Contract.objects.create(body=body, department=actor.department, created_by=actor, **values)
    record_event(actor=actor, event_type="transition", obj=contract, action="contract_draft",
                 action_label=_("起草合同"), target_state=contract.status,
                 details={"type": contract.contract_type, "counterparty": contract.counterparty,
                          "amount": str(contract.amount) if contract.amount is not None else None})
    return contract


@transaction.atomic
def contract_update(*, actor: User, contract_id: int, data: dict[str, Any]) -> Contract:
    contract = _lock(contract_id, actor)
    _act(actor, contract)
    if contract.status != S.DRAFTING:
        raise Conflict(_("只有起草中的合同可以修改。"))
    values = _clean({**{field: getattr(contract, field) for field in FIELDS}, **data})
    for field, value in values.items():
        setattr(contract, field, value)
    contract.version += 1
    contract.save()
    record_event(actor=actor, event_type="edit", obj=contract, action="contract_update", action_label=_("修改合同"),
                 details={"version": contract.version})
    return contract


@rulebook.records_refusals(subject=(Contract, "contract_id"))
@transaction.atomic
def contract_submit_for_legality_review(*, actor: User, contract_id: int, note: str = "") -> Contract:
    """Send the draft to the body's review unit (rule C2): 市司法局, the district's 司法局, the
    township's 司法所."""
    contract = _lock(contract_id, actor)
    _act(actor, contract)
    apply_transition(contract, actor=actor, name="submit_for_legality_review", label=_("送请合法性审查"), reason=note)
    review_task_open(obj=contract, kind=ReviewTask.Kind.CONTRACT, title=contract.title,
                     department=contract.department, submitted_by=actor, note=note,
                     review_unit=review_unit_for(contract.body),
                     min_policy=reminders.LEGALITY_REVIEW_MIN, clock_rule=reminders.LEGALITY_REVIEW)
    return contract


def _apply_review_outcome(*, task: ReviewTask, actor: User) -> None:
    contract = Contract.objects.select_for_update().get(pk=task.object_id)
    contract.legality_opinion = task.opinion
    name, label = {
        ReviewTask.Outcome.PASSED: ("pass_legality_review", _("合法性审查通过")),
        ReviewTask.Outcome.PASSED_WITH_CHANGES: ("pass_legality_review", _("合法性审查修改后通过")),
        ReviewTask.Outcome.RETURNED: ("return_for_supplement", _("退回补充材料")),
        ReviewTask.Outcome.FAILED: ("fail_legality_review", _("合法性审查未通过")),
    }[task.outcome]
    apply_transition(contract, actor=actor, name=name, label=label, reason=task.opinion,
                     details={"review_task": task.pk, "outcome": task.outcome})


register_review_outcome_handler(ReviewTask.Kind.CONTRACT, _apply_review_outcome)


@transaction.atomic
def contract_revise(*, actor: User, contract_id: int, note: str = "") -> Contract:
    contract = _lock(contract_id, actor)
    _act(actor, contract)
    apply_transition(contract, actor=actor, name="revise", label=_("修改后重新起草"), reason=note)
    return contract


def _milestone_clock(milestone: ContractMilestone, *, actor: User) -> None:
    deadline_services.clock_start(subject=milestone, rule=reminders.MILESTONE, actor=actor,
                                  fixed_due_on=milestone.due_on, department=milestone.contract.department,
                                  label=_("合同履行节点：%(title)s") % {"title": milestone.title})


@rulebook.records_refusals(subject=(Contract, "contract_id"))
@transaction.atomic
def contract_sign(*, actor: User, contract_id: int, signed_on: dt.date, signed_by: str) -> Contract:
    """Sign: a contract of a type 37号 lists only after its legality review passed (rule C1).
    Starts the filing clock (C4) and the reminders before each milestone and the term's end."""
    contract = _lock(contract_id, actor)
    _act(actor, contract)
    if signed_on > local_today():
        raise DomainError(_("签订日期不能晚于今天。"), code="date_in_future")
    if not signed_by.strip():
        raise DomainError(_("请填写签订人。"), code="signed_by_required")
    if contract.review_required and not contract.legality_passed:
        rulebook.refuse("C1", obj=contract, actor=actor, type=contract.get_contract_type_display(),
                        unit=review_unit_for(contract.body) or _("审查机构"))
    apply_transition(contract, actor=actor, name="sign", label=_("签订合同"), signed_on=signed_on,
                     signed_by=signed_by.strip())
    clock = deadline_services.clock_start(subject=contract, rule=reminders.FILING, actor=actor, started_on=signed_on,
                                          department=contract.department,
                                          label=_("合同备案：%(title)s") % {"title": contract.title})
    contract.filing_due_on = clock.due_on
    contract.save(update_fields=["filing_due_on"])
    deadline_services.clock_start(subject=contract, rule=reminders.EXPIRY, actor=actor, fixed_due_on=contract.term_end,
                                  department=contract.department,
                                  label=_("合同期限届满：%(title)s") % {"title": contract.title})
    for milestone in contract.milestones.filter(done_on__isnull=True):
        _milestone_clock(milestone, actor=actor)
    return contract


@transaction.atomic
def contract_add_milestone(*, actor: User, contract_id: int, title: str, due_on: dt.date) -> ContractMilestone:
    contract = _lock(contract_id, actor)
    _act(actor, contract)
    if contract.status in (S.TERMINATED, S.COMPLETED):
        raise Conflict(_("合同已终止，不能再增加履行节点。"))
    if not title.strip():
        raise DomainError(_("请填写履行节点。"), code="title_required")
    milestone = ContractMilestone.objects.create(contract=contract, title=title.strip(), due_on=due_on)
    record_event(actor=actor, event_type="edit", obj=contract, action="contract_milestone_add",
                 action_label=_("增加履行节点"), details={"milestone": milestone.pk, "title": milestone.title,
                                                      "due_on": due_on.isoformat()})
    if contract.status == S.PERFORMING:
        _milestone_clock(milestone, actor=actor)
    return milestone


@transaction.atomic
def contract_complete_milestone(*, actor: User, milestone_id: int, done_on: dt.date, note: str = "") -> ContractMilestone:
    milestone = ContractMilestone.objects.select_related("contract").get(
        pk=milestone_id, contract__in=Contract.objects.visible_to(actor))
    contract = _lock(milestone.contract_id, actor)
    _act(actor, contract)
    if milestone.done_on is not None:
        raise Conflict(_("该履行节点已完成。"))
    if done_on > local_today():
        raise DomainError(_("完成日期不能晚于今天。"), code="date_in_future")
    milestone.done_on, milestone.note = done_on, note
    milestone.save(update_fields=["done_on", "note", "updated_at"])
    deadline_services.clocks_stop_for(subject=milestone, actor=actor, note=_("履行节点已完成"))
    record_event(actor=actor, event_type="edit", obj=contract, action="contract_milestone_done",
                 action_label=_("履行节点完成"), details={"milestone": milestone.pk, "done_on": done_on.isoformat()})
    return milestone


@transaction.atomic
def contract_record(*, actor: User, contract_id: int, kind: str, occurred_on: dt.date, summary: str,
                    resolution: str = "") -> ContractRecord:
    """A change (变更), a dispute (纠纷) or a performance note on a signed contract."""
    contract = _lock(contract_id, actor)
    _act(actor, contract)
    if contract.status not in (S.PERFORMING, S.TERMINATED, S.COMPLETED):
        raise Conflict(_("合同签订后方可记录变更、纠纷和履行情况。"))
    if kind not in RecordKind.values:
        raise DomainError(_("请选择记录类型。"), code="invalid_kind")
    if not summary.strip():
        raise DomainError(_("请填写情况。"), code="summary_required")
    record = ContractRecord.objects.create(contract=contract, kind=kind, occurred_on=occurred_on,
                                           summary=summary.strip(), resolution=resolution.strip(), recorded_by=actor)
    record_event(actor=actor, event_type="edit", obj=contract, action=f"contract_{kind}",
                 action_label=str(record.get_kind_display()), reason=summary,
                 details={"record": record.pk, "occurred_on": occurred_on.isoformat()})
    return record


def _end(contract: Contract, *, actor: User) -> None:
    deadline_services.clock_stop(subject=contract, rule=reminders.EXPIRY, actor=actor, note=_("合同已终止"))
    for milestone in contract.milestones.filter(done_on__isnull=True):
        deadline_services.clocks_cancel_for(subject=milestone, actor=actor, note=_("合同已终止"))


@transaction.atomic
def contract_terminate(*, actor: User, contract_id: int, ended_on: dt.date, reason: str) -> Contract:
    contract = _lock(contract_id, actor)
    _act(actor, contract)
    if not reason.strip():
        raise DomainError(_("请说明解除理由。"), code="reason_required")
    contract.end_reason = reason.strip()
    apply_transition(contract, actor=actor, name="terminate", label=_("解除合同"), reason=contract.end_reason,
                     details={"ended_on": ended_on.isoformat()}, ended_on=ended_on, reason_text=contract.end_reason)
    _end(contract, actor=actor)
    return contract


@transaction.atomic
def contract_complete(*, actor: User, contract_id: int, ended_on: dt.date) -> Contract:
    contract = _lock(contract_id, actor)
    _act(actor, contract)
    apply_transition(contract, actor=actor, name="complete", label=_("合同履行完毕"), ended_on=ended_on)
    _end(contract, actor=actor)
    return contract


@transaction.atomic
def contract_file(*, actor: User, contract_id: int, filed_on: dt.date) -> Contract:
    """备案: the signed contract is filed with the review unit (rule C4)."""
    contract = _lock(contract_id, actor)
    _act(actor, contract)
    if contract.signed_on is None:
        raise Conflict(_("合同签订后方可备案。"))
    if contract.filed_on is not None:
        raise Conflict(_("该合同已备案。"))
    if filed_on > local_today() or filed_on < contract.signed_on:
        raise DomainError(_("备案日期应在签订日期至今天之间。"), code="invalid_date")
    contract.filed_on = filed_on
    contract.save(update_fields=["filed_on", "updated_at"])
    deadline_services.clock_stop(subject=contract, rule=reminders.FILING, actor=actor, note=_("已备案"))
    record_event(actor=actor, event_type="edit", obj=contract, action="contract_file", action_label=_("合同备案"),
                 details={"filed_on": filed_on.isoformat(), "due_on": contract.filing_due_on.isoformat()
                          if contract.filing_due_on else None, "on_time": contract.filed_on_time})
    return contract


@transaction.atomic
def contract_cleanup_record(*, actor: User, body_id: int, year: int, done_on: dt.date, findings: str) -> ContractCleanup:
    """The body's annual clean-up of its register: the contracts checked are counted from the register."""
    body = Department.objects.filter(pk=body_id).first()
    if body is None or not can_keep_register(actor, body):
        raise NotPermitted(_("只有本机关人员可以记录合同清理。"))
    if not findings.strip():
        raise DomainError(_("请填写清理情况。"), code="findings_required")
    checked = Contract.objects.filter(body=body, signed_on__year__lte=year).exclude(ended_on__year__lt=year).count()
    try:
        with transaction.atomic():
            cleanup = ContractCleanup.objects.create(body=body, year=year, done_on=done_on, contracts_checked=checked,
                                                     findings=findings.strip(), recorded_by=actor)
    except IntegrityError as error:
        raise Conflict(_("%(year)s年度的合同清理已记录。") % {"year": year}) from error
    record_event(actor=actor, event_type="edit", obj=cleanup, action="contract_cleanup", action_label=_("合同年度清理"),
                 details={"year": year, "contracts_checked": checked})
    return cleanup


# ================================================================== contract text and attachments
@transaction.atomic
def contract_attach(*, actor: User, contract_id: int, kind: str, files: list) -> list[Attachment]:
    """The contracting unit uploads the contract text (合同文本) or its attachments (合同附件), in any
    state (the text reviewed, the text signed, documents of performance). Each file passes the
    shared checks (size, type, content) before anything is stored; one bad file stores none.
    Raises DoesNotExist (a 404) for a contract the actor may not see."""
    contract = _lock(contract_id, actor)
    _act(actor, contract)
    if kind not in AttachmentKind.values:
        raise DomainError(_("请选择文件类别。"), code="invalid_kind")
    if not files:
        raise DomainError(_("请选择要上传的文件。"), code="attachment_missing")
    return [attachment_add(subject=contract, uploaded_file=uploaded, actor=actor, purpose=kind)
            for uploaded in files]


def contract_attachment_open(*, actor: User, attachment_id: int) -> Attachment:
    """A file of a contract the actor may see (the same scoping as the contract), its download
    recorded. Raises DoesNotExist (a 404) otherwise."""
    attachment = Attachment.objects.select_related("content_type").get(pk=attachment_id)
    if attachment.content_type.model_class() is not Contract:
        raise Attachment.DoesNotExist
    contract = Contract.objects.visible_to(actor).get(pk=attachment.object_id)
    if not attachment_path(attachment).exists():
        raise Attachment.DoesNotExist
    record_event(actor=actor, event_type="download", obj=contract, action="attachment_download",
                 action_label=_("下载附件"), details={"attachment": attachment.pk, "name": attachment.original_name})
    return attachment
