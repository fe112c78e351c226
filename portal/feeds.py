"""Atom feeds of what the public may read (订阅): the catalog, published decisions, the
normative documents library, live enforcement notices and open consultations.

Each feed reads the same public querysets as the public pages, at most ``FEED_SIZE`` newest
items, in a fixed number of queries. Links are absolute on the request's host, and every
item's id is its stable URL by primary key (or by year for a catalog, which is unique per
year), so a changed title never makes a reader see the item twice.

An open consultation's link and id is its page, ``/consultations/<pk>/``. The base class and
the registry the e-mail digests read are in ``core.feeds``; each feed registers itself below.
"""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from consultations import selectors as consultation_selectors
from core.feeds import (
    FEED_SIZE,
    PublicFeed,
    _aware,
    _on_days,
    closing_time,
    register_feed,
)
from decisions import selectors as decision_selectors
from decisions.models import Catalog, CatalogAdjustment
from decisions.workflow import Disclosure
from enforcement import masking, publicity
from normative_docs.models import NormativeDocument


# ================================================================== catalog
def catalog_entries(*, since: dt.date | None = None, until: dt.date | None = None) -> list:
    window = _on_days("published_at", since, until, timestamp=True)
    catalogs = list(Catalog.objects.published().filter(window)
                    .select_related("body")
                    .only("id", "year", "decision_body", "published_at", "document_number", "body__code", "body__kind")
                    .order_by("-published_at", "-id")[:FEED_SIZE])
    # The same adjustments as the public catalog page shows: published, on an item not withheld.
    adjustments = list(
        CatalogAdjustment.objects.filter(catalog__status=Catalog.Status.PUBLISHED,
                                         status=CatalogAdjustment.Status.PUBLISHED,
                                         item__disclosure=Disclosure.PUBLIC, published_at__isnull=False)
        .filter(window)
        .select_related("catalog", "catalog__body", "item").only(
            "id", "kind", "reason", "published_at", "catalog__year", "catalog__body__code", "catalog__body__kind",
            "item__name")
        .order_by("-published_at", "-id")[:FEED_SIZE])
    entries = catalogs + adjustments
    entries.sort(key=lambda entry: (entry.published_at, entry.pk), reverse=True)
    return entries[:FEED_SIZE]


class CatalogFeed(PublicFeed):
    def title(self):
        return _("湖州市年度重大行政决策事项目录")

    def subtitle(self):
        return _("已公布的年度决策事项目录及目录调整")

    def link(self):
        return reverse("public:catalog-index")

    def items(self):
        return catalog_entries()

    def item_title(self, item):
        if isinstance(item, Catalog):
            return str(item)
        return _("%(year)s年度目录调整（%(kind)s）：%(name)s") % {
            "year": item.catalog.year, "kind": item.get_kind_display(), "name": item.item.name}

    def item_description(self, item):
        if isinstance(item, Catalog):
            return _("发布文号：%(number)s") % {"number": item.document_number or "—"}
        return _("调整理由：%(reason)s") % {"reason": item.reason}

    def item_link(self, item):
        if isinstance(item, Catalog):
            return item.public_url
        return f"{item.catalog.public_url}#adjustment-{item.pk}"

    def item_pubdate(self, item):
        return item.published_at


# ================================================================== decisions
def decision_entries(*, since: dt.date | None = None, until: dt.date | None = None):
    window = _on_days("published_at", since, until, timestamp=True)
    return decision_selectors.public_decision_list().filter(window)[:FEED_SIZE]


class DecisionFeed(PublicFeed):
    def title(self):
        return _("湖州市重大行政决策公开")

    def subtitle(self):
        return _("已公布的重大行政决策")

    def link(self):
        return reverse("public:decision-list")

    def items(self):
        return decision_entries()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return reverse("public:decision-detail", args=[item.pk])

    def item_author_name(self, item):
        return item.department.name

    def item_pubdate(self, item):
        return item.published_at


# ================================================================== normative documents
def document_entries(*, since: dt.date | None = None, until: dt.date | None = None):
    return (NormativeDocument.objects.public().filter(_on_days("published_on", since, until))
            .select_related("issuer")
            .only("id", "title", "number", "status", "published_on", "effective_on", "valid_until",
                  "updated_at", "issuer__name")
            .order_by("-published_on", "-id")[:FEED_SIZE])


