from django import template
from django.utils.translation import gettext as _

from core.audit import state_change as audit_state_change
from core.audit import state_label as audit_state_label
from core.rulebook import event_action as rulebook_event_action

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """The Chinese label of a lifecycle state code recorded in the audit trail."""
    return audit_state_label(value)


@register.filter
def state_change(event) -> str:
    """An audit row's change of state in words: "审查中 → 已通过" (labels of the recorded object's states)."""
    return audit_state_change(event)


@register.filter
def event_action(event) -> str:
    """What an audit row records, in words (a rule by its name, never its code)."""
    return rulebook_event_action(event)


@register.filter
def event_actor(event) -> str:
    """Who acted, by name; the portal itself (scheduled expiry, sweeps) is 系统, never its account name."""
    if event.actor_id is None:
        return _("系统")
    return event.actor_name or event.actor_username
