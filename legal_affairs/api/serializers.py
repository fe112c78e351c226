from __future__ import annotations

from rest_framework import serializers

from core.api.serializers import ModelOutput

from ..models import AdviserEvaluation, AdviserOpinion, LegalAdviser, PublicLawyer
from ..services import OPINION_SUBJECTS


class AdviserInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    kind = serializers.ChoiceField(choices=LegalAdviser.Kind.choices)
    firm = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    term_start = serializers.DateField()
    term_end = serializers.DateField()
    contract_reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class EvaluationOutput(ModelOutput):
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = AdviserEvaluation
        fields = ["year", "opinions_given", "grade", "grade_display", "comments"]
        read_only_fields = fields


class OpinionOutput(ModelOutput):
    subject_kind = serializers.SerializerMethodField()

    class Meta:
        model = AdviserOpinion
        fields = ["id", "subject_kind", "object_id", "given_on", "opinion"]
        read_only_fields = fields

    def get_subject_kind(self, opinion) -> str:
        label = f"{opinion.content_type.app_label}.{opinion.content_type.model}"
        return next((k for k, v in OPINION_SUBJECTS.items() if v.lower() == label), "")


class AdviserOutput(ModelOutput):
    body_name = serializers.CharField(source="body.name", read_only=True)
    level = serializers.CharField(source="body.level", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = LegalAdviser
        fields = ["id", "body", "body_name", "level", "name", "kind", "kind_display", "firm", "term_start",
                  "term_end", "contract_reference"]
        read_only_fields = fields


class AdviserDetailOutput(AdviserOutput):
    evaluations = EvaluationOutput(many=True, read_only=True)
    opinions = OpinionOutput(many=True, read_only=True)

    class Meta(AdviserOutput.Meta):
        fields = AdviserOutput.Meta.fields + ["evaluations", "opinions"]
        read_only_fields = fields


class OpinionInput(serializers.Serializer):
    subject_kind = serializers.ChoiceField(choices=list(OPINION_SUBJECTS))
    object_id = serializers.IntegerField(min_value=1, max_value=2**62)
    given_on = serializers.DateField()
    opinion = serializers.CharField(allow_blank=True)


class EvaluationInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    grade = serializers.ChoiceField(choices=AdviserEvaluation.Grade.choices)
    comments = serializers.CharField(allow_blank=True)


class PublicLawyerInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    certificate_number = serializers.CharField(max_length=40)
    certified_on = serializers.DateField()


class PublicLawyerOutput(ModelOutput):
    body_name = serializers.CharField(source="body.name", read_only=True)
    level = serializers.CharField(source="body.level", read_only=True)

    class Meta:
        model = PublicLawyer
        fields = ["id", "body", "body_name", "level", "name", "certificate_number", "certified_on", "active"]
        read_only_fields = fields
