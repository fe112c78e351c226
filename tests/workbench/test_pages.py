"""The staff pages across apps: 我的工作, attachment downloads and 责任倒查."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.models import AuditEvent
from decisions.models import ProcedureRecord
from decisions.workflow import DecisionStatus
from tests import factories
from tests.factories import PDF_BYTES


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
    response = client.get(reverse("workbench:my-work"))
    assert response.context["work"]["department"] == [mine]
    assert response.context["reviews"] == []


def test_my_work_shows_the_last_changed_decisions_and_links_to_all_of_them(client, staff_user):
    """我的工作 is an overview: a full section says how much it shows and leads to the whole list."""
    from decisions.models import Decision
    from tests.factories import DecisionFactory
    from workbench.views import MY_WORK_ROWS

    decisions = [DecisionFactory(department=staff_user.department, created_by=staff_user)
                 for _ in range(MY_WORK_ROWS + 3)]
    for age, decision in enumerate(decisions):  # the first made is the last changed, then a day apart each
        Decision.objects.filter(pk=decision.pk).update(updated_at=decision.updated_at - dt.timedelta(days=age + 1))
    client.force_login(staff_user)
    response = client.get(reverse("workbench:my-work"))
    shown = [d.pk for d in response.context["work"]["department"]]
    assert shown == [d.pk for d in decisions[:MY_WORK_ROWS]]
    body = response.content.decode()
    assert f"仅显示最近更新的{MY_WORK_ROWS}项。" in body
    assert f'<a href="{reverse("decisions:list")}">全部决策事项</a>' in body


def test_my_work_says_nothing_of_a_limit_when_everything_is_shown(client, staff_user):
    factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=staff_user)
    client.force_login(staff_user)
    assert "仅显示" not in client.get(reverse("workbench:my-work")).content.decode()


def test_my_work_lists_open_reviews_for_a_reviewer(client, reviewer_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    client.force_login(reviewer_user)
    response = client.get(reverse("workbench:my-work"))
    assert [t.object_id for t in response.context["reviews"]] == [decision.pk]
    assert reverse("reviews:review-detail", args=[response.context["reviews"][0].pk]) in response.content.decode()


def test_my_work_lists_decisions_awaiting_the_office(client, office_user):
    ready = factories.decision_in_state(DecisionStatus.READY_FOR_DISCUSSION)
    factories.decision_in_state(DecisionStatus.CONSULTING)
    client.force_login(office_user)
    response = client.get(reverse("workbench:my-work"))
    assert response.context["work"]["office"] == [ready]


# ================================================================== attachments
def test_own_department_downloads_the_evidence(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
    attachment = evidence_of(decision)
    client.force_login(staff_user)

    response = client.get(reverse("workbench:attachment-download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="evidence.pdf"'
    assert AuditEvent.objects.filter(action="attachment_download", object_id=str(decision.pk)).count() == 1


def test_other_department_gets_404_for_the_evidence(client, staff_user, other_staff_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
    attachment = evidence_of(decision)
    client.force_login(other_staff_user)
    assert client.get(reverse("workbench:attachment-download", args=[attachment.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="attachment_download").exists()


def test_anonymous_download_redirects_to_login(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING, staff_user=staff_user)
    url = reverse("workbench:attachment-download", args=[evidence_of(decision).pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_reviewer_downloads_the_evidence_of_a_task_they_may_see(client, reviewer_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    client.force_login(reviewer_user)
    response = client.get(reverse("workbench:attachment-download", args=[evidence_of(decision).pk]))
    assert response.status_code == 200


def test_missing_attachment_is_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("workbench:attachment-download", args=[999999])).status_code == 404


# ================================================================== 责任倒查
def test_a_person_reads_their_own_responsibility_record(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("workbench:responsibility", args=[staff_user.pk]))
    assert response.status_code == 200
    assert [e.action for e in response.context["page"]] == ["start_procedures"]
    assert decision.title in response.content.decode()


def test_supervisor_reads_anyones_responsibility_record(client, supervisor_user, staff_user):
    client.force_login(supervisor_user)
    assert client.get(reverse("workbench:responsibility", args=[staff_user.pk])).status_code == 200


def test_staff_cannot_read_a_colleagues_responsibility_record(client, staff_user, other_staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("workbench:responsibility", args=[other_staff_user.pk])).status_code == 403


def test_a_timeline_links_only_to_the_responsibility_records_the_reader_may_open(client, staff_user,
                                                                              supervisor_user):
    decision = factories.decision_in_state(DecisionStatus.READY_FOR_DISCUSSION, staff_user=staff_user)
    pages = {}
    for reader in (staff_user, supervisor_user):
        client.force_login(reader)
        pages[reader] = client.get(reverse("decisions:detail", args=[decision.pk]))
    actors = {e.actor_id for e in pages[supervisor_user].context["timeline"] if e.actor_id}
    assert staff_user.pk in actors and len(actors) > 1  # the reviewer acted too
    for reader, response in pages.items():
        linked = {pk for pk in actors if f'href="{reverse("workbench:responsibility", args=[pk])}"'
                  in response.content.decode()}
        assert linked == ({staff_user.pk} if reader == staff_user else actors)


def test_responsibility_record_of_a_missing_person_is_404(client, supervisor_user):
    client.force_login(supervisor_user)
    assert client.get(reverse("workbench:responsibility", args=[999999])).status_code == 404
