"""The legality review queue: deadlines in working days, claiming, assigning,
deciding, the separation of submitter and reviewer, the checklist, and two
reviewers acting at the same moment."""
import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from core.audit import verify_chain
from core.exceptions import Conflict, DomainError, NotPermitted
from core.models import AuditEvent, Role
from deadlines.models import LegalClock
from deadlines.services import calendar_year_import, explain
from decisions import services
from decisions.models import Decision
from decisions.workflow import DecisionStatus as S
from decisions.workflow import Procedure
from reviews import services as review_services
from reviews.models import ReviewTask
from reviews.selectors import review_queue_for
from tests import factories

MAY_11 = "2026-05-11 10:00 +0800"
DECIDE_NOT_ASSIGNEE = "只能对分派给本人的审查任务作出结论，且不得审查本人报送的事项。"
ALREADY_DONE = "该审查任务已由其他人员办结，请刷新页面。"


def open_task(decision: Decision) -> ReviewTask:
    return ReviewTask.objects.get(object_id=decision.pk, status__in=[ReviewTask.Status.OPEN,
                                                                     ReviewTask.Status.CLAIMED])


def decide(task: ReviewTask, actor, outcome: str = "passed", checklist: dict | None = None,
           opinion: str = "经审查，符合法定权限和程序。") -> ReviewTask:
    if checklist is None:
        checklist = factories.full_checklist()
    return review_services.review_task_decide(task_id=task.pk, actor=actor, outcome=outcome, opinion=opinion,
                                              checklist=checklist, early_reason=factories.EARLY_REASON)


@pytest.fixture
def head_reviewer(db):
    return factories.UserFactory(department=factories.department("hz-justice"), roles=[Role.REVIEWER, Role.HEAD],
                                 full_name="审查科长")


# ================================================================== deadlines
@pytest.mark.django_db
@pytest.mark.parametrize(("now", "submitted_on", "earliest", "due"), [
    # An ordinary fortnight: Mon 5-11 + 7 WD = Wed 5-20; + 15 WD = Mon 6-1.
    ("2026-05-11 10:00 +0800", dt.date(2026, 5, 11), dt.date(2026, 5, 20), dt.date(2026, 6, 1)),
    # Across Labour Day (5-1..5-5 off, Saturday 5-9 works).
    ("2026-04-28 10:00 +0800", dt.date(2026, 4, 28), dt.date(2026, 5, 11), dt.date(2026, 5, 21)),
    # Across the Spring Festival (2-15..2-23 off, Saturdays 2-14 and 2-28 work).
    ("2026-02-10 10:00 +0800", dt.date(2026, 2, 10), dt.date(2026, 2, 26), dt.date(2026, 3, 9)),
    # Half past midnight in Huzhou is still 10-07 (a holiday) in UTC: the local date counts.
    # Thu 10-8 + 7 WD (Saturday 10-10 works) = Fri 10-16; + 15 WD = Wed 10-28.
    ("2026-10-08 00:30 +0800", dt.date(2026, 10, 8), dt.date(2026, 10, 16), dt.date(2026, 10, 28)),
], ids=["ordinary", "labour-day", "spring-festival", "after-national-day-just-past-midnight"])
def test_submission_opens_a_task_due_in_working_days_of_the_official_calendar(staff_user, now, submitted_on,
                                                                               earliest, due):
    with time_machine.travel(now, tick=False):
        decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)

    task = open_task(decision)
    assert (task.submitted_on, task.earliest_decision_on, task.due_on) == (submitted_on, earliest, due)
    assert (task.status, task.assigned_to, task.kind) == (ReviewTask.Status.OPEN, None, ReviewTask.Kind.DECISION)
    assert (task.title, task.department, task.submitted_by) == (decision.title, staff_user.department, staff_user)


