"""Open data (开放数据): the rows of each public dataset, for CSV, XLSX and JSON downloads.

One builder per dataset returns ``(columns, rows)``: the columns in order, each with an
English key (the JSON key) and a Chinese label (the CSV/XLSX header), and one dict per row.
Every builder reads only through the public querysets the public pages use, so a download
never holds more than the page shows:

* ``catalog_dataset`` — the items of one body's published catalog exactly as
  ``public/catalog.html`` lists them (``decisions.selectors.public_catalog_items``): 列入目录 and
  已调出 items (the page shows the latter struck through, so the download says 已调出 in 状态);
  withheld (依法不予公开) items are neither listed nor counted.
* ``catalogs_dataset`` — the same for every decision body's published catalog of a year (city,
  districts and counties, townships, departments with their own catalog), by level and body, each
  row naming its body and level. Catalog rows are yielded, not collected, so a download of every
  body's catalog holds one chunk of rows in memory (the views stream CSV and JSON).
* ``normative_documents_dataset`` — every document of the public library with its 时效性
  from ``public_status()``.
* ``enforcement_notices_dataset`` — the live notices (``enforcement.publicity.live_notices``),
  their masked columns only; no column of ``Case`` is read. Free text is masked once more
  on the way out, as the notice page does.

Each builder runs a fixed number of queries whatever the number of rows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Department
from core.workdays import local_today
from decisions.models import Catalog, CatalogItem
from decisions.selectors import (
    public_catalog_get,
    public_catalog_index,
    public_catalog_items,
)
from enforcement import masking
from enforcement.publicity import live_notices
from normative_docs.selectors import library_list
from normative_docs.workflow import PublicStatus

SOURCE = _("法治湖州·依法行政平台（湖州市人民政府）")
LICENCE = _("依法主动公开的政府信息，可免费下载、复制、传播和使用；使用时请注明来源，不得歪曲原意。")


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy Chinese string


Row = dict[str, Any]
Dataset = tuple[list[Column], list[Row]]


# ================================================================== 年度重大行政决策事项目录
CATALOG_COLUMNS = [
    Column("body_name", _("决策机关")),
    Column("level", _("层级")),
    Column("number", _("序号")),
    Column("name", _("事项名称")),
    Column("content", _("主要内容")),
    Column("decision_body", _("决策主体")),
    Column("lead_department", _("承办单位")),
    Column("legal_basis", _("法律政策依据")),
    Column("required_procedures", _("履行程序要求")),
    Column("planned_completion", _("计划完成时间")),
    Column("status", _("状态")),
]
#: rows fetched from the database at a time when a catalog download is streamed
CHUNK_SIZE = 500


def _catalog_rows(items: Iterable[CatalogItem], body_of: dict[int, Department]) -> Iterator[Row]:
    levels = dict(Department.Level.choices)
    for item in items:
        body = body_of[item.catalog_id]
        yield {
            "body_name": body.name,
            "level": str(levels.get(body.level, "")),
            "number": item.number,
            "name": item.name,
            "content": item.content,
            "decision_body": item.decision_body,
            "lead_department": item.lead_department.name,
            "legal_basis": item.legal_basis,
            "required_procedures": item.get_required_procedures_display(),
            # a day as a date; a month or a quarter as given (2025-12, 2025-Q4), never an invented day
            "planned_completion": (item.planned_completion if item.planned_completion_precision == "day"
                                   else item.planned_completion_code),
            "status": str(CatalogItem.Status(item.status).label),
        }


def catalog_dataset(*, year: int, body: Department | None = None) -> tuple[Catalog, list[Column], Iterator[Row]]:
    """The public items of one body's published catalog of ``year`` (the city government's unless
    ``body`` is named), with the catalog itself for the download's header. Raises
    ``Catalog.DoesNotExist`` for a catalog not published. The rows are read as they are consumed."""
    catalog = public_catalog_get(year=year, body=body)
    items = public_catalog_items(catalog).iterator(chunk_size=CHUNK_SIZE)
    return catalog, CATALOG_COLUMNS, _catalog_rows(items, {catalog.pk: catalog.body})


def catalogs_dataset(*, year: int) -> tuple[list[Catalog], list[Column], Iterator[Row]]:
    """The public items of every decision body's published catalog of ``year``, catalog by catalog
    in the order of the public catalog index (level, then the bodies' reference order). Two
    queries whatever the number of bodies and items; raises ``Catalog.DoesNotExist`` when no body
    published a catalog that year."""
    catalogs = list(public_catalog_index(year=year))
    if not catalogs:
        raise Catalog.DoesNotExist
    rank = {catalog.pk: position for position, catalog in enumerate(catalogs)}
    items = CatalogItem.objects.public().filter(catalog_id__in=rank).select_related("lead_department").order_by(
        Case(*[When(catalog_id=pk, then=Value(position)) for pk, position in rank.items()],
             output_field=IntegerField()), "number", "id").iterator(chunk_size=CHUNK_SIZE)
    return catalogs, CATALOG_COLUMNS, _catalog_rows(items, {catalog.pk: catalog.body for catalog in catalogs})


# ================================================================== 规范性文件库
NORMATIVE_COLUMNS = [
    Column("title", _("文件名称")),
    Column("doc_type", _("文种")),
    Column("number", _("文号")),
    Column("registration_number", _("统一登记号")),
    Column("issuer", _("制定机关")),
    Column("signed_on", _("成文日期")),
    Column("published_on", _("公布日期")),
    Column("effective_on", _("施行日期")),
    Column("valid_until", _("有效期至")),
    Column("status", _("时效性")),
    Column("url", _("链接")),
]
_NORMATIVE_FIELDS = ("id", "title", "doc_type", "number", "registration_number", "status", "signed_on",
                     "published_on", "effective_on", "valid_until", "issuer__name")


def normative_documents_dataset(*, today: dt.date | None = None) -> Dataset:
    """Every document of the public library, newest first; ``url`` is the site path of its page."""
    today = today or local_today()
    # the library page's own selector (public only, newest first), with the columns a download adds
    documents = library_list(filters={}, today=today).only(*_NORMATIVE_FIELDS)
    rows = []
    for document in documents:
        status = document.public_status(today)
        rows.append({
            "title": document.title,
            "doc_type": document.get_doc_type_display(),
            "number": document.number,
            "registration_number": document.registration_number,
            "issuer": document.issuer.name,
            "signed_on": document.signed_on,
            "published_on": document.published_on,
            "effective_on": document.effective_on,
            "valid_until": document.valid_until,
            "status": str(PublicStatus(status).label) if status else "",
            "url": reverse("library:detail", args=[document.pk]),
        })
    return NORMATIVE_COLUMNS, rows


# ================================================================== 行政执法决定公开
NOTICE_COLUMNS = [
    Column("title", _("标题")),
    Column("body_name", _("执法主体")),
    Column("decision_number", _("决定书文号")),
    Column("party_masked", _("当事人")),
    Column("id_masked", _("证件号码")),
    Column("content", _("公开内容")),
    Column("published_on", _("公开日期")),
    Column("takedown_on", _("公开截止日期")),
    Column("url", _("链接")),
]
_NOTICE_FIELDS = ("id", "title", "body_name", "decision_number", "party_masked", "id_masked", "content",
                  "published_on", "takedown_on")


def enforcement_notices_dataset(*, today: dt.date | None = None) -> Dataset:
    """The notices on the public site today, newest first: masked columns only."""
    notices = live_notices(today=today).only(*_NOTICE_FIELDS).order_by("-published_on", "-id")
    rows = [{
        "title": masking.mask_text(notice.title),
        "body_name": notice.body_name,
        "decision_number": notice.decision_number,
        "party_masked": masking.mask_text(notice.party_masked),
        "id_masked": masking.mask_text(notice.id_masked),
        # defence in depth: stored masked at publication; mask again on the way out
        "content": masking.mask_text(notice.content),
        "published_on": notice.published_on,
        "takedown_on": notice.takedown_on,
        "url": reverse("enforcement_public:notice-detail", args=[notice.pk]),
    } for notice in notices]
    return NOTICE_COLUMNS, rows
