"""The rulebook: every legal rule the portal enforces, in one registry.

Each rule (``Rule``) says where it comes from (the article, the row of domain.md), what kind
of gate it is — refused (拒绝办理), allowed only with a recorded reason (须说明理由) or a
computed deadline (计算期限) — which numbers of the policy table it reads, the service that
enforces it and the test that pins it. Lifecycles register their rules here (``register``,
from their ``gates`` module, loaded by their ``AppConfig.ready``); ``manage.py rules_matrix``
and the supervisors' page print the registry, so the matrix is what runs.

Services enforce a rule through this module, so the message always names the number and
the article, and the audit trail holds every refusal and every reason:

* ``refuse(code, obj=…, actor=…, **values)`` raises ``RuleRefused``; a service decorated
  with ``@records_refusals`` writes the refusal to the audit trail after its own
  transaction has rolled back (event ``rule_refused``).
* ``reason_given(code, obj=…, actor=…, reason=…, **values)`` is called when the act needs a
  reason (late, early, shorter than the rule): without one it refuses; with one it writes
  the reason to the audit trail (event ``rule_reason``) in the caller's transaction and
  returns it. Supervisors list both events (``rule_events``).
"""
from __future__ import annotations

import contextvars
import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import record_event
from .exceptions import TransitionBlocked
from .models import AuditEvent

#: Audit event types written by the rulebook.
REFUSED_EVENT, REASON_EVENT = "rule_refused", "rule_reason"


class Kind(models.TextChoices):
    REFUSED = "refused", gettext_lazy("拒绝办理")
    REASON = "reason", gettext_lazy("须说明理由")
    DEADLINE = "deadline", gettext_lazy("计算期限")


@dataclass(frozen=True)
class Rule:
    """One gate of the law. ``message`` is the refusal in Chinese with ``%(name)s`` values (the
    numbers read from the policy table) for the rules raised through ``refuse``/``reason_given``;
    the article is added in brackets, then a full stop. Rules whose service raises its own
    message (a prerequisite check naming its article) leave it empty. ``test`` is the pytest node
    that pins the rule (``tests/…py::test_…``); a test checks that it exists."""

    code: str
    source: str
    summary: str
    article: str
    kind: str
    service: str
    test: str
    policies: tuple[str, ...] = ()
    message: str = ""
    error_code: str = ""
    #: the argument (API field, form field) that carries the reason of a REASON rule
    reason_field: str = ""
    note: str = ""

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    def refusal(self, values: dict[str, Any]) -> str:
        text = _(self.message) % values if values else _(self.message)
        return f"{text}（{_(self.article)}）。"


RULES: dict[str, Rule] = {}


def register(*rules: Rule) -> None:
    for rule in rules:
        if rule.code in RULES and RULES[rule.code] != rule:
            raise ValueError(f"rule {rule.code} registered twice")
        if rule.kind not in Kind.values:
            raise ValueError(f"rule {rule.code}: unknown kind {rule.kind}")
        RULES[rule.code] = rule


def get(code: str) -> Rule:
    return RULES[code]


def all_rules() -> list[Rule]:
    """Every registered rule, in the order of domain.md (D, N, E, W; then by number)."""
    order = {"D": 0, "N": 1, "E": 2, "W": 3}

    def key(rule: Rule):
        head = rule.source.split()[0].split("/")[0]
        digits = "".join(ch for ch in head[1:] if ch.isdigit())
        return order.get(head[:1], 9), int(digits or 0), rule.code

    return sorted(RULES.values(), key=key)


def resolve(path: str) -> Callable:
    """The function a rule names as its enforcing service (``app.module.function``)."""
    module, _dot, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


# ================================================================== refusals and reasons
class RuleRefused(TransitionBlocked):
    """A refusal by a rule of the rulebook: the message names the number and the article."""

    def __init__(self, rule: Rule, *, obj, actor, values: dict[str, Any], details: list[str] | None = None):
        super().__init__(rule.refusal(values), details=details, code=rule.error_code or "rule_refused")
        self.rule, self.obj, self.actor, self.values = rule, obj, actor, values


