"""The registry of clock rules (domain.md §8). Each lifecycle registers its rules
here; the machinery (clocks, reminders, sweeps, views) knows nothing else.

A rule names the policy row that gives its length (or none, for a clock with a
fixed due date), the reminder number of domain.md §8, who is reminded, and where
the reminder links to. Normative documents (R9–R16) and enforcement (R17–R23)
add rules with ``register``; they change nothing here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

#: The steps at which a running clock reminds: the warning day, the due day, the first overdue day.
CLOCK_STEPS = ("warn", "due", "overdue")


@dataclass(frozen=True)
class ClockRule:
    code: str
    reminder: str
    label: str
    policy: str | None
    recipients: Callable  # (clock, subject) -> iterable of users
    url: Callable  # (subject) -> str
    steps: tuple[str, ...] = CLOCK_STEPS
    pausable: bool = True
    extendable: bool = True


RULES: dict[str, ClockRule] = {}


def register(rule: ClockRule) -> ClockRule:
    RULES[rule.code] = rule
    return rule


def get(code: str) -> ClockRule:
    return RULES[code]


def users_with_roles(*roles: str, department_id: int | None = None) -> Iterable:
    """Active people holding any of ``roles`` (in one department when given)."""
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(*[Q(roles__contains=[role]) for role in roles], _connector=Q.OR)
    )
    if department_id is not None:
        users = users.filter(department_id=department_id)
    return users.order_by("pk")


def review_task_recipients(clock, task):
    """A legality review's clock reminds the assigned reviewer — or, until someone claims the
    task, the review body's leads — and the government office."""
    from core.models import Role

    people = [task.assigned_to] if task.assigned_to_id else list(
        users_with_roles(Role.REVIEWER, department_id=getattr(task, "review_unit_id", None)).filter(
            roles__contains=[Role.HEAD]))
    return people + [p for p in users_with_roles(Role.OFFICE) if p not in people]
