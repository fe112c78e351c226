"""Legal clocks as the services run them: the policy a clock copies, one open clock
per matter and rule, stopping, pausing and resuming, the one extension, the audit
trail of every change, and a clock waiting for next year's holiday calendar.

The test rule counts 10 working days with a warning 3 working days before: a
clock started on Monday 11 May 2026 is due on Monday 25 May (warning Wednesday 20 May).
"""
import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from core.exceptions import Conflict, DomainError, InvalidState, NotPermitted
from core.models import AuditEvent
from deadlines import services
from deadlines.models import ClockPause, LegalClock
from tests import factories
from tests.deadlines import service_support as support
from tests.deadlines.service_support import MAY_11, RULE, at_nine, pending, start

S = LegalClock.Status
D = dt.date

PAUSE_DATE = "中止日期应在起算日期之后、且不晚于今天。"
RESUME_DATE = "恢复日期应不早于中止日期、且不晚于今天。"
EXTEND_APPROVER = "延长期限须由责任单位负责人或政府办批准。"


@pytest.fixture
def policy(db):
    return support.make_policy(length=10, warn_before=3)


@pytest.fixture
def rule(policy):
    with support.registered_rule() as registered:
        yield registered


@pytest.fixture
def fixed_rule(db):
    with support.registered_rule(support.FIXED_RULE, policy=None) as registered:
        yield registered


@pytest.fixture
def clock(rule, staff_user):
    with time_machine.travel(MAY_11, tick=False):
        return start(staff_user)


@pytest.fixture
def department_head(db):
    return support.head("hz-drc", full_name="发改委主任")


def pause(clock, actor, on, *, reason_kind=ClockPause.Reason.SUPPLEMENT, reason="申请人补正材料"):
    return services.clock_pause(clock_id=clock.pk, actor=actor, paused_on=on, reason_kind=reason_kind, reason=reason)


def clock_events(clock, action):
    return AuditEvent.objects.filter(event_type="clock", action=action, details__clock=clock.pk)


# ================================================================== the policy a clock copies
def test_a_clock_copies_the_policy_version_in_force_on_its_start_date(rule, policy, staff_user):
    newer = support.make_policy(length=5, warn_before=1, effective_from=D(2026, 6, 1))
    with time_machine.travel("2026-06-02 10:00 +0800", tick=False):
        before_change = start(staff_user, support.subject("wuxing"), started_on=D(2026, 5, 29))
        after_change = start(staff_user, support.subject("nanxun"), started_on=D(2026, 6, 1))

    # Fri 5-29 + 10 working days = Fri 6-12; Mon 6-1 + 5 working days = Mon 6-8.
    assert (before_change.policy, before_change.length, before_change.due_on) == (policy, 10, D(2026, 6, 12))
    assert (after_change.policy, after_change.length, after_change.due_on) == (newer, 5, D(2026, 6, 8))
    assert (after_change.unit, after_change.kind, after_change.warn_before, after_change.source) == (
        newer.unit, newer.kind, 1, support.SOURCE)


def test_a_changed_policy_applies_to_new_clocks_only(rule, policy, staff_user):
    with time_machine.travel(MAY_11, tick=False):
        running = start(staff_user, support.subject("wuxing"))
        policy.length = 20
        services.policy_save(actor=support.admin(), policy=policy)
        new = start(staff_user, support.subject("nanxun"))

    running.refresh_from_db()
    assert (running.length, running.due_on) == (10, D(2026, 5, 25))
    assert (new.length, new.due_on) == (20, D(2026, 6, 8))


def test_recomputing_clocks_keeps_the_length_each_running_clock_copied(rule, policy, staff_user):
    with time_machine.travel(MAY_11, tick=False):
        running = start(staff_user)
        policy.length = 20
        services.policy_save(actor=support.admin(), policy=policy)
        assert services.clocks_recompute(actor=None, reason="工作日历变更") == 0

    running.refresh_from_db()
    assert (running.length, running.due_on) == (10, D(2026, 5, 25))


