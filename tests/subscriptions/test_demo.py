"""`make run` shows the feature: the demo loads a confirmed subscriber whose next digest lists
the demo's public content."""
import datetime as dt

import pytest

from deadlines.models import OutboxEmail
from subscriptions.digests import digests_send
from subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


def test_the_demo_subscriber_gets_a_digest_of_the_demo_content(demo):
    subscription = Subscription.objects.get(email="reader@example.com")
    assert subscription.status == Subscription.Status.ACTIVE
    assert digests_send(today=dt.date(2026, 11, 28))["queued"] == 1
    body = OutboxEmail.objects.get(idempotency_key=f"subscription-digest:{subscription.pk}:2026-11-28").body
    assert "【重大行政决策公开】" in body and "【行政规范性文件】" in body
