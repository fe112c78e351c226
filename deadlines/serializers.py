"""Serializers of the deadlines API: my deadlines with their traffic light, my
notifications, and the mark-read input. Module-level classes with distinct names
give drf-spectacular one component per shape."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import serializers

from core.api.serializers import ModelOutput

from .models import LegalClock, Notification


class LightOutput(serializers.Serializer):
    colour = serializers.CharField(help_text="green | amber | red | grey")
    label = serializers.CharField()
    days_left = serializers.IntegerField(allow_null=True,
                                         help_text=_lazy("剩余期限，按期限自身单位计（工作日或自然日）；逾期为负数"))
    text = serializers.CharField()


class DeadlineOutput(ModelOutput):
    """One open clock; ``light`` is set by ``deadlines.selectors.with_lights``."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    unit_display = serializers.CharField(source="get_unit_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True, default=None)
    assignee_name = serializers.CharField(source="assignee.display_name", read_only=True, allow_null=True,
                                          default=None)
    light = LightOutput(read_only=True)
    days_left = serializers.IntegerField(source="light.days_left", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = LegalClock
        fields = ["id", "rule", "label", "kind", "kind_display", "source", "status", "status_display",
                  "department", "department_name", "assignee", "assignee_name", "started_on", "length", "unit",
                  "unit_display", "due_on", "warn_on", "calendar_pending", "days_left", "light", "url"]
        read_only_fields = fields

    def get_url(self, clock: LegalClock) -> str:
        return reverse("deadlines:clock-detail", args=[clock.pk])


class NotificationOutput(ModelOutput):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "level", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, note: Notification) -> bool:
        return note.read_at is not None


class NotificationFilter(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False, help_text=_lazy("只看未读消息"))


class NotificationMarkReadInput(serializers.Serializer):
    """Either the ids of one's own notifications, or ``all: true``."""

    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=500)
    all = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        if "ids" not in data and not data.get("all"):
            raise serializers.ValidationError(_("请提供要标为已读的消息编号（ids），或以 all=true 标记全部。"))
        if "ids" in data and data.get("all"):
            raise serializers.ValidationError(_("ids 与 all 只能二选一。"))
        return data


class NotificationMarkReadOutput(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()
