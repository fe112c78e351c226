"""Who may do what with an administrative contract."""
from __future__ import annotations

from core.permissions import is_department_member


def can_edit(user, contract) -> bool:
    """The contracting unit (承办单位) drafts, sends for review, signs and manages performance."""
    return is_department_member(user, contract.department_id)


def can_draft(user) -> bool:
    return user.is_authenticated and is_department_member(user, user.department_id)


def can_keep_register(user, body) -> bool:
    """The body's own staff keep its register and record its annual clean-up."""
    return is_department_member(user, body.pk)
