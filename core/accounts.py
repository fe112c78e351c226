"""Accounts and sessions to 等保 level 3 (issue 13, point 3; security.md §1 身份鉴别).

* Lockout (django-axes): after ``HUZHOU_LOCKOUT_FAILURES`` wrong passwords for one account (from
  any address) or from one address (for any account), on the login page and the token endpoint,
  for ``HUZHOU_LOCKOUT_MINUTES``; administrators unlock (``unlock``), audited.
* Second factor (django-otp, TOTP): required for administrators, the office, reviewers and
  supervisors unless ``HUZHOU_REQUIRE_2FA=0``; optional for everyone else. A session is not
  verified until the code is given; the token endpoint asks for the code too.
* API tokens expire ``HUZHOU_TOKEN_HOURS`` after they were issued and are deleted at logout.
* Sessions end after ``HUZHOU_SESSION_IDLE_MINUTES`` without a request, and a new login ends the
  account's other session (``HUZHOU_SINGLE_SESSION``).
* Passwords: 12+ characters of three of four kinds, not one of the last
  ``HUZHOU_PASSWORD_HISTORY`` passwords, changed every ``HUZHOU_PASSWORD_MAX_AGE_DAYS`` days.

Every login, failure, lockout, unlock, logout, expiry and second-factor failure is an audit event
(``event_type="security"``), readable in the security log.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import backends as auth_backends
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import Role

#: Roles that must use a second factor (等保: administrators and those who decide).
TWO_FACTOR_ROLES = {Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.OFFICE, Role.REVIEWER, Role.SUPERVISOR}


# ---------------------------------------------------------------- audit of security events
def security_event(*, action: str, label: str, actor=None, username: str = "", reason: str = "",
                   details: dict | None = None) -> None:
    """One security event in its own short transaction (a failure has no business transaction)."""
    from .audit import record_event

    with transaction.atomic():
        record_event(actor=actor, event_type="security", obj=None, action=action, action_label=label,
                     reason=reason, details={"username": username or getattr(actor, "username", ""),
                                             **(details or {})})


def client_address(request) -> str:
    from .ratelimit import client_key

    return client_key(request)


def axes_client_ip(request) -> str | None:
    """django-axes counts failures per address: the client, not the load balancer (None when the
    request has no address, e.g. a login made in code)."""
    import ipaddress

    address = client_address(getattr(request, "_request", request))
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


# ---------------------------------------------------------------- who needs a second factor
def requires_two_factor(user) -> bool:
    if not settings.HUZHOU_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or TWO_FACTOR_ROLES & set(user.roles))


def has_confirmed_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify_totp(user, token: str):
    """The confirmed device that accepts ``token`` (each code once: django-otp keeps the last
    step used), or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


