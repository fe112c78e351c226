"""API of the shared machinery: token login, and the helpers every API view uses.
Views validate input, call one service or selector, and serialize the result."""
from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .serializers import ERRORS, AuthTokenOutput, ErrorSerializer
from .throttling import LoginThrottle


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
    throttle_classes = [LoginThrottle]
    idempotency_exempt = True  # no write to repeat: the same credentials give the same token

    @extend_schema(request=AuthTokenSerializer, responses={200: AuthTokenOutput, 400: ErrorSerializer}, auth=[],
                   tags=["auth"])
    def post(self, request: Request, *args, **kwargs) -> Response:
        return super().post(request, *args, **kwargs)


# ---------------------------------------------------------------- archive packages
class ArchivePackageApi(APIView):
    """The signed zip of an archived record (``core.archive``): the same permission as the record."""

    kind = ""

    @extend_schema(responses={(200, "application/zip"): bytes, **ERRORS}, tags=["archive"])
    def get(self, request: Request, pk: int) -> HttpResponse:
        from core.archive import archive_package_build

        return archive_response(archive_package_build(kind=self.kind, object_id=pk, actor=request.user))


def archive_response(package) -> HttpResponse:
    response = HttpResponse(package.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{package.filename}"'
    response["Cache-Control"] = "no-store"
    return response
