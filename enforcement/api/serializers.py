"""Serializers of the enforcement API. Inputs check shape and types only; every rule (and its
Chinese message) stays in enforcement.services. The party's personal data never leaves
unmasked: ID numbers as staff see them (first 6 + last 4), names by the public rule, phone
and address masked, free text through ``masking.mask_text``. Module-level classes with
distinct names give drf-spectacular one component per shape."""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import AuditEventOutput, ModelOutput
from core.models import Attachment
from deadlines.models import ClockPause, LegalClock

from .. import masking
from ..models import Case, PublicNotice, RecordEntry, Recusal
from ..workflow import (
    EnforcementKind,
    EnforcementWay,
    KeyArea,
    NoPenaltyGround,
    Outcome,
    PartyType,
    PenaltyType,
)


def _text(**kwargs) -> serializers.CharField:
    """Optional free text; an empty value reaches the service, which says what is missing."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def _display(source: str) -> serializers.CharField:
    return serializers.CharField(source=source, read_only=True)


class MaskedTextField(serializers.CharField):
    """Free text with every resident ID, phone and bank account number masked."""

    def to_representation(self, value) -> str:
        return masking.mask_text(str(value or ""))


class CasePersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


# ================================================================== case parts
class EnforcementAttachmentOutput(ModelOutput):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type_name", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class CaseRecordOutput(ModelOutput):
    kind_display = _display("get_kind_display")
    summary = MaskedTextField(read_only=True)
    officers = CasePersonOutput(many=True, read_only=True)
    recorded_by_name = _display("recorded_by.display_name")
    attachments = EnforcementAttachmentOutput(many=True, read_only=True)

    class Meta:
        model = RecordEntry
        fields = ["id", "kind", "kind_display", "happened_at", "place", "summary", "officers", "has_audio_video",
                  "recorded_by_name", "attachments", "created_at"]
        read_only_fields = fields


class CaseRecusalOutput(ModelOutput):
    officer_name = _display("officer.display_name")
    reason = MaskedTextField(read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.display_name", read_only=True, allow_null=True,
                                            default=None)

    class Meta:
        model = Recusal
        fields = ["id", "officer", "officer_name", "reason", "granted", "decided_by_name", "decided_on"]
        read_only_fields = fields


class CaseClockPauseOutput(ModelOutput):
    reason_kind_display = _display("get_reason_kind_display")

    class Meta:
        model = ClockPause
        fields = ["paused_on", "resumed_on", "reason_kind", "reason_kind_display", "reason"]
        read_only_fields = fields


class CaseClockOutput(ModelOutput):
    status_display = _display("get_status_display")
    pauses = CaseClockPauseOutput(many=True, read_only=True)

    class Meta:
        model = LegalClock
        fields = ["id", "rule", "label", "status", "status_display", "started_on", "length", "unit", "due_on",
                  "warn_on", "extension_length", "source", "ended_on", "pauses"]
        read_only_fields = fields


class CaseTimelineOutput(AuditEventOutput):
    """The audit trail, its free-text reasons masked."""

    reason = MaskedTextField(read_only=True)

    class Meta(AuditEventOutput.Meta):
        pass


class CaseNoticeOutput(ModelOutput):
    """A published decision: only its masked fields."""

    class Meta:
        model = PublicNotice
        fields = ["id", "title", "body_name", "decision_number", "party_masked", "id_masked", "content",
                  "published_on", "on_time", "late_reason", "takedown_on", "withdrawn_on", "withdrawal_statement",
                  "late_withdrawal_reason"]
        read_only_fields = fields


class PublicEnforcementNoticeOutput(ModelOutput):
    class Meta:
        model = PublicNotice
        fields = ["id", "title", "body_name", "decision_number", "party_masked", "id_masked", "content",
                  "published_on", "takedown_on"]
        read_only_fields = fields


# ================================================================== cases
class CaseListOutput(ModelOutput):
    """Only what the list loads (the body joined); the party masked."""

    status_display = _display("get_status_display")
    key_area_display = _display("get_key_area_display")
    kind_display = _display("get_kind_display")
    party_type_display = _display("get_party_type_display")
    body_name = _display("body.name")
    party_name = serializers.SerializerMethodField()
    party_id_masked = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "number", "title", "body", "body_name", "status", "status_display", "key_area",
                  "key_area_display", "kind", "kind_display", "party_type", "party_type_display", "party_name",
                  "party_id_masked", "clue_received_on", "opened_on", "decided_on", "outcome", "fine_amount",
                  "updated_at"]
        read_only_fields = fields

    def get_party_name(self, case: Case) -> str:
        return masking.mask_name(case.party_name, case.party_type)

    def get_party_id_masked(self, case: Case) -> str:
        return masking.mask_id(case.party_id_number, staff=True)


class CaseDetailOutput(CaseListOutput):
    outcome_display = _display("get_outcome_display")
    no_penalty_ground_display = _display("get_no_penalty_ground_display")
    party_phone_masked = serializers.SerializerMethodField()
    party_address_masked = serializers.SerializerMethodField()
    facts = MaskedTextField(read_only=True)
    decision_basis = MaskedTextField(read_only=True)
    hearing_record = MaskedTextField(read_only=True)
    legal_review_opinion = MaskedTextField(read_only=True)
    not_opened_reason = MaskedTextField(read_only=True)
    officers = CasePersonOutput(many=True, read_only=True)
    hearing_chair_name = serializers.CharField(source="hearing_chair.display_name", read_only=True, allow_null=True,
                                               default=None)
    records = CaseRecordOutput(many=True, read_only=True)
    recusals = CaseRecusalOutput(many=True, read_only=True)
    notice = serializers.SerializerMethodField()
    clocks = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(CaseListOutput.Meta):
        fields = CaseListOutput.Meta.fields + [
            "clue_source", "ways", "party_phone_masked", "party_address_masked", "facts", "complex_case",
            "public_interest", "officers", "not_opened_reason", "proposed_penalty_types", "proposed_fine",
            "notified_on", "hearing_requested_on", "hearing_on", "hearing_notice_on", "hearing_chair",
            "hearing_chair_name", "hearing_record", "legal_review_required", "legal_review_grounds",
            "legal_review_passed", "legal_review_opinion", "outcome_display", "penalty_types",
            "no_penalty_ground", "no_penalty_ground_display", "no_penalty_facts", "late_decision_reason",
            "decision_number", "decision_basis", "served_on", "late_service_reason", "paid_on", "paid_amount", "closed_on", "revoked_on", "version", "created_at",
            "records", "recusals", "notice", "clocks", "timeline",
        ]
        read_only_fields = fields

    def get_party_phone_masked(self, case: Case) -> str:
        return masking.mask_phone(case.party_phone)

    def get_party_address_masked(self, case: Case) -> str:
        return masking.mask_address(case.party_address)

    @extend_schema_field(CaseNoticeOutput(allow_null=True))
    def get_notice(self, case: Case) -> dict | None:
        try:
            return CaseNoticeOutput(case.notice).data
        except PublicNotice.DoesNotExist:
            return None

    @extend_schema_field(CaseClockOutput(many=True))
    def get_clocks(self, case: Case) -> list:
        return CaseClockOutput(self.context.get("clocks", []), many=True).data

    @extend_schema_field(CaseTimelineOutput(many=True))
    def get_timeline(self, case: Case) -> list:
        return CaseTimelineOutput(self.context.get("timeline", []), many=True).data


# ================================================================== inputs
class CaseRegisterInput(serializers.Serializer):
    """登记线索; the service checks the required fields and the resident ID's check character."""

    title = _text(max_length=200)
    clue_source = _text(max_length=100)
    clue_received_on = serializers.DateField(required=False)
    key_area = _text(help_text=" | ".join(KeyArea.values))
    kind = _text(help_text=" | ".join(EnforcementKind.values))
    ways = serializers.ListField(child=serializers.ChoiceField(choices=EnforcementWay.choices), required=False,
                                 default=list)
    party_type = _text(help_text=" | ".join(PartyType.values))
    party_name = _text(max_length=200)
    party_id_number = _text(max_length=30)
    party_phone = _text(max_length=30)
    party_address = _text(max_length=200)
    party_aliases = _text(help_text="one per line; masked like the name when published")
    facts = _text()
    complex_case = serializers.BooleanField(required=False, default=False)
    public_interest = serializers.BooleanField(required=False, default=False)


