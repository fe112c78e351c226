"""The daily digest: for each confirmed subscriber, what the public feeds published on the days
since their last digest (never anything withheld or unpublished), once a day, not at all when
there is nothing new, with a one-click unsubscribe; reading it costs the same for 3 or 30 items."""
import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deadlines.models import OutboxEmail
from deadlines.services import outbox_send_due
from decisions.workflow import Disclosure
from search import indexing
from subscriptions.digests import digests_send
from subscriptions.models import Subscription
from subscriptions.tasks import send_subscription_digests
from tests.portal.test_feeds import public_documents, withhold

from .helpers import active_subscription, decision

pytestmark = pytest.mark.django_db
MAY_10, MAY_11, MAY_12 = dt.date(2026, 5, 10), dt.date(2026, 5, 11), dt.date(2026, 5, 12)
#: Queries to serve one subscriber of five feeds, whatever the number of items.
DIGEST_QUERIES = 14


@pytest.fixture(autouse=True)
def _clock():
    cache.clear()
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False) as traveller:
        yield traveller


def digest_of(subscription: Subscription, day: dt.date) -> OutboxEmail:
    return OutboxEmail.objects.get(idempotency_key=f"subscription-digest:{subscription.pk}:{day.isoformat()}")


def test_the_digest_lists_the_new_public_items_only():
    subscription = active_subscription(since=MAY_10)
    decision("五月十日公布的决策", published_on=MAY_10)
    decision("五月九日公布的决策", published_on=dt.date(2026, 5, 9))  # in the previous digest
    decision("今天公布的决策", published_on=MAY_11)  # in tomorrow's digest
    decision("依法不予公开的决策", published_on=MAY_10, disclosure=Disclosure.WITHHELD)
    withhold(decision("公布后撤回公开的决策", published_on=MAY_10))
    decision("起草中的决策", published_on=None)

    assert digests_send(today=MAY_11) == {"queued": 1, "skipped": 0}

    body = digest_of(subscription, MAY_11).body
    assert "五月十日公布的决策" in body
    for title in ("五月九日", "今天公布", "依法不予公开", "撤回公开", "起草中"):
        assert title not in body
    assert "/subscribe/unsubscribe/" in body and "/subscribe/manage/" in body
    subscription.refresh_from_db()
    assert subscription.digest_from == MAY_11 and subscription.last_sent_at is not None


def test_a_subscriber_gets_at_most_one_digest_a_day():
    subscription = active_subscription(since=MAY_10)
    decision("五月十日公布的决策", published_on=MAY_10)
    digests_send(today=MAY_11)
    assert digests_send(today=MAY_11) == {"queued": 0, "skipped": 0}
    with time_machine.travel("2026-05-11 16:00 +0800", tick=False):
        send_subscription_digests()
    assert OutboxEmail.objects.filter(idempotency_key__startswith=f"subscription-digest:{subscription.pk}:").count() == 1


def test_nothing_new_means_no_email_and_the_next_digest_starts_later():
    subscription = active_subscription(since=MAY_10)
    decision("今天公布的决策", published_on=MAY_11)
    assert digests_send(today=MAY_11) == {"queued": 0, "skipped": 1}
    assert not OutboxEmail.objects.filter(idempotency_key__startswith="subscription-digest:").exists()
    assert digests_send(today=MAY_12) == {"queued": 1, "skipped": 0}
    assert "今天公布的决策" in digest_of(subscription, MAY_12).body


def test_pending_subscriptions_get_no_digest():
    from subscriptions.services import subscription_request

    subscription_request(email="pending@example.com", topics=["decisions"], client_key="x")
    Subscription.objects.update(digest_from=MAY_10)
    decision("五月十日公布的决策", published_on=MAY_10)
    assert digests_send(today=MAY_11) == {"queued": 0, "skipped": 0}
    assert OutboxEmail.objects.count() == 1  # the confirmation e-mail only


def test_a_sent_digest_carries_one_click_unsubscribe_headers_that_work(client):
    subscription = active_subscription(since=MAY_10)
    decision("五月十日公布的决策", published_on=MAY_10)
    digests_send(today=MAY_11)
    mail.outbox.clear()
    outbox_send_due()

    [message] = [m for m in mail.outbox if m.extra_headers["X-Idempotency-Key"].startswith("subscription-digest:")]
    assert message.to == ["reader@example.com"]
    unsubscribe = reverse("subscriptions:unsubscribe", args=[subscription.token])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message.message().as_string()

    response = client.post(unsubscribe, "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Subscription.objects.filter(email="reader@example.com").exists()


def test_a_search_subscription_gets_new_public_matches_only(django_capture_on_commit_callbacks):
    subscription = active_subscription(topics=["search"], search_query="停车", since=MAY_10)
    decision("湖州市停车收费管理决策", published_on=MAY_10)
    secret = decision("湖州市停车场建设决策", published_on=MAY_10)
    decision("湖州市公交线网优化决策", published_on=MAY_10)
    indexing.index_all()
    with django_capture_on_commit_callbacks(execute=True):  # withheld after the index was written: leaves it
        secret.disclosure, secret.withheld_reason = "withheld", "涉及国家秘密。"
        secret.save()

    digests_send(today=MAY_11)

    body = digest_of(subscription, MAY_11).body
    assert "湖州市停车收费管理决策" in body
    assert "停车场建设" not in body and "公交线网" not in body
    assert "包含“停车”的新内容" in body


@pytest.mark.parametrize("count", [3, 30])
def test_building_a_digest_costs_the_same_queries_for_3_or_30_items(count):
    active_subscription(topics=["catalog", "decisions", "library", "enforcement-notices", "consultations"],
                        since=MAY_11)
    for n in range(count):
        decision(f"决策{n}", published_on=MAY_11)
    public_documents(count)
    with CaptureQueriesContext(connection) as queries:
        result = digests_send(today=MAY_12)
    assert result == {"queued": 1, "skipped": 0}
    body = OutboxEmail.objects.get(idempotency_key__startswith="subscription-digest:").body
    assert body.count("决策") >= count and body.count("湖州市管理办法") == count
    assert len(queries) <= DIGEST_QUERIES, [q["sql"][:120] for q in queries.captured_queries]



def test_more_subscribers_of_the_same_window_do_not_read_the_feeds_again():
    topics = ["catalog", "decisions", "library", "enforcement-notices", "consultations"]
    for n in range(3):
        active_subscription(f"reader{n}@example.com", topics=topics, since=MAY_11)
    for n in range(5):
        decision(f"决策{n}", published_on=MAY_11)
    with CaptureQueriesContext(connection) as queries:
        assert digests_send(today=MAY_12) == {"queued": 3, "skipped": 0}
    # the feeds are read once; each further subscriber costs only its lock, outbox check, e-mail and save
    per_subscriber = 6
    assert len(queries) <= DIGEST_QUERIES + 2 * per_subscriber, [q["sql"][:120] for q in queries.captured_queries]
    assert sum(q["sql"].startswith('SELECT "decisions_decision"."id"') for q in queries.captured_queries) == 1
    assert len(OutboxEmail.objects.filter(idempotency_key__startswith="subscription-digest:")) == 3
