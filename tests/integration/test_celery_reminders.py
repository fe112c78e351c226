"""Reminders as they are delivered for real (domain.md §8): a Celery worker process
(prefork) takes the sweep task from a real broker and delivers the committed
Reminder rows of the test database. Requests never talk to the broker; the
sweep the beat sends every 60 s picks the rows up. conftest.py says which
broker runs."""
from __future__ import annotations

import datetime as dt
import time

import kombu.exceptions
import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from core.models import Role, User
from deadlines.models import Notification, OutboxEmail, Reminder
from deadlines.services import reminder_schedule
from deadlines.tasks import deliver_due_reminders, send_outbox_email
from decisions import services as decision_services
from decisions.models import Decision
from decisions.workflow import DecisionStatus
from tests import factories

from .processes import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "Test-Passw0rd!"


def _sent() -> int:
    return Reminder.objects.filter(sent_at__isnull=False).count()


def _pending() -> int:
    return Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True).count()


def _assert_each_sent_reminder_has_one_notification() -> None:
    sent = _sent()
    per_reminder = Notification.objects.filter(reminder__sent_at__isnull=False).values("reminder").annotate(n=Count("pk"))
    assert Notification.objects.count() == sent
    assert per_reminder.count() == sent
    assert {row["n"] for row in per_reminder} <= {1}
    assert not Notification.objects.exclude(recipient=F("reminder__recipient")).exists()


def _returned(log_line: str) -> str:
    return log_line.rsplit(": ", 1)[1]


def test_due_reminders_of_several_people_are_delivered_once_by_the_worker(start_worker, send):
    with_email = [factories.staff(email=f"person{n}@huzhou.gov.cn") for n in range(3)]
    without_email = factories.staff(email="")
    due_at = timezone.now() - dt.timedelta(minutes=1)
    for person in [*with_email, without_email]:
        for step in ("warn", "due"):
            reminder_schedule(subject=person, rule="integration", step=step, due_at=due_at, recipients=[person],
                              title=f"【测试提醒】{person.full_name}")
    worker = start_worker()

    task = send(deliver_due_reminders)
    wait_until(lambda: _sent() == 8, timeout=60, what="8 reminders sent")

    assert _returned(worker.wait_task(task)) == "8"
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    _assert_each_sent_reminder_has_one_notification()
    emails = {(e.idempotency_key, e.to_address) for e in OutboxEmail.objects.all()}
    assert emails == {(f"reminder:{r.pk}", r.recipient.email)
                      for r in Reminder.objects.select_related("recipient") if r.recipient in with_email}

    line = worker.wait_task(send(send_outbox_email))
    assert "'sent': 6" in line, line
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {OutboxEmail.Status.SENT}
    assert not OutboxEmail.objects.filter(sent_at__isnull=True).exists()

    # The next sweep finds nothing left to do.
    assert _returned(worker.wait_task(send(deliver_due_reminders))) == "0"
    assert Notification.objects.count() == 8


REMINDERS = 3000


def _mid_sweep() -> bool:
    counts = Reminder.objects.aggregate(sent=Count("pk", filter=Q(sent_at__isnull=False)),
                                        claimed=Count("pk", filter=Q(sent_at__isnull=True, attempts__gt=0)))
    return counts["sent"] > 0 and counts["claimed"] > 0


