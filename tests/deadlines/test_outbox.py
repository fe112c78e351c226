"""The e-mail outbox: each message is sent once with its idempotency key; a mail
server that fails is retried with back-off, and a message that keeps failing is
parked until an administrator sends it again."""
import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from core.exceptions import InvalidState, NotPermitted
from core.models import AuditEvent
from deadlines import services
from deadlines.models import OutboxEmail, Reminder
from tests import factories
from tests.deadlines import service_support as support
from tests.deadlines.service_support import BROKEN_BACKEND, MAY_11

NOW = dt.datetime(2026, 5, 20, 9, 0, tzinfo=support.SHANGHAI)
MINUTE = dt.timedelta(minutes=1)
NOTHING = {"sent": 0, "failed": 0, "parked": 0}


@pytest.fixture
def email(db):
    someone = factories.staff("hz-drc", full_name="张三", email="zhangsan@huzhou.gov.cn")
    return OutboxEmail.objects.create(
        idempotency_key="reminder:4711", recipient=someone, to_address=someone.email,
        subject="[法治湖州] 【即将到期】合法性审查：湖州市公共政策决策事项", body="张三：\n\n请及时办理。",
        next_attempt_at=NOW)


def failing_until_parked(email: OutboxEmail) -> int:
    """Run the sweep each time the message is next due, until it is parked; returns the attempts."""
    sweeps = 0
    with override_settings(EMAIL_BACKEND=BROKEN_BACKEND):
        while email.status == OutboxEmail.Status.PENDING and sweeps < 20:
            services.outbox_send_due(now=email.next_attempt_at)
            email.refresh_from_db()
            sweeps += 1
    return sweeps


# ================================================================== sending
def test_a_pending_email_is_sent_with_its_idempotency_key(email):
    assert services.outbox_send_due(now=NOW) == {"sent": 1, "failed": 0, "parked": 0}

    [message] = mail.outbox
    assert (message.subject, message.to, message.body) == (email.subject, ["zhangsan@huzhou.gov.cn"], email.body)
    assert message.extra_headers["X-Idempotency-Key"] == "reminder:4711"
    assert message.extra_headers["Message-ID"] == "<reminder.4711@huzhou-rule>"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboxEmail.Status.SENT, 1, "")
    assert email.sent_at is not None


def test_a_sent_email_is_not_sent_again(email):
    services.outbox_send_due(now=NOW)
    assert services.outbox_send_due(now=NOW + dt.timedelta(days=1)) == NOTHING
    assert len(mail.outbox) == 1


def test_an_email_waits_for_its_moment(email):
    assert services.outbox_send_due(now=NOW - MINUTE) == NOTHING
    assert mail.outbox == []


def test_a_reminder_email_reaches_the_mail_server(db, staff_user):
    someone = factories.staff("hz-drc", full_name="张三", email="zhangsan@huzhou.gov.cn")
    support.make_policy()
    with support.registered_rule(), time_machine.travel(MAY_11, tick=False):
        support.start(staff_user)
    with time_machine.travel("2026-05-20 09:00 +0800", tick=False):
        services.reminders_deliver_due()
        assert services.outbox_send_due()["sent"] == 1

    [message] = mail.outbox
    reminder = Reminder.objects.get(recipient=someone, step="warn")
    assert message.to == ["zhangsan@huzhou.gov.cn"]
    assert message.subject == "[法治湖州] 【即将到期】测试期限：吴兴区人民政府"
    assert message.extra_headers["X-Idempotency-Key"] == f"reminder:{reminder.pk}"


# ================================================================== failures
@override_settings(EMAIL_BACKEND=BROKEN_BACKEND)
def test_a_failed_email_backs_off_and_keeps_the_error(email):
    assert services.outbox_send_due(now=NOW) == {"sent": 0, "failed": 1, "parked": 0}

    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_at) == (OutboxEmail.Status.PENDING, 1, None)
    assert email.next_attempt_at == NOW + 2 * MINUTE
    assert email.last_error == "SMTPServerDisconnected: 邮件服务器无响应"


