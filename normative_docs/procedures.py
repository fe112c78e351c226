"""The structured records of the drafting procedures and their rules (N3–N6)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from core.records import clean_fields, json_ready
from core.workdays import working_days_between
from deadlines.services import policy_in_force

from .workflow import Procedure

PROCEDURE_FIELDS: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    Procedure.RESEARCH: (
        ("summary", "调研情况", "textarea", True),
    ),
    Procedure.EVALUATION: (
        ("summary", "评估情况（必要性、可行性、合法性、合理性）", "textarea", True),
    ),
    Procedure.ARGUMENTATION: (
        ("experts", "论证专家或机构", "textarea", True),
        ("summary", "论证意见", "textarea", True),
    ),
    Procedure.PUBLIC_COMMENT: (
        ("opened_on", "征求意见开始日期", "date", True),
        ("closes_on", "征求意见截止日期", "date", True),
        ("channel", "征求意见渠道", "text", True),
        ("comment_count", "收到意见数（条）", "int", True),
        ("adoption_summary", "意见采纳情况", "textarea", True),
        ("enterprises_heard", "已听取企业和行业协会商会意见", "bool", False),
        ("short_period_reason", "征求意见期限少于规定时间的理由", "textarea", False),
    ),
    Procedure.FAIR_COMPETITION: (
        ("reviewer", "审查机构", "text", True),
        ("conclusion", "审查结论", "textarea", True),
    ),
}

#: Policy codes of the minimum comment period (N4: business-related; N5: others).
COMMENT_POLICY_BUSINESS = "normative.public_comment_business"
COMMENT_POLICY_OTHER = "normative.public_comment"


def comment_policy_code(document) -> str:
    return COMMENT_POLICY_BUSINESS if document.business_related else COMMENT_POLICY_OTHER


def validate_comment_period(document, opened_on: dt.date, closes_on: dt.date, short_period_reason: str) -> list[str]:
    """≥ 30 days for documents tied to business activity, ≥ 7 working days for others
    (both from the policy table), unless a reason is recorded."""
    if closes_on < opened_on:
        return [_("征求意见截止日期不能早于开始日期。")]
    policy = policy_in_force(comment_policy_code(document), opened_on)
    if policy.unit == "working_days":
        length = working_days_between(opened_on, closes_on)
        unit = _("个工作日")
    else:
        length = (closes_on - opened_on).days
        unit = _("日")
    if length < policy.length and not (short_period_reason or "").strip():
        return [_("征求意见期限一般不少于%(n)s%(unit)s；少于的，须说明理由（%(source)s）。")
                % {"n": policy.length, "unit": unit, "source": policy.source}]
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