class NormativeDocumentFeed(PublicFeed):
    def title(self):
        return _("湖州市行政规范性文件库")

    def subtitle(self):
        return _("已公布的行政规范性文件及其时效性")

    def link(self):
        return reverse("library:list")

    def items(self):
        return document_entries()

    def item_title(self, item):
        return _("%(title)s（%(number)s）【%(status)s】") % {
            "title": item.title, "number": item.number, "status": item.get_public_status_display()}

    def item_description(self, item):
        return _("制定机关：%(issuer)s；文号：%(number)s；时效性：%(status)s；施行日期：%(effective)s") % {
            "issuer": item.issuer.name, "number": item.number, "status": item.get_public_status_display(),
            "effective": f"{item.effective_on.year}年{item.effective_on.month}月{item.effective_on.day}日"}

    def item_link(self, item):
        return reverse("library:detail", args=[item.pk])

    def item_author_name(self, item):
        return item.issuer.name

    def item_pubdate(self, item):
        return _aware(item.published_on)

    def item_updateddate(self, item):
        # a repeal or amendment changes the entry; a reader sees it again with its new 时效性
        return max(item.updated_at, _aware(item.published_on))


# ================================================================== enforcement notices
def notice_entries(*, since: dt.date | None = None, until: dt.date | None = None):
    return publicity.notice_list().filter(_on_days("published_on", since, until))[:FEED_SIZE]


class EnforcementNoticeFeed(PublicFeed):
    """Live notices only, and only their masked columns (``publicity.NOTICE_LIST_COLUMNS``)."""

    def title(self):
        return _("湖州市行政执法决定公开")

    def subtitle(self):
        return _("公示期内的行政执法决定信息（当事人信息已脱敏）")

    def link(self):
        return reverse("enforcement_public:notices")

    def items(self):
        return notice_entries()

    def item_title(self, item):
        return masking.mask_text(item.title)

    def item_description(self, item):
        return masking.mask_text(_("执法主体：%(body)s；决定书文号：%(number)s；当事人：%(party)s") % {
            "body": item.body_name, "number": item.decision_number, "party": item.party_masked})

    def item_link(self, item):
        return reverse("enforcement_public:notice-detail", args=[item.pk])

    def item_author_name(self, item):
        return item.body_name

    def item_pubdate(self, item):
        return _aware(item.published_on)


# ================================================================== open consultations
def open_consultations(*, today: dt.date | None = None, since: dt.date | None = None,
                       until: dt.date | None = None) -> list:
    """Consultations open today on their public pages, the soonest closing first (a withheld
    decision has none); with ``since``/``until``, only those that opened on a day in that range."""
    return list(consultation_selectors.public_consultation_open_list(today=today)
                .filter(_on_days("opens_on", since, until))[:FEED_SIZE])


class ConsultationFeed(PublicFeed):
    def title(self):
        return _("湖州市公开征求意见")

    def subtitle(self):
        return _("正在公开征求意见的重大行政决策草案和行政规范性文件草案")

    def link(self):
        return reverse("consultations:list")

    def items(self):
        return open_consultations()

    def item_title(self, item):
        kind = _("重大行政决策草案") if item.subject_kind == "decision" else _("规范性文件草案")
        return _("【征求意见】%(title)s（%(kind)s）") % {"title": item.title, "kind": kind}

    def item_description(self, item):
        return _("起草单位：%(unit)s；征求意见截止时间：%(closing)s") % {
            "unit": item.department.name, "closing": closing_time(item.closes_on)}

    def item_link(self, item):
        return reverse("consultations:detail", args=[item.pk])

    def item_pubdate(self, item):
        return _aware(item.opens_on)


# ================================================================== shared with e-mail digests
register_feed("catalog", CatalogFeed, catalog_entries)
register_feed("decisions", DecisionFeed, decision_entries)
register_feed("library", NormativeDocumentFeed, document_entries)
register_feed("enforcement-notices", EnforcementNoticeFeed, notice_entries)
register_feed("consultations", ConsultationFeed, open_consultations)
