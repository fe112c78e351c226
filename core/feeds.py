"""What every Atom feed of the public portal shares: the base class, the size, the day windows
e-mail digests ask for, and the registry of feeds by route name.

The feeds themselves (catalog, decisions, library, enforcement notices, consultations) live in
``portal.feeds``, which registers each with ``register_feed`` when the portal app is ready; the
e-mail digests (``subscriptions``) read them here through ``FEEDS`` and ``public_items_since``,
so a digest and a feed never disagree about what is public.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.templatetags.static import static
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

FEED_SIZE = 50


def closing_time(day: dt.date) -> str:
    """The unambiguous end of a comment period: the whole closing day, Beijing time
    ("2026年12月31日24时"; in English "24:00 on 31 December 2026")."""
    from django.utils.dateformat import format as date_format

    return _("%(date)s24时") % {"date": date_format(day, _("Y年n月j日"))}


def _aware(day: dt.date | None) -> dt.datetime | None:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min)) if day else None


def _on_days(field: str, since: dt.date | None, until: dt.date | None, *, timestamp: bool = False) -> Q:
    """Published on a local day from ``since`` up to, not including, ``until`` (each bound optional):
    how an e-mail digest (subscriptions) asks a feed for what is new since the last digest."""
    bound = _aware if timestamp else (lambda day: day)
    condition = Q()
    if since:
        condition &= Q(**{f"{field}__gte": bound(since)})
    if until:
        condition &= Q(**{f"{field}__lt": bound(until)})
    return condition


class StyledAtom1Feed(Atom1Feed):
    """Atom with its ``xml-stylesheet`` instructions (Django writes them for RSS only), so a browser
    shows the feed as a readable page (static/feeds/atom.xsl) while a reader gets plain Atom."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class PublicFeed(Feed):
    """An Atom feed readable without an account."""

    feed_type = StyledAtom1Feed

    def stylesheets(self):
        return [static("feeds/atom.xsl")]

    def __call__(self, request, *args, **kwargs):
        if request.GET.get("view") == "page":  # the links people click: the feed as a page to read
            return self.page(request, *args, **kwargs)
        return super().__call__(request, *args, **kwargs)

    def page(self, request, *args, **kwargs):
        """The feed as a readable page with its address to copy into a reader (browsers no longer all
        apply the XSL stylesheet); the same items as the Atom document."""
        from django.http import Http404
        from django.shortcuts import render

        try:
            obj = self.get_object(request, *args, **kwargs)
        except Exception as error:  # the same 404 as the Atom view gives
            raise Http404 from error
        feed = self.get_feed(obj, request)
        query = request.GET.copy()
        query.pop("view", None)
        address = request.build_absolute_uri(request.path) + (f"?{query.urlencode()}" if query else "")
        return render(request, "public/feed_page.html", {"feed": feed.feed, "items": feed.items, "address": address})
    language = "zh-CN"
    login_required = False  # read by LoginRequiredMiddleware, as login_not_required would set it

    def item_guid_is_permalink(self, item) -> bool:
        return True

    def item_updateddate(self, item):
        # Atom requires <updated> on every entry
        return self.item_pubdate(item)


# ================================================================== shared with e-mail digests
#: Each feed's class and items by its route name: the e-mail digests (subscriptions) read the same
#: sources, so a digest and a feed never disagree about what is public. Filled by ``register_feed``.
FEEDS: dict[str, tuple[type[PublicFeed], Callable]] = {}


def register_feed(topic: str, feed_class: type[PublicFeed], entries: Callable) -> None:
    """``entries(since=..., until=...)`` returns the feed's items published on a local day in that range."""
    FEEDS[topic] = (feed_class, entries)


def public_items_since(topic: str, *, since: dt.date, until: dt.date) -> list:
    """The feed ``topic``'s items published on a local day in ``[since, until)``, at most ``FEED_SIZE``."""
    return list(FEEDS[topic][1](since=since, until=until))
