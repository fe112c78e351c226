"""Bad input is a 400 with a clear message, never a 5xx (issue 13).

One front door for every request: the path, the query string, form fields and JSON bodies are
refused when they carry

- NUL or another control character (C0 except tab, line feed and carriage return; DEL; C1):
  PostgreSQL cannot store NUL in text and the others have no place in an administrative record;
- a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069): they make a title or a
  name read differently from what is stored ("Trojan Source"). Chinese and English never need them.

The answer is the API's error body under ``/api/`` and a Chinese page elsewhere, naming the
fields. Values that reach the database out of range (a year of twenty digits, a date past 9999)
are a 400 too (``process_exception``), so a filter that forgot its bounds cannot answer 500.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

from django.db import DataError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

#: Control characters (except \t \n \r) and bidi overrides/isolates.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
CONTROL_MESSAGE = gettext_noop("输入含有不允许的控制字符（如空字符、文字方向控制符），请删除后重新提交。")
#: Request bodies larger than this are not searched (uploads are checked by the upload rules).
MAX_JSON_SCAN_BYTES = 5 * 1024 * 1024


def forbidden_characters(value: str) -> str:
    """The forbidden characters of ``value`` as U+XXXX codes ("" when clean)."""
    found = sorted({f"U+{ord(char):04X}" for char in FORBIDDEN.findall(value)})
    return ", ".join(found)


def _walk(value, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path + "." + str(key) if path else str(key), str(key)
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def _request_values(request) -> Iterator[tuple[str, str]]:
    yield "path", request.path
    for key, values in request.GET.lists():
        yield key, key
        for value in values:
            yield key, value
    content_type = request.content_type or ""
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return
    if content_type == "application/json" or content_type.endswith("+json"):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if 0 < length <= MAX_JSON_SCAN_BYTES:
            try:
                data = json.loads(request.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                return  # the parser answers 400 for malformed JSON
            yield from _walk(data, "")
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data") and not request.path.startswith(
            "/api/"):  # the API's parsers check forms (core.api.parsers): its upload stream is read once
        for key, values in request.POST.lists():
            yield key, key
            for value in values:
                yield key, value
        for key, upload in request.FILES.items():
            yield key, upload.name or ""


def bad_input_response(request, *, code: str, message: str, details: list[str]) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": code, "message": message, "details": details}, status=400,
                                json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(loader.render_to_string("400.html", {"message": message, "details": details}),
                                status=400)
    response["Cache-Control"] = "no-store"
    return response


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            bad = [(name, forbidden_characters(value)) for name, value in _request_values(request)
                   if FORBIDDEN.search(value)]
        except UnicodeDecodeError:
            bad = [("body", "encoding")]
        if bad:
            return bad_input_response(
                request, code="invalid_characters",
                message=_(CONTROL_MESSAGE),
                details=[_("%(field)s：%(codes)s") % {"field": name, "codes": codes} for name, codes in bad[:20]])
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (DataError, OverflowError)):
            return bad_input_response(request, code="out_of_range",
                                      message=_("参数超出允许的范围，请检查后重新提交。"), details=[])
        return None
