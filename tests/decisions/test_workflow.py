"""The state machine of a major decision, driven only through the services:
every legal move, the illegal ones, and the prerequisites that block a legal move."""
import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from core.exceptions import DomainError, InvalidState, TransitionBlocked
from core.models import AuditEvent
from decisions import services
from decisions.models import Decision, MeetingRecord, ProcedureRecord
from decisions.workflow import DecisionStatus as S
from decisions.workflow import MeetingOutcome, Procedure
from reviews import services as review_services
from reviews.models import ReviewTask
from tests import factories

pytestmark = pytest.mark.django_db

INVALID_STATE = "当前状态不允许此操作，请刷新页面后重试。"
PUBLIC_COMMENT_MISSING = (
    "“公众参与（征求意见）”尚未完成并留存证据，不得提交合法性审查（《重大行政决策程序暂行条例》第十四条、第十五条）"
)
RISK_MISSING = "“风险评估”尚未完成并留存证据，不得提交合法性审查（《重大行政决策程序暂行条例》第二十二条至第二十四条）"
LEGALITY_NOT_PASSED = "合法性审查未通过，不得提交集体讨论（《重大行政决策程序暂行条例》第二十五条）"
PARTY_REPORT_MISSING = (
    "决策出台前应当向同级党委请示报告，请先记录报告情况（《重大行政决策程序暂行条例》第三十一条）"
)


@pytest.fixture(autouse=True)
def _may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def actors(staff_user, reviewer_user, office_user) -> dict:
    return {"staff": staff_user, "reviewer": reviewer_user, "office": office_user}


def build(state: str, actors: dict, **kwargs) -> Decision:
    return factories.decision_in_state(state, staff_user=actors["staff"], reviewer_user=actors["reviewer"],
                                       office_user=actors["office"], **kwargs)


def decide_review(decision: Decision, reviewer, outcome: str) -> None:
    task = ReviewTask.objects.get(object_id=decision.pk, status=ReviewTask.Status.OPEN)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer)
    review_services.review_task_decide(task_id=task.pk, actor=reviewer, outcome=outcome,
                                       opinion="审查意见。", checklist=factories.full_checklist(),
                                       early_reason=factories.EARLY_REASON)


def snapshot(decision_id: int) -> dict:
    decision = Decision.objects.get(pk=decision_id)
    return {
        "status": decision.status, "version": decision.version, "round": decision.round,
        "legality_passed": decision.legality_passed, "updated_at": decision.updated_at,
        # a refusal itself is recorded (rule_refused, issue 12); nothing else is
        "audit_rows": AuditEvent.objects.exclude(event_type="rule_refused").count(),
        "review_tasks": ReviewTask.objects.count(),
        "meetings": MeetingRecord.objects.count(), "procedure_records": ProcedureRecord.objects.count(),
    }


# ================================================================== every legal move
LEGAL_MOVES = [
    # (start state, action, target state, builder kwargs)
    (S.DRAFTING, "start_procedures", S.CONSULTING, {}),
    (S.DRAFTING, "submit", S.LEGALITY_REVIEW, {"required_procedures": []}),
    (S.CONSULTING, "record_then_submit", S.LEGALITY_REVIEW, {}),
    (S.LEGALITY_REVIEW, "review_passed", S.READY_FOR_DISCUSSION, {}),
    (S.LEGALITY_REVIEW, "review_passed_with_changes", S.READY_FOR_DISCUSSION, {}),
    (S.LEGALITY_REVIEW, "review_returned", S.CONSULTING, {}),
    (S.LEGALITY_REVIEW, "review_failed", S.LEGALITY_FAILED, {}),
    (S.LEGALITY_FAILED, "revise", S.DRAFTING, {}),
    (S.READY_FOR_DISCUSSION, "meeting_adopted", S.DECIDED, {}),
    (S.READY_FOR_DISCUSSION, "meeting_deferred", S.DEFERRED, {}),
    (S.READY_FOR_DISCUSSION, "meeting_rejected", S.REJECTED, {}),
    (S.READY_FOR_DISCUSSION, "meeting_redraft", S.DRAFTING, {}),
    (S.DEFERRED, "meeting_adopted", S.DECIDED, {}),
    (S.DEFERRED, "meeting_deferred", S.DEFERRED, {}),
    (S.DEFERRED, "meeting_rejected", S.REJECTED, {}),
    (S.DEFERRED, "meeting_redraft", S.DRAFTING, {}),
    (S.DECIDED, "party_report_then_publish", S.EXECUTING, {}),
    (S.EXECUTING, "suspend", S.SUSPENDED, {}),
    (S.EXECUTING, "start_post_evaluation", S.POST_EVALUATION, {}),
    (S.EXECUTING, "complete", S.COMPLETED, {}),
    (S.SUSPENDED, "resume", S.EXECUTING, {}),
    (S.SUSPENDED, "adjust", S.DRAFTING, {}),
    (S.SUSPENDED, "terminate", S.TERMINATED, {}),
    (S.POST_EVALUATION, "evaluation_continue", S.EXECUTING, {}),
    (S.POST_EVALUATION, "evaluation_adjust", S.DRAFTING, {}),
    (S.POST_EVALUATION, "evaluation_terminate", S.TERMINATED, {}),
    (S.COMPLETED, "archive", S.ARCHIVED, {}),
    (S.TERMINATED, "archive", S.ARCHIVED, {}),
    (S.REJECTED, "archive", S.ARCHIVED, {}),
]


