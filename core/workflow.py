"""Helpers every lifecycle uses: prerequisite checks and transition errors."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.utils.translation import gettext_lazy as _
from django_fsm import TransitionNotAllowed

from .exceptions import InvalidState, TransitionBlocked

Check = Callable[[object], "str | None"]

INVALID_STATE_MESSAGE = _("当前状态不允许此操作，请刷新页面后重试。")


def unmet_prerequisites(obj, checks: Iterable[Check]) -> list[str]:
    """The Chinese reasons, one per unmet check (empty when all are met)."""
    return [str(message) for check in checks if (message := check(obj))]


def mark_primary(actions: list[dict], order: Iterable[str]) -> list[dict]:
    """One primary step per state: the first step named in ``order`` (the lifecycle's natural sequence)
    that may be taken now, else the first of them that is only blocked. Steps outside ``order`` (editing,
    pausing a clock, registering a request) are never primary: a state offering only those (waiting for a
    review) has no primary step. Each action is a dict with at least ``name`` and ``blocked``; ``primary``
    is set on all of them."""
    for action in actions:
        action["primary"] = False
    present = [a for name in order for a in actions if a["name"] == name]
    chosen = next((a for a in present if not a["blocked"]), present[0] if present else None)
    if chosen is not None:
        chosen["primary"] = True
    return actions


def linked(actions: list[dict], url_of: Callable[[str], str]) -> list[dict]:
    """The actions with ``url`` set from each one's ``name`` (for ``includes/next_steps.html``)."""
    for action in actions:
        action["url"] = url_of(action["name"])
    return actions


def ensure_prerequisites(obj, checks: Iterable[Check], summary=None) -> None:
    missing = unmet_prerequisites(obj, checks)
    if missing:
        raise TransitionBlocked(summary or missing[0], details=missing)


@contextmanager
def transition_errors():
    """A transition called from the wrong state becomes a clear domain error."""
    try:
        yield
    except TransitionNotAllowed as error:
        raise InvalidState(INVALID_STATE_MESSAGE) from error


def apply_transition(obj, *, actor, name: str, label: str, reason: str = "", details=None, **kwargs) -> str:
    """Run one FSM transition of ``obj``, bump its version, save it and audit the move, inside the
    caller's transaction. Every lifecycle's services use this; returns the source state."""
    from .audit import record_transition

    source = obj.status
    with transition_errors():
        getattr(obj, name)(**kwargs)
    obj.version += 1
    obj.save()
    record_transition(obj=obj, action=name, action_label=label, source=source, target=obj.status, actor=actor,
                      reason=reason, details=details)
    return source