@pytest.mark.django_db
def test_a_submission_whose_deadline_falls_in_an_unloaded_year_waits_for_the_calendar_and_is_never_guessed(
        staff_user):
    with time_machine.travel("2026-12-21 10:00 +0800", tick=False):
        decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)
        services.decision_record_procedure(actor=staff_user, decision_id=decision.pk, kind=Procedure.PUBLIC_COMMENT,
                                           details=factories.PUBLIC_COMMENT_DETAILS, files=[factories.pdf_file()])

        services.decision_submit_for_legality_review(actor=staff_user, decision_id=decision.pk)

    task = ReviewTask.objects.get(object_id=decision.pk)
    clock = LegalClock.objects.get(rule="decision.legality_review", object_id=task.pk)
    assert Decision.objects.get(pk=decision.pk).status == S.LEGALITY_REVIEW
    # The 7 working days end on 2026-12-30 and are known; the 15 reach into 2027, which is not loaded.
    assert (task.earliest_decision_on, task.due_on) == (dt.date(2026, 12, 30), None)
    assert (clock.calendar_pending, clock.due_on) == (True, None)
    assert "工作日历尚未载入2027年的国务院节假日安排" in explain(clock).steps[0]


@pytest.mark.django_db
def test_loading_the_missing_year_gives_the_waiting_review_its_due_date(staff_user):
    admin = factories.UserFactory(roles=["admin"])
    with time_machine.travel("2026-12-21 10:00 +0800", tick=False):
        decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)
        calendar_year_import(actor=admin, year=2027, source="国办发明电〔2026〕X号",
                             days=[(dt.date(2027, 1, 1), False, "元旦")])

    # 15 working days from Mon 2026-12-21: Dec 22–25 (4), Dec 28–31 (8), Jan 1 is 元旦, Jan 4–8 (13), Jan 11–12 (15).
    # 7 working days: Dec 22–25 (4), Dec 28–30 (7).
    task = ReviewTask.objects.get(object_id=decision.pk)
    assert (task.earliest_decision_on, task.due_on) == (dt.date(2026, 12, 30), dt.date(2027, 1, 12))


# ================================================================== claim, assign, decide
@pytest.fixture
def under_review(db, staff_user):
    with time_machine.travel(MAY_11, tick=False):
        yield factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)


@pytest.mark.django_db
def test_a_reviewer_claims_an_open_task(under_review, reviewer_user):
    task = review_services.review_task_claim(task_id=open_task(under_review).pk, actor=reviewer_user)

    assert (task.status, task.assigned_to) == (ReviewTask.Status.CLAIMED, reviewer_user)
    row = AuditEvent.objects.order_by("-seq").first()
    assert (row.action, row.actor, row.object_id, row.details) == (
        "review_claim", reviewer_user, str(under_review.pk), {"review_task": task.pk})


@pytest.mark.django_db
def test_claiming_a_task_one_already_holds_changes_nothing(under_review, reviewer_user):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)
    rows = AuditEvent.objects.count()

    again = review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)

    assert again.assigned_to == reviewer_user
    assert AuditEvent.objects.count() == rows


@pytest.mark.django_db
def test_a_second_reviewer_claiming_a_claimed_task_is_told_who_holds_it(under_review, reviewer_user, second_reviewer):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)

    with pytest.raises(Conflict) as error:
        review_services.review_task_claim(task_id=task.pk, actor=second_reviewer)

    assert error.value.message == f"该审查任务已由{reviewer_user.display_name}认领。"


@pytest.mark.django_db
def test_staff_cannot_see_review_tasks(under_review, other_staff_user):
    with pytest.raises(ReviewTask.DoesNotExist):
        review_services.review_task_claim(task_id=open_task(under_review).pk, actor=other_staff_user)


@pytest.mark.django_db
def test_nobody_reviews_their_own_submission(db):
    both = factories.UserFactory(department=factories.department("hz-justice"), roles=[Role.STAFF, Role.REVIEWER])
    with time_machine.travel(MAY_11, tick=False):
        decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=both)

    with pytest.raises(NotPermitted) as error:
        review_services.review_task_claim(task_id=open_task(decision).pk, actor=both)

    assert error.value.message == "不得审查本人报送的事项。"
    assert open_task(decision).assigned_to is None


@pytest.mark.django_db
def test_the_head_of_the_review_body_assigns_a_task(under_review, head_reviewer, second_reviewer):
    task = review_services.review_task_assign(task_id=open_task(under_review).pk, actor=head_reviewer,
                                              assignee_id=second_reviewer.pk)

    assert (task.status, task.assigned_to) == (ReviewTask.Status.CLAIMED, second_reviewer)
    row = AuditEvent.objects.order_by("-seq").first()
    assert (row.action, row.actor, row.details["assignee"]) == ("review_assign", head_reviewer, "reviewer2")


