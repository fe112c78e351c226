"""Open data downloads (开放数据), no account needed: each public dataset as CSV (UTF-8 with a
BOM so that Excel reads the Chinese headers), XLSX or JSON, chosen by ``?format=``.
The rows come from ``portal.opendata``, which reads only the public querysets."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import quote

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from core.models import Department
from core.workdays import local_today
from decisions.models import Catalog
from decisions.selectors import public_catalog_index

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


class _Line:
    """A file-like object that hands back what ``csv.writer`` writes, one line at a time."""

    def write(self, value: str) -> str:
        return value


def render_csv(columns: list[Column], rows: Iterable[Row], **_meta) -> Iterator[bytes]:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield ("\ufeff" + writer.writerow([str(column.label) for column in columns])).encode("utf-8")
    for row in rows:
        yield writer.writerow([_csv_text(row[column.key]) for column in columns]).encode("utf-8")


def render_xlsx(columns: list[Column], rows: Iterable[Row], *, sheet_title: str, **_meta) -> Iterator[bytes]:
    # write-only: openpyxl spools the rows to a temporary file, not to memory
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
    yield buffer.getvalue()


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


def render_json(columns: list[Column], rows: Iterable[Row], *, meta: dict, **_extra) -> Iterator[bytes]:
    """``{"data": [...], "meta": {...}}``: the rows first, one per line, so that the file can be
    written while they are read; ``meta`` (with the number of rows) closes it."""
    def dumps(value) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)

    yield b'{"data": ['
    count = 0
    for row in rows:
        yield (("," if count else "") + "\n " + dumps({column.key: row[column.key] for column in columns})).encode()
        count += 1
    meta = {**meta, "count": count, "fields": {column.key: str(column.label) for column in columns}}
    yield ("\n],\n\"meta\": " + dumps(meta) + "}\n").encode()


RENDERERS: dict[str, Callable[..., Iterator[bytes]]] = {"csv": render_csv, "xlsx": render_xlsx,
                                                        "json": render_json}


def content_disposition(ascii_name: str, name: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the Chinese ``filename*`` (RFC 6266)."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _requested_format(request) -> str | None:
    chosen = request.GET.get("format", DEFAULT_FORMAT).strip().lower() or DEFAULT_FORMAT
    return chosen if chosen in FORMATS else None


def _bad_format() -> HttpResponse:
    return HttpResponseBadRequest(
        _("不支持的下载格式，请选择 csv、xlsx 或 json（例如 ?format=xlsx）。"), content_type="text/plain; charset=utf-8")


def download(request, *, columns: list[Column], rows: Iterable[Row], slug: str, title: str, meta: dict,
             stream: bool = False) -> HttpResponse | StreamingHttpResponse:
    """The download in the requested format. With ``stream`` (a catalog of every body can be
    long), CSV and JSON are written while the rows are read, never whole in memory; XLSX (a
    zip, written at the end) is built write-only. A streamed answer skips the page cache but
    keeps ``Cache-Control: public``."""
    chosen = _requested_format(request)
    rows = (_absolute_urls(request, row) for row in rows)
    chunks = RENDERERS[chosen](columns, rows, sheet_title=title, meta={
        "title": title, "source": str(opendata.SOURCE), "licence": str(opendata.LICENCE),
        "generated_at": timezone.localtime().isoformat(timespec="seconds"), **meta,
    })
    if stream and chosen != "xlsx":
        response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[chosen])
    else:
        response = HttpResponse(b"".join(chunks), content_type=CONTENT_TYPES[chosen])
    response["Content-Disposition"] = content_disposition(f"huzhou-{slug}.{chosen}", f"{title}.{chosen}")
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _absolute_urls(request, row: Row) -> Row:
    if "url" in row:
        row["url"] = request.build_absolute_uri(row["url"])
    return row


# ================================================================== pages
@login_not_required
def index(request):
    catalogs = list(public_catalog_index())
    for each in catalogs:  # the city's at catalog/<year>/, any other body's under its code (as the pages)
        each.download_url = (reverse("opendata:catalog", args=[each.year]) if each.body.kind == Department.Kind.CITY
                             else reverse("opendata:catalog-body", args=[each.year, each.body.code]))
    years = sorted({catalog.year for catalog in catalogs}, reverse=True)
    return render(request, "public/opendata.html", {
        "years": [(year, [catalog for catalog in catalogs if catalog.year == year]) for year in years],
        "formats": FORMATS})


@login_not_required
def catalog(request, year: int):
    """The city government's catalog of ``year``."""
    return _catalog_download(request, year=year, body=None)


@login_not_required
def catalog_body(request, year: int, body: str):
    """Another decision body's catalog of ``year`` (by the body's code, as the public page)."""
    if _requested_format(request) is None:
        return _bad_format()
    found = Department.objects.filter(code=body, is_decision_body=True).first()
    if found is None:
        raise Http404
    return _catalog_download(request, year=year, body=found)


def _catalog_download(request, *, year: int, body: Department | None):
    if _requested_format(request) is None:
        return _bad_format()
    try:
        the_catalog, columns, rows = opendata.catalog_dataset(year=year, body=body)
    except Catalog.DoesNotExist:
        raise Http404
    meta = {"dataset": "catalog", "year": year, "document_number": the_catalog.document_number,
            "published_on": the_catalog.published_on, "decision_body": the_catalog.decision_body,
            "body_name": the_catalog.body.name, "level": str(the_catalog.body.get_level_display())}
    slug = f"catalog-{year}" if body is None else f"catalog-{year}-{body.code}"
    return download(request, columns=columns, rows=rows, slug=slug, title=str(the_catalog), meta=meta, stream=True)


@login_not_required
def catalogs(request, year: int):
    """Every decision body's published catalog of ``year`` in one file, a body name and level per row."""
    if _requested_format(request) is None:
        return _bad_format()
    try:
        the_catalogs, columns, rows = opendata.catalogs_dataset(year=year)
    except Catalog.DoesNotExist:
        raise Http404
    meta = {"dataset": "catalogs", "year": year,
            "catalogs": [{"body_name": each.body.name, "level": str(each.body.get_level_display()),
                          "document_number": each.document_number, "published_on": each.published_on}
                         for each in the_catalogs]}
    return download(request, columns=columns, rows=rows, slug=f"catalogs-{year}",
                    title=_("%(year)s年度各决策机关重大行政决策事项目录") % {"year": year}, meta=meta, stream=True)


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
