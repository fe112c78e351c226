"""The deadlines API: my deadlines with their lights, my notifications, marking them read."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Notification
from tests.api_support import api, assert_error
from tests.deadlines.conftest import ADVISORY_RULE, NOW, STATUTORY_SOURCE, TODAY

D = dt.date
ROWS = pytest.mark.parametrize("rows", [3, 30], ids=["few", "many"])


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


DEADLINES = reverse("deadlines-api:deadline-list")
NOTIFICATIONS = reverse("deadlines-api:notification-list")
MARK_READ = reverse("deadlines-api:notification-mark-read")


def notes_for(user, count: int, **kwargs) -> list[Notification]:
    return Notification.objects.bulk_create(
        [Notification(recipient=user, title=f"【即将到期】事项{n}", url="/work/", **kwargs) for n in range(count)])


# ================================================================== deadlines
def test_my_deadlines_come_with_their_light(make_clock, staff_user, other_staff_user):
    late = make_clock(department=staff_user.department, started_on=D(2026, 4, 1))
    fresh = make_clock(department=staff_user.department)
    make_clock(department=other_staff_user.department)
    response = api(staff_user).get(DEADLINES)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["id"], first["due_on"], first["days_left"]) == (late.pk, "2026-04-16", -15)
    assert first["light"] == {"colour": "red", "label": "已逾期", "days_left": -15, "text": "已逾期25日"}
    assert (second["id"], second["due_on"], second["days_left"]) == (fresh.pk, "2026-05-25", 10)
    assert second["light"]["colour"] == "green" and second["light"]["text"] == "剩余10个工作日"
    assert (second["kind"], second["kind_display"], second["source"]) == ("statutory", "法定期限", STATUTORY_SOURCE)
    assert second["url"] == reverse("deadlines:clock-detail", args=[fresh.pk])


def test_a_reviewer_gets_the_deadlines_assigned_to_them(make_clock, staff_user, reviewer_user):
    assigned = make_clock(department=staff_user.department, assignee=reviewer_user, rule=ADVISORY_RULE)
    make_clock(department=staff_user.department)
    body = api(reviewer_user).get(DEADLINES).json()
    assert [row["id"] for row in body["results"]] == [assigned.pk]
    assert body["results"][0]["assignee_name"] == reviewer_user.display_name
    assert body["results"][0]["light"]["text"] == "剩余30日"


def test_a_pending_deadline_has_no_days_left(make_clock, staff_user):
    make_clock(department=staff_user.department, started_on=D(2026, 12, 21))
    row, = api(staff_user).get(DEADLINES).json()["results"]
    assert (row["due_on"], row["days_left"], row["calendar_pending"]) == (None, None, True)
    assert row["light"] == {"colour": "grey", "label": "待载入日历", "days_left": None, "text": "待载入日历"}


def test_the_api_needs_a_login(db):
    for url in (DEADLINES, NOTIFICATIONS):
        assert_error(api().get(url), 401, "not_authenticated", "请先登录。")
    assert_error(api().post(MARK_READ, {"all": True}, format="json"), 401, "not_authenticated", "请先登录。")


@ROWS
def test_deadlines_query_count(make_clock, staff_user, django_assert_max_num_queries, rows):
    for n in range(rows):
        make_clock(department=staff_user.department, started_on=TODAY - dt.timedelta(days=n))
    client = api(staff_user)
    with django_assert_max_num_queries(5):  # token, count, page, calendar year + days
        response = client.get(DEADLINES)
    assert len(response.json()["results"]) == min(rows, 20)


# ================================================================== notifications
def test_my_notifications_are_paginated_newest_first(staff_user, other_staff_user):
    notes = notes_for(staff_user, 25)
    notes_for(other_staff_user, 2)
    body = api(staff_user).get(NOTIFICATIONS).json()
    assert body["count"] == 25 and len(body["results"]) == 20 and body["next"]
    assert body["results"][0]["id"] == notes[-1].pk
    assert set(body["results"][0]) >= {"id", "title", "body", "url", "level", "created_at", "read_at", "is_read"}
    assert len(api(staff_user).get(body["next"]).json()["results"]) == 5


def test_unread_filter(staff_user):
    notes_for(staff_user, 2)
    notes_for(staff_user, 3, read_at=timezone.now())
    body = api(staff_user).get(NOTIFICATIONS, {"unread": "true"}).json()
    assert body["count"] == 2 and not any(row["is_read"] for row in body["results"])


@ROWS
def test_notifications_query_count(staff_user, django_assert_max_num_queries, rows):
    notes_for(staff_user, rows)
    client = api(staff_user)
    with django_assert_max_num_queries(3):  # token, count, page
        client.get(NOTIFICATIONS)


def test_mark_some_read(staff_user):
    first, second, third = notes_for(staff_user, 3)
    response = api(staff_user).post(MARK_READ, {"ids": [first.pk, second.pk]}, format="json")
    assert response.status_code == 200
    assert response.json() == {"marked": 2, "unread": 1}
    assert Notification.objects.get(pk=third.pk).read_at is None


def test_mark_read_leaves_other_peoples_rows_alone(staff_user, other_staff_user):
    theirs, = notes_for(other_staff_user, 1)
    mine, = notes_for(staff_user, 1)
    response = api(staff_user).post(MARK_READ, {"ids": [theirs.pk, mine.pk]}, format="json")
    assert response.json() == {"marked": 1, "unread": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read(staff_user, other_staff_user):
    notes_for(staff_user, 4)
    notes_for(other_staff_user, 2)
    response = api(staff_user).post(MARK_READ, {"all": True}, format="json")
    assert response.json() == {"marked": 4, "unread": 0}
    assert Notification.objects.filter(recipient=other_staff_user, read_at__isnull=True).count() == 2


def test_mark_read_needs_ids_or_all(staff_user):
    notes_for(staff_user, 1)
    response = api(staff_user).post(MARK_READ, {}, format="json")
    assert_error(response, 400, "invalid", "提交的数据不正确。")
    assert response.json()["details"] == ["请提供要标为已读的消息编号（ids），或以 all=true 标记全部。"]
    assert_error(api(staff_user).post(MARK_READ, {"ids": ["x"]}, format="json"), 400, "invalid", "提交的数据不正确。")
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_mark_read_query_count(staff_user, django_assert_max_num_queries):
    notes = notes_for(staff_user, 30)
    client = api(staff_user)
    with django_assert_max_num_queries(3):  # token, update, unread count
        client.post(MARK_READ, {"ids": [n.pk for n in notes]}, format="json")
