"""GET /api/v1/coverage/?year=&level=: the coverage table (supervisors, the office and administrators:
every body; a district or county government's staff and head: their district and its townships)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import ErrorSerializer
from core.api.views import validated_input
from core.models import Department
from core.workdays import local_today

from . import coverage


class CoverageFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    level = serializers.ChoiceField(choices=Department.Level.choices, required=False)


class CellOutput(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    rate = serializers.IntegerField(allow_null=True, help_text="整数百分比（向下取整）；不适用时为 null")
    full = serializers.BooleanField()
    url = serializers.CharField()


class CoverageRowOutput(serializers.Serializer):
    body_code = serializers.CharField(source="body.code")
    body_name = serializers.CharField(source="body.name")
    level = serializers.CharField(source="body.level")
    below_full = serializers.BooleanField()
    cells = serializers.DictField(child=CellOutput())


class CoverageOutput(serializers.Serializer):
    year = serializers.IntegerField()
    columns = serializers.DictField(child=serializers.CharField())
    rows = CoverageRowOutput(many=True)
    summary = serializers.DictField(child=serializers.IntegerField(allow_null=True))


class CoverageApi(APIView):
    @extend_schema(parameters=[CoverageFilter], responses={200: CoverageOutput, 400: ErrorSerializer,
                                                           403: ErrorSerializer}, tags=["coverage"])
    def get(self, request: Request) -> Response:
        if not coverage.can_see_coverage(request.user):
            raise PermissionDenied
        filters = validated_input(CoverageFilter, request.query_params)
        year = filters.get("year") or local_today().year
        rows = coverage.coverage_for(user=request.user, year=year, today=local_today(), level=filters.get("level"))
        out = [{"body": row.body, "below_full": row.below_full,
                "cells": {key: {"done": cell.done, "total": cell.total, "rate": cell.rate, "full": cell.full,
                                "url": request.build_absolute_uri(cell.url)} for key, cell in row.ordered()}}
               for row in rows]
        return Response(CoverageOutput({"year": year, "columns": {key: str(label) for key, label in coverage.COLUMNS},
                                        "rows": out, "summary": coverage.summary(rows)}).data)


app_name = "workbench-api"
urlpatterns = [path("coverage/", CoverageApi.as_view(), name="coverage")]
