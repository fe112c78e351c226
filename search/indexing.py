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
without an entry, notices past their take-down day. ``index_all`` (``manage.py
rebuild_search_index``, ``generate_scale_data --index``, ``load_demo_data``) is the full build: the
public rows of each kind read in batches of consecutive ids, each batch's entries built by the same code as
``reindex`` (``SOURCES``) and written with ``COPY`` by a writer thread while the next is built,
then one anti-join deletes what is no longer public.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from core import pagecache
from core.disclosure import index_number_of
from core.workdays import local_today
from decisions.models import CatalogItem, Decision
from enforcement import masking
from enforcement.models import PublicNotice
from enforcement.publicity import live_notices
from normative_docs.models import NormativeDocument
from normative_docs.workflow import PublicStatus, normalize_number

from .models import Kind, SearchEntry
from .text import filter_lexemes, search_text, tsvector_literal

EXCERPT_LENGTH = 1000
BATCH = 500
UPDATE_FIELDS = ["title", "number", "number_normalized", "department", "department_name", "year", "status",
                 "status_label", "published_on", "url", "historical", "body_excerpt", "content", "document",
                 "visible_until", "indexed_at"]


def _literal(title: str, number: str, body: str, published_on: dt.date | None, filters: list[str] = ()) -> str:
    return tsvector_literal((title, "A"), (number, "A"), (body, "B"), published_on=published_on, filters=filters)


def values(*, kind: str, object_id: int, title: str, number: str = "", body: str = "",
           published_on: dt.date | None = None, **fields) -> dict:
    """The columns of an entry, its vector as a ``tsvector`` literal (``document``, with the lexemes
    of its kind, year, department and status: ``filter_lexemes``): what both the entry of one item
    (``entry``) and the bulk build (``index_all``) write."""
    filters = filter_lexemes(kind=kind, year=fields.get("year"), department_id=fields.get("department_id"),
                             status=fields.get("status", ""))
    return {"kind": kind, "object_id": object_id, "title": title[:300], "number": number[:60],
            "number_normalized": normalize_number(number)[:60], "body_excerpt": body[:EXCERPT_LENGTH],
            "content": search_text(title, number, body), "published_on": published_on,
            "document": _literal(title, number, body, published_on, filters), **fields}


def entry(**fields) -> SearchEntry:
    columns = values(**fields)
    columns["document"] = Cast(Value(columns["document"]), output_field=SearchVectorField())
    return SearchEntry(**columns)


# ================================================================== the public rows of each kind
class _Context:
    """What is the same for every row of a batch, worked out once: the choice labels (in the
    active language, as ``get_FOO_display``) and the shape of each public URL (``reverse`` of
    placeholder ids, the ids put in by string replacement)."""

    PLACEHOLDERS = (987654321, 987654322)

    def __init__(self):
        self._labels: dict = {}
        self._urls: dict = {}

    def label(self, model, field: str, value):
        key = (model, field)
        if key not in self._labels:
            self._labels[key] = {str(choice): str(label) for choice, label in model._meta.get_field(field).flatchoices}
        return self._labels[key].get(value, value)

    def url(self, name: str, *args) -> str:
        if name not in self._urls:
            self._urls[name] = reverse(name, args=self.PLACEHOLDERS[:len(args)])
        url = self._urls[name]
        for placeholder, arg in zip(self.PLACEHOLDERS, args, strict=False):
            url = url.replace(str(placeholder), str(arg), 1)
        return url


def _decision_rows():
    return Decision.objects.public().select_related("department").only(
        "id", "title", "summary", "draft_text", "year", "status", "published_at", "document_number",
        "department__name").annotate(index_number=index_number_of(Decision))


def _decision(d, context: _Context) -> dict:
    return values(kind=Kind.DECISION, object_id=d.pk, title=d.title, number=d.document_number,
                  body=f"{d.summary}\n{d.draft_text}\n{d.index_number or ''}", department_id=d.department_id,
                  department_name=d.department.name, year=d.year, status=d.status,
                  status_label=context.label(Decision, "status", d.status),
                  published_on=timezone.localdate(d.published_at),
                  url=context.url("public:decision-detail", d.pk))


def _catalog_item_rows():
    return CatalogItem.objects.public().select_related("catalog", "catalog__body", "lead_department")


def _catalog_item(item, context: _Context) -> dict:
    return values(kind=Kind.CATALOG_ITEM, object_id=item.pk, title=item.name,
                  body=f"{item.content}\n{item.legal_basis}", department_id=item.lead_department_id,
                  department_name=item.lead_department.name, year=item.catalog.year, status=item.status,
                  status_label=context.label(CatalogItem, "status", item.status),
                  published_on=item.catalog.published_on,
                  url=context.url("public:catalog-item", item.catalog.year, item.pk))


