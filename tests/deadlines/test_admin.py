"""The policy table in the admin: administrators change a number through the
audited service; parked e-mails are shown to administrators and can be re-sent."""
import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEvent
from deadlines.models import DeadlinePolicy, OutboxEmail
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = factories.UserFactory(username="policy_admin", roles=["admin"], is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def _form(policy: DeadlinePolicy, **changes) -> dict:
    data = {name: getattr(policy, name) for name in
            ("code", "name", "length", "unit", "kind", "warn_before", "source", "effective_from", "note")}
    data.update(changes)
    data["effective_from"] = data["effective_from"].isoformat()
    return data


def test_an_administrator_changes_a_number_and_the_change_is_audited(admin_client):
    policy = DeadlinePolicy.objects.get(code="decision.public_comment")

    response = admin_client.post(reverse("admin:deadlines_deadlinepolicy_change", args=[policy.pk]),
                                 _form(policy, length=45))

    assert response.status_code == 302
    assert DeadlinePolicy.objects.get(pk=policy.pk).length == 45
    event = AuditEvent.objects.filter(action="policy_change").latest("seq")
    assert event.details["before"] == {"length": 30} and event.details["after"] == {"length": 45}


def test_a_new_version_with_a_later_effective_date_is_added_beside_the_old(admin_client):
    policy = DeadlinePolicy.objects.get(code="decision.publication")

    admin_client.post(reverse("admin:deadlines_deadlinepolicy_add"),
                      _form(policy, length=15, effective_from=dt.date(2027, 1, 1), source="新规定第十条"))

    assert list(DeadlinePolicy.objects.filter(code="decision.publication").values_list("length", flat=True)) == [15, 20]


def test_a_policy_cannot_be_deleted(admin_client):
    policy = DeadlinePolicy.objects.get(code="decision.publication")
    assert admin_client.post(reverse("admin:deadlines_deadlinepolicy_delete", args=[policy.pk]),
                             {"post": "yes"}).status_code == 403
    assert DeadlinePolicy.objects.filter(pk=policy.pk).exists()


def test_staff_cannot_reach_the_policy_table(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("admin:deadlines_deadlinepolicy_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_parked_emails_are_announced_to_administrators_and_can_be_requeued(admin_client):
    email = OutboxEmail.objects.create(idempotency_key="reminder:1", to_address="a@huzhou.gov.cn", subject="提醒",
                                       body="正文", status=OutboxEmail.Status.PARKED, attempts=6,
                                       next_attempt_at="2026-05-11T09:00+08:00", last_error="SMTPServerDisconnected")

    page = admin_client.get(reverse("workbench:my-work"))
    assert "1封提醒邮件多次发送失败，已搁置" in page.content.decode()

    admin_client.post(reverse("admin:deadlines_outboxemail_changelist"),
                      {"action": "retry_parked", "_selected_action": [email.pk]})
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 0)
