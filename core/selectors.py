"""Reads of the shared machinery: the audit trail."""
from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent, User


def history_for(obj) -> QuerySet[AuditEvent]:
    """The audit rows of one object, oldest first; a model that moved between apps lists its
    former labels in ``audit_former_labels`` (rows are never rewritten)."""
    labels = [obj._meta.label_lower, *getattr(obj, "audit_former_labels", ())]
    return AuditEvent.objects.filter(object_type__in=labels, object_id=str(obj.pk)).order_by("seq")


def responsibility_events(*, person: User) -> QuerySet[AuditEvent]:
    """Every recorded step one person took part in (责任倒查)."""
    # logins and other security events are in the security log (core.accounts), not steps of a record
    return AuditEvent.objects.filter(actor=person).exclude(event_type="security").order_by("-seq")
