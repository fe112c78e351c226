"""The review queue and the review page."""

import pytest
import time_machine
from django.urls import reverse

from core.models import Role
from decisions.workflow import DecisionStatus
from reviews.models import ReviewTask
from reviews.services import review_task_claim
from tests import factories


@pytest.fixture(autouse=True)
def _calendar():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield



# ================================================================== review queue and review page
def test_review_queue_shows_open_tasks_to_a_reviewer(client, reviewer_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    client.force_login(reviewer_user)
    response = client.get(reverse("reviews:review-queue"))
    assert [t.object_id for t in response.context["page"]] == [decision.pk]


def test_review_queue_is_empty_for_staff(client, staff_user):
    factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("reviews:review-queue"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_staff_gets_404_on_the_review_page(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
    task = ReviewTask.objects.get(object_id=decision.pk)
    client.force_login(staff_user)
    assert client.get(reverse("reviews:review-detail", args=[task.pk])).status_code == 404


def test_reviewer_gets_404_on_a_task_claimed_by_a_colleague(client, reviewer_user, second_reviewer):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    review_task_claim(task_id=task.pk, actor=second_reviewer)
    client.force_login(reviewer_user)
    assert client.get(reverse("reviews:review-detail", args=[task.pk])).status_code == 404


def test_claiming_a_task_a_colleague_won_shows_who_on_the_queue(client, reviewer_user, second_reviewer):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    review_task_claim(task_id=task.pk, actor=second_reviewer)
    client.force_login(reviewer_user)

    response = client.post(reverse("reviews:review-claim", args=[task.pk]), follow=True)

    assert response.redirect_chain == [(reverse("reviews:review-queue"), 302)]
    assert f"该审查任务已由{second_reviewer.display_name}认领。" in response.content.decode()
    assert ReviewTask.objects.get(pk=task.pk).assigned_to == second_reviewer


def test_staff_claiming_a_review_task_gets_404(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
    task = ReviewTask.objects.get(object_id=decision.pk)
    client.force_login(staff_user)
    assert client.post(reverse("reviews:review-claim", args=[task.pk])).status_code == 404
    assert ReviewTask.objects.get(pk=task.pk).status == ReviewTask.Status.OPEN


def test_reviewer_cannot_decide_before_claiming(client, reviewer_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    client.force_login(reviewer_user)
    assert client.get(reverse("reviews:review-detail", args=[task.pk])).context["can_decide"] is False

    response = client.post(reverse("reviews:review-detail", args=[task.pk]), {
        "check_authority": "yes", "check_procedure": "yes", "check_content": "yes", "outcome": "passed",
        "opinion": "同意。"})

    assert response.status_code == 400
    assert "只能对分派给本人的审查任务作出结论，且不得审查本人报送的事项。" in response.content.decode()
    assert ReviewTask.objects.get(pk=task.pk).status == ReviewTask.Status.OPEN


def test_review_lead_assigns_a_task(client, reviewer_user):
    lead = factories.UserFactory(department=reviewer_user.department, roles=[Role.REVIEWER, Role.HEAD])
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    client.force_login(lead)
    response = client.post(reverse("reviews:review-assign", args=[task.pk]), {"assignee": reviewer_user.pk})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.assigned_to) == (ReviewTask.Status.CLAIMED, reviewer_user)


def test_a_plain_reviewer_cannot_assign(client, reviewer_user, second_reviewer):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    client.force_login(reviewer_user)
    response = client.post(reverse("reviews:review-assign", args=[task.pk]), {"assignee": second_reviewer.pk}, follow=True)
    assert "只有审查机构负责人可以分派审查任务。" in response.content.decode()
    assert ReviewTask.objects.get(pk=task.pk).assigned_to is None
