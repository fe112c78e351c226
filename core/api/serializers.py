"""Serializers of the shared API: the error body, the token and the audit timeline.

Module-level classes with distinct names, so drf-spectacular gets one component per shape."""
from __future__ import annotations

from rest_framework import serializers

from core.models import AuditEvent


class ErrorSerializer(serializers.Serializer):
    """The one error body of the API (see core.api.exception_handler)."""

    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.ListField(child=serializers.CharField())


#: Error responses for @extend_schema(responses=...).
ERRORS = {status: ErrorSerializer for status in (400, 403, 404, 409)}


class CodeField(serializers.CharField):
    """A stored choice code, a plain string in the schema: the same names (status,
    kind, outcome) hold different choice sets on different models."""

    def __init__(self, *, choices=(), **kwargs):
        kwargs.setdefault("help_text", " | ".join(str(value) for value, _label in choices))
        super().__init__(**kwargs)


class ModelOutput(serializers.ModelSerializer):
    """Base of read-only model outputs; labels of choices go in ``*_display`` fields."""

    serializer_choice_field = CodeField


class AuthTokenOutput(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class AuditEventOutput(ModelOutput):
    class Meta:
        model = AuditEvent
        fields = ["seq", "occurred_at", "actor_name", "actor_department", "action", "action_label",
                  "source_state", "target_state", "reason"]
        read_only_fields = fields
