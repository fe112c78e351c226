"""Keeps the search index equal to what the public may see (decision record 0023).

Only public items are written: decisions (``Decision.objects.public()``), public items of
published catalogs (``CatalogItem.objects.public()``), published normative documents
(``NormativeDocument.objects.public()``, status from ``public_status()``) and live
enforcement notices (masked columns only, never a column of ``Case``, and the day they are
taken down in ``visible_until``). The index is kept in step on commit of each change of an
item (``search.sync``: ``reindex`` of that item, which writes or deletes its entry), so the
search reads the index alone and never the source tables. ``repair`` runs from Celery beat:
it walks the index and the source tables in bounded batches (keyset by id, a cursor kept
in the cache) and mends what drifted — entries of items no longer public, public items
without an entry, notices past their take-down day. ``index_all`` is a full pass of the same
batches (``manage.py rebuild_search_index``, ``load_demo_data``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.disclosure import index_number_of
from core.workdays import local_today
from decisions.models import CatalogItem, Decision
from enforcement import masking
from enforcement.models import PublicNotice
from enforcement.publicity import live_notices
from normative_docs.models import NormativeDocument
from normative_docs.workflow import PublicStatus, normalize_number

from .models import Kind, SearchEntry
from .text import search_text, tsvector_literal

EXCERPT_LENGTH = 1000
BATCH = 500
UPDATE_FIELDS = ["title", "number", "number_normalized", "department", "department_name", "year", "status",
                 "status_label", "published_on", "url", "historical", "body_excerpt", "content", "document",
                 "visible_until", "indexed_at"]


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
    rows = CatalogItem.objects.public().select_related("catalog", "catalog__body", "lead_department")
    for item in rows.filter(pk__in=ids) if ids is not None else rows.iterator(chunk_size=BATCH):
        yield entry(kind=Kind.CATALOG_ITEM, object_id=item.pk, title=item.name,
                    body=f"{item.content}\n{item.legal_basis}", department_id=item.lead_department_id,
                    department_name=item.lead_department.name, year=item.catalog.year, status=item.status,
                    status_label=str(item.get_status_display()), published_on=item.catalog.published_on,
                    url=reverse("public:catalog-item", args=[item.catalog.year, item.pk]))


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
    rows = rows.annotate(takedown=F("takedown_on"))
    for n in rows.filter(pk__in=ids) if ids is not None else rows.iterator(chunk_size=BATCH):
        yield entry(kind=Kind.NOTICE, object_id=n["id"], title=masking.mask_text(n["title"]), visible_until=n["takedown"],
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


def public_ids(kind: str):
    """The ids of the items of ``kind`` the public may see right now (a queryset of pks)."""
    return {
        Kind.DECISION: lambda: Decision.objects.public(),
        Kind.CATALOG_ITEM: lambda: CatalogItem.objects.public(),
        Kind.NORMATIVE: lambda: NormativeDocument.objects.public(),
        Kind.NOTICE: lambda: live_notices(),
    }[kind]().values_list("pk", flat=True)


@transaction.atomic
def reindex(kind: str, ids: Iterable[int]) -> int:
    """Write the entries of the items of ``ids`` that are public and delete those of the others
    (one batch: ids are the caller's bound). Returns the number of entries written."""
    ids = list(ids)
    written: list[int] = []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        batch = list(SOURCES[kind](chunk))
        _upsert(batch)
        written.extend(row.object_id for row in batch)
    SearchEntry.objects.filter(kind=kind, object_id__in=ids).exclude(object_id__in=written).delete()
    return len(written)


# ================================================================== repairing drift (bounded batches)
#: Rows looked at per batch, and batches per kind and per walk in one ``repair`` run.
REPAIR_BATCH = 1000
REPAIR_BATCHES = 20
CURSOR_KEY = "search:repair:{walk}:{kind}"


def _ids_after(queryset, after: int, limit: int) -> list[int]:
    return list(queryset.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:limit])


def repair_sources(kind: str, *, after: int = 0, limit: int = REPAIR_BATCH) -> tuple[int, int]:
    """Public items of ``kind`` with ids after ``after`` (at most ``limit``) that have no entry get
    one. Returns (entries written, the last id looked at, or 0 at the end)."""
    ids = _ids_after(public_ids(kind), after, limit)
    if not ids:
        return 0, 0
    present = set(SearchEntry.objects.filter(kind=kind, object_id__in=ids).values_list("object_id", flat=True))
    missing = [pk for pk in ids if pk not in present]
    return (reindex(kind, missing) if missing else 0), ids[-1]


def repair_entries(*, after: int = 0, limit: int = REPAIR_BATCH) -> tuple[int, int]:
    """Entries with ids after ``after`` (at most ``limit``) whose item is no longer public, or whose
    take-down day has passed, are deleted. Returns (entries deleted, the last id looked at, or 0)."""
    rows = list(SearchEntry.objects.filter(pk__gt=after, kind__in=list(SOURCES)).order_by("pk")
                .values_list("pk", "kind", "object_id", "visible_until")[:limit])
    if not rows:
        return 0, 0
    today = local_today()
    stale: list[int] = []
    for kind in SOURCES:
        of_kind = {object_id: pk for pk, k, object_id, _until in rows if k == kind}
        if of_kind:
            public = set(public_ids(kind).filter(pk__in=list(of_kind)))
            stale.extend(pk for object_id, pk in of_kind.items() if object_id not in public)
    stale.extend(pk for pk, _k, _o, until in rows if until is not None and until < today)
    deleted = SearchEntry.objects.filter(pk__in=stale).delete()[0] if stale else 0
    return deleted, rows[-1][0]


def repair(*, batches: int = REPAIR_BATCHES) -> dict[str, int]:
    """One bounded run of the drift repair: at most ``batches`` batches of each walk, resumed
    from where the last run stopped (cursors in the cache; lost, a walk starts over)."""
    done = {"written": 0, "deleted": 0}
    for kind in SOURCES:
        key = CURSOR_KEY.format(walk="sources", kind=kind)
        after = cache.get(key, 0)
        for _ in range(batches):
            written, after = repair_sources(kind, after=after)
            done["written"] += written
            if not after:
                break
        cache.set(key, after, None)
    key = CURSOR_KEY.format(walk="entries", kind="all")
    after = cache.get(key, 0)
    for _ in range(batches):
        deleted, after = repair_entries(after=after)
        done["deleted"] += deleted
        if not after:
            break
    cache.set(key, after, None)
    return done


def index_all() -> dict[str, int]:
    """A full pass of the repair's batches over every kind, every entry refreshed; returns the
    number of entries of each kind."""
    counts = {}
    for kind in SOURCES:
        after, total = 0, 0
        while True:
            ids = _ids_after(public_ids(kind), after, REPAIR_BATCH)
            if not ids:
                break
            total += reindex(kind, ids)
            after = ids[-1]
        counts[str(kind)] = total
    after = 0
    while True:
        _deleted, after = repair_entries(after=after)
        if not after:
            break
    return counts
