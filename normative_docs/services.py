"""One function per action on a normative document: atomic, locked, permission-checked
and audited. Pages, the API, the admin, tasks and commands all call these."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core import rulebook
from core.audit import record_event
from core.disclosure import DisclosureKind, register_disclosure_kind, register_published
from core.exceptions import Conflict, DomainError, InvalidState, TransitionBlocked
from core.models import Department, User
from core.rulebook import records_refusals, refuse
from core.sequences import next_in_sequence
from core.services import attachment_add
from core.workdays import add_working_days, local_today
from core.workflow import apply_transition
from deadlines import services as deadline_services
from deadlines.engine import add_months
from deadlines.models import DeadlinePolicy
from reviews.models import ReviewTask
from reviews.services import register_review_outcome_handler, review_task_open

from . import procedures, reminders
from .models import (
    DocumentRelation,
    DraftingProcedure,
    NormativeDocument,
    NumberingScheme,
    NumberSequence,
)
from .permissions import can_act_as_issuer, can_draft, can_propose, filing_body_for
from .workflow import (
    EDITABLE_STATES,
    DocumentStatus,
    DocumentType,
    Procedure,
    RelationKind,
    is_provisional,
    normalize_number,
    required_procedures_for,
)

S = DocumentStatus
DRAFT_FIELDS = ("title", "doc_type", "reason", "body", "explanation", "interpretation", "business_related",
                "major_rights_impact")


def _lock(document_id: int, actor) -> NormativeDocument:
    return (NormativeDocument.objects.visible_to(actor).select_for_update(of=("self",))
            .select_related("issuer", "drafting_department").get(pk=document_id))


def _transition(document: NormativeDocument, *, actor, name: str, label: str, reason: str = "", details=None,
                **kwargs) -> NormativeDocument:
    apply_transition(document, actor=actor, name=name, label=label, reason=reason, details=details, **kwargs)
    return document


def _require(text: str, message: str, code: str) -> None:
    if not (text or "").strip():
        raise DomainError(message, code=code)


# ================================================================== drafting
def _check_draft_data(data: dict[str, Any]) -> None:
    _require(data.get("title", ""), _("请填写文件名称。"), "title_required")
    if data.get("doc_type") and data["doc_type"] not in DocumentType.values:
        raise DomainError(_("请选择文种。"), code="invalid_doc_type")


@transaction.atomic
def document_propose(*, actor: User, data: dict[str, Any]) -> NormativeDocument:
    """动议: a unit proposes a document, says why, and names the issuer."""
    if not can_propose(actor):
        raise PermissionDenied
    _check_draft_data(data)
    _require(data.get("reason", ""), _("请说明制定理由（必要性、拟解决的问题、制定依据）。"), "reason_required")
    issuer = data.get("issuer") or actor.department
    if isinstance(issuer, int):
        issuer = Department.objects.get(pk=issuer)
    document = NormativeDocument.objects.create(
        issuer=issuer, drafting_department=actor.department, filing_body=filing_body_for(issuer),
        created_by=actor, **{k: v for k, v in data.items() if k in DRAFT_FIELDS},
    )
    document.required_procedures = required_procedures_for(document)
    document.save(update_fields=["required_procedures"])
    record_event(actor=actor, event_type="transition", obj=document, action="propose", action_label=_("动议"),
                 target_state=document.status, reason=document.reason)
    return document


@transaction.atomic
def document_update_draft(*, actor: User, document_id: int, version: int, data: dict[str, Any]) -> NormativeDocument:
    """Save the draft; a stale version (someone saved meanwhile) is a conflict, not a silent overwrite."""
    document = _lock(document_id, actor)
    if not can_draft(actor, document):
        raise PermissionDenied
    if document.status not in EDITABLE_STATES:
        raise InvalidState(_("送审后不能修改草案；退回后方可修改。"))
    if document.version != version:
        raise Conflict(_("草案已被他人修改，请刷新页面后重新编辑。"))
    _check_draft_data({**{f: getattr(document, f) for f in DRAFT_FIELDS}, **data})
    changed = {k: v for k, v in data.items() if k in DRAFT_FIELDS and getattr(document, k) != v}
    for field, value in changed.items():
        setattr(document, field, value)
    document.required_procedures = required_procedures_for(document)
    document.version += 1
    document.save()
    record_event(actor=actor, event_type="edit", obj=document, action="update_draft", action_label=_("修改草案"),
                 details={"fields": sorted(changed)})
    return document


@transaction.atomic
def document_start_drafting(*, actor: User, document_id: int, note: str = "") -> NormativeDocument:
    document = _lock(document_id, actor)
    if not can_draft(actor, document):
        raise PermissionDenied
    return _transition(document, actor=actor, name="start_drafting", label=_("开始起草"), reason=note)


@records_refusals(subject=(NormativeDocument, "document_id"))
@transaction.atomic
def document_start_procedures(*, actor: User, document_id: int, note: str = "") -> NormativeDocument:
    document = _lock(document_id, actor)
    if not can_draft(actor, document):
        raise PermissionDenied
    return _transition(document, actor=actor, name="start_procedures", label=_("开始调研论证、征求意见"), reason=note)


@records_refusals(subject=(NormativeDocument, "document_id"))
@transaction.atomic
def document_open_public_comment(*, actor: User, document_id: int, opened_on: dt.date, closes_on: dt.date,
                                 channel: str, short_period_reason: str = "") -> NormativeDocument:
    """Open the draft for comment: the closing date starts the R9 clock; a period shorter than the
    policy table's minimum only with a reason (rules N4, N5)."""
    document = _lock(document_id, actor)
    if not can_draft(actor, document):
        raise PermissionDenied
    if document.status != S.CONSULTING:
        raise InvalidState(_("开始调研论证后方可公开征求意见。"))
    _require(channel, _("请填写征求意见渠道。"), "channel_required")
    if closes_on < opened_on:
        raise DomainError(_("征求意见截止日期不能早于开始日期。"), code="invalid_date")
    if closes_on < local_today():
        raise DomainError(_("征求意见截止日期不能早于今天。"), code="invalid_date")
    short = procedures.comment_period_short(document, opened_on, closes_on)
    if short:
        rule, minimum = short
        rulebook.reason_given(rule, obj=document, actor=actor, reason=short_period_reason, minimum=minimum)
    deadline_services.clock_start(subject=document, rule=procedures.comment_policy_code(document), actor=actor,
                                  started_on=opened_on, fixed_due_on=closes_on,
                                  department=document.drafting_department,
                                  label=_("征求意见截止：%(title)s") % {"title": document.title})
    from consultations.services import (
        consultation_open,  # consultations reads normative_docs: imported late
    )

    consultation_open(actor=actor, subject=document, opens_on=opened_on, closes_on=closes_on, channel=channel)
    record_event(actor=actor, event_type="procedure", obj=document, action="public_comment_open",
                 action_label=_("公开征求意见"), reason=short_period_reason,
                 details={"opened_on": opened_on, "closes_on": closes_on, "channel": channel})
    return document


