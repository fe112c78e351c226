"""An Atom feed of any public search (订阅此搜索): the newest matching public items, with the
same visibility as the search page (``selectors.public_matching``: the index holds public
items only, each up to its last public day). The e-mail digests of a search subscription read the same ``newest_matching``."""
from __future__ import annotations

import datetime as dt

from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.feeds import FEED_SIZE, PublicFeed, _aware, _on_days

from . import selectors
from .forms import KIND_LABELS, SearchForm
from .models import PUBLIC_KINDS


def newest_matching(params: selectors.SearchParams, *, since: dt.date | None = None,
                    until: dt.date | None = None) -> list:
    """Public entries matching the search, newest first (the ``FEED_SIZE`` newest, found as
    the search page finds its newest, ``selectors.newest_ids``); with ``since``/``until``, those
    published on a local day in that range. An empty query matches nothing."""
    digest_since = since
    def shown(since: dt.date | None = None, **options):
        start = max(filter(None, (since, digest_since)), default=None)
        entries = selectors.public_matching(params, since=start, **options).filter(
            _on_days("published_on", None, until))
        return entries.filter(kind=params.kind) if params.kind in PUBLIC_KINDS else entries

    ids = [pk for pk, _kind, _in_title in selectors.newest_ids(shown, params.q, wanted=FEED_SIZE, floor=since)]
    return list(selectors.RankedResults(ids))


class SearchFeed(PublicFeed):
    def __call__(self, request, *args, **kwargs):
        form = SearchForm(request.GET)
        if not form.is_valid() and "q" in form.errors:
            return HttpResponseBadRequest(_("检索关键词不能超过100个字符。"), content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return SearchForm(request.GET).params()

    def title(self, params):
        if not params.q:
            return _("湖州市政务公开检索订阅：未填写关键词，没有结果")
        if params.kind in PUBLIC_KINDS:
            return _("湖州市政务公开检索订阅：“%(q)s”（%(kind)s）") % {"q": params.q, "kind": KIND_LABELS[params.kind]}
        return _("湖州市政务公开检索订阅：“%(q)s”") % {"q": params.q}

    def subtitle(self, params):
        return _("与检索条件相符的最新公开内容")

    def link(self, params):
        query = {"q": params.q, **({"kind": params.kind} if params.kind in PUBLIC_KINDS else {})}
        return f"{reverse('search:index')}?{urlencode(query)}"

    def feed_url(self, params):
        query = {"q": params.q, **({"kind": params.kind} if params.kind in PUBLIC_KINDS else {})}
        return f"{reverse('feeds:search')}?{urlencode(query)}"

    def items(self, params):
        return newest_matching(params)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [KIND_LABELS[item.kind], item.number, item.department_name, item.status_label]
        return " · ".join(str(part) for part in parts if part)

    def item_link(self, item):
        return item.url

    def item_author_name(self, item):
        return item.department_name or None

    def item_pubdate(self, item):
        return _aware(item.published_on) or item.indexed_at
