"""Read-only views of the decision records: every change goes through the services and pages."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Catalog, CatalogAdjustment, CatalogItem, Decision


@admin.register(Catalog)
class CatalogAdmin(ReadOnlyAdmin):
    list_display = ("year", "status", "party_consent_on", "published_at")


@admin.register(CatalogItem)
class CatalogItemAdmin(ReadOnlyAdmin):
    list_display = ("catalog", "number", "name", "lead_department", "status", "disclosure")
    list_filter = ("catalog", "status", "disclosure")
    list_select_related = ("catalog", "lead_department")


@admin.register(CatalogAdjustment)
class CatalogAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ("catalog", "kind", "item", "status", "published_at")
    list_select_related = ("catalog", "item")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("title", "department", "year", "status", "disclosure", "published_at")
    list_filter = ("status", "year", "disclosure")
    list_select_related = ("department",)
    search_fields = ("title",)