def act(action: str, decision: Decision, actors: dict):
    staff, reviewer, office = actors["staff"], actors["reviewer"], actors["office"]
    pk = decision.pk
    if action == "start_procedures":
        return services.decision_start_procedures(actor=staff, decision_id=pk)
    if action == "submit":
        return services.decision_submit_for_legality_review(actor=staff, decision_id=pk, note="请审查。")
    if action == "record_then_submit":
        services.decision_record_procedure(actor=staff, decision_id=pk, kind=Procedure.PUBLIC_COMMENT,
                                           details=factories.PUBLIC_COMMENT_DETAILS, files=[factories.pdf_file()])
        return services.decision_submit_for_legality_review(actor=staff, decision_id=pk, note="请审查。")
    if action.startswith("review_"):
        return decide_review(decision, reviewer, action.removeprefix("review_"))
    if action == "revise":
        return services.decision_revise(actor=staff, decision_id=pk, note="按审查意见修改。")
    if action.startswith("meeting_"):
        return services.decision_record_meeting(actor=office, decision_id=pk,
                                                data=factories.meeting_data(action.removeprefix("meeting_")))
    if action == "party_report_then_publish":
        services.decision_record_party_report(actor=office, decision_id=pk, reported_on=dt.date(2026, 5, 11),
                                              note="已向市委常委会报告。")
        return services.decision_publish(actor=office, decision_id=pk, channel="湖州市人民政府网站")
    if action == "suspend":
        return services.decision_suspend(actor=office, decision_id=pk, reason="暂停执行的理由。")
    if action == "start_post_evaluation":
        return services.decision_start_post_evaluation(actor=office, decision_id=pk, trigger="public_comments",
                                                       evaluator="第三方评估机构乙")
    if action == "complete":
        return services.decision_complete_execution(actor=staff, decision_id=pk, completed_on=dt.date(2026, 5, 11))
    if action == "resume":
        return services.decision_resume(actor=office, decision_id=pk, reason="风险已消除。")
    if action == "adjust":
        return services.decision_adjust(actor=office, decision_id=pk, reason="情况发生重大变化。")
    if action == "terminate":
        return services.decision_terminate(actor=office, decision_id=pk, reason="经集体讨论决定停止执行。")
    if action.startswith("evaluation_"):
        return services.decision_conclude_post_evaluation(actor=office, decision_id=pk,
                                                          conclusion=action.removeprefix("evaluation_"),
                                                          findings="评估认为……")
    if action == "archive":
        return services.decision_archive(actor=staff, decision_id=pk, note="归档。")
    raise AssertionError(action)


def _move_id(move) -> str:
    source, action, target, _kwargs = move.values if hasattr(move, "values") else move
    return f"{source}-{action}-{target}"


