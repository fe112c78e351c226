from django import template

from core.audit import state_label as audit_state_label

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """The Chinese label of a lifecycle state code recorded in the audit trail."""
    return audit_state_label(value)
