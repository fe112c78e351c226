"""One function per action on an enforcement case: atomic, locked, permission-checked and
audited. Pages, the API, the admin, tasks and commands all call these."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import record_event
from core.disclosure import DisclosureKind, register_disclosure_kind, register_published
from core.exceptions import DomainError, InvalidState, NotPermitted, TransitionBlocked
from core.models import User
from core.rulebook import records_refusals, refuse
from core.sequences import next_in_sequence
from core.services import attachment_add
from core.workdays import local_today
from core.workflow import apply_transition
from deadlines import services as deadline_services
from deadlines.engine import add_months
from reviews.models import ReviewTask
from reviews.services import (
    register_review_outcome_handler,
    register_review_qualification_check,
    review_task_open,
)

from . import masking, reminders
from .models import (
    AudioVideoRule,
    Case,
    CaseNumberSequence,
    OfficerCertificate,
    PublicNotice,
    RecordEntry,
    Recusal,
)
from .permissions import (
    can_act_for_body,
    can_decide_for_body,
    can_hold_hearing,
    can_register_clue,
    can_reveal_personal_data,
)
from .workflow import (
    MAJOR_PENALTY_TYPES,
    REVIEW_GROUNDS,
    CaseStatus,
    EnforcementKind,
    KeyArea,
    NoPenaltyGround,
    Outcome,
    PartyType,
    PenaltyType,
    RecordKind,
)

S = CaseStatus
CLUE_FIELDS = ("title", "clue_source", "clue_received_on", "key_area", "kind", "ways", "party_type", "party_name",
               "party_id_number", "party_phone", "party_address", "party_aliases", "facts", "complex_case", "public_interest")
#: The policy row of the period within which an earlier violation excludes 首违不罚.
FIRST_VIOLATION_PERIOD = "enforcement.first_violation_period"
#: The 90-day clock pauses while a hearing is pending (configurable per 行政处罚法 Art. 60 "法律另有规定").
PAUSE_FOR_HEARING = True


def _lock(case_id: int, actor) -> Case:
    return Case.objects.visible_to(actor).select_for_update(of=("self",)).select_related("body").get(pk=case_id)


def _transition(case: Case, *, actor, name: str, label: str, reason: str = "", details=None,
                **kwargs) -> Case:
    apply_transition(case, actor=actor, name=name, label=label, reason=reason, details=details, **kwargs)
    return case


def _require(text, message: str, code: str) -> None:
    if not str(text or "").strip():
        raise DomainError(message, code=code)


def _act(actor, case: Case) -> None:
    if not can_act_for_body(actor, case.body_id):
        raise PermissionDenied


# ================================================================== clue and opening
@transaction.atomic
def case_register_clue(*, actor: User, data: dict[str, Any]) -> Case:
    """登记线索 by a certified officer of the body."""
    if not can_register_clue(actor):
        raise PermissionDenied
    for field, message in (("title", _("请填写案由。")), ("clue_source", _("请填写线索来源。")),
                           ("party_name", _("请填写当事人。")), ("party_id_number", _("请填写身份证号或统一社会信用代码。"))):
        _require(data.get(field), message, f"{field}_required")
    if data.get("key_area") not in KeyArea.values or data.get("kind") not in EnforcementKind.values \
            or data.get("party_type") not in PartyType.values:
        raise DomainError(_("请选择重点领域、执法类型和当事人类型。"), code="invalid_choice")
    id_number = str(data["party_id_number"]).strip().upper()
    if data["party_type"] == PartyType.PERSON and not masking.is_resident_id(id_number):
        raise DomainError(_("身份证号码格式或校验位不正确。"), code="invalid_id_number")
    values = {k: v for k, v in data.items() if k in CLUE_FIELDS}
    values["party_id_number"] = id_number
    values.setdefault("clue_received_on", local_today())
    case = Case.objects.create(body=actor.department, created_by=actor, **values)
    record_event(actor=actor, event_type="transition", obj=case, action="register_clue", action_label=_("登记线索"),
                 target_state=case.status, details={"clue_source": case.clue_source})
    return case


def valid_officers(body_id: int, user_ids, on: dt.date) -> list[User]:
    """The users among ``user_ids`` holding a certificate of the body valid on ``on``."""
    certified = set(OfficerCertificate.objects.filter(body_id=body_id, user_id__in=list(user_ids), valid_from__lte=on,
                                                      valid_until__gte=on).values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=certified, is_active=True))


def _check_officers(case: Case, officer_ids, on: dt.date) -> list[User]:
    officer_ids = {int(i) for i in officer_ids}
    officers = valid_officers(case.body_id, officer_ids, on)
    missing = officer_ids - {o.pk for o in officers}
    if missing:
        names = "、".join(User.objects.filter(pk__in=missing).values_list("full_name", flat=True)) or str(missing)
        raise DomainError(_("%(names)s没有本机关有效的执法证件，不能承办案件。") % {"names": names}, code="certificate_invalid")
    recused = set(case.recusals.filter(granted=True).values_list("officer_id", flat=True)) if case.pk else set()
    if officer_ids & recused:
        raise DomainError(_("已准予回避的执法人员不得承办本案。"), code="recused")
    if len(officers) < 2:
        raise DomainError(_("执法人员不得少于两人（《中华人民共和国行政处罚法》第四十二条）。"), code="two_officers")
    return officers


def case_number(body, year: int, serial: int) -> str:
    return f"{body.short_name or body.name}罚立〔{year}〕{serial}号"


def _next_case_number(case: Case, year: int) -> str:
    """Gap-free per body and year, never reused (``core.sequences``)."""
    return case_number(case.body, year, next_in_sequence(CaseNumberSequence, body_id=case.body_id, year=year))


@transaction.atomic
def case_open(*, actor: User, case_id: int, officer_ids, note: str = "") -> Case:
    """立案: at least two certified officers; the 90-day clock of Art. 60 starts."""
    case = _lock(case_id, actor)
    if not can_decide_for_body(actor, case.body_id):
        raise NotPermitted(_("立案须经执法机关负责人批准。"))
    if case.status != S.CLUE:
        raise InvalidState(_("只有线索可以立案。"))
    today = local_today()
    officers = _check_officers(case, officer_ids, today)
    _transition(case, actor=actor, name="open", label=_("立案"), reason=note,
                details={"officers": [o.username for o in officers]}, on=today,
                number=_next_case_number(case, today.year))
    case.officers.set(officers)
    for rule in reminders.CASE_CLOCKS:
        deadline_services.clock_start(subject=case, rule=rule, actor=actor, started_on=today, department=case.body,
                                      label=_("%(title)s（%(number)s）") % {"title": case.title, "number": case.number})
    return case


@transaction.atomic
def case_decline(*, actor: User, case_id: int, reason: str) -> Case:
    case = _lock(case_id, actor)
    if not can_decide_for_body(actor, case.body_id):
        raise NotPermitted(_("不予立案须经执法机关负责人批准。"))
    _require(reason, _("请写明不予立案的理由。"), "reason_required")
    return _transition(case, actor=actor, name="decline", label=_("不予立案"), reason=reason, reason_text=reason)


# ================================================================== investigation
@transaction.atomic
def case_request_recusal(*, actor: User, case_id: int, officer_id: int, reason: str) -> Recusal:
    """The party's request for an officer's recusal, recorded by an officer of the body."""
    case = _lock(case_id, actor)
    _act(actor, case)
    _require(reason, _("请写明申请回避的理由。"), "reason_required")
    if not case.officers.filter(pk=officer_id).exists():
        raise DomainError(_("只能对本案执法人员申请回避。"), code="not_an_officer")
    recusal = Recusal.objects.create(case=case, officer_id=officer_id, reason=reason)
    record_event(actor=actor, event_type="procedure", obj=case, action="recusal_request", action_label=_("申请回避"),
                 reason=reason, details={"officer": officer_id})
    return recusal


@transaction.atomic
def case_decide_recusal(*, actor: User, recusal_id: int, granted: bool, replacement_id: int | None = None) -> Recusal:
    """The body's head decides (行政处罚法 Art. 43); a granted recusal needs a certified replacement."""
    recusal = Recusal.objects.select_for_update().select_related("case").get(pk=recusal_id)
    case = _lock(recusal.case_id, actor)
    if not can_decide_for_body(actor, case.body_id):
        raise NotPermitted(_("回避由执法机关负责人决定。"))
    if recusal.granted is not None:
        raise InvalidState(_("该回避申请已处理。"))
    recusal.granted, recusal.decided_by, recusal.decided_on = granted, actor, local_today()
    recusal.save()
    if granted:
        remaining = [o.pk for o in case.officers.all() if o.pk != recusal.officer_id]
        if replacement_id:
            remaining.append(replacement_id)
        case.officers.set(_check_officers(case, remaining, local_today()))
    record_event(actor=actor, event_type="procedure", obj=case, action="recusal_decide",
                 action_label=_("准予回避") if granted else _("驳回回避申请"),
                 details={"officer": recusal.officer_id, "replacement": replacement_id})
    return recusal


