"""The deadline rules of enforcement cases (domain.md §8, R17–R23)."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import Role
from deadlines.rules import (
    ClockRule,
    register,
    review_task_recipients,
    users_with_roles,
)

CASE_DECISION = "enforcement.case_decision"      # R17: day 80 warning, day 90 due
CASE_DAY60 = "enforcement.case_day60"            # R17: day 60
PRESERVATION = "enforcement.preservation"        # R18
SEIZURE = "enforcement.seizure"                  # R18
HEARING_REQUEST = "enforcement.hearing_request"  # R19
HEARING_NOTICE = "enforcement.hearing_notice"    # R20
SERVICE = "enforcement.service"                  # R21
PUBLICITY_PENALTY = "enforcement.publicity_penalty"  # R21
PUBLICITY_OTHER = "enforcement.publicity_other"
PAYMENT = "enforcement.payment"                  # R22
WITHDRAWAL = "enforcement.withdrawal"            # R23
LEGALITY_REVIEW = "enforcement.legality_review"
LEGALITY_REVIEW_MIN = "enforcement.legality_review_min"
CASE_CLOCKS = (CASE_DECISION, CASE_DAY60)


def _officers(clock, case):
    people = list(case.officers.all())
    heads = users_with_roles(Role.HEAD, department_id=case.body_id)
    return people + [h for h in heads if h not in people]


def _officers_only(clock, case):
    return list(case.officers.all())


def _case_url(subject) -> str:
    # preservation and seizure clocks run on the record entry: link to its case
    return reverse("enforcement:detail", args=[getattr(subject, "case_id", subject.pk)])


register(ClockRule(CASE_DECISION, "R17", _("案件办理期限（90日）"), CASE_DECISION, _officers, _case_url))
register(ClockRule(CASE_DAY60, "R17", _("案件办理第60日提示"), CASE_DAY60, _officers_only, _case_url,
                   steps=("due",), extendable=False))
register(ClockRule(PRESERVATION, "R18", _("先行登记保存处理期限"), PRESERVATION, _officers_only, _case_url))
register(ClockRule(SEIZURE, "R18", _("查封、扣押期限"), SEIZURE, _officers_only, _case_url))
register(ClockRule(HEARING_REQUEST, "R19", _("听证申请期限"), HEARING_REQUEST, _officers_only, _case_url,
                   steps=("due",), pausable=False, extendable=False))
register(ClockRule(HEARING_NOTICE, "R20", _("听证通知送达"), HEARING_NOTICE, _officers_only, _case_url,
                   pausable=False, extendable=False))
register(ClockRule(SERVICE, "R21", _("决定书送达"), SERVICE, _officers_only, _case_url, pausable=False))
register(ClockRule(PUBLICITY_PENALTY, "R21", _("行政处罚决定公开"), PUBLICITY_PENALTY, _officers, _case_url,
                   pausable=False))
register(ClockRule(PUBLICITY_OTHER, "R21", _("执法决定公开"), PUBLICITY_OTHER, _officers, _case_url, pausable=False))
register(ClockRule(PAYMENT, "R22", _("罚款缴纳期限"), PAYMENT, _officers_only, _case_url, pausable=False))
register(ClockRule(WITHDRAWAL, "R23", _("撤回公开信息"), WITHDRAWAL, _officers, _case_url, pausable=False,
                   extendable=False))
register(ClockRule(LEGALITY_REVIEW, "R17", _("重大执法决定法制审核"), LEGALITY_REVIEW, review_task_recipients,
                   lambda task: reverse("reviews:review-detail", args=[task.pk])))
