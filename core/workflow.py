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
