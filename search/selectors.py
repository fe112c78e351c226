"""Every read of the search index. The public search checks the source tables again at query
time, so an entry written before its item was withdrawn, taken down or unpublished never
shows (nor counts) even if the periodic re-index has not run yet."""
from __future__ import annotations

import html
import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.db.models import BooleanField, Count, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from decisions.models import CatalogItem, Decision
from enforcement.publicity import live_notices
from normative_docs.models import NormativeDocument
from normative_docs.workflow import normalize_number

from .models import PUBLIC_KINDS, Kind, SearchEntry
from .text import tsquery_literal

_NUMBER_LIKE = re.compile(r"[\[\]].*\d|\d.*[\[\]]")
SNIPPET_RADIUS = 40


@dataclass
class SearchParams:
    q: str = ""
    kind: str = ""
    year: int | None = None
    department: int | None = None
    status: str = ""


def public_ids(kind: str) -> QuerySet:
    """The ids of the items of ``kind`` the public may see right now (a subquery)."""
    return {
        Kind.DECISION: lambda: Decision.objects.public(),
        Kind.CATALOG_ITEM: lambda: CatalogItem.objects.public(),
        Kind.NORMATIVE: lambda: NormativeDocument.objects.public(),
        Kind.NOTICE: lambda: live_notices(),
    }[kind]().values("pk")


def still_public() -> Q:
    """The second guard: the item behind an entry is public right now."""
    return reduce(operator.or_, (Q(kind=kind, object_id__in=public_ids(kind)) for kind in PUBLIC_KINDS))


def matching(q: str, *, kinds=PUBLIC_KINDS) -> QuerySet[SearchEntry]:
    """Entries that contain the query (every bigram of it), or whose 文号 is the query in any
    bracket style; annotated with ``rank``. An empty query matches nothing."""
    tsquery = tsquery_literal(q)
    entries = SearchEntry.objects.filter(kind__in=kinds)
    if not tsquery:
        return entries.none()
    condition = Q(RawSQL("search_searchentry.document @@ %s::tsquery", [tsquery], output_field=BooleanField()))
    number = normalize_number(q.strip())
    if _NUMBER_LIKE.search(number):
        condition |= Q(number_normalized=number)
    return entries.filter(condition).annotate(
        rank=RawSQL("ts_rank(search_searchentry.document, %s::tsquery)", [tsquery], output_field=FloatField()))


def public_matching(params: SearchParams) -> QuerySet[SearchEntry]:
    """Public entries matching the query and every filter but ``kind`` (for the counts per kind)."""
    entries = matching(params.q).filter(still_public())
    if params.year:
        entries = entries.filter(year=params.year)
    if params.department:
        entries = entries.filter(department_id=params.department)
    if params.status:
        entries = entries.filter(status=params.status)
    return entries


def search(params: SearchParams) -> tuple[QuerySet[SearchEntry], dict[str, int]]:
    """The results (best first) and the number of public results of each kind."""
    entries = public_matching(params)
    counts = entries.aggregate(**{str(kind): Count("pk", filter=Q(kind=kind)) for kind in PUBLIC_KINDS})
    if params.kind in PUBLIC_KINDS:
        entries = entries.filter(kind=params.kind)
    results = entries.defer("document").order_by("-rank", "-published_on", "-id")
    return results, counts


def facets() -> dict[str, list]:
    """Filter choices: years, departments and statuses present in the public index."""
    public = SearchEntry.objects.filter(kind__in=PUBLIC_KINDS).filter(still_public())
    return {
        "years": list(public.exclude(year=None).order_by("-year").values_list("year", flat=True).distinct()),
        "departments": list(public.exclude(department=None).order_by("department_name")
                            .values_list("department_id", "department_name").distinct()),
        "statuses": list(public.exclude(status="").order_by("status_label")
                         .values_list("status", "status_label").distinct()),
    }


# ================================================================== highlighting
def highlight(text: str, q: str) -> SafeString:
    """``text`` HTML-escaped, each occurrence of the query (or of each of its words) in <mark>."""
    terms = sorted({t for t in q.split() if t}, key=len, reverse=True)
    if not text or not terms:
        return mark_safe(html.escape(text or ""))
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        out.append(f"<mark>{html.escape(m.group())}</mark>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text: str, q: str, radius: int = SNIPPET_RADIUS) -> SafeString:
    """The part of ``text`` around the first occurrence of the query, highlighted."""
    text = " ".join((text or "").split())
    terms = [t for t in q.split() if t]
    lowered = text.lower()
    hits = [i for i in (lowered.find(t.lower()) for t in terms) if i >= 0]
    start = max(min(hits) - radius, 0) if hits else 0
    end = min(start + 2 * radius + max((len(t) for t in terms), default=0), len(text))
    piece = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return highlight(piece, q)