@pytest.mark.parametrize(("source", "action", "target", "kwargs"), LEGAL_MOVES, ids=[_move_id(m) for m in LEGAL_MOVES])
def test_every_legal_move_reaches_its_state_and_records_one_transition(actors, source, action, target, kwargs):
    decision = build(source, actors, **kwargs)
    assert decision.status == source
    last_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    act(action, decision, actors)

    after = Decision.objects.get(pk=decision.pk)
    assert after.status == target
    assert after.version > decision.version
    transitions = AuditEvent.objects.filter(seq__gt=last_seq, event_type="transition")
    assert [(t.source_state, t.target_state) for t in transitions] == [(source, target)]


# ================================================================== illegal moves
ILLEGAL_MOVES = [
    (S.READY_FOR_DISCUSSION, "submit"),
    (S.LEGALITY_REVIEW, "submit"),
    (S.EXECUTING, "submit"),
    (S.CONSULTING, "start_procedures"),
    (S.DRAFTING, "revise"),
    (S.CONSULTING, "revise"),
    (S.DRAFTING, "suspend"),
    (S.DECIDED, "suspend"),
    (S.SUSPENDED, "suspend"),
    (S.EXECUTING, "resume"),
    (S.EXECUTING, "terminate"),
    (S.EXECUTING, "adjust"),
    (S.DECIDED, "adjust"),
    (S.READY_FOR_DISCUSSION, "party_report_then_publish"),
    (S.SUSPENDED, "complete"),
    (S.DECIDED, "complete"),
    (S.EXECUTING, "archive"),
    (S.DRAFTING, "archive"),
    (S.ARCHIVED, "archive"),
    (S.POST_EVALUATION, "start_post_evaluation"),
    (S.DECIDED, "meeting_adopted"),
    (S.EXECUTING, "meeting_adopted"),
]


@pytest.mark.parametrize(("source", "action"), ILLEGAL_MOVES, ids=[f"{s}-{a}" for s, a in ILLEGAL_MOVES])
def test_an_illegal_move_is_refused_as_invalid_state(actors, source, action):
    decision = build(source, actors)

    with pytest.raises(InvalidState) as error:
        act(action, decision, actors)

    assert error.value.code == "invalid_state"
    assert error.value.message in (INVALID_STATE, "决策作出后、公布前记录向党委报告情况。")
    assert Decision.objects.get(pk=decision.pk).status == source


def test_submit_from_ready_for_discussion_is_invalid_state_with_the_refresh_message(actors):
    decision = build(S.READY_FOR_DISCUSSION, actors)

    with pytest.raises(InvalidState) as error:
        services.decision_submit_for_legality_review(actor=actors["staff"], decision_id=decision.pk)

    assert error.value.message == INVALID_STATE


def test_publish_before_the_decision_is_taken_is_invalid_state(actors):
    decision = build(S.READY_FOR_DISCUSSION, actors)

    with pytest.raises(InvalidState) as error:
        services.decision_publish(actor=actors["office"], decision_id=decision.pk, channel="湖州市人民政府网站")

    assert error.value.message == INVALID_STATE


def test_concluding_a_post_evaluation_that_was_not_started_is_invalid_state(actors):
    decision = build(S.EXECUTING, actors)

    with pytest.raises(InvalidState) as error:
        services.decision_conclude_post_evaluation(actor=actors["office"], decision_id=decision.pk,
                                                   conclusion="continue", findings="……")

    assert error.value.message == INVALID_STATE


# ================================================================== prerequisites block legal moves
def test_submit_with_a_missing_required_procedure_names_the_procedure_and_article(actors):
    decision = build(S.DRAFTING, actors)
    services.decision_start_procedures(actor=actors["staff"], decision_id=decision.pk)

    with pytest.raises(TransitionBlocked) as error:
        services.decision_submit_for_legality_review(actor=actors["staff"], decision_id=decision.pk)

    assert error.value.code == "prerequisites_missing"
    assert error.value.message == PUBLIC_COMMENT_MISSING


def test_submit_with_two_missing_procedures_names_both(actors):
    decision = build(S.CONSULTING, actors, required_procedures=[Procedure.PUBLIC_COMMENT, Procedure.RISK_ASSESSMENT])

    with pytest.raises(TransitionBlocked) as error:
        services.decision_submit_for_legality_review(actor=actors["staff"], decision_id=decision.pk)

    assert PUBLIC_COMMENT_MISSING in error.value.message
    assert RISK_MISSING in error.value.message


