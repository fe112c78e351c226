"""States, statutory procedures and the prerequisite checks of a major
administrative decision (《重大行政决策程序暂行条例》, 国务院令第713号)."""
from __future__ import annotations

import calendar
import datetime as dt
import re

from django.db import models
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from reviews.models import ReviewTask


class DecisionStatus(models.TextChoices):
    DRAFTING = "drafting", _("起草中")
    CONSULTING = "consulting", _("履行程序中")
    LEGALITY_REVIEW = "legality_review", _("合法性审查中")
    LEGALITY_FAILED = "legality_failed", _("合法性审查未通过")
    READY_FOR_DISCUSSION = "ready_for_discussion", _("待集体讨论")
    DEFERRED = "deferred", _("暂缓决策")
    REJECTED = "rejected", _("不予通过")
    DECIDED = "decided", _("已决策")
    EXECUTING = "executing", _("已公布·执行中")
    SUSPENDED = "suspended", _("暂停执行")
    POST_EVALUATION = "post_evaluation", _("决策后评估中")
    COMPLETED = "completed", _("执行完毕")
    TERMINATED = "terminated", _("已终止")
    ARCHIVED = "archived", _("已归档")


S = DecisionStatus

#: States in which the decision has been published to the public.
PUBLISHED_STATES = (S.EXECUTING, S.SUSPENDED, S.POST_EVALUATION, S.COMPLETED, S.TERMINATED, S.ARCHIVED)
#: States in which the 承办单位 may still change the draft text.
EDITABLE_STATES = (S.DRAFTING, S.CONSULTING)


class Procedure(models.TextChoices):
    """The statutory procedures a catalog item may require (履行程序要求). The consulting tracks
    each need a record with evidence; 合法性审查 and 集体讨论决定 are required of every major
    decision (713 Arts. 4, 25, 30) and done in the review queue and the meeting record."""

    PUBLIC_COMMENT = "public_comment", _("公众参与（征求意见）")
    HEARING = "hearing", _("听证")
    EXPERT_ARGUMENTATION = "expert_argumentation", _("专家论证")
    RISK_ASSESSMENT = "risk_assessment", _("风险评估")
    FAIR_COMPETITION = "fair_competition", _("公平竞争审查")
    LEGALITY_REVIEW = "legality_review", _("合法性审查")
    COLLECTIVE_DISCUSSION = "collective_discussion", _("集体讨论决定")


#: Required of every decision (713 Art. 4); done in the review queue and the meeting record.
ALWAYS_REQUIRED = (Procedure.LEGALITY_REVIEW, Procedure.COLLECTIVE_DISCUSSION)
#: The procedures recorded with evidence while consulting (the catalog's other 履行程序要求).
TRACK_PROCEDURES = tuple(p for p in Procedure if p not in ALWAYS_REQUIRED)
TRACK_CHOICES = [(p.value, p.label) for p in TRACK_PROCEDURES]
#: How real catalogs write each procedure (湖州、绍兴 …), and the other names people use.
CATALOG_TERMS = {
    Procedure.PUBLIC_COMMENT: _("公众参与"), Procedure.HEARING: _("听证"),
    Procedure.EXPERT_ARGUMENTATION: _("专家论证"), Procedure.RISK_ASSESSMENT: _("风险评估"),
    Procedure.FAIR_COMPETITION: _("公平竞争审查"), Procedure.LEGALITY_REVIEW: _("合法性审查"),
    Procedure.COLLECTIVE_DISCUSSION: _("集体讨论决定"),
}
PROCEDURE_ALIASES = {
    "公众参与": Procedure.PUBLIC_COMMENT, "公众参与（征求意见）": Procedure.PUBLIC_COMMENT,
    "征求意见": Procedure.PUBLIC_COMMENT, "公开征求意见": Procedure.PUBLIC_COMMENT,
    "听证": Procedure.HEARING, "听证会": Procedure.HEARING, "举行听证": Procedure.HEARING,
    "专家论证": Procedure.EXPERT_ARGUMENTATION, "风险评估": Procedure.RISK_ASSESSMENT,
    "社会稳定风险评估": Procedure.RISK_ASSESSMENT, "公平竞争审查": Procedure.FAIR_COMPETITION,
    "合法性审查": Procedure.LEGALITY_REVIEW, "合法性审核": Procedure.LEGALITY_REVIEW,
    "集体讨论决定": Procedure.COLLECTIVE_DISCUSSION, "集体讨论": Procedure.COLLECTIVE_DISCUSSION,
    "集体审议": Procedure.COLLECTIVE_DISCUSSION,
}
_PROCEDURE_SEPARATORS = re.compile(r"[、，,；;\s/]+")


