"""API of the legality review queue. Views validate input, call one service or selector,
and serialize the result."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import StandardPagination
from core.api.serializers import ERRORS, ErrorSerializer
from core.api.views import paginated_response, validated_input
from reviews.selectors import review_queue_for, review_task_get_for_user
from reviews.services import review_task_assign, review_task_claim, review_task_decide

from .serializers import (
    ReviewAssignInput,
    ReviewDecideInput,
    ReviewQueueFilter,
    ReviewTaskDetailOutput,
    ReviewTaskListOutput,
)


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