class CaseEmptyInput(serializers.Serializer):
    pass


class CaseNoteInput(serializers.Serializer):
    note = _text()


class CaseReasonInput(serializers.Serializer):
    reason = _text()


class CaseOpenInput(serializers.Serializer):
    officer_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list,
                                        help_text=_("承办执法人员（不少于两名持有效执法证件的人员）"))
    note = _text()


class CaseRecusalRequestInput(serializers.Serializer):
    officer_id = serializers.IntegerField(min_value=1)
    reason = _text()


class CaseRecusalDecideInput(serializers.Serializer):
    recusal_id = serializers.IntegerField(min_value=1)
    granted = serializers.BooleanField()
    replacement_id = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class CaseRecordInput(serializers.Serializer):
    """JSON, or multipart with ``files`` (音像记录或其说明文件) and repeated ``officer_ids``."""

    kind = _text(help_text=" | ".join(k for k, _label in RecordEntry._meta.get_field("kind").choices))
    happened_at = serializers.DateTimeField()
    place = _text(max_length=200)
    summary = _text()
    officer_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    has_audio_video = serializers.BooleanField(required=False, default=False)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class CasePauseInput(serializers.Serializer):
    reason_kind = _text(help_text=" | ".join(ClockPause.Reason.values))
    reason = _text()