def parse_procedures(value) -> list[str]:
    """Procedure codes from a list of codes or names, or a text as real catalogs write it
    ("公众参与、合法性审查、集体讨论决定"), in the canonical order. Raises ValueError naming the
    first word that is not a procedure."""
    if isinstance(value, str):
        words = [w for w in _PROCEDURE_SEPARATORS.split(value) if w]
    else:
        words = [str(w).strip() for w in value or () if str(w).strip()]
    found = set()
    for word in words:
        code = word if word in Procedure.values else PROCEDURE_ALIASES.get(word)
        if code is None:
            raise ValueError(word)
        found.add(str(code))
    return [p.value for p in Procedure if p.value in found]


def catalog_procedures(value) -> list[str]:
    """A catalog item's 履行程序要求: the given ones and, always, 合法性审查 and 集体讨论决定."""
    found = set(parse_procedures(value)) | {p.value for p in ALWAYS_REQUIRED}
    return [p.value for p in Procedure if p.value in found]


def track_procedures(value) -> list[str]:
    """The procedures a decision records with evidence (the others are stages of its workflow)."""
    return [code for code in parse_procedures(value) if code not in ALWAYS_REQUIRED]


def procedures_display(codes) -> str:
    """As real catalogs write it: 公众参与、合法性审查、集体讨论决定."""
    return "、".join(str(CATALOG_TERMS[Procedure(code)]) for code in codes) or "—"


class Precision(models.TextChoices):
    """How precisely a catalog's 计划完成时间 was given."""

    DAY = "day", _("日")
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季度")


QUARTER_NAMES = (_("第一季度"), _("第二季度"), _("第三季度"), _("第四季度"))
_QUARTER_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PLANNED_FORMS = (
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"), Precision.DAY),
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), Precision.MONTH),
    (re.compile(r"^(\d{4})(?:-|年)?(?:Q|q|第)?([1-4一二三四])(?:季度)?$"), Precision.QUARTER),
)


def parse_planned(value) -> tuple[dt.date, str]:
    """(the last day of the period, its precision) of a 计划完成时间: a day ("2025-12-15",
    "2025年12月15日"), a month ("2025-12", "2025年12月") or a quarter ("2025-Q4", "2025年第四季度").
    The reminder falls on the last day of the period. Raises ValueError for anything else."""
    if isinstance(value, dt.date):
        return value, Precision.DAY
    text = re.sub(r"\s+", "", str(value or ""))
    for pattern, precision in _PLANNED_FORMS:
        match = pattern.match(text)
        if match is None:
            continue
        year = int(match[1])
        if precision == Precision.DAY:
            return dt.date(year, int(match[2]), int(match[3])), precision
        if precision == Precision.MONTH:
            month = int(match[2])
            return dt.date(year, month, calendar.monthrange(year, month)[1]), precision
        quarter = _QUARTER_WORDS[match[2]]
        month = quarter * 3
        return dt.date(year, month, calendar.monthrange(year, month)[1]), precision
    raise ValueError(text)


def planned_code(day: dt.date, precision: str) -> str:
    """The machine form at its precision: 2025-12-15, 2025-12, 2025-Q4."""
    if precision == Precision.MONTH:
        return f"{day:%Y-%m}"
    if precision == Precision.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return day.isoformat()


