"""States, kinds and checks of an administrative enforcement case (行政执法; domain.md §4, §6.3)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    CLUE = "clue", _("线索")
    NOT_OPENED = "not_opened", _("不予立案")
    INVESTIGATING = "investigating", _("已立案·调查中")
    NOTIFIED = "notified", _("已告知")
    HEARING_REQUESTED = "hearing_requested", _("当事人申请听证")
    HEARING_HELD = "hearing_held", _("已听证")
    LEGAL_REVIEW = "legal_review", _("法制审核中")
    READY_TO_DECIDE = "ready_to_decide", _("待决定")
    DECIDED = "decided", _("已作出决定")
    SERVED = "served", _("已送达")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")
    REVOKED = "revoked", _("决定已撤销")


S = CaseStatus
OPEN_STATES = (S.INVESTIGATING, S.NOTIFIED, S.HEARING_REQUESTED, S.HEARING_HELD, S.LEGAL_REVIEW, S.READY_TO_DECIDE)


class KeyArea(models.TextChoices):
    FOOD_DRUG = "food_drug", _("食品药品")
    AGRICULTURE = "agriculture", _("农业生产")
    PUBLIC_HEALTH = "public_health", _("公共卫生")
    NATURAL_RESOURCES = "natural_resources", _("自然资源")
    ENVIRONMENT = "environment", _("生态环境")
    LABOUR = "labour", _("劳动保障")
    FINANCE = "finance", _("金融服务")
    EDUCATION = "education", _("教育培训")
    ONLINE = "online", _("网络经济")
    OTHER = "other", _("其他")


class EnforcementKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合执法")
    SPECIALISED = "specialised", _("专业执法")
    JOINT = "joint", _("联合执法")


class EnforcementWay(models.TextChoices):
    CONTACTLESS = "contactless", _("非接触式执法")
    REASONED = "reasoned", _("说理式执法")
    OFF_SITE = "off_site", _("非现场执法")


class PartyType(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class RecordKind(models.TextChoices):
    """Full-process record entries (全过程记录, 行政处罚法 Art. 47)."""

    INSPECTION = "inspection", _("现场检查")
    QUESTIONING = "questioning", _("询问")
    EVIDENCE = "evidence", _("证据收集")
    PRESERVATION = "preservation", _("先行登记保存")
    SEIZURE = "seizure", _("查封、扣押")
    TESTING = "testing", _("检测、检验、检疫、鉴定")
    OTHER = "other", _("其他")


class Outcome(models.TextChoices):
    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY = "no_penalty", _("不予行政处罚")
    TRANSFER = "transfer", _("移送司法机关")


class PenaltyType(models.TextChoices):
    WARNING = "warning", _("警告、通报批评")
    FINE = "fine", _("罚款")
    CONFISCATION = "confiscation", _("没收违法所得、没收非法财物")
    LICENCE_SUSPENSION = "licence_suspension", _("暂扣许可证件、降低资质等级")
    LICENCE_REVOCATION = "licence_revocation", _("吊销许可证件")
    BUSINESS_RESTRICTION = "business_restriction", _("限制开展生产经营活动、责令停产停业、责令关闭、限制从业")
    LIFETIME_BAN = "lifetime_ban", _("终身禁入")
    PUNITIVE_DAMAGES = "punitive_damages", _("惩罚性赔偿")
    DETENTION = "detention", _("行政拘留")


#: Penalty types that make a hearing available (行政处罚法 Art. 63) and a legal review mandatory.
MAJOR_PENALTY_TYPES = (PenaltyType.LICENCE_REVOCATION, PenaltyType.BUSINESS_RESTRICTION, PenaltyType.LIFETIME_BAN,
                       PenaltyType.LICENCE_SUSPENSION)


class NoPenaltyGround(models.TextChoices):
    FIRST_VIOLATION = "first_violation", _("初次违法且危害后果轻微并及时改正（首违不罚，第三十三条第一款）")
    MINOR = "minor", _("违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）")
    NO_FAULT = "no_fault", _("当事人有证据足以证明没有主观过错（第三十三条第二款）")
    FACTS_NOT_ESTABLISHED = "facts_not_established", _("违法事实不能成立（第五十七条）")
    LIMITATION = "limitation", _("违法行为超过追责时效（第三十六条）")


#: Why a legal review (法制审核) is required (行政处罚法 Art. 58 and the body's catalog).
REVIEW_GROUNDS = {
    "hearing": _("经过听证程序"),
    "amount": _("罚没金额超过本机关法制审核目录标准"),
    "major_type": _("吊销许可证件、责令停产停业、终身禁入等重大处罚"),
    "complex": _("案件情况疑难复杂、涉及多个法律关系"),
    "public_interest": _("涉及重大公共利益"),
}