def test_a_worker_killed_mid_sweep_delivers_every_reminder_exactly_once_after_restart(start_worker, send, capsys):
    people = [factories.staff(email=f"bulk{n}@huzhou.gov.cn") for n in range(10)]
    user_type = ContentType.objects.get_for_model(User)
    due_at = timezone.now() - dt.timedelta(hours=1)
    Reminder.objects.bulk_create([
        Reminder(content_type=user_type, object_id=person.pk, rule="integration.bulk", step="due",
                 due_at=due_at + dt.timedelta(seconds=n), recipient=person, title=f"【测试提醒】第{n}条")
        for n in range(REMINDERS // len(people)) for person in people
    ])
    first = start_worker()
    send(deliver_due_reminders)
    # Kill while a batch is in flight: some reminders sent, the next batch claimed but not yet delivered.
    wait_until(_mid_sweep, timeout=30, interval=0.005, what="the worker mid-sweep")
    group = first.members()
    first.kill()  # SIGKILL to the process group: the worker and its prefork child, mid-sweep

    assert len(group) >= 2, f"expected the worker and its pool child, found {group}"
    sent_before = _sent()
    claimed_unsent = Reminder.objects.filter(sent_at__isnull=True, attempts__gt=0).count()
    with capsys.disabled():
        print(f"\n[SIGKILL] {REMINDERS} reminders; killed pids {group}; {sent_before} sent before the kill, "
              f"{claimed_unsent} claimed but not sent (their transaction rolled back)")
    assert 0 < sent_before < REMINDERS, "the worker finished before it could be killed: add reminders"
    assert Notification.objects.count() == sent_before

    second = start_worker()
    task = send(deliver_due_reminders)
    wait_until(lambda: _sent() == REMINDERS, timeout=60, what=f"all {REMINDERS} reminders sent")
    second.wait_task(task)

    _assert_each_sent_reminder_has_one_notification()
    assert OutboxEmail.objects.count() == REMINDERS
    assert Reminder.objects.filter(attempts=2).count() == claimed_unsent
    assert not Reminder.objects.filter(attempts__gt=2).exists()


def _decision_ready_for_legality_review(staff: User) -> Decision:
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff)
    for kind in decision.required_procedures:
        decision_services.decision_record_procedure(actor=staff, decision_id=decision.pk, kind=kind,
                                                    details=factories.PROCEDURE_DETAILS[kind],
                                                    files=[factories.pdf_file()])
    return decision


def test_a_submission_while_redis_is_down_succeeds_and_its_reminders_go_out_once_redis_is_back(
        broker, start_worker, send, client, capsys):
    if broker.server is None:
        pytest.skip(broker.why_no_outage)
    staff = factories.staff(username="staff_outage", email="staff@huzhou.gov.cn")
    factories.UserFactory(department=factories.department("hz-justice"), roles=[Role.REVIEWER, Role.HEAD],
                          email="review-head@huzhou.gov.cn")
    factories.office(email="office@huzhou.gov.cn")

    broker.server.stop()
    # The review clock starts on 11 May 2026; by the worker's (real) clock its reminders are due.
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        decision = _decision_ready_for_legality_review(staff)
        # through the login page, as a person signs in (the lockout check needs the request)
        signed_in = client.post(reverse("login"), {"username": "staff_outage", "password": PASSWORD})
        assert signed_in.status_code == 302, signed_in.content.decode()[:2000]
        response = client.post(reverse("decisions:submit-for-review", args=[decision.pk]), {"note": "材料齐全"})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.LEGALITY_REVIEW
    reminders = Reminder.objects.count()
    assert reminders > 0
    assert not Reminder.objects.filter(sent_at__isnull=False).exists()
    with capsys.disabled():
        steps = sorted(Reminder.objects.values_list("rule", "step").annotate(n=Count("pk")))
        print(f"\n[outage] submitted while Redis was down: HTTP {response.status_code}; reminders written: {steps}")

    # This process's Celery app points at the stopped server: the request above sent nothing,
    # and a task sent now fails at once.
    started = time.monotonic()
    with pytest.raises(kombu.exceptions.OperationalError):
        send(deliver_due_reminders)
    assert time.monotonic() - started < 10

    broker.server.start()
    worker = start_worker()
    task = send(deliver_due_reminders)
    wait_until(lambda: _pending() == 0, timeout=60, what=f"the {reminders} reminders settled")
    worker.wait_task(task)

    # Every step of the clock fell due during the outage: each person gets one notification,
    # the latest ("已逾期"); the earlier steps are withdrawn, not sent late.
    _assert_each_sent_reminder_has_one_notification()
    recipients = set(Reminder.objects.values_list("recipient", flat=True))
    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted(recipients)
    assert set(Reminder.objects.filter(sent_at__isnull=False).values_list("step", flat=True)) == {"overdue"}
    assert Reminder.objects.filter(cancelled_at__isnull=False).count() == reminders - len(recipients)
    assert _returned(worker.wait_task(send(deliver_due_reminders))) == "0"
    assert Notification.objects.count() == len(recipients)
