"""Who may take and decide a legality review."""
from __future__ import annotations

from core.permissions import is_reviewer


def can_claim_review(user, task) -> bool:
    return is_reviewer(user) and task.submitted_by_id != user.pk


def can_decide_review(user, task) -> bool:
    return is_reviewer(user) and task.assigned_to_id == user.pk and task.submitted_by_id != user.pk