@records_refusals(subject=(Case, "case_id"))
@transaction.atomic
def case_add_record(*, actor: User, case_id: int, kind: str, happened_at: dt.datetime, place: str, summary: str,
                    officer_ids, files=(), has_audio_video: bool = False) -> RecordEntry:
    """One step of the full-process record; audio-video where the rules require it."""
    case = _lock(case_id, actor)
    _act(actor, case)
    if case.status not in (S.INVESTIGATING, S.NOTIFIED, S.HEARING_REQUESTED, S.HEARING_HELD):
        raise InvalidState(_("立案后、作出决定前记录调查取证。"))
    if kind not in RecordKind.values:
        raise DomainError(_("请选择执法环节。"), code="invalid_kind")
    _require(place, _("请填写地点。"), "place_required")
    _require(summary, _("请填写情况记录。"), "summary_required")
    officers = valid_officers(case.body_id, officer_ids, happened_at.date() if hasattr(happened_at, "date") else happened_at)
    if len(officers) < 2:
        raise DomainError(_("调查取证时执法人员不得少于两人，并应当出示执法证件（《中华人民共和国行政处罚法》第四十二条、第五十五条）。"),
                          code="two_officers")
    rule = AudioVideoRule.objects.filter(kind=kind).first()
    if rule and not (has_audio_video and files):
        raise TransitionBlocked(_("“%(kind)s”须全程音像记录，请上传音像记录或其说明文件（%(source)s）。")
                                % {"kind": RecordKind(kind).label, "source": rule.source})
    entry = RecordEntry.objects.create(case=case, kind=kind, happened_at=happened_at, place=place, summary=summary,
                                       has_audio_video=has_audio_video, recorded_by=actor)
    entry.officers.set(officers)
    for uploaded in files:
        attachment_add(subject=entry, uploaded_file=uploaded, actor=actor, purpose=kind, audit_obj=case)
    record_event(actor=actor, event_type="procedure", obj=case, action="record_entry",
                 action_label=_("全过程记录：%(kind)s") % {"kind": RecordKind(kind).label},
                 details={"entry": entry.pk, "kind": kind, "place": place, "officers": [o.username for o in officers]})
    if kind in (RecordKind.PRESERVATION, RecordKind.SEIZURE):
        rule_code = reminders.PRESERVATION if kind == RecordKind.PRESERVATION else reminders.SEIZURE
        deadline_services.clock_start(subject=entry, rule=rule_code, actor=actor, department=case.body,
                                      started_on=happened_at.date() if hasattr(happened_at, "date") else happened_at,
                                      label=_("%(kind)s：%(case)s") % {"kind": RecordKind(kind).label, "case": case})
    return entry


