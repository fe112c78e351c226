"""Serializers of the review queue API."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import ModelOutput
from reviews.checklist import checklist_for
from reviews.models import ReviewTask


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
                  "assigned_to", "assigned_to_name", "outcome", "outcome_display", "early_reason", "decided_at"]
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
    early_reason = serializers.CharField(allow_blank=True, required=False, default="",
                                         help_text=_("在最早结论日期之前作出通过或不通过结论时必填（记入审计日志，监督人员可见）"))
