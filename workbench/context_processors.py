"""The staff header's badges, read from the deadline machinery."""
from deadlines.models import OutboxEmail
from deadlines.permissions import is_administrator
from deadlines.selectors import unread_count
from deadlines.services import calendar_missing_next_year

from . import navigation


def unread_notifications(request):
    """The header's count of unread notifications (one query for a signed-in user)."""
    user = getattr(request, "user", None)
    return {"unread_notifications": unread_count(user) if user is not None else 0}


def calendar_warning(request):
    """For administrators: ``calendar_missing_year`` — from 1 December, next year when its
    holiday notice is not loaded yet (one query then, none before) — and ``parked_emails``,
    the number of e-mails set aside after repeated failure (one query)."""
    user = getattr(request, "user", None)
    if user is None or not is_administrator(user):
        return {"calendar_missing_year": None, "parked_emails": 0}
    return {"calendar_missing_year": calendar_missing_next_year(),
            "parked_emails": OutboxEmail.objects.filter(status=OutboxEmail.Status.PARKED).count()}


def navigation_context(request):
    """``side_nav`` (signed-in people: the work they may open, grouped), its markup ``side_nav_html`` and
    ``breadcrumbs``; no query."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    groups = navigation.side_nav(request) if signed_in else []
    return {"side_nav": groups, "side_nav_html": navigation.side_nav_html(groups),
            "breadcrumbs": navigation.breadcrumbs(request)}
