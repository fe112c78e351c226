"""API of major decisions, the annual catalog and the public pages.

Views validate input, call the same service or selector the pages use, and
serialize the result. What a user may not see raises DoesNotExist in the
selector or service, which the exception handler turns into a 404."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import IdFilter, YearFilter
from core.api.pagination import StandardPagination
from core.api.serializers import ERRORS, ErrorSerializer
from core.api.throttling import PublicReadThrottle
from core.api.views import paginated_response, validated_input
from core.models import Department, User

from .. import services
from ..models import Catalog, Decision
from ..selectors import (
    decision_get_for_user,
    decision_list_for_user,
    public_catalog_adjustments,
    public_catalog_get,
    public_catalog_index,
    public_catalog_items,
    public_catalog_years,
    public_decision_get,
    public_decision_list,
)
from ..workflow import DecisionCategory, DecisionStatus
from . import serializers as s

NOT_FOUND = {404: ErrorSerializer}


def _validated(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    return validated_input(serializer_class, request.data)


def _decision_detail(*, user: User, decision_id: int) -> dict:
    return s.DecisionDetailOutput(decision_get_for_user(user=user, decision_id=decision_id)).data


# ================================================================== decisions
class DecisionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DecisionStatus.choices)
    year = YearFilter()
    department = IdFilter(field_name="department_id")
    category = django_filters.ChoiceFilter(choices=DecisionCategory.choices)

    class Meta:
        model = Decision
        fields = ["status", "year", "department", "category"]


class DecisionListCreateApi(GenericAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = DecisionFilter
    pagination_class = StandardPagination

    def get_queryset(self) -> QuerySet[Decision]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Decision.objects.none()
        return decision_list_for_user(user=self.request.user)

    @extend_schema(responses={200: s.DecisionListOutput(many=True), 400: ErrorSerializer}, tags=["decisions"])
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.DecisionListOutput(page, many=True).data)

    @extend_schema(request=s.DecisionCreateInput, responses={201: s.DecisionDetailOutput, **ERRORS},
                   tags=["decisions"])
    def post(self, request: Request) -> Response:
        decision = services.decision_create(actor=request.user, data=_validated(s.DecisionCreateInput, request))
        return Response(_decision_detail(user=request.user, decision_id=decision.pk), status=status.HTTP_201_CREATED)


class DecisionDetailApi(APIView):
    @extend_schema(responses={200: s.DecisionDetailOutput, **NOT_FOUND}, tags=["decisions"])
    def get(self, request: Request, pk: int) -> Response:
        return Response(_decision_detail(user=request.user, decision_id=pk))

    @extend_schema(request=s.DecisionUpdateInput, responses={200: s.DecisionDetailOutput, **ERRORS},
                   tags=["decisions"])
    def patch(self, request: Request, pk: int) -> Response:
        data = dict(_validated(s.DecisionUpdateInput, request))
        services.decision_update_draft(actor=request.user, decision_id=pk, version=data.pop("version"), data=data)
        return Response(_decision_detail(user=request.user, decision_id=pk))


# ------------------------------------------------------------------ decision actions
@dataclass(frozen=True)
class DecisionAction:
    """One POST endpoint ``decisions/{id}/<slug>/``: the input's fields are the service's keyword arguments."""

    name: str
    summary: str
    input: type[serializers.Serializer]
    service: Callable[..., Any]
    #: None: the service moves the decision, answer 200 with its detail; else the record it creates (201).
    output: type[serializers.Serializer] | None = None


def _record_meeting(*, actor: User, decision_id: int, **data: Any):
    return services.decision_record_meeting(actor=actor, decision_id=decision_id, data=data)


DECISION_ACTIONS: dict[str, DecisionAction] = {
    "start-procedures": DecisionAction("StartProcedures", _("启动法定程序"), s.NoteInput,
                                       services.decision_start_procedures),
    "procedures": DecisionAction("RecordProcedure", _("记录法定程序及证据（或依法免予履行）"), s.ProcedureInput,
                                 services.decision_record_procedure, s.ProcedureRecordOutput),
    "public-comment": DecisionAction("OpenPublicComment", _("公开征求意见（开始计算征求意见期限）"),
                                     s.PublicCommentOpenInput, services.decision_open_public_comment),
    "hearing": DecisionAction("ScheduleHearing", _("安排听证会（开始计算材料送达期限）"), s.HearingScheduleInput,
                              services.decision_schedule_hearing),
    "submit-for-review": DecisionAction("SubmitForReview", _("提交合法性审查"), s.NoteInput,
                                        services.decision_submit_for_legality_review),
    "revise": DecisionAction("Revise", _("修改草案后重新履行程序"), s.NoteInput, services.decision_revise),
    "meeting": DecisionAction("RecordMeeting", _("记录集体讨论"), s.MeetingInput, _record_meeting,
                              s.MeetingRecordOutput),
    "party-report": DecisionAction("PartyReport", _("记录向同级党委请示报告"), s.PartyReportInput,
                                   services.decision_record_party_report),
    "publish": DecisionAction("Publish", _("公布决策"), s.PublishInput, services.decision_publish),
    "execution-reports": DecisionAction("ReportExecution", _("报告执行情况"), s.ExecutionReportInput,
                                        services.decision_report_execution, s.ExecutionReportOutput),
    "suspend": DecisionAction("Suspend", _("暂停执行"), s.ReasonInput, services.decision_suspend),
    "resume": DecisionAction("Resume", _("恢复执行"), s.ReasonInput, services.decision_resume),
    "adjust": DecisionAction("Adjust", _("调整决策（重新履行法定程序）"), s.ReasonInput, services.decision_adjust),
    "terminate": DecisionAction("Terminate", _("停止执行"), s.ReasonInput, services.decision_terminate),
    "post-evaluation": DecisionAction("StartPostEvaluation", _("启动决策后评估"), s.PostEvaluationStartInput,
                                      services.decision_start_post_evaluation, s.PostEvaluationOutput),
    "post-evaluation/conclude": DecisionAction("ConcludePostEvaluation", _("记录决策后评估结论"),
                                               s.PostEvaluationConcludeInput,
                                               services.decision_conclude_post_evaluation),
    "complete": DecisionAction("Complete", _("执行完毕"), s.CompleteInput, services.decision_complete_execution),
    "archive": DecisionAction("Archive", _("归档"), s.NoteInput, services.decision_archive),
}


class DecisionActionApi(APIView):
    """Base of the generated ``Decision<Name>Api`` classes, one per entry of DECISION_ACTIONS."""

    spec: DecisionAction

    def run(self, request: Request, pk: int) -> Response:
        spec = self.spec
        result = spec.service(actor=request.user, decision_id=pk, **_validated(spec.input, request))
        if spec.output is None:
            return Response(_decision_detail(user=request.user, decision_id=pk))
        return Response(spec.output(result).data, status=status.HTTP_201_CREATED)


def decision_action_api(slug: str, spec: DecisionAction) -> type[DecisionActionApi]:
    success = {200: s.DecisionDetailOutput} if spec.output is None else {201: spec.output}

    @extend_schema(operation_id="v1_decisions_" + slug.replace("-", "_").replace("/", "_"), summary=spec.summary,
                   description=spec.summary, request=spec.input, responses={**success, **ERRORS},
                   tags=["decision actions"])
    def post(self: DecisionActionApi, request: Request, pk: int) -> Response:
        return self.run(request, pk)

    return type(f"Decision{spec.name}Api", (DecisionActionApi,), {"spec": spec, "post": post})


# ================================================================== catalog
class CatalogItemProposeApi(APIView):
    @extend_schema(request=s.CatalogItemInput, responses={201: s.CatalogItemOutput, **ERRORS}, tags=["catalog"])
    def post(self, request: Request, year: int) -> Response:
        data = _validated(s.CatalogItemInput, request)
        item = services.catalog_item_propose(actor=request.user, year=year, data=data)
        return Response(s.CatalogItemOutput(item).data, status=status.HTTP_201_CREATED)


class CatalogCompileApi(APIView):
    @extend_schema(request=s.CatalogCompileInput, responses={200: s.CatalogOutput, **ERRORS}, tags=["catalog"])
    def post(self, request: Request, year: int) -> Response:
        catalog = services.catalog_compile(actor=request.user, year=year, **_validated(s.CatalogCompileInput, request))
        return Response(s.CatalogOutput(catalog).data)


class CatalogPartyConsentApi(APIView):
    @extend_schema(request=s.CatalogPartyConsentInput, responses={200: s.CatalogOutput, **ERRORS}, tags=["catalog"])
    def post(self, request: Request, year: int) -> Response:
        data = _validated(s.CatalogPartyConsentInput, request)
        catalog = services.catalog_record_party_consent(actor=request.user, year=year, **data)
        return Response(s.CatalogOutput(catalog).data)


class CatalogPublishApi(APIView):
    @extend_schema(request=s.CatalogPublishInput, responses={200: s.CatalogOutput, **ERRORS}, tags=["catalog"])
    def post(self, request: Request, year: int) -> Response:
        catalog = services.catalog_publish(actor=request.user, year=year, **_validated(s.CatalogPublishInput, request))
        return Response(s.CatalogOutput(catalog).data)


class CatalogAdjustmentProposeApi(APIView):
    @extend_schema(request=s.CatalogAdjustmentInput, responses={201: s.CatalogAdjustmentOutput, **ERRORS},
                   tags=["catalog"])
    def post(self, request: Request, year: int) -> Response:
        data = _validated(s.CatalogAdjustmentInput, request)
        adjustment = services.catalog_adjustment_propose(actor=request.user, year=year, **data)
        return Response(s.CatalogAdjustmentOutput(adjustment).data, status=status.HTTP_201_CREATED)


class CatalogAdjustmentDecideApi(APIView):
    @extend_schema(request=s.CatalogAdjustmentDecideInput, responses={200: s.CatalogAdjustmentOutput, **ERRORS},
                   tags=["catalog"])
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.CatalogAdjustmentDecideInput, request)
        adjustment = services.catalog_adjustment_decide(actor=request.user, adjustment_id=pk, **data)
        return Response(s.CatalogAdjustmentOutput(adjustment).data)


# ================================================================== public (no login)
class PublicApi(APIView):
    """Anyone may read; anonymous callers are throttled. Reads only from the public selectors."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicReadThrottle]