@records_refusals(subject=(NormativeDocument, "document_id"))
@transaction.atomic
def document_record_procedure(*, actor: User, document_id: int, kind: str, details: dict[str, Any],
                              files=()) -> DraftingProcedure:
    """Record research, evaluation, argumentation, the comment or the fair-competition review, with evidence."""
    document = _lock(document_id, actor)
    if not can_draft(actor, document):
        raise PermissionDenied
    if document.status not in (S.DRAFTING, S.CONSULTING):
        raise InvalidState(_("只有起草或调研论证阶段可以记录程序。"))
    if kind not in Procedure.values:
        raise DomainError(_("未知的程序类型。"), code="invalid_procedure")
    record = document.procedures.filter(kind=kind, round=document.round).first()
    clean, errors = procedures.validate_details(document, kind, details)
    if not files and not (record and record.attachments.exists()):
        errors.append(_("请上传“%(name)s”的证据材料。") % {"name": Procedure(kind).label})
    if errors:
        raise TransitionBlocked(errors[0], details=errors)
    if kind == Procedure.PUBLIC_COMMENT:
        deadline_services.clock_stop(subject=document, rule=procedures.comment_policy_code(document), actor=actor,
                                     note=_("征求意见结束"))
    if record is None:
        record = DraftingProcedure(document=document, kind=kind, round=document.round, recorded_by=actor)
    record.details, record.recorded_by = clean, actor
    record.save()
    for uploaded in files:
        attachment_add(subject=record, uploaded_file=uploaded, actor=actor, purpose=kind, audit_obj=document)
    record_event(actor=actor, event_type="procedure", obj=document, action="procedure_completed",
                 action_label=_("记录程序：%(name)s") % {"name": Procedure(kind).label}, details={"kind": kind, **clean})
    return record