@transaction.atomic
def case_pause(*, actor: User, case_id: int, reason_kind: str, reason: str) -> Case:
    """中止: the 90-day clock stops (suspension, testing …) until resumed."""
    case = _lock(case_id, actor)
    if not can_decide_for_body(actor, case.body_id):
        raise NotPermitted(_("中止案件办理期限须经执法机关负责人批准。"))
    for rule in reminders.CASE_CLOCKS:
        clock = deadline_services.open_clock(case, rule)
        if clock is None or clock.status != "running":
            raise InvalidState(_("案件办理期限未在计时中。"))
        deadline_services.clock_pause(clock_id=clock.pk, actor=actor, paused_on=local_today(),
                                      reason_kind=reason_kind, reason=reason)
    return case


@transaction.atomic
def case_resume(*, actor: User, case_id: int, note: str = "") -> Case:
    case = _lock(case_id, actor)
    if not can_decide_for_body(actor, case.body_id):
        raise NotPermitted(_("恢复案件办理期限须经执法机关负责人批准。"))
    for rule in reminders.CASE_CLOCKS:
        deadline_services.clock_resume_for(subject=case, rule=rule, actor=actor, note=note)
    return case


@transaction.atomic
def case_conclude_measure(*, actor: User, case_id: int, entry_id: int, note: str) -> RecordEntry:
    """The decision on preserved evidence or the release of seized property ends its R18 clock."""
    case = _lock(case_id, actor)
    _act(actor, case)
    entry = case.records.filter(pk=entry_id, kind__in=[RecordKind.PRESERVATION, RecordKind.SEIZURE]).first()
    if entry is None:
        raise DomainError(_("请选择本案的先行登记保存或查封、扣押记录。"), code="invalid_entry")
    _require(note, _("请填写处理决定（解除、没收、移送等）。"), "note_required")
    rule = reminders.PRESERVATION if entry.kind == RecordKind.PRESERVATION else reminders.SEIZURE
    if deadline_services.clock_stop(subject=entry, rule=rule, actor=actor, note=note) is None:
        raise InvalidState(_("该措施已处理完毕。"))
    record_event(actor=actor, event_type="procedure", obj=case, action="measure_conclude",
                 action_label=_("作出处理决定：%(kind)s") % {"kind": RecordKind(entry.kind).label}, reason=note,
                 details={"entry": entry.pk})
    return entry


# ================================================================== notice, hearing, legal review
def hearing_available(case: Case) -> bool:
    return bool(set(case.proposed_penalty_types) & set(MAJOR_PENALTY_TYPES)) or case.proposed_fine > 0


@records_refusals(subject=(Case, "case_id"))
@transaction.atomic
def case_notify(*, actor: User, case_id: int, facts: str, penalty_types: list[str], fine: Decimal,
                basis: str) -> Case:
    """告知: the intended decision, its facts and basis, and the rights to defend and to a hearing."""
    case = _lock(case_id, actor)
    _act(actor, case)
    _require(facts, _("请填写拟认定的违法事实。"), "facts_required")
    _require(basis, _("请填写处罚依据。"), "basis_required")
    if any(t not in PenaltyType.values for t in penalty_types):
        raise DomainError(_("处罚种类不正确。"), code="invalid_penalty_type")
    if Decimal(fine or 0) < 0:
        raise DomainError(_("罚款金额不能为负数。"), code="invalid_amount")
    case.facts, case.proposed_penalty_types, case.proposed_fine = facts, list(penalty_types), Decimal(fine or 0)
    case.decision_basis = basis
    _transition(case, actor=actor, name="notify", label=_("告知拟作出的行政处罚决定及陈述申辩、听证权利"),
                details={"penalty_types": penalty_types, "fine": str(case.proposed_fine)}, on=local_today())
    if hearing_available(case):
        deadline_services.clock_start(subject=case, rule=reminders.HEARING_REQUEST, actor=actor, department=case.body,
                                      label=_("听证申请期限：%(case)s") % {"case": case})
    return case


