"""Serializers of the decisions API. Inputs check shape and types only; every
rule (and its Chinese message) stays in decisions.services. Module-level classes
with distinct names give drf-spectacular one component per shape."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import AuditEventOutput, ModelOutput
from core.models import Attachment, Department
from core.selectors import history_for

from ..models import (
    Catalog,
    CatalogAdjustment,
    CatalogItem,
    Decision,
    ExecutionReport,
    MeetingRecord,
    PostEvaluation,
    ProcedureRecord,
)
from ..services import CHANGEABLE_ITEM_FIELDS
from ..workflow import DecisionCategory, Disclosure, Procedure


def _text(**kwargs) -> serializers.CharField:
    """Optional free text; an empty value reaches the service, which says what is missing."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def _display(source: str) -> serializers.CharField:
    return serializers.CharField(source=source, read_only=True)


def _nullable(source: str, field: type[serializers.Field] = serializers.CharField) -> serializers.Field:
    return field(source=source, read_only=True, allow_null=True, default=None)


def _procedure_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=Procedure.choices), required=False, **kwargs)


class ProceduresField(serializers.Field):
    """履行程序要求 as a list of codes or names, or as real catalogs write it: "公众参与、合法性审查、
    集体讨论决定". The service parses it (and names a word that is not a procedure)."""

    def to_internal_value(self, data):
        if isinstance(data, str) or (isinstance(data, list) and all(isinstance(x, str) for x in data)):
            return data
        raise serializers.ValidationError(_("请填写履行程序要求（代码列表或以顿号分隔的程序名称）。"))

    def to_representation(self, value):
        return list(value)


@extend_schema_field({"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
                      "description": "公众参与、听证、专家论证、风险评估、公平竞争审查、合法性审查、集体讨论决定"
                                     "（或 " + " | ".join(Procedure.values) + "）"})
class CatalogProceduresField(ProceduresField):
    pass


@extend_schema_field({"type": "string", "example": "2025-12",
                      "description": "日期 2025-12-31、月份 2025-12 / 2025年12月、季度 2025-Q4 / 2025年第四季度"})
