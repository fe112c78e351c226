"""Serializers of the contracts API."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import ModelOutput
from core.models import Attachment

from ..models import Contract, ContractMilestone, ContractRecord
from ..workflow import (
    AttachmentKind,
    ContractStatus,
    ContractType,
    DisputeResolution,
    RecordKind,
)


class ContractFilter(serializers.Serializer):
    body = serializers.SlugField(required=False, help_text=_("决策机关代码"))
    status = serializers.ChoiceField(choices=ContractStatus.choices, required=False)


class ContractInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    counterparty = serializers.CharField(max_length=200)
    contract_type = serializers.ChoiceField(choices=ContractType.choices)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0)
    term_start = serializers.DateField()
    term_end = serializers.DateField()
    key_clauses = serializers.CharField()
    dispute_resolution = serializers.ChoiceField(choices=DisputeResolution.choices)
    dispute_forum = serializers.CharField(max_length=200)
    foreign_related = serializers.BooleanField(required=False, default=False)
    confidentiality = serializers.BooleanField(required=False, default=False)


class MilestoneOutput(ModelOutput):
    class Meta:
        model = ContractMilestone
        fields = ["id", "title", "due_on", "done_on", "note"]
        read_only_fields = fields


class RecordOutput(ModelOutput):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ContractRecord
        fields = ["id", "kind", "kind_display", "occurred_on", "summary", "resolution"]
        read_only_fields = fields


class ContractListOutput(ModelOutput):
    body_name = serializers.CharField(source="body.name", read_only=True)
    level = serializers.CharField(source="body.level", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    contract_type_display = serializers.CharField(source="get_contract_type_display", read_only=True)
    review_required = serializers.BooleanField(read_only=True)
    filed_on_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Contract
        fields = ["id", "title", "number", "body", "body_name", "level", "department", "department_name",
                  "counterparty", "contract_type", "contract_type_display", "amount", "term_start", "term_end",
                  "status", "status_display", "review_required", "legality_passed", "signed_on", "filing_due_on",
                  "filed_on", "filed_on_time", "ended_on"]
        read_only_fields = fields


class ContractAttachmentOutput(ModelOutput):
    kind = serializers.CharField(source="purpose", read_only=True)
    kind_display = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField(help_text=_("下载地址（工作台，需登录；下载记入过程记录）"))

    class Meta:
        model = Attachment
        fields = ["id", "kind", "kind_display", "original_name", "content_type_name", "size", "sha256", "uploaded_at",
                  "download_url"]
        read_only_fields = fields

    def get_kind_display(self, attachment) -> str:
        return str(dict(AttachmentKind.choices).get(attachment.purpose, _("附件")))

    def get_download_url(self, attachment) -> str:
        return reverse("workbench:attachment-download", args=[attachment.pk])


class ContractDetailOutput(ContractListOutput):
    milestones = MilestoneOutput(many=True, read_only=True)
    records = RecordOutput(many=True, read_only=True)
    attachments = ContractAttachmentOutput(many=True, read_only=True)

    class Meta(ContractListOutput.Meta):
        fields = ContractListOutput.Meta.fields + [
            "key_clauses", "dispute_resolution", "dispute_forum", "foreign_related", "confidentiality",
            "legality_opinion", "signed_by", "end_reason", "version", "milestones", "records", "attachments"]
        read_only_fields = fields


class ContractNoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SignInput(serializers.Serializer):
    signed_on = serializers.DateField()
    signed_by = serializers.CharField(max_length=50, allow_blank=True)


class MilestoneInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    due_on = serializers.DateField()


class MilestoneDoneInput(serializers.Serializer):
    done_on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RecordInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RecordKind.choices)
    occurred_on = serializers.DateField()
    summary = serializers.CharField(allow_blank=True)
    resolution = serializers.CharField(required=False, allow_blank=True, default="")


class EndInput(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class FileInput(serializers.Serializer):
    filed_on = serializers.DateField()


class AttachmentInput(serializers.Serializer):
    """multipart: ``kind`` and one or more ``files``."""

    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)