def _normative_rows():
    return NormativeDocument.objects.public().select_related("issuer").annotate(
        index_number=index_number_of(NormativeDocument))


def _normative(doc, context: _Context) -> dict:
    status = doc.public_status() or ""
    return values(kind=Kind.NORMATIVE, object_id=doc.pk, title=doc.title, number=doc.number,
                  body=f"{doc.body}\n{doc.interpretation}\n{doc.index_number or ''}", department_id=doc.issuer_id,
                  department_name=doc.issuer.name, year=doc.published_on.year, status=status,
                  status_label=str(PublicStatus(status).label) if status else "",
                  published_on=doc.published_on, url=context.url("library:detail", doc.pk),
                  historical=doc.is_historical)


def _notice_rows():
    # Masked columns of the notice only; the body is the one column read through ``case``.
    return live_notices().annotate(index_number=index_number_of(PublicNotice), takedown=F("takedown_on")).values(
        "id", "title", "body_name", "decision_number", "party_masked", "content", "published_on", "case__body_id",
        "index_number", "takedown")


def _notice(n, context: _Context) -> dict:
    return values(kind=Kind.NOTICE, object_id=n["id"], title=masking.mask_text(n["title"]),
                  visible_until=n["takedown"], number=n["decision_number"],
                  body=masking.mask_text(f"{n['party_masked']}\n{n['content']}\n{n['index_number'] or ''}"),
                  department_id=n["case__body_id"], department_name=n["body_name"],
                  year=n["published_on"].year, status="live", status_label=gettext_noop("公示中"),  # stored in Chinese, translated when shown
                  published_on=n["published_on"],
                  url=context.url("enforcement_public:notice-detail", n["id"]))


#: Each kind: the public rows (the same querysets as the public pages) and an entry's columns from one row.
SOURCES = {Kind.DECISION: (_decision_rows, _decision), Kind.CATALOG_ITEM: (_catalog_item_rows, _catalog_item),
           Kind.NORMATIVE: (_normative_rows, _normative), Kind.NOTICE: (_notice_rows, _notice)}


def _entries(kind: str, ids: list[int]) -> Iterator[SearchEntry]:
    rows, columns = SOURCES[kind]
    context = _Context()
    for row in rows().filter(pk__in=ids):
        yield entry(**columns(row, context))


# ================================================================== writing
def _upsert(entries: list[SearchEntry]) -> None:
    if entries:
        SearchEntry.objects.bulk_create(entries, update_conflicts=True, unique_fields=["kind", "object_id"],
                                        update_fields=UPDATE_FIELDS)


def _public(kind: str):
    """The public items of ``kind`` (the querysets of the public pages)."""
    return {
        Kind.DECISION: lambda: Decision.objects.public(),
        Kind.CATALOG_ITEM: lambda: CatalogItem.objects.public(),
        Kind.NORMATIVE: lambda: NormativeDocument.objects.public(),
        Kind.NOTICE: lambda: live_notices(),
    }[kind]()


def public_ids(kind: str):
    """The ids of the items of ``kind`` the public may see right now (a queryset of pks)."""
    return _public(kind).values_list("pk", flat=True)


@transaction.atomic
def reindex(kind: str, ids: Iterable[int]) -> int:
    """Write the entries of the items of ``ids`` that are public and delete those of the others
    (one batch: ids are the caller's bound). Returns the number of entries written."""
    ids = list(ids)
    written: list[int] = []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        batch = list(_entries(kind, chunk))
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


# ================================================================== the full build (set-based)
#: Rows read, built and written per statement by the full build.
BULK_BATCH = 2000
#: The columns the full build writes (every column of an entry but its id).
BULK_COLUMNS = ("kind", "object_id", "title", "number", "number_normalized", "department_id", "department_name",
                "year", "status", "status_label", "published_on", "url", "historical", "visible_until",
                "body_excerpt", "content", "document", "indexed_at")
_STAGING = "search_bulk_entries"


def _copy_text(value) -> str:
    """One value in the text format of ``COPY``."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _defaults() -> dict:
    fields = {field.attname: field for field in SearchEntry._meta.concrete_fields}
    return {column: fields[column].get_default() for column in BULK_COLUMNS}


def _copy_lines(rows: Iterable[dict], defaults: dict) -> str:
    """``rows`` (``values`` of entries) in the text format of ``COPY``, one line each."""
    return "".join("\t".join(_copy_text(row.get(column, defaults[column])) for column in BULK_COLUMNS) + "\n"
                   for row in rows)


def _bulk_write(lines: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Write the entries of ``lines`` (``_copy_lines``) in one transaction of two statements:
    ``COPY`` into a temporary table, then one ``INSERT … SELECT … ON CONFLICT DO UPDATE`` (an entry
    already there is replaced)."""
    columns = ", ".join(BULK_COLUMNS)
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in BULK_COLUMNS[2:])
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGING} ON COMMIT DELETE ROWS AS "
                       f"SELECT {columns} FROM search_searchentry WITH NO DATA")
        cursor.execute(f"TRUNCATE {_STAGING}")  # the caller's transaction may hold an earlier batch's
        cursor.copy_expert(f"COPY {_STAGING} ({columns}) FROM STDIN", io.StringIO(lines))
        cursor.execute(f"INSERT INTO search_searchentry ({columns}) SELECT {columns} FROM {_STAGING} "
                       f"ON CONFLICT (kind, object_id) DO UPDATE SET {updates}")