class PlannedCompletionField(serializers.Field):
    """计划完成时间 at its precision (a day, a month or a quarter); the service parses it."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError(_("请填写计划完成时间。"))
        return data.strip()

    def to_representation(self, item):
        return item.planned_completion_code


# ================================================================== outputs
class AttachmentOutput(ModelOutput):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type_name", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class ProcedureRecordOutput(ModelOutput):
    kind_display = _display("get_kind_display")
    status_display = _display("get_status_display")
    recorded_by_name = _display("recorded_by.display_name")
    attachments = AttachmentOutput(many=True, read_only=True)

    class Meta:
        model = ProcedureRecord
        fields = ["id", "kind", "kind_display", "round", "status", "status_display", "details", "skip_ground",
                  "skip_reason", "recorded_by_name", "attachments", "created_at", "updated_at"]
        read_only_fields = fields


class MeetingRecordOutput(ModelOutput):
    outcome_display = _display("get_outcome_display")

    class Meta:
        model = MeetingRecord
        fields = ["id", "meeting_type", "session_name", "held_on", "attendees", "observers", "member_views",
                  "head_name", "outcome", "outcome_display", "dissent", "differs_from_majority_reason", "created_at"]
        read_only_fields = fields


class ExecutionReportOutput(ModelOutput):
    class Meta:
        model = ExecutionReport
        fields = ["id", "reported_on", "progress", "problems", "targets_missed", "created_at"]
        read_only_fields = fields


class PostEvaluationOutput(ModelOutput):
    trigger_display = _display("get_trigger_display")
    conclusion_display = _display("get_conclusion_display")

    class Meta:
        model = PostEvaluation
        fields = ["id", "trigger", "trigger_display", "evaluator", "started_on", "findings", "conclusion",
                  "conclusion_display", "completed_on"]
        read_only_fields = fields


class DecisionListOutput(ModelOutput):
    """Only the columns ``decision_list_for_user`` loads (it uses ``.only()``)."""

    status_display = _display("get_status_display")
    category_display = _display("get_category_display")
    department_name = _display("department.name")
    catalog_item_name = _nullable("catalog_item.name")
    catalog_item_number = _nullable("catalog_item.number", serializers.IntegerField)

    class Meta:
        model = Decision
        fields = ["id", "title", "year", "status", "status_display", "category", "category_display", "disclosure",
                  "department", "department_name", "catalog_item", "catalog_item_name", "catalog_item_number",
                  "updated_at", "published_at"]
        read_only_fields = fields


class DecisionDetailOutput(DecisionListOutput):
    procedure_records = ProcedureRecordOutput(many=True, read_only=True)
    meeting_records = MeetingRecordOutput(many=True, read_only=True)
    execution_reports = ExecutionReportOutput(many=True, read_only=True)
    post_evaluations = PostEvaluationOutput(many=True, read_only=True)
    timeline = serializers.SerializerMethodField()

    class Meta(DecisionListOutput.Meta):
        fields = DecisionListOutput.Meta.fields + [
            "summary", "draft_text", "explanation", "outside_catalog_reason", "required_procedures",
            "withheld_reason", "legality_passed", "legality_opinion", "round", "submitted_for_review_at",
            "decided_on", "party_reported_on", "party_report_note", "publication_channel", "late_publication_reason",
            "document_number",
            "completed_on", "archived_at", "version", "created_at",
            "procedure_records", "meeting_records", "execution_reports", "post_evaluations", "timeline",
        ]
        read_only_fields = fields

    @extend_schema_field(AuditEventOutput(many=True))
    def get_timeline(self, decision: Decision) -> list:
        return AuditEventOutput(history_for(decision), many=True).data


# ================================================================== decision inputs
class DecisionCreateInput(serializers.Serializer):
    """Linked to a catalog item, the item supplies category, procedures and year unless given."""

    title = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    draft_text = _text()
    explanation = _text()
    catalog_item = serializers.IntegerField(required=False, allow_null=True, help_text=_("目录事项编号"))
    outside_catalog_reason = _text()
    category = serializers.ChoiceField(choices=DecisionCategory.choices, required=False)
    required_procedures = _procedure_list()
    disclosure = serializers.ChoiceField(choices=Disclosure.choices, required=False)
    withheld_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class DecisionUpdateInput(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("读取时的版本号，用于发现他人同时所作的修改"))
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False)
    draft_text = serializers.CharField(required=False, allow_blank=True)
    explanation = serializers.CharField(required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=DecisionCategory.choices, required=False)
    required_procedures = _procedure_list()
    disclosure = serializers.ChoiceField(choices=Disclosure.choices, required=False)
    withheld_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    outside_catalog_reason = serializers.CharField(required=False, allow_blank=True)


class NoteInput(serializers.Serializer):
    note = _text()


class ReasonInput(serializers.Serializer):
    reason = _text()


class ProcedureInput(serializers.Serializer):
    """JSON, or multipart with ``files`` and ``details`` as a JSON string.
    A skip gives ``skip_ground`` and ``skip_reason`` instead of details and files."""

    kind = serializers.CharField(help_text=" | ".join(Procedure.values))
    details = serializers.JSONField(required=False, default=dict)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    skip_ground = _text(help_text="secrecy | public_safety | urgent_order")
    skip_reason = _text()

    def validate_details(self, value) -> dict:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("记录内容须为 JSON 对象。"))
        return value


class MeetingInput(serializers.Serializer):
    meeting_type = _text(help_text="executive | plenary")
    session_name = _text(max_length=100)
    held_on = serializers.DateField(required=False)
    attendees = _text()
    observers = _text()
    member_views = _text()
    head_name = _text(max_length=50)
    outcome = _text(help_text="adopted | deferred | rejected | redraft")
    dissent = _text()
    differs_from_majority_reason = _text()


class PublicCommentOpenInput(serializers.Serializer):
    opened_on = serializers.DateField()
    closes_on = serializers.DateField()
    channel = _text(max_length=200)
    short_period_reason = _text()


class HearingScheduleInput(serializers.Serializer):
    held_on = serializers.DateField()
    note = _text()


class PartyReportInput(serializers.Serializer):
    reported_on = serializers.DateField()
    note = _text(max_length=300)


class PublishInput(serializers.Serializer):
    channel = _text(max_length=200)
    document_number = _text(max_length=60)
    late_reason = _text(help_text=_("逾期公布的理由（超过公布期限时必填）"))


class ExecutionReportInput(serializers.Serializer):
    reported_on = serializers.DateField()
    progress = _text()
    problems = _text()
    targets_missed = serializers.BooleanField(required=False, default=False)


class PostEvaluationStartInput(serializers.Serializer):
    trigger = _text(help_text="below_expectation | public_comments | body_deems_necessary")
    evaluator = _text(max_length=100)
    reason = _text()


class PostEvaluationConcludeInput(serializers.Serializer):
    conclusion = _text(help_text="continue | adjust | terminate")
    findings = _text()


class CompleteInput(serializers.Serializer):
    completed_on = serializers.DateField()
    note = _text()


# ================================================================== catalog
class CatalogOutput(ModelOutput):
    status_display = _display("get_status_display")
    published_in_q1 = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Catalog
        fields = ["year", "decision_body", "status", "status_display", "compiled_at", "party_consent_on",
                  "party_consent_note", "document_number", "published_at", "published_in_q1"]
        read_only_fields = fields


class CatalogItemOutput(ModelOutput):
    status_display = _display("get_status_display")
    lead_department_name = _display("lead_department.name")
    required_procedures_display = _display("get_required_procedures_display")
    planned_completion = PlannedCompletionField(source="*", read_only=True)
    planned_completion_display = _display("planned_completion_label")

    class Meta:
        model = CatalogItem
        fields = ["id", "number", "name", "content", "decision_body", "lead_department", "lead_department_name",
                  "legal_basis", "required_procedures", "required_procedures_display", "planned_completion",
                  "planned_completion_precision", "planned_completion_display", "category", "disclosure",
                  "withheld_reason", "status", "status_display"]
        read_only_fields = fields


class CatalogItemInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    content = serializers.CharField()
    decision_body = serializers.CharField(max_length=100, required=False)
    legal_basis = serializers.CharField()
    required_procedures = CatalogProceduresField(required=False, default=list)
    planned_completion = PlannedCompletionField()
    category = serializers.ChoiceField(choices=DecisionCategory.choices)
    disclosure = serializers.ChoiceField(choices=Disclosure.choices, required=False, default=Disclosure.PUBLIC)
    withheld_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


_BODY_HELP = "决策机关编号；不填为本人管理的决策机关（政府办：市人民政府）"


class CatalogCompileInput(serializers.Serializer):
    included_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    note = _text()
    body_id = serializers.IntegerField(required=False, min_value=1, help_text=_BODY_HELP)


class CatalogPartyConsentInput(serializers.Serializer):
    consent_on = serializers.DateField()
    note = _text(max_length=300)
    body_id = serializers.IntegerField(required=False, min_value=1, help_text=_BODY_HELP)


class CatalogPublishInput(serializers.Serializer):
    document_number = _text(max_length=60)
    body_id = serializers.IntegerField(required=False, min_value=1, help_text=_BODY_HELP)


class CatalogAdjustmentInput(serializers.Serializer):
    """``add`` carries a whole new item in ``data``; ``change`` only the changed
    fields of ``item_id``; ``withdraw`` just ``item_id``."""

    kind = serializers.ChoiceField(choices=CatalogAdjustment.Kind.choices)
    reason = _text()
    item_id = serializers.IntegerField(required=False, allow_null=True)
    data = serializers.DictField(required=False, default=dict)

    def validate(self, attrs: dict) -> dict:
        kind, data = attrs["kind"], attrs["data"]
        if kind == CatalogAdjustment.Kind.ADD:
            item = CatalogItemInput(data=data)
        elif kind == CatalogAdjustment.Kind.CHANGE:
            item = CatalogItemInput(data={k: v for k, v in data.items() if k in CHANGEABLE_ITEM_FIELDS}, partial=True)
        else:
            return {**attrs, "data": {}}
        if not item.is_valid():
            raise serializers.ValidationError({"data": item.errors})
        return {**attrs, "data": dict(item.validated_data)}


class CatalogAdjustmentOutput(ModelOutput):
    kind_display = _display("get_kind_display")
    status_display = _display("get_status_display")
    item_name = _display("item.name")

    class Meta:
        model = CatalogAdjustment
        fields = ["id", "kind", "kind_display", "item", "item_name", "reason", "changes", "status", "status_display",
                  "published_at", "created_at"]
        read_only_fields = fields


class CatalogAdjustmentDecideInput(serializers.Serializer):
    approve = serializers.BooleanField()
    note = _text()


# ================================================================== public
class PublicCatalogIndexFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    level = serializers.ChoiceField(choices=Department.Level.choices, required=False)


class PublicCatalogSummaryOutput(serializers.Serializer):
    """One published catalog of one decision body."""

    year = serializers.IntegerField()
    body_code = serializers.CharField(source="body.code")
    body_name = serializers.CharField(source="body.name")
    level = serializers.CharField(source="body.level")
    level_display = serializers.CharField(source="body.get_level_display")
    document_number = serializers.CharField()
    published_at = serializers.DateTimeField()
    published_in_q1 = serializers.BooleanField()
    url = serializers.CharField(source="public_url")


class PublicCatalogYearsOutput(serializers.Serializer):
    """The years with a published catalog; with ``?year=`` also that year's catalogs of every body."""

    years = serializers.ListField(child=serializers.IntegerField())
    catalogs = PublicCatalogSummaryOutput(many=True, required=False)


