"""Legal clocks, the policy table they read their numbers from, and the
reminders, notifications and e-mails they produce.

A clock's due date is derived by ``deadlines.engine`` from its start, its rule's
length and unit, its pauses and its extension; the stored ``due_on`` is only the
result of that computation, refreshed by the services whenever one of those
inputs (or the calendar) changes.
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Department, TimeStampedModel


class Unit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("日（自然日）")
    WORKING_DAYS = "working_days", _("个工作日")
    MONTHS = "months", _("个月")


class DeadlineKind(models.TextChoices):
    STATUTORY = "statutory", _("法定期限")
    ADVISORY = "advisory", _("服务承诺")


class DeadlinePolicy(TimeStampedModel):
    """One number of the law (期限规则): a row per rule and effective date.

    A clock copies the row in force on its start date, so a later change of the
    policy applies to new clocks only."""

    code = models.CharField(_("规则代码"), max_length=60)
    name = models.CharField(_("规则名称"), max_length=100)
    length = models.PositiveIntegerField(_("期限长度"))
    unit = models.CharField(_("计算单位"), max_length=20, choices=Unit.choices)
    kind = models.CharField(_("期限性质"), max_length=20, choices=DeadlineKind.choices)
    warn_before = models.PositiveIntegerField(
        _("提前预警"), default=0, help_text=_("到期前多少个单位（与期限单位相同）进入黄灯并发送预警提醒；0 表示不预警。")
    )
    source = models.CharField(_("依据"), max_length=300)
    effective_from = models.DateField(_("生效日期"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="policy_code_effective_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}：{self.length}{self.get_unit_display()}（{self.effective_from:%Y-%m-%d}起）"


class LegalClock(TimeStampedModel):
    """A deadline running for one object under one rule (法定期限/承诺期限)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("计时中")
        PAUSED = "paused", _("已中止")
        STOPPED = "stopped", _("已完成")
        CANCELLED = "cancelled", _("已撤销")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    rule = models.CharField(_("提醒规则"), max_length=60)
    label = models.CharField(_("事项"), max_length=300)
    department = models.ForeignKey(
        Department, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("指定的办理人（如认领审查任务的审查人员）；为空时由责任单位办理。"),
    )
    policy = models.ForeignKey(
        DeadlinePolicy, verbose_name=_("期限规则"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The policy as it was when the clock started (a later policy change applies to new clocks only).
    length = models.PositiveIntegerField(_("期限长度"), null=True, blank=True)
    unit = models.CharField(_("计算单位"), max_length=20, choices=Unit.choices, blank=True)
    kind = models.CharField(_("期限性质"), max_length=20, choices=DeadlineKind.choices)
    warn_before = models.PositiveIntegerField(_("提前预警"), default=0)
    source = models.CharField(_("依据"), max_length=300)
    started_on = models.DateField(_("起算日期"))
    fixed_due_on = models.DateField(
        _("指定到期日"), null=True, blank=True, help_text=_("按指定日期而非期限长度计算的期限（如目录计划日期、听证会前送达）。")
    )
    extension_length = models.PositiveIntegerField(_("延长期限"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("延长批准人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    due_on = models.DateField(_("到期日"), null=True, blank=True)
    warn_on = models.DateField(_("预警日"), null=True, blank=True)
    calendar_pending = models.BooleanField(
        _("待载入日历"), default=False, help_text=_("计算所需年度的节假日安排尚未载入，暂无法确定到期日。")
    )
    ended_on = models.DateField(_("办结日期"), null=True, blank=True)
    ended_note = models.CharField(_("办结说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("法定期限")
        verbose_name_plural = _("法定期限")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="clock_subject_idx"),
            models.Index(fields=["due_on"], name="clock_open_due_idx", condition=Q(status__in=["running", "paused"])),
            models.Index(fields=["department", "due_on"], name="clock_department_due_idx"),
            models.Index(fields=["assignee", "due_on"], name="clock_assignee_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "rule"], condition=Q(status__in=["running", "paused"]),
                name="one_open_clock_per_rule",
            ),
            models.CheckConstraint(
                condition=Q(fixed_due_on__isnull=False) | (Q(length__isnull=False) & ~Q(unit="")),
                name="clock_has_length_or_fixed_due",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RUNNING, self.Status.PAUSED)


class ClockPause(models.Model):
    """A suspension (中止) of a clock: the days after ``paused_on`` up to and
    including ``resumed_on`` do not count."""

    class Reason(models.TextChoices):
        SUPPLEMENT = "supplement", _("当事人补正材料")
        HEARING = "hearing", _("听证")
        TESTING = "testing", _("检测、检验、检疫、鉴定")
        OTHER = "other", _("其他法定中止情形")

    clock = models.ForeignKey(LegalClock, on_delete=models.CASCADE, related_name="pauses")
    paused_on = models.DateField(_("中止日期"))
    resumed_on = models.DateField(_("恢复日期"), null=True, blank=True)
    reason_kind = models.CharField(_("中止事由"), max_length=20, choices=Reason.choices)
    reason = models.CharField(_("说明"), max_length=300)
    paused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("期限中止")
        verbose_name_plural = _("期限中止")
        ordering = ["paused_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clock"], condition=Q(resumed_on__isnull=True), name="one_open_pause"),
        ]


class Reminder(models.Model):
    """One reminder to one person about one deadline moment. The unique key makes
    scheduling idempotent; ``sent_at`` is set in the transaction that creates the
    notification, so each reminder is delivered once."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    rule = models.CharField(_("提醒规则"), max_length=60)
    step = models.CharField(_("提醒节点"), max_length=20)
    due_at = models.DateTimeField(_("提醒时间"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="reminders")
    clock = models.ForeignKey(LegalClock, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    #: set when the attempts ran out: shown to administrators, who may deliver it again
    parked_at = models.DateTimeField(_("搁置时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "rule", "step", "due_at", "recipient"],
                                    name="reminder_once_per_moment_and_recipient"),
        ]
        indexes = [
            models.Index(fields=["due_at"], name="reminder_pending_idx",
                         condition=Q(sent_at__isnull=True, cancelled_at__isnull=True)),
        ]


class Notification(models.Model):
    """An entry in a person's in-app notification centre (消息中心)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    reminder = models.OneToOneField(Reminder, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="notification")
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    level = models.CharField(_("级别"), max_length=10, default="info")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    digested_at = models.DateTimeField(_("汇总邮件时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
        ]


class OutboxEmail(models.Model):
    """An e-mail waiting to go out. The idempotency key makes each message unique;
    failures back off and a message that keeps failing is parked for an administrator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        PARKED = "parked", _("发送失败已搁置")

    idempotency_key = models.CharField(_("幂等键"), max_length=120, unique=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    to_address = models.EmailField(_("收件地址"))
    subject = models.CharField(_("主题"), max_length=300)
    body = models.TextField(_("正文"))
    #: Extra message headers, e.g. List-Unsubscribe (RFC 8058) on a subscription digest.
    headers = models.JSONField(_("邮件头"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"))
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发邮件")
        verbose_name_plural = _("待发邮件")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="outbox_pending_idx", condition=Q(status="pending")),
        ]


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class NotificationPreference(models.Model):
    """How a person wants to hear about their deadlines."""

    class EmailMode(models.TextChoices):
        EACH = "each", _("每条提醒发送一封邮件")
        DIGEST = "digest", _("每日汇总一封邮件")
        NONE = "none", _("不发送邮件")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference")
    email_mode = models.CharField(_("邮件提醒方式"), max_length=10, choices=EmailMode.choices, default=EmailMode.EACH)
    calendar_token = models.CharField(_("日历订阅密钥"), max_length=64, unique=True, default=new_calendar_token)
    calendar_token_reset_at = models.DateTimeField(_("密钥重置时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")
