"""Public consultations (公众参与): one page per draft and round opened for comment, the
comments the public sends without an account, their moderation and disposition, and the
published 意见采纳情况说明."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.feeds import closing_time as closing_time_text
from core.models import Department, TimeStampedModel
from core.workdays import local_today


class ConsultationStatus(models.TextChoices):
    """Derived from the dates and the summary, never stored."""

    NOT_STARTED = "not_started", _("未开始")
    OPEN = "open", _("征求意见中")
    CLOSED = "closed", _("已截止")
    SUMMARY_PUBLISHED = "summary_published", _("已公布采纳情况")


class ConsultationQuerySet(models.QuerySet):
    def public(self) -> ConsultationQuerySet:
        """Every consultation of a normative document, and those of decisions whose disclosure
        is public: a withheld decision has no public consultation (404, as a missing one)."""
        from decisions.models import Decision
        from decisions.workflow import Disclosure

        decision_type = ContentType.objects.get_for_model(Decision)
        return self.filter(~Q(content_type=decision_type) | Q(
            object_id__in=Decision.objects.filter(disclosure=Disclosure.PUBLIC).values("pk")))

    def open_on(self, day: dt.date) -> ConsultationQuerySet:
        return self.filter(opens_on__lte=day, closes_on__gte=day, summary_published_at__isnull=True)


class Consultation(TimeStampedModel):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    round = models.PositiveSmallIntegerField(_("程序轮次"), default=1)
    department = models.ForeignKey(Department, verbose_name=_("起草单位"), on_delete=models.PROTECT,
                                   related_name="consultations")
    title = models.CharField(_("标题"), max_length=200)
    draft_text = models.TextField(_("征求意见稿正文"))
    explanation = models.TextField(_("起草说明"), blank=True)
    channel = models.CharField(_("征求意见渠道"), max_length=200)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"), help_text=_("截止当日24时（北京时间）结束。"))
    summary = models.TextField(_("意见采纳情况说明"), blank=True)
    summary_published_at = models.DateTimeField(_("采纳情况公布时间"), null=True, blank=True)
    summary_published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "round"], name="one_consultation_per_round"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                   name="consultation_closes_after_opening"),
        ]
        indexes = [models.Index(fields=["closes_on", "opens_on"], name="consultation_dates_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def closes_at(self) -> dt.datetime:
        """The closing moment: the end of the closing day, Beijing time."""
        return timezone.make_aware(dt.datetime.combine(self.closes_on + dt.timedelta(days=1), dt.time.min))

    def status_on(self, day: dt.date) -> str:
        if self.summary_published_at:
            return ConsultationStatus.SUMMARY_PUBLISHED
        if day < self.opens_on:
            return ConsultationStatus.NOT_STARTED
        if day <= self.closes_on:
            return ConsultationStatus.OPEN
        return ConsultationStatus.CLOSED

    @property
    def status(self) -> str:
        return self.status_on(local_today())

    def get_status_display(self) -> str:
        return ConsultationStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status == ConsultationStatus.OPEN

    @property
    def closing_time(self) -> str:
        return closing_time_text(self.closes_on)

    @property
    def subject_kind(self) -> str:
        """``decision`` or ``normative``: read from the content type (select it with the row)."""
        return "decision" if self.content_type.app_label == "decisions" else "normative"


class PublicComment(models.Model):
    """One comment from the public. Contact details are for the drafting unit only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已公开")
        REJECTED = "rejected", _("不予公开")

    class Disposition(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        PARTLY_ADOPTED = "partly_adopted", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("不予采纳")

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField(_("意见内容"))
    name = models.CharField(_("姓名或名称"), max_length=100, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    contact = models.CharField(_("其他联系方式"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    ip_hash = models.CharField(_("来源标识（IP摘要）"), max_length=64, db_index=True)
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True)
    status = models.CharField(_("审核状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    moderation_reason = models.CharField(_("不予公开的理由"), max_length=300, blank=True)
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    disposition = models.CharField(_("采纳情况"), max_length=20, choices=Disposition.choices, blank=True)
    disposition_reason = models.TextField(_("采纳情况说明"), blank=True)
    disposed_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("公众意见")
        verbose_name_plural = _("公众意见")
        indexes = [models.Index(fields=["consultation", "status", "submitted_at"], name="comment_public_idx")]

    def __str__(self) -> str:
        return f"{self.consultation_id}-{self.pk}"
