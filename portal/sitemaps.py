"""The sitemap of the public portal (``/sitemap.xml``): every page a visitor can open
without an account, and nothing else. Every address is by primary key — or by year for an
annual catalog or report, unique per year — so it never changes when a title does."""
from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from consultations.models import Consultation
from decisions.models import Catalog, Decision
from enforcement import guidance, publicity, reports
from normative_docs.models import NormativeDocument

STATIC_PAGES = (
    "public:home", "public:catalog-index", "public:decision-list", "library:list", "enforcement_public:bodies",
    "enforcement_public:notices", "enforcement_reports:index", "enforcement_reports:guidance-list",
    "consultations:list", "public:execution-tracker", "subscriptions:subscribe",
)


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return list(STATIC_PAGES)

    def location(self, item):
        return reverse(item)


class CatalogSitemap(Sitemap):
    def items(self):
        return Catalog.objects.published().select_related("body").only(
            "id", "year", "updated_at", "body__code", "body__kind").order_by("-year", "body_id")

    def location(self, item):
        return item.public_url

    def lastmod(self, item):
        return item.updated_at


class DecisionSitemap(Sitemap):
    def items(self):
        return Decision.objects.public().only("id", "updated_at").order_by("-published_at", "-id")

    def location(self, item):
        return reverse("public:decision-detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class LibrarySitemap(Sitemap):
    def items(self):
        return NormativeDocument.objects.public().only("id", "updated_at").order_by("-published_on", "-id")

    def location(self, item):
        return reverse("library:detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class EnforcementBodySitemap(Sitemap):
    def items(self):
        return publicity.public_bodies()

    def location(self, item):
        return reverse("enforcement_public:body-detail", args=[item.pk])


class EnforcementNoticeSitemap(Sitemap):
    """Live notices only: a withdrawn or expired notice leaves the sitemap with the list."""

    def items(self):
        return publicity.notice_list()

    def location(self, item):
        return reverse("enforcement_public:notice-detail", args=[item.pk])


class EnforcementReportSitemap(Sitemap):
    def items(self):
        return reports.published_reports()

    def location(self, item):
        return reverse("enforcement_reports:detail", args=[item.year])


class GuidanceSitemap(Sitemap):
    def items(self):
        return guidance.guidance_public().values_list("pk", flat=True)

    def location(self, item):
        return reverse("enforcement_reports:guidance-detail", args=[item])


class ConsultationSitemap(Sitemap):
    """Public consultations only: none for a withheld decision."""

    def items(self):
        return Consultation.objects.public().only("id", "updated_at").order_by("-opens_on", "-id")

    def location(self, item):
        return reverse("consultations:detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap, "catalogs": CatalogSitemap, "decisions": DecisionSitemap,
    "library": LibrarySitemap, "enforcement-bodies": EnforcementBodySitemap,
    "enforcement-notices": EnforcementNoticeSitemap, "enforcement-reports": EnforcementReportSitemap,
    "guidance": GuidanceSitemap,
    "consultations": ConsultationSitemap,
}