class CaseNotifyInput(serializers.Serializer):
    facts = _text()
    penalty_types = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                          help_text=" | ".join(PenaltyType.values))
    fine = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, default=Decimal("0"))
    basis = _text()


class CaseHearingRequestInput(serializers.Serializer):
    requested_on = serializers.DateField()


class CaseHearingScheduleInput(serializers.Serializer):
    hearing_on = serializers.DateField()
    notice_on = serializers.DateField()
    chair_id = serializers.IntegerField(min_value=1)


class CaseHearingHoldInput(serializers.Serializer):
    record = _text()


class CaseDecideInput(serializers.Serializer):
    outcome = _text(help_text=" | ".join(Outcome.values))
    decision_number = _text(max_length=60)
    penalty_types = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                          help_text=" | ".join(PenaltyType.values))
    fine = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, default=Decimal("0"))
    no_penalty_ground = _text(help_text=" | ".join(NoPenaltyGround.values))
    reason = _text()
    harm_statement = _text(help_text=_("首违不罚：危害后果轻微的事实"))
    correction_statement = _text(help_text=_("首违不罚：当事人及时改正的事实"))
    evidence_record_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                                default=list, help_text=_("首违不罚：作为证据的本案全过程记录编号"))
    late_reason = _text(help_text=_("超过90日办理期限作出决定的理由（逾期时必填）"))


class CaseServeInput(serializers.Serializer):
    served_on = serializers.DateField()
    late_reason = _text(help_text=_("逾期送达的理由（逾期时必填）"))


class CasePublishInput(serializers.Serializer):
    late_reason = _text(help_text=_("逾期公开的理由（超过公开期限时必填）"))


class CasePaymentInput(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class CaseMeasureConcludeInput(serializers.Serializer):
    entry_id = serializers.IntegerField(min_value=1)
    note = _text()


class CaseNoticeWithdrawInput(serializers.Serializer):
    statement = _text()
    late_reason = _text(help_text=_("逾期撤回的理由（超过撤回期限时必填）"))


class PublicEnforcementNoticeFilter(serializers.Serializer):
    body = serializers.IntegerField(required=False, min_value=1, help_text=_("执法主体编号"))
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
