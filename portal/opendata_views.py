"""Open data downloads (开放数据), no account needed: each public dataset as CSV (UTF-8 with a
BOM so that Excel reads the Chinese headers), XLSX or JSON, chosen by ``?format=``.
The rows come from ``portal.opendata``, which reads only the public querysets."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from urllib.parse import quote

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from core.bodies import city_government
from core.workdays import local_today
from decisions.models import Catalog
from decisions.selectors import public_catalog_years

from . import opendata
from .opendata import Column, Row

FORMATS = ("csv", "xlsx", "json")
DEFAULT_FORMAT = "csv"
MAX_AGE = 300  # seconds: a download is at most five minutes behind the pages
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


# ================================================================== formats
def _cell(value):
    return "" if value is None else value


def _csv_text(value) -> str:
    """A cell as text; text that a spreadsheet would run as a formula gets a leading apostrophe
    (OWASP CSV injection)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(_cell(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(columns: list[Column], rows: list[Row], **_meta) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(column.label) for column in columns])
    for row in rows:
        writer.writerow([_csv_text(row[column.key]) for column in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_xlsx(columns: list[Column], rows: list[Row], *, sheet_title: str, **_meta) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        # strings are written as data, never as formulas (a cell that starts with "=" stays text)
        sheet.append([_xlsx_value(sheet, row[column.key]) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(sheet, value):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters are not allowed in XLSX
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return _cell(value)


def render_json(columns: list[Column], rows: list[Row], *, meta: dict, **_extra) -> bytes:
    document = {"meta": {**meta, "fields": {column.key: str(column.label) for column in columns}},
                "data": [{column.key: row[column.key] for column in columns} for row in rows]}
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode("utf-8")


RENDERERS: dict[str, Callable[..., bytes]] = {"csv": render_csv, "xlsx": render_xlsx, "json": render_json}


def content_disposition(ascii_name: str, name: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the Chinese ``filename*`` (RFC 6266)."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _requested_format(request) -> str | None:
    chosen = request.GET.get("format", DEFAULT_FORMAT).strip().lower() or DEFAULT_FORMAT
    return chosen if chosen in FORMATS else None


def _bad_format() -> HttpResponse:
    return HttpResponseBadRequest(
        _("不支持的下载格式，请选择 csv、xlsx 或 json（例如 ?format=xlsx）。"), content_type="text/plain; charset=utf-8")


def download(request, *, columns: list[Column], rows: list[Row], slug: str, title: str, meta: dict) -> HttpResponse:
    chosen = _requested_format(request)
    for row in rows:
        if "url" in row:
            row["url"] = request.build_absolute_uri(row["url"])
    body = RENDERERS[chosen](columns, rows, sheet_title=title, meta={
        "title": title, "source": str(opendata.SOURCE), "licence": str(opendata.LICENCE),
        "generated_at": timezone.localtime().isoformat(timespec="seconds"), "count": len(rows), **meta,
    })
    response = HttpResponse(body, content_type=CONTENT_TYPES[chosen])
    response["Content-Disposition"] = content_disposition(f"huzhou-{slug}.{chosen}", f"{title}.{chosen}")
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


# ================================================================== pages
@login_not_required
def index(request):
    return render(request, "public/opendata.html", {"years": public_catalog_years(body=city_government()), "formats": FORMATS})


@login_not_required
def catalog(request, year: int):
    if _requested_format(request) is None:
        return _bad_format()
    try:
        the_catalog, columns, rows = opendata.catalog_dataset(year=year)
    except Catalog.DoesNotExist:
        raise Http404
    meta = {"dataset": "catalog", "year": year, "document_number": the_catalog.document_number,
            "published_on": the_catalog.published_on, "decision_body": the_catalog.decision_body}
    return download(request, columns=columns, rows=rows, slug=f"catalog-{year}", title=str(the_catalog), meta=meta)


@login_not_required
def normative_documents(request):
    if _requested_format(request) is None:
        return _bad_format()
    today = local_today()
    columns, rows = opendata.normative_documents_dataset(today=today)
    return download(request, columns=columns, rows=rows, slug="normative-documents",
                    title=_("湖州市行政规范性文件库"), meta={"dataset": "normative-documents", "as_of": today})


@login_not_required
def enforcement_notices(request):
    if _requested_format(request) is None:
        return _bad_format()
    today = local_today()
    columns, rows = opendata.enforcement_notices_dataset(today=today)
    return download(request, columns=columns, rows=rows, slug="enforcement-notices",
                    title=_("湖州市行政执法决定公开信息"), meta={"dataset": "enforcement-notices", "as_of": today})
