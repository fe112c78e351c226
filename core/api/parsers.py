"""Form and multipart parsers of the API that refuse control and bidi-override characters.

The middleware (``core.input_guard``) checks paths, query strings and JSON bodies before the
view; a multipart body is left to these parsers, so the upload stream is read once, by the parser
(the idempotency middleware hands the same bytes on)."""
from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers

from core.exceptions import DomainError
from core.input_guard import CONTROL_MESSAGE, FORBIDDEN, forbidden_characters


def refuse_forbidden_characters(data, files=None) -> None:
    bad = []
    for key, values in data.lists():
        for value in [key, *values]:
            if isinstance(value, str) and FORBIDDEN.search(value):
                bad.append(_("%(field)s：%(codes)s") % {"field": key, "codes": forbidden_characters(value)})
    for key, upload in (files or {}).items():
        if FORBIDDEN.search(upload.name or ""):
            bad.append(_("%(field)s：%(codes)s") % {"field": key, "codes": forbidden_characters(upload.name)})
    if bad:
        raise DomainError(_(CONTROL_MESSAGE), details=bad[:20], code="invalid_characters")


class GuardedFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        refuse_forbidden_characters(data)
        return data


class GuardedMultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        refuse_forbidden_characters(result.data, result.files)
        return result