@records_refusals(subject=(Case, "case_id"))
@transaction.atomic
def case_request_hearing(*, actor: User, case_id: int, requested_on: dt.date) -> Case:
    """The party asked for a hearing: within 5 working days of the notice (Art. 64)."""
    case = _lock(case_id, actor)
    _act(actor, case)
    clock = deadline_services.open_clock(case, reminders.HEARING_REQUEST)
    if case.status != S.NOTIFIED:
        raise InvalidState(_("告知后方可申请听证。"))
    if clock is None:
        raise DomainError(_("拟作出的处罚不属于听证范围。"), code="no_hearing")
    if clock.due_on and requested_on > clock.due_on:
        raise DomainError(_("当事人应当在告知后五个工作日内提出听证申请（截至%(day)s），逾期视为放弃。")
                          % {"day": clock.due_on}, code="hearing_request_late")
    deadline_services.clock_stop(subject=case, rule=reminders.HEARING_REQUEST, actor=actor, note=_("已申请听证"))
    _transition(case, actor=actor, name="request_hearing", label=_("当事人申请听证"), on=requested_on)
    if PAUSE_FOR_HEARING:
        for rule in reminders.CASE_CLOCKS:
            deadline_services.clock_pause_for(subject=case, rule=rule, actor=actor, reason=_("听证程序"),
                                              reason_kind="hearing")
    return case


@records_refusals(subject=(Case, "case_id"))
@transaction.atomic
def case_schedule_hearing(*, actor: User, case_id: int, hearing_on: dt.date, notice_on: dt.date,
                          chair_id: int) -> Case:
    """The hearing: notice at least 7 days before; the chair is not an investigator (Art. 64)."""
    case = _lock(case_id, actor)
    _act(actor, case)
    if case.status != S.HEARING_REQUESTED:
        raise InvalidState(_("当事人申请听证后方可安排听证。"))
    if case.officers.filter(pk=chair_id).exists():
        raise DomainError(_("听证由非本案调查人员主持（《中华人民共和国行政处罚法》第六十四条）。"), code="chair_is_investigator")
    days = deadline_services.policy_length(reminders.HEARING_NOTICE, notice_on)
    if (hearing_on - notice_on).days < days:
        raise DomainError(_("应当在举行听证的%(days)s日前通知当事人（《中华人民共和国行政处罚法》第六十四条）。") % {"days": days},
                          code="notice_too_late")
    case.hearing_on, case.hearing_notice_on, case.hearing_chair_id = hearing_on, notice_on, chair_id
    case.version += 1
    case.save()
    if notice_on > local_today():  # R20: the notice still has to go out, at least 7 days before the hearing
        deadline_services.clock_start(subject=case, rule=reminders.HEARING_NOTICE, actor=actor, department=case.body,
                                      fixed_due_on=hearing_on - dt.timedelta(days=days),
                                      label=_("听证通知送达：%(case)s（听证%(day)s）") % {"case": case, "day": hearing_on})
    record_event(actor=actor, event_type="procedure", obj=case, action="hearing_schedule", action_label=_("安排听证"),
                 details={"hearing_on": hearing_on, "notice_on": notice_on, "chair": chair_id})
    return case


@transaction.atomic
def case_hold_hearing(*, actor: User, case_id: int, record: str) -> Case:
    case = _lock(case_id, actor)
    if not can_hold_hearing(actor, case):
        raise PermissionDenied
    if case.hearing_on is None:
        raise TransitionBlocked(_("请先安排听证。"))
    _require(record, _("请填写听证笔录摘要。"), "record_required")
    _transition(case, actor=actor, name="hold_hearing", label=_("举行听证"), record=record)
    deadline_services.clock_stop(subject=case, rule=reminders.HEARING_NOTICE, actor=actor, note=_("已举行听证"))
    for rule in reminders.CASE_CLOCKS:
        deadline_services.clock_resume_for(subject=case, rule=rule, actor=actor, note=_("听证结束"))
    return case


def legal_review_grounds(case: Case) -> list[str]:
    """Why this case needs a legal review before the decision (Art. 58, the body's catalog)."""
    grounds = []
    if case.status == S.HEARING_HELD or case.hearing_record:
        grounds.append("hearing")
    profile = getattr(case.body, "enforcement_profile", None)
    threshold = None
    if profile is not None:
        threshold = (profile.review_threshold_person if case.party_type == PartyType.PERSON
                     else profile.review_threshold_organisation)
    if threshold is not None and case.proposed_fine > threshold:
        grounds.append("amount")
    if set(case.proposed_penalty_types) & set(MAJOR_PENALTY_TYPES):
        grounds.append("major_type")
    if case.complex_case:
        grounds.append("complex")
    if case.public_interest:
        grounds.append("public_interest")
    return grounds


@transaction.atomic
def case_submit_for_legal_review(*, actor: User, case_id: int, note: str = "") -> Case:
    case = _lock(case_id, actor)
    _act(actor, case)
    grounds = legal_review_grounds(case)
    case.legal_review_required, case.legal_review_grounds = bool(grounds), grounds
    _transition(case, actor=actor, name="submit_for_legal_review", label=_("送法制审核"), reason=note,
                details={"grounds": grounds})
    # no hearing can be requested any more (only a notified case can request one)
    deadline_services.clock_stop(subject=case, rule=reminders.HEARING_REQUEST, actor=actor, note=_("已送法制审核"))
    review_task_open(obj=case, kind=ReviewTask.Kind.ENFORCEMENT, title=f"{case.number} {case.title}",
                     department=case.body, submitted_by=actor, note=note,
                     min_policy=reminders.LEGALITY_REVIEW_MIN, clock_rule=reminders.LEGALITY_REVIEW)
    return case


