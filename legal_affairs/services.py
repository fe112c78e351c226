"""Writes of township legal affairs and the adviser registry: one function per action, audited."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import record_event
from core.exceptions import Conflict, DomainError, NotPermitted
from core.models import Department, Role, User
from core.permissions import is_department_member
from core.workdays import local_today

from .models import (
    AdviserEvaluation,
    AdviserOpinion,
    LegalAdviser,
    PublicLawyer,
    TownshipMeeting,
)

#: What an adviser's opinion may be attached to: key -> model label.
OPINION_SUBJECTS = {"decision": "decisions.Decision", "contract": "contracts.Contract", "review": "reviews.ReviewTask"}


def can_keep_records(user, body: Department) -> bool:
    """A body's own staff keep its meetings, advisers and public lawyers."""
    return is_department_member(user, body.pk)


def _required(data: dict, fields: dict[str, str]) -> None:
    missing = [label for field, label in fields.items() if not str(data.get(field) or "").strip()]
    if missing:
        raise DomainError(_("请填写：%(fields)s。") % {"fields": "、".join(missing)}, code="incomplete")


def _not_future(day: dt.date, label: str) -> None:
    if day > local_today():
        raise DomainError(_("%(label)s不能晚于今天。") % {"label": label}, code="date_in_future")


@transaction.atomic
def meeting_record(*, actor: User, data: dict[str, Any]) -> TownshipMeeting:
    """The township records a 党政联席会议; one that took legal matters without the head of the
    司法所 states why (司法所长列席 is to cover every such meeting)."""
    township = actor.department
    if township is None or township.kind != Department.Kind.TOWNSHIP or not can_keep_records(actor, township):
        raise NotPermitted(_("只有乡镇（街道）工作人员可以记录本乡镇（街道）的党政联席会议。"))
    _required(data, {"held_on": _("会议日期"), "session": _("会议名称"), "topics": _("议题")})
    _not_future(data["held_on"], _("会议日期"))
    legal, attended = bool(data.get("legal_matters")), bool(data.get("sifasuo_head_attended"))
    reason = (data.get("absence_reason") or "").strip()
    if legal and not attended and not reason:
        raise DomainError(_("会议研究涉法事项而司法所长未列席的，须说明原因。"), code="absence_reason_required")
    meeting = TownshipMeeting.objects.create(
        township=township, held_on=data["held_on"], session=data["session"].strip(), topics=data["topics"].strip(),
        legal_matters=legal, sifasuo_head_attended=attended, absence_reason=reason if not attended else "",
        recorded_by=actor)
    record_event(actor=actor, event_type="edit", obj=meeting, action="meeting_record", action_label=_("记录党政联席会议"),
                 reason=meeting.absence_reason,
                 details={"legal_matters": legal, "sifasuo_head_attended": attended, "held_on": meeting.held_on})
    return meeting


@transaction.atomic
def adviser_register(*, actor: User, data: dict[str, Any]) -> LegalAdviser:
    body = actor.department
    if body is None or not can_keep_records(actor, body):
        raise NotPermitted(_("只有本单位工作人员可以登记本单位的法律顾问。"))
    _required(data, {"name": _("姓名"), "kind": _("类型"), "term_start": _("聘期起"), "term_end": _("聘期止")})
    if data["kind"] not in LegalAdviser.Kind.values:
        raise DomainError(_("请选择法律顾问类型。"), code="invalid_kind")
    if data["term_end"] < data["term_start"]:
        raise DomainError(_("聘期止不得早于聘期起。"), code="term_order")
    if data["kind"] == LegalAdviser.Kind.RETAINED and not (data.get("firm") or "").strip():
        raise DomainError(_("外聘法律顾问须填写执业机构。"), code="firm_required")
    adviser = LegalAdviser.objects.create(
        body=body, name=data["name"].strip(), kind=data["kind"], firm=(data.get("firm") or "").strip(),
        term_start=data["term_start"], term_end=data["term_end"],
        contract_reference=(data.get("contract_reference") or "").strip())
    record_event(actor=actor, event_type="edit", obj=adviser, action="adviser_register", action_label=_("登记法律顾问"),
                 details={"kind": adviser.kind, "term_end": adviser.term_end})
    return adviser


