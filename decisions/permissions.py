"""Who may do what with a decision or a catalog."""
from __future__ import annotations

from core.permissions import is_department_member, is_office

from .workflow import EDITABLE_STATES


def can_edit(user, decision) -> bool:
    """The 承办单位's staff move the decision through its own steps."""
    return is_department_member(user, decision.department_id)


def can_edit_draft(user, decision) -> bool:
    return can_edit(user, decision) and decision.status in EDITABLE_STATES


def can_act_as_decision_body(user, decision=None) -> bool:
    """The government office records meetings, Party reports, publication and
    the decision body's later acts (suspension, adjustment, termination)."""
    return is_office(user)


def can_propose_catalog_item(user) -> bool:
    return is_department_member(user, user.department_id) if user.is_authenticated else False


def can_manage_catalog(user) -> bool:
    return is_office(user)