def _apply_review_outcome(*, task: ReviewTask, actor: User) -> None:
    case = Case.objects.select_for_update().get(pk=task.object_id)
    case.legal_review_opinion = task.opinion
    passed = task.outcome in (ReviewTask.Outcome.PASSED, ReviewTask.Outcome.PASSED_WITH_CHANGES)
    name, label = ("pass_legal_review", _("法制审核通过")) if passed else ("return_from_legal_review", _("法制审核未通过，退回调查"))
    _transition(case, actor=actor, name=name, label=label, reason=task.opinion,
                details={"review_task": task.pk, "outcome": task.outcome})


def _qualified_reviewer(user: User, task: ReviewTask) -> str | None:
    """初次从事法制审核的人员须取得国家统一法律职业资格 (Art. 58): recorded on a certificate."""
    if OfficerCertificate.objects.filter(user=user, legal_qualification=True).exists():
        return None
    return _("重大执法决定的法制审核人员须具有法律职业资格（《中华人民共和国行政处罚法》第五十八条）。")


register_review_outcome_handler(ReviewTask.Kind.ENFORCEMENT, _apply_review_outcome)
register_review_qualification_check(ReviewTask.Kind.ENFORCEMENT, _qualified_reviewer)


# ================================================================== decision and after
#: Outcomes of earlier cases that establish no violation (they do not count against 初次违法).
NOT_A_VIOLATION = (NoPenaltyGround.FACTS_NOT_ESTABLISHED, NoPenaltyGround.NO_FAULT)


def earlier_violations(case: Case, *, on: dt.date | None = None) -> tuple[int, list[Case]]:
    """(the period in months, the other cases of the same party and key area opened within it) —
    across every body's cases, whatever the actor may see: 初次违法 is a fact about the party.
    A case declined, revoked, or closed because the facts were not established or without fault
    does not count."""
    on = on or local_today()
    months = deadline_services.policy_length(FIRST_VIOLATION_PERIOD, on)
    since = add_months(case.opened_on or on, -months)
    others = (Case.objects.filter(party_key=case.party_key, key_area=case.key_area, opened_on__gte=since)
              .exclude(pk=case.pk).exclude(status__in=(S.CLUE, S.NOT_OPENED, S.REVOKED))
              .exclude(outcome=Outcome.NO_PENALTY, no_penalty_ground__in=NOT_A_VIOLATION)
              .select_related("body").order_by("opened_on", "id"))
    return months, list(others)


def first_violation_facts(case: Case, *, actor: User, harm_statement: str, correction_statement: str,
                          evidence_record_ids) -> dict:
    """首违不罚 (行政处罚法 Art. 33(1)): refused unless the party has no other violation of the same
    kind within the policy period, and the minor harm and the timely correction are stated with
    evidence from the case's full-process record. Returns the facts kept with the decision."""
    months, others = earlier_violations(case)
    if others:
        refuse("E21", obj=case, actor=actor, months=months, cases="、".join(
            other.number or f"{other.body.short_name or other.body.name}：{other.title}" for other in others))
    gaps = []
    if not (harm_statement or "").strip():
        gaps.append(_("未写明危害后果轻微的事实"))
    if not (correction_statement or "").strip():
        gaps.append(_("未写明当事人及时改正的事实"))
    ids = {int(i) for i in evidence_record_ids or ()}
    records = list(case.records.filter(pk__in=ids).values_list("pk", flat=True)) if ids else []
    if not records or len(records) != len(ids):
        gaps.append(_("未选择本案全过程记录作为证据"))
    if gaps:
        refuse("E21-facts", obj=case, actor=actor, gaps="；".join(str(g) for g in gaps))
    return {"ground": NoPenaltyGround.FIRST_VIOLATION.value, "harm": harm_statement.strip(),
            "correction": correction_statement.strip(), "evidence_records": sorted(records),
            "period_months": months, "earlier_cases": 0}

