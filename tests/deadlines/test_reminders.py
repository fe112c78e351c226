"""Reminders, notifications and the e-mails they cause: one reminder row per step,
moment and person; delivery exactly once, also with two sweepers at the same
moment; each person's choice of e-mail (each reminder, a daily digest, none); the
daily jobs that warn administrators about next year's holiday calendar.

The test clock (10 working days from Monday 11 May 2026) warns on 20 May, is due
on 25 May and overdue on 26 May; reminders go out at 09:00 Huzhou time.
"""
import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from core.models import CalendarYear
from deadlines import annual, services
from deadlines.models import Notification, NotificationPreference, OutboxEmail, Reminder
from tests import factories
from tests.deadlines import service_support as support
from tests.deadlines.service_support import MAY_11, RULE, at_nine, pending, start

D = dt.date
MODE = NotificationPreference.EmailMode
WARN_DAY, DUE_DAY, OVERDUE_DAY = "2026-05-20 09:00 +0800", "2026-05-25 09:00 +0800", "2026-05-26 09:00 +0800"


@pytest.fixture
def rule(db):
    support.make_policy(length=10, warn_before=3)
    with support.registered_rule() as registered:
        yield registered


@pytest.fixture
def colleague(db):
    return factories.staff("hz-drc", full_name="李四")


@pytest.fixture
def clock(rule, staff_user):
    with time_machine.travel(MAY_11, tick=False):
        return start(staff_user)


def person(mode: str | None, name: str = "张三", email: str = "zhangsan@huzhou.gov.cn"):
    """A member of the responsible department (hz-drc) who chose ``mode`` (None: never chose)."""
    user = factories.staff("hz-drc", full_name=name, email=email)
    if mode is not None:
        services.preference_update(actor=user, email_mode=mode)
    return user


def deliver_at(moment: str) -> int:
    with time_machine.travel(moment, tick=False):
        return services.reminders_deliver_due()


# ================================================================== scheduling
def test_a_clock_reminds_each_responsible_person_at_nine_on_its_warning_due_and_overdue_days(
        rule, staff_user, colleague):
    with time_machine.travel(MAY_11, tick=False):
        clock = start(staff_user)

    moments = {"warn": D(2026, 5, 20), "due": D(2026, 5, 25), "overdue": D(2026, 5, 26)}
    assert set(Reminder.objects.values_list("step", "due_at", "recipient")) == {
        (step, at_nine(day), someone.pk) for step, day in moments.items() for someone in (staff_user, colleague)}
    assert Reminder.objects.count() == 6
    warning = Reminder.objects.get(step="warn", recipient=staff_user)
    assert (warning.clock, warning.rule, warning.object_id, warning.sent_at, warning.cancelled_at) == (
        clock, RULE, support.subject().pk, None, None)
    assert warning.title == "【即将到期】测试期限：吴兴区人民政府"
    assert warning.body == "测试期限：吴兴区人民政府，到期日2026年5月25日（星期一）24时（《湖州市测试办法》第十条）。"
    assert warning.url == f"/test-subjects/{support.subject().pk}/"
    assert Reminder.objects.get(step="overdue", recipient=staff_user).title == "【已逾期】测试期限：吴兴区人民政府"


def test_a_clock_with_a_fixed_due_date_and_no_warning_reminds_on_the_due_and_overdue_days(staff_user):
    with support.registered_rule(support.FIXED_RULE, policy=None), time_machine.travel(MAY_11, tick=False):
        clock = start(staff_user, rule=support.FIXED_RULE, fixed_due_on=D(2026, 6, 30))

    assert sorted((r.step, r.due_at) for r in pending(clock)) == [
        ("due", at_nine(D(2026, 6, 30))), ("overdue", at_nine(D(2026, 7, 1)))]


def test_syncing_reminders_twice_creates_nothing_new(clock):
    before = sorted(pending(clock).values_list("pk", flat=True))
    with time_machine.travel(MAY_11, tick=False):
        services.reminders_sync(clock)
        services.reminders_sync(clock)

    assert sorted(pending(clock).values_list("pk", flat=True)) == before
    assert Reminder.objects.count() == 3


