"""The public consultations in the REST API (no login): the same selectors as the pages,
read-only. Comments are sent through the page, where the honeypot and the form live."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import StandardPagination
from core.api.serializers import ErrorSerializer
from core.api.throttling import PublicReadThrottle
from core.api.views import paginated_response

from . import selectors
from .models import Consultation, PublicComment


class PublicCommentOutput(serializers.ModelSerializer):
    """Body and name only — never contact details; the disposition once the summary is out."""

    disposition = serializers.SerializerMethodField()
    disposition_reason = serializers.SerializerMethodField()

    class Meta:
        model = PublicComment
        fields = ["id", "name", "body", "submitted_at", "disposition", "disposition_reason"]
        read_only_fields = fields

    def _published(self) -> bool:
        return bool(self.context["consultation"].summary_published_at)

    def get_disposition(self, comment) -> str:
        return comment.disposition if self._published() else ""

    def get_disposition_reason(self, comment) -> str:
        return comment.disposition_reason if self._published() else ""


class PublicConsultationOutput(serializers.ModelSerializer):
    kind = serializers.CharField(source="subject_kind", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    closing_time = serializers.CharField(read_only=True)

    class Meta:
        model = Consultation
        fields = ["id", "title", "kind", "department_name", "channel", "opens_on", "closes_on", "closing_time",
                  "status", "status_display"]
        read_only_fields = fields


class PublicConsultationDetailOutput(PublicConsultationOutput):
    comments = serializers.SerializerMethodField()

    class Meta(PublicConsultationOutput.Meta):
        fields = [*PublicConsultationOutput.Meta.fields, "draft_text", "explanation", "summary",
                  "summary_published_at", "comments"]
        read_only_fields = fields

    @extend_schema_field(PublicCommentOutput(many=True))
    def get_comments(self, consultation) -> list[dict]:
        rows = selectors.public_comments(consultation)
        return PublicCommentOutput(rows, many=True, context={"consultation": consultation}).data


class PublicConsultationListApi(APIView):
    """Public consultations, open ones first — the same selector as ``/consultations/``."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicReadThrottle]
    pagination_class = StandardPagination

    @extend_schema(responses={200: PublicConsultationOutput(many=True)}, tags=["public"])
    def get(self, request: Request) -> Response:
        return paginated_response(self, request, selectors.public_consultation_list(), PublicConsultationOutput)


class PublicConsultationDetailApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicReadThrottle]

    @extend_schema(responses={200: PublicConsultationDetailOutput, 404: ErrorSerializer}, tags=["public"])
    def get(self, request: Request, pk: int) -> Response:
        consultation = selectors.public_consultation_get(consultation_id=pk)  # DoesNotExist -> 404
        return Response(PublicConsultationDetailOutput(consultation).data)
