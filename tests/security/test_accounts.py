"""Accounts and sessions (issue 13, point 3), starting with the report's "90 wrong passwords on
/accounts/login/, then the right one: logged in"."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from core.models import AuditEvent, Role
from tests import factories
from tests.api_support import api

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多，账号或地址已被锁定 30 分钟；如需提前解锁，请联系安全管理员。"


def login(client, username, password=factories.PASSWORD, address="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def token(username, password=factories.PASSWORD, address="10.0.0.1", **extra):
    return Client().post("/api/v1/auth/token/", {"username": username, "password": password, **extra},
                         content_type="application/json", REMOTE_ADDR=address)


def security_events(action: str):
    return AuditEvent.objects.filter(event_type="security", action=action)


# ---------------------------------------------------------------- lockout
def test_ninety_wrong_passwords_then_the_right_one_is_refused_on_the_login_page(client, staff_user):
    for _attempt in range(90):
        login(client, staff_user.username, "wrong-password")
    response = login(client, staff_user.username)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_comes_after_five_failures_and_is_audited(client, staff_user):
    for _attempt in range(4):
        assert login(client, staff_user.username, "wrong-password").status_code == 200
    assert login(client, staff_user.username, "wrong-password").status_code == 429
    assert login(client, staff_user.username).status_code == 429
    assert security_events("login_failed").filter(details__username=staff_user.username).count() >= 5
    assert security_events("locked_out").filter(details__username=staff_user.username).exists()


def test_a_locked_account_is_locked_from_every_address(client, staff_user):
    for number in range(5):
        login(client, staff_user.username, "wrong-password", address=f"10.0.1.{number}")
    assert login(Client(), staff_user.username, address="10.9.9.9").status_code == 429


def test_an_address_guessing_many_accounts_is_locked_for_every_account(client, staff_user):
    for number in range(5):
        login(client, f"nobody{number}", "wrong-password", address="10.0.2.1")
    assert login(Client(), staff_user.username, address="10.0.2.1").status_code == 429
    other = Client()
    response = login(other, staff_user.username, address="10.0.2.2")
    assert response.status_code == 302 and other.session["_auth_user_id"] == str(staff_user.pk)


def test_a_right_password_before_the_limit_resets_the_count(client, staff_user):
    for _attempt in range(4):
        login(client, staff_user.username, "wrong-password")
    assert login(client, staff_user.username).status_code == 302
    client.logout()
    for _attempt in range(4):
        login(client, staff_user.username, "wrong-password")
    assert login(client, staff_user.username).status_code == 302


def test_the_token_endpoint_locks_out_too_with_the_api_error_body(staff_user):
    for _attempt in range(5):
        token(staff_user.username, "wrong-password")
    response = token(staff_user.username)
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert response.json()["message"] == LOCKED
    assert not Token.objects.filter(user=staff_user).exists()


def test_the_security_administrator_unlocks_an_account_and_it_is_audited(client, staff_user):
    for _attempt in range(5):
        login(Client(), staff_user.username, "wrong-password")
    admin = factories.UserFactory(roles=[Role.SECURITY_ADMIN], department=None)
    client.force_login(admin)
    assert staff_user.username in client.get("/work/security/lockouts/").content.decode()
    response = client.post("/work/security/lockouts/", {"username": staff_user.username})
    assert response.status_code == 302
    event = security_events("unlock").get()
    assert (event.actor_id, event.details["unlocked_username"]) == (admin.pk, staff_user.username)
    assert login(Client(), staff_user.username).status_code == 302


@pytest.mark.parametrize("roles", [[Role.STAFF], [Role.ADMIN], [Role.AUDIT_ADMIN]])
def test_only_the_security_administrator_sees_and_lifts_lockouts(client, roles):
    client.force_login(factories.UserFactory(roles=roles))
    assert client.get("/work/security/lockouts/").status_code == 403
    assert client.post("/work/security/lockouts/", {"username": "x"}).status_code == 403
    assert not security_events("unlock").exists()


def test_logins_and_failures_are_in_the_audit_trail(client, staff_user):
    login(client, staff_user.username, "wrong-password")
    login(client, staff_user.username)
    assert security_events("login_failed").get().details["address"] == "10.0.0.1"
    assert security_events("login").get().actor_id == staff_user.pk


# ---------------------------------------------------------------- second factor
def _code(device, at: float | None = None) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0):06d}"


@pytest.fixture
def two_factor(settings):
    settings.HUZHOU_REQUIRE_2FA = True
    return settings


def test_a_reviewer_with_a_password_only_reaches_no_staff_page(two_factor, client, reviewer_user):
    login(client, reviewer_user.username)
    for url in ("/work/", "/work/reviews/", "/decisions/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/setup/")
    assert client.get("/api/v1/reviews/").status_code == 401


def test_a_reviewer_enrols_an_authenticator_and_then_works(two_factor, client, reviewer_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    login(client, reviewer_user.username)
    page = client.get("/accounts/2fa/setup/")
    assert "otpauth://totp/" in page.content.decode()
    device = TOTPDevice.objects.get(user=reviewer_user)
    assert client.post("/accounts/2fa/setup/", {"code": "000000" if _code(device) != "000000" else "111111"}
                       ).status_code == 400
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code
    response = client.post("/accounts/2fa/setup/", {"code": _code(device), "next": "/work/reviews/"})
    assert response.status_code == 302 and response["Location"] == "/work/reviews/"
    assert client.get("/work/reviews/").status_code == 200
    assert security_events("otp_enrolled").filter(actor_id=reviewer_user.pk).exists()
    assert security_events("otp_failed").filter(actor_id=reviewer_user.pk).exists()


def test_a_code_is_accepted_once(two_factor, reviewer_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=reviewer_user, name="phone", confirmed=True)
    code = _code(device)
    first, second = Client(), Client()
    login(first, reviewer_user.username)
    assert first.post("/accounts/2fa/", {"code": code}).status_code == 302
    login(second, reviewer_user.username, address="10.0.0.2")
    response = second.post("/accounts/2fa/", {"code": code})
    assert response.status_code == 400
    assert "验证码不正确或已使用过" in response.content.decode()


def test_staff_without_a_deciding_role_are_not_asked_for_a_second_factor(two_factor, client, staff_user):
    login(client, staff_user.username)
    assert client.get("/work/").status_code == 200


def test_the_token_endpoint_asks_a_reviewer_for_the_code(two_factor, reviewer_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert token(reviewer_user.username).json()["code"] == "otp_enrolment_required"
    device = TOTPDevice.objects.create(user=reviewer_user, name="phone", confirmed=True)
    assert token(reviewer_user.username, otp="12345x").json()["code"] == "otp_invalid"
    response = token(reviewer_user.username, otp=_code(device))
    assert response.status_code == 200 and response.json()["token"]


def test_with_require_2fa_off_nobody_is_asked(settings, client, reviewer_user):
    settings.HUZHOU_REQUIRE_2FA = False
    login(client, reviewer_user.username)
    assert client.get("/work/reviews/").status_code == 200


# ---------------------------------------------------------------- tokens
@pytest.fixture
def eight_hour_tokens(settings):
    settings.HUZHOU_TOKEN_HOURS = 8


def test_a_token_expires_after_eight_hours(eight_hour_tokens, staff_user):
    with time_machine.travel(timezone.now() - dt.timedelta(hours=8, minutes=1)):
        key = token(staff_user.username).json()["token"]
    response = api().get("/api/v1/decisions/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json()["message"] == "令牌已过期，请重新获取。"
    fresh = token(staff_user.username).json()
    assert fresh["token"] != key
    assert api().get("/api/v1/decisions/", HTTP_AUTHORIZATION=f"Token {fresh['token']}").status_code == 200


def test_a_token_within_its_hours_works_and_says_when_it_expires(eight_hour_tokens, staff_user):
    body = token(staff_user.username).json()
    expires_at = dt.datetime.fromisoformat(body["expires_at"])
    assert timezone.now() + dt.timedelta(hours=7, minutes=59) < expires_at < timezone.now() + dt.timedelta(hours=8)
    assert api().get("/api/v1/decisions/", HTTP_AUTHORIZATION=f"Token {body['token']}").status_code == 200


def test_logging_out_revokes_the_api_token(client, staff_user):
    key = token(staff_user.username).json()["token"]
    login(client, staff_user.username)
    client.post("/accounts/logout/")
    assert api().get("/api/v1/decisions/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert security_events("logout").get().details["tokens_revoked"] == 1


def test_the_api_revokes_its_own_token(staff_user):
    key = token(staff_user.username).json()["token"]
    assert api().post("/api/v1/auth/token/revoke/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 204
    assert api().get("/api/v1/decisions/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


# ---------------------------------------------------------------- sessions
def test_a_session_idle_for_thirty_one_minutes_ends(settings, client, staff_user):
    settings.HUZHOU_SESSION_IDLE_MINUTES = 30
    login(client, staff_user.username)
    assert client.get("/work/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        response = client.get("/work/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert security_events("session_expired").filter(actor_id=staff_user.pk).exists()


def test_a_session_in_use_does_not_end(settings, client, staff_user):
    settings.HUZHOU_SESSION_IDLE_MINUTES = 30
    login(client, staff_user.username)
    for minutes in (20, 40, 60):
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes)):
            assert client.get("/work/").status_code == 200


def test_a_new_login_ends_the_accounts_other_session(settings, staff_user):
    settings.HUZHOU_SINGLE_SESSION = True
    first, second = Client(), Client()
    login(first, staff_user.username)
    assert first.get("/work/").status_code == 200
    login(second, staff_user.username, address="10.0.0.2")
    assert second.get("/work/").status_code == 200
    assert first.get("/work/").status_code == 302


# ---------------------------------------------------------------- passwords
def test_an_expired_password_must_be_changed_first(settings, client, staff_user):
    settings.HUZHOU_PASSWORD_MAX_AGE_DAYS = 90
    staff_user.__class__.objects.filter(pk=staff_user.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=91))
    login(client, staff_user.username)
    response = client.get("/work/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/password/")
    response = client.post("/accounts/password/", {"old_password": factories.PASSWORD,
                                                   "new_password1": "Another#Passw0rd-2026",
                                                   "new_password2": "Another#Passw0rd-2026"})
    assert response.status_code == 302
    assert client.get("/work/").status_code == 200


@pytest.mark.parametrize(("new", "message"), [
    (factories.PASSWORD, "不能使用最近 5 次用过的密码。"),
    ("alllowercaseletters", "密码须包含大写字母、小写字母、数字和其他字符中的至少三种。"),
    ("Short#1", "12"),  # Django's own message (its wording depends on Django's catalogue)
])
def test_a_weak_or_reused_password_is_refused(client, staff_user, new, message):
    client.force_login(staff_user)
    response = client.post("/accounts/password/", {"old_password": factories.PASSWORD, "new_password1": new,
                                                   "new_password2": new})
    assert response.status_code == 200
    assert message in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password(factories.PASSWORD)


def test_the_last_five_passwords_are_remembered(client, staff_user):
    for number in range(1, 6):
        staff_user.set_password(f"Rotated#Passw0rd-{number}")
        staff_user.save()
    client.force_login(staff_user)
    refused = client.post("/accounts/password/", {"old_password": "Rotated#Passw0rd-5",
                                                  "new_password1": "Rotated#Passw0rd-1",
                                                  "new_password2": "Rotated#Passw0rd-1"})
    assert "不能使用最近 5 次用过的密码。" in refused.content.decode()
    accepted = client.post("/accounts/password/", {"old_password": "Rotated#Passw0rd-5",
                                                   "new_password1": factories.PASSWORD,
                                                   "new_password2": factories.PASSWORD})
    assert accepted.status_code == 302  # the factory's password is six passwords back


def test_the_session_user_is_read_with_their_department_in_one_query(client, staff_user,
                                                                    django_assert_num_queries):
    from core.accounts import ModelBackend

    with django_assert_num_queries(1):
        user = ModelBackend().get_user(staff_user.pk)
        assert user == staff_user and user.department.code == "hz-drc"
    client.force_login(staff_user)
    assert client.get("/decisions/").wsgi_request.user.department.code == "hz-drc"


def test_a_deactivated_account_has_no_session_user(staff_user):
    from core.accounts import ModelBackend

    staff_user.is_active = False
    staff_user.save(update_fields=["is_active"])
    assert ModelBackend().get_user(staff_user.pk) is None


def _fields(user):
    return {field.attname: getattr(user, field.attname) for field in type(user)._meta.concrete_fields}


def test_the_session_user_is_the_users_row_and_their_departments(staff_user, django_assert_num_queries):
    from core.accounts import ModelBackend
    from core.models import User

    expected = User.objects.select_related("department").get(pk=staff_user.pk)
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(staff_user.pk)
        assert _fields(user) == _fields(expected) and _fields(user.department) == _fields(expected.department)
    assert not user._state.adding and user._state.db == "default"


def test_a_session_user_without_a_department_or_row(db, django_assert_num_queries):
    from core.accounts import ModelBackend
    from core.models import User

    user = User.objects.create_user(username="no_unit", password="x" * 16)
    with django_assert_num_queries(1):
        assert ModelBackend().get_user(user.pk).department is None
    assert ModelBackend().get_user(user.pk + 1000) is None
