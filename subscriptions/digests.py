"""The daily digest (每日订阅摘要): one e-mail per confirmed subscriber listing what was published
on the days since their last digest, topic by topic. Items come from the Atom feeds' own sources
(core.feeds.public_items_since, search.feeds.newest_matching), so a digest never shows what a feed
would not. Each (topic, window) is read once per run whatever the number of subscribers or items."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core import feeds
from core.workdays import local_today
from deadlines.models import OutboxEmail
from search.feeds import newest_matching
from search.selectors import SearchParams

from .models import Subscription, Topic
from .services import absolute, manage_url, unsubscribe_url


@dataclass
class Entry:
    title: str
    url: str


@dataclass
class Section:
    topic: str
    label: str
    entries: list[Entry]


class DigestBuilder:
    """Reads each topic's new items once per window and renders them as (title, absolute URL)."""

    def __init__(self, *, until: dt.date):
        self.until = until
        self._read: dict[tuple, list[Entry]] = {}

    def entries(self, topic: str, *, since: dt.date, query: str = "") -> list[Entry]:
        key = (topic, since, query)
        if key not in self._read:
            if topic == Topic.SEARCH:
                items = newest_matching(SearchParams(q=query), since=since, until=self.until)
                self._read[key] = [Entry(item.title, absolute(item.url)) for item in items]
            else:
                feed = feeds.FEEDS[topic][0]()
                items = feeds.public_items_since(topic, since=since, until=self.until)
                self._read[key] = [Entry(feed.item_title(item), absolute(feed.item_link(item))) for item in items]
        return self._read[key]

    def sections(self, subscription: Subscription) -> list[Section]:
        since = subscription.digest_from
        sections = []
        for topic in subscription.topics:
            if topic not in Topic.values:
                continue
            entries = self.entries(topic, since=since, query=subscription.search_query)
            if entries:
                label = Topic(topic).label
                if topic == Topic.SEARCH:
                    label = _("包含“%(q)s”的新内容") % {"q": subscription.search_query}
                sections.append(Section(topic, label, entries))
        return sections


def digest_key(subscription: Subscription, day: dt.date) -> str:
    return f"subscription-digest:{subscription.pk}:{day.isoformat()}"


def digest_headers(subscription: Subscription) -> dict:
    """RFC 2369 / RFC 8058 one-click unsubscribe."""
    return {"List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def digests_send(*, today: dt.date | None = None) -> dict:
    """Queue today's digest of every confirmed subscriber not yet served today, exactly once each
    (the row is locked and moved on in the transaction that queues the e-mail; the outbox key is
    unique per subscriber and day). A subscriber with nothing new gets no e-mail."""
    today = today or local_today()
    builder = DigestBuilder(until=today)
    queued = skipped = 0
    due = (Subscription.objects.filter(status=Subscription.Status.ACTIVE, digest_from__lt=today)
           .order_by("pk").values_list("pk", flat=True))
    for pk in list(due):
        with transaction.atomic():
            subscription = (Subscription.objects.select_for_update(skip_locked=True)
                            .filter(pk=pk, status=Subscription.Status.ACTIVE, digest_from__lt=today).first())
            if subscription is None:
                continue
            sections = builder.sections(subscription)
            key = digest_key(subscription, today)
            fields = ["digest_from"]
            if sections and not OutboxEmail.objects.filter(idempotency_key=key).exists():
                now = timezone.now()
                OutboxEmail.objects.create(
                    idempotency_key=key, to_address=subscription.email, next_attempt_at=now,
                    subject=_("湖州市政务公开订阅摘要（%(date)s）") % {"date": f"{today.year}年{today.month}月{today.day}日"},
                    body=render_to_string("subscriptions/email_digest.txt", {
                        "sections": sections, "since": subscription.digest_from, "until": today - dt.timedelta(days=1),
                        "manage_url": manage_url(subscription), "unsubscribe_url": unsubscribe_url(subscription)}),
                    headers=digest_headers(subscription))
                subscription.last_sent_at = now
                fields.append("last_sent_at")
                queued += 1
            else:
                skipped += 1
            subscription.digest_from = today
            subscription.save(update_fields=fields)
    return {"queued": queued, "skipped": skipped}
