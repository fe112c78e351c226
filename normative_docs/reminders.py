"""The deadline rules of normative documents (domain.md §8, R9–R16), registered with the
shared deadline machinery. Numbers come from the policy table (policy_data.py)."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import Department, Role
from deadlines import annual
from deadlines import services as deadline_services
from deadlines.rules import (
    ClockRule,
    register,
    review_task_recipients,
    users_with_roles,
)

COMMENT_BUSINESS = "normative.public_comment_business"   # R9
COMMENT_OTHER = "normative.public_comment"               # R9
LEGALITY_REVIEW = "normative_document.legality_review"   # R10
LEGALITY_REVIEW_MIN = "normative_document.legality_review_min"
FILING = "normative.filing"                              # R11
FILING_TOWNSHIP = "normative.filing_township"            # R11
FORMAL_CHECK = "normative.formal_check"                  # R12
SUPPLEMENT = "normative.supplement"                      # R12
FILING_REVIEW = "normative.filing_review"
CORRECTION_REPORT = "normative.correction_report"        # R13
EXPIRY_NOTICE = "normative.expiry_notice"                # R14
EXPIRY_FINAL = "normative.expiry_final"                  # R14
CLEANUP = "normative.cleanup"                            # R15


def _drafters(clock, document):
    return users_with_roles(Role.STAFF, Role.HEAD, department_id=document.drafting_department_id)


def _issuer(clock, subject):
    issuer_id = clock.department_id
    return users_with_roles(Role.STAFF, Role.HEAD, Role.OFFICE, department_id=issuer_id)


def _filing_body(clock, filing):
    if filing.reviewer_id:
        return [filing.reviewer]
    return users_with_roles(Role.REVIEWER, department_id=filing.filing_body_id)


def _document_url(document) -> str:
    return reverse("normative_docs:detail", args=[document.pk])


def _filing_url(filing) -> str:
    return reverse("normative_docs:filing-detail", args=[filing.pk])


def _cleanup_url(round_) -> str:
    return reverse("normative_docs:cleanup-detail", args=[round_.pk])


for code, label in ((COMMENT_BUSINESS, _("涉企文件征求意见截止")), (COMMENT_OTHER, _("征求意见截止"))):
    register(ClockRule(code, "R9", label, code, _drafters, _document_url, steps=("warn", "due"),
                       pausable=False, extendable=False))
register(ClockRule(LEGALITY_REVIEW, "R10", _("规范性文件合法性审核"), LEGALITY_REVIEW, review_task_recipients,
                   lambda task: reverse("reviews:review-detail", args=[task.pk])))
for code in (FILING, FILING_TOWNSHIP):
    register(ClockRule(code, "R11", _("报送备案"), code, _issuer, _document_url, pausable=False))
register(ClockRule(FORMAL_CHECK, "R12", _("备案形式审查"), FORMAL_CHECK, _filing_body, _filing_url))
register(ClockRule(SUPPLEMENT, "R12", _("补正备案材料"), SUPPLEMENT, _issuer, _filing_url, pausable=False))
register(ClockRule(FILING_REVIEW, "R12", _("备案审查"), FILING_REVIEW, _filing_body, _filing_url))
register(ClockRule(CORRECTION_REPORT, "R13", _("报告纠正情况"), CORRECTION_REPORT, _issuer, _filing_url))
register(ClockRule(EXPIRY_NOTICE, "R14", _("有效期届满评估"), EXPIRY_NOTICE, _issuer, _document_url,
                   steps=("warn",), pausable=False, extendable=False))
register(ClockRule(EXPIRY_FINAL, "R14", _("有效期即将届满"), EXPIRY_FINAL, _issuer, _document_url,
                   steps=("warn", "due"), pausable=False, extendable=False))
register(ClockRule(CLEANUP, "R15", _("规范性文件全面清理"), CLEANUP, _issuer, _cleanup_url,
                   pausable=False, extendable=False))


# ---------------------------------------------------------------- R16 and expiry, daily
def annual_filing_list(today: dt.date) -> int:
    """31 December: the filing bodies send the year's filing list by the end of January (N19)."""
    if (today.month, today.day) != (12, 31):
        return 0
    created = 0
    for body in Department.objects.filter(code="hz-justice") | Department.objects.filter(kind=Department.Kind.DISTRICT):
        people = list(users_with_roles(Role.REVIEWER, Role.HEAD, department_id=body.pk))
        created += deadline_services.reminder_schedule(
            subject=body, rule="R16", step=f"annual-list-{today.year}", due_at=annual.at(today), recipients=people,
            title=_("【备案目录】请于%(year)s年1月31日前报送%(last)s年度规范性文件备案目录")
            % {"year": today.year + 1, "last": today.year},
            url=reverse("normative_docs:filing-queue"))
    return created


def expire_documents(today: dt.date) -> int:
    """Documents whose validity ended yesterday or earlier become 失效 by themselves."""
    from .services import documents_expire_due

    return documents_expire_due(today=today)


annual.register_daily("normative_annual_filing_list", annual_filing_list)
annual.register_daily("normative_expire_documents", expire_documents)
