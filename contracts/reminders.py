"""The deadline rules of administrative contracts, registered with the shared deadline
machinery: the legality review, milestones, expiry and filing. Numbers come from the policy
table (policy_data.py), all local rules."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Role
from deadlines.rules import (
    ClockRule,
    register,
    review_task_recipients,
    users_with_roles,
)

LEGALITY_REVIEW = "contract.legality_review"
LEGALITY_REVIEW_MIN = "contract.legality_review_min"
MILESTONE = "contract.milestone"
EXPIRY = "contract.expiry"
FILING = "contract.filing"


def _contracting_unit(clock, subject):
    return users_with_roles(Role.STAFF, Role.HEAD, department_id=clock.department_id)


def _contract_url(subject) -> str:
    contract_id = getattr(subject, "contract_id", None) or subject.pk
    return reverse("contracts:detail", args=[contract_id])


register(ClockRule(LEGALITY_REVIEW, "C1", _("合同合法性审查"), LEGALITY_REVIEW, review_task_recipients,
                   lambda task: reverse("reviews:review-detail", args=[task.pk])))
register(ClockRule(MILESTONE, "C3", _("合同履行节点"), MILESTONE, _contracting_unit, _contract_url,
                   steps=("warn", "due"), pausable=False, extendable=False))
register(ClockRule(EXPIRY, "C3", _("合同期限届满"), EXPIRY, _contracting_unit, _contract_url,
                   steps=("warn", "due"), pausable=False, extendable=False))
register(ClockRule(FILING, "C4", _("合同备案"), FILING, _contracting_unit, _contract_url, pausable=False))
