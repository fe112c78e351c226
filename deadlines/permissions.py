"""Who may act on a clock."""
from __future__ import annotations

from core.models import Role
from core.permissions import is_department_member, is_office


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMIN))


def can_manage_clock(user, clock) -> bool:
    """Record a pause or a resumption: the responsible department (for a review: its review unit's
    reviewers), or the office — not the assignee as such."""
    if not user.is_authenticated:
        return False
    reviewer_of_unit = (user.has_role(Role.REVIEWER) and clock.department_id is not None
                        and user.department_id == clock.department_id)
    return is_department_member(user, clock.department_id) or reviewer_of_unit or is_office(user)


def can_approve_extension(user, clock) -> bool:
    """An extension is approved by the responsible department's head, or by the office."""
    if is_office(user):
        return True
    return (user.is_authenticated and user.department_id == clock.department_id
            and clock.department_id is not None and user.has_role(Role.HEAD))


def can_see_all_deadlines(user) -> bool:
    return user.is_authenticated and (user.has_role(Role.SUPERVISOR) or is_office(user) or is_administrator(user))
