"""API of enforcement cases and of the published decisions (事后公开).

Views validate input, call the same service the pages use, and serialize the result.
What a user may not see raises DoesNotExist (``Case.objects.visible_to``), which the
exception handler turns into a 404. Personal data leaves masked (see serializers)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
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
from core.models import User
from core.selectors import history_for
from deadlines.models import LegalClock

from .. import services
from ..models import Case, RecordEntry, Recusal
from ..publicity import NOTICE_LIST_COLUMNS, notice_list
from ..selectors import LIST_COLUMNS, case_get_for_user, case_list_for_user
from ..workflow import CaseStatus, EnforcementKind, KeyArea, Outcome, PartyType
from . import serializers as s

NOT_FOUND = {404: ErrorSerializer}


def _validated(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    return validated_input(serializer_class, request.data)


# ================================================================== reads
#: What the API list shows beyond the staff list page's columns.
API_LIST_COLUMNS = (*LIST_COLUMNS, "body", "party_id_number", "outcome", "fine_amount")


def case_list_for_api(*, user: User) -> QuerySet[Case]:
    """The cases the user may see (the pages' selector), with the columns the API shows."""
    return case_list_for_user(user=user).only(*API_LIST_COLUMNS)


def case_detail_for_api(*, user: User, case_id: int) -> tuple[Case, list[LegalClock], list]:
    """One visible case (the pages' selector) with its clocks (of the case and of its preservation
    and seizure entries) and audit trail; DoesNotExist for anything else."""
    case = case_get_for_user(user=user, case_id=case_id)
    case_type = ContentType.objects.get_for_model(Case)
    record_type = ContentType.objects.get_for_model(RecordEntry)
    clocks = list(LegalClock.objects.filter(
        Q(content_type=case_type, object_id=case.pk)
        | Q(content_type=record_type, object_id__in=[r.pk for r in case.records.all()]))
        .prefetch_related("pauses").order_by("started_on", "id"))
    return case, clocks, list(history_for(case))


def _case_detail(*, user: User, case_id: int) -> dict:
    case, clocks, timeline = case_detail_for_api(user=user, case_id=case_id)
    return s.CaseDetailOutput(case, context={"clocks": clocks, "timeline": timeline}).data


# ================================================================== cases
class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices)
    key_area = django_filters.ChoiceFilter(choices=KeyArea.choices)
    kind = django_filters.ChoiceFilter(choices=EnforcementKind.choices)
    party_type = django_filters.ChoiceFilter(choices=PartyType.choices)
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    body = IdFilter(field_name="body_id")
    year = YearFilter(field_name="clue_received_on", lookup_expr="year")
    q = django_filters.CharFilter(method="search", label=_("案由或案号"))

    class Meta:
        model = Case
        fields = ["status", "key_area", "kind", "party_type", "outcome", "body", "year", "q"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value)
                               | Q(decision_number__icontains=value))