# ================================================================== legality review
@records_refusals(subject=(NormativeDocument, "document_id"))
@transaction.atomic
def document_submit_for_legality_review(*, actor: User, document_id: int, note: str = "") -> NormativeDocument:
    document = _lock(document_id, actor)
    if not can_draft(actor, document):
        raise PermissionDenied
    _transition(document, actor=actor, name="submit_for_legality_review", label=_("送请合法性审核"), reason=note)
    review_task_open(obj=document, kind=ReviewTask.Kind.NORMATIVE_DOCUMENT, title=document.title,
                     department=document.drafting_department, submitted_by=actor, note=note,
                     min_policy=reminders.LEGALITY_REVIEW_MIN, clock_rule=reminders.LEGALITY_REVIEW)
    return document


def _apply_review_outcome(*, task: ReviewTask, actor: User) -> None:
    document = NormativeDocument.objects.select_for_update().get(pk=task.object_id)
    document.legality_opinion = task.opinion
    moves = {
        ReviewTask.Outcome.PASSED: ("pass_legality_review", _("合法性审核通过")),
        ReviewTask.Outcome.PASSED_WITH_CHANGES: ("pass_legality_review", _("合法性审核修改后通过")),
        ReviewTask.Outcome.RETURNED: ("return_for_supplement", _("合法性审核退回补充材料")),
        ReviewTask.Outcome.FAILED: ("fail_legality_review", _("合法性审核未通过")),
    }
    name, label = moves[task.outcome]
    _transition(document, actor=actor, name=name, label=label, reason=task.opinion,
                details={"review_task": task.pk, "outcome": task.outcome, "checklist": task.checklist})


register_review_outcome_handler(ReviewTask.Kind.NORMATIVE_DOCUMENT, _apply_review_outcome)


@transaction.atomic
def document_revise(*, actor: User, document_id: int, note: str) -> NormativeDocument:
    document = _lock(document_id, actor)
    if not can_draft(actor, document):
        raise PermissionDenied
    return _transition(document, actor=actor, name="revise", label=_("修改后重新起草"), reason=note)


# ================================================================== issuer
@records_refusals(subject=(NormativeDocument, "document_id"))
@transaction.atomic
def document_deliberate(*, actor: User, document_id: int, held_on: dt.date, meeting: str, outcome: str,
                        note: str = "") -> NormativeDocument:
    """集体审议: adopted, not adopted, or sent back for redrafting."""
    document = _lock(document_id, actor)
    if not can_act_as_issuer(actor, document):
        raise PermissionDenied
    if document.status != S.READY_FOR_DELIBERATION:
        if document.status in (S.DRAFTING, S.CONSULTING, S.LEGALITY_REVIEW, S.LEGALITY_FAILED):
            raise TransitionBlocked(_("未经合法性审核或者经审核不合法的，不得提交集体审议（《优化营商环境条例》第六十三条）"))
        raise InvalidState(_("当前状态不允许此操作，请刷新页面后重试。"))
    _require(meeting, _("请填写审议会议名称。"), "meeting_required")
    if held_on > local_today():
        raise DomainError(_("审议日期不能晚于今天：请在会后记录。"), code="date_in_future")
    moves = {"adopted": ("adopt", _("集体审议通过"), {"held_on": held_on, "meeting": meeting}),
             "rejected": ("reject", _("集体审议不予通过"), {}),
             "redraft": ("send_back_for_redraft", _("集体审议决定修改后再议"), {})}
    if outcome not in moves:
        raise DomainError(_("请选择审议结果。"), code="invalid_outcome")
    name, label, kwargs = moves[outcome]
    return _transition(document, actor=actor, name=name, label=label, reason=note,
                       details={"held_on": held_on, "meeting": meeting}, **kwargs)


