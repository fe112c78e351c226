"""States, procedures, relations and the prerequisite checks of an administrative
normative document (行政规范性文件; domain.md §3 and §6.2)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.db.models.functions import Reverse
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentStatus(models.TextChoices):
    PROPOSED = "proposed", _("已动议")
    DRAFTING = "drafting", _("起草中")
    CONSULTING = "consulting", _("调研论证·征求意见中")
    LEGALITY_REVIEW = "legality_review", _("合法性审核中")
    LEGALITY_FAILED = "legality_failed", _("合法性审核未通过")
    READY_FOR_DELIBERATION = "ready_for_deliberation", _("待集体审议")
    NOT_ADOPTED = "not_adopted", _("审议未通过")
    DELIBERATED = "deliberated", _("集体审议通过")
    REGISTERED = "registered", _("已统一登记编号")
    PUBLISHED = "published", _("已公布")
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("已失效")


S = DocumentStatus
#: States in which the document has been published (the public library shows these).
PUBLISHED_STATES = (S.PUBLISHED, S.AMENDED, S.REPEALED, S.EXPIRED)
EDITABLE_STATES = (S.PROPOSED, S.DRAFTING, S.CONSULTING)


class PublicStatus(models.TextChoices):
    """What the public library says of a published document (时效性)."""

    NOT_YET = "not_yet_effective", _("尚未生效")
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", pgettext_lazy("validity", "废止")  # the status, not the action "废止" (repeal)
    AMENDED = "amended", _("已修改")


class Origin(models.TextChoices):
    """Where a document's record comes from: made through the portal, or issued before it and
    registered by the filing body (历史文件登记) with its number as printed."""

    PORTAL = "portal", _("本平台制发")
    HISTORICAL = "historical", _("历史文件登记")


#: The 时效性 a registered historical document may have, and the state that shows it.
HISTORICAL_STATES = {PublicStatus.VALID: S.PUBLISHED, PublicStatus.EXPIRED: S.EXPIRED,
                     PublicStatus.REPEALED: S.REPEALED}


class DocumentType(models.TextChoices):
    REGULATION = "guiding", _("规定")
    MEASURES = "measures", _("办法")
    RULES = "rules", _("细则")
    OPINIONS = "opinions", _("意见")
    NOTICE = "notice", _("通知")
    DECISION = "decision", _("决定")
    OTHER = "other", _("其他")


PROVISIONAL_MARKERS = ("暂行", "试行")


def is_provisional(title: str) -> bool:
    """暂行/试行 documents have the shorter validity period."""
    return any(marker in title for marker in PROVISIONAL_MARKERS)


class Procedure(models.TextChoices):
    """The drafting procedures (N3–N6): research, evaluation, argumentation, comment, fair competition."""

    RESEARCH = "research", _("调研")
    EVALUATION = "evaluation", _("评估")
    ARGUMENTATION = "argumentation", _("论证")
    PUBLIC_COMMENT = "public_comment", _("公开征求意见")
    FAIR_COMPETITION = "fair_competition", _("公平竞争审查")


PROCEDURE_ARTICLES = {
    Procedure.RESEARCH: "《浙江省行政规范性文件管理办法》；湖州市规范性文件“动议、起草、调研、评估、论证、审核、审议、公布”全流程管理",
    Procedure.EVALUATION: "《浙江省行政规范性文件管理办法》",
    Procedure.ARGUMENTATION: "《浙江省行政规范性文件管理办法》",
    Procedure.PUBLIC_COMMENT: "《优化营商环境条例》第六十二条；《法治政府建设示范指标体系》第24项",
    Procedure.FAIR_COMPETITION: "《优化营商环境条例》第六十三条；《公平竞争审查条例》",
}


class RelationKind(models.TextChoices):
    """立改废: what a new document does to an older one."""

    REPLACES = "replaces", _("替代（重新公布）")
    AMENDS = "amends", _("修改")
    REPEALS = "repeals", _("废止")


class FilingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报送备案")
    INCOMPLETE = "incomplete", _("材料不全·待补正")
    RETURNED = "returned", _("不属于备案范围·已退回")
    UNDER_REVIEW = "under_review", _("已登记·审查中")
    PASSED = "passed", _("审查通过")
    CORRECTION_REQUESTED = "correction_requested", _("已提出纠正意见")
    CORRECTED = "corrected", _("已纠正")


class CorrectionOutcome(models.TextChoices):
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("已废止")
    KEPT = "kept", _("保留（说明理由）")


class CleanupResult(models.TextChoices):
    VALID = "valid", _("继续有效")
    AMEND = "amend", _("拟修改")
    REPEAL = "repeal", _("宣布废止")
    EXPIRED = "expired", _("宣布失效")


# ---------------------------------------------------------------- 文号
_BRACKETS = str.maketrans({"〔": "[", "〕": "]", "［": "[", "］": "]", "(": "[", ")": "]", "（": "[", "）": "]",
                           "【": "[", "】": "]", "{": "[", "}": "]", "〖": "[", "〗": "]"})


def normalize_number(number: str) -> str:
    """A 文号 in one canonical form, so that 湖政规〔2024〕3号, 湖政规[2024]3号,
    湖政规（2024）3号, 绍政发〔2015〕42 号 and full-width digits are the same number."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", number or "").translate(_BRACKETS))


