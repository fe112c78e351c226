"""The administrator's screens: reference data is editable; the working-day
calendar and the audit trail are read-only."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AuditEvent, CalendarDay, CalendarYear, Department, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent", "sort_order")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "short_name", "code")


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """The system administrator's accounts (三员分立): roles, superuser and permissions are the
    security administrator's (``/work/security/roles/``), so they are read-only here; every save
    is an audit event."""

    list_display = ("username", "full_name", "department", "roles", "is_active")
    list_filter = ("is_active", "department__kind")
    list_select_related = ("department",)
    fieldsets = UserAdmin.fieldsets + (("单位与角色", {"fields": ("full_name", "department", "roles")}),)

    def get_readonly_fields(self, request, obj=None):
        from .admin_duties import is_security_admin

        fields = list(super().get_readonly_fields(request, obj))
        if not is_security_admin(request.user):
            fields += ["roles", "is_superuser", "groups", "user_permissions"]
        return fields

    def save_model(self, request, obj, form, change):
        from django.db import transaction

        from .audit import record_event

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record_event(actor=request.user, event_type="security", obj=obj,
                         action="account_changed" if change else "account_created",
                         action_label="修改账号" if change else "创建账号",
                         details={"username": obj.username, "fields": sorted(form.changed_data)})


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The calendar is corrected only on /work/calendar/: its service audits the change and
# recomputes the running clocks, which an edit here would silently skip.
@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "source", "loaded_at")
    change_list_template = "core/calendar_admin_change_list.html"


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    change_list_template = "core/calendar_admin_change_list.html"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read by the audit administrator only (三员分立)."""

    def has_view_permission(self, request, obj=None):
        from .admin_duties import is_audit_admin

        return is_audit_admin(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    list_display = ("seq", "occurred_at", "actor_username", "actor_department", "action_label", "object_label",
                    "source_state", "target_state")
    list_filter = ("event_type",)
    search_fields = ("object_label", "actor_username", "action")