def test_a_reassigned_clock_reminds_the_new_person_instead(clock, staff_user, reviewer_user):
    with time_machine.travel("2026-05-12 10:00 +0800", tick=False):
        services.clock_reassign(subject=support.subject(), rule=RULE, assignee=reviewer_user)

    clock.refresh_from_db()
    assert clock.assignee == reviewer_user
    assert {(r.step, r.recipient) for r in pending(clock)} == {
        ("warn", reviewer_user), ("due", reviewer_user), ("overdue", reviewer_user)}
    assert Reminder.objects.filter(recipient=staff_user, cancelled_at__isnull=False).count() == 3


def test_moments_on_days_already_past_are_not_scheduled(rule, staff_user):
    # Started on 11 May but recorded on 21 May: the warning day (20 May) has passed.
    with time_machine.travel("2026-05-21 10:00 +0800", tick=False):
        clock = start(staff_user, started_on=D(2026, 5, 11))

    assert clock.due_on == D(2026, 5, 25)
    assert sorted(Reminder.objects.values_list("step", flat=True)) == ["due", "overdue"]


def test_a_clock_already_overdue_by_more_than_a_day_schedules_nothing(rule, staff_user):
    with time_machine.travel("2026-05-27 10:00 +0800", tick=False):
        start(staff_user, started_on=D(2026, 5, 11))

    assert not Reminder.objects.exists()


# ================================================================== delivery
def test_a_due_reminder_becomes_a_notification_in_the_persons_message_centre(clock, staff_user):
    assert deliver_at(WARN_DAY) == 1

    reminder = Reminder.objects.get(step="warn")
    note = Notification.objects.get()
    assert (note.recipient, note.reminder, note.level, note.read_at) == (staff_user, reminder, "warning", None)
    assert (note.title, note.body, note.url) == (reminder.title, reminder.body, reminder.url)
    assert reminder.sent_at == at_nine(D(2026, 5, 20))


def test_a_reminder_is_delivered_once_however_often_the_sweep_runs(clock):
    assert deliver_at(WARN_DAY) == 1
    assert deliver_at(WARN_DAY) == 0
    assert deliver_at("2026-05-20 15:00 +0800") == 0
    assert Notification.objects.count() == 1


def test_reminders_are_not_delivered_before_their_moment(clock):
    assert deliver_at("2026-05-20 08:59 +0800") == 0
    assert deliver_at(WARN_DAY) == 1
    assert not Notification.objects.filter(reminder__step__in=["due", "overdue"]).exists()
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 2


def test_an_overdue_reminder_is_marked_as_danger(clock):
    assert [deliver_at(WARN_DAY), deliver_at(DUE_DAY), deliver_at(OVERDUE_DAY)] == [1, 1, 1]
    assert dict(Notification.objects.values_list("reminder__step", "level")) == {
        "warn": "warning", "due": "warning", "overdue": "danger"}


def test_cancelled_reminders_are_not_delivered(clock, staff_user):
    with time_machine.travel("2026-05-12 10:00 +0800", tick=False):
        services.clock_stop(subject=support.subject(), rule=RULE, actor=staff_user)

    assert deliver_at(OVERDUE_DAY) == 0
    assert not Notification.objects.exists()


def test_a_reminder_claimed_the_maximum_number_of_times_is_set_aside(clock):
    Reminder.objects.filter(step="warn").update(attempts=services.REMINDER_MAX_ATTEMPTS)
    Reminder.objects.filter(step="due").update(attempts=services.REMINDER_MAX_ATTEMPTS - 1)

    assert deliver_at(DUE_DAY) == 1
    warning = Reminder.objects.get(step="warn")
    assert (warning.sent_at, warning.attempts) == (None, services.REMINDER_MAX_ATTEMPTS)
    assert Notification.objects.get().reminder.step == "due"


