"""Role helpers shared by every lifecycle."""
from __future__ import annotations

from .models import Role


def is_department_member(user, department_id: int | None) -> bool:
    return (
        user.is_authenticated
        and department_id is not None
        and user.department_id == department_id
        and bool({Role.STAFF, Role.HEAD} & set(user.roles))
    )


def is_office(user) -> bool:
    return user.is_authenticated and user.has_role(Role.OFFICE)


def is_reviewer(user) -> bool:
    return user.is_authenticated and user.has_role(Role.REVIEWER)


def is_review_lead(user) -> bool:
    """A reviewer who also heads the review body may assign tasks to colleagues."""
    return is_reviewer(user) and user.has_role(Role.HEAD)


def is_supervisor(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPERVISOR)


def may_view_responsibility(user, person_id: int | None) -> bool:
    """责任倒查 of a person (every recorded step they took part in): supervisors, the office, and the person."""
    return (user.is_authenticated and person_id is not None
            and (user.pk == person_id or user.has_role(Role.SUPERVISOR) or user.has_role(Role.OFFICE)))
