"""Permission checks inside the services: what a user may not see is
``Decision.DoesNotExist`` (a 404); what a user sees but may not do is
``PermissionDenied`` (a 403)."""
import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from core.exceptions import NotPermitted
from core.models import AuditEvent, Role
from decisions import selectors, services
from decisions.models import Decision
from decisions.workflow import DecisionStatus as S
from decisions.workflow import Procedure
from reviews import services as review_services
from reviews.models import ReviewTask
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


# ================================================================== another department
@pytest.mark.parametrize(("state", "call"), [
    (S.DRAFTING, lambda u, pk: services.decision_start_procedures(actor=u, decision_id=pk)),
    (S.DRAFTING, lambda u, pk: services.decision_update_draft(actor=u, decision_id=pk, version=1,
                                                               data={"summary": "改"})),
    (S.CONSULTING, lambda u, pk: services.decision_record_procedure(
        actor=u, decision_id=pk, kind=Procedure.PUBLIC_COMMENT, details=factories.PUBLIC_COMMENT_DETAILS,
        files=[factories.pdf_file()])),
    (S.CONSULTING, lambda u, pk: services.decision_submit_for_legality_review(actor=u, decision_id=pk)),
    (S.LEGALITY_FAILED, lambda u, pk: services.decision_revise(actor=u, decision_id=pk, note="改")),
    (S.EXECUTING, lambda u, pk: services.decision_complete_execution(actor=u, decision_id=pk,
                                                                     completed_on=dt.date(2026, 5, 11))),
], ids=["start", "edit", "record", "submit", "revise", "complete"])
def test_staff_of_another_department_cannot_even_see_the_decision(staff_user, other_staff_user, state, call):
    decision = factories.decision_in_state(state, staff_user=staff_user)
    before = Decision.objects.get(pk=decision.pk).status

    with pytest.raises(Decision.DoesNotExist):
        call(other_staff_user, decision.pk)

    assert Decision.objects.get(pk=decision.pk).status == before


def test_staff_of_another_department_gets_not_found_from_the_selector(staff_user, other_staff_user):
    decision = factories.decision_in_state(S.DRAFTING, staff_user=staff_user)

    with pytest.raises(Decision.DoesNotExist):
        selectors.decision_get_for_user(user=other_staff_user, decision_id=decision.pk)
    assert decision not in selectors.decision_list_for_user(user=other_staff_user)


def test_a_colleague_in_the_same_department_may_act(staff_user):
    colleague = factories.staff("hz-drc")
    decision = factories.decision_in_state(S.DRAFTING, staff_user=staff_user)

    services.decision_start_procedures(actor=colleague, decision_id=decision.pk)

    assert Decision.objects.get(pk=decision.pk).status == S.CONSULTING


# ================================================================== reviewers
def test_a_reviewer_cannot_see_a_decision_that_is_not_under_review(staff_user, reviewer_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)

    with pytest.raises(Decision.DoesNotExist):
        services.decision_submit_for_legality_review(actor=reviewer_user, decision_id=decision.pk)


def test_a_reviewer_sees_a_decision_under_review_but_cannot_act_on_it(staff_user, reviewer_user):
    decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)
    assert selectors.decision_get_for_user(user=reviewer_user, decision_id=decision.pk) == decision

    with pytest.raises(PermissionDenied):
        services.decision_update_draft(actor=reviewer_user, decision_id=decision.pk, version=decision.version,
                                       data={"summary": "审查人员修改"})
    with pytest.raises(PermissionDenied):
        services.decision_record_procedure(actor=reviewer_user, decision_id=decision.pk, kind=Procedure.PUBLIC_COMMENT,
                                           details=factories.PUBLIC_COMMENT_DETAILS, files=[factories.pdf_file()])


def test_a_reviewer_cannot_act_as_the_decision_body(staff_user, reviewer_user):
    decision = factories.decision_in_state(S.READY_FOR_DISCUSSION, staff_user=staff_user, reviewer_user=reviewer_user)

    with pytest.raises(PermissionDenied):
        services.decision_record_meeting(actor=reviewer_user, decision_id=decision.pk, data=factories.meeting_data())


# ================================================================== office-only actions
OFFICE_ONLY = [
    (S.READY_FOR_DISCUSSION, lambda u, pk: services.decision_record_meeting(actor=u, decision_id=pk,
                                                                            data=factories.meeting_data())),
    (S.DECIDED, lambda u, pk: services.decision_record_party_report(actor=u, decision_id=pk,
                                                                    reported_on=dt.date(2026, 5, 11), note="已报告。")),
    (S.DECIDED, lambda u, pk: services.decision_publish(actor=u, decision_id=pk, channel="湖州市人民政府网站")),
    (S.EXECUTING, lambda u, pk: services.decision_suspend(actor=u, decision_id=pk, reason="暂停。")),
    (S.EXECUTING, lambda u, pk: services.decision_start_post_evaluation(
        actor=u, decision_id=pk, trigger="public_comments", evaluator="第三方评估机构乙")),
    (S.SUSPENDED, lambda u, pk: services.decision_resume(actor=u, decision_id=pk, reason="恢复。")),
    (S.SUSPENDED, lambda u, pk: services.decision_adjust(actor=u, decision_id=pk, reason="调整。")),
    (S.SUSPENDED, lambda u, pk: services.decision_terminate(actor=u, decision_id=pk, reason="停止。")),
    (S.POST_EVALUATION, lambda u, pk: services.decision_conclude_post_evaluation(
        actor=u, decision_id=pk, conclusion="continue", findings="继续。")),
]
OFFICE_ONLY_IDS = ["meeting", "party_report", "publish", "suspend", "post_evaluation", "resume", "adjust",
                   "terminate", "conclude"]