#: Real commits, so that each sweeper thread with its own connection sees the reminders; the
#: reference rows come back after the flush through serialized rollback.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@committed
def test_two_sweepers_at_the_same_moment_never_deliver_one_reminder_twice():
    people = [factories.staff("hz-drc", email=f"sweep{n}@huzhou.gov.cn") for n in range(3)]
    matter = support.subject()
    due_at = timezone.now() - dt.timedelta(minutes=5)
    for n in range(20):
        services.reminder_schedule(subject=matter, rule="test.sweep", step=f"step-{n}", due_at=due_at,
                                   recipients=people, title=f"提醒{n}")
    barrier = threading.Barrier(2)
    delivered = [0, 0]
    failures = []

    def sweeper(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            while True:
                count = services.reminders_deliver_due(batch=4)
                delivered[index] += count
                if not count:
                    return
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert Reminder.objects.count() == 60
    assert Notification.objects.count() == sum(delivered) == 60
    assert Notification.objects.values("reminder").distinct().count() == 60
    assert OutboxEmail.objects.count() == 60
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()


# ================================================================== e-mail choices
def test_a_person_who_never_chose_gets_one_email_per_reminder(rule, staff_user):
    someone = person(None)
    with time_machine.travel(MAY_11, tick=False):
        start(staff_user)

    deliver_at(WARN_DAY)
    reminder = Reminder.objects.get(recipient=someone, step="warn")
    email = OutboxEmail.objects.get()
    assert (email.idempotency_key, email.recipient, email.to_address, email.status) == (
        f"reminder:{reminder.pk}", someone, "zhangsan@huzhou.gov.cn", OutboxEmail.Status.PENDING)
    assert email.next_attempt_at == at_nine(D(2026, 5, 20))


def test_each_mode_gives_one_email_per_reminder(rule, staff_user):
    someone = person(MODE.EACH)
    with time_machine.travel(MAY_11, tick=False):
        start(staff_user)

    for moment in (WARN_DAY, DUE_DAY, OVERDUE_DAY):
        deliver_at(moment)
    reminders = Reminder.objects.filter(recipient=someone)
    assert sorted(OutboxEmail.objects.values_list("idempotency_key", flat=True)) == sorted(
        f"reminder:{pk}" for pk in reminders.values_list("pk", flat=True))
    assert OutboxEmail.objects.count() == 3


def test_digest_and_none_modes_get_no_email_per_reminder(rule, staff_user):
    person(MODE.DIGEST, "王五", "wangwu@huzhou.gov.cn")
    person(MODE.NONE, "赵六", "zhaoliu@huzhou.gov.cn")
    with time_machine.travel(MAY_11, tick=False):
        start(staff_user)

    assert deliver_at(WARN_DAY) == 3
    assert Notification.objects.count() == 3
    assert not OutboxEmail.objects.exists()


def test_a_person_without_an_address_gets_no_email(clock, staff_user):
    assert staff_user.email == ""
    deliver_at(WARN_DAY)
    assert Notification.objects.count() == 1
    assert not OutboxEmail.objects.exists()


def test_a_reminder_email_names_the_person_the_matter_the_due_date_and_the_link(rule, staff_user, settings):
    settings.SITE_URL = "https://fzhz.huzhou.gov.cn/"
    person(MODE.EACH)
    with time_machine.travel(MAY_11, tick=False):
        start(staff_user)

    deliver_at(WARN_DAY)
    email = OutboxEmail.objects.get()
    assert email.subject == "[法治湖州] 【即将到期】测试期限：吴兴区人民政府"
    lines = email.body.splitlines()
    assert lines[0] == "张三："
    assert "【即将到期】测试期限：吴兴区人民政府" in lines
    assert "到期日2026年5月25日（星期一）24时" in email.body
    assert f"办理入口：https://fzhz.huzhou.gov.cn/test-subjects/{support.subject().pk}/" in lines


# ================================================================== the daily digest
def test_the_daily_digest_gathers_every_undigested_notification_of_a_person(rule, staff_user, settings):
    settings.SITE_URL = "https://fzhz.huzhou.gov.cn"
    reader = person(MODE.DIGEST, "王五", "wangwu@huzhou.gov.cn")
    with time_machine.travel(MAY_11, tick=False):
        start(staff_user)
    deliver_at(WARN_DAY)
    services.notify(recipients=[reader], title="【通知】请参加依法行政培训", body="5月22日下午2时，市政府3号楼。",
                    url="/notices/7/")

    with time_machine.travel("2026-05-21 08:00 +0800", tick=False):
        assert services.digests_build() == 1

    email = OutboxEmail.objects.get()
    assert (email.idempotency_key, email.recipient, email.to_address) == (
        f"digest:{reader.pk}:2026-05-21", reader, "wangwu@huzhou.gov.cn")
    assert email.subject == "[法治湖州] 2026-05-21 期限提醒汇总（2条）"
    assert email.body.startswith("王五：\n\n您有2条新的期限提醒和消息：")
    assert "1. 【即将到期】测试期限：吴兴区人民政府" in email.body
    assert "2. 【通知】请参加依法行政培训" in email.body
    assert f"https://fzhz.huzhou.gov.cn/test-subjects/{support.subject().pk}/" in email.body
    assert "https://fzhz.huzhou.gov.cn/notices/7/" in email.body
    assert not Notification.objects.filter(recipient=reader, digested_at__isnull=True).exists()


def test_the_digest_is_built_once_a_day(rule, staff_user):
    person(MODE.DIGEST, "王五", "wangwu@huzhou.gov.cn")
    with time_machine.travel(MAY_11, tick=False):
        start(staff_user)
    deliver_at(WARN_DAY)

    with time_machine.travel("2026-05-21 08:00 +0800", tick=False):
        assert services.digests_build() == 1
        assert services.digests_build() == 0
    assert OutboxEmail.objects.count() == 1


def test_a_notification_arriving_after_the_days_digest_goes_into_the_next_one(db):
    reader = person(MODE.DIGEST, "王五", "wangwu@huzhou.gov.cn")
    with time_machine.travel("2026-05-21 07:00 +0800", tick=False):
        services.notify(recipients=[reader], title="第一条消息")
    with time_machine.travel("2026-05-21 08:00 +0800", tick=False):
        services.digests_build()
    with time_machine.travel("2026-05-21 09:00 +0800", tick=False):
        services.notify(recipients=[reader], title="第二条消息")
        assert services.digests_build() == 0  # the beat ran again the same day

    with time_machine.travel("2026-05-22 08:00 +0800", tick=False):
        assert services.digests_build() == 1
    tomorrow = OutboxEmail.objects.get(idempotency_key=f"digest:{reader.pk}:2026-05-22")
    assert "第二条消息" in tomorrow.body
    assert "第一条消息" not in tomorrow.body


def test_switching_to_the_digest_does_not_send_earlier_messages_again(db):
    reader = person(MODE.EACH, "王五", "wangwu@huzhou.gov.cn")
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        services.notify(recipients=[reader], title="切换前的消息")
        services.preference_update(actor=reader, email_mode=MODE.DIGEST)
        services.notify(recipients=[reader], title="切换后的消息")

    with time_machine.travel("2026-05-21 08:00 +0800", tick=False):
        assert services.digests_build() == 1
    body = OutboxEmail.objects.get().body
    assert "切换后的消息" in body
    assert "切换前的消息" not in body


def test_people_who_chose_each_or_none_get_no_digest(db):
    each, none = person(MODE.EACH), person(MODE.NONE, "赵六", "zhaoliu@huzhou.gov.cn")
    services.notify(recipients=[each, none], title="【通知】系统维护")

    assert services.digests_build(today=D(2026, 5, 21)) == 0
    assert not OutboxEmail.objects.exists()


# ================================================================== notifications
def test_notify_puts_one_message_in_each_recipients_centre(staff_user, colleague):
    assert services.notify(recipients=[staff_user, colleague], title="【通知】系统维护", body="今晚22时起停机一小时。",
                           url="/help/") == 2

    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient, n.title, n.body, n.url, n.level, n.reminder) for n in rows] == [
        (someone, "【通知】系统维护", "今晚22时起停机一小时。", "/help/", "info", None)
        for someone in sorted([staff_user, colleague], key=lambda u: u.pk)]


