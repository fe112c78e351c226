from django.contrib import admin

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("pk", "status", "topics", "created_at", "confirmed_at", "last_sent_at")
    list_filter = ("status",)
    readonly_fields = ("email", "token", "created_at", "mailed_at", "confirmed_at", "digest_from", "last_sent_at")