@transaction.atomic
def document_register(*, actor: User, document_id: int) -> NormativeDocument:
    """统一登记、统一编号: the next number of the issuer's format for the year — gap-free and
    never reused (the sequence row is locked and advanced in this transaction)."""
    document = _lock(document_id, actor)
    if not can_act_as_issuer(actor, document):
        raise PermissionDenied
    if document.status != S.DELIBERATED:
        raise InvalidState(_("集体审议通过后方可统一登记编号。"))
    scheme = NumberingScheme.objects.filter(issuer=document.issuer).first()
    if scheme is None:
        raise DomainError(_("%(issuer)s尚未配置文号格式，请系统管理员配置后再登记。") % {"issuer": document.issuer},
                          code="numbering_missing")
    today = local_today()
    skipped = []
    while True:  # a number registered from before the portal (历史文件登记) is never given again
        number, registration_number = scheme.format(today.year, next_in_sequence(NumberSequence, scheme=scheme,
                                                                                 year=today.year))
        if not NormativeDocument.objects.filter(number_normalized=normalize_number(number)).exists():
            break
        skipped.append(number)
    details = {"number": number, "registration_number": registration_number}
    if skipped:
        details["skipped_registered_numbers"] = skipped
    return _transition(document, actor=actor, name="register", label=_("统一登记编号"), details=details,
                       number=number, registration_number=registration_number, on=today)


VALIDITY = "normative.validity"
PUBLICATION = "normative.publication"
VALIDITY_PROVISIONAL = "normative.validity_provisional"


def validity_months(document: NormativeDocument, effective_on: dt.date) -> int:
    """The longest validity in months (policy table): 暂行/试行 2 years, others 5 (rule N14)."""
    code = VALIDITY_PROVISIONAL if is_provisional(document.title) else VALIDITY
    return deadline_services.policy_in_force(code, effective_on).length


def validity_end(document: NormativeDocument, effective_on: dt.date) -> dt.date:
    return add_months(effective_on, validity_months(document, effective_on)) - dt.timedelta(days=1)


