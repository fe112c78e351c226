"""E-mail subscriptions (邮件订阅) of the public: an address and the topics it follows, nothing else.
A subscription is pending until the address confirms it (double opt-in); an unsubscribed
address is deleted, not kept (docs/decisions/0013-subscriptions.md)."""
from __future__ import annotations

import secrets

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """What one can follow: the Atom feeds (same keys as their routes) and a search."""

    CATALOG = "catalog", _("年度重大行政决策事项目录")
    DECISIONS = "decisions", _("重大行政决策公开")
    LIBRARY = "library", _("行政规范性文件")
    NOTICES = "enforcement-notices", _("行政执法决定公开")
    CONSULTATIONS = "consultations", _("公开征求意见")
    SEARCH = "search", _("按关键词检索的新内容")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        ACTIVE = "active", _("已确认")

    email = models.EmailField(_("电子邮箱"), unique=True)
    topics = ArrayField(models.CharField(max_length=30, choices=Topic.choices), verbose_name=_("订阅内容"),
                        default=list)
    search_query = models.CharField(_("检索关键词"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    #: The secret in the manage and unsubscribe links (and, signed with a date, in the confirm link).
    token = models.CharField(_("链接密钥"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    #: When the last confirmation (or manage-link) e-mail was queued: at most one an hour.
    mailed_at = models.DateTimeField(_("最近发送确认邮件时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    #: The first local day not yet covered by a digest (the confirmation day at first).
    digest_from = models.DateField(_("下次摘要起始日期"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("最近发送摘要时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邮件订阅")
        verbose_name_plural = _("邮件订阅")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["digest_from"], name="subscription_active_idx",
                                condition=models.Q(status="active"))]

    def __str__(self) -> str:
        return _("邮件订阅 #%(pk)s") % {"pk": self.pk}

    def topic_labels(self) -> list[str]:
        return [Topic(topic).label for topic in self.topics if topic in Topic.values]