@records_refusals(subject=(Case, "case_id"))
@transaction.atomic
def case_decide(*, actor: User, case_id: int, outcome: str, decision_number: str = "", penalty_types=(),
                fine: Decimal = Decimal("0"), no_penalty_ground: str = "", reason: str = "",
                harm_statement: str = "", correction_statement: str = "", evidence_record_ids=(),
                late_reason: str = "") -> Case:
    """The decision: penalty, no penalty (首违不罚 only for a first violation, minor harm and a
    timely correction, each stated with evidence), or transfer; never without a required legal
    review; after day 90 only with a reason (rules E8, E13, E21)."""
    case = _lock(case_id, actor)
    if not can_decide_for_body(actor, case.body_id):
        raise NotPermitted(_("行政处罚决定由执法机关负责人作出。"))
    if case.status not in (S.NOTIFIED, S.HEARING_HELD, S.READY_TO_DECIDE, S.INVESTIGATING):
        raise InvalidState(_("当前状态不允许此操作，请刷新页面后重试。"))
    if outcome not in Outcome.values:
        raise DomainError(_("请选择处理结果。"), code="invalid_outcome")
    penalty_types = list(penalty_types)
    fine = Decimal(fine or 0)
    if outcome == Outcome.PENALTY:
        if case.status == S.INVESTIGATING:
            raise TransitionBlocked(_("作出行政处罚决定前，应当告知当事人拟作出的决定及陈述、申辩、听证权利（第四十四条）。"))
        if not penalty_types or any(t not in PenaltyType.values for t in penalty_types):
            raise DomainError(_("请选择处罚种类。"), code="penalty_type_required")
        if PenaltyType.FINE in penalty_types and fine <= 0:
            raise DomainError(_("请填写罚款金额。"), code="fine_required")
        if fine > case.proposed_fine or set(penalty_types) - set(case.proposed_penalty_types):
            raise DomainError(_("不得因当事人陈述、申辩或要求听证而给予更重的处罚（第四十五条）：处罚不得重于告知的内容。"),
                              code="heavier_than_notice")
        _require(decision_number, _("请填写决定书文号。"), "decision_number_required")
        check = case.__class__(pk=case.pk, body=case.body, party_type=case.party_type, proposed_fine=fine,
                               proposed_penalty_types=penalty_types, complex_case=case.complex_case,
                               public_interest=case.public_interest, hearing_record=case.hearing_record,
                               status=case.status)
        grounds = legal_review_grounds(check)
        if grounds and not case.legal_review_passed:
            raise TransitionBlocked(_("本案须经法制审核（%(grounds)s），未经法制审核或者审核未通过的，不得作出决定（《中华人民共和国行政处罚法》第五十八条）。")
                                    % {"grounds": "、".join(str(REVIEW_GROUNDS[g]) for g in grounds)})
    elif outcome == Outcome.NO_PENALTY:
        if no_penalty_ground not in NoPenaltyGround.values:
            raise DomainError(_("请选择不予行政处罚的法定情形。"), code="ground_required")
        _require(reason, _("请写明不予处罚的理由（首违不罚等须说明首次违法、危害后果轻微并及时改正的事实）。"), "reason_required")
        penalty_types, fine = [], Decimal("0")
        if no_penalty_ground == NoPenaltyGround.FIRST_VIOLATION:
            case.no_penalty_facts = first_violation_facts(case, actor=actor, harm_statement=harm_statement,
                                                          correction_statement=correction_statement,
                                                          evidence_record_ids=evidence_record_ids)
    else:
        _require(reason, _("请写明移送的司法机关和理由。"), "reason_required")
        penalty_types, fine = [], Decimal("0")
    today = local_today()
    case.late_decision_reason = deadline_services.late_reason(case, reminders.CASE_DECISION, gate="E13",
                                                              actor=actor, reason=late_reason)
    case.outcome, case.penalty_types, case.fine_amount = outcome, penalty_types, fine
    case.no_penalty_ground, case.decision_number = no_penalty_ground, decision_number
    _transition(case, actor=actor, name="decide", label=Outcome(outcome).label, reason=reason,
                details={"outcome": outcome, "penalty_types": penalty_types, "fine": str(fine),
                         "decision_number": decision_number, "no_penalty_ground": no_penalty_ground,
                         "no_penalty_facts": case.no_penalty_facts, "late_reason": case.late_decision_reason},
                on=today)
    for rule in reminders.CASE_CLOCKS:
        deadline_services.clock_stop(subject=case, rule=rule, actor=actor, note=_("已作出决定"))
    deadline_services.clock_stop(subject=case, rule=reminders.HEARING_REQUEST, actor=actor, note=_("已作出决定"))
    if outcome != Outcome.TRANSFER:
        deadline_services.clock_start(subject=case, rule=reminders.SERVICE, actor=actor, department=case.body,
                                      label=_("送达决定书：%(case)s") % {"case": case})
        rule = reminders.PUBLICITY_PENALTY if outcome == Outcome.PENALTY else reminders.PUBLICITY_OTHER
        deadline_services.clock_start(subject=case, rule=rule, actor=actor, department=case.body,
                                      label=_("公开执法决定：%(case)s") % {"case": case})
    return case


@records_refusals(subject=(Case, "case_id"))
@transaction.atomic
def case_serve(*, actor: User, case_id: int, served_on: dt.date, late_reason: str = "") -> Case:
    case = _lock(case_id, actor)
    _act(actor, case)
    if served_on > local_today() or (case.decided_on and served_on < case.decided_on):
        raise DomainError(_("送达日期应在决定日期之后、且不晚于今天。"), code="invalid_date")
    case.late_service_reason = deadline_services.late_reason(case, reminders.SERVICE, gate="E23", actor=actor,
                                                             reason=late_reason, on=served_on)
    _transition(case, actor=actor, name="serve", label=_("送达决定书"), on=served_on,
                details={"late_reason": case.late_service_reason} if case.late_service_reason else None)
    deadline_services.clock_stop(subject=case, rule=reminders.SERVICE, actor=actor, note=_("已送达"))
    if case.fine_amount > 0:
        deadline_services.clock_start(subject=case, rule=reminders.PAYMENT, actor=actor, started_on=served_on,
                                      department=case.body, label=_("缴纳罚款：%(case)s") % {"case": case})
    return case


def surcharge(fine: Decimal, due_on: dt.date, paid_on: dt.date) -> Decimal:
    """加处罚款: 3 % of the fine per day late, never more than the fine (行政处罚法 Art. 72)."""
    days = (paid_on - due_on).days
    if days <= 0:
        return Decimal("0")
    return min((fine * Decimal("0.03") * days).quantize(Decimal("0.01")), fine)


