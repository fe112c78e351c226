"""Builders shared by the subscription tests: public and non-public items as the services leave them."""
import datetime as dt
import re

from django.utils import timezone

from deadlines.models import OutboxEmail
from decisions.workflow import DecisionStatus, Disclosure
from subscriptions import services
from subscriptions.models import Subscription
from tests import factories


def decision(title: str, *, published_on: dt.date | None, disclosure: str = Disclosure.PUBLIC, **fields):
    """A decision published (at 09:00 Beijing time) on ``published_on``, or never published."""
    published_at = (timezone.make_aware(dt.datetime.combine(published_on, dt.time(9, 0)))
                    if published_on else None)
    return factories.DecisionFactory(
        title=title, status=DecisionStatus.EXECUTING if published_on else DecisionStatus.DRAFTING,
        disclosure=disclosure, withheld_reason="" if disclosure == Disclosure.PUBLIC else "涉及国家秘密",
        published_at=published_at, **fields)


def active_subscription(email: str = "reader@example.com", *, topics=("decisions",), search_query: str = "",
                        since: dt.date) -> Subscription:
    """A confirmed subscription whose next digest starts at ``since``."""
    subscription = services.subscription_request(email=email, topics=list(topics), search_query=search_query,
                                                 client_key=f"test-{email}")
    services.subscription_confirm(signed_token=services.confirm_token(subscription))
    Subscription.objects.filter(pk=subscription.pk).update(digest_from=since)
    subscription.refresh_from_db()
    return subscription


def link_in(email: OutboxEmail, name: str) -> str:
    """The path of the first link to ``/subscribe/<name>/…`` in an e-mail's body."""
    match = re.search(rf"https?://[^/\s]+(/subscribe/{name}/[^\s]+/)", email.body)
    assert match, email.body
    return match.group(1)
