"""The lifecycle of an e-mail subscription: request (double opt-in), confirm, manage, unsubscribe,
and the purge of addresses never confirmed. Nothing is sent to an unconfirmed address but its one
confirmation e-mail (at most one an hour); an unsubscribed address is deleted."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import ratelimit
from core.audit import record_event
from core.exceptions import DomainError
from core.workdays import local_today
from deadlines.models import OutboxEmail

from .models import Subscription, Topic

#: A confirmation link works for this long; a pending address is deleted after it.
CONFIRM_MAX_AGE = dt.timedelta(days=7)
#: At most one confirmation (or manage-link) e-mail per address in this interval.
MAIL_INTERVAL = dt.timedelta(hours=1)
#: At most this many subscription requests per client (IP address) per hour.
RATE_LIMIT, RATE_WINDOW = 5, 3600
SEARCH_QUERY_MAX_LENGTH = 100
_CONFIRM_SALT = "subscriptions.confirm"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def confirm_token(subscription: Subscription) -> str:
    """The subscription's secret, signed with the time it was issued (expires after CONFIRM_MAX_AGE)."""
    return signing.dumps(subscription.token, salt=_CONFIRM_SALT, compress=False)


def manage_url(subscription: Subscription) -> str:
    return absolute(reverse("subscriptions:manage", args=[subscription.token]))


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("subscriptions:unsubscribe", args=[subscription.token]))


def clean_choice(*, topics, search_query: str) -> tuple[list[str], str]:
    topics = [topic for topic in Topic.values if topic in set(topics or ())]
    search_query = " ".join((search_query or "").split())
    if not topics:
        raise DomainError(_("请至少选择一项订阅内容。"), code="topics_required")
    if len(search_query) > SEARCH_QUERY_MAX_LENGTH:
        raise DomainError(_("检索关键词不能超过%(n)s个字符。") % {"n": SEARCH_QUERY_MAX_LENGTH}, code="query_too_long")
    if Topic.SEARCH in topics and not search_query:
        raise DomainError(_("订阅检索结果时请填写检索关键词。"), code="query_required")
    if Topic.SEARCH not in topics:
        search_query = ""
    return topics, search_query


def _rate_limit(client_key: str) -> None:
    key = f"subscriptions:request-rate:{client_key or 'unknown'}"
    if ratelimit.is_limited(key, limit=RATE_LIMIT):
        raise DomainError(_("提交过于频繁：每小时最多提交%(n)s次订阅申请，请稍后再试。") % {"n": RATE_LIMIT},
                          code="rate_limited")
    ratelimit.count(key, window=RATE_WINDOW)


def _queue_mail(subscription: Subscription, *, kind: str, now: dt.datetime) -> OutboxEmail:
    template = {"confirm": "subscriptions/email_confirm.txt", "manage": "subscriptions/email_manage.txt"}[kind]
    subject = _("请确认您的邮件订阅") if kind == "confirm" else _("您的邮件订阅管理链接")
    body = render_to_string(template, {
        "subscription": subscription, "manage_url": manage_url(subscription),
        "confirm_url": absolute(reverse("subscriptions:confirm", args=[confirm_token(subscription)])),
        "days": CONFIRM_MAX_AGE.days,
    })
    return OutboxEmail.objects.create(
        idempotency_key=f"subscription-{kind}:{subscription.pk}:{int(now.timestamp())}",
        to_address=subscription.email, subject=subject, body=body, next_attempt_at=now)


