"""Subscribing by e-mail in a real browser: the public fills in the form on the subscribe page,
opens the confirmation link from the e-mail (read here from the outbox row) and sees the
subscription confirmed."""
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from deadlines.models import OutboxEmail
from subscriptions.models import Subscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_subscribe_and_confirm(page, live_server):
    cache.clear()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="邮件订阅").click()
    expect(page.get_by_role("heading", name="邮件订阅", level=1)).to_be_visible()
    page.get_by_label("电子邮箱").fill("reader@example.com")
    page.get_by_label("重大行政决策公开").check()
    page.get_by_label("按关键词检索的新内容").check()
    page.get_by_label("检索关键词").fill("停车")
    page.get_by_role("button", name="订阅").click()
    expect(page.get_by_role("heading", name="请查收确认邮件")).to_be_visible()

    email = OutboxEmail.objects.get(to_address="reader@example.com")
    link = re.search(r"https?://[^/\s]+(/subscribe/confirm/\S+/)", email.body).group(1)
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", name="订阅已确认")).to_be_visible()
    expect(page.get_by_text("检索关键词：停车")).to_be_visible()
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.topics == ["decisions", "search"]
