"""Who may take and decide a legality review."""
from __future__ import annotations

from core.permissions import is_reviewer


def in_review_unit(user, task) -> bool:
    """The task was sent to the reviewer's unit (its body's review unit, domain.md §9)."""
    return user.department_id is not None and task.review_unit_id == user.department_id


def can_claim_review(user, task) -> bool:
    return is_reviewer(user) and in_review_unit(user, task) and task.submitted_by_id != user.pk


def can_decide_review(user, task) -> bool:
    return (is_reviewer(user) and in_review_unit(user, task) and task.assigned_to_id == user.pk
            and task.submitted_by_id != user.pk)
