"""Serializers of the normative-documents API. Inputs check shape and types only; every
rule (and its Chinese message) stays in normative_docs.services and normative_docs.filing.
Module-level classes with distinct names give drf-spectacular one component per shape."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import AuditEventOutput, ModelOutput
from core.models import Attachment
from core.selectors import history_for

from ..models import (
    DocumentRelation,
    DraftingProcedure,
    FilingRecord,
    NormativeDocument,
)
from ..workflow import (
    CorrectionOutcome,
    DocumentType,
    Procedure,
    PublicStatus,
    RelationKind,
)


def _text(**kwargs) -> serializers.CharField:
    """Optional free text; an empty value reaches the service, which says what is missing."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def _display(source: str) -> serializers.CharField:
    return serializers.CharField(source=source, read_only=True)


def _files(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.FileField(), required=False, default=list, **kwargs)


# ================================================================== outputs
class NormativeAttachmentOutput(ModelOutput):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type_name", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class DraftingProcedureOutput(ModelOutput):
    kind_display = _display("get_kind_display")
    recorded_by_name = _display("recorded_by.display_name")
    attachments = NormativeAttachmentOutput(many=True, read_only=True)

    class Meta:
        model = DraftingProcedure
        fields = ["id", "kind", "kind_display", "round", "details", "recorded_by_name", "attachments", "created_at",
                  "updated_at"]
        read_only_fields = fields


class DocumentRelationOutput(ModelOutput):
    """``newer`` replaces, amends or repeals ``older``."""

    kind_display = _display("get_kind_display")
    newer_title = _display("newer.title")
    newer_number = _display("newer.number")
    older_title = _display("older.title")
    older_number = _display("older.number")

    class Meta:
        model = DocumentRelation
        fields = ["id", "kind", "kind_display", "newer", "newer_title", "newer_number", "older", "older_title",
                  "older_number"]
        read_only_fields = fields


class FilingOutput(ModelOutput):
    status_display = _display("get_status_display")
    filing_body_name = _display("filing_body.name")
    correction_outcome_display = _display("get_correction_outcome_display")
    attachments = NormativeAttachmentOutput(many=True, read_only=True)

    class Meta:
        model = FilingRecord
        fields = ["id", "document", "filing_body", "filing_body_name", "status", "status_display", "submitted_on",
                  "filing_report", "on_time", "late_reason", "checked_on", "check_note", "checklist", "review_opinion",
                  "reviewed_on", "correction_outcome", "correction_outcome_display", "correction_report",
                  "corrected_on", "attachments", "created_at", "updated_at"]
        read_only_fields = fields


class NormativeDocumentListOutput(ModelOutput):
    """Only what ``document_list_for_user`` loads (issuer and drafting unit joined)."""

    status_display = _display("get_status_display")
    doc_type_display = _display("get_doc_type_display")
    issuer_name = _display("issuer.name")
    drafting_department_name = _display("drafting_department.name")
    public_status = serializers.SerializerMethodField()

    class Meta:
        model = NormativeDocument
        fields = ["id", "title", "doc_type", "doc_type_display", "status", "status_display", "public_status",
                  "issuer", "issuer_name", "drafting_department", "drafting_department_name", "number",
                  "registration_number", "published_on", "effective_on", "valid_until", "business_related",
                  "origin", "version", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="not_yet_effective | valid | expired | "
                                                                           "repealed | amended"))
    def get_public_status(self, document: NormativeDocument) -> str | None:
        status = document.public_status()
        return str(status) if status else None


class NormativeDocumentDetailOutput(NormativeDocumentListOutput):
    filing_body_name = _display("filing_body.name")
    procedures = DraftingProcedureOutput(many=True, read_only=True)
    changes_made = DocumentRelationOutput(many=True, read_only=True)
    changed_by = DocumentRelationOutput(many=True, read_only=True)
    filings = FilingOutput(many=True, read_only=True)
    timeline = serializers.SerializerMethodField()

    class Meta(NormativeDocumentListOutput.Meta):
        fields = NormativeDocumentListOutput.Meta.fields + [
            "filing_body", "filing_body_name", "reason", "body", "explanation", "interpretation",
            "major_rights_impact", "required_procedures", "legality_passed", "legality_opinion", "round",
            "deliberated_on", "deliberation_meeting", "registered_on", "signed_on", "publication_channel",
            "no_validity_reason", "ended_on", "created_at",
            "procedures", "changes_made", "changed_by", "filings", "timeline",
        ]
        read_only_fields = fields

    @extend_schema_field(AuditEventOutput(many=True))
    def get_timeline(self, document: NormativeDocument) -> list:
        return AuditEventOutput(history_for(document), many=True).data


# ================================================================== document inputs
class NormativeDocumentProposeInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    doc_type = serializers.ChoiceField(choices=DocumentType.choices, required=False)
    reason = serializers.CharField(help_text=_("制定理由：必要性、拟解决的问题、制定依据"))
    issuer = serializers.IntegerField(required=False, min_value=1, help_text=_("制定机关编号；默认本单位"))
    body = _text()
    explanation = _text()
    interpretation = _text()
    business_related = serializers.BooleanField(required=False, default=False)
    major_rights_impact = serializers.BooleanField(required=False, default=True)


class NormativeDocumentUpdateInput(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("读取时的版本号，用于发现他人同时所作的修改"))
    title = serializers.CharField(max_length=200, required=False)
    doc_type = serializers.ChoiceField(choices=DocumentType.choices, required=False)
    reason = serializers.CharField(required=False)
    body = serializers.CharField(required=False, allow_blank=True)
    explanation = serializers.CharField(required=False, allow_blank=True)
    interpretation = serializers.CharField(required=False, allow_blank=True)
    business_related = serializers.BooleanField(required=False)
    major_rights_impact = serializers.BooleanField(required=False)