def planned_label(day: dt.date | None, precision: str) -> str:
    """As a person writes it: 2025年12月15日, 2025年12月, 2025年第四季度."""
    if day is None:
        return "—"
    if precision == Precision.MONTH:
        return dateformat.format(day, str(_("Y年n月")))
    if precision == Precision.QUARTER:
        quarter = QUARTER_NAMES[(day.month - 1) // 3]
        return _("%(y)s年%(quarter)s") % {"y": day.year, "quarter": quarter}
    return dateformat.format(day, str(_("Y年n月j日")))


PROCEDURE_ARTICLES = {
    Procedure.PUBLIC_COMMENT: "《重大行政决策程序暂行条例》第十四条、第十五条",
    Procedure.HEARING: "《重大行政决策程序暂行条例》第十六条、第十七条",
    Procedure.EXPERT_ARGUMENTATION: "《重大行政决策程序暂行条例》第十九条至第二十一条",
    Procedure.RISK_ASSESSMENT: "《重大行政决策程序暂行条例》第二十二条至第二十四条",
    Procedure.FAIR_COMPETITION: "《重大行政决策程序暂行条例》第二十九条；《优化营商环境条例》",
    Procedure.LEGALITY_REVIEW: "《重大行政决策程序暂行条例》第二十五条至第二十八条",
    Procedure.COLLECTIVE_DISCUSSION: "《重大行政决策程序暂行条例》第三十条",
}


class DecisionCategory(models.TextChoices):
    """The five kinds of 713 Art. 3(1)."""

    PUBLIC_POLICY = "public_policy", _("重大公共政策和措施")
    PLANNING = "planning", _("重大规划")
    RESOURCES = "resources", _("资源开发利用与生态环境保护重大政策")
    CONSTRUCTION = "construction", _("重大公共建设项目")
    OTHER = "other", _("其他重大事项")


class Disclosure(models.TextChoices):
    PUBLIC = "public", _("主动公开")
    WITHHELD = "withheld", _("依法不予公开")


class SkipGround(models.TextChoices):
    """D9: the only grounds on which a procedure may be skipped."""

    SECRECY = "secrecy", _("涉及国家秘密")
    PUBLIC_SAFETY = "public_safety", _("涉及公共安全或社会稳定")
    URGENT_ORDER = "urgent_order", _("上级机关紧急决策部署")


class RiskLevel(models.TextChoices):
    LOW = "low", _("低风险")
    MEDIUM = "medium", _("中风险")
    HIGH = "high", _("高风险")


class MeetingType(models.TextChoices):
    EXECUTIVE = "executive", _("政府常务会议")
    PLENARY = "plenary", _("政府全体会议")


class MeetingOutcome(models.TextChoices):
    ADOPTED = "adopted", _("通过")
    DEFERRED = "deferred", _("暂缓")
    REJECTED = "rejected", _("不予通过")
    REDRAFT = "redraft", _("修改后再议")


class EvaluationTrigger(models.TextChoices):
    """D27: the three triggers of a post-evaluation (713 Art. 36)."""

    BELOW_EXPECTATION = "below_expectation", _("明显未达到预期效果")
    PUBLIC_COMMENTS = "public_comments", _("公民、法人或者其他组织提出较多意见")
    BODY_DEEMS_NECESSARY = "body_deems_necessary", _("决策机关认为有必要")


class EvaluationConclusion(models.TextChoices):
    CONTINUE = "continue", _("继续执行")
    ADJUST = "adjust", _("调整决策")
    TERMINATE = "terminate", _("停止执行")


# The numbers of the rules (30 days, 7 days, 7 and 15 working days …) live in the policy table
# (deadlines.DeadlinePolicy, codes in decisions.reminders).


# ------------------------------------------------------------------ checks
# Each check returns a Chinese message naming what is missing and its basis, or None.

def _procedure_gaps(decision) -> list[str]:
    messages = []
    # Only the current round counts: an adjustment or a redraft repeats the procedures (713 Art. 37).
    records = {record.kind: record for record in decision.procedure_records.all() if record.round == decision.round}
    for kind in track_procedures(decision.required_procedures):
        label = Procedure(kind).label
        record = records.get(kind)
        if record is None or not record.is_closed:
            messages.append(
                _("“%(name)s”尚未完成并留存证据，不得提交合法性审查（%(article)s）")
                % {"name": label, "article": PROCEDURE_ARTICLES[Procedure(kind)]}
            )
    return messages


def check_has_content(decision):
    if not decision.draft_text.strip():
        return _("决策草案内容为空，请先完成草案起草（《重大行政决策程序暂行条例》第十二条）")
    return None


def check_catalog_link(decision):
    if decision.catalog_item_id is None and not decision.outside_catalog_reason.strip():
        return _("决策未关联年度目录事项，须说明目录外决策的理由（《重大行政决策程序暂行条例》第三条）")
    return None


def check_procedures_closed(decision):
    gaps = _procedure_gaps(decision)
    return "；".join(gaps) if gaps else None


def check_legality_passed(decision):
    if not decision.legality_passed:
        return _("合法性审查未通过，不得提交集体讨论（《重大行政决策程序暂行条例》第二十五条）")
    return None


def check_meeting_recorded(decision):
    if not decision.meeting_records.exists():
        return _("尚未记录集体讨论情况（《重大行政决策程序暂行条例》第三十条）")
    return None


def check_party_reported(decision):
    if decision.party_reported_on is None:
        return _("决策出台前应当向同级党委请示报告，请先记录报告情况（《重大行政决策程序暂行条例》第三十一条）")
    return None


def check_post_evaluation_recorded(decision):
    latest = decision.post_evaluations.order_by("-id").first()
    if latest is None or not latest.conclusion:
        return _("决策后评估尚未形成结论（《重大行政决策程序暂行条例》第三十六条）")
    return None


SUBMIT_FOR_REVIEW_CHECKS = (check_has_content, check_catalog_link, check_procedures_closed)
READY_FOR_DISCUSSION_CHECKS = (check_legality_passed,)
PUBLISH_CHECKS = (check_meeting_recorded, check_party_reported)
REVIEW_OUTCOMES_PASSING = (ReviewTask.Outcome.PASSED, ReviewTask.Outcome.PASSED_WITH_CHANGES)