def test_submit_with_one_of_two_procedures_recorded_names_only_the_missing_one(actors):
    decision = build(S.CONSULTING, actors, required_procedures=[Procedure.PUBLIC_COMMENT, Procedure.RISK_ASSESSMENT])
    services.decision_record_procedure(actor=actors["staff"], decision_id=decision.pk, kind=Procedure.PUBLIC_COMMENT,
                                       details=factories.PUBLIC_COMMENT_DETAILS, files=[factories.pdf_file()])

    with pytest.raises(TransitionBlocked) as error:
        services.decision_submit_for_legality_review(actor=actors["staff"], decision_id=decision.pk)

    assert error.value.message == RISK_MISSING


def test_submit_with_an_empty_draft_is_blocked(actors):
    decision = build(S.DRAFTING, actors, required_procedures=[], draft_text="  ")

    with pytest.raises(TransitionBlocked) as error:
        services.decision_submit_for_legality_review(actor=actors["staff"], decision_id=decision.pk)

    assert error.value.message == "决策草案内容为空，请先完成草案起草（《重大行政决策程序暂行条例》第十二条）"


def test_starting_procedures_with_an_empty_draft_is_blocked(actors):
    decision = build(S.DRAFTING, actors, draft_text="")

    with pytest.raises(TransitionBlocked) as error:
        services.decision_start_procedures(actor=actors["staff"], decision_id=decision.pk)

    assert error.value.message == "决策草案内容为空，请先完成草案起草（《重大行政决策程序暂行条例》第十二条）"


@pytest.mark.parametrize("source", [S.DRAFTING, S.CONSULTING, S.LEGALITY_REVIEW, S.LEGALITY_FAILED])
def test_a_meeting_before_the_legality_review_passed_is_refused_citing_article_25(actors, source):
    decision = build(source, actors)

    with pytest.raises(TransitionBlocked) as error:
        services.decision_record_meeting(actor=actors["office"], decision_id=decision.pk,
                                         data=factories.meeting_data())

    assert error.value.message == LEGALITY_NOT_PASSED
    assert not MeetingRecord.objects.filter(decision=decision).exists()


def test_publish_without_the_party_report_is_blocked(actors):
    decision = build(S.DECIDED, actors)

    with pytest.raises(TransitionBlocked) as error:
        services.decision_publish(actor=actors["office"], decision_id=decision.pk, channel="湖州市人民政府网站")

    assert error.value.message == PARTY_REPORT_MISSING
    assert Decision.objects.get(pk=decision.pk).published_at is None


def test_publish_stamps_the_publication_time_and_channel(actors):
    decision = build(S.EXECUTING, actors)

    assert decision.published_at is not None
    assert decision.publication_channel == "湖州市人民政府网站"
    assert decision in Decision.objects.public()


# ================================================================== a refusal changes nothing
REFUSALS = [
    ("submit from ready", S.READY_FOR_DISCUSSION, InvalidState,
     lambda d, a: services.decision_submit_for_legality_review(actor=a["staff"], decision_id=d.pk)),
    ("submit with procedure missing", S.CONSULTING, TransitionBlocked,
     lambda d, a: services.decision_submit_for_legality_review(actor=a["staff"], decision_id=d.pk)),
    ("meeting before legality review", S.LEGALITY_REVIEW, TransitionBlocked,
     lambda d, a: services.decision_record_meeting(actor=a["office"], decision_id=d.pk,
                                                   data=factories.meeting_data())),
    ("publish without party report", S.DECIDED, TransitionBlocked,
     lambda d, a: services.decision_publish(actor=a["office"], decision_id=d.pk, channel="湖州市人民政府网站")),
    ("suspend without reason", S.EXECUTING, DomainError,
     lambda d, a: services.decision_suspend(actor=a["office"], decision_id=d.pk, reason=" ")),
    ("suspend by staff", S.EXECUTING, PermissionDenied,
     lambda d, a: services.decision_suspend(actor=a["staff"], decision_id=d.pk, reason="暂停。")),
    ("post-evaluation by the risk assessor", S.EXECUTING, TransitionBlocked,
     lambda d, a: services.decision_start_post_evaluation(actor=a["office"], decision_id=d.pk,
                                                          trigger="public_comments",
                                                          evaluator="湖州市社会稳定风险评估中心")),
]


