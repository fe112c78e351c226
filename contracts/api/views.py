"""API of administrative contracts under /api/v1/contracts/: views validate input, call one
service or selector and serialize the result (the same services as the pages)."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import StandardPagination
from core.api.serializers import ERRORS, ErrorSerializer
from core.api.views import paginated_response, validated_input
from core.models import Department

from .. import selectors, services
from ..models import Contract
from . import serializers as s


def _detail(user, pk: int) -> Response:
    return Response(s.ContractDetailOutput(selectors.contract_get_for_user(user=user, contract_id=pk)).data)


class ContractListCreateApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(parameters=[s.ContractFilter], responses={200: s.ContractListOutput(many=True),
                                                             400: ErrorSerializer}, tags=["contracts"])
    def get(self, request: Request) -> Response:
        filters = validated_input(s.ContractFilter, request.query_params)
        body = None
        if filters.get("body"):
            body = Department.objects.filter(code=filters["body"], is_decision_body=True).first()
            if body is None:
                raise Department.DoesNotExist
        contracts = selectors.contract_list_for_user(user=request.user, body=body, status=filters.get("status"))
        return paginated_response(self, request, contracts, s.ContractListOutput)

    @extend_schema(request=s.ContractInput, responses={201: s.ContractDetailOutput, **ERRORS}, tags=["contracts"])
    def post(self, request: Request) -> Response:
        data = validated_input(s.ContractInput, request.data)
        contract = services.contract_draft(actor=request.user, data=data)
        response = _detail(request.user, contract.pk)
        response.status_code = status.HTTP_201_CREATED
        return response


class ContractDetailApi(APIView):
    @extend_schema(responses={200: s.ContractDetailOutput, 404: ErrorSerializer}, tags=["contracts"])
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request.user, pk)


def _action(name: str, input_class, call):
    class ContractActionApi(APIView):
        @extend_schema(request=input_class, responses={200: s.ContractDetailOutput, **ERRORS}, tags=["contracts"],
                       operation_id=f"v1_contracts_{name}")
        def post(self, request: Request, pk: int) -> Response:
            data = validated_input(input_class, request.data)
            if not Contract.objects.visible_to(request.user).filter(pk=pk).exists():
                raise Contract.DoesNotExist
            call(request.user, pk, data)
            return _detail(request.user, pk)

    ContractActionApi.__name__ = f"Contract{name.title().replace('-', '')}Api"
    return ContractActionApi


ACTIONS = {
    "submit": _action("submit", s.ContractNoteInput, lambda user, pk, data: services.contract_submit_for_legality_review(
        actor=user, contract_id=pk, note=data["note"])),
    "revise": _action("revise", s.ContractNoteInput, lambda user, pk, data: services.contract_revise(
        actor=user, contract_id=pk, note=data["note"])),
    "sign": _action("sign", s.SignInput, lambda user, pk, data: services.contract_sign(
        actor=user, contract_id=pk, **data)),
    "milestones": _action("milestones", s.MilestoneInput, lambda user, pk, data: services.contract_add_milestone(
        actor=user, contract_id=pk, **data)),
    "records": _action("records", s.RecordInput, lambda user, pk, data: services.contract_record(
        actor=user, contract_id=pk, **data)),
    "file": _action("file", s.FileInput, lambda user, pk, data: services.contract_file(
        actor=user, contract_id=pk, **data)),
    "terminate": _action("terminate", s.EndInput, lambda user, pk, data: services.contract_terminate(
        actor=user, contract_id=pk, ended_on=data["ended_on"], reason=data["reason"])),
    "complete": _action("complete", s.EndInput, lambda user, pk, data: services.contract_complete(
        actor=user, contract_id=pk, ended_on=data["ended_on"])),
    # multipart: the contract text (kind contract_text) or attachments (contract_annex)
    "attachments": _action("attachments", s.AttachmentInput, lambda user, pk, data: services.contract_attach(
        actor=user, contract_id=pk, kind=data["kind"], files=data["files"])),
}


class MilestoneDoneApi(APIView):
    @extend_schema(request=s.MilestoneDoneInput, responses={200: s.ContractDetailOutput, **ERRORS},
                   tags=["contracts"])
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(s.MilestoneDoneInput, request.data)
        milestone = services.contract_complete_milestone(actor=request.user, milestone_id=pk, **data)
        return _detail(request.user, milestone.contract_id)
