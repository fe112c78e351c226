"""API of the adviser registry: /api/v1/legal-advisers/ and /api/v1/public-lawyers/."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import StandardPagination
from core.api.serializers import ERRORS, ErrorSerializer
from core.api.views import paginated_response, validated_input

from .. import selectors, services
from . import serializers as s


def _adviser(user, pk: int) -> Response:
    adviser = selectors.adviser_get(user=user, adviser_id=pk)
    data = s.AdviserDetailOutput(adviser).data
    data["opinions"] = s.OpinionOutput(selectors.opinions_of_adviser(adviser), many=True).data
    return Response(data)


class LegalAdviserListCreateApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(responses={200: s.AdviserOutput(many=True)}, tags=["legal-advisers"])
    def get(self, request: Request) -> Response:
        return paginated_response(self, request, selectors.advisers_for(user=request.user), s.AdviserOutput)

    @extend_schema(request=s.AdviserInput, responses={201: s.AdviserDetailOutput, **ERRORS}, tags=["legal-advisers"])
    def post(self, request: Request) -> Response:
        adviser = services.adviser_register(actor=request.user, data=validated_input(s.AdviserInput, request.data))
        response = _adviser(request.user, adviser.pk)
        response.status_code = status.HTTP_201_CREATED
        return response


class LegalAdviserDetailApi(APIView):
    @extend_schema(responses={200: s.AdviserDetailOutput, 404: ErrorSerializer}, tags=["legal-advisers"])
    def get(self, request: Request, pk: int) -> Response:
        return _adviser(request.user, pk)


class LegalAdviserOpinionApi(APIView):
    @extend_schema(request=s.OpinionInput, responses={201: s.AdviserDetailOutput, **ERRORS}, tags=["legal-advisers"])
    def post(self, request: Request, pk: int) -> Response:
        services.opinion_attach(actor=request.user, adviser_id=pk, **validated_input(s.OpinionInput, request.data))
        response = _adviser(request.user, pk)
        response.status_code = status.HTTP_201_CREATED
        return response


class LegalAdviserEvaluationApi(APIView):
    @extend_schema(request=s.EvaluationInput, responses={201: s.AdviserDetailOutput, **ERRORS},
                   tags=["legal-advisers"])
    def post(self, request: Request, pk: int) -> Response:
        services.adviser_evaluate(actor=request.user, adviser_id=pk, **validated_input(s.EvaluationInput, request.data))
        response = _adviser(request.user, pk)
        response.status_code = status.HTTP_201_CREATED
        return response


class PublicLawyerListCreateApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(responses={200: s.PublicLawyerOutput(many=True)}, tags=["public-lawyers"])
    def get(self, request: Request) -> Response:
        return paginated_response(self, request, selectors.public_lawyers_for(user=request.user),
                                  s.PublicLawyerOutput)

    @extend_schema(request=s.PublicLawyerInput, responses={201: s.PublicLawyerOutput, **ERRORS},
                   tags=["public-lawyers"])
    def post(self, request: Request) -> Response:
        lawyer = services.public_lawyer_register(actor=request.user,
                                                 data=validated_input(s.PublicLawyerInput, request.data))
        return Response(s.PublicLawyerOutput(lawyer).data, status=status.HTTP_201_CREATED)