# ================================================================== one open clock per matter and rule
def test_starting_a_clock_again_cancels_the_open_one_and_records_why(rule, staff_user):
    matter = support.subject()
    with time_machine.travel(MAY_11, tick=False) as traveller:
        first = start(staff_user, matter)
        traveller.move_to("2026-05-13 10:00 +0800")
        second = start(staff_user, matter)

    first.refresh_from_db()
    assert (first.status, first.ended_on, first.ended_note) == (S.CANCELLED, D(2026, 5, 13), "重新起算")
    assert list(LegalClock.objects.filter(status__in=[S.RUNNING, S.PAUSED])) == [second]
    assert (second.started_on, second.due_on) == (D(2026, 5, 13), D(2026, 5, 27))
    assert not pending(first).exists()
    assert pending(second).count() == 3
    event = clock_events(first, "clock_cancelled").get()
    assert (event.object_type, event.object_id, event.reason, event.actor) == (
        "core.department", str(matter.pk), "重新起算", staff_user)


def test_the_database_refuses_a_second_open_clock_for_the_same_matter_and_rule(clock):
    duplicate = LegalClock(content_type=clock.content_type, object_id=clock.object_id, rule=clock.rule,
                           label="重复的期限", length=10, unit=clock.unit, kind=clock.kind, source=clock.source,
                           started_on=clock.started_on)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_clock_of_another_rule_for_the_same_matter_runs_alongside(clock, staff_user, fixed_rule):
    with time_machine.travel(MAY_11, tick=False):
        other = start(staff_user, rule=support.FIXED_RULE, fixed_due_on=D(2026, 6, 30))

    clock.refresh_from_db()
    assert (clock.status, other.status, other.due_on) == (S.RUNNING, S.RUNNING, D(2026, 6, 30))


def test_a_person_can_be_the_matter_a_clock_runs_for(rule, staff_user, other_staff_user):
    with time_machine.travel(MAY_11, tick=False):
        clock = start(staff_user, other_staff_user)

    assert (clock.subject, clock.label, clock.due_on) == (other_staff_user, f"测试期限：{other_staff_user}",
                                                         D(2026, 5, 25))
    assert {r.recipient for r in pending(clock)} == {staff_user}
    assert clock_events(clock, "clock_start").get().object_type == "core.user"


# ================================================================== stopping
def test_stopping_a_clock_ends_it_and_cancels_its_pending_reminders(clock, staff_user):
    assert pending(clock).count() == 3
    with time_machine.travel("2026-05-15 10:00 +0800", tick=False):
        stopped = services.clock_stop(subject=support.subject(), rule=RULE, actor=staff_user, note="已按期办结")

    clock.refresh_from_db()
    assert stopped.pk == clock.pk
    assert (clock.status, clock.ended_on, clock.ended_note, clock.due_on) == (
        S.STOPPED, D(2026, 5, 15), "已按期办结", D(2026, 5, 25))
    assert not pending(clock).exists()
    event = clock_events(clock, "clock_stopped").get()
    assert (event.reason, event.details["due_on"], event.actor) == ("已按期办结", "2026-05-25", staff_user)


def test_stopping_when_no_clock_is_open_does_nothing(rule, staff_user):
    with time_machine.travel(MAY_11, tick=False):
        assert services.clock_stop(subject=support.subject(), rule=RULE, actor=staff_user) is None
    assert not AuditEvent.objects.filter(event_type="clock").exists()


# ================================================================== pausing and resuming
def test_pausing_a_clock_clears_its_due_date_and_cancels_its_reminders(clock, staff_user):
    with time_machine.travel(MAY_11, tick=False):
        paused = pause(clock, staff_user, D(2026, 5, 11))

    paused.refresh_from_db()
    assert (paused.status, paused.due_on, paused.warn_on) == (S.PAUSED, None, None)
    assert not pending(paused).exists()
    record = paused.pauses.get()
    assert (record.paused_on, record.resumed_on, record.reason_kind, record.paused_by) == (
        D(2026, 5, 11), None, ClockPause.Reason.SUPPLEMENT, staff_user)


