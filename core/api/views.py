"""API of the shared machinery: token login and the legality review queue.
Views validate input, call one service or selector, and serialize the result."""
from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from core.selectors import review_queue_for, review_task_get_for_user
from core.services import review_task_assign, review_task_claim, review_task_decide

from .pagination import StandardPagination
from .serializers import (
    ERRORS,
    AuthTokenOutput,
    ErrorSerializer,
    ReviewAssignInput,
    ReviewDecideInput,
    ReviewQueueFilter,
    ReviewTaskDetailOutput,
    ReviewTaskListOutput,
)


def validated_input(serializer_class: type[serializers.Serializer], data) -> dict:
    """The validated data of a request body or query string; invalid input raises the standard 400 body."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def paginated_response(view: APIView, request: Request, queryset: QuerySet,
                       serializer_class: type[serializers.Serializer]) -> Response:
    """One page of ``queryset`` in the standard envelope (count, next, previous, results)."""
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class AuthTokenApi(ObtainAuthToken):
    """Exchange a username and password for an API token (header ``Authorization: Token <key>``)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]

    @extend_schema(request=AuthTokenSerializer, responses={200: AuthTokenOutput, 400: ErrorSerializer}, auth=[],
                   tags=["auth"])
    def post(self, request: Request, *args, **kwargs) -> Response:
        return super().post(request, *args, **kwargs)


# ---------------------------------------------------------------- review queue
class ReviewQueueApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(parameters=[ReviewQueueFilter],
                   responses={200: ReviewTaskListOutput(many=True), 400: ErrorSerializer}, tags=["reviews"])
    def get(self, request: Request) -> Response:
        filters = validated_input(ReviewQueueFilter, request.query_params)
        tasks = review_queue_for(user=request.user, filters=filters)
        return paginated_response(self, request, tasks, ReviewTaskListOutput)


class ReviewDetailApi(APIView):
    @extend_schema(responses={200: ReviewTaskDetailOutput, 404: ErrorSerializer}, tags=["reviews"])
    def get(self, request: Request, pk: int) -> Response:
        task = review_task_get_for_user(user=request.user, task_id=pk)
        return Response(ReviewTaskDetailOutput(task).data)


class ReviewClaimApi(APIView):
    @extend_schema(request=None, responses={200: ReviewTaskDetailOutput, **ERRORS}, tags=["reviews"])
    def post(self, request: Request, pk: int) -> Response:
        task = review_task_claim(task_id=pk, actor=request.user)
        return Response(ReviewTaskDetailOutput(task).data)


class ReviewAssignApi(APIView):
    @extend_schema(request=ReviewAssignInput, responses={200: ReviewTaskDetailOutput, **ERRORS}, tags=["reviews"])
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(ReviewAssignInput, request.data)
        task = review_task_assign(task_id=pk, actor=request.user, assignee_id=data["assignee_id"])
        return Response(ReviewTaskDetailOutput(task).data)


class ReviewDecideApi(APIView):
    @extend_schema(request=ReviewDecideInput, responses={200: ReviewTaskDetailOutput, **ERRORS}, tags=["reviews"])
    def post(self, request: Request, pk: int) -> Response:
        task = review_task_decide(task_id=pk, actor=request.user, **validated_input(ReviewDecideInput, request.data))
        return Response(ReviewTaskDetailOutput(task).data)