def months_label(months: int) -> str:
    return _("%(n)s年") % {"n": months // 12} if months % 12 == 0 else _("%(n)s个月") % {"n": months}


def checked_validity(document: NormativeDocument, *, actor, effective_on: dt.date, valid_until: dt.date | None,
                     no_validity_reason: str) -> dt.date | None:
    """The last valid day: at most 5 years from taking effect, 2 for 暂行/试行 (the policy table;
    the longest by default). No validity period only with a reason, and never for 暂行/试行."""
    months = validity_months(document, effective_on)
    longest = add_months(effective_on, months) - dt.timedelta(days=1)
    kind = _("暂行、试行的") if is_provisional(document.title) else ""
    if no_validity_reason.strip():
        if is_provisional(document.title):
            refuse("N14-provisional", obj=document, actor=actor, limit=months_label(months))
        rulebook.reason_given("N14-none", obj=document, actor=actor, reason=no_validity_reason,
                              limit=months_label(months))
        return None
    if valid_until is None:
        return longest
    if valid_until < effective_on:
        raise DomainError(_("有效期截止日期不能早于施行日期。"), code="valid_until_before_effective")
    if valid_until > longest:
        refuse("N14", obj=document, actor=actor, kind=kind, limit=months_label(months),
               longest=deadline_services.day_label(longest))
    return valid_until


@records_refusals(subject=(NormativeDocument, "document_id"))
@transaction.atomic
def document_publish(*, actor: User, document_id: int, published_on: dt.date, effective_on: dt.date,
                     channel: str, signed_on: dt.date | None = None, valid_until: dt.date | None = None,
                     no_validity_reason: str = "", adjustment_reason: str = "", late_reason: str = "") -> NormativeDocument:
    """Publish (no document takes effect unpublished); set validity (rule N14); apply 立改废;
    start the filing clock."""
    document = _lock(document_id, actor)
    if not can_act_as_issuer(actor, document):
        raise PermissionDenied
    if document.status != S.REGISTERED:
        raise InvalidState(_("统一登记编号后方可公布。"))
    _require(channel, _("请填写公布载体（政府公报、政府网站等）。"), "channel_required")
    today = local_today()
    if published_on > today:
        raise DomainError(_("公布日期不能晚于今天。"), code="date_in_future")
    if effective_on < published_on:
        raise DomainError(_("未经公布的规范性文件不得施行：施行日期不能早于公布日期。"), code="effective_before_publication")
    if document.business_related:
        days = deadline_services.policy_in_force("normative.adjustment_period", published_on).length
        if (effective_on - published_on).days < days:
            rulebook.reason_given("N12", obj=document, actor=actor, reason=adjustment_reason, days=days)
    formed_on = signed_on or document.registered_on or document.deliberated_on  # 成文: the information is formed
    if formed_on:  # 政府信息公开条例 Art. 26: made public within 20 working days of its formation
        due = add_working_days(formed_on, deadline_services.policy_length(PUBLICATION, formed_on))
        if published_on > due:
            rulebook.reason_given("N11", obj=document, actor=actor, reason=late_reason,
                                  period=deadline_services.period_label(
                                      deadline_services.policy_length(PUBLICATION, formed_on), "working_days"),
                                  formed=deadline_services.day_label(formed_on), due=deadline_services.day_label(due))
    valid_until = checked_validity(document, actor=actor, effective_on=effective_on, valid_until=valid_until,
                                   no_validity_reason=no_validity_reason)
    document.publication_channel, document.signed_on = channel, signed_on or document.deliberated_on
    document.no_validity_reason = no_validity_reason.strip()
    _transition(document, actor=actor, name="publish", label=_("公布"), reason=adjustment_reason,
                details={"published_on": published_on, "effective_on": effective_on, "valid_until": valid_until,
                         "channel": channel},
                published_on=published_on, effective_on=effective_on, valid_until=valid_until)
    register_published(document, actor=actor)  # 索引号 of the 政府信息公开 catalogue
    _apply_relations(document, actor=actor)
    rule = reminders.FILING
    if document.issuer.kind == Department.Kind.TOWNSHIP and DeadlinePolicy.objects.filter(
            code=reminders.FILING_TOWNSHIP, effective_from__lte=published_on).exists():
        rule = reminders.FILING_TOWNSHIP  # the 2025 Huzhou rule for townships and streets (15 days)
    deadline_services.clock_start(subject=document, rule=rule, actor=actor, started_on=published_on,
                                  department=document.issuer, label=_("报送备案：%(doc)s") % {"doc": document})
    if valid_until:
        start_expiry_clocks(document, actor=actor)
    return document


def start_expiry_clocks(document: NormativeDocument, *, actor, started_on: dt.date | None = None) -> None:
    """R14: the reminders 6 and 2 months before the last valid day (evaluate, re-publish)."""
    for rule in (reminders.EXPIRY_NOTICE, reminders.EXPIRY_FINAL):
        deadline_services.clock_start(subject=document, rule=rule, actor=actor,
                                      started_on=started_on or document.published_on,
                                      fixed_due_on=document.valid_until, department=document.issuer,
                                      label=_("有效期届满：%(doc)s") % {"doc": document})


def _apply_relations(document: NormativeDocument, *, actor) -> None:
    for relation in document.changes_made.select_related("older"):
        older = NormativeDocument.objects.select_for_update().get(pk=relation.older_id)
        on = document.effective_on
        if relation.kind == RelationKind.AMENDS and older.status == S.PUBLISHED:
            _transition(older, actor=actor, name="mark_amended", label=_("被修改"), on=on,
                        reason=_("被%(doc)s修改") % {"doc": document}, details={"by": document.pk})
        elif relation.kind in (RelationKind.REPEALS, RelationKind.REPLACES) and older.status in (S.PUBLISHED, S.AMENDED):
            label = _("被替代（重新公布）") if relation.kind == RelationKind.REPLACES else _("被废止")
            _transition(older, actor=actor, name="repeal", label=label, on=on,
                        reason=_("%(kind)s：%(doc)s") % {"kind": relation.get_kind_display(), "doc": document},
                        details={"by": document.pk})
            deadline_services.clocks_cancel_for(subject=older, actor=actor, note=str(label))


@transaction.atomic
def document_link(*, actor: User, document_id: int, older_id: int, kind: str) -> DocumentRelation:
    """Say, while drafting, what the new document will replace, amend or repeal."""
    document = _lock(document_id, actor)
    if not can_draft(actor, document):
        raise PermissionDenied
    if document.status not in EDITABLE_STATES:
        raise InvalidState(_("送审后不能修改立改废关系。"))
    if kind not in RelationKind.values:
        raise DomainError(_("请选择关系类型。"), code="invalid_relation")
    older = NormativeDocument.objects.public().filter(pk=older_id).first()
    if older is None or older.pk == document.pk:
        raise DomainError(_("只能关联已公布的其他文件。"), code="invalid_older")
    relation, _created = DocumentRelation.objects.update_or_create(newer=document, older=older, defaults={"kind": kind})
    record_event(actor=actor, event_type="edit", obj=document, action="relation", action_label=_("设置立改废关系"),
                 details={"older": older.pk, "kind": kind})
    return relation


@transaction.atomic
def document_start_new_version(*, actor: User, document_id: int) -> NormativeDocument:
    """Re-publication: a new draft that will replace the old document when published."""
    old = NormativeDocument.objects.public().select_for_update().get(pk=document_id)
    if not (can_draft(actor, old) or can_act_as_issuer(actor, old)):
        raise PermissionDenied
    new = document_propose(actor=actor, data={
        "title": old.title, "doc_type": old.doc_type, "issuer": old.issuer,
        "reason": _("有效期届满或者评估后需要继续执行，重新公布（原%(number)s）。") % {"number": old.number},
        "body": old.body, "explanation": old.explanation, "business_related": old.business_related,
        "major_rights_impact": old.major_rights_impact})
    DocumentRelation.objects.create(newer=new, older=old, kind=RelationKind.REPLACES)
    return new


@transaction.atomic
def document_repeal(*, actor: User, document_id: int, reason: str, on: dt.date | None = None) -> NormativeDocument:
    document = _lock(document_id, actor)
    if not can_act_as_issuer(actor, document):
        raise PermissionDenied
    _require(reason, _("请说明废止理由。"), "reason_required")
    _transition(document, actor=actor, name="repeal", label=_("废止"), reason=reason, on=on or local_today())
    deadline_services.clocks_cancel_for(subject=document, actor=actor, note=_("文件已废止"))
    return document


def document_expire(document: NormativeDocument, *, actor, on: dt.date, label: str, reason: str = "",
                    details=None) -> NormativeDocument:
    """失效: the document (locked by the caller, who decided it) stops being in force; its clocks end."""
    _transition(document, actor=actor, name="expire", label=label, reason=reason, details=details, on=on)
    deadline_services.clocks_cancel_for(subject=document, actor=actor, note=label)
    return document


def documents_expire_due(*, today: dt.date | None = None) -> int:
    """失效 by itself: every published document whose last valid day has passed (system action)."""
    today = today or local_today()
    count = 0
    for pk in NormativeDocument.objects.filter(status=S.PUBLISHED, valid_until__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            document = NormativeDocument.objects.select_for_update().get(pk=pk)
            if document.status != S.PUBLISHED:
                continue
            document_expire(document, actor=None, on=document.valid_until + dt.timedelta(days=1),
                            label=_("有效期届满自动失效"), details={"valid_until": document.valid_until})
            count += 1
    return count


@transaction.atomic
def document_attachment_open(*, actor: User, attachment_id: int):
    """An evidence file of a normative document (the document, a drafting procedure or a
    filing) that the actor may see, its download recorded. Raises DoesNotExist (a 404)
    for a file of a document the actor may not see."""
    from core.models import Attachment
    from core.services import attachment_path

    from .models import FilingRecord

    attachment = Attachment.objects.select_related("content_type").get(pk=attachment_id)
    model = attachment.content_type.model_class()
    if model is NormativeDocument:
        document_id = attachment.object_id
    elif model in (DraftingProcedure, FilingRecord):
        document_id = model.objects.values_list("document_id", flat=True).get(pk=attachment.object_id)
    else:
        raise Attachment.DoesNotExist
    document = NormativeDocument.objects.visible_to(actor).get(pk=document_id)
    if not attachment_path(attachment).exists():
        raise Attachment.DoesNotExist
    record_event(actor=actor, event_type="download", obj=document, action="attachment_download",
                 action_label=_("下载附件"), details={"attachment": attachment.pk, "name": attachment.original_name})
    return attachment


# ---------------------------------------------------------------- 政府信息公开目录信息 (core.disclosure)
register_disclosure_kind(NormativeDocument, DisclosureKind(
    describe=lambda document: {"body": document.issuer, "written_on": document.signed_on,
                               "published_on": document.published_on, "document_number": document.number},
    published=lambda: NormativeDocument.objects.public().select_related("issuer"),
    published_key=lambda document: (document.published_on, document.updated_at),
    validity=lambda document: str(document.get_public_status_display())))
