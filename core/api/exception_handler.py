"""One error body for the whole API: {"code", "message", "details"}."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.exceptions import DomainError
from core.failures import is_database_unavailable, unavailable_body


def _flatten(detail, prefix: str = "") -> list[str]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else f"{key}: "
            out.extend(_flatten(value, f"{prefix}{name}"))
        return out
    if isinstance(detail, list):
        out = []
        for value in detail:
            out.extend(_flatten(value, prefix))
        return out
    return [f"{prefix}{detail}"]


def api_exception_handler(exc, context):
    if is_database_unavailable(exc):  # timeout, lock wait or lost connection: retry later (no 500)
        response = Response(unavailable_body(exc), status=status.HTTP_503_SERVICE_UNAVAILABLE)
        response["Retry-After"] = str(settings.DB_UNAVAILABLE_RETRY_AFTER)
        return response
    if isinstance(exc, (DataError, OverflowError)):  # a value the database cannot hold: the client's error
        return Response({"code": "out_of_range", "message": _("参数超出允许的范围，请检查后重新提交。"), "details": []},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "message": exc.message, "details": exc.details},
                        status=exc.http_status)
    if isinstance(exc, (ObjectDoesNotExist, Http404)):
        return Response({"code": "not_found", "message": _("未找到。"), "details": []}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        details = _flatten(exc.detail)
        response.data = {"code": "invalid", "message": _("提交的数据不正确。"), "details": details}
    elif isinstance(exc, exceptions.NotAuthenticated):
        response.data = {"code": "not_authenticated", "message": _("请先登录。"), "details": []}
    elif isinstance(exc, exceptions.PermissionDenied):
        response.data = {"code": "permission_denied", "message": _("无权执行此操作。"), "details": []}
    else:
        detail = getattr(exc, "detail", "")
        response.data = {"code": getattr(exc, "default_code", "error"), "message": str(detail), "details": []}
    return response
