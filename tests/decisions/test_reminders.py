"""The decision lifecycle's clocks and reminders (domain.md §8, R1–R8): each
transition starts, pauses, resumes or ends the right clock, with the numbers of
the policy table and the official calendar."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from core.exceptions import DomainError, TransitionBlocked
from deadlines import annual
from deadlines import services as deadline_services
from deadlines.models import DeadlinePolicy, LegalClock, Reminder
from decisions import reminders as rules
from decisions import services
from decisions.models import Catalog, CatalogAdjustment, CatalogItem, Decision
from decisions.workflow import DecisionStatus as S
from decisions.workflow import Procedure
from reviews import services as review_services
from reviews.models import ReviewTask
from tests import factories

pytestmark = pytest.mark.django_db

MAY_11 = "2026-05-11 10:00 +0800"  # a Monday; 2026 Labour Day holiday was May 1–5, with Sat May 9 worked


@pytest.fixture(autouse=True)
def _may_11():
    with time_machine.travel(MAY_11, tick=False):
        yield


def clock_of(subject, rule: str) -> LegalClock:
    return LegalClock.objects.filter(object_id=subject.pk, rule=rule).latest("pk")


def at_nine(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def pending(clock: LegalClock):
    return Reminder.objects.filter(clock=clock, sent_at=None, cancelled_at=None)


# ---------------------------------------------------------------- R5 legality review
def test_submitting_for_review_starts_a_15_working_day_clock_with_the_earliest_date_at_7(staff_user):
    decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)
    task = ReviewTask.objects.get(object_id=decision.pk)
    clock = clock_of(task, rules.LEGALITY_REVIEW)

    # From Mon May 11: May 12–15 (4), 18–22 (9), 25–29 (14), Jun 1 (15); 7 working days end Wed May 20.
    assert (clock.due_on, task.due_on, task.earliest_decision_on) == (
        dt.date(2026, 6, 1), dt.date(2026, 6, 1), dt.date(2026, 5, 20))
    # R5: the reviewer is reminded on the 5th working day (10 before the due date): Mon May 18.
    assert clock.warn_on == dt.date(2026, 5, 18)
    assert (clock.kind, clock.source) == ("advisory", "本市合法性审查服务承诺（报送后第5个工作日提醒审查人员）")


def test_the_review_reminders_go_to_the_review_leads_and_the_office_until_someone_claims(
        staff_user, reviewer_user, office_user):
    lead = factories.UserFactory(department=factories.department("hz-justice"), roles=["reviewer", "head"])
    decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)
    task = ReviewTask.objects.get(object_id=decision.pk)
    clock = clock_of(task, rules.LEGALITY_REVIEW)

    assert set(pending(clock).values_list("recipient", flat=True)) == {lead.pk, office_user.pk}
    assert set(pending(clock).filter(recipient=lead).values_list("step", "due_at")) == {
        ("warn", at_nine(dt.date(2026, 5, 18))), ("due", at_nine(dt.date(2026, 6, 1))),
        ("overdue", at_nine(dt.date(2026, 6, 2)))}

    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)

    assert set(pending(clock).values_list("recipient", flat=True)) == {reviewer_user.pk, office_user.pk}
    assert LegalClock.objects.get(pk=clock.pk).assignee == reviewer_user


def test_the_reviewers_conclusion_stops_the_review_clock_and_its_reminders(staff_user):
    decision = factories.decision_in_state(S.READY_FOR_DISCUSSION, staff_user=staff_user)
    clock = clock_of(ReviewTask.objects.get(object_id=decision.pk), rules.LEGALITY_REVIEW)

    assert clock.status == LegalClock.Status.STOPPED
    assert not pending(clock).exists()


# ---------------------------------------------------------------- R6 publication, R7 execution
def test_adopting_a_decision_starts_the_20_working_day_publication_clock(staff_user):
    decision = factories.decision_in_state(S.DECIDED, staff_user=staff_user)
    clock = clock_of(decision, rules.PUBLICATION)

    # 20 working days from May 11: May 12–15 (4), 18–22 (9), 25–29 (14), Jun 1–5 (19), Jun 8 (20).
    assert (clock.status, clock.due_on, clock.warn_on) == ("running", dt.date(2026, 6, 8), dt.date(2026, 6, 1))
    assert "《政府信息公开条例》第二十六条" in clock.source


def test_publishing_stops_the_publication_clock_and_starts_the_quarterly_execution_report(staff_user):
    decision = factories.decision_in_state(S.EXECUTING, staff_user=staff_user)

    assert clock_of(decision, rules.PUBLICATION).status == LegalClock.Status.STOPPED
    report = clock_of(decision, rules.EXECUTION_REPORT)
    # 90 days from May 11 is Sun Aug 9, a rest day: the period ends on Mon Aug 10.
    assert (report.status, report.due_on) == ("running", dt.date(2026, 8, 10))


def test_an_execution_report_restarts_the_report_clock_from_its_date(staff_user):
    decision = factories.decision_in_state(S.EXECUTING, staff_user=staff_user)
    first = clock_of(decision, rules.EXECUTION_REPORT)

    with time_machine.travel("2026-07-01 10:00 +0800", tick=False):
        services.decision_report_execution(actor=staff_user, decision_id=decision.pk,
                                           reported_on=dt.date(2026, 6, 30), progress="已完成第一阶段。")

    second = clock_of(decision, rules.EXECUTION_REPORT)
    assert LegalClock.objects.get(pk=first.pk).status == LegalClock.Status.CANCELLED
    # 90 days after Tue Jun 30 is Mon Sep 28, a working day.
    assert (second.started_on, second.due_on) == (dt.date(2026, 6, 30), dt.date(2026, 9, 28))


def test_suspension_pauses_the_report_clock_and_resumption_moves_its_due_date(staff_user, office_user):
    decision = factories.decision_in_state(S.EXECUTING, staff_user=staff_user, office_user=office_user)
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        services.decision_suspend(actor=office_user, decision_id=decision.pk, reason="群众反映强烈。")
    paused = clock_of(decision, rules.EXECUTION_REPORT)
    assert (paused.status, paused.due_on) == ("paused", None)
    assert not pending(paused).exists()

    with time_machine.travel("2026-06-11 10:00 +0800", tick=False):
        services.decision_resume(actor=office_user, decision_id=decision.pk, reason="已妥善处理。")

    resumed = LegalClock.objects.get(pk=paused.pk)
    # Jun 2–11 (10 days) do not count: Aug 9 + 10 = Wed Aug 19.
    assert (resumed.status, resumed.due_on) == ("running", dt.date(2026, 8, 19))
    assert pending(resumed).filter(step="due", due_at=at_nine(dt.date(2026, 8, 19))).exists()


def test_terminating_cancels_every_open_clock_of_the_decision(staff_user, office_user):
    decision = factories.decision_in_state(S.TERMINATED, staff_user=staff_user, office_user=office_user)

    assert not LegalClock.objects.filter(object_id=decision.pk, status__in=["running", "paused"],
                                         rule__startswith="decision.").exclude(rule=rules.LEGALITY_REVIEW).exists()
    assert clock_of(decision, rules.EXECUTION_REPORT).status == LegalClock.Status.CANCELLED


def test_missed_targets_suggest_a_post_evaluation_to_the_office_and_the_supervisors(
        staff_user, office_user, supervisor_user):
    decision = factories.decision_in_state(S.EXECUTING, staff_user=staff_user, office_user=office_user)

    report = services.decision_report_execution(actor=staff_user, decision_id=decision.pk,
                                                reported_on=dt.date(2026, 5, 11), progress="进度滞后。",
                                                problems="年度目标完成率仅40%。", targets_missed=True)

    suggestions = Reminder.objects.filter(rule="R8", object_id=decision.pk)
    assert set(suggestions.values_list("recipient", flat=True)) == {office_user.pk, supervisor_user.pk}
    assert report.targets_missed
    assert "年度目标完成率仅40%" in suggestions.first().body
    assert deadline_services.reminders_deliver_due() == 2


# ---------------------------------------------------------------- R3 public comment, R4 hearing
def test_opening_a_public_comment_starts_a_clock_to_its_closing_day_with_a_warning_three_days_before(staff_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)

    services.decision_open_public_comment(actor=staff_user, decision_id=decision.pk, opened_on=dt.date(2026, 5, 11),
                                          closes_on=dt.date(2026, 6, 10), channel="湖州市人民政府网站")

    clock = clock_of(decision, rules.PUBLIC_COMMENT)
    assert (clock.due_on, clock.warn_on) == (dt.date(2026, 6, 10), dt.date(2026, 6, 7))
    assert set(pending(clock).filter(recipient=staff_user).values_list("step", flat=True)) == {"warn", "due"}


def test_a_comment_period_shorter_than_the_policy_needs_a_reason(staff_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)

    with pytest.raises(TransitionBlocked, match="一般不少于30日"):
        services.decision_open_public_comment(actor=staff_user, decision_id=decision.pk,
                                              opened_on=dt.date(2026, 5, 11), closes_on=dt.date(2026, 6, 9),
                                              channel="网站")
    assert not LegalClock.objects.filter(object_id=decision.pk, rule=rules.PUBLIC_COMMENT).exists()


def test_closing_the_comment_early_is_refused_without_a_recorded_reason(staff_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)
    services.decision_open_public_comment(actor=staff_user, decision_id=decision.pk, opened_on=dt.date(2026, 5, 11),
                                          closes_on=dt.date(2026, 6, 10), channel="网站")
    details = {**factories.PUBLIC_COMMENT_DETAILS, "opened_on": "2026-05-11", "closes_on": "2026-06-10"}

    with pytest.raises(TransitionBlocked, match="尚未截止"):
        services.decision_record_procedure(actor=staff_user, decision_id=decision.pk, kind=Procedure.PUBLIC_COMMENT,
                                           details=details, files=[factories.pdf_file()])
    assert clock_of(decision, rules.PUBLIC_COMMENT).status == "running"

    services.decision_record_procedure(
        actor=staff_user, decision_id=decision.pk, kind=Procedure.PUBLIC_COMMENT, files=[factories.pdf_file()],
        details={**details, "early_close_reason": "上级部署须提前报送，经行政首长同意提前结束。"})
    assert clock_of(decision, rules.PUBLIC_COMMENT).status == "stopped"


def test_a_hearing_date_sets_the_materials_deadline_seven_days_before(staff_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)

    services.decision_schedule_hearing(actor=staff_user, decision_id=decision.pk, held_on=dt.date(2026, 6, 1))

    clock = clock_of(decision, rules.HEARING_MATERIALS)
    assert (clock.due_on, clock.warn_on) == (dt.date(2026, 5, 25), dt.date(2026, 5, 22))


def test_a_hearing_too_soon_for_the_materials_is_refused_with_the_earliest_date(staff_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)

    with pytest.raises(DomainError, match="听证会最早可安排在2026年5月18日"):
        services.decision_schedule_hearing(actor=staff_user, decision_id=decision.pk, held_on=dt.date(2026, 5, 17))


def test_the_policy_table_decides_the_comment_period_for_new_requests(staff_user):
    admin = factories.UserFactory(roles=["admin"])
    policy = DeadlinePolicy.objects.get(code=rules.PUBLIC_COMMENT)
    policy.length = 45
    deadline_services.policy_save(actor=admin, policy=policy, changed=["length"])
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)

    with pytest.raises(TransitionBlocked, match="一般不少于45日"):
        services.decision_open_public_comment(actor=staff_user, decision_id=decision.pk,
                                              opened_on=dt.date(2026, 5, 11), closes_on=dt.date(2026, 6, 10),
                                              channel="网站")


# ---------------------------------------------------------------- R2 catalog items, R1 catalog dates
def _published_catalog(office_user, staff_user, planned: dt.date) -> CatalogItem:
    item = factories.CatalogItemFactory(catalog=factories.CatalogFactory(year=2026), planned_completion=planned,
                                        lead_department=staff_user.department, proposed_by=staff_user,
                                        status=CatalogItem.Status.PROPOSED, number=None)
    services.catalog_compile(actor=office_user, year=2026, included_ids=[item.pk])
    services.catalog_record_party_consent(actor=office_user, year=2026, consent_on=dt.date(2026, 5, 8), note="同意")
    services.catalog_publish(actor=office_user, year=2026)
    return CatalogItem.objects.get(pk=item.pk)


def test_publishing_the_catalog_reminds_each_department_30_days_before_its_items_planned_date(
        office_user, staff_user):
    item = _published_catalog(office_user, staff_user, dt.date(2026, 9, 30))

    clock = clock_of(item, rules.CATALOG_ITEM)
    assert (clock.due_on, clock.warn_on, clock.department) == (
        dt.date(2026, 9, 30), dt.date(2026, 8, 31), staff_user.department)
    assert pending(clock).filter(recipient=staff_user, step="warn", due_at=at_nine(dt.date(2026, 8, 31))).exists()


def test_withdrawing_an_item_from_the_catalog_cancels_its_reminders(office_user, staff_user):
    item = _published_catalog(office_user, staff_user, dt.date(2026, 9, 30))
    adjustment = services.catalog_adjustment_propose(actor=staff_user, year=2026, kind=CatalogAdjustment.Kind.WITHDRAW,
                                                     reason="上级政策调整，不再作出该决策。", item_id=item.pk)

    services.catalog_adjustment_decide(actor=office_user, adjustment_id=adjustment.pk, approve=True)

    clock = clock_of(item, rules.CATALOG_ITEM)
    assert clock.status == LegalClock.Status.CANCELLED
    assert not pending(clock).exists()


def test_on_1_december_every_department_is_asked_for_next_years_items_once(staff_user, office_user):
    first = annual.run_daily(dt.date(2026, 12, 1))
    again = annual.run_daily(dt.date(2026, 12, 1))

    catalog = Catalog.objects.get(year=2027)
    assert first["decision_catalog_dates"] >= 2 and again["decision_catalog_dates"] == 0
    assert Reminder.objects.filter(rule="R1", object_id=catalog.pk, recipient=staff_user, step="collect").count() == 1


def test_in_march_the_office_is_reminded_only_while_the_catalog_is_unpublished(office_user, staff_user):
    assert annual.run_daily(dt.date(2026, 3, 1))["decision_catalog_dates"] == 1

    _published_catalog(office_user, staff_user, dt.date(2026, 9, 30))

    assert annual.run_daily(dt.date(2026, 3, 20))["decision_catalog_dates"] == 0


def test_the_whole_lifecycle_leaves_no_open_clock_once_archived(staff_user):
    decision = factories.decision_in_state(S.ARCHIVED, staff_user=staff_user)

    assert not LegalClock.objects.filter(object_id=decision.pk, status__in=["running", "paused"],
                                         content_type__model="decision").exists()
    assert Decision.objects.get(pk=decision.pk).status == S.ARCHIVED