class PublicCatalogYearsApi(PublicApi):
    @extend_schema(operation_id="v1_public_catalogs_years", parameters=[s.PublicCatalogIndexFilter],
                   responses={200: s.PublicCatalogYearsOutput, 400: ErrorSerializer}, tags=["public"])
    def get(self, request: Request) -> Response:
        filters = validated_input(s.PublicCatalogIndexFilter, request.query_params)
        answer = {"years": public_catalog_years()}
        if filters.get("year") or filters.get("level"):
            answer["catalogs"] = list(public_catalog_index(year=filters.get("year"), level=filters.get("level")))
        return Response(s.PublicCatalogYearsOutput(answer).data)


class CatalogPagination(StandardPagination):
    page_size = 100  # a real catalog (tens of items) comes whole


class PublicCatalogApi(PublicApi):
    """A published catalog: its items a keyset page at a time (``page_size`` at most 100; ``next``
    carries the cursor of the following page), its adjustments whole."""

    @extend_schema(parameters=[OpenApiParameter("cursor", str, description=_("下一页的游标（见 next）")),
                               OpenApiParameter("page_size", int, description=_("每页事项数，至多100"))],
                   responses={200: s.PublicCatalogOutput, **NOT_FOUND}, tags=["public"])
    def get(self, request: Request, year: int) -> Response:
        code = request.query_params.get("body")
        body = None
        if code:
            body = Department.objects.filter(code=code, is_decision_body=True).first()
            if body is None:
                raise Catalog.DoesNotExist
        catalog = public_catalog_get(year=year, body=body)
        paginator = CatalogPagination()
        items = paginator.paginate_queryset(public_catalog_items(catalog), request, view=self)
        return Response(s.PublicCatalogOutput({
            "catalog": catalog, "items": items, "adjustments": public_catalog_adjustments(catalog),
            "item_count": paginator.page.count, "item_count_capped": paginator.page.count_capped,
            "next": paginator.get_next_link(), "previous": paginator.get_previous_link()}).data)


class PublicDecisionFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class PublicDecisionListApi(PublicApi):
    pagination_class = StandardPagination

    @extend_schema(parameters=[PublicDecisionFilter], responses={200: s.PublicDecisionListOutput(many=True),
                                                                 400: ErrorSerializer}, tags=["public"])
    def get(self, request: Request) -> Response:
        filters = validated_input(PublicDecisionFilter, request.query_params)
        decisions = public_decision_list(year=filters.get("year"))
        return paginated_response(self, request, decisions, s.PublicDecisionListOutput)


class PublicDecisionDetailApi(PublicApi):
    @extend_schema(responses={200: s.PublicDecisionDetailOutput, **NOT_FOUND}, tags=["public"])
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.PublicDecisionDetailOutput(public_decision_get(decision_id=pk)).data)