@override_settings(EMAIL_BACKEND=BROKEN_BACKEND)
def test_a_failed_email_is_not_retried_before_its_back_off_has_passed(email):
    services.outbox_send_due(now=NOW)

    assert services.outbox_send_due(now=NOW + MINUTE) == NOTHING
    email.refresh_from_db()
    assert email.attempts == 1

    assert services.outbox_send_due(now=NOW + 2 * MINUTE)["failed"] == 1
    email.refresh_from_db()
    assert (email.attempts, email.next_attempt_at) == (2, NOW + 2 * MINUTE + 4 * MINUTE)


def test_an_email_that_succeeds_on_a_retry_is_sent_once(email):
    with override_settings(EMAIL_BACKEND=BROKEN_BACKEND):
        services.outbox_send_due(now=NOW)
    assert services.outbox_send_due(now=NOW + 2 * MINUTE)["sent"] == 1

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboxEmail.Status.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_an_email_is_parked_after_the_maximum_attempts_with_its_error(email):
    assert failing_until_parked(email) == services.EMAIL_MAX_ATTEMPTS

    assert (email.status, email.attempts) == (OutboxEmail.Status.PARKED, services.EMAIL_MAX_ATTEMPTS)
    assert email.last_error == "SMTPServerDisconnected: 邮件服务器无响应"
    assert email.sent_at is None


def test_a_parked_email_is_never_retried_by_the_sweep(email):
    failing_until_parked(email)

    assert services.outbox_send_due(now=NOW + dt.timedelta(days=30)) == NOTHING
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PARKED, services.EMAIL_MAX_ATTEMPTS)
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND=support.REFUSING_BACKEND)
def test_one_failing_email_does_not_hold_up_the_others(email):
    OutboxEmail.objects.filter(pk=email.pk).update(to_address=support.REFUSED_ADDRESS)
    other = OutboxEmail.objects.create(idempotency_key="reminder:4712", to_address="lisi@huzhou.gov.cn",
                                       subject="[法治湖州] 提醒", body="请及时办理。", next_attempt_at=NOW)

    assert services.outbox_send_due(now=NOW) == {"sent": 1, "failed": 1, "parked": 0}

    other.refresh_from_db()
    assert other.status == OutboxEmail.Status.SENT
    assert [message.to for message in mail.outbox] == [["lisi@huzhou.gov.cn"]]


# ================================================================== an administrator sends it again
def test_an_administrator_requeues_a_parked_email_and_it_is_sent(email):
    failing_until_parked(email)
    admin = support.admin()

    with time_machine.travel("2026-05-21 10:00 +0800", tick=False):
        retried = services.outbox_retry(actor=admin, email_id=email.pk)
        assert (retried.status, retried.attempts, retried.next_attempt_at) == (
            OutboxEmail.Status.PENDING, 0, timezone.now())
        assert services.outbox_send_due()["sent"] == 1

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(event_type="email")
    assert (event.action, event.actor, event.object_id) == ("email_retry", admin, str(email.pk))
    assert event.details == {"to": "zhangsan@huzhou.gov.cn", "key": "reminder:4711"}


@pytest.mark.parametrize("make_actor", [
    lambda: factories.office(), lambda: factories.supervisor(), lambda: factories.staff("hz-drc"),
], ids=["office", "supervisor", "staff"])
def test_only_an_administrator_may_requeue_a_parked_email(email, make_actor):
    failing_until_parked(email)

    with pytest.raises(NotPermitted) as error:
        services.outbox_retry(actor=make_actor(), email_id=email.pk)
    assert error.value.message == "只有系统管理员可以重发邮件。"
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PARKED


def test_an_email_that_is_not_parked_cannot_be_requeued(email):
    with pytest.raises(InvalidState) as error:
        services.outbox_retry(actor=support.admin(), email_id=email.pk)
    assert error.value.message == "只有发送失败已搁置的邮件可以重发。"
