"""API of normative documents and their filing review.

Views validate input, call the same service or selector the pages use, and serialize
the result. What a user may not see raises DoesNotExist in the selector or service,
which the exception handler turns into a 404."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import IdFilter
from core.api.pagination import StandardPagination
from core.api.serializers import ERRORS, ErrorSerializer
from core.api.throttling import PublicReadThrottle
from core.api.views import paginated_response, validated_input
from core.models import User

from .. import filing, historical, services
from ..filing_selectors import (
    document_get_for_user,
    document_list_for_user,
    filing_get_for_user,
)
from ..models import NormativeDocument
from ..selectors import library_get, library_list, matching_q
from ..workflow import DocumentStatus, DocumentType
from . import serializers as s

NOT_FOUND = {404: ErrorSerializer}


def _validated(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    return validated_input(serializer_class, request.data)


def _document_detail(*, user: User, document_id: int) -> dict:
    return s.NormativeDocumentDetailOutput(document_get_for_user(user=user, document_id=document_id)).data


# ================================================================== documents
class NormativeDocumentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices)
    doc_type = django_filters.ChoiceFilter(choices=DocumentType.choices)
    issuer = IdFilter(field_name="issuer_id")
    drafting_department = IdFilter(field_name="drafting_department_id")
    business_related = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="search", label=_("名称或文号"))

    class Meta:
        model = NormativeDocument
        fields = ["status", "doc_type", "issuer", "drafting_department", "business_related", "q"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(matching_q(value.strip()))


class NormativeDocumentListCreateApi(GenericAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = NormativeDocumentFilter
    pagination_class = StandardPagination

    def get_queryset(self) -> QuerySet[NormativeDocument]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return NormativeDocument.objects.none()
        return document_list_for_user(user=self.request.user)

    @extend_schema(responses={200: s.NormativeDocumentListOutput(many=True), 400: ErrorSerializer},
                   tags=["normative documents"])
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.NormativeDocumentListOutput(page, many=True).data)

    @extend_schema(request=s.NormativeDocumentProposeInput, responses={201: s.NormativeDocumentDetailOutput, **ERRORS},
                   tags=["normative documents"])
    def post(self, request: Request) -> Response:
        document = services.document_propose(actor=request.user,
                                             data=dict(_validated(s.NormativeDocumentProposeInput, request)))
        return Response(_document_detail(user=request.user, document_id=document.pk), status=status.HTTP_201_CREATED)


class NormativeHistoricalRegisterApi(APIView):
    """历史文件登记: a document issued before the portal, registered by its filing body."""

    @extend_schema(request=s.HistoricalDocumentInput, responses={201: s.NormativeDocumentDetailOutput, **ERRORS},
                   tags=["normative documents"])
    def post(self, request: Request) -> Response:
        data = _validated(s.HistoricalDocumentInput, request)
        document = historical.historical_register(actor=request.user, **historical.historical_input(data))
        return Response(_document_detail(user=request.user, document_id=document.pk), status=status.HTTP_201_CREATED)


class NormativeDocumentDetailApi(APIView):
    @extend_schema(responses={200: s.NormativeDocumentDetailOutput, **NOT_FOUND}, tags=["normative documents"])
    def get(self, request: Request, pk: int) -> Response:
        return Response(_document_detail(user=request.user, document_id=pk))

    @extend_schema(request=s.NormativeDocumentUpdateInput, responses={200: s.NormativeDocumentDetailOutput, **ERRORS},
                   tags=["normative documents"])
    def patch(self, request: Request, pk: int) -> Response:
        data = dict(_validated(s.NormativeDocumentUpdateInput, request))
        services.document_update_draft(actor=request.user, document_id=pk, version=data.pop("version"), data=data)
        return Response(_document_detail(user=request.user, document_id=pk))


# ------------------------------------------------------------------ actions
@dataclass(frozen=True)
class NormativeAction:
    """One POST endpoint ``<collection>/{id}/<slug>/``: the input's fields are the service's keyword arguments."""

    name: str
    summary: str
    input: type[serializers.Serializer]
    service: Callable[..., Any]
    #: the service's keyword for the id in the path
    id_arg: str = "document_id"
    #: None: answer 200 with the document's detail; else 201 with this output of what the service returns
    output: type[serializers.Serializer] | None = None
    success_status: int = status.HTTP_201_CREATED


DOCUMENT_ACTIONS: dict[str, NormativeAction] = {
    "start-drafting": NormativeAction("StartDrafting", _("开始起草"), s.NormativeNoteInput,
                                      services.document_start_drafting),
    "start-procedures": NormativeAction("StartProcedures", _("开始调研论证、征求意见"), s.NormativeNoteInput,
                                        services.document_start_procedures),
    "public-comment": NormativeAction("OpenPublicComment", _("公开征求意见（开始计算征求意见期限）"),
                                      s.NormativePublicCommentInput, services.document_open_public_comment),
    "procedures": NormativeAction("RecordProcedure", _("记录起草程序及证据"), s.NormativeProcedureInput,
                                  services.document_record_procedure, output=s.DraftingProcedureOutput),
    "submit-for-review": NormativeAction("SubmitForReview", _("送请合法性审核"), s.NormativeNoteInput,
                                         services.document_submit_for_legality_review),
    "revise": NormativeAction("Revise", _("合法性审核未通过，修改后重新起草"), s.NormativeNoteInput,
                              services.document_revise),
    "deliberate": NormativeAction("Deliberate", _("记录集体审议"), s.NormativeDeliberateInput,
                                  services.document_deliberate),
    "register": NormativeAction("Register", _("统一登记、统一编号"), s.NormativeEmptyInput, services.document_register),
    "publish": NormativeAction("Publish", _("公布（开始计算报送备案期限）"), s.NormativePublishInput,
                               services.document_publish),
    "link": NormativeAction("Link", _("设置立改废关系"), s.NormativeLinkInput, services.document_link,
                            output=s.DocumentRelationOutput),
    "new-version": NormativeAction("StartNewVersion", _("重新公布：起草新版本"), s.NormativeEmptyInput,
                                   services.document_start_new_version, output=s.NormativeDocumentDetailOutput),
    "repeal": NormativeAction("Repeal", _("废止"), s.NormativeRepealInput, services.document_repeal),
    "file": NormativeAction("File", _("报送备案（multipart：备案报告和备案材料）"), s.NormativeFileInput,
                            filing.filing_submit, output=s.FilingOutput),
}

FILING_ACTIONS: dict[str, NormativeAction] = {
    "check": NormativeAction("Check", _("形式审查：登记、通知补正或退回"), s.FilingCheckInput, filing.filing_check,
                             id_arg="filing_id", output=s.FilingOutput, success_status=status.HTTP_200_OK),
    "supplement": NormativeAction("Supplement", _("补正备案材料（multipart）"), s.FilingSupplementInput,
                                  filing.filing_supplement, id_arg="filing_id", output=s.FilingOutput,
                                  success_status=status.HTTP_200_OK),
    "review": NormativeAction("Review", _("备案审查结论：通过或提出纠正意见"), s.FilingReviewInput, filing.filing_review,
                              id_arg="filing_id", output=s.FilingOutput, success_status=status.HTTP_200_OK),
    "correction": NormativeAction("Correction", _("报告纠正情况"), s.FilingCorrectionInput,
                                  filing.filing_report_correction, id_arg="filing_id", output=s.FilingOutput,
                                  success_status=status.HTTP_200_OK),
}


class NormativeActionApi(APIView):
    """Base of the generated ``Normative<Name>Api`` and ``NormativeFiling<Name>Api`` classes."""

    spec: NormativeAction

    def run(self, request: Request, pk: int) -> Response:
        spec = self.spec
        result = spec.service(actor=request.user, **{spec.id_arg: pk}, **_validated(spec.input, request))
        if spec.output is None:
            return Response(_document_detail(user=request.user, document_id=pk))
        if spec.output is s.NormativeDocumentDetailOutput:
            return Response(_document_detail(user=request.user, document_id=result.pk), status=spec.success_status)
        if spec.output is s.FilingOutput:
            result = filing_get_for_user(user=request.user, filing_id=result.pk)
        return Response(spec.output(result).data, status=spec.success_status)


def normative_action_api(prefix: str, slug: str, spec: NormativeAction) -> type[NormativeActionApi]:
    success = {200: s.NormativeDocumentDetailOutput} if spec.output is None else {spec.success_status: spec.output}
    collection = "normative_documents" if prefix == "Normative" else "normative_filings"

    @extend_schema(operation_id=f"v1_{collection}_{slug.replace('-', '_')}", summary=spec.summary,
                   description=spec.summary, request=spec.input, responses={**success, **ERRORS},
                   tags=["normative document actions" if prefix == "Normative" else "normative filing actions"])
    def post(self: NormativeActionApi, request: Request, pk: int) -> Response:
        return self.run(request, pk)

    return type(f"{prefix}{spec.name}Api", (NormativeActionApi,), {"spec": spec, "post": post})


class NormativeFilingDetailApi(APIView):
    @extend_schema(responses={200: s.FilingOutput, **NOT_FOUND}, tags=["normative filings"])
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.FilingOutput(filing_get_for_user(user=request.user, filing_id=pk)).data)


# ================================================================== public library (no login)
class PublicNormativeDocumentListApi(APIView):
    """The public library: published documents only, the same selector as ``/library/``."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicReadThrottle]
    pagination_class = StandardPagination

    @extend_schema(parameters=[s.PublicNormativeDocumentFilter],
                   responses={200: s.PublicNormativeDocumentOutput(many=True), 400: ErrorSerializer}, tags=["public"])
    def get(self, request: Request) -> Response:
        filters = validated_input(s.PublicNormativeDocumentFilter, request.query_params)
        return paginated_response(self, request, library_list(filters=filters), s.PublicNormativeDocumentOutput)


class PublicNormativeDocumentDetailApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicReadThrottle]

    @extend_schema(responses={200: s.PublicNormativeDocumentDetailOutput, **NOT_FOUND}, tags=["public"])
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.PublicNormativeDocumentDetailOutput(library_get(document_id=pk)).data)