# ---------------------------------------------------------------- passwords
class ComplexityValidator:
    """Three of the four kinds: upper case, lower case, digits, other characters (等保 身份鉴别 a)."""

    def validate(self, password: str, user=None) -> None:
        kinds = sum([any(c.isupper() for c in password), any(c.islower() for c in password),
                     any(c.isdigit() for c in password), any(not c.isalnum() for c in password)])
        if kinds < 3:
            raise ValidationError(_("密码须包含大写字母、小写字母、数字和其他字符中的至少三种。"), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字和其他字符中的至少三种。")


class HistoryValidator:
    """Not one of the last N passwords (HUZHOU_PASSWORD_HISTORY)."""

    def validate(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None) or settings.HUZHOU_PASSWORD_HISTORY <= 0:
            return
        from .models import PasswordHistory

        hashes = [user.password, *PasswordHistory.objects.filter(user=user).order_by("-created_at")
                  .values_list("password", flat=True)[:settings.HUZHOU_PASSWORD_HISTORY]]
        if any(h and check_password(password, h) for h in hashes):
            raise ValidationError(
                _("不能使用最近 %(n)s 次用过的密码。") % {"n": settings.HUZHOU_PASSWORD_HISTORY}, code="password_reused")

    def get_help_text(self) -> str:
        return _("不能使用最近 %(n)s 次用过的密码。") % {"n": settings.HUZHOU_PASSWORD_HISTORY}


def password_expired(user) -> bool:
    days = settings.HUZHOU_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.password_changed_at or not user.has_usable_password():
        return False
    return timezone.now() - user.password_changed_at > dt.timedelta(days=days)


# ---------------------------------------------------------------- API tokens
class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``; a token older than HUZHOU_TOKEN_HOURS is refused (and deleted)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取。"))
        return user, token


def token_expired(token) -> bool:
    return timezone.now() - token.created > dt.timedelta(hours=settings.HUZHOU_TOKEN_HOURS)


# ---------------------------------------------------------------- signals
def on_logged_in(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    session_key = request.session.session_key or ""
    if settings.HUZHOU_SINGLE_SESSION and user.session_key and user.session_key != session_key:
        from importlib import import_module

        import_module(settings.SESSION_ENGINE).SessionStore(session_key=user.session_key).delete()
    request.session["last_activity"] = timezone.now().timestamp()
    get_user_model().objects.filter(pk=user.pk).update(session_key=session_key, last_login=timezone.now())
    user.session_key = session_key
    security_event(action="login", label=_("登录"), actor=user, details={"address": client_address(request)})


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    from rest_framework.authtoken.models import Token

    revoked = Token.objects.filter(user=user).delete()[0]
    if request is not None:
        get_user_model().objects.filter(pk=user.pk, session_key=request.session.session_key or "").update(
            session_key="")
    security_event(action="logout", label=_("退出登录"), actor=user, details={"tokens_revoked": revoked})


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str((credentials or {}).get("username", ""))[:150]
    security_event(action="login_failed", label=_("登录失败"), username=username,
                   details={"address": client_address(getattr(request, "_request", request)) if request else ""})


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    security_event(action="locked_out", label=_("账号锁定（连续登录失败）"), username=str(username or "")[:150],
                   details={"address": ip_address or ""})


# ---------------------------------------------------------------- the lockout answer
def lockout_response(request, original_response=None, credentials=None):
    minutes = settings.HUZHOU_LOCKOUT_MINUTES
    message = _("登录失败次数过多，账号或地址已被锁定 %(minutes)s 分钟；如需提前解锁，请联系安全管理员。") % {"minutes": minutes}
    request = getattr(request, "_request", request)
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "locked_out", "message": message, "details": []}, status=429,
                                json_dumps_params={"ensure_ascii": False})
    else:
        response = TemplateResponse(request, "registration/locked_out.html", {"message": message}, status=429)
        response.render()
    response["Retry-After"] = str(minutes * 60)
    return response


def unlock(*, actor, username: str = "", address: str = "") -> int:
    """Lift a lockout (an account, an address or both) and record who did it."""
    from axes.utils import reset

    count = reset(username=username or None, ip=address or None) if (username or address) else 0
    security_event(action="unlock", label=_("解除登录锁定"), actor=actor,
                   details={"unlocked_username": username, "unlocked_address": address, "attempts_cleared": count})
    return count


# ---------------------------------------------------------------- the session's user
class ModelBackend(auth_backends.ModelBackend):
    """Django's, but a session's user comes with their department in the same query: every signed-in page
    shows it in the header and asks it for the side navigation (one query less a page)."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("department").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


# ---------------------------------------------------------------- middleware
#: Paths a signed-in user may reach before the second factor, after the idle timeout or with an
#: expired password (the steps that lead out of each state).
OPEN_PATHS = ("/accounts/", "/static/", "/i18n/", "/favicon.ico")


class AccountPolicyMiddleware:
    """Idle timeout, the second factor and password expiry for session users (after auth and OTP
    middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = timezone.now().timestamp()
        last = request.session.get("last_activity")
        idle = settings.HUZHOU_SESSION_IDLE_MINUTES * 60
        if idle and last and now - last > idle:
            security_event(action="session_expired", label=_("会话超时退出"), actor=user,
                           details={"idle_minutes": settings.HUZHOU_SESSION_IDLE_MINUTES})
            logout(request)
            messages.info(request, _("由于长时间未操作，您已退出登录，请重新登录。"))
            return self._to(request, "login")
        if not last or now - last > 30:  # saving the session on every request is not needed
            request.session["last_activity"] = now
        if request.path.startswith(OPEN_PATHS):
            return self.get_response(request)
        if requires_two_factor(user) and not user.is_verified():
            target = "account-2fa-verify" if has_confirmed_device(user) else "account-2fa-setup"
            return self._to(request, target)
        if password_expired(user):
            messages.warning(request, _("密码已超过 %(days)s 天未更换，请先修改密码。")
                             % {"days": settings.HUZHOU_PASSWORD_MAX_AGE_DAYS})
            return self._to(request, "password_change")
        return self.get_response(request)

    @staticmethod
    def _to(request, name: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "not_authenticated", "message": _("请先完成登录验证。"), "details": []},
                                status=401, json_dumps_params={"ensure_ascii": False})
        return redirect(f"{reverse(name)}?next={request.get_full_path()}" if request.method == "GET" else reverse(name))

