"""The legality review queue API: who sees which task, claiming, assigning and
deciding, with the exact message of each refusal."""
from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import Role
from decisions.models import Decision
from decisions.workflow import DecisionStatus as S
from reviews.models import ReviewTask
from tests import factories
from tests.api_support import api, assert_error

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "未找到。", "details": []}


@pytest.fixture(autouse=True)
def _monday_in_may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def url(name: str, **kwargs) -> str:
    return reverse(f"reviews-api:{name}", kwargs=kwargs)


def review_lead(**kwargs):
    """A reviewer who heads the review body: sees the whole queue and may assign."""
    return factories.UserFactory(department=factories.department("hz-justice"), roles=[Role.REVIEWER, Role.HEAD],
                                 **kwargs)


@pytest.fixture
def task(staff_user) -> ReviewTask:
    decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)
    return ReviewTask.objects.get(object_id=decision.pk)


def decide(client: APIClient, task: ReviewTask, **overrides):
    data = {"outcome": "passed", "opinion": "经审查，符合法定权限和程序。", "checklist": factories.full_checklist(),
            "early_reason": factories.EARLY_REASON, **overrides}
    return client.post(url("review-decide", pk=task.pk), data, format="json")


# ================================================================== queue and detail
def test_reviewer_sees_an_open_task_in_the_queue(reviewer_user, task):
    body = api(reviewer_user).get(url("review-list")).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["id"], row["status"], row["department_name"]) == (task.pk, "open", "湖州市发展和改革委员会")
    assert row["due_on"] == "2026-06-01" and row["earliest_decision_on"] == "2026-05-20"


def test_queue_filters_by_department_kind_due_date_mine_and_state(reviewer_user, second_reviewer, staff_user):
    mine = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)
    other = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=factories.staff("hz-nrp"))
    done = factories.decision_in_state(S.READY_FOR_DISCUSSION, staff_user=staff_user, reviewer_user=reviewer_user)
    tasks = {d.pk: ReviewTask.objects.get(object_id=d.pk).pk for d in (mine, other, done)}
    client = api(reviewer_user)
    client.post(url("review-claim", pk=tasks[mine.pk]))

    def ids(**params) -> set[int]:
        response = client.get(url("review-list"), params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {tasks[mine.pk], tasks[other.pk]}
    assert ids(department=other.department_id) == {tasks[other.pk]}
    assert ids(kind="decision") == {tasks[mine.pk], tasks[other.pk]}
    assert ids(kind="enforcement") == set()
    assert ids(due_before="2026-05-31") == set()
    assert ids(due_before="2026-06-01") == {tasks[mine.pk], tasks[other.pk]}
    assert ids(mine="true") == {tasks[mine.pk]}
    assert ids(state="done") == {tasks[done.pk]}


def test_queue_with_a_malformed_filter_is_invalid(reviewer_user):
    response = api(reviewer_user).get(url("review-list"), {"due_before": "next week"})
    assert_error(response, 400, "invalid", "提交的数据不正确。")


def test_task_detail_lists_the_checklist_with_its_legal_basis(reviewer_user, task):
    body = api(reviewer_user).get(url("review-detail", pk=task.pk)).json()
    assert [item["key"] for item in body["checklist_items"]] == ["authority", "procedure", "content"]
    assert body["checklist_items"][0]["basis"] == "《重大行政决策程序暂行条例》第二十七条第（一）项"


def test_staff_sees_an_empty_queue_and_gets_404_on_a_task(staff_user, task):
    client = api(staff_user)
    assert client.get(url("review-list")).json()["count"] == 0
    assert client.get(url("review-detail", pk=task.pk)).json() == NOT_FOUND
    for name in ("review-claim", "review-assign", "review-decide"):
        response = client.post(url(name, pk=task.pk), {"assignee_id": staff_user.pk}, format="json")
        assert response.status_code == 404, name


def test_a_task_claimed_by_a_colleague_leaves_the_reviewers_queue(reviewer_user, second_reviewer, task):
    api(second_reviewer).post(url("review-claim", pk=task.pk))
    client = api(reviewer_user)
    assert client.get(url("review-list")).json()["count"] == 0
    assert client.get(url("review-detail", pk=task.pk)).status_code == 404


# ================================================================== claim, assign, decide
def test_claim_then_pass_moves_the_decision_to_collective_discussion(reviewer_user, task):
    client = api(reviewer_user)
    claimed = client.post(url("review-claim", pk=task.pk)).json()
    assert (claimed["status"], claimed["assigned_to"]) == ("claimed", reviewer_user.pk)
    response = decide(client, task)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["outcome"]) == ("done", "passed")
    decision = Decision.objects.get(pk=task.object_id)
    assert (decision.status, decision.legality_passed) == (S.READY_FOR_DISCUSSION, True)