class PublicCatalogItemOutput(ModelOutput):
    lead_department_name = _display("lead_department.name")
    required_procedures_display = _display("get_required_procedures_display")
    planned_completion = PlannedCompletionField(source="*", read_only=True)
    planned_completion_display = _display("planned_completion_label")
    category_display = _display("get_category_display")
    status_display = _display("get_status_display")

    class Meta:
        model = CatalogItem
        fields = ["id", "number", "name", "content", "decision_body", "lead_department_name", "legal_basis",
                  "required_procedures", "required_procedures_display", "planned_completion",
                  "planned_completion_precision", "planned_completion_display", "category",
                  "category_display", "status", "status_display"]
        read_only_fields = fields


class PublicCatalogAdjustmentOutput(ModelOutput):
    kind_display = _display("get_kind_display")
    item_name = _display("item.name")
    item_number = _nullable("item.number", serializers.IntegerField)
    lead_department_name = _display("item.lead_department.name")

    class Meta:
        model = CatalogAdjustment
        fields = ["kind", "kind_display", "item_name", "item_number", "lead_department_name", "reason", "changes",
                  "published_at"]
        read_only_fields = fields


class PublicCatalogOutput(serializers.Serializer):
    """A page of a published catalog's public items: withheld items are neither listed nor counted."""

    year = serializers.IntegerField(source="catalog.year")
    decision_body = serializers.CharField(source="catalog.decision_body")
    body_name = serializers.CharField(source="catalog.body.name")
    level = serializers.CharField(source="catalog.body.level")
    document_number = serializers.CharField(source="catalog.document_number")
    published_at = serializers.DateTimeField(source="catalog.published_at")
    item_count = serializers.IntegerField(help_text=_("公开事项数，计至1001"))
    item_count_capped = serializers.BooleanField(help_text=_("公开事项超过1000项"))
    next = serializers.URLField(allow_null=True, help_text=_("下一页事项"))
    previous = serializers.URLField(allow_null=True, help_text=_("上一页事项"))
    items = PublicCatalogItemOutput(many=True)
    adjustments = PublicCatalogAdjustmentOutput(many=True)


