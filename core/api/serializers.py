"""Serializers of the shared API: the error body, the review queue and the audit timeline.

Module-level classes with distinct names, so drf-spectacular gets one component per shape."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import AuditEvent, ReviewTask
from core.review_checklist import checklist_for


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


class AuditEventOutput(ModelOutput):
    class Meta:
        model = AuditEvent
        fields = ["seq", "occurred_at", "actor_name", "actor_department", "action", "action_label",
                  "source_state", "target_state", "reason"]
        read_only_fields = fields


# ---------------------------------------------------------------- review queue
class ReviewQueueFilter(serializers.Serializer):
    """Query parameters of the review queue."""

    department = serializers.IntegerField(required=False, min_value=1, help_text=_("报送单位编号"))
    kind = serializers.ChoiceField(choices=ReviewTask.Kind.choices, required=False)
    due_before = serializers.DateField(required=False, help_text=_("审查期限不晚于该日期"))
    mine = serializers.BooleanField(required=False, default=False, help_text=_("只看分派给本人的任务"))
    state = serializers.ChoiceField(choices=[("open", _("未办结")), ("done", _("已办结"))], required=False,
                                    default="open")


class ReviewTaskListOutput(ModelOutput):
    department_name = serializers.CharField(source="department.name", read_only=True)
    submitted_by_name = serializers.CharField(source="submitted_by.display_name", read_only=True)
    assigned_to_name = serializers.CharField(source="assigned_to.display_name", read_only=True, allow_null=True,
                                             default=None)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = ReviewTask
        fields = ["id", "kind", "kind_display", "object_id", "title", "department", "department_name",
                  "submitted_by_name", "submitted_on", "earliest_decision_on", "due_on", "status", "status_display",
                  "assigned_to", "assigned_to_name", "outcome", "outcome_display", "decided_at"]
        read_only_fields = fields


class ChecklistItemOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    basis = serializers.CharField()


class ReviewTaskDetailOutput(ReviewTaskListOutput):
    checklist_items = serializers.SerializerMethodField()

    class Meta(ReviewTaskListOutput.Meta):
        fields = ReviewTaskListOutput.Meta.fields + ["submission_note", "checklist", "opinion", "checklist_items"]
        read_only_fields = fields

    @extend_schema_field(ChecklistItemOutput(many=True))
    def get_checklist_items(self, task: ReviewTask) -> list[dict]:
        items = [{"key": key, "label": label, "basis": basis} for key, label, basis in checklist_for(task.kind)]
        return ChecklistItemOutput(items, many=True).data


class ReviewAssignInput(serializers.Serializer):
    assignee_id = serializers.IntegerField()


class ChecklistAnswerInput(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True, help_text="yes | no | na")
    note = serializers.CharField(allow_blank=True, required=False, default="")


class ReviewDecideInput(serializers.Serializer):
    """Outcome and opinion are checked by the service, which names what is missing."""

    outcome = serializers.CharField(allow_blank=True, required=False, default="",
                                    help_text=" | ".join(ReviewTask.Outcome.values))
    opinion = serializers.CharField(allow_blank=True, required=False, default="")
    checklist = serializers.DictField(child=ChecklistAnswerInput(), required=False, default=dict)
