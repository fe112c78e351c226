"""The personal calendar feed (iCalendar, RFC 5545): one all-day event per open
deadline, subscribed to by a secret address instead of a login.

The text is written here rather than by a library so that what goes out is
exactly what RFC 5545 asks for: CRLF line ends, TEXT values escaped (backslash,
semicolon, comma, newline) and lines folded at 75 octets without splitting a
UTF-8 character.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import engine, selectors
from .models import LegalClock, NotificationPreference
from .services import REMINDER_HOUR

PRODID = "-//Huzhou Rule//Deadlines 1.0//ZH"
UID_DOMAIN = "huzhou-rule"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11)."""
    return (str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (RFC 5545 §3.1); continuation
    lines begin with one space, and a multi-octet UTF-8 character is never split."""
    chunks, current, size = [], [], 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            chunks.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += octets
    chunks.append("".join(current))
    return "\r\n".join(chunks)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def clock_event(clock: LegalClock, *, stamp: dt.datetime) -> list[str]:
    """The content lines (unfolded) of one clock's VEVENT."""
    url = _absolute(reverse("deadlines:clock-detail", args=[clock.pk]))
    summary = f"{selectors.kind_prefix(clock)}{clock.label}"
    description = "\n".join([
        _("依据：%(source)s") % {"source": clock.source or _("指定日期")},
        _("到期日：%(day)s24时") % {"day": engine.fmt(clock.due_on)},
        _("办理入口：%(url)s") % {"url": url},
    ])
    lines = [
        "BEGIN:VEVENT",
        f"UID:clock-{clock.pk}@{UID_DOMAIN}",
        f"DTSTAMP:{_utc(stamp)}",
        f"LAST-MODIFIED:{_utc(clock.updated_at)}",
        f"DTSTART;VALUE=DATE:{_date(clock.due_on)}",
        f"DTEND;VALUE=DATE:{_date(clock.due_on + dt.timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
    ]
    if clock.warn_on is not None:
        # An absolute trigger must be in UTC (RFC 5545 §3.8.6.3): 9:00 local time on the warning day.
        moment = timezone.make_aware(dt.datetime.combine(clock.warn_on, dt.time(REMINDER_HOUR)))
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(_('即将到期：%(summary)s') % {'summary': summary})}",
            f"TRIGGER;VALUE=DATE-TIME:{_utc(moment)}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def render_calendar(clocks: Iterable[LegalClock], *, name: str, stamp: dt.datetime | None = None) -> str:
    stamp = stamp or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
        # Ask subscribing clients to refresh hourly (RFC 7986; X-PUBLISHED-TTL for Outlook).
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for clock in clocks:
        if clock.due_on is not None:
            lines += clock_event(clock, stamp=stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


@login_not_required
@require_safe
def calendar_feed(request, token: str):
    """The feed of one person's open deadlines; the secret address is the only key,
    so an unknown or reset token, or an inactive account, is a 404."""
    preference = (NotificationPreference.objects.select_related("user")
                  .filter(calendar_token=token).first()) if token else None
    if preference is None or not preference.user.is_active:
        raise Http404
    user = preference.user
    clocks = selectors.deadlines_for(user).filter(due_on__isnull=False)
    body = render_calendar(clocks, name=_("法治湖州·我的期限（%(name)s）") % {"name": user.display_name})
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="huzhou-deadlines.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
