"""Fixtures for the deadline pages, feed and API: two clock rules registered only
for the test (a statutory working-day rule and an advisory calendar-day rule, each
with its policy row) and a factory that starts clocks through the real service.

Nothing here is autouse, so the other deadline tests are not affected.
"""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from core.models import Role
from deadlines import rules, services
from deadlines.models import DeadlineKind, DeadlinePolicy, LegalClock, Unit
from tests import factories

STATUTORY_RULE = "test.view_statutory"
ADVISORY_RULE = "test.view_advisory"
STATUTORY_SOURCE = "《湖州市测试办法》第十条"
ADVISORY_SOURCE = "本市服务承诺（测试）"

#: Monday 11 May 2026 in Huzhou; no holiday until the Dragon Boat Festival (19 June).
TODAY = dt.date(2026, 5, 11)
NOW = "2026-05-11 10:00 +0800"


def _recipients(clock, subject):
    if clock.assignee_id:
        return [clock.assignee]
    return rules.users_with_roles(Role.STAFF, Role.HEAD, department_id=clock.department_id)


def _url(subject) -> str:
    return f"/test-subjects/{subject.pk}/"


@pytest.fixture
def view_rules(db):
    """Register the two rules and their policies; the registry is restored afterwards."""
    DeadlinePolicy.objects.create(code=STATUTORY_RULE, name="测试法定期限", length=10, unit=Unit.WORKING_DAYS,
                                  kind=DeadlineKind.STATUTORY, warn_before=3, source=STATUTORY_SOURCE,
                                  effective_from=dt.date(2020, 1, 1))
    DeadlinePolicy.objects.create(code=ADVISORY_RULE, name="测试服务承诺", length=30, unit=Unit.CALENDAR_DAYS,
                                  kind=DeadlineKind.ADVISORY, warn_before=0, source=ADVISORY_SOURCE,
                                  effective_from=dt.date(2020, 1, 1))
    saved = {code: rules.RULES.get(code) for code in (STATUTORY_RULE, ADVISORY_RULE)}
    rules.register(rules.ClockRule(STATUTORY_RULE, "R98", "测试办结", STATUTORY_RULE, _recipients, _url))
    rules.register(rules.ClockRule(ADVISORY_RULE, "R99", "测试承诺", ADVISORY_RULE, _recipients, _url,
                                   steps=("due",), pausable=False, extendable=False))
    yield
    for code, previous in saved.items():
        rules.RULES.pop(code, None)
        if previous is not None:
            rules.RULES[code] = previous


_labels = itertools.count(1)


@pytest.fixture
def make_clock(view_rules):
    """Start a clock through ``deadlines.services.clock_start``. Each clock gets its own
    subject (a fresh, inactive user: any model instance will do)."""

    def make(*, department=None, assignee=None, started_on: dt.date = TODAY, rule: str = STATUTORY_RULE,
             label: str | None = None, fixed_due_on: dt.date | None = None, actor=None) -> LegalClock:
        subject = factories.UserFactory(roles=[], is_active=False)
        department = department or (assignee.department if assignee else factories.department("hz-drc"))
        return services.clock_start(subject=subject, rule=rule, actor=actor, started_on=started_on,
                                    fixed_due_on=fixed_due_on, department=department, assignee=assignee,
                                    label=label or f"测试事项{next(_labels)}")

    return make


@pytest.fixture
def head_user(db):
    return factories.UserFactory(department=factories.department("hz-drc"), roles=[Role.HEAD], username="head_drc")


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(department=factories.department("hz-justice"), roles=[Role.ADMIN],
                                 username="admin1")