def test_resuming_moves_the_due_date_by_the_paused_days_and_reschedules_reminders(clock, staff_user):
    with time_machine.travel("2026-05-13 10:00 +0800", tick=False) as traveller:
        pause(clock, staff_user, D(2026, 5, 13))
        traveller.move_to("2026-05-18 10:00 +0800")
        resumed = services.clock_resume(clock_id=clock.pk, actor=staff_user, resumed_on=D(2026, 5, 18))

    # 14, 15 and 18 May (three working days) do not count: Mon 5-25 becomes Thu 5-28.
    resumed.refresh_from_db()
    assert (resumed.status, resumed.due_on, resumed.warn_on) == (S.RUNNING, D(2026, 5, 28), D(2026, 5, 25))
    assert resumed.pauses.get().resumed_on == D(2026, 5, 18)
    assert sorted((r.step, r.due_at) for r in pending(resumed)) == [
        ("due", at_nine(D(2026, 5, 28))), ("overdue", at_nine(D(2026, 5, 29))), ("warn", at_nine(D(2026, 5, 25)))]


def test_the_office_may_pause_a_clock_of_any_department(clock, office_user):
    with time_machine.travel(MAY_11, tick=False):
        assert pause(clock, office_user, D(2026, 5, 11)).status == S.PAUSED


def test_staff_of_another_department_may_not_pause_a_clock(clock, other_staff_user):
    with time_machine.travel(MAY_11, tick=False), pytest.raises(NotPermitted) as error:
        pause(clock, other_staff_user, D(2026, 5, 11))
    assert error.value.message == "无权中止该期限。"
    assert not ClockPause.objects.exists()


def test_staff_of_another_department_may_not_resume_a_clock(clock, staff_user, other_staff_user):
    with time_machine.travel(MAY_11, tick=False):
        pause(clock, staff_user, D(2026, 5, 11))
        with pytest.raises(NotPermitted) as error:
            services.clock_resume(clock_id=clock.pk, actor=other_staff_user, resumed_on=D(2026, 5, 11))
    assert error.value.message == "无权恢复该期限。"


@pytest.mark.parametrize("paused_on", [D(2026, 5, 10), D(2026, 5, 12)], ids=["before-the-start", "tomorrow"])
def test_a_pause_dated_before_the_start_or_after_today_is_refused(clock, staff_user, paused_on):
    with time_machine.travel(MAY_11, tick=False), pytest.raises(DomainError) as error:
        pause(clock, staff_user, paused_on)
    assert (error.value.code, error.value.message) == ("invalid_date", PAUSE_DATE)
    clock.refresh_from_db()
    assert (clock.status, clock.due_on) == (S.RUNNING, D(2026, 5, 25))


@pytest.mark.parametrize("resumed_on", [D(2026, 5, 12), D(2026, 5, 16)], ids=["before-the-pause", "tomorrow"])
def test_a_resumption_dated_before_the_pause_or_after_today_is_refused(clock, staff_user, resumed_on):
    with time_machine.travel("2026-05-13 10:00 +0800", tick=False) as traveller:
        pause(clock, staff_user, D(2026, 5, 13))
        traveller.move_to("2026-05-15 10:00 +0800")
        with pytest.raises(DomainError) as error:
            services.clock_resume(clock_id=clock.pk, actor=staff_user, resumed_on=resumed_on)
    assert (error.value.code, error.value.message) == ("invalid_date", RESUME_DATE)
    clock.refresh_from_db()
    assert (clock.status, clock.pauses.get().resumed_on) == (S.PAUSED, None)


def test_a_new_pause_may_not_begin_before_the_last_resumption(clock, staff_user):
    with time_machine.travel("2026-05-14 10:00 +0800", tick=False):
        pause(clock, staff_user, D(2026, 5, 12))
        services.clock_resume(clock_id=clock.pk, actor=staff_user, resumed_on=D(2026, 5, 13))
        with pytest.raises(DomainError) as error:
            pause(clock, staff_user, D(2026, 5, 12))
    assert error.value.message == "中止日期不能早于上次恢复计算的日期。"


@pytest.mark.parametrize(("reason_kind", "reason"), [("supplement", "  "), ("whim", "申请人补正材料")],
                         ids=["no-reason", "unknown-kind"])
def test_a_pause_needs_a_lawful_reason_and_an_explanation(clock, staff_user, reason_kind, reason):
    with time_machine.travel(MAY_11, tick=False), pytest.raises(DomainError) as error:
        pause(clock, staff_user, D(2026, 5, 11), reason_kind=reason_kind, reason=reason)
    assert error.value.message == "请选择中止事由并写明具体情况。"


def test_a_paused_clock_cannot_be_paused_again(clock, staff_user):
    with time_machine.travel(MAY_11, tick=False):
        pause(clock, staff_user, D(2026, 5, 11))
        with pytest.raises(InvalidState) as error:
            pause(clock, staff_user, D(2026, 5, 11))
    assert error.value.message == "只有计时中的期限可以中止。"


