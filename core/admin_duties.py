"""三员分立 (等保 安全管理中心; issue 13, point 4): the system administrator manages accounts and
reference data (Django admin), the security administrator roles and security settings (roles,
lockouts), the audit administrator only reads the audit and security logs. Nobody holds two of
these roles (``User.clean`` and the database constraint ``user_one_admin_duty``), nobody changes
their own roles, and every action of the three is an audit event."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .audit import record_event
from .exceptions import DomainError
from .models import ADMIN_DUTIES, AuditEvent, Role, User

#: What the security log shows: logins, failures, lockouts, second factor, tokens, role changes, reveals.
SECURITY_EVENT_TYPES = ("security", "privacy")
SECURITY_LOG_PAGE = 50


def is_security_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.SECURITY_ADMIN)))


def is_audit_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.AUDIT_ADMIN)))


def is_system_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMIN)))


@transaction.atomic
def user_roles_set(*, actor: User, user_id: int, roles: list[str]) -> User:
    """The security administrator gives a user their roles; never their own, never two of the three."""
    if not is_security_admin(actor):
        raise PermissionDenied
    if actor.pk == user_id:
        raise DomainError(_("不能修改自己的角色。"), code="own_roles")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise DomainError(_("未知的角色。"), code="invalid_role")
    if len(set(roles) & set(ADMIN_DUTIES)) > 1:
        raise DomainError(_("系统管理员、安全管理员和审计管理员须由不同的人担任（三员分立）。"), code="admin_duties")
    user = User.objects.select_for_update().get(pk=user_id)
    before = list(user.roles)
    user.roles = [role for role in Role.values if role in roles]
    user.save(update_fields=["roles"])
    record_event(actor=actor, event_type="security", obj=user, action="roles_changed", action_label=_("修改角色"),
                 details={"username": user.username, "before": before, "after": user.roles})
    return user


@transaction.atomic
def two_factor_reset(*, actor: User, user_id: int) -> int:
    """A lost phone: the security administrator removes a user's authenticators; the user enrols
    again at the next login. Never one's own."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not is_security_admin(actor):
        raise PermissionDenied
    if actor.pk == user_id:
        raise DomainError(_("不能重置自己的双因素认证。"), code="own_two_factor")
    user = User.objects.get(pk=user_id)
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    record_event(actor=actor, event_type="security", obj=user, action="two_factor_reset",
                 action_label=_("重置双因素认证"), details={"username": user.username, "devices_removed": removed})
    return removed


def security_log(*, actor: User, before_seq: int | None = None, action: str = "", username: str = "") -> list:
    """The newest security events (keyset pages of 50, no COUNT), for the audit administrator only;
    each reading is itself recorded."""
    if not is_audit_admin(actor):
        raise PermissionDenied
    events: QuerySet[AuditEvent] = AuditEvent.objects.filter(event_type__in=SECURITY_EVENT_TYPES).order_by("-seq")
    if before_seq:
        events = events.filter(seq__lt=before_seq)
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(actor_username=username) | events.filter(details__username=username)
    rows = list(events.only("seq", "occurred_at", "actor_username", "action", "action_label", "object_label",
                            "reason", "details")[:SECURITY_LOG_PAGE])
    with transaction.atomic():
        record_event(actor=actor, event_type="audit_query", obj=None, action="security_log_read",
                     action_label=_("查阅安全日志"), details={"action": action, "username": username,
                                                             "before": before_seq})
    return rows