def refuse(code: str, *, obj, actor, details: list[str] | None = None, **values) -> NoReturn:
    raise RuleRefused(RULES[code], obj=obj, actor=actor, values=values, details=details)


def reason_given(code: str, *, obj, actor, reason: str, **values) -> str:
    """The act needs a reason under ``code`` (it is late, early or shorter than the rule): refused
    without one; with one, the reason is written to the audit trail and returned."""
    rule = RULES[code]
    reason = (reason or "").strip()
    if not reason:
        raise RuleRefused(rule, obj=obj, actor=actor, values=values)
    record_event(actor=actor, event_type=REASON_EVENT, obj=obj, action="rule_reason",
                 action_label=_("说明理由：%(code)s") % {"code": rule.code}, reason=reason,  # shown by name: event_action
                 details={"rule": rule.code, "article": rule.article, "values": values,
                          "field": rule.reason_field})
    return reason


_depth: contextvars.ContextVar[int] = contextvars.ContextVar("rulebook_service_depth", default=0)


def records_refusals(func: Callable | None = None, *, subject: tuple[type, str] | None = None) -> Callable:
    """Put above ``@transaction.atomic``: a refusal leaving the outermost decorated service is
    written to the audit trail in a transaction of its own, after the service's transaction
    has rolled back, so the refusal stays recorded and nothing else does. A ``RuleRefused``
    names its rule and object; any other ``TransitionBlocked`` (an unmet legal prerequisite)
    is recorded against ``subject`` — (model, the keyword argument holding its id)."""

    def decorate(service: Callable) -> Callable:
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            token = _depth.set(_depth.get() + 1)
            try:
                return service(*args, **kwargs)
            except TransitionBlocked as refusal:
                if _depth.get() == 1:
                    _record_refusal(refusal, kwargs, subject)
                raise
            finally:
                _depth.reset(token)

        return wrapper

    return decorate(func) if func is not None else decorate


def _record_refusal(refusal: TransitionBlocked, kwargs: dict, subject: tuple[type, str] | None) -> None:
    rule = getattr(refusal, "rule", None)
    obj, actor = getattr(refusal, "obj", None), getattr(refusal, "actor", kwargs.get("actor"))
    if obj is None and subject is not None and kwargs.get(subject[1]) is not None:
        obj = subject[0]._default_manager.filter(pk=kwargs[subject[1]]).first()
    if obj is None:
        return
    with transaction.atomic():
        record_event(actor=actor, event_type=REFUSED_EVENT, obj=obj, action="rule_refused",
                     action_label=_("依规则拒绝：%(code)s") % {"code": rule.code} if rule else _("拒绝办理"),
                     reason=refusal.message,
                     details={"rule": rule.code if rule else "", "article": rule.article if rule else "",
                              "values": getattr(refusal, "values", {}), "gaps": refusal.details})


# ================================================================== reads
def event_action(event: AuditEvent) -> str:
    """What an audit row records, in words, in the reader's language: a rule's reason or refusal by
    the rule's name (rows written before rules were named carry its code), any other row by its
    stored label, translated when the catalog knows it."""
    code = (event.details or {}).get("rule") if event.event_type in (REFUSED_EVENT, REASON_EVENT) else ""
    if code and code in RULES:
        template = _("说明理由：%(rule)s") if event.event_type == REASON_EVENT else _("依规则拒绝：%(rule)s")
        return template % {"rule": _(RULES[code].summary)}
    label = event.action_label or event.action
    return _(label) if label else ""


def rule_events(*, kind: str = "", rule: str = "") -> QuerySet[AuditEvent]:
    """Refusals and reasons recorded under the rules, newest first (for the supervisors)."""
    events = AuditEvent.objects.filter(event_type__in=(REFUSED_EVENT, REASON_EVENT))
    if kind == Kind.REFUSED:
        events = events.filter(event_type=REFUSED_EVENT)
    elif kind == Kind.REASON:
        events = events.filter(event_type=REASON_EVENT)
    if rule:
        events = events.filter(details__rule=rule)
    return events.order_by("-seq")