class NormativeNoteInput(serializers.Serializer):
    note = _text()


class NormativeEmptyInput(serializers.Serializer):
    """No fields: the action needs nothing but the document."""


class NormativePublicCommentInput(serializers.Serializer):
    opened_on = serializers.DateField()
    closes_on = serializers.DateField()
    channel = _text(max_length=200)
    short_period_reason = _text()


class NormativeProcedureInput(serializers.Serializer):
    """JSON, or multipart with ``files`` and ``details`` as a JSON string."""

    kind = serializers.CharField(help_text=" | ".join(Procedure.values))
    details = serializers.JSONField(required=False, default=dict)
    files = _files()

    def validate_details(self, value) -> dict:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("记录内容须为 JSON 对象。"))
        return value


class NormativeDeliberateInput(serializers.Serializer):
    held_on = serializers.DateField()
    meeting = _text(max_length=100)
    outcome = _text(help_text="adopted | rejected | redraft")
    note = _text()


class NormativePublishInput(serializers.Serializer):
    published_on = serializers.DateField()
    effective_on = serializers.DateField()
    channel = _text(max_length=200)
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None,
                                        help_text=_("有效期至；不填则为政策表规定的最长有效期（5年，暂行、试行2年）"))
    no_validity_reason = _text(max_length=300, help_text=_("不设有效期的理由（暂行、试行的不得不设有效期）"))
    adjustment_reason = _text()
    late_reason = _text(help_text=_("逾期公开的理由（成文之日起超过20个工作日时必填）"))


class NormativeLinkInput(serializers.Serializer):
    older_id = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=RelationKind.choices)


class NormativeRepealInput(serializers.Serializer):
    reason = _text()
    on = serializers.DateField(required=False, allow_null=True, default=None)


class NormativeFileInput(serializers.Serializer):
    """Multipart: the report and one or more ``files``."""

    report = _text()
    files = _files()
    late_reason = _text(help_text=_("逾期报送的理由（超过报送备案期限时必填）"))


class HistoricalRelationInput(serializers.Serializer):
    number = serializers.CharField(max_length=60, help_text=_("被替代、修改或废止的文件的文号"))
    kind = serializers.ChoiceField(choices=RelationKind.choices)


class HistoricalDocumentInput(serializers.Serializer):
    """历史文件登记 (JSON, or multipart with ``files``): the 文号 exactly as printed."""

    document_number = serializers.CharField(max_length=60, help_text=_("文号，按原件填写，如 湖政办发〔2020〕21号"))
    title = serializers.CharField(max_length=200)
    issuer = serializers.CharField(max_length=100, help_text=_("制定机关名称（单位名录中的全称或简称）"))
    signed_on = serializers.DateField(help_text=_("成文日期"))
    published_on = serializers.DateField(help_text=_("公布日期"))
    text = serializers.CharField(help_text=_("文件全文"))
    effective_on = serializers.DateField(required=False, allow_null=True, default=None,
                                         help_text=_("施行日期；默认公布日期"))
    valid_until = serializers.DateField(required=False, allow_null=True, default=None, help_text=_("有效期至"))
    status = _text(max_length=20, help_text=_("时效性：有效、失效、废止（或 valid | expired | repealed）；默认有效"))
    ended_on = serializers.DateField(required=False, allow_null=True, default=None, help_text=_("失效或废止日期"))
    doc_type = serializers.ChoiceField(choices=DocumentType.choices, required=False, help_text=_("文种；默认按标题判断"))
    interpretation = _text()
    publication_channel = _text(max_length=200)
    relations = HistoricalRelationInput(many=True, required=False, default=list)
    files = _files()


# ================================================================== filing inputs
class FilingCheckInput(serializers.Serializer):
    result = _text(help_text="accept | incomplete | out_of_scope")
    note = _text()


class FilingSupplementInput(serializers.Serializer):
    note = _text()
    files = _files()


class FilingReviewInput(serializers.Serializer):
    outcome = _text(help_text="passed | correction")
    opinion = _text()
    checklist = serializers.DictField(
        child=serializers.DictField(), required=False, default=dict,
        help_text=_("每个审查要点一项：{\"answer\": \"yes|no|na\", \"note\": \"…\"}"))


class FilingCorrectionInput(serializers.Serializer):
    outcome = _text(help_text=" | ".join(CorrectionOutcome.values))
    report = _text()


# ================================================================== public library (no login)
class PublicNormativeDocumentFilter(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text=_("标题或文号（任一括号写法）"))
    issuer = serializers.IntegerField(required=False, min_value=1, help_text=_("制定机关编号"))
    status = serializers.ChoiceField(required=False, choices=PublicStatus.choices, help_text=_("时效性"))
    year = serializers.IntegerField(required=False, min_value=1949, max_value=2100, help_text=_("公布年度"))


class PublicNormativeDocumentOutput(ModelOutput):
    issuer_name = _display("issuer.name")
    public_status = serializers.CharField(read_only=True)
    public_status_display = _display("get_public_status_display")

    class Meta:
        model = NormativeDocument
        fields = ["id", "title", "number", "issuer_name", "signed_on", "published_on", "effective_on", "valid_until",
                  "public_status", "public_status_display", "origin"]
        read_only_fields = fields


class PublicNormativeDocumentDetailOutput(PublicNormativeDocumentOutput):
    class Meta(PublicNormativeDocumentOutput.Meta):
        fields = [*PublicNormativeDocumentOutput.Meta.fields, "registration_number", "doc_type", "body",
                  "interpretation", "publication_channel", "ended_on"]
        read_only_fields = fields
