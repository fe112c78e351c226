"""API of the deadline machinery: my deadlines, my notifications, marking them read.
Views validate input, call the same selector or service the pages use, and
serialize the result; each request runs a fixed number of queries."""
from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import StandardPagination
from core.api.serializers import ErrorSerializer
from core.api.views import paginated_response, validated_input

from . import selectors, services
from . import serializers as s


class DeadlineListApi(APIView):
    """My open deadlines, soonest first, each with its traffic light and days left."""

    pagination_class = StandardPagination

    @extend_schema(responses={200: s.DeadlineOutput(many=True)}, tags=["deadlines"])
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.deadlines_for(request.user), request, view=self)
        return paginator.get_paginated_response(s.DeadlineOutput(selectors.with_lights(page), many=True).data)


class NotificationListApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(parameters=[s.NotificationFilter], responses={200: s.NotificationOutput(many=True),
                                                                 400: ErrorSerializer}, tags=["notifications"])
    def get(self, request: Request) -> Response:
        filters = validated_input(s.NotificationFilter, request.query_params)
        notes = selectors.notifications_for(request.user, unread_only=filters["unread"])
        return paginated_response(self, request, notes, s.NotificationOutput)


class NotificationMarkReadApi(APIView):
    @extend_schema(request=s.NotificationMarkReadInput,
                   responses={200: s.NotificationMarkReadOutput, 400: ErrorSerializer}, tags=["notifications"])
    def post(self, request: Request) -> Response:
        data = validated_input(s.NotificationMarkReadInput, request.data)
        marked = services.notifications_mark_read(actor=request.user, ids=None if data.get("all") else data["ids"])
        return Response({"marked": marked, "unread": selectors.unread_count(request.user)})


app_name = "deadlines-api"

urlpatterns = [
    path("deadlines/", DeadlineListApi.as_view(), name="deadline-list"),
    path("notifications/", NotificationListApi.as_view(), name="notification-list"),
    path("notifications/mark-read/", NotificationMarkReadApi.as_view(), name="notification-mark-read"),
]
