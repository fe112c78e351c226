"""Read-only views of the normative-document records: every change goes through the services and
pages. Only the number formats (文号格式) are edited here, by administrators, with an audit event."""
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.admin import ReadOnlyAdmin
from core.audit import record_event
from deadlines.permissions import is_administrator

from .models import (
    CleanupRound,
    FilingRecord,
    NormativeDocument,
    NumberingScheme,
    ReviewSuggestion,
)


@admin.register(NumberingScheme)
class NumberingSchemeAdmin(admin.ModelAdmin):
    """Administrators set each issuer's number format; a number already given is never changed
    (the sequences continue), so a new format applies to documents registered afterwards."""

    list_display = ("issuer", "pattern", "registration_prefix")
    list_select_related = ("issuer",)
    search_fields = ("issuer__name", "pattern", "registration_prefix")
    fields = ("issuer", "pattern", "registration_prefix")

    def has_add_permission(self, request):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ("issuer",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if not is_administrator(request.user):
            raise PermissionDenied
        before = {}
        if change:
            old = NumberingScheme.objects.get(pk=obj.pk)
            before = {name: getattr(old, name) for name in form.changed_data}
        with transaction.atomic():
            obj.save()
            record_event(actor=request.user, event_type="edit", obj=obj,
                         action="numbering_change" if change else "numbering_create",
                         action_label="修改文号格式" if change else "新增文号格式",
                         details={"issuer": obj.issuer_id, "before": before,
                                  "after": {name: getattr(obj, name) for name in form.changed_data}})


@admin.register(NormativeDocument)
class NormativeDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "number", "issuer", "drafting_department", "status", "published_on", "valid_until")
    list_filter = ("status", "doc_type")
    list_select_related = ("issuer", "drafting_department")
    search_fields = ("title", "number", "registration_number")


@admin.register(FilingRecord)
class FilingRecordAdmin(ReadOnlyAdmin):
    list_display = ("document", "filing_body", "status", "submitted_on", "on_time", "reviewed_on")
    list_filter = ("status", "on_time")
    list_select_related = ("document", "filing_body")


@admin.register(CleanupRound)
class CleanupRoundAdmin(ReadOnlyAdmin):
    list_display = ("title", "issuer", "started_on", "published_on")
    list_select_related = ("issuer",)


@admin.register(ReviewSuggestion)
class ReviewSuggestionAdmin(ReadOnlyAdmin):
    list_display = ("number", "document", "status", "created_at", "answered_on")
    list_filter = ("status",)
    list_select_related = ("document",)
