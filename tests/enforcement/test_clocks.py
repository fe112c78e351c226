"""The clocks of an enforcement case (R17–R23), each with a hand-computed date under
time_machine and the reminder rows it creates for the officers:

* 90 calendar days from opening (行政处罚法 Art. 60), rolled forward off a rest day, day 60
  reminder, paused for a hearing or by the head, extended once with the head's approval;
* preservation 7 working days (Art. 56), seizure 30 days +30 once (行政强制法 Art. 25);
* service 7 WD, publicity 7 WD (penalty) / 20 WD (other), payment 15 days from service,
  withdrawal 3 WD after revocation.

2026 calendar used below: 中秋 Fri 25 Sep; 国庆 Thu 1 – Wed 7 Oct; make-up working days
Sun 20 Sep and Sat 10 Oct; Dragon Boat Fri 19 Jun."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.exceptions import Conflict, DomainError, InvalidState, NotPermitted
from deadlines import services as deadline_services
from deadlines.models import LegalClock, Reminder
from enforcement import services
from enforcement.models import Case
from enforcement.workflow import CaseStatus as C
from tests.factories import case_in_state, enforcement_officer, pdf_file

pytestmark = pytest.mark.django_db

CST = dt.timezone(dt.timedelta(hours=8))


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


@pytest.fixture
def people(db):
    officer = enforcement_officer(full_name="孙执法")
    return {"officer": officer, "colleague": enforcement_officer(full_name="吴执法"),
            "head_user": enforcement_officer(head=True, full_name="郑局长")}


def clock(subject, rule: str) -> LegalClock:
    return LegalClock.objects.filter(content_type=ContentType.objects.get_for_model(type(subject)),
                                     object_id=subject.pk, rule=rule).order_by("-id").first()


def nine_am(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9)))


def pending(subject, rule: str) -> set[tuple[str, dt.datetime, str]]:
    """(step, moment, recipient username) of the reminders still to be sent."""
    rows = Reminder.objects.filter(content_type=ContentType.objects.get_for_model(type(subject)),
                                   object_id=subject.pk, rule=rule, sent_at=None, cancelled_at=None)
    return {(r.step, r.due_at, r.recipient.username) for r in rows.select_related("recipient")}


def names(*users) -> list[str]:
    return [u.username for u in users]


def expect(steps: dict[str, str], users) -> set[tuple[str, dt.datetime, str]]:
    return {(step, nine_am(day), name) for step, day in steps.items() for name in names(*users)}


# ================================================================== R17: 90 days
def test_the_ninety_day_clock_rolls_forward_off_a_sunday_and_reminds_officers_and_head(people):
    with at("2026-05-11"):
        case = case_in_state(C.INVESTIGATING, **people)
    decision = clock(case, "enforcement.case_decision")
    # 11 May + 90 calendar days = Sun 9 Aug, a rest day: the next working day, Mon 10 Aug
    assert (decision.started_on, decision.due_on, decision.warn_on) == (
        dt.date(2026, 5, 11), dt.date(2026, 8, 10), dt.date(2026, 7, 31))
    assert (decision.length, decision.unit, decision.kind) == (90, "calendar_days", "statutory")
    everyone = (people["officer"], people["colleague"], people["head_user"])
    assert pending(case, "enforcement.case_decision") == expect(
        {"warn": "2026-07-31", "due": "2026-08-10", "overdue": "2026-08-11"}, everyone)
    reminder = Reminder.objects.filter(rule="enforcement.case_decision", object_id=case.pk).first()
    assert reminder.url == reverse("enforcement:detail", args=[case.pk])


def test_day_ninety_on_a_working_day_is_not_moved(people):
    with at("2026-05-12"):
        case = case_in_state(C.INVESTIGATING, **people)
    assert clock(case, "enforcement.case_decision").due_on == dt.date(2026, 8, 10)  # 12 May + 90 = Mon 10 Aug


def test_the_day_sixty_reminder_goes_to_the_officers(people):
    with at("2026-05-11"):
        case = case_in_state(C.INVESTIGATING, **people)
    assert clock(case, "enforcement.case_day60").due_on == dt.date(2026, 7, 10)  # Fri 10 Jul
    assert pending(case, "enforcement.case_day60") == expect({"due": "2026-07-10"},
                                                            (people["officer"], people["colleague"]))


def test_a_hearing_pauses_the_ninety_days_and_its_end_moves_the_due_date(people):
    with at("2026-05-11"):
        case = case_in_state(C.NOTIFIED, **people)
    with at("2026-05-13"):
        services.case_request_hearing(actor=people["officer"], case_id=case.pk, requested_on=dt.date(2026, 5, 13))
    decision = clock(case, "enforcement.case_decision")
    assert (decision.status, decision.due_on) == ("paused", None)
    assert pending(case, "enforcement.case_decision") == set()
    services.case_schedule_hearing(actor=people["officer"], case_id=case.pk, hearing_on=dt.date(2026, 5, 22),
                                   notice_on=dt.date(2026, 5, 13), chair_id=people["head_user"].pk)
    with at("2026-05-22"):
        services.case_hold_hearing(actor=people["head_user"], case_id=case.pk, record="当事人陈述申辩。")
    decision = clock(case, "enforcement.case_decision")
    # paused 14–22 May = 9 days: Sun 9 Aug + 9 = Tue 18 Aug
    assert (decision.status, decision.due_on) == ("running", dt.date(2026, 8, 18))
    assert decision.pauses.get().reason_kind == "hearing"
    assert clock(case, "enforcement.case_day60").due_on == dt.date(2026, 7, 20)  # Fri 10 Jul + 9 = Sun 19 → Mon 20
    with at("2026-05-22"):
        assert ("due", nine_am("2026-08-18"), people["officer"].username) in pending(case, "enforcement.case_decision")


def test_the_head_pauses_and_resumes_the_case_clock(people):
    with at("2026-05-11"):
        case = case_in_state(C.INVESTIGATING, **people)
    with at("2026-05-12"):
        with pytest.raises(NotPermitted, match="^中止案件办理期限须经执法机关负责人批准。$"):
            services.case_pause(actor=people["officer"], case_id=case.pk, reason_kind="testing", reason="送检。")
        services.case_pause(actor=people["head_user"], case_id=case.pk, reason_kind="testing", reason="样品送检。")
        with pytest.raises(InvalidState, match="^案件办理期限未在计时中。$"):
            services.case_pause(actor=people["head_user"], case_id=case.pk, reason_kind="testing", reason="再次。")
    with at("2026-05-15"):
        with pytest.raises(NotPermitted, match="^恢复案件办理期限须经执法机关负责人批准。$"):
            services.case_resume(actor=people["officer"], case_id=case.pk)
        services.case_resume(actor=people["head_user"], case_id=case.pk, note="检验报告已出具。")
        # paused 13–15 May = 3 days: Sun 9 Aug + 3 = Wed 12 Aug
        assert clock(case, "enforcement.case_decision").due_on == dt.date(2026, 8, 12)
        assert ("due", nine_am("2026-08-12"), people["head_user"].username) in pending(
            case, "enforcement.case_decision")


def test_the_head_extends_the_ninety_days_once(people):
    with at("2026-05-11"):
        case = case_in_state(C.INVESTIGATING, **people)
    decision = clock(case, "enforcement.case_decision")
    with at("2026-08-03"):
        with pytest.raises(NotPermitted, match="^延长期限须由责任单位负责人或政府办批准。$"):
            deadline_services.clock_extend(clock_id=decision.pk, actor=people["officer"], length=30, reason="案情复杂。")
        deadline_services.clock_extend(clock_id=decision.pk, actor=people["head_user"], length=30,
                                       reason="案情复杂，经负责人批准延长三十日。")
        decision.refresh_from_db()
        assert (decision.due_on, decision.extension_approved_by) == (dt.date(2026, 9, 8), people["head_user"])
        assert ("due", nine_am("2026-09-08"), people["colleague"].username) in pending(
            case, "enforcement.case_decision")
        with pytest.raises(Conflict, match="^该期限已经延长过一次，不得再次延长。$"):
            deadline_services.clock_extend(clock_id=decision.pk, actor=people["head_user"], length=10, reason="再延。")
        with pytest.raises(DomainError, match="^该期限不适用延长。$"):
            deadline_services.clock_extend(clock_id=clock(case, "enforcement.case_day60").pk,
                                           actor=people["head_user"], length=10, reason="延长。")


def test_the_decision_stops_the_ninety_days_and_cancels_their_reminders(people):
    with at("2026-05-11"):
        case = case_in_state(C.DECIDED, **people)
        assert clock(case, "enforcement.case_decision").status == "stopped"
        assert pending(case, "enforcement.case_decision") == set()


# ================================================================== R18: preservation and seizure
def _record(case, people, kind: str, day: str):
    when = dt.datetime.fromisoformat(f"{day}T09:00:00+08:00")
    return services.case_add_record(actor=people["officer"], case_id=case.pk, kind=kind, happened_at=when,
                                    place="吴兴区某仓库", summary="先行登记保存/扣押物品，全程音像记录。",
                                    officer_ids=[people["officer"].pk, people["colleague"].pk],
                                    has_audio_video=True, files=[pdf_file("音像记录说明.pdf")])


def test_preservation_is_decided_within_seven_working_days_across_national_day(people):
    with at("2026-09-28"):
        case = case_in_state(C.INVESTIGATING, **people)
    with at("2026-09-29"):
        entry = _record(case, people, "preservation", "2026-09-29")
    preservation = clock(entry, "enforcement.preservation")
    # Tue 29 Sep: 30 Sep (1), 1–7 Oct holiday, 8 Oct (2), 9 Oct (3), Sat 10 Oct make-up (4), 12 (5), 13 (6), 14 (7)
    assert (preservation.due_on, preservation.warn_on) == (dt.date(2026, 10, 14), dt.date(2026, 10, 12))
    officers = (people["officer"], people["colleague"])
    with at("2026-09-29"):
        assert pending(entry, "enforcement.preservation") == expect(
            {"warn": "2026-10-12", "due": "2026-10-14", "overdue": "2026-10-15"}, officers)
    reminder = Reminder.objects.filter(rule="enforcement.preservation", object_id=entry.pk).first()
    assert reminder.url == reverse("enforcement:detail", args=[case.pk])


def test_a_seizure_runs_thirty_days_and_is_extended_once_by_thirty(people):
    with at("2026-05-11"):
        case = case_in_state(C.INVESTIGATING, **people)
        entry = _record(case, people, "seizure", "2026-05-11")
    seizure = clock(entry, "enforcement.seizure")
    assert (seizure.length, seizure.unit, seizure.due_on) == (30, "calendar_days", dt.date(2026, 6, 10))
    with at("2026-06-05"):
        assert pending(entry, "enforcement.seizure") == expect(
            {"warn": "2026-06-05", "due": "2026-06-10", "overdue": "2026-06-11"},
            (people["officer"], people["colleague"]))
        deadline_services.clock_extend(clock_id=seizure.pk, actor=people["head_user"], length=30,
                                       reason="情况复杂，经负责人批准延长扣押期限。")
        seizure.refresh_from_db()
        assert seizure.due_on == dt.date(2026, 7, 10)  # Wed 10 Jun + 30 = Fri 10 Jul
        assert ("due", nine_am("2026-07-10"), people["officer"].username) in pending(entry, "enforcement.seizure")
        with pytest.raises(Conflict, match="^该期限已经延长过一次，不得再次延长。$"):
            deadline_services.clock_extend(clock_id=seizure.pk, actor=people["head_user"], length=30, reason="再延。")
        with pytest.raises(DomainError, match="^延长的期限应大于0且不超过原期限。$"):
            other = _record(case, people, "seizure", "2026-06-05")
            deadline_services.clock_extend(clock_id=clock(other, "enforcement.seizure").pk,
                                           actor=people["head_user"], length=31, reason="延长。")


# ================================================================== R19: hearing request
def test_the_hearing_request_window_is_five_working_days(people):
    with at("2026-09-28"):
        case = case_in_state(C.NOTIFIED, **people)
    window = clock(case, "enforcement.hearing_request")
    # Mon 28 Sep: 29, 30 Sep, 8, 9 Oct, Sat 10 Oct (make-up) = 5th working day
    assert window.due_on == dt.date(2026, 10, 10)
    with at("2026-09-28"):
        assert pending(case, "enforcement.hearing_request") == expect(
            {"due": "2026-10-10"}, (people["officer"], people["colleague"]))


# ================================================================== R21: service and publicity
def test_service_and_publicity_run_seven_working_days_from_the_decision(people):
    with at("2026-05-11"):
        case = case_in_state(C.DECIDED, **people)
        # Mon 11 May: 12, 13, 14, 15, 18, 19, 20 May
        assert clock(case, "enforcement.service").due_on == dt.date(2026, 5, 20)
        assert clock(case, "enforcement.publicity_penalty").due_on == dt.date(2026, 5, 20)
        officers = (people["officer"], people["colleague"])
        assert pending(case, "enforcement.service") == expect(
            {"warn": "2026-05-18", "due": "2026-05-20", "overdue": "2026-05-21"}, officers)
        assert pending(case, "enforcement.publicity_penalty") == expect(
            {"warn": "2026-05-18", "due": "2026-05-20", "overdue": "2026-05-21"}, officers + (people["head_user"],))


def test_publicity_of_a_no_penalty_decision_runs_twenty_working_days(people):
    with at("2026-09-16"):
        case = case_in_state(C.INVESTIGATING, **people)
        services.case_decide(actor=people["head_user"], case_id=case.pk, outcome="no_penalty",
                             no_penalty_ground="minor", reason="违法行为轻微并及时改正，没有造成危害后果。")
    publicity = clock(case, "enforcement.publicity_other")
    # Wed 16 Sep: 17, 18, Sun 20 (make-up), 21–24, 28–30 (10), 8, 9, Sat 10 Oct (13), 12–16 (18), 19, 20 Oct (20);
    # Fri 25 Sep (中秋) and 1–7 Oct are holidays
    assert (publicity.length, publicity.unit, publicity.due_on) == (20, "working_days", dt.date(2026, 10, 20))
    with at("2026-09-16"):
        assert ("due", nine_am("2026-10-20"), people["head_user"].username) in pending(
            case, "enforcement.publicity_other")
    assert clock(case, "enforcement.publicity_penalty") is None


# ================================================================== R22: payment
def test_payment_is_due_fifteen_days_after_service_rolled_past_the_holiday(people):
    with at("2026-09-16"):
        case = case_in_state(C.SERVED, **people)
    payment = clock(case, "enforcement.payment")
    # served Wed 16 Sep + 15 days = Thu 1 Oct (国庆): the first working day after, Thu 8 Oct
    assert (payment.started_on, payment.due_on) == (dt.date(2026, 9, 16), dt.date(2026, 10, 8))
    with at("2026-09-16"):
        assert pending(case, "enforcement.payment") == expect(
            {"warn": "2026-10-05", "due": "2026-10-08", "overdue": "2026-10-09"},
            (people["officer"], people["colleague"]))
    with at("2026-10-12"):
        with pytest.raises(DomainError, match=r"^应缴5600.00元（罚款5000.00元，加处罚款600.00元），实缴金额不足。$"):
            services.case_record_payment(actor=people["officer"], case_id=case.pk, paid_on=dt.date(2026, 10, 12),
                                         amount=Decimal("5000"))
        services.case_record_payment(actor=people["officer"], case_id=case.pk, paid_on=dt.date(2026, 10, 12),
                                     amount=Decimal("5600"))
    assert clock(case, "enforcement.payment").status == "stopped"
    assert pending(case, "enforcement.payment") == set()


# ================================================================== R23: withdrawal
def test_a_withdrawal_is_due_three_working_days_after_revocation(people):
    with at("2026-09-28"):
        case = case_in_state(C.DECIDED, **people)
        services.case_publish_notice(actor=people["officer"], case_id=case.pk)
    with at("2026-09-30"):
        services.case_revoke(actor=people["head_user"], case_id=case.pk, reason="行政复议决定撤销。")
        withdrawal = clock(case, "enforcement.withdrawal")
        # Wed 30 Sep: 8 Oct (1), 9 Oct (2), Sat 10 Oct make-up (3)
        assert withdrawal.due_on == dt.date(2026, 10, 10)
        assert pending(case, "enforcement.withdrawal") == expect(
            {"warn": "2026-10-09", "due": "2026-10-10", "overdue": "2026-10-11"},
            (people["officer"], people["colleague"], people["head_user"]))
    with at("2026-10-09"):
        services.notice_withdraw(actor=people["officer"], case_id=case.pk, statement="原决定已撤销。")
    assert clock(case, "enforcement.withdrawal").status == "stopped"
    assert Case.objects.get(pk=case.pk).status == C.REVOKED