@pytest.mark.parametrize(("name", "state", "error", "call"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refused_transition_changes_nothing_in_the_database(actors, name, state, error, call):
    decision = build(state, actors, required_procedures=[Procedure.PUBLIC_COMMENT, Procedure.RISK_ASSESSMENT])
    before = snapshot(decision.pk)

    with pytest.raises(error):
        call(decision, actors)

    assert snapshot(decision.pk) == before
    refusals = AuditEvent.objects.filter(event_type="rule_refused", object_id=str(decision.pk))
    assert refusals.count() == (1 if error is TransitionBlocked else 0)


# ================================================================== rounds: repeating the procedures
def test_adjusting_a_suspended_decision_returns_it_to_drafting_in_a_new_round(actors):
    decision = build(S.SUSPENDED, actors)

    services.decision_adjust(actor=actors["office"], decision_id=decision.pk, reason="情况发生重大变化，调整决策。")

    after = Decision.objects.get(pk=decision.pk)
    assert after.status == S.DRAFTING
    assert after.round == decision.round + 1 == 2
    assert after.legality_passed is False


def test_after_an_adjustment_the_procedures_must_be_recorded_again(actors):
    decision = build(S.SUSPENDED, actors)
    services.decision_adjust(actor=actors["office"], decision_id=decision.pk, reason="情况发生重大变化，调整决策。")
    services.decision_start_procedures(actor=actors["staff"], decision_id=decision.pk)

    with pytest.raises(TransitionBlocked) as error:
        services.decision_submit_for_legality_review(actor=actors["staff"], decision_id=decision.pk)

    assert error.value.message == PUBLIC_COMMENT_MISSING


def test_after_an_adjustment_the_new_round_can_be_recorded_and_submitted(actors):
    decision = build(S.SUSPENDED, actors)
    services.decision_adjust(actor=actors["office"], decision_id=decision.pk, reason="情况发生重大变化，调整决策。")
    services.decision_start_procedures(actor=actors["staff"], decision_id=decision.pk)
    services.decision_record_procedure(actor=actors["staff"], decision_id=decision.pk, kind=Procedure.PUBLIC_COMMENT,
                                       details=factories.PUBLIC_COMMENT_DETAILS, files=[factories.pdf_file()])

    services.decision_submit_for_legality_review(actor=actors["staff"], decision_id=decision.pk)

    assert Decision.objects.get(pk=decision.pk).status == S.LEGALITY_REVIEW
    assert list(ProcedureRecord.objects.filter(decision=decision).order_by("round").values_list("round", flat=True)) \
        == [1, 2]


def test_a_legality_review_must_pass_again_after_an_adjustment(actors):
    decision = build(S.POST_EVALUATION, actors)
    services.decision_conclude_post_evaluation(actor=actors["office"], decision_id=decision.pk, conclusion="adjust",
                                               findings="明显未达到预期效果。")

    after = Decision.objects.get(pk=decision.pk)
    assert (after.status, after.round, after.legality_passed) == (S.DRAFTING, 2, False)


def test_revising_after_a_failed_review_starts_a_new_round(actors):
    decision = build(S.LEGALITY_FAILED, actors)

    services.decision_revise(actor=actors["staff"], decision_id=decision.pk, note="按审查意见修改。")

    after = Decision.objects.get(pk=decision.pk)
    assert (after.status, after.round) == (S.DRAFTING, 2)


def test_a_redraft_ordered_by_the_meeting_starts_a_new_round(actors):
    decision = build(S.READY_FOR_DISCUSSION, actors)

    services.decision_record_meeting(actor=actors["office"], decision_id=decision.pk,
                                     data=factories.meeting_data(MeetingOutcome.REDRAFT))

    after = Decision.objects.get(pk=decision.pk)
    assert (after.status, after.round, after.legality_passed) == (S.DRAFTING, 2, False)


def test_returned_for_supplement_keeps_the_round_and_its_procedure_records(actors):
    decision = build(S.LEGALITY_REVIEW, actors)
    decide_review(decision, actors["reviewer"], "returned")

    services.decision_submit_for_legality_review(actor=actors["staff"], decision_id=decision.pk, note="已补充。")

    after = Decision.objects.get(pk=decision.pk)
    assert (after.status, after.round) == (S.LEGALITY_REVIEW, 1)
