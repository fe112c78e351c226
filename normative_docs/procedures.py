"""The structured records of the drafting procedures and their rules (N3–N6)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import rulebook
from core.records import clean_fields, json_ready
from core.workdays import working_days_between
from deadlines.services import period_label, policy_in_force

from .workflow import Procedure

PROCEDURE_FIELDS: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    Procedure.RESEARCH: (
        ("summary", gettext_noop("调研情况"), "textarea", True),
    ),
    Procedure.EVALUATION: (
        ("summary", gettext_noop("评估情况（必要性、可行性、合法性、合理性）"), "textarea", True),
    ),
    Procedure.ARGUMENTATION: (
        ("experts", gettext_noop("论证专家或机构"), "textarea", True),
        ("summary", gettext_noop("论证意见"), "textarea", True),
    ),
    Procedure.PUBLIC_COMMENT: (
        ("opened_on", gettext_noop("征求意见开始日期"), "date", True),
        ("closes_on", gettext_noop("征求意见截止日期"), "date", True),
        ("channel", gettext_noop("征求意见渠道"), "text", True),
        ("comment_count", gettext_noop("收到意见数（条）"), "int", True),
        ("adoption_summary", gettext_noop("意见采纳情况"), "textarea", True),
        ("enterprises_heard", gettext_noop("已听取企业和行业协会商会意见"), "bool", False),
        ("short_period_reason", gettext_noop("征求意见期限少于规定时间的理由"), "textarea", False),
    ),
    Procedure.FAIR_COMPETITION: (
        ("reviewer", gettext_noop("审查机构"), "text", True),
        ("conclusion", gettext_noop("审查结论"), "textarea", True),
    ),
}

#: Policy codes of the minimum comment period (N4: business-related; N5: others).
COMMENT_POLICY_BUSINESS = "normative.public_comment_business"
COMMENT_POLICY_OTHER = "normative.public_comment"


def comment_policy_code(document) -> str:
    return COMMENT_POLICY_BUSINESS if document.business_related else COMMENT_POLICY_OTHER


def comment_period_short(document, opened_on: dt.date, closes_on: dt.date) -> tuple[str, str] | None:
    """(the rule, the minimum period) when the comment period is shorter than the policy table's
    minimum — ≥ 30 days for documents tied to business activity (N4), ≥ 7 working days for
    others (N5) — else None."""
    policy = policy_in_force(comment_policy_code(document), opened_on)
    if policy.unit == "working_days":
        length = working_days_between(opened_on, closes_on)
    else:
        length = (closes_on - opened_on).days
    if length >= policy.length:
        return None
    return ("N4" if document.business_related else "N5"), period_label(policy.length, policy.unit)


def validate_comment_period(document, opened_on: dt.date, closes_on: dt.date, short_period_reason: str) -> list[str]:
    """The dates in order; a period shorter than the rule's minimum only with a reason (the
    message names the minimum and the article: 《优化营商环境条例》第六十二条 …)."""
    if closes_on < opened_on:
        return [_("征求意见截止日期不能早于开始日期。")]
    short = comment_period_short(document, opened_on, closes_on)
    if short and not (short_period_reason or "").strip():
        rule, minimum = short
        return [rulebook.get(rule).refusal({"minimum": minimum})]
    return []


def validate_details(document, kind: str, raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    clean, errors = clean_fields(PROCEDURE_FIELDS[Procedure(kind)], raw)
    if errors:
        return clean, errors
    if kind == Procedure.PUBLIC_COMMENT:
        errors += validate_comment_period(document, clean["opened_on"], clean["closes_on"],
                                          clean.get("short_period_reason", ""))
        if document.business_related and not clean.get("enterprises_heard"):
            errors.append(_("涉及市场主体经济活动的，应当听取企业和行业协会商会的意见（《优化营商环境条例》第六十二条）。"))
    return json_ready(clean), errors
