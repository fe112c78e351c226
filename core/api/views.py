"""API of the shared machinery: token login, and the helpers every API view uses.
Views validate input, call one service or selector, and serialize the result."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
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


class TokenInput(AuthTokenSerializer):
    otp = serializers.CharField(required=False, allow_blank=True, max_length=8,
                                help_text="the authenticator's current code (administrators, office, reviewers, supervisors)")


class AuthTokenApi(ObtainAuthToken):
    """Exchange a username and password (and, for the roles that need it, the second factor's code)
    for an API token (header ``Authorization: Token <key>``), valid HUZHOU_TOKEN_HOURS; repeated
    failures lock the account and the address out (django-axes)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginThrottle]
    idempotency_exempt = True  # no write to repeat: the same credentials give the same token

    @extend_schema(request=TokenInput, responses={200: AuthTokenOutput, 400: ErrorSerializer, 403: ErrorSerializer,
                                                  429: ErrorSerializer}, auth=[], tags=["auth"])
    def post(self, request: Request, *args, **kwargs) -> Response:
        from django.db import transaction
        from rest_framework.authtoken.models import Token

        from core import accounts
        from core.exceptions import DomainError, NotPermitted

        serializer = TokenInput(data=request.data, context={"request": request})
        valid = serializer.is_valid()
        if getattr(request, "axes_locked_out", False):  # django-axes marks the request it refused
            return accounts.lockout_response(request)
        if not valid:
            raise serializers.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        if accounts.requires_two_factor(user):
            if not accounts.has_confirmed_device(user):
                raise NotPermitted(_("您的角色须使用双因素认证：请先在网页上登录并启用认证器。"), code="otp_enrolment_required")
            if accounts.verify_totp(user, serializer.validated_data.get("otp", "")) is None:
                accounts.security_event(action="otp_failed", label=_("双因素验证码错误"), actor=user,
                                        details={"step": "token"})
                raise DomainError(_("动态验证码不正确或已使用过。"), code="otp_invalid")
        with transaction.atomic():
            token = Token.objects.select_for_update().filter(user=user).first()
            if token is not None and accounts.token_expired(token):
                token.delete()
                token = None
            token = token or Token.objects.create(user=user)
        accounts.security_event(action="token_issued", label=_("签发接口令牌"), actor=user)
        return Response({"token": token.key, "expires_at": token.created + timedelta(hours=settings.HUZHOU_TOKEN_HOURS)})


class AuthTokenRevokeApi(APIView):
    """Delete the caller's API token (the web logout does the same)."""

    idempotency_exempt = True

    @extend_schema(request=None, responses={204: None, **ERRORS}, tags=["auth"])
    def post(self, request: Request) -> Response:
        from rest_framework.authtoken.models import Token

        from core import accounts

        revoked = Token.objects.filter(user=request.user).delete()[0]
        accounts.security_event(action="token_revoked", label=_("注销接口令牌"), actor=request.user,
                                details={"tokens_revoked": revoked})
        return Response(status=204)


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
