"""三员分立 (issue 13, point 4): system, security and audit administrators; nobody holds two; each
one's actions are audited; the security log is for the audit administrator."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.admin_duties import user_roles_set
from core.exceptions import DomainError
from core.models import AuditEvent, Role, User
from tests import factories

pytestmark = pytest.mark.django_db

TWO_DUTIES = "系统管理员、安全管理员和审计管理员须由不同的人担任（三员分立）。"


@pytest.fixture
def system_admin(db):
    return factories.UserFactory(roles=[Role.ADMIN], department=None, is_staff=True)


@pytest.fixture
def security_admin(db):
    return factories.UserFactory(roles=[Role.SECURITY_ADMIN], department=None)


@pytest.fixture
def audit_admin(db):
    return factories.UserFactory(roles=[Role.AUDIT_ADMIN], department=None)


@pytest.mark.parametrize("pair", [[Role.ADMIN, Role.SECURITY_ADMIN], [Role.ADMIN, Role.AUDIT_ADMIN],
                                  [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]])
def test_nobody_holds_two_administrator_roles(security_admin, staff_user, pair):
    with pytest.raises(DomainError) as raised:
        user_roles_set(actor=security_admin, user_id=staff_user.pk, roles=pair)
    assert raised.value.message == TWO_DUTIES
    with pytest.raises(ValidationError):
        User(username="x", roles=pair).clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="two-hats", roles=pair)


def test_the_security_administrator_gives_roles_and_it_is_audited(client, security_admin, staff_user):
    client.force_login(security_admin)
    response = client.post(f"/work/security/roles/{staff_user.pk}/", {"roles": [Role.STAFF, Role.REVIEWER]})
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.roles == [Role.STAFF, Role.REVIEWER]
    event = AuditEvent.objects.get(action="roles_changed")
    assert (event.actor_id, event.details["before"], event.details["after"]) == (
        security_admin.pk, [Role.STAFF], [Role.STAFF, Role.REVIEWER])


def test_the_security_administrator_cannot_change_their_own_roles(security_admin):
    with pytest.raises(DomainError) as raised:
        user_roles_set(actor=security_admin, user_id=security_admin.pk, roles=[Role.SECURITY_ADMIN, Role.OFFICE])
    assert raised.value.message == "不能修改自己的角色。"


@pytest.mark.parametrize("fixture", ["system_admin", "audit_admin", "staff_user"])
def test_only_the_security_administrator_changes_roles(request, client, fixture, staff_user):
    actor = request.getfixturevalue(fixture)
    with pytest.raises(PermissionDenied):
        user_roles_set(actor=actor, user_id=staff_user.pk, roles=[Role.ADMIN])
    client.force_login(actor)
    assert client.post(f"/work/security/roles/{staff_user.pk}/", {"roles": [Role.ADMIN]}).status_code == 403
    assert not AuditEvent.objects.filter(action="roles_changed").exists()


def test_the_audit_administrator_reads_the_security_log_and_the_reading_is_recorded(client, audit_admin, staff_user):
    client.post("/accounts/login/", {"username": staff_user.username, "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    client.force_login(audit_admin)
    response = client.get("/work/security/log/")
    assert response.status_code == 200
    assert {"登录失败", "登录"} <= {row.action_label for row in response.context["rows"]}
    assert AuditEvent.objects.filter(action="security_log_read", actor_id=audit_admin.pk).exists()


@pytest.mark.parametrize("fixture", ["system_admin", "security_admin", "staff_user", "supervisor_user"])
def test_nobody_else_reads_the_security_log(request, client, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get("/work/security/log/").status_code == 403


def test_the_system_administrator_manages_accounts_but_not_roles_nor_the_audit_trail(client, system_admin, staff_user):
    from django.contrib.auth.models import Permission

    system_admin.user_permissions.set(Permission.objects.exclude(content_type__model="auditevent"))
    client.force_login(system_admin)
    page = client.get(f"/admin/core/user/{staff_user.pk}/change/")
    assert page.status_code == 200
    assert 'name="roles"' not in page.content.decode()  # read-only for them
    assert client.get("/admin/core/auditevent/").status_code == 403
    response = client.post(f"/admin/core/user/{staff_user.pk}/change/", {
        "username": staff_user.username, "full_name": "改过的名字", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00", "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="account_changed")
    assert event.actor_id == system_admin.pk and "full_name" in event.details["fields"]


def test_the_security_administrator_resets_a_lost_authenticator_and_it_is_audited(client, security_admin,
                                                                                  reviewer_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=reviewer_user, name="phone", confirmed=True)
    client.force_login(security_admin)
    response = client.post(f"/work/security/roles/{reviewer_user.pk}/reset-2fa/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer_user).exists()
    event = AuditEvent.objects.get(action="two_factor_reset")
    assert (event.actor_id, event.details["devices_removed"]) == (security_admin.pk, 1)


@pytest.mark.parametrize("fixture", ["system_admin", "audit_admin", "staff_user"])
def test_only_the_security_administrator_resets_an_authenticator(request, client, fixture, reviewer_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=reviewer_user, name="phone", confirmed=True)
    client.force_login(request.getfixturevalue(fixture))
    assert client.post(f"/work/security/roles/{reviewer_user.pk}/reset-2fa/").status_code == 403
    assert TOTPDevice.objects.filter(user=reviewer_user).exists()