class PublicDecisionListOutput(ModelOutput):
    """Only the columns ``public_decision_list`` loads."""

    status_display = _display("get_status_display")
    department_name = _display("department.name")
    catalog_item_name = _nullable("catalog_item.name")
    catalog_item_number = _nullable("catalog_item.number", serializers.IntegerField)

    class Meta:
        model = Decision
        fields = ["id", "title", "summary", "year", "status", "status_display", "department_name",
                  "catalog_item_name", "catalog_item_number", "published_at", "document_number"]
        read_only_fields = fields


class PublicProcedureOutput(ModelOutput):
    kind_display = _display("get_kind_display")
    status_display = _display("get_status_display")

    class Meta:
        model = ProcedureRecord
        fields = ["kind", "kind_display", "round", "status", "status_display"]
        read_only_fields = fields


class PublicDecisionDetailOutput(PublicDecisionListOutput):
    category_display = _display("get_category_display")
    procedure_records = PublicProcedureOutput(many=True, read_only=True)
    execution_reports = ExecutionReportOutput(many=True, read_only=True)
    post_evaluations = PostEvaluationOutput(many=True, read_only=True)

    class Meta(PublicDecisionListOutput.Meta):
        fields = PublicDecisionListOutput.Meta.fields + [
            "draft_text", "explanation", "category", "category_display", "decided_on", "publication_channel",
            "completed_on", "procedure_records", "execution_reports", "post_evaluations",
        ]
        read_only_fields = fields
