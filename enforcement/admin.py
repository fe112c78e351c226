"""Administrators keep the enforcement reference data (bodies' public information, powers,
officers' certificates, the audio-video list), each change audited. Cases and what follows
from them are read-only here: every change goes through the services, and the party's ID
number, phone and address are not shown at all (only the audited reveal shows them)."""
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict

from core.admin import ReadOnlyAdmin
from core.audit import record_event
from deadlines.permissions import is_administrator

from .models import (
    AnnualReport,
    AudioVideoRule,
    BodyProfile,
    Case,
    GuidanceCase,
    OfficerCertificate,
    Power,
    PublicNotice,
    RecordEntry,
)


def _plain(value):
    """A JSON-safe copy of a form value for the audit details."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value if isinstance(value, (bool, int, type(None))) else str(value)


class AuditedReferenceAdmin(admin.ModelAdmin):
    """Editable by administrators only; every save leaves an audit event with before and after."""

    audit_label = "执法参考数据"

    def has_add_permission(self, request):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not is_administrator(request.user):
            raise PermissionDenied
        before = {}
        if change:
            old = model_to_dict(type(obj).objects.get(pk=obj.pk))
            before = {name: _plain(old.get(name)) for name in form.changed_data}
        with transaction.atomic():
            obj.save()
            name = obj._meta.model_name
            record_event(actor=request.user, event_type="edit", obj=obj,
                         action=f"{name}_change" if change else f"{name}_create",
                         action_label=f"{'修改' if change else '新增'}{obj._meta.verbose_name}",
                         details={"before": before, "after": {
                             field: _plain(form.cleaned_data.get(field)) for field in form.changed_data}})


@admin.register(BodyProfile)
class BodyProfileAdmin(AuditedReferenceAdmin):
    list_display = ("body", "review_threshold_person", "review_threshold_organisation")
    list_select_related = ("body",)
    search_fields = ("body__name",)


@admin.register(Power)
class PowerAdmin(AuditedReferenceAdmin):
    list_display = ("name", "body", "category", "legal_basis")
    list_filter = ("body",)
    list_select_related = ("body",)
    search_fields = ("name", "legal_basis")


@admin.register(OfficerCertificate)
class OfficerCertificateAdmin(AuditedReferenceAdmin):
    list_display = ("number", "user", "body", "valid_from", "valid_until", "legal_qualification")
    list_filter = ("body", "legal_qualification")
    list_select_related = ("user", "body")
    search_fields = ("number", "user__full_name", "user__username")
    autocomplete_fields = ("user",)


@admin.register(AudioVideoRule)
class AudioVideoRuleAdmin(AuditedReferenceAdmin):
    list_display = ("kind", "source")


# ------------------------------------------------------------------ read-only records
@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "body", "status", "opened_on", "decided_on", "outcome")
    list_filter = ("status", "body", "key_area", "outcome")
    list_select_related = ("body",)
    search_fields = ("number", "title", "decision_number")
    exclude = ("party_id_number", "party_phone", "party_address")


@admin.register(RecordEntry)
class RecordEntryAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "happened_at", "place", "has_audio_video")
    list_filter = ("kind", "has_audio_video")
    list_select_related = ("case",)


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ("title", "body_name", "decision_number", "published_on", "on_time", "takedown_on",
                    "withdrawn_on")
    list_filter = ("on_time",)
    search_fields = ("title", "decision_number")


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ("year", "published_on", "approved_by")


@admin.register(GuidanceCase)
class GuidanceCaseAdmin(ReadOnlyAdmin):
    list_display = ("title", "case", "status", "published_on")
    list_filter = ("status",)
    list_select_related = ("case",)