def payment_due_on(case: Case, clock=None) -> dt.date | None:
    """The last day to pay: the payment clock's due date, else 15 days (policy table) after service."""
    if clock is not None and clock.due_on:
        return clock.due_on
    if case.served_on is None:
        return None
    return case.served_on + dt.timedelta(days=deadline_services.policy_length(reminders.PAYMENT, case.served_on))


def amount_owed(case: Case, on: dt.date, *, clock=None) -> Decimal:
    """What the party owes on ``on``: the fine and, once late, the surcharge (the page and the payment use this)."""
    due = payment_due_on(case, clock)
    return case.fine_amount + (surcharge(case.fine_amount, due, on) if due else Decimal("0"))


@transaction.atomic
def case_record_payment(*, actor: User, case_id: int, paid_on: dt.date, amount: Decimal) -> Case:
    case = _lock(case_id, actor)
    _act(actor, case)
    if case.status != S.SERVED or case.fine_amount <= 0:
        raise InvalidState(_("送达罚款决定后方可登记缴纳情况。"))
    owed = amount_owed(case, paid_on, clock=deadline_services.open_clock(case, reminders.PAYMENT))
    if Decimal(amount) < owed:
        raise DomainError(_("应缴%(owed)s元（罚款%(fine)s元，加处罚款%(extra)s元），实缴金额不足。")
                          % {"owed": owed, "fine": case.fine_amount, "extra": owed - case.fine_amount},
                          code="amount_short")
    case.paid_on, case.paid_amount = paid_on, Decimal(amount)
    case.version += 1
    case.save()
    deadline_services.clock_stop(subject=case, rule=reminders.PAYMENT, actor=actor, note=_("已缴纳"))
    record_event(actor=actor, event_type="procedure", obj=case, action="payment", action_label=_("登记罚款缴纳"),
                 details={"paid_on": paid_on, "amount": str(amount), "surcharge": str(owed - case.fine_amount)})
    return case


# ================================================================== publicity
def notice_content(case: Case) -> dict[str, str]:
    """The masked public information of a decision."""
    party = masking.mask_name(case.party_name, case.party_type)
    types = "、".join(f"罚款{case.fine_amount}元" if t == PenaltyType.FINE else str(PenaltyType(t).label)
                     for t in case.penalty_types)
    result = Outcome(case.outcome).label
    if case.outcome == Outcome.PENALTY:
        result = types
    elif case.outcome == Outcome.NO_PENALTY and case.no_penalty_ground:
        result = f"{result}（{NoPenaltyGround(case.no_penalty_ground).label}）"

    names = masking.party_names(case)

    def public(text: str) -> str:
        # every number and the party's name and aliases written into the free text (core.pii)
        return masking.mask_text(text, names=names)

    content = "\n".join([
        f"行政相对人：{party}",
        f"主要违法事实：{public(case.facts)}",
        f"处罚依据：{public(case.decision_basis)}",
        f"处理结果：{result}",
        f"作出决定日期：{case.decided_on.year}年{case.decided_on.month}月{case.decided_on.day}日",
    ])
    return {"party_masked": party, "id_masked": masking.mask_id(case.party_id_number), "content": content}


@records_refusals(subject=(Case, "case_id"))
@transaction.atomic
def case_publish_notice(*, actor: User, case_id: int, late_reason: str = "") -> PublicNotice:
    """事后公开: the masked decision on the public site; after the R21 clock's due date (7 / 20
    working days) only with a reason, shown wherever the lateness is (rule E3)."""
    case = _lock(case_id, actor)
    _act(actor, case)
    if case.status not in (S.DECIDED, S.SERVED, S.CLOSED) or case.outcome == Outcome.TRANSFER:
        raise InvalidState(_("作出处罚或不予处罚决定后方可公开。"))
    if PublicNotice.objects.filter(case=case).exists():
        raise InvalidState(_("该决定已公开。"))
    today = local_today()
    rule = reminders.PUBLICITY_PENALTY if case.outcome == Outcome.PENALTY else reminders.PUBLICITY_OTHER
    clock = deadline_services.open_clock(case, rule)
    on_time = clock is None or clock.due_on is None or today <= clock.due_on
    late = deadline_services.late_reason(case, rule, gate="E3", actor=actor, reason=late_reason)
    period = deadline_services.policy_length("enforcement.publicity_period", today)
    notice = PublicNotice.objects.create(
        case=case, title=f"{case.body.name}行政处罚决定信息公开（{case.decision_number or case.number}）",
        body_name=case.body.name, decision_number=case.decision_number or case.number, published_on=today,
        on_time=on_time, late_reason=late, takedown_on=today + dt.timedelta(days=period), **notice_content(case))
    deadline_services.clock_stop(subject=case, rule=rule, actor=actor, note=_("已公开"))
    record_event(actor=actor, event_type="publicity", obj=case, action="notice_publish", action_label=_("公开执法决定"),
                 reason=late, details={"notice": notice.pk, "on_time": on_time, "takedown_on": notice.takedown_on})
    register_published(notice, actor=actor)  # 索引号 of the 政府信息公开 catalogue
    return notice