def test_marking_all_read_touches_only_the_actors_own_messages(staff_user, colleague):
    services.notify(recipients=[staff_user, staff_user, colleague], title="消息")

    assert services.notifications_mark_read(actor=staff_user) == 2
    assert not Notification.objects.filter(recipient=staff_user, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=colleague).read_at is None


def test_marking_someone_elses_message_read_changes_nothing(staff_user, colleague):
    services.notify(recipients=[staff_user, colleague], title="消息")
    theirs = Notification.objects.get(recipient=colleague)
    mine = Notification.objects.get(recipient=staff_user)

    assert services.notifications_mark_read(actor=staff_user, ids=[theirs.pk, mine.pk]) == 1
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert (theirs.read_at, mine.read_at is not None) == (None, True)


# ================================================================== the daily jobs: next year's calendar
@pytest.fixture
def administrators(db):
    return [support.admin(username="admin1"), support.admin(username="admin2")]


def calendar_warnings():
    return Reminder.objects.filter(rule="R24")


def run_daily(day: str) -> dict:
    with time_machine.travel(f"{day} 00:05 +0800", tick=False):
        return annual.run_daily()


def test_no_calendar_warning_before_the_first_of_december(administrators):
    assert run_daily("2026-11-30")["calendar_warning"] == 0
    assert not calendar_warnings().exists()


