"""Contracts in the admin: read-only (every change goes through the services)."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Contract, ContractCleanup


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("title", "body", "department", "contract_type", "status", "signed_on", "filed_on")
    list_filter = ("status", "contract_type")
    list_select_related = ("body", "department")


@admin.register(ContractCleanup)
class ContractCleanupAdmin(ReadOnlyAdmin):
    list_display = ("body", "year", "done_on", "contracts_checked")
    list_select_related = ("body",)
