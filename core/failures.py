"""Clean failure when the database is unavailable or too slow.

A statement that runs past ``statement_timeout``, a lock wait past ``lock_timeout`` and a lost
connection all surface as ``OperationalError``/``InterfaceError``. Instead of an HTML 500 (or
no answer at all once gunicorn kills the worker), the client gets a 503 with ``Retry-After``:
JSON with the API's error body under ``/api/``, a Chinese page in the browser. The API's exception
handler uses ``unavailable_response`` too; ``server_error`` (handler500) catches what escapes
from middleware (e.g. the session lookup)."""
from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import server_error as default_server_error

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_ERRORS)


def _reason(error: BaseException) -> str:
    cause = getattr(error, "__cause__", None)
    code = getattr(cause, "pgcode", None) or ""
    if code == "57014":
        return "statement_timeout"
    if code == "55P03":
        return "lock_timeout"
    return "database_unavailable"


def unavailable_body(error: BaseException) -> dict:
    reason = _reason(error)
    message = {
        "statement_timeout": _("数据库处理超时，操作没有完成，请稍后重试。"),
        "lock_timeout": _("数据正被其他操作占用，操作没有完成，请稍后重试。"),
    }.get(reason, _("数据库暂时不可用，操作没有完成，请稍后重试。"))
    return {"code": "service_unavailable", "message": message, "details": [reason]}


def unavailable_response(request, error: BaseException) -> HttpResponse:
    log.error("database unavailable (%s) on %s %s: %s", _reason(error), request.method, request.path, error)
    if request.path.startswith("/api/"):
        response = JsonResponse(unavailable_body(error), status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(loader.render_to_string("503.html", request=None), status=503)
    response["Retry-After"] = str(settings.DB_UNAVAILABLE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database failure in a view into the 503 above (also with DEBUG on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return unavailable_response(request, exception)
        return None


def server_error(request, *args, **kwargs):
    """handler500: a database failure outside the view (middleware) is a 503 too."""
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        return unavailable_response(request, error)
    return default_server_error(request, *args, **kwargs)
