"""Helpers for the tests of the deadline services: a clock rule registered only for
the test, the policy rows it reads, and the people it reminds.

The rule's subject can be any model instance; these tests use Departments (a
district government is "the matter") so that the subject is never also one of
the people reminded.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected
from zoneinfo import ZoneInfo

from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend

from core.models import Role, User
from deadlines import rules, services
from deadlines.models import DeadlineKind, DeadlinePolicy, LegalClock, Reminder, Unit
from tests import factories

RULE = "test.service_clock"
FIXED_RULE = "test.service_fixed"
POLICY = "test.service_clock"
RULE_LABEL = "测试期限"
SOURCE = "《湖州市测试办法》第十条"
SHANGHAI = ZoneInfo("Asia/Shanghai")

#: Monday 11 May 2026, mid-morning in Huzhou (no holiday for the next month).
MAY_11 = "2026-05-11 10:00 +0800"


def subject_url(subject) -> str:
    return f"/test-subjects/{subject.pk}/"


def responsible_people(clock, subject):
    """The assignee when there is one, otherwise the responsible department's staff."""
    if clock.assignee_id:
        return [clock.assignee]
    return rules.users_with_roles(Role.STAFF, department_id=clock.department_id)


@contextlib.contextmanager
def registered_rule(code: str = RULE, *, policy: str | None = POLICY, **options) -> Iterator[rules.ClockRule]:
    """Register a rule for the duration of a test; the registry is left as it was."""
    previous = rules.RULES.get(code)
    rule = rules.register(rules.ClockRule(code, "R99", RULE_LABEL, policy, responsible_people, subject_url,
                                          **options))
    try:
        yield rule
    finally:
        rules.RULES.pop(code, None)
        if previous is not None:
            rules.RULES[code] = previous


def make_policy(*, length: int = 10, unit: str = Unit.WORKING_DAYS, warn_before: int = 3,
                effective_from: dt.date = dt.date(2020, 1, 1), code: str = POLICY) -> DeadlinePolicy:
    return DeadlinePolicy.objects.create(
        code=code, name="测试办结期限", length=length, unit=unit, kind=DeadlineKind.STATUTORY,
        warn_before=warn_before, source=SOURCE, effective_from=effective_from)


def subject(code: str = "wuxing"):
    """A matter the clock runs for (any model will do; a district is at hand)."""
    return factories.department(code)


def start(actor: User, matter=None, *, rule: str = RULE, **kwargs) -> LegalClock:
    """Start the test rule's clock for ``matter``, run by ``actor``'s department."""
    return services.clock_start(subject=matter or subject(), rule=rule, actor=actor, department=actor.department,
                                **kwargs)


def pending(clock: LegalClock):
    """The clock's reminders still waiting to go out."""
    return Reminder.objects.filter(clock=clock, sent_at__isnull=True, cancelled_at__isnull=True)


def admin(**kwargs) -> User:
    return factories.UserFactory(department=factories.department("hz-justice"), roles=[Role.ADMIN], **kwargs)


def head(code: str = "hz-drc", **kwargs) -> User:
    return factories.UserFactory(department=factories.department(code), roles=[Role.HEAD], **kwargs)


def at_nine(day: dt.date) -> dt.datetime:
    """09:00 in Huzhou, the moment a day's reminders go out."""
    return dt.datetime.combine(day, dt.time(9), tzinfo=SHANGHAI)


class BrokenEmailBackend(BaseEmailBackend):
    """A mail server that never answers (set with override_settings(EMAIL_BACKEND=BROKEN_BACKEND))."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("邮件服务器无响应")


BROKEN_BACKEND = f"{__name__}.BrokenEmailBackend"


class RefusingEmailBackend(locmem.EmailBackend):
    """A mail server that accepts every message except those to ``REFUSED_ADDRESS``."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if REFUSED_ADDRESS in message.to:
                raise SMTPRecipientsRefused({REFUSED_ADDRESS: (550, b"User unknown")})
        return super().send_messages(email_messages)


REFUSED_ADDRESS = "nobody@huzhou.gov.cn"
REFUSING_BACKEND = f"{__name__}.RefusingEmailBackend"