@transaction.atomic
def case_revoke(*, actor: User, case_id: int, reason: str) -> Case:
    """The decision is revoked or changed: the publication must be withdrawn within 3 working days (Art. 48)."""
    case = _lock(case_id, actor)
    if not can_decide_for_body(actor, case.body_id):
        raise NotPermitted(_("撤销、变更决定由执法机关负责人作出。"))
    _require(reason, _("请写明撤销或变更的理由（复议决定、判决或自行纠正）。"), "reason_required")
    _transition(case, actor=actor, name="revoke", label=_("撤销行政处罚决定"), reason=reason, on=local_today())
    deadline_services.clocks_cancel_for(subject=case, actor=actor, note=_("决定已撤销"))
    if PublicNotice.objects.filter(case=case, withdrawn_on__isnull=True).exists():
        deadline_services.clock_start(subject=case, rule=reminders.WITHDRAWAL, actor=actor, department=case.body,
                                      label=_("撤回公开信息：%(case)s") % {"case": case})
    return case


@records_refusals(subject=(Case, "case_id"))
@transaction.atomic
def notice_withdraw(*, actor: User, case_id: int, statement: str, late_reason: str = "") -> PublicNotice:
    """Withdraw the publication of a revoked decision: after 3 working days only with a reason (rule E4)."""
    case = _lock(case_id, actor)
    _act(actor, case)
    notice = PublicNotice.objects.select_for_update().filter(case=case).first()
    if notice is None or notice.withdrawn_on:
        raise InvalidState(_("没有需要撤回的公开信息。"))
    _require(statement, _("请填写撤回说明。"), "statement_required")
    notice.late_withdrawal_reason = deadline_services.late_reason(case, reminders.WITHDRAWAL, gate="E4", actor=actor,
                                                                  reason=late_reason)
    notice.withdrawn_on, notice.withdrawal_statement = local_today(), statement
    notice.save()
    deadline_services.clock_stop(subject=case, rule=reminders.WITHDRAWAL, actor=actor, note=_("已撤回"))
    record_event(actor=actor, event_type="publicity", obj=case, action="notice_withdraw", action_label=_("撤回公开信息"),
                 reason=statement, details={"notice": notice.pk})
    return notice


@records_refusals(subject=(Case, "case_id"))
@transaction.atomic
def case_close(*, actor: User, case_id: int, note: str = "") -> Case:
    case = _lock(case_id, actor)
    if not can_decide_for_body(actor, case.body_id):
        raise NotPermitted(_("结案须经执法机关负责人批准。"))
    if case.fine_amount > 0 and case.paid_on is None:
        raise TransitionBlocked(_("罚款尚未缴纳，不能结案；逾期不缴纳的，可依法加处罚款或申请强制执行。"))
    return _transition(case, actor=actor, name="close", label=_("结案"), reason=note, on=local_today())


@transaction.atomic
def case_archive(*, actor: User, case_id: int) -> Case:
    case = _lock(case_id, actor)
    _act(actor, case)
    return _transition(case, actor=actor, name="archive", label=_("归档"))


# ================================================================== personal data
@transaction.atomic
def reveal_personal_data(*, actor: User, case_id: int, reason: str) -> dict[str, str]:
    """The unmasked party data, for those with the permission, each reveal audited."""
    case = Case.objects.visible_to(actor).get(pk=case_id)
    if not can_reveal_personal_data(actor, case):
        raise NotPermitted(_("无权查看完整的个人信息。"))
    _require(reason, _("请说明查看完整个人信息的事由。"), "reason_required")
    record_event(actor=actor, event_type="privacy", obj=case, action="reveal_personal_data",
                 action_label=_("查看完整个人信息"), reason=reason, details={"fields": ["party_id_number", "party_phone",
                                                                                     "party_address"]})
    return {"party_id_number": case.party_id_number, "party_phone": case.party_phone,
            "party_address": case.party_address}


# ================================================================== files
@transaction.atomic
def case_attachment_open(*, actor: User, attachment_id: int):
    """A file of a case (the case or a record entry) that the actor may see, its download
    recorded. Raises DoesNotExist (a 404) for a file of a case the actor may not see."""
    from core.models import Attachment
    from core.services import attachment_path

    attachment = Attachment.objects.select_related("content_type").get(pk=attachment_id)
    model = attachment.content_type.model_class()
    if model is Case:
        case_id = attachment.object_id
    elif model is RecordEntry:
        case_id = RecordEntry.objects.values_list("case_id", flat=True).get(pk=attachment.object_id)
    else:
        raise Attachment.DoesNotExist
    case = Case.objects.visible_to(actor).get(pk=case_id)
    if not attachment_path(attachment).exists():
        raise Attachment.DoesNotExist
    record_event(actor=actor, event_type="download", obj=case, action="attachment_download",
                 action_label=_("下载附件"), details={"attachment": attachment.pk, "name": attachment.original_name})
    return attachment


# ---------------------------------------------------------------- 政府信息公开目录信息 (core.disclosure)
register_disclosure_kind(PublicNotice, DisclosureKind(
    describe=lambda notice: {"body": notice.case.body, "written_on": notice.case.decided_on,
                             "published_on": notice.published_on, "document_number": notice.decision_number,
                             "topic": _("行政执法")},
    published=lambda: PublicNotice.objects.select_related("case__body"),
    published_key=lambda notice: (notice.published_on, notice.created_at),
    public_until=lambda notice: notice.takedown_on))