class _Writer:
    """Writes batches (``_bulk_write``) while the next is built. Outside a transaction a thread of
    its own writes them on its own connection, one batch at a time, so that PostgreSQL stores a
    batch while Python builds the next; inside one (a caller's transaction, a test) they are
    written at once on the caller's connection, in its transaction."""

    def __init__(self):
        self.pool = None if connection.in_atomic_block else ThreadPoolExecutor(1, thread_name_prefix="search-build")
        self.pending: Future | None = None

    def write(self, lines: str) -> None:
        if self.pool is None:
            _bulk_write(lines)
            return
        self.wait()
        self.pending = self.pool.submit(_bulk_write, lines)

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # the writer's error, if any, raised here

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            try:
                if exc[0] is None:
                    self.wait()
            finally:
                self.pool.submit(connections.close_all).result()  # the writer thread's connection
                self.pool.shutdown()


def build(kind: str, *, batch: int = BULK_BATCH) -> int:
    """Write the entry of every public item of ``kind``: the public rows read in batches of ``batch``
    consecutive ids (a range of the primary key, never ``ORDER BY … LIMIT``: with a join, as for the
    catalog items' publication, the planner joins and sorts every row for each batch), each batch's
    entries built with the same code as ``reindex`` (``SOURCES``) and written with ``COPY``
    (``_bulk_write``, one transaction a batch, while the next is built). Then the entries of that
    kind whose item is not public, or past its take-down day, are deleted (``NOT EXISTS``: one
    anti-join, never ``NOT IN``). Returns the number of entries written."""
    rows, columns = SOURCES[kind]
    defaults, context = _defaults(), _Context()
    last = rows().model.objects.aggregate(last=Max("pk"))["last"] or 0
    written = 0
    with _Writer() as writer:
        for after in range(0, last, batch):
            chunk = list(rows().filter(pk__gt=after, pk__lte=after + batch).order_by("pk"))
            if not chunk:
                continue
            now = timezone.now()
            built = [{**columns(row, context), "indexed_at": now} for row in chunk]
            writer.write(_copy_lines(built, defaults))
            written += len(built)
    gone = ~Exists(_public(kind).filter(pk=OuterRef("object_id")))
    with transaction.atomic(), connection.cursor() as cursor:
        _no_time_limit(cursor)
        SearchEntry.objects.filter(Q(kind=kind) & (gone | Q(visible_until__lt=local_today()))).delete()
    return written


def index_all() -> dict[str, int]:
    """The full build: every public item of every kind written again (``build``), the entries of
    items no longer public deleted; returns the number of entries of each kind. Public pages
    cached before it are no longer served (``pagecache.invalidate``)."""
    counts = {str(kind): build(kind) for kind in SOURCES}
    pagecache.invalidate()
    return counts


def analyze() -> None:
    """ANALYZE the index: the search sizes its date windows from these statistics."""
    with transaction.atomic(), connection.cursor() as cursor:
        _no_time_limit(cursor)
        cursor.execute("ANALYZE search_searchentry")


def cluster_by_publication() -> None:
    """Order the table's rows by publication day (``CLUSTER`` on ``search_entry_recent_idx``), as an
    index filled item by item, on each publication, already is: a search's date window then reads
    neighbouring rows, not one table page per row. The full build writes kind after kind, and the
    rows of a window end up spread over the whole table (at 1,000,000 entries, ``?q=湖州`` 51 → 18 ms).
    ``CLUSTER`` rewrites the table and locks it while it runs (95 s at 1,000,000 entries): for a new
    index, never on a live site."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # inside a transaction: its deferred checks first
        _no_time_limit(cursor)
        cursor.execute("CLUSTER search_searchentry USING search_entry_recent_idx")


def _no_time_limit(cursor) -> None:
    """No ``statement_timeout``/``lock_timeout`` for the rest of this transaction: a request's limits,
    not a build's (a million rows take longer)."""
    cursor.execute("SET LOCAL statement_timeout = 0")
    cursor.execute("SET LOCAL lock_timeout = 0")
