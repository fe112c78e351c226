"""Validation of the structured records of each statutory procedure, of
meetings and of post-evaluations. Returns Chinese messages naming the rule."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import rulebook
from core.records import clean_fields, json_ready
from deadlines.services import policy_length

from .workflow import (
    EvaluationTrigger,
    MeetingOutcome,
    MeetingType,
    Procedure,
    RiskLevel,
    SkipGround,
)

#: The fields of each procedure's structured record: (key, label, kind, required).
PROCEDURE_FIELDS: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    Procedure.PUBLIC_COMMENT: (
        ("opened_on", gettext_noop("征求意见开始日期"), "date", True),
        ("closes_on", gettext_noop("征求意见截止日期"), "date", True),
        ("channel", gettext_noop("征求意见渠道"), "text", True),
        ("comment_count", gettext_noop("收到意见数（条）"), "int", True),
        ("adoption_summary", gettext_noop("意见采纳情况"), "textarea", True),
        ("short_period_reason", gettext_noop("征求意见期限少于30日的理由"), "textarea", False),
        ("early_close_reason", gettext_noop("提前结束征求意见的理由"), "textarea", False),
    ),
    Procedure.HEARING: (
        ("held_on", gettext_noop("听证会日期"), "date", True),
        ("materials_sent_on", gettext_noop("听证材料送达日期"), "date", True),
        ("selection_method", gettext_noop("听证参加人遴选办法"), "text", True),
        ("participants", gettext_noop("听证参加人名单"), "textarea", True),
        ("record_signed", gettext_noop("听证笔录已经听证参加人确认签字"), "bool", True),
    ),
    Procedure.EXPERT_ARGUMENTATION: (
        ("experts", gettext_noop("论证专家（姓名、单位，每行一位）"), "textarea", True),
        ("opinions_summary", gettext_noop("专家论证意见"), "textarea", True),
        ("dissent", gettext_noop("不同意见"), "textarea", False),
        ("opinions_signed", gettext_noop("论证意见已由专家签字"), "bool", True),
        ("no_direct_interest", gettext_noop("论证专家与决策事项无直接利害关系"), "bool", True),
    ),
    Procedure.RISK_ASSESSMENT: (
        ("assessor", gettext_noop("评估机构"), "text", True),
        ("level", gettext_noop("风险等级"), "risk_level", True),
        ("risk_points", gettext_noop("风险点"), "textarea", True),
        ("mitigation", gettext_noop("风险防范化解措施"), "textarea", True),
        ("contingency", gettext_noop("处置预案"), "textarea", True),
    ),
    Procedure.FAIR_COMPETITION: (
        ("reviewer", gettext_noop("审查机构"), "text", True),
        ("conclusion", gettext_noop("审查结论"), "textarea", True),
    ),
}


def validate_details(kind: str, raw: dict[str, Any], *, decision=None) -> tuple[dict[str, Any], list[str]]:
    """Clean a procedure's record; returns (clean values, errors)."""
    clean, errors = clean_fields(PROCEDURE_FIELDS[Procedure(kind)], raw,
                                 extra_parsers={"risk_level": lambda value: RiskLevel(value).value})
    if errors:
        return clean, errors
    if kind == Procedure.PUBLIC_COMMENT:
        errors += validate_comment_period(clean["opened_on"], clean["closes_on"], clean.get("short_period_reason", ""))
    if kind == Procedure.HEARING:
        days = policy_length("decision.hearing_materials", clean["held_on"])
        if (clean["held_on"] - clean["materials_sent_on"]).days < days:
            errors.append(_("听证材料应当于听证会%(days)s日前送达听证参加人（《重大行政决策程序暂行条例》第十七条）。")
                          % {"days": days})
    return json_ready(clean), errors


def comment_period_short(opened_on: dt.date, closes_on: dt.date) -> int | None:
    """The minimum in days (30 by 713 Art. 15, from the policy table) when the period is shorter."""
    minimum = policy_length("decision.public_comment", opened_on)
    return minimum if (closes_on - opened_on).days < minimum else None


def validate_comment_period(opened_on: dt.date, closes_on: dt.date, short_period_reason: str) -> list[str]:
    """The comment period: at least the policy's days unless a reason is given (rule D13)."""
    if closes_on < opened_on:
        return [_("征求意见截止日期不能早于开始日期。")]
    minimum = comment_period_short(opened_on, closes_on)
    if minimum and not (short_period_reason or "").strip():
        return [rulebook.get("D13").refusal({"days": minimum})]
    return []


def validate_skip(ground: str, reason: str) -> list[str]:
    errors = []
    if ground not in SkipGround.values:
        errors.append(_("免予履行程序只能依据法定情形：涉及国家秘密、涉及公共安全或社会稳定、上级机关紧急决策部署（《湖州市人民政府重大行政决策程序规定》第三条）。"))
    if not reason.strip():
        errors.append(_("请说明免予履行该程序的具体理由。"))
    return errors


def validate_meeting(data: dict[str, Any]) -> list[str]:
    errors = []
    required = {
        "meeting_type": "会议类型", "session_name": "会议名称", "held_on": "会议日期", "attendees": "出席人员",
        "member_views": "组成人员意见", "head_name": "行政首长", "outcome": "行政首长决定",
    }
    for key, label in required.items():
        if not data.get(key):
            errors.append(_("请填写“%(label)s”。") % {"label": label})
    if errors:
        return errors
    if data["meeting_type"] not in MeetingType.values or data["outcome"] not in MeetingOutcome.values:
        errors.append(_("会议类型或决定不正确。"))
    held_on = data["held_on"]
    if isinstance(held_on, dt.date) and held_on > timezone.localdate():
        errors.append(_("会议日期不能晚于今天：请在会后记录集体讨论情况。"))
    return errors


def validate_post_evaluation(decision, *, trigger: str, evaluator: str) -> list[str]:
    errors = []
    if trigger not in EvaluationTrigger.values:
        errors.append(_("决策后评估须依据法定情形启动（《重大行政决策程序暂行条例》第三十六条）。"))
    if not evaluator.strip():
        errors.append(_("请填写评估机构。"))
    risk = next((r for r in decision.procedure_records.all()
                 if r.kind == Procedure.RISK_ASSESSMENT and r.details.get("assessor")), None)
    if risk and evaluator.strip() and risk.details["assessor"].strip() == evaluator.strip():
        errors.append(_("决策后评估不得由参与决策前评估的机构承担（《重大行政决策程序暂行条例》第三十六条）。"))
    return errors