class CaseListCreateApi(GenericAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter
    pagination_class = StandardPagination

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Case.objects.none()
        return case_list_for_api(user=self.request.user)

    @extend_schema(responses={200: s.CaseListOutput(many=True), 400: ErrorSerializer}, tags=["enforcement cases"])
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.CaseListOutput(page, many=True).data)

    @extend_schema(request=s.CaseRegisterInput, responses={201: s.CaseDetailOutput, **ERRORS},
                   tags=["enforcement cases"])
    def post(self, request: Request) -> Response:
        case = services.case_register_clue(actor=request.user, data=dict(_validated(s.CaseRegisterInput, request)))
        return Response(_case_detail(user=request.user, case_id=case.pk), status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(responses={200: s.CaseDetailOutput, **NOT_FOUND}, tags=["enforcement cases"])
    def get(self, request: Request, pk: int) -> Response:
        return Response(_case_detail(user=request.user, case_id=pk))


# ------------------------------------------------------------------ actions
@dataclass(frozen=True)
class CaseAction:
    """One POST endpoint ``enforcement-cases/{id}/<slug>/``: the input's fields are the service's keyword arguments."""

    name: str
    summary: str
    input: type[serializers.Serializer]
    service: Callable[..., Any]
    #: None: answer 200 with the case's detail; else ``success_status`` with this output of what the service returns
    output: type[serializers.Serializer] | None = None
    success_status: int = status.HTTP_201_CREATED


def _decide_recusal(*, actor: User, case_id: int, recusal_id: int, granted: bool,
                    replacement_id: int | None = None) -> Recusal:
    """The recusal must belong to the case in the path (else 404)."""
    if not Recusal.objects.filter(pk=recusal_id, case_id=case_id,
                                  case__in=Case.objects.visible_to(actor)).exists():
        raise Recusal.DoesNotExist
    return services.case_decide_recusal(actor=actor, recusal_id=recusal_id, granted=granted,
                                        replacement_id=replacement_id)


CASE_ACTIONS: dict[str, CaseAction] = {
    "open": CaseAction("Open", _("立案（指定两名以上持证执法人员，开始计算90日办案期限）"), s.CaseOpenInput,
                       services.case_open),
    "decline": CaseAction("Decline", _("不予立案"), s.CaseReasonInput, services.case_decline),
    "recusal-request": CaseAction("RecusalRequest", _("登记回避申请"), s.CaseRecusalRequestInput,
                                  services.case_request_recusal, s.CaseRecusalOutput),
    "recusal-decide": CaseAction("RecusalDecide", _("决定回避申请（准予回避的须指定替换人员）"), s.CaseRecusalDecideInput,
                                 _decide_recusal),
    "records": CaseAction("Record", _("全过程记录（multipart：音像记录等附件）"), s.CaseRecordInput,
                          services.case_add_record, s.CaseRecordOutput),
    "measure-conclude": CaseAction("MeasureConclude", _("对先行登记保存或查封、扣押作出处理决定"),
                                   s.CaseMeasureConcludeInput, services.case_conclude_measure),
    "pause": CaseAction("Pause", _("中止办案期限"), s.CasePauseInput, services.case_pause),
    "resume": CaseAction("Resume", _("恢复计算办案期限"), s.CaseNoteInput, services.case_resume),
    "notify": CaseAction("Notify", _("告知拟作出的行政处罚决定及陈述、申辩、听证权利"), s.CaseNotifyInput,
                         services.case_notify),
    "hearing-request": CaseAction("HearingRequest", _("登记当事人听证申请"), s.CaseHearingRequestInput,
                                  services.case_request_hearing),
    "hearing-schedule": CaseAction("HearingSchedule", _("安排听证"), s.CaseHearingScheduleInput,
                                   services.case_schedule_hearing),
    "hearing-hold": CaseAction("HearingHold", _("记录听证"), s.CaseHearingHoldInput, services.case_hold_hearing),
    "submit-review": CaseAction("SubmitReview", _("送法制审核（进入共享审查队列）"), s.CaseNoteInput,
                                services.case_submit_for_legal_review),
    "decide": CaseAction("Decide", _("作出决定：处罚、不予处罚或移送司法机关"), s.CaseDecideInput,
                         services.case_decide),
    "serve": CaseAction("Serve", _("送达决定书"), s.CaseServeInput, services.case_serve),
    "payment": CaseAction("Payment", _("登记罚款缴纳（含加处罚款）"), s.CasePaymentInput,
                          services.case_record_payment),
    "publish": CaseAction("Publish", _("公开执法决定（已脱敏）"), s.CasePublishInput, services.case_publish_notice,
                          s.CaseNoticeOutput),
    "revoke": CaseAction("Revoke", _("撤销、变更决定（开始计算撤回公开信息期限）"), s.CaseReasonInput,
                         services.case_revoke),
    "withdraw": CaseAction("Withdraw", _("撤回公开信息并说明理由"), s.CaseNoticeWithdrawInput, services.notice_withdraw,
                           s.CaseNoticeOutput, status.HTTP_200_OK),
    "close": CaseAction("Close", _("结案"), s.CaseNoteInput, services.case_close),
    "archive": CaseAction("Archive", _("归档"), s.CaseEmptyInput, services.case_archive),
}


class CaseActionApi(APIView):
    """Base of the generated ``Case<Name>Api`` classes, one per entry of CASE_ACTIONS."""

    spec: CaseAction

    def run(self, request: Request, pk: int) -> Response:
        spec = self.spec
        result = spec.service(actor=request.user, case_id=pk, **_validated(spec.input, request))
        if spec.output is None:
            return Response(_case_detail(user=request.user, case_id=pk))
        return Response(spec.output(result).data, status=spec.success_status)


def case_action_api(slug: str, spec: CaseAction) -> type[CaseActionApi]:
    success = {200: s.CaseDetailOutput} if spec.output is None else {spec.success_status: spec.output}

    @extend_schema(operation_id="v1_enforcement_cases_" + slug.replace("-", "_"), summary=spec.summary,
                   description=spec.summary, request=spec.input, responses={**success, **ERRORS},
                   tags=["enforcement case actions"])
    def post(self: CaseActionApi, request: Request, pk: int) -> Response:
        return self.run(request, pk)

    return type(f"Case{spec.name}Api", (CaseActionApi,), {"spec": spec, "post": post})


# ================================================================== public (no login)
class PublicEnforcementNoticeListApi(APIView):
    """事后公开: the masked decisions still on show. Anyone may read; anonymous callers are throttled."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicReadThrottle]
    pagination_class = StandardPagination

    @extend_schema(parameters=[s.PublicEnforcementNoticeFilter],
                   responses={200: s.PublicEnforcementNoticeOutput(many=True), 400: ErrorSerializer}, tags=["public"])
    def get(self, request: Request) -> Response:
        filters = validated_input(s.PublicEnforcementNoticeFilter, request.query_params)
        notices = notice_list(body_id=filters.get("body"), year=filters.get("year")).only(
            *NOTICE_LIST_COLUMNS, "id_masked", "content")
        return paginated_response(self, request, notices, s.PublicEnforcementNoticeOutput)
