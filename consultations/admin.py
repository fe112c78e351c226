"""Read-only: every change goes through the services and pages."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Consultation, PublicComment


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ("title", "department", "round", "opens_on", "closes_on", "summary_published_at")
    list_select_related = ("department",)


@admin.register(PublicComment)
class PublicCommentAdmin(ReadOnlyAdmin):
    list_display = ("consultation", "submitted_at", "status", "disposition")
    list_filter = ("status", "disposition")
    list_select_related = ("consultation",)
    exclude = ("ip_hash",)