def test_a_running_clock_cannot_be_resumed(clock, staff_user):
    with time_machine.travel(MAY_11, tick=False), pytest.raises(InvalidState) as error:
        services.clock_resume(clock_id=clock.pk, actor=staff_user, resumed_on=D(2026, 5, 11))
    assert error.value.message == "该期限未处于中止状态。"


def test_a_clock_whose_rule_allows_no_pause_cannot_be_paused(policy, staff_user):
    with support.registered_rule("test.no_pause", pausable=False), time_machine.travel(MAY_11, tick=False):
        clock = start(staff_user, rule="test.no_pause")
        with pytest.raises(DomainError) as error:
            pause(clock, staff_user, D(2026, 5, 11))
    assert (error.value.code, error.value.message) == ("not_pausable", "该期限依法不适用中止。")


# ================================================================== the one extension
def extend(clock, actor, length=5, reason="案情复杂，经负责人批准延长。"):
    return services.clock_extend(clock_id=clock.pk, actor=actor, length=length, reason=reason)


def test_the_head_of_the_responsible_department_extends_a_clock(clock, department_head):
    with time_machine.travel(MAY_11, tick=False):
        extended = extend(clock, department_head, 5)

    # Mon 5-25 + 5 working days = Mon 6-1; the warning moves to 3 working days before.
    extended.refresh_from_db()
    assert (extended.due_on, extended.warn_on, extended.status) == (D(2026, 6, 1), D(2026, 5, 27), S.RUNNING)
    assert (extended.extension_length, extended.extension_reason, extended.extension_approved_by) == (
        5, "案情复杂，经负责人批准延长。", department_head)
    assert sorted((r.step, r.due_at.date()) for r in pending(extended)) == [
        ("due", D(2026, 6, 1)), ("overdue", D(2026, 6, 2)), ("warn", D(2026, 5, 27))]


def test_the_office_may_approve_an_extension(clock, office_user):
    with time_machine.travel(MAY_11, tick=False):
        assert extend(clock, office_user, 5).extension_approved_by == office_user


@pytest.mark.parametrize("approver", [
    lambda: factories.staff("hz-drc"),
    lambda: support.head("hz-nrp"),
    lambda: factories.reviewer(),
], ids=["staff-of-the-department", "head-of-another-department", "reviewer"])
def test_only_a_head_of_the_responsible_department_or_the_office_may_extend(clock, approver):
    with time_machine.travel(MAY_11, tick=False), pytest.raises(NotPermitted) as error:
        extend(clock, approver())
    assert error.value.message == EXTEND_APPROVER
    clock.refresh_from_db()
    assert (clock.extension_length, clock.due_on) == (0, D(2026, 5, 25))


def test_a_clock_is_extended_once_only(clock, department_head, office_user):
    with time_machine.travel(MAY_11, tick=False):
        extend(clock, department_head, 5)
        with pytest.raises(Conflict) as error:
            extend(clock, office_user, 1)
    assert error.value.message == "该期限已经延长过一次，不得再次延长。"
    clock.refresh_from_db()
    assert (clock.extension_length, clock.due_on) == (5, D(2026, 6, 1))


@pytest.mark.parametrize("length", [0, 11])
def test_an_extension_must_be_positive_and_no_longer_than_the_original_period(clock, department_head, length):
    with time_machine.travel(MAY_11, tick=False), pytest.raises(DomainError) as error:
        extend(clock, department_head, length)
    assert (error.value.code, error.value.message) == ("invalid_length", "延长的期限应大于0且不超过原期限。")


def test_an_extension_as_long_as_the_original_period_is_allowed(clock, department_head):
    with time_machine.travel(MAY_11, tick=False):
        # 20 working days from Mon 5-11: Mon 6-8.
        assert extend(clock, department_head, 10).due_on == D(2026, 6, 8)


def test_an_extension_needs_a_reason(clock, department_head):
    with time_machine.travel(MAY_11, tick=False), pytest.raises(DomainError) as error:
        extend(clock, department_head, 5, reason="   ")
    assert (error.value.code, error.value.message) == ("reason_required", "请写明延长期限的理由。")


