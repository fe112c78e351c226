"""The review queue in the admin: read-only (every change goes through the services)."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import ReviewTask


@admin.register(ReviewTask)
class ReviewTaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "department", "status", "assigned_to", "due_on", "outcome")
    list_filter = ("status", "kind")
    list_select_related = ("department", "assigned_to")
