"""API writes: one transaction per request, and the ``Idempotency-Key`` header.

Every POST/PUT/PATCH/DELETE to a DRF view runs inside one transaction that also builds the
response, so the answer comes from what the transaction wrote: a failure while reading back
rolls the write back (503, safe to retry) instead of answering 500 after a commit.

With ``Idempotency-Key: <1–255 visible ASCII characters>`` the first successful (2xx) answer is
stored in the same transaction, keyed by caller and key. The same key with the same request
(method, path, query, content type and body) returns that stored answer with
``Idempotent-Replayed: true`` and does nothing else; the same key with a different request is a
409. A concurrent duplicate waits on the first one's row and then gets its answer. Answers that
were errors are not stored: nothing was written, so the key may be used again. Keys are kept
``IDEMPOTENCY_TTL`` (a daily task removes older ones).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.views import APIView

from .failures import DATABASE_ERRORS, unavailable_response
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
IDEMPOTENCY_TTL = dt.timedelta(hours=24)
_KEY = re.compile(r"[\x21-\x7e]{1,255}")
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "details": []}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _principal(request, view_class: type[APIView]) -> str | None:
    """Whose key it is: the user the view's own authenticators find; an anonymous caller by address."""
    try:
        user = Request(request, authenticators=view_class().get_authenticators()).user
    except APIException:
        return None  # the view itself answers 401/403
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    from .ratelimit import client_key

    return f"anon:{client_key(request)}"


def _fingerprint(request) -> str:
    """SHA-256 of the request, reading the body once in chunks (uploads spill to a temporary
    file) and handing the same bytes on to the parsers."""
    digest = hashlib.sha256("\n".join([request.method, request.path, request.META.get("QUERY_STRING", ""),
                                       request.META.get("CONTENT_TYPE", ""), ""]).encode())
    if hasattr(request, "_body"):
        digest.update(request._body)
    else:
        spool = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
        while chunk := request.read(64 * 1024):
            digest.update(chunk)
            spool.write(chunk)
        spool.seek(0)
        request._stream, request._read_started = spool, False
    return digest.hexdigest()


def _claim(*, principal: str, key: str, request, fingerprint: str) -> tuple[IdempotencyRecord, bool]:
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(principal=principal, key=key, method=request.method,
                                                    path=request.path[:300], fingerprint=fingerprint), True
    except IntegrityError:
        # Another request with this key committed first (the insert waited for it): use its answer.
        return IdempotencyRecord.objects.select_for_update().get(principal=principal, key=key), False


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def run_write(request, view_func, view_args, view_kwargs, view_class: type[APIView]) -> HttpResponse:
    key = request.headers.get(HEADER, "")
    if key and not _KEY.fullmatch(key):
        return _error(400, "invalid_idempotency_key", _("Idempotency-Key 须为1至255个可见ASCII字符。"))
    try:
        # savepoint=False: at the top of a request this is BEGIN/COMMIT; only a test's wrapping
        # transaction encloses it, and there a savepoint would only add queries to count
        with transaction.atomic(savepoint=False):
            record = None
            principal = _principal(request, view_class) if key else None
            if principal:
                fingerprint = _fingerprint(request)
                record, created = _claim(principal=principal, key=key, request=request, fingerprint=fingerprint)
                if not created:
                    if record.fingerprint != fingerprint or record.status_code is None:
                        return _error(409, "idempotency_key_reused",
                                      _("该 Idempotency-Key 已用于另一个请求，请为新的操作使用新的键。"))
                    return _replay(record)
            response = view_func(request, *view_args, **view_kwargs)
            if callable(getattr(response, "render", None)):
                response = response.render()
            if response.status_code >= 500:
                transaction.set_rollback(True)
            elif record is not None:
                if 200 <= response.status_code < 300 and not response.streaming:
                    record.status_code, record.body = response.status_code, response.content
                    record.content_type = response.get("Content-Type", "")
                    record.save(update_fields=["status_code", "body", "content_type"])
                else:
                    record.delete()  # an error wrote nothing: the key stays free
    except DATABASE_ERRORS as error:
        return unavailable_response(request, error)
    return response


def idempotency_records_purge(*, now: dt.datetime | None = None) -> int:
    return IdempotencyRecord.objects.filter(created_at__lt=(now or timezone.now()) - IDEMPOTENCY_TTL).delete()[0]


class ApiWriteMiddleware:
    """Runs every API write through ``run_write``. Last in MIDDLEWARE: it calls the view itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if (request.method in _SAFE_METHODS or view_class is None or not issubclass(view_class, APIView)
                or getattr(view_class, "idempotency_exempt", False)):
            return None
        return run_write(request, view_func, view_args, view_kwargs, view_class)
