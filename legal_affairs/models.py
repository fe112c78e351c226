"""Township legal affairs and legal advisers (domain.md §9): each township's 党政联席会议 with
whether the head of its 司法所 attended (司法所长列席); the registry of 法律顾问 (in-house or
retained, term, contract) and 公职律师 (certificate, body) per body; advisers' opinions on a
decision, a contract or a review; an annual performance evaluation (绩效评价) per adviser."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Department, Role, TimeStampedModel


def _scope(user, body_field: str) -> Q | None:
    """None: everything (supervisors, the city office); else the rows of the user's own body and,
    for a review unit's reviewers, of the bodies it reviews."""
    roles = set(user.roles)
    if {Role.SUPERVISOR, Role.OFFICE, Role.ADMIN} & roles:
        return None
    condition = Q(pk__in=[])
    if user.department_id:
        condition |= Q(**{f"{body_field}_id": user.department_id})
        if Role.REVIEWER in roles:
            condition |= Q(**{f"{body_field}__review_unit_id": user.department_id})
    return condition


class ScopedQuerySet(models.QuerySet):
    body_field = "body"

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        condition = _scope(user, self.body_field)
        return self.all() if condition is None else self.filter(condition)


class MeetingQuerySet(ScopedQuerySet):
    body_field = "township"

    def legal_without_sifasuo(self):
        """Meetings that took legal matters without the head of the 司法所."""
        return self.filter(legal_matters=True, sifasuo_head_attended=False)


class TownshipMeeting(TimeStampedModel):
    """A township's 党政联席会议 and whether the head of its 司法所 attended (列席)."""

    township = models.ForeignKey(Department, verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT,
                                 related_name="joint_meetings", limit_choices_to={"kind": "township"})
    held_on = models.DateField(_("会议日期"))
    session = models.CharField(_("会议名称"), max_length=100)
    topics = models.TextField(_("议题"))
    legal_matters = models.BooleanField(_("研究涉法事项"), default=False,
                                        help_text=_("重大行政决策、行政合同、规范性文件、征收拆迁等涉及法律的议题。"))
    sifasuo_head_attended = models.BooleanField(_("司法所长列席"), default=False)
    absence_reason = models.CharField(_("未列席原因"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("党政联席会议")
        verbose_name_plural = _("党政联席会议")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["township", "held_on"], name="meeting_township_idx")]

    def __str__(self) -> str:
        return f"{self.township.short_name or self.township.name} {self.session}（{self.held_on}）"


class LegalAdviser(TimeStampedModel):
    """A 法律顾问 of one body: in-house (内部) or retained (外聘), for a term under a contract."""

    class Kind(models.TextChoices):
        IN_HOUSE = "in_house", _("内部法律顾问")
        RETAINED = "retained", _("外聘法律顾问")

    body = models.ForeignKey(Department, verbose_name=_("聘任单位"), on_delete=models.PROTECT,
                             related_name="legal_advisers")
    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    firm = models.CharField(_("执业机构"), max_length=100, blank=True, help_text=_("外聘法律顾问所在律师事务所等。"))
    term_start = models.DateField(_("聘期起"))
    term_end = models.DateField(_("聘期止"))
    contract_reference = models.CharField(_("聘用合同"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("法律顾问")
        verbose_name_plural = _("法律顾问")
        ordering = ["body_id", "name", "id"]
        indexes = [models.Index(fields=["body", "term_start", "term_end"], name="adviser_body_term_idx")]
        constraints = [models.CheckConstraint(condition=Q(term_end__gte=models.F("term_start")),
                                              name="adviser_term_in_order")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def in_term(self, on: dt.date) -> bool:
        return self.term_start <= on <= self.term_end


class PublicLawyer(TimeStampedModel):
    """A 公职律师 of one body, with the certificate (公职律师证)."""

    body = models.ForeignKey(Department, verbose_name=_("所在单位"), on_delete=models.PROTECT,
                             related_name="public_lawyers")
    name = models.CharField(_("姓名"), max_length=50)
    certificate_number = models.CharField(_("公职律师证号"), max_length=40, unique=True)
    certified_on = models.DateField(_("取得证书日期"))
    active = models.BooleanField(_("在职"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("公职律师")
        verbose_name_plural = _("公职律师")
        ordering = ["body_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class AdviserOpinion(TimeStampedModel):
    """A legal adviser's written opinion on a decision, a contract or a review (法律意见)."""

    adviser = models.ForeignKey(LegalAdviser, verbose_name=_("法律顾问"), on_delete=models.PROTECT,
                                related_name="opinions")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    given_on = models.DateField(_("出具日期"))
    opinion = models.TextField(_("法律意见"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("法律顾问意见")
        verbose_name_plural = _("法律顾问意见")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="opinion_subject_idx")]

    def __str__(self) -> str:
        return f"{self.adviser.name} {self.given_on}"


class AdviserEvaluation(TimeStampedModel):
    """The annual performance evaluation (绩效评价) of one adviser by the body that retains them."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        COMPETENT = "competent", _("称职")
        BASIC = "basic", _("基本称职")
        INCOMPETENT = "incompetent", _("不称职")

    adviser = models.ForeignKey(LegalAdviser, verbose_name=_("法律顾问"), on_delete=models.PROTECT,
                                related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    opinions_given = models.PositiveIntegerField(_("出具法律意见数"))
    grade = models.CharField(_("评价等次"), max_length=20, choices=Grade.choices)
    comments = models.TextField(_("评价意见"))
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价人"), on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("法律顾问绩效评价")
        verbose_name_plural = _("法律顾问绩效评价")
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["adviser", "year"], name="one_evaluation_per_adviser_year")]

    def __str__(self) -> str:
        return f"{self.adviser.name} {self.year}"
