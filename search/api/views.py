"""The public search API: the same search as the page, anyone may read it (throttled)."""
from __future__ import annotations

from functools import partial

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import BoundedPagination
from core.api.serializers import ErrorSerializer
from core.api.throttling import PublicReadThrottle
from core.api.views import validated_input
from search import selectors

from . import serializers as s


class PublicSearchApi(APIView):
    """全站检索: catalog items, decisions, normative documents and live enforcement notices."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicReadThrottle]
    pagination_class = BoundedPagination

    @extend_schema(parameters=[s.PublicSearchFilter], responses={200: s.PublicSearchPageOutput, 400: ErrorSerializer},
                   tags=["public"])
    def get(self, request: Request) -> Response:
        data = validated_input(s.PublicSearchFilter, request.query_params)
        params = selectors.SearchParams(q=data["q"].strip(), kind=data.get("kind", ""), year=data.get("year"),
                                        department=data.get("department"), status=data.get("status", ""))
        results, counts = selectors.search(params)
        paginator = self.pagination_class()
        count = selectors.browsable(counts, params.kind)
        paginator.django_paginator_class = partial(selectors.CountedPaginator, count=count)
        page = paginator.paginate_queryset(results, request, view=self)
        return Response({
            "count": count,
            "count_capped": (counts.get(params.kind, 0) if params.kind else sum(counts.values())) > selectors.COUNT_CAP,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "counts_by_kind": dict(counts),
            "counts_windowed": counts.windowed,
            "results": s.PublicSearchResultOutput(page, many=True, context={"q": params.q}).data,
        })