@pytest.mark.django_db
def test_the_head_may_reassign_a_claimed_task(under_review, head_reviewer, reviewer_user, second_reviewer):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)

    review_services.review_task_assign(task_id=task.pk, actor=head_reviewer, assignee_id=second_reviewer.pk)

    assert ReviewTask.objects.get(pk=task.pk).assigned_to == second_reviewer


@pytest.mark.django_db
def test_a_plain_reviewer_cannot_assign(under_review, reviewer_user, second_reviewer):
    with pytest.raises(NotPermitted) as error:
        review_services.review_task_assign(task_id=open_task(under_review).pk, actor=reviewer_user,
                                           assignee_id=second_reviewer.pk)

    assert error.value.message == "只有审查机构负责人可以分派审查任务。"


@pytest.mark.django_db
def test_the_office_cannot_assign(under_review, office_user, second_reviewer):
    with pytest.raises(NotPermitted) as error:
        review_services.review_task_assign(task_id=open_task(under_review).pk, actor=office_user,
                                           assignee_id=second_reviewer.pk)

    assert error.value.message == "只有审查机构负责人可以分派审查任务。"


@pytest.mark.django_db
def test_a_head_who_is_not_a_reviewer_cannot_assign(under_review, second_reviewer):
    head_of_drc = factories.UserFactory(department=factories.department("hz-drc"), roles=[Role.HEAD])

    with pytest.raises(ReviewTask.DoesNotExist):
        review_services.review_task_assign(task_id=open_task(under_review).pk, actor=head_of_drc,
                                           assignee_id=second_reviewer.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["submitter", "non_reviewer"])
def test_a_task_cannot_be_assigned_to_the_submitter_or_a_non_reviewer(db, head_reviewer, who):
    submitter = factories.UserFactory(department=factories.department("hz-drc"), roles=[Role.STAFF, Role.REVIEWER])
    with time_machine.travel(MAY_11, tick=False):
        decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=submitter)
    assignee = submitter if who == "submitter" else factories.staff("hz-justice")

    with pytest.raises(DomainError) as error:
        review_services.review_task_assign(task_id=open_task(decision).pk, actor=head_reviewer, assignee_id=assignee.pk)

    assert error.value.code == "invalid_assignee"
    assert error.value.message == "所选人员不能承担该审查任务（须为本审查机构的审查人员且不是报送人）。"


@pytest.mark.django_db
def test_only_the_assignee_decides(under_review, reviewer_user, head_reviewer):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)

    with pytest.raises(NotPermitted) as error:
        decide(task, head_reviewer)

    assert error.value.message == DECIDE_NOT_ASSIGNEE
    assert ReviewTask.objects.get(pk=task.pk).status == ReviewTask.Status.CLAIMED


@pytest.mark.django_db
def test_an_unclaimed_task_cannot_be_decided(under_review, head_reviewer):
    with pytest.raises(NotPermitted) as error:
        decide(open_task(under_review), head_reviewer)

    assert error.value.message == DECIDE_NOT_ASSIGNEE


@pytest.mark.django_db
def test_another_plain_reviewer_cannot_see_a_task_claimed_by_a_colleague(under_review, reviewer_user, second_reviewer):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)

    with pytest.raises(ReviewTask.DoesNotExist):
        decide(task, second_reviewer)
    assert task not in review_queue_for(user=second_reviewer)
    assert task in review_queue_for(user=reviewer_user)


@pytest.mark.django_db
def test_an_unanswered_checklist_item_is_refused_naming_the_item_and_its_basis(under_review, reviewer_user):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)
    checklist = factories.full_checklist()
    del checklist["authority"]

    with pytest.raises(DomainError) as error:
        decide(task, reviewer_user, checklist=checklist)

    assert error.value.code == "checklist_incomplete"
    assert error.value.message == (
        "审查要点“决策事项是否符合决策机关的法定权限”尚未作答（《重大行政决策程序暂行条例》第二十七条第（一）项）")
    assert ReviewTask.objects.get(pk=task.pk).status == ReviewTask.Status.CLAIMED


