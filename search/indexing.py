"""Keeps the search index equal to what the public may see.

Only public items are written: decisions (``Decision.objects.public()``), public items of
published catalogs (``CatalogItem.objects.public()``), published normative documents
(``NormativeDocument.objects.public()``, status from ``public_status()``) and live
enforcement notices (masked columns only, never a column of ``Case``). Entries of items that
are no longer public are deleted. ``index_all`` runs from Celery beat every five minutes;
the query itself checks the source tables again (``selectors.search``), so an entry that
has not been refreshed yet never shows a withdrawn item.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.contrib.postgres.search import SearchVectorField
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.disclosure import index_number_of
from decisions.models import CatalogItem, Decision
from enforcement import masking
from enforcement.models import PublicNotice
from enforcement.publicity import live_notices
from normative_docs.models import NormativeDocument
from normative_docs.workflow import PublicStatus, normalize_number

from .models import Kind, SearchEntry
from .selectors import public_ids
from .text import search_text, tsvector_literal

EXCERPT_LENGTH = 1000
BATCH = 500
UPDATE_FIELDS = ["title", "number", "number_normalized", "department", "department_name", "year", "status",
                 "status_label", "published_on", "url", "historical", "body_excerpt", "content", "document",
                 "indexed_at"]


def vector(*, title: str, number: str = "", body: str = "", published_on: dt.date | None = None) -> Cast:
    """The stored vector: title and 文号 weigh A, the text B; and the publication date."""
    literal = tsvector_literal((title, "A"), (number, "A"), (body, "B"), published_on=published_on)
    return Cast(Value(literal), output_field=SearchVectorField())


def entry(*, kind: str, object_id: int, title: str, number: str = "", body: str = "",
          published_on: dt.date | None = None, **fields) -> SearchEntry:
    return SearchEntry(kind=kind, object_id=object_id, title=title[:300], number=number[:60],
                       number_normalized=normalize_number(number)[:60], body_excerpt=body[:EXCERPT_LENGTH],
                       content=search_text(title, number, body), published_on=published_on,
                       document=vector(title=title, number=number, body=body, published_on=published_on), **fields)


# ================================================================== the public rows of each kind
def _decisions(ids: Iterable[int] | None) -> Iterator[SearchEntry]:
    rows = Decision.objects.public().select_related("department").only(
        "id", "title", "summary", "draft_text", "year", "status", "published_at", "document_number",
        "department__name").annotate(index_number=index_number_of(Decision))
    for d in rows.filter(pk__in=ids) if ids is not None else rows.iterator(chunk_size=BATCH):
        yield entry(kind=Kind.DECISION, object_id=d.pk, title=d.title, number=d.document_number,
                    body=f"{d.summary}\n{d.draft_text}\n{d.index_number or ''}", department_id=d.department_id,
                    department_name=d.department.name, year=d.year, status=d.status,
                    status_label=str(d.get_status_display()), published_on=timezone.localdate(d.published_at),
                    url=reverse("public:decision-detail", args=[d.pk]))


def _catalog_items(ids: Iterable[int] | None) -> Iterator[SearchEntry]:
    rows = CatalogItem.objects.public().select_related("catalog", "lead_department")
    for item in rows.filter(pk__in=ids) if ids is not None else rows.iterator(chunk_size=BATCH):
        yield entry(kind=Kind.CATALOG_ITEM, object_id=item.pk, title=item.name,
                    body=f"{item.content}\n{item.legal_basis}", department_id=item.lead_department_id,
                    department_name=item.lead_department.name, year=item.catalog.year, status=item.status,
                    status_label=str(item.get_status_display()), published_on=item.catalog.published_on,
                    url=reverse("public:catalog", args=[item.catalog.year]) + f"#item-{item.pk}")


def _normative(ids: Iterable[int] | None) -> Iterator[SearchEntry]:
    rows = NormativeDocument.objects.public().select_related("issuer").annotate(
        index_number=index_number_of(NormativeDocument))
    for doc in rows.filter(pk__in=ids) if ids is not None else rows.iterator(chunk_size=BATCH):
        status = doc.public_status() or ""
        yield entry(kind=Kind.NORMATIVE, object_id=doc.pk, title=doc.title, number=doc.number,
                    body=f"{doc.body}\n{doc.interpretation}\n{doc.index_number or ''}", department_id=doc.issuer_id,
                    department_name=doc.issuer.name, year=doc.published_on.year, status=status,
                    status_label=str(PublicStatus(status).label) if status else "",
                    published_on=doc.published_on, url=reverse("library:detail", args=[doc.pk]),
                    historical=doc.is_historical)


def _notices(ids: Iterable[int] | None) -> Iterator[SearchEntry]:
    # Masked columns of the notice only; the body is the one column read through ``case``.
    rows = live_notices().annotate(index_number=index_number_of(PublicNotice)).values(
        "id", "title", "body_name", "decision_number", "party_masked", "content", "published_on", "case__body_id",
        "index_number")
    for n in rows.filter(pk__in=ids) if ids is not None else rows.iterator(chunk_size=BATCH):
        yield entry(kind=Kind.NOTICE, object_id=n["id"], title=masking.mask_text(n["title"]),
                    number=n["decision_number"],
                    body=masking.mask_text(f"{n['party_masked']}\n{n['content']}\n{n['index_number'] or ''}"),
                    department_id=n["case__body_id"], department_name=n["body_name"],
                    year=n["published_on"].year, status="live", status_label=gettext_noop("公示中"),  # stored in Chinese, translated when shown
                    published_on=n["published_on"],
                    url=reverse("enforcement_public:notice-detail", args=[n["id"]]))


SOURCES = {Kind.DECISION: _decisions, Kind.CATALOG_ITEM: _catalog_items, Kind.NORMATIVE: _normative,
           Kind.NOTICE: _notices}


# ================================================================== writing
def _upsert(entries: list[SearchEntry]) -> None:
    if entries:
        SearchEntry.objects.bulk_create(entries, update_conflicts=True, unique_fields=["kind", "object_id"],
                                        update_fields=UPDATE_FIELDS)


@transaction.atomic
def reindex(kind: str, ids: Iterable[int] | None = None) -> int:
    """Write the public items of ``kind`` (all, or those of ``ids``) and delete the entries of
    items (among ``ids``) that are not public. Returns the number of entries written."""
    ids = list(ids) if ids is not None else None
    written: list[int] = []
    batch: list[SearchEntry] = []
    for row in SOURCES[kind](ids):
        batch.append(row)
        written.append(row.object_id)
        if len(batch) >= BATCH:
            _upsert(batch)
            batch = []
    _upsert(batch)
    stale = SearchEntry.objects.filter(kind=kind).exclude(object_id__in=public_ids(kind))
    if ids is not None:
        stale = SearchEntry.objects.filter(kind=kind, object_id__in=ids).exclude(object_id__in=written)
    stale.delete()
    return len(written)


def index_all() -> dict[str, int]:
    """Rebuild every public kind; returns the number of entries of each."""
    return {str(kind): reindex(kind) for kind in SOURCES}