def test_returned_outcome_sends_the_decision_back_to_its_procedures(reviewer_user, task):
    client = api(reviewer_user)
    client.post(url("review-claim", pk=task.pk))
    assert decide(client, task, outcome="returned", opinion="请补充专家论证材料。").status_code == 200
    assert Decision.objects.get(pk=task.object_id).status == S.CONSULTING


def test_claiming_a_task_claimed_by_a_colleague_is_a_conflict(reviewer_user, task):
    lead = review_lead(full_name="审查科长")
    api(lead).post(url("review-claim", pk=task.pk))
    client = api(review_lead())
    assert_error(client.post(url("review-claim", pk=task.pk)), 409, "conflict", "该审查任务已由审查科长认领。")


def test_claiming_a_done_task_is_a_conflict(reviewer_user, task):
    client = api(reviewer_user)
    client.post(url("review-claim", pk=task.pk))
    decide(client, task)
    assert_error(client.post(url("review-claim", pk=task.pk)), 409, "conflict", "该审查任务已办结。")


def test_deciding_an_unclaimed_task_is_forbidden(reviewer_user, task):
    assert_error(decide(api(reviewer_user), task), 403, "permission_denied",
                 "只能对分派给本人的审查任务作出结论，且不得审查本人报送的事项。")


@pytest.mark.parametrize(("overrides", "code", "message"), [
    ({"outcome": ""}, "invalid_outcome", "请选择审查结论。"),
    ({"outcome": "maybe"}, "invalid_outcome", "请选择审查结论。"),
    ({"opinion": "  "}, "opinion_required", "请填写审查意见。"),
    ({"checklist": {}}, "checklist_incomplete",
     "审查要点“决策事项是否符合决策机关的法定权限”尚未作答（《重大行政决策程序暂行条例》第二十七条第（一）项）"),
    ({"checklist": factories.full_checklist("no")}, "checklist_incomplete",
     "审查要点“决策事项是否符合决策机关的法定权限”不符合，不能作出通过的结论"),
])
def test_an_incomplete_conclusion_is_refused_with_the_reason(reviewer_user, task, overrides, code, message):
    client = api(reviewer_user)
    client.post(url("review-claim", pk=task.pk))
    assert_error(decide(client, task, **overrides), 400, code, message)
    assert ReviewTask.objects.get(pk=task.pk).status == ReviewTask.Status.CLAIMED


def test_a_failing_checklist_lists_every_failed_item(reviewer_user, task):
    client = api(reviewer_user)
    client.post(url("review-claim", pk=task.pk))
    assert len(decide(client, task, checklist=factories.full_checklist("no")).json()["details"]) == 3


def test_a_fail_may_rest_on_failed_checklist_items(reviewer_user, task):
    client = api(reviewer_user)
    client.post(url("review-claim", pk=task.pk))
    response = decide(client, task, outcome="failed", opinion="超越法定权限。", checklist=factories.full_checklist("no"))
    assert response.status_code == 200
    assert Decision.objects.get(pk=task.object_id).status == S.LEGALITY_FAILED


def test_deciding_a_done_task_again_is_a_conflict(reviewer_user, task):
    client = api(reviewer_user)
    client.post(url("review-claim", pk=task.pk))
    decide(client, task)
    assert_error(decide(client, task), 409, "conflict", "该审查任务已由其他人员办结，请刷新页面。")


def test_the_review_lead_assigns_a_task_to_a_colleague(reviewer_user, task):
    lead = review_lead()
    response = api(lead).post(url("review-assign", pk=task.pk), {"assignee_id": reviewer_user.pk}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["assigned_to"], response.json()["status"]) == (reviewer_user.pk, "claimed")
    assert decide(api(reviewer_user), task).status_code == 200


def test_only_the_review_lead_assigns(reviewer_user, second_reviewer, task):
    response = api(reviewer_user).post(url("review-assign", pk=task.pk), {"assignee_id": second_reviewer.pk},
                                       format="json")
    assert_error(response, 403, "permission_denied", "只有审查机构负责人可以分派审查任务。")


def test_a_task_cannot_be_assigned_to_someone_who_is_not_a_reviewer(staff_user, task):
    lead = review_lead()
    response = api(lead).post(url("review-assign", pk=task.pk), {"assignee_id": staff_user.pk}, format="json")
    assert_error(response, 400, "invalid_assignee", "所选人员不能承担该审查任务（须为本审查机构的审查人员且不是报送人）。")


def test_assigning_without_an_assignee_is_invalid(task):
    lead = review_lead()
    response = api(lead).post(url("review-assign", pk=task.pk), {}, format="json")
    assert_error(response, 400, "invalid", "提交的数据不正确。")
    assert response.json()["details"] == ["assignee_id: 该字段是必填项。"]