_NUMBER_QUERY = re.compile(r"^(?P<prefix>[^\[\]]*)\[(?P<year>\d{4})\](?:(?P<serial>\d+)号?)?$")


@dataclass(frozen=True)
class NumberQuery:
    """A search for a 文号 (``number_query``): the issuer's prefix (湖政办发, may be empty), the
    year and the serial (may be empty). It matches that number only — never a longer serial
    (21 for 2, 13 for 3), another year or another issuer's number."""

    prefix: str
    year: str
    serial: str

    @property
    def number(self) -> str:
        """The whole number in normal form, or "" when the query is not a whole number."""
        return f"{self.prefix}[{self.year}]{self.serial}号" if self.prefix and self.serial else ""

    def condition(self, field: str = "number_normalized") -> Q:
        """The numbers matching: the whole number exactly; without the prefix, every issuer's
        number of that year and serial (its end); without the serial, every number of that
        issuer and year (its start)."""
        if self.number:
            return Q(**{field: self.number})
        numbered = ~Q(**{field: ""})  # the partial indexes hold numbered rows only
        if self.serial:  # "〔2024〕3号": the number ends with "[2024]3号" (an index on reverse(number))
            return numbered & Q(StartsWith(Reverse(field), f"[{self.year}]{self.serial}号"[::-1]))
        if self.prefix:
            return numbered & Q(**{f"{field}__startswith": f"{self.prefix}[{self.year}]"})
        return numbered & Q(**{f"{field}__contains": f"[{self.year}]"})


def number_query(text: str) -> NumberQuery | None:
    """The 文号 a query asks for — any bracket style, stray spaces, the 号 optional — or None
    when the query is not a 文号 (then it is searched as words). The library, the staff lists
    and the unified search all read a query through this one function."""
    match = _NUMBER_QUERY.match(normalize_number(text))
    if match is None:
        return None
    return NumberQuery(match["prefix"], match["year"], match["serial"] or "")


# ---------------------------------------------------------------- checks
# Each check returns a Chinese message naming what is missing and its basis, or None.
def required_procedures_for(document) -> list[str]:
    """Research always; public comment when the document touches rights or business; fair
    competition review when it touches business activity (N3–N6)."""
    kinds = [Procedure.RESEARCH]
    if document.business_related or document.major_rights_impact:
        kinds.append(Procedure.PUBLIC_COMMENT)
    if document.business_related:
        kinds.append(Procedure.FAIR_COMPETITION)
    # Evaluation and argumentation are added by choice; the others follow from the flags above.
    for kind in document.required_procedures or ():
        if kind in (Procedure.EVALUATION, Procedure.ARGUMENTATION) and kind not in kinds:
            kinds.append(kind)
    return kinds


def check_has_body(document):
    if not document.body.strip():
        return _("文件正文为空，请先完成起草（《浙江省行政规范性文件管理办法》）")
    return None


def check_procedures_closed(document):
    records = {r.kind for r in document.procedures.all() if r.round == document.round}
    gaps = [
        _("“%(name)s”尚未完成并留存证据，不得送请合法性审核（%(article)s）")
        % {"name": Procedure(kind).label, "article": PROCEDURE_ARTICLES[Procedure(kind)]}
        for kind in required_procedures_for(document) if kind not in records
    ]
    return "；".join(str(g) for g in gaps) if gaps else None


def check_explanation(document):
    if not document.explanation.strip():
        return _("请填写起草说明（制定依据、主要内容、征求意见及采纳情况）")
    return None


def check_legality_passed(document):
    if not document.legality_passed:
        return _("未经合法性审核或者经审核不合法的，不得提交集体审议（《优化营商环境条例》第六十三条）")
    return None


SUBMIT_FOR_REVIEW_CHECKS = (check_has_body, check_explanation, check_procedures_closed)
