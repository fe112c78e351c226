from django.contrib import admin
from django.core.exceptions import PermissionDenied

from core.admin import ReadOnlyAdmin

from . import services
from .models import DeadlinePolicy, LegalClock, OutboxEmail, Reminder


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    """Administrators edit the numbers of the law; the service audits each change.
    A changed row applies to clocks started afterwards (running clocks keep their copy)."""

    list_display = ("code", "name", "length", "unit", "kind", "warn_before", "effective_from", "source")
    list_filter = ("unit", "kind")
    search_fields = ("code", "name", "source")
    fields = ("code", "name", "length", "unit", "kind", "warn_before", "source", "effective_from", "note")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            saved = services.policy_save(actor=request.user, policy=obj, changed=form.changed_data)
        except services.NotPermitted as error:
            raise PermissionDenied(str(error)) from error
        obj.pk = saved.pk


@admin.register(LegalClock)
class LegalClockAdmin(ReadOnlyAdmin):
    list_display = ("label", "rule", "department", "started_on", "due_on", "status", "calendar_pending")
    list_filter = ("status", "rule", "calendar_pending")
    search_fields = ("label",)


class ParkedFilter(admin.SimpleListFilter):
    title = "投递状态"
    parameter_name = "parked"

    def lookups(self, request, model_admin):
        return [("yes", "投递失败已搁置"), ("pending", "待投递")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(parked_at__isnull=False, sent_at__isnull=True)
        if self.value() == "pending":
            return queryset.filter(parked_at__isnull=True, sent_at__isnull=True, cancelled_at__isnull=True)
        return queryset


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """Reminders whose attempts ran out are parked with their error; an administrator may deliver
    them again after fixing the cause."""

    list_display = ("title", "rule", "step", "recipient", "due_at", "sent_at", "attempts", "parked_at", "last_error")
    list_filter = (ParkedFilter, "rule", "step")
    search_fields = ("title", "recipient__username")
    actions = ["retry_parked"]

    @admin.action(description="重新投递所选的搁置提醒")
    def retry_parked(self, request, queryset):
        done = 0
        for reminder in queryset.filter(parked_at__isnull=False, sent_at__isnull=True):
            services.reminder_retry(actor=request.user, reminder_id=reminder.pk)
            done += 1
        self.message_user(request, f"已重新排队 {done} 条提醒，将在下一次投递时发出。")


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    """Parked messages are shown first; an administrator may send one again after fixing the cause."""

    list_display = ("subject", "to_address", "status", "attempts", "next_attempt_at", "last_error", "sent_at")
    list_filter = ("status",)
    search_fields = ("subject", "to_address", "idempotency_key")
    actions = ["retry_parked"]

    @admin.action(description="重新发送所选的搁置邮件")
    def retry_parked(self, request, queryset):
        done = 0
        for email in queryset.filter(status=OutboxEmail.Status.PARKED):
            services.outbox_retry(actor=request.user, email_id=email.pk)
            done += 1
        self.message_user(request, f"已重新排队 {done} 封邮件。")
