import datetime as dt
from functools import lru_cache

from django import template
from django.template import defaulttags
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import permissions
from core.audit import state_change as audit_state_change
from core.audit import state_label as audit_state_label
from core.rulebook import event_action as rulebook_event_action
from core.urlcache import StaticURLNode

register = template.Library()


@register.tag
def url(parser, token):
    """Django's ``{% url %}`` (this library is a builtin, loaded after Django's): a URL without arguments comes
    from ``core.urlcache`` instead of ``reverse`` at each render."""
    node = defaulttags.url(parser, token)
    return StaticURLNode(node.view_name, node.args, node.kwargs, node.asvar)


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


@register.filter
def may_view_responsibility(user, person_id) -> bool:
    """``{% if user|may_view_responsibility:e.actor_id %}``: whether the 责任倒查 page of that person opens
    for ``user`` (the rule of the page itself), so that no one is shown a link that answers 403."""
    return permissions.may_view_responsibility(user, person_id)


@register.filter
def day(value) -> str:
    """A date as the reader's language writes it (2026年3月28日 / 28 March 2026), in a ``<time>`` that
    carries the ISO date and never wraps; "" for no date."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _day_html(value, get_language())


@lru_cache(maxsize=8192)
def _day_html(value: dt.date, language: str | None) -> SafeString:
    """``day``'s markup for one date in one language. A page writes hundreds of dates (我的工作: 550),
    mostly the same few; the localized format costs ~70 µs a call, so each is built once per process
    (the format modules do not change while it runs)."""
    return format_html('<time class="date" datetime="{}">{}</time>', value.isoformat(),
                       formats.date_format(value, "DATE_FORMAT"))


@register.filter
def moment(value) -> str:
    """A date and time as the reader's language writes it (2026年3月28日 14:30), in a ``<time>``."""
    if not value:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if not isinstance(value, dt.datetime):
        return day(value)
    return _moment_html(value.replace(second=0, microsecond=0), value.utcoffset(), get_language())


@lru_cache(maxsize=8192)
def _moment_html(value: dt.datetime, offset: dt.timedelta | None, language: str | None) -> SafeString:
    """``moment``'s markup for one minute in one language (both formats stop at the minute), built once per
    process as ``_day_html``: ~30 µs a call through the localized format, and a list shows the same rows' times
    to everyone who opens it. ``offset`` is in the key because aware datetimes of one instant are equal
    whatever their zone, and the markup shows the local time."""
    return format_html('<time class="date" datetime="{}">{}</time>', value.isoformat(timespec="minutes"),
                       formats.date_format(value, "DATETIME_FORMAT"))


#: the tone of a status badge by its stored value: settled and in force (ok), waiting or running (warn),
#: ended against the grain (bad); others stay neutral. The text always says the status.
TONES = {
    "ok": {"valid", "published", "passed", "approved", "adopted", "executing", "completed", "archived", "closed",
           "corrected", "done", "signed", "effective", "in_force", "filed"},
    "warn": {"not_yet_effective", "pending", "proposed", "under_review", "legality_review", "consulting",
             "submitted", "incomplete", "correction_requested", "suspended", "paused", "amended", "drafting",
             "running", "open", "claimed", "investigating"},
    "bad": {"expired", "repealed", "revoked", "withdrawn", "failed", "legality_failed", "terminated", "rejected",
            "returned", "not_adopted", "overdue", "cancelled"},
}


@register.filter
def tone(value) -> str:
    """The badge class for a status value: "ok", "warn", "bad" or "" (neutral)."""
    return next((name for name, values in TONES.items() if value in values), "")