@pytest.mark.django_db
def test_an_empty_checklist_names_every_item(under_review, reviewer_user):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)

    with pytest.raises(DomainError) as error:
        decide(task, reviewer_user, checklist={})

    assert len(error.value.details) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["passed", "passed_with_changes"])
def test_a_no_answer_cannot_pass(under_review, reviewer_user, outcome):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)
    checklist = {**factories.full_checklist(), "content": {"answer": "no", "note": "与上位法相抵触"}}

    with pytest.raises(DomainError) as error:
        decide(task, reviewer_user, outcome=outcome, checklist=checklist)

    assert error.value.message == "审查要点“决策草案内容是否符合有关法律、法规、规章和国家政策的规定”不符合，不能作出通过的结论"
    assert Decision.objects.get(pk=under_review.pk).status == S.LEGALITY_REVIEW


@pytest.mark.django_db
def test_a_no_answer_may_fail_the_review(under_review, reviewer_user):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)
    checklist = {**factories.full_checklist(), "content": {"answer": "no", "note": "与上位法相抵触"}}

    decide(task, reviewer_user, outcome="failed", checklist=checklist, opinion="草案第三条与上位法相抵触。")

    decision = Decision.objects.get(pk=under_review.pk)
    assert (decision.status, decision.legality_passed) == (S.LEGALITY_FAILED, False)
    assert decision.legality_opinion == "草案第三条与上位法相抵触。"


@pytest.mark.django_db
def test_not_applicable_answers_may_pass(under_review, reviewer_user):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)

    decide(task, reviewer_user, checklist={**factories.full_checklist(), "procedure": {"answer": "na", "note": ""}})

    assert Decision.objects.get(pk=under_review.pk).status == S.READY_FOR_DISCUSSION


@pytest.mark.django_db
@pytest.mark.parametrize(("outcome", "opinion", "message"), [
    ("approved", "意见。", "请选择审查结论。"),
    ("passed", "   ", "请填写审查意见。"),
])
def test_a_conclusion_needs_a_valid_outcome_and_an_opinion(under_review, reviewer_user, outcome, opinion, message):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)

    with pytest.raises(DomainError) as error:
        decide(task, reviewer_user, outcome=outcome, opinion=opinion)

    assert error.value.message == message


@pytest.mark.django_db
def test_passing_the_review_makes_the_decision_ready_and_records_the_outcome(under_review, reviewer_user):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)

    with time_machine.travel("2026-05-20 15:00 +0800", tick=False):
        decide(task, reviewer_user)

    task.refresh_from_db()
    assert (task.status, task.outcome) == (ReviewTask.Status.DONE, ReviewTask.Outcome.PASSED)
    assert task.decided_at is not None
    decision = Decision.objects.get(pk=under_review.pk)
    assert (decision.status, decision.legality_passed) == (S.READY_FOR_DISCUSSION, True)
    row = AuditEvent.objects.order_by("-seq").first()
    assert (row.action, row.actor, row.details["review_task"], row.details["outcome"]) == (
        "pass_legality_review", reviewer_user, task.pk, "passed")


@pytest.mark.django_db
def test_a_decided_task_cannot_be_decided_again(under_review, reviewer_user):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)
    decide(task, reviewer_user)

    with pytest.raises(Conflict) as error:
        decide(task, reviewer_user, outcome="failed")

    assert error.value.message == ALREADY_DONE


@pytest.mark.django_db
def test_return_for_supplement_sends_the_decision_back_to_consulting(under_review, reviewer_user):
    task = open_task(under_review)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)

    decide(task, reviewer_user, outcome="returned", opinion="请补充风险评估报告。")

    decision = Decision.objects.get(pk=under_review.pk)
    assert (decision.status, decision.legality_passed) == (S.CONSULTING, False)
    assert ReviewTask.objects.get(pk=task.pk).outcome == ReviewTask.Outcome.RETURNED