def test_from_the_first_of_december_each_administrator_is_warned_that_next_year_is_missing(administrators,
                                                                                           staff_user):
    assert run_daily("2026-12-01")["calendar_warning"] == 2

    assert {(r.recipient, r.object_id, r.step, r.due_at) for r in calendar_warnings()} == {
        (admin, admin.pk, "calendar-2027", dt.datetime(2026, 12, 1, 8, tzinfo=support.SHANGHAI))
        for admin in administrators}
    warning = calendar_warnings().first()
    assert warning.title == "【工作日历】2027年节假日安排尚未载入"
    assert warning.url == "/work/calendar/"
    assert not calendar_warnings().filter(recipient=staff_user).exists()


def test_the_calendar_warning_is_given_once_a_day(administrators):
    run_daily("2026-12-01")
    assert run_daily("2026-12-01")["calendar_warning"] == 0
    assert calendar_warnings().count() == 2

    assert run_daily("2026-12-02")["calendar_warning"] == 2
    assert calendar_warnings().count() == 4


def test_no_calendar_warning_once_next_year_is_loaded(administrators):
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕1号")

    assert run_daily("2026-12-01")["calendar_warning"] == 0
    assert not calendar_warnings().exists()


def test_a_calendar_warning_is_delivered_to_the_administrator(administrators):
    run_daily("2026-12-01")

    assert deliver_at("2026-12-01 08:00 +0800") == 2
    assert {n.recipient for n in Notification.objects.all()} == set(administrators)
    assert {n.level for n in Notification.objects.all()} == {"warning"}


def test_administrators_are_those_holding_the_role(administrators, staff_user):
    inactive = support.admin(username="admin_gone", is_active=False)
    assert list(services.administrators()) == administrators
    assert inactive not in services.administrators()


def test_after_an_outage_only_the_latest_due_step_of_a_clock_is_sent(clock, staff_user):
    """Warning, due-day and overdue reminders all due at once (the sweep was down): one message, the latest."""
    delivered = deliver_at("2026-05-28 09:00 +0800")

    notes = Notification.objects.filter(recipient=staff_user)
    assert delivered == 1
    assert [n.title[:5] for n in notes] == ["【已逾期】"]
    assert Reminder.objects.filter(clock=clock, recipient=staff_user, cancelled_at__isnull=False).count() == 2
