"""Domain errors carry a stable code and a Chinese message for people."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    http_status = 400

    def __init__(self, message=None, *, details: list[str] | None = None, code: str | None = None):
        self.message = str(message or _("操作无法完成"))
        self.details = [str(d) for d in (details or [])]
        if code:
            self.code = code
        super().__init__(self.message)

    @property
    def messages(self) -> list[str]:
        return self.details or [self.message]


class TransitionBlocked(DomainError):
    """A legal move whose prerequisites are not met; details name each gap."""

    code = "prerequisites_missing"


class InvalidState(DomainError):
    code = "invalid_state"
    http_status = 409


class Conflict(DomainError):
    code = "conflict"
    http_status = 409


class CalendarYearUnknown(DomainError):
    code = "calendar_year_unknown"


class NotPermitted(DomainError):
    code = "permission_denied"
    http_status = 403