@pytest.mark.django_db
def test_a_resubmission_after_return_opens_a_new_task_with_new_deadlines(under_review, staff_user, reviewer_user):
    first = open_task(under_review)
    review_services.review_task_claim(task_id=first.pk, actor=reviewer_user)
    decide(first, reviewer_user, outcome="returned", opinion="请补充材料。")

    with time_machine.travel("2026-05-13 09:00 +0800", tick=False):
        services.decision_submit_for_legality_review(actor=staff_user, decision_id=under_review.pk, note="已补充。")

    tasks = list(ReviewTask.objects.filter(object_id=under_review.pk).order_by("id"))
    assert [t.status for t in tasks] == [ReviewTask.Status.DONE, ReviewTask.Status.OPEN]
    second = tasks[1]
    assert second.pk != first.pk
    assert (second.assigned_to, second.submission_note) == (None, "已补充。")
    # Wed 5-13 + 7 WD = Fri 5-22; + 15 WD = Wed 6-3.
    assert (second.submitted_on, second.earliest_decision_on, second.due_on) == (
        dt.date(2026, 5, 13), dt.date(2026, 5, 22), dt.date(2026, 6, 3))


@pytest.mark.django_db
def test_a_second_open_task_for_the_same_object_is_refused(under_review, staff_user):
    with pytest.raises(Conflict) as error:
        with time_machine.travel(MAY_11, tick=False):
            review_services.review_task_open(obj=under_review, kind="decision", title="重复",
                                             department=staff_user.department, submitted_by=staff_user, note="",
                                             min_policy="decision.legality_review_min",
                                             clock_rule="decision.legality_review")

    assert error.value.message == "该事项已有进行中的合法性审查。"


@pytest.mark.django_db
def test_the_queue_shows_open_tasks_to_reviewers_and_nothing_to_staff(under_review, reviewer_user, staff_user,
                                                                       supervisor_user):
    task = open_task(under_review)

    assert task in review_queue_for(user=reviewer_user)
    assert task in review_queue_for(user=supervisor_user)
    assert not review_queue_for(user=staff_user).exists()


# ================================================================== two people at the same moment
#: Real commits, so that threads with their own connections see each other's work;
#: reference rows (departments, calendar) come back after the flush through serialized rollback.
#: The append-only triggers around the flush are handled by tests/conftest.py.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_at_once(*calls) -> list[tuple[str, object]]:
    """Run each call in its own thread and DB connection, released together."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, object]] = [("not run", None)] * len(calls)

    def worker(index: int, call) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Exception as error:
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


@committed
def test_two_reviewers_claiming_at_once_one_wins_and_the_other_is_told_who():
    first = factories.reviewer(username="racer1", full_name="审查员甲")
    second = factories.reviewer(username="racer2", full_name="审查员乙")
    with time_machine.travel(MAY_11, tick=False):
        decision = factories.decision_in_state(S.LEGALITY_REVIEW)
        task = open_task(decision)

        results = run_at_once(
            lambda: review_services.review_task_claim(task_id=task.pk, actor=first),
            lambda: review_services.review_task_claim(task_id=task.pk, actor=second),
        )

    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    winner = ReviewTask.objects.get(pk=task.pk).assigned_to
    assert winner in (first, second)
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, Conflict)
    assert error.message == f"该审查任务已由{winner.display_name}认领。"
    assert AuditEvent.objects.filter(action="review_claim").count() == 1
    assert verify_chain()[1] is None


@committed
def test_two_conclusions_submitted_at_once_only_one_is_recorded():
    reviewer = factories.reviewer(username="racer3", full_name="审查员丙")
    with time_machine.travel(MAY_11, tick=False):
        decision = factories.decision_in_state(S.LEGALITY_REVIEW)
        task = open_task(decision)
        review_services.review_task_claim(task_id=task.pk, actor=reviewer)

        results = run_at_once(
            lambda: decide(task, reviewer, outcome="passed"),
            lambda: decide(task, reviewer, outcome="failed"),
        )

    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, Conflict)
    assert error.message == ALREADY_DONE
    task.refresh_from_db()
    decision = Decision.objects.get(pk=decision.pk)
    expected = {"passed": S.READY_FOR_DISCUSSION, "failed": S.LEGALITY_FAILED}[task.outcome]
    assert decision.status == expected
    assert AuditEvent.objects.filter(event_type="transition", object_id=str(decision.pk),
                                     source_state=S.LEGALITY_REVIEW).count() == 1
    assert verify_chain()[1] is None
