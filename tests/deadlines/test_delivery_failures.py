"""Reminders and e-mails never stop silently: a batch that fails or kills its worker is split so
one bad row cannot block the others; a row at the attempt limit is parked with its error, logged,
shown to the administrators and can be sent again from the admin. And the outbox sends
continuously: measured against a real SMTP server (aiosmtpd) on loopback."""
from __future__ import annotations

import datetime as dt
import logging
import socket
import time

import pytest
from django.core import mail
from django.urls import reverse

from deadlines import services
from deadlines.models import Notification, OutboxEmail, Reminder
from tests import factories
from tests.deadlines import service_support as support

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 20, 9, 0, tzinfo=support.SHANGHAI)


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: not an Exception, so nothing in the sweep catches it."""


@pytest.fixture
def administrator(db):
    return support.admin(email="admin@huzhou.gov.cn")


@pytest.fixture
def reminders(db) -> list[Reminder]:
    people = [factories.staff("hz-drc", username=f"p{n}", email="") for n in range(5)]
    matter = support.subject()
    for n, person in enumerate(people):
        services.reminder_schedule(subject=matter, rule="test.split", step=f"s{n}", due_at=NOW, recipients=[person],
                                   title=f"提醒{n}" if n != 2 else "坏提醒")
    return list(Reminder.objects.order_by("pk"))


def _poison(monkeypatch, exception: BaseException) -> None:
    """Building the notification of the reminder titled 坏提醒 fails with ``exception``."""
    real = Notification.__init__

    def init(self, *args, **kwargs):
        if kwargs.get("title") == "坏提醒":
            raise exception
        real(self, *args, **kwargs)

    monkeypatch.setattr(Notification, "__init__", init)


def _sweep_until_quiet(limit: int = 20) -> int:
    crashes = 0
    for _n in range(limit):
        try:
            if services.reminders_deliver_due(now=NOW) == 0 and not Reminder.objects.filter(
                    sent_at__isnull=True, parked_at__isnull=True).exists():
                break
        except WorkerKilled:
            crashes += 1
    return crashes


# ---------------------------------------------------------------- reminders
def test_a_batch_with_one_failing_reminder_delivers_the_others(reminders, monkeypatch, caplog):
    _poison(monkeypatch, ValueError("模板渲染失败"))

    assert services.reminders_deliver_due(now=NOW) == 4

    bad = Reminder.objects.get(title="坏提醒")
    assert (bad.sent_at, bad.attempts, bad.last_error) == (None, 1, "ValueError: 模板渲染失败")
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 4
    assert "reminder %s could not be delivered" % bad.pk in caplog.text


def test_a_reminder_that_kills_its_worker_ends_parked_and_the_others_are_delivered(reminders, administrator,
                                                                                   monkeypatch, caplog):
    _poison(monkeypatch, WorkerKilled())
    caplog.set_level(logging.ERROR)

    crashes = _sweep_until_quiet()

    assert crashes == services.REMINDER_MAX_ATTEMPTS
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 4
    bad = Reminder.objects.get(title="坏提醒")
    assert (bad.sent_at, bad.attempts) == (None, services.REMINDER_MAX_ATTEMPTS)
    assert bad.parked_at is not None
    assert bad.last_error == "投递时工作进程异常退出（已尝试5次，未留下错误信息）"
    assert f"reminder {bad.pk} parked after 5 attempts" in caplog.text
    alert = Notification.objects.get(recipient=administrator)
    assert (alert.title, alert.level) == ("有1条期限提醒投递失败，已搁置", "danger")
    assert alert.url == "/admin/deadlines/reminder/?parked=yes"


def test_a_parked_reminder_is_never_retried_by_the_sweep(reminders, administrator, monkeypatch):
    _poison(monkeypatch, WorkerKilled())
    _sweep_until_quiet()
    monkeypatch.undo()

    assert services.reminders_deliver_due(now=NOW + dt.timedelta(days=1)) == 0


def test_the_admin_lists_parked_reminders_with_their_error_and_delivers_them_again(reminders, administrator,
                                                                                    monkeypatch, client):
    _poison(monkeypatch, WorkerKilled())
    _sweep_until_quiet()
    monkeypatch.undo()
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    changelist = reverse("admin:deadlines_reminder_changelist")
    bad = Reminder.objects.get(title="坏提醒")

    page = client.get(changelist + "?parked=yes").content.decode()
    assert "坏提醒" in page and "投递时工作进程异常退出" in page
    assert "提醒0" not in page

    client.post(changelist, {"action": "retry_parked", "_selected_action": [bad.pk]})
    bad.refresh_from_db()
    assert (bad.parked_at, bad.attempts, bad.last_error) == (None, 0, "")
    assert services.reminders_deliver_due(now=NOW) == 1
    bad.refresh_from_db()
    assert bad.sent_at == NOW


def test_only_an_administrator_may_deliver_a_parked_reminder_again(reminders, monkeypatch):
    _poison(monkeypatch, WorkerKilled())
    _sweep_until_quiet()
    bad = Reminder.objects.get(title="坏提醒")

    with pytest.raises(services.NotPermitted, match="只有系统管理员可以重新投递提醒。"):
        services.reminder_retry(actor=factories.office(), reminder_id=bad.pk)


# ---------------------------------------------------------------- e-mail
@pytest.fixture
def emails(db) -> list[OutboxEmail]:
    return [OutboxEmail.objects.create(idempotency_key=f"test:{n}", to_address=f"p{n}@huzhou.gov.cn",
                                       subject="坏邮件" if n == 1 else f"邮件{n}", body="请及时办理。",
                                       next_attempt_at=NOW) for n in range(4)]


def test_an_email_that_kills_its_worker_is_parked_and_the_others_are_sent(emails, administrator, monkeypatch):
    from django.core.mail import EmailMessage

    real_send = EmailMessage.send

    def send(self, *args, **kwargs):
        if self.subject == "坏邮件":
            raise WorkerKilled
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send)
    moment, crashes = NOW, 0
    for _n in range(30):
        try:
            services.outbox_send_due(now=moment)
        except WorkerKilled:
            crashes += 1
        moment += services.EMAIL_LEASE  # the next sweep after the dead worker's lease ran out
        if not OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).exists():
            break

    assert crashes == services.EMAIL_MAX_ATTEMPTS
    assert sorted(message.subject for message in mail.outbox) == ["邮件0", "邮件2", "邮件3"]
    bad = OutboxEmail.objects.get(subject="坏邮件")
    assert (bad.status, bad.attempts) == (OutboxEmail.Status.PARKED, services.EMAIL_MAX_ATTEMPTS)
    assert bad.last_error == "发送时工作进程异常退出（已尝试6次，未留下错误信息）"
    assert Notification.objects.get(recipient=administrator).title == "有邮件发送失败，已搁置：坏邮件"


def test_the_outbox_sends_everything_due_in_one_sweep(db):
    OutboxEmail.objects.bulk_create([
        OutboxEmail(idempotency_key=f"bulk:{n}", to_address=f"p{n}@huzhou.gov.cn", subject=f"邮件{n}", body="正文",
                    next_attempt_at=NOW) for n in range(120)])

    assert services.outbox_send_due(now=NOW) == {"sent": 120, "failed": 0, "parked": 0}
    assert len(mail.outbox) == 120


# ---------------------------------------------------------------- throughput against a real SMTP server
@pytest.fixture
def smtp_sink():
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.received: list[str] = []

        async def handle_DATA(self, server, session, envelope):
            self.received.append(envelope.rcpt_tos[0])
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def test_the_outbox_sends_over_a_thousand_emails_a_minute_to_a_real_smtp_server(db, smtp_sink, settings, capsys):
    handler, port = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    count = 500
    OutboxEmail.objects.bulk_create([
        OutboxEmail(idempotency_key=f"rate:{n}", to_address=f"p{n}@huzhou.gov.cn", subject=f"[法治湖州] 提醒{n}",
                    body="张三：\n\n请及时办理。", next_attempt_at=NOW) for n in range(count)])

    started = time.monotonic()
    result = services.outbox_send_due(now=NOW)
    elapsed = time.monotonic() - started

    per_minute = count / elapsed * 60
    with capsys.disabled():
        print(f"\noutbox → aiosmtpd: {count} e-mails in {elapsed:.2f} s = {per_minute:,.0f} per minute")
    assert result == {"sent": count, "failed": 0, "parked": 0}
    assert sorted(handler.received) == sorted(f"p{n}@huzhou.gov.cn" for n in range(count))
    assert per_minute > 1000