def test_a_clock_with_a_fixed_due_date_cannot_be_extended(fixed_rule, staff_user, department_head):
    with time_machine.travel(MAY_11, tick=False):
        clock = start(staff_user, rule=support.FIXED_RULE, fixed_due_on=D(2026, 6, 30))
        with pytest.raises(DomainError) as error:
            extend(clock, department_head, 5)
    assert (error.value.code, error.value.message) == ("not_extendable", "该期限不适用延长。")


def test_a_clock_whose_rule_allows_no_extension_cannot_be_extended(policy, staff_user, department_head):
    with support.registered_rule("test.no_extension", extendable=False), time_machine.travel(MAY_11, tick=False):
        clock = start(staff_user, rule="test.no_extension")
        with pytest.raises(DomainError) as error:
            extend(clock, department_head, 5)
    assert error.value.code == "not_extendable"


def test_an_ended_clock_cannot_be_extended(clock, staff_user, department_head):
    with time_machine.travel(MAY_11, tick=False):
        services.clock_stop(subject=support.subject(), rule=RULE, actor=staff_user)
        with pytest.raises(InvalidState) as error:
            extend(clock, department_head, 5)
    assert error.value.message == "该期限已结束，不能延长。"


# ================================================================== the audit trail
def test_starting_a_clock_is_audited_with_its_rule_source_and_due_date(clock, staff_user):
    event = clock_events(clock, "clock_start").get()
    assert (event.actor, event.object_type, event.object_id) == (staff_user, "core.department",
                                                                 str(support.subject().pk))
    assert {key: event.details[key] for key in ("rule", "started_on", "due_on", "length", "unit", "source")} == {
        "rule": RULE, "started_on": "2026-05-11", "due_on": "2026-05-25", "length": 10, "unit": "working_days",
        "source": support.SOURCE}


def test_every_change_of_a_clock_is_audited_with_its_due_date_before_and_after(clock, staff_user, department_head):
    with time_machine.travel("2026-05-13 10:00 +0800", tick=False) as traveller:
        pause(clock, staff_user, D(2026, 5, 13), reason="等待申请人补正")
        traveller.move_to("2026-05-18 10:00 +0800")
        services.clock_resume(clock_id=clock.pk, actor=staff_user, resumed_on=D(2026, 5, 18), note="材料已补正")
        extend(clock, department_head, 2, reason="需现场核查")

    changes = list(AuditEvent.objects.filter(event_type="clock", action__in=["clock_pause", "clock_resume",
                                                                             "clock_extend"])
                   .order_by("seq").values_list("action", "actor", "reason", "details__due_before",
                                                "details__due_after"))
    assert changes == [
        ("clock_pause", staff_user.pk, "等待申请人补正", "2026-05-25", None),
        ("clock_resume", staff_user.pk, "材料已补正", None, "2026-05-28"),
        ("clock_extend", department_head.pk, "需现场核查", "2026-05-28", "2026-06-01"),
    ]


# ================================================================== a year not loaded yet
def test_a_clock_that_needs_a_year_not_yet_loaded_waits_for_the_calendar(rule, staff_user):
    # Mon 2026-12-21 + 10 working days runs into January 2027, whose holidays are not known yet.
    with time_machine.travel("2026-12-21 10:00 +0800", tick=False):
        clock = start(staff_user)

    assert (clock.status, clock.calendar_pending, clock.due_on, clock.warn_on) == (S.RUNNING, True, None, None)
    assert not clock.reminders.exists()


def test_a_waiting_clock_gets_its_due_date_and_reminders_once_the_year_is_loaded(rule, staff_user):
    with time_machine.travel("2026-12-21 10:00 +0800", tick=False):
        clock = start(staff_user)
        services.calendar_year_import(actor=support.admin(), year=2027, source="国办发明电〔2026〕1号",
                                      days=[(D(2027, 1, 1), False, "元旦")])

    # 22–31 Dec give 8 working days; 1 Jan 2027 is a holiday; Mon 1-4 and Tue 1-5 complete the 10.
    clock.refresh_from_db()
    assert (clock.calendar_pending, clock.due_on, clock.warn_on) == (False, D(2027, 1, 5), D(2026, 12, 30))
    assert pending(clock).count() == 3
    assert clock_events(clock, "clock_recompute").get().details["due_after"] == "2027-01-05"
