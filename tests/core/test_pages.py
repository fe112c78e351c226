"""The shared pages: 我的工作, the review queue and review page, attachment
downloads, 责任倒查 and the public home page."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, ReviewTask, Role
from core.services import review_task_claim
from decisions.models import Catalog, ProcedureRecord
from decisions.workflow import DecisionStatus, Disclosure
from tests import factories
from tests.factories import PDF_BYTES, CatalogFactory


@pytest.fixture(autouse=True)
def _calendar():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def evidence_of(decision):
    return ProcedureRecord.objects.get(decision=decision).attachments.get()


# ================================================================== 我的工作
def test_my_work_lists_only_the_staffs_own_department(client, staff_user, other_staff_user):
    mine = factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=staff_user)
    factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=other_staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("core:my-work"))
    assert response.context["work"]["department"] == [mine]
    assert response.context["reviews"] == []


def test_my_work_lists_open_reviews_for_a_reviewer(client, reviewer_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    client.force_login(reviewer_user)
    response = client.get(reverse("core:my-work"))
    assert [t.object_id for t in response.context["reviews"]] == [decision.pk]
    assert reverse("core:review-detail", args=[response.context["reviews"][0].pk]) in response.content.decode()


def test_my_work_lists_decisions_awaiting_the_office(client, office_user):
    ready = factories.decision_in_state(DecisionStatus.READY_FOR_DISCUSSION)
    factories.decision_in_state(DecisionStatus.CONSULTING)
    client.force_login(office_user)
    response = client.get(reverse("core:my-work"))
    assert response.context["work"]["office"] == [ready]


# ================================================================== review queue and review page
def test_review_queue_shows_open_tasks_to_a_reviewer(client, reviewer_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    client.force_login(reviewer_user)
    response = client.get(reverse("core:review-queue"))
    assert [t.object_id for t in response.context["page"]] == [decision.pk]


def test_review_queue_is_empty_for_staff(client, staff_user):
    factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("core:review-queue"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_staff_gets_404_on_the_review_page(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
    task = ReviewTask.objects.get(object_id=decision.pk)
    client.force_login(staff_user)
    assert client.get(reverse("core:review-detail", args=[task.pk])).status_code == 404


def test_reviewer_gets_404_on_a_task_claimed_by_a_colleague(client, reviewer_user, second_reviewer):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    review_task_claim(task_id=task.pk, actor=second_reviewer)
    client.force_login(reviewer_user)
    assert client.get(reverse("core:review-detail", args=[task.pk])).status_code == 404


def test_claiming_a_task_a_colleague_won_shows_who_on_the_queue(client, reviewer_user, second_reviewer):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    review_task_claim(task_id=task.pk, actor=second_reviewer)
    client.force_login(reviewer_user)

    response = client.post(reverse("core:review-claim", args=[task.pk]), follow=True)

    assert response.redirect_chain == [(reverse("core:review-queue"), 302)]
    assert f"该审查任务已由{second_reviewer.display_name}认领。" in response.content.decode()
    assert ReviewTask.objects.get(pk=task.pk).assigned_to == second_reviewer


def test_staff_claiming_a_review_task_gets_404(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
    task = ReviewTask.objects.get(object_id=decision.pk)
    client.force_login(staff_user)
    assert client.post(reverse("core:review-claim", args=[task.pk])).status_code == 404
    assert ReviewTask.objects.get(pk=task.pk).status == ReviewTask.Status.OPEN


def test_reviewer_cannot_decide_before_claiming(client, reviewer_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    client.force_login(reviewer_user)
    assert client.get(reverse("core:review-detail", args=[task.pk])).context["can_decide"] is False

    response = client.post(reverse("core:review-detail", args=[task.pk]), {
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
    response = client.post(reverse("core:review-assign", args=[task.pk]), {"assignee": reviewer_user.pk})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.assigned_to) == (ReviewTask.Status.CLAIMED, reviewer_user)


def test_a_plain_reviewer_cannot_assign(client, reviewer_user, second_reviewer):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    client.force_login(reviewer_user)
    response = client.post(reverse("core:review-assign", args=[task.pk]), {"assignee": second_reviewer.pk}, follow=True)
    assert "只有审查机构负责人可以分派审查任务。" in response.content.decode()
    assert ReviewTask.objects.get(pk=task.pk).assigned_to is None


# ================================================================== attachments
def test_own_department_downloads_the_evidence(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
    attachment = evidence_of(decision)
    client.force_login(staff_user)

    response = client.get(reverse("core:attachment-download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="evidence.pdf"'
    assert AuditEvent.objects.filter(action="attachment_download", object_id=str(decision.pk)).count() == 1


def test_other_department_gets_404_for_the_evidence(client, staff_user, other_staff_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
    attachment = evidence_of(decision)
    client.force_login(other_staff_user)
    assert client.get(reverse("core:attachment-download", args=[attachment.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="attachment_download").exists()


def test_anonymous_download_redirects_to_login(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING, staff_user=staff_user)
    url = reverse("core:attachment-download", args=[evidence_of(decision).pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_reviewer_downloads_the_evidence_of_a_task_they_may_see(client, reviewer_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    client.force_login(reviewer_user)
    response = client.get(reverse("core:attachment-download", args=[evidence_of(decision).pk]))
    assert response.status_code == 200


def test_missing_attachment_is_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("core:attachment-download", args=[999999])).status_code == 404


# ================================================================== 责任倒查
def test_a_person_reads_their_own_responsibility_record(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("core:responsibility", args=[staff_user.pk]))
    assert response.status_code == 200
    assert [e.action for e in response.context["page"]] == ["start_procedures"]
    assert decision.title in response.content.decode()


def test_supervisor_reads_anyones_responsibility_record(client, supervisor_user, staff_user):
    client.force_login(supervisor_user)
    assert client.get(reverse("core:responsibility", args=[staff_user.pk])).status_code == 200


def test_staff_cannot_read_a_colleagues_responsibility_record(client, staff_user, other_staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("core:responsibility", args=[other_staff_user.pk])).status_code == 403


def test_responsibility_record_of_a_missing_person_is_404(client, supervisor_user):
    client.force_login(supervisor_user)
    assert client.get(reverse("core:responsibility", args=[999999])).status_code == 404


# ================================================================== public home
def test_public_home_lists_published_catalogs_and_decisions(client, db):
    CatalogFactory(year=2026, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(2026, 3, 10),
                   published_at=timezone.make_aware(dt.datetime(2026, 3, 20, 9, 0)))
    CatalogFactory(year=2027)
    public = factories.decision_in_state(DecisionStatus.EXECUTING)
    factories.decision_in_state(DecisionStatus.EXECUTING, disclosure=Disclosure.WITHHELD,
                                withheld_reason="涉及国家秘密，依法不予公开。")

    response = client.get(reverse("public:home"))

    assert response.status_code == 200
    assert response.context["years"] == [2026]
    assert response.context["latest"] == [public]
    assert reverse("public:catalog", args=[2026]) in response.content.decode()
