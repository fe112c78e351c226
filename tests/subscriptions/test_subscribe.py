"""Subscribing by e-mail without an account: double opt-in (one confirmation e-mail, nothing
else until confirmed), links that expire or are unknown say so, abuse is limited, and an
unsubscribed address is deleted."""
import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from deadlines.models import OutboxEmail
from subscriptions import services
from subscriptions.models import Subscription

from .helpers import link_in

pytestmark = pytest.mark.django_db
FORM = {"email": "Reader@Example.com", "topics": ["decisions", "library"], "search_query": ""}


@pytest.fixture(autouse=True)
def _clock():
    cache.clear()
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False) as traveller:
        yield traveller


def subscribe(client, **data):
    return client.post(reverse("subscriptions:subscribe"), {**FORM, **data})


def test_subscribing_queues_one_confirmation_email_and_nothing_is_active_yet(client):
    response = subscribe(client)
    assert response.status_code == 302 and response["Location"] == reverse("subscriptions:sent")
    subscription = Subscription.objects.get()
    assert subscription.email == "reader@example.com"
    assert subscription.status == Subscription.Status.PENDING
    assert subscription.topics == ["decisions", "library"]
    [email] = OutboxEmail.objects.all()
    assert email.to_address == "reader@example.com"
    assert "/subscribe/confirm/" in email.body
    assert client.get(reverse("subscriptions:sent")).status_code == 200


def test_subscribing_again_within_the_hour_sends_no_second_email(client, _clock):
    subscribe(client)
    subscribe(client, topics=["catalog"])
    assert OutboxEmail.objects.count() == 1
    assert Subscription.objects.get().topics == ["catalog"]  # the latest choice is what gets confirmed
    _clock.shift(dt.timedelta(minutes=61))
    subscribe(client)
    assert OutboxEmail.objects.count() == 2


def test_the_confirmation_link_activates_the_subscription(client):
    subscribe(client)
    response = client.get(link_in(OutboxEmail.objects.get(), "confirm"))
    assert response.status_code == 200
    assert "订阅已确认" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.digest_from == dt.date(2026, 5, 11)


def test_an_expired_confirmation_link_says_so_and_activates_nothing(client, _clock):
    subscribe(client)
    link = link_in(OutboxEmail.objects.get(), "confirm")
    _clock.shift(dt.timedelta(days=8))
    response = client.get(link)
    assert response.status_code == 410
    assert "确认链接已过期" in response.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.PENDING


@pytest.mark.parametrize("token", ["not-a-token", "eyJhIjoxfQ:1tWxyz:forged"])
def test_an_invalid_link_says_so(client, token):
    for name in ("confirm", "manage", "unsubscribe"):
        response = client.get(reverse(f"subscriptions:{name}", args=[token]))
        assert response.status_code == 404
        assert "链接无效" in response.content.decode()


def test_a_confirmed_address_subscribing_again_gets_its_manage_link_and_keeps_its_topics(client, _clock):
    subscribe(client)
    client.get(link_in(OutboxEmail.objects.get(), "confirm"))
    _clock.shift(dt.timedelta(hours=2))
    subscribe(client, topics=["catalog"])
    latest = OutboxEmail.objects.order_by("-created_at").first()
    assert "/subscribe/manage/" in latest.body and "/subscribe/confirm/" not in latest.body
    assert Subscription.objects.get().topics == ["decisions", "library"]


def test_the_honeypot_pretends_success_and_stores_and_sends_nothing(client):
    response = subscribe(client, homepage="http://spam.example")
    assert response.status_code == 302
    assert not Subscription.objects.exists() and not OutboxEmail.objects.exists()


def test_one_client_is_limited_to_five_requests_an_hour(client):
    for n in range(services.RATE_LIMIT):
        assert subscribe(client, email=f"r{n}@example.com").status_code == 302
    response = subscribe(client, email="r9@example.com")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert not Subscription.objects.filter(email="r9@example.com").exists()


@pytest.mark.parametrize("data, message", [
    ({"topics": ["search"], "search_query": ""}, "请填写检索关键词"),
    ({"email": "not-an-address"}, "请输入合法的邮件地址"),
])
def test_an_incomplete_form_is_refused_with_a_reason(client, data, message):
    response = subscribe(client, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OutboxEmail.objects.exists()


def test_the_search_page_link_prefills_the_query(client):
    response = client.get(reverse("subscriptions:subscribe"), {"topics": "search", "q": "停车"})
    content = response.content.decode()
    assert 'value="停车"' in content
    assert "checked" in content.split('value="search"')[1].split(">")[0]
    assert "checked" not in content.split('value="decisions"')[1].split(">")[0]


def test_the_manage_link_changes_the_topics(client):
    subscribe(client)
    subscription = Subscription.objects.get()
    url = reverse("subscriptions:manage", args=[subscription.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"topics": ["search"], "search_query": "停车 收费"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.topics, subscription.search_query) == (["search"], "停车 收费")


def test_unsubscribe_get_asks_and_post_deletes_the_address(client):
    subscribe(client)
    subscription = Subscription.objects.get()
    url = reverse("subscriptions:unsubscribe", args=[subscription.token])
    response = client.get(url)
    assert response.status_code == 200 and "确认退订" in response.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    response = client.post(url)
    assert response.status_code == 200 and "已退订" in response.content.decode()
    assert not Subscription.objects.filter(email="reader@example.com").exists()
    assert client.post(url).status_code == 200  # again: still fine


def test_one_click_unsubscribe_needs_no_csrf_token(client):
    from django.test import Client

    subscribe(client)
    subscription = Subscription.objects.get()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("subscriptions:unsubscribe", args=[subscription.token]),
                           "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_addresses_never_confirmed_are_deleted_after_seven_days(client, _clock):
    subscribe(client)
    _clock.shift(dt.timedelta(days=6))
    assert services.subscriptions_purge_unconfirmed() == 0
    _clock.shift(dt.timedelta(days=2))
    assert services.subscriptions_purge_unconfirmed() == 1
    assert not Subscription.objects.exists()