@transaction.atomic
def public_lawyer_register(*, actor: User, data: dict[str, Any]) -> PublicLawyer:
    body = actor.department
    if body is None or not can_keep_records(actor, body):
        raise NotPermitted(_("只有本单位工作人员可以登记本单位的公职律师。"))
    _required(data, {"name": _("姓名"), "certificate_number": _("公职律师证号"), "certified_on": _("取得证书日期")})
    _not_future(data["certified_on"], _("取得证书日期"))
    try:
        with transaction.atomic():
            lawyer = PublicLawyer.objects.create(body=body, name=data["name"].strip(),
                                                 certificate_number=data["certificate_number"].strip(),
                                                 certified_on=data["certified_on"])
    except IntegrityError as error:
        raise Conflict(_("该公职律师证号已登记。")) from error
    record_event(actor=actor, event_type="edit", obj=lawyer, action="public_lawyer_register",
                 action_label=_("登记公职律师"), details={"certificate_number": lawyer.certificate_number})
    return lawyer


def _subject(actor: User, kind: str, object_id: int):
    """The decision, contract or review the opinion is attached to, as the actor may see it."""
    if kind not in OPINION_SUBJECTS:
        raise DomainError(_("法律意见只能附于重大行政决策、行政合同或合法性审查。"), code="invalid_subject")
    model = apps.get_model(OPINION_SUBJECTS[kind])
    if kind == "review":
        from reviews.selectors import review_tasks_visible_to

        return review_tasks_visible_to(user=actor).get(pk=object_id)
    return model.objects.visible_to(actor).get(pk=object_id)


@transaction.atomic
def opinion_attach(*, actor: User, adviser_id: int, subject_kind: str, object_id: int, given_on: dt.date,
                   opinion: str) -> AdviserOpinion:
    """Attach an adviser's written opinion to a decision, a contract or a review of the adviser's body."""
    adviser = LegalAdviser.objects.visible_to(actor).select_related("body").get(pk=adviser_id)
    if not (can_keep_records(actor, adviser.body) or (actor.has_role(Role.REVIEWER)
                                                        and adviser.body_id == actor.department_id)):
        raise NotPermitted(_("只有法律顾问的聘任单位可以记录其法律意见。"))
    subject = _subject(actor, subject_kind, object_id)
    if not opinion.strip():
        raise DomainError(_("请填写法律意见。"), code="opinion_required")
    _not_future(given_on, _("出具日期"))
    if not adviser.in_term(given_on):
        raise DomainError(_("出具日期不在该法律顾问的聘期内。"), code="out_of_term")
    record = AdviserOpinion.objects.create(adviser=adviser, content_type=ContentType.objects.get_for_model(subject),
                                           object_id=subject.pk, given_on=given_on, opinion=opinion.strip(),
                                           recorded_by=actor)
    record_event(actor=actor, event_type="edit", obj=subject, action="adviser_opinion", action_label=_("附法律顾问意见"),
                 details={"adviser": adviser.name, "opinion": record.pk, "given_on": given_on})
    return record


@transaction.atomic
def adviser_evaluate(*, actor: User, adviser_id: int, year: int, grade: str, comments: str) -> AdviserEvaluation:
    """The body's head evaluates an adviser's year; the opinions given are counted from the records."""
    adviser = LegalAdviser.objects.visible_to(actor).select_related("body").get(pk=adviser_id)
    if not (actor.department_id == adviser.body_id and actor.has_role(Role.HEAD)):
        raise NotPermitted(_("法律顾问的绩效评价由聘任单位负责人作出。"))
    if grade not in AdviserEvaluation.Grade.values:
        raise DomainError(_("请选择评价等次。"), code="invalid_grade")
    if not comments.strip():
        raise DomainError(_("请填写评价意见。"), code="comments_required")
    if year > local_today().year:
        raise DomainError(_("不能评价尚未开始的年度。"), code="future_year")
    given = adviser.opinions.filter(given_on__year=year).count()
    try:
        with transaction.atomic():
            evaluation = AdviserEvaluation.objects.create(adviser=adviser, year=year, opinions_given=given, grade=grade,
                                                          comments=comments.strip(), evaluated_by=actor)
    except IntegrityError as error:
        raise Conflict(_("该法律顾问%(year)s年度已评价。") % {"year": year}) from error
    record_event(actor=actor, event_type="edit", obj=adviser, action="adviser_evaluate", action_label=_("法律顾问绩效评价"),
                 details={"year": year, "grade": grade, "opinions_given": given})
    return evaluation