@transaction.atomic
def subscription_request(*, email: str, topics, search_query: str = "", client_key: str) -> Subscription:
    """Someone asks for e-mail about ``topics``. A new or pending address gets (at most once an hour)
    the confirmation e-mail; a confirmed address gets its manage link instead, so that nobody can
    change another person's subscription without their mailbox."""
    email = (email or "").strip().lower()
    if not email:
        raise DomainError(_("请填写电子邮箱。"), code="email_required")
    topics, search_query = clean_choice(topics=topics, search_query=search_query)
    _rate_limit(client_key)
    now = timezone.now()
    subscription, created = Subscription.objects.select_for_update().get_or_create(
        email=email, defaults={"topics": topics, "search_query": search_query})
    if subscription.status == Subscription.Status.PENDING and not created:
        subscription.topics, subscription.search_query = topics, search_query
        subscription.save(update_fields=["topics", "search_query"])
    if subscription.mailed_at and now - subscription.mailed_at < MAIL_INTERVAL:
        return subscription
    kind = "confirm" if subscription.status == Subscription.Status.PENDING else "manage"
    _queue_mail(subscription, kind=kind, now=now)
    subscription.mailed_at = now
    subscription.save(update_fields=["mailed_at"])
    record_event(actor=None, event_type="subscription", obj=subscription, action=f"subscription_request_{kind}",
                 action_label=_("收到邮件订阅申请"), details={"topics": subscription.topics})
    return subscription


def _by_token(token: str, *, lock: bool = True) -> Subscription:
    subscriptions = Subscription.objects.select_for_update() if lock else Subscription.objects.all()
    subscription = subscriptions.filter(token=token).first() if token else None
    if subscription is None:
        raise DomainError(_("链接无效：订阅不存在或已退订。"), code="invalid_link")
    return subscription


@transaction.atomic
def subscription_confirm(*, signed_token: str) -> Subscription:
    """The address opens its confirmation link: the subscription is active from today."""
    try:
        token = signing.loads(signed_token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("确认链接已过期（有效期%(days)s天），请重新订阅。") % {"days": CONFIRM_MAX_AGE.days},
                          code="link_expired") from None
    except signing.BadSignature:
        raise DomainError(_("链接无效：订阅不存在或已退订。"), code="invalid_link") from None
    subscription = _by_token(token)
    if subscription.status == Subscription.Status.ACTIVE:
        return subscription
    subscription.status, subscription.confirmed_at = Subscription.Status.ACTIVE, timezone.now()
    subscription.digest_from = local_today()
    subscription.save(update_fields=["status", "confirmed_at", "digest_from"])
    record_event(actor=None, event_type="subscription", obj=subscription, action="subscription_confirm",
                 action_label=_("邮件订阅已确认"), source_state=Subscription.Status.PENDING,
                 target_state=Subscription.Status.ACTIVE, details={"topics": subscription.topics})
    return subscription


def subscription_get(*, token: str) -> Subscription:
    """The subscription behind a manage or unsubscribe link (DomainError if none)."""
    return _by_token(token, lock=False)


@transaction.atomic
def subscription_update(*, token: str, topics, search_query: str = "") -> Subscription:
    """The subscriber changes what they follow from their manage link."""
    subscription = _by_token(token)
    topics, search_query = clean_choice(topics=topics, search_query=search_query)
    subscription.topics, subscription.search_query = topics, search_query
    subscription.save(update_fields=["topics", "search_query"])
    record_event(actor=None, event_type="subscription", obj=subscription, action="subscription_update",
                 action_label=_("修改邮件订阅"), details={"topics": topics})
    return subscription


@transaction.atomic
def subscription_cancel(*, token: str) -> bool:
    """Unsubscribe: the row and its address are deleted. Unknown links are fine (already gone)."""
    subscription = Subscription.objects.select_for_update().filter(token=token).first() if token else None
    if subscription is None:
        return False
    record_event(actor=None, event_type="subscription", obj=subscription, action="subscription_cancel",
                 action_label=_("退订邮件订阅"), details={"topics": subscription.topics})
    subscription.delete()
    return True


@transaction.atomic
def subscriptions_purge_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Addresses that never confirmed are not kept past their link's life."""
    now = now or timezone.now()
    cutoff = now - CONFIRM_MAX_AGE
    deleted, _detail = Subscription.objects.filter(
        Q(mailed_at__lt=cutoff) | Q(mailed_at__isnull=True, created_at__lt=cutoff),
        status=Subscription.Status.PENDING).delete()
    return deleted