@pytest.mark.parametrize(("state", "call"), OFFICE_ONLY, ids=OFFICE_ONLY_IDS)
def test_office_only_actions_are_refused_for_the_departments_staff(staff_user, state, call):
    decision = factories.decision_in_state(state, staff_user=staff_user)
    rows = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        call(staff_user, decision.pk)

    assert Decision.objects.get(pk=decision.pk).status == state
    assert AuditEvent.objects.count() == rows


def test_the_head_of_the_department_cannot_act_as_the_decision_body_either(staff_user):
    head = factories.UserFactory(department=staff_user.department, roles=[Role.HEAD])
    decision = factories.decision_in_state(S.EXECUTING, staff_user=staff_user)

    with pytest.raises(PermissionDenied):
        services.decision_suspend(actor=head, decision_id=decision.pk, reason="暂停。")


def test_the_office_cannot_do_the_departments_steps(staff_user, office_user):
    decision = factories.decision_in_state(S.DRAFTING, staff_user=staff_user)

    with pytest.raises(PermissionDenied):
        services.decision_start_procedures(actor=office_user, decision_id=decision.pk)


# ================================================================== supervisors
def test_a_supervisor_sees_every_department_decision(staff_user, other_staff_user, supervisor_user):
    mine = factories.decision_in_state(S.DRAFTING, staff_user=staff_user)
    theirs = factories.decision_in_state(S.DRAFTING, staff_user=other_staff_user)

    visible = set(selectors.decision_list_for_user(user=supervisor_user))

    assert {mine, theirs} <= visible
    assert selectors.decision_get_for_user(user=supervisor_user, decision_id=theirs.pk) == theirs


@pytest.mark.parametrize(("state", "call"), [
    (S.DRAFTING, lambda u, pk: services.decision_start_procedures(actor=u, decision_id=pk)),
    (S.READY_FOR_DISCUSSION, lambda u, pk: services.decision_record_meeting(actor=u, decision_id=pk,
                                                                            data=factories.meeting_data())),
    (S.EXECUTING, lambda u, pk: services.decision_suspend(actor=u, decision_id=pk, reason="暂停。")),
    (S.COMPLETED, lambda u, pk: services.decision_archive(actor=u, decision_id=pk)),
], ids=["start", "meeting", "suspend", "archive"])
def test_a_supervisor_cannot_act(staff_user, supervisor_user, state, call):
    decision = factories.decision_in_state(state, staff_user=staff_user)

    with pytest.raises(PermissionDenied):
        call(supervisor_user, decision.pk)

    assert Decision.objects.get(pk=decision.pk).status == state


def test_a_supervisor_cannot_claim_a_review(staff_user, supervisor_user):
    decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)
    task = ReviewTask.objects.get(object_id=decision.pk)

    with pytest.raises(NotPermitted) as error:
        review_services.review_task_claim(task_id=task.pk, actor=supervisor_user)

    assert error.value.message == "只有合法性审查人员可以认领审查任务。"
    assert ReviewTask.objects.get(pk=task.pk).assigned_to is None


# ================================================================== the catalog
def test_the_office_cannot_propose_catalog_items(office_user):
    with pytest.raises(PermissionDenied):
        services.catalog_item_propose(actor=office_user, year=2026, data={})


def test_staff_cannot_compile_or_publish_the_catalog(staff_user):
    factories.CatalogFactory(year=2026)

    with pytest.raises(PermissionDenied):
        services.catalog_compile(actor=staff_user, year=2026, included_ids=[])
    with pytest.raises(PermissionDenied):
        services.catalog_publish(actor=staff_user, year=2026)
    with pytest.raises(PermissionDenied):
        services.catalog_record_party_consent(actor=staff_user, year=2026, consent_on=dt.date(2026, 3, 1), note="同意")


def test_an_anonymous_visitor_sees_only_public_decisions(staff_user):
    draft = factories.decision_in_state(S.DRAFTING, staff_user=staff_user)
    published = factories.decision_in_state(S.EXECUTING, staff_user=staff_user)

    visible = set(Decision.objects.visible_to(AnonymousUser()))

    assert published in visible
    assert draft not in visible
