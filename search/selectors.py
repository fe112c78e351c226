"""Every read of the search index. The public search checks the source tables again at query
time, so an entry written before its item was withdrawn, taken down or unpublished never
shows (nor counts) even if the periodic re-index has not run yet."""
from __future__ import annotations

import datetime as dt
import html
import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.contrib.postgres.search import SearchQueryField
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from core.workdays import local_today
from decisions.models import CatalogItem, Decision
from enforcement.publicity import live_notices
from normative_docs.models import NormativeDocument
from normative_docs.workflow import normalize_number

from .models import PUBLIC_KINDS, Kind, SearchEntry
from .text import han_runs, tsquery_literal

_NUMBER_LIKE = re.compile(r"[\[\]].*\d|\d.*[\[\]]")
SNIPPET_RADIUS = 40
#: Results counted, ranked and browsable per query (50 pages of 20); beyond it "1000+".
COUNT_CAP = 1000


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


def _matches(tsquery: str) -> Func:
    """``document @@ '<tsquery literal>'::tsquery`` (the literal is never parsed as text)."""
    return Func(F("document"), Cast(Value(tsquery), output_field=SearchQueryField()),
                template="%(expressions)s", arg_joiner=" @@ ", output_field=BooleanField())


def matching(q: str, *, kinds=PUBLIC_KINDS) -> QuerySet[SearchEntry]:
    """Entries that contain the query, or whose 文号 is the query in any bracket style. Every
    Han run of the query must occur in the entry with its characters adjacent: the GIN index
    finds the entries holding all its bigrams (乡村振兴: 乡村、村振、振兴, which may occur
    apart), and each run is checked as a substring of the stored text. The substring check
    is written first: walking the recency index, PostgreSQL evaluates the cheaper inline
    text before the vector (often stored out of line). An empty query matches nothing."""
    tsquery = tsquery_literal(q)
    entries = SearchEntry.objects.filter(kind__in=kinds)
    if not tsquery:
        return entries.none()
    condition = Q()
    for run in han_runs(q):
        condition &= Q(content__contains=run)
    condition &= Q(_matches(tsquery))
    number = normalize_number(q.strip())
    if _NUMBER_LIKE.search(number):
        condition |= Q(number_normalized=number)
    return entries.filter(condition)


def ranked(entries: QuerySet[SearchEntry], q: str) -> QuerySet[SearchEntry]:
    """``entries`` annotated with ``rank`` (title and 文号 weigh more than the text)."""
    tsquery = Cast(Value(tsquery_literal(q) or ""), output_field=SearchQueryField())
    return entries.annotate(rank=Func(F("document"), tsquery, function="ts_rank", output_field=FloatField()))


def public_matching(params: SearchParams, *, kinds=PUBLIC_KINDS, guard: bool = True) -> QuerySet[SearchEntry]:
    """Entries matching the query and every filter but ``kind`` (for the counts per kind);
    with ``guard`` (always, but for the benchmark's generated rows) only those whose item
    is public right now."""
    entries = matching(params.q, kinds=kinds)
    if guard:
        entries = entries.filter(still_public())
    if params.year:
        entries = entries.filter(year=params.year)
    if params.department:
        entries = entries.filter(department_id=params.department)
    if params.status:
        entries = entries.filter(status=params.status)
    return entries


def capped_counts(entries: QuerySet[SearchEntry], kinds=PUBLIC_KINDS) -> dict[str, int]:
    """The number of ``entries`` of each kind, counted up to ``COUNT_CAP + 1`` (a value above
    ``COUNT_CAP`` means "more than ``COUNT_CAP``"): one query, never a count of a huge set."""
    parts, params = [], []
    for kind in kinds:
        try:
            sql, sql_params = entries.filter(kind=kind).order_by().values("pk")[:COUNT_CAP + 1].query.sql_with_params()
        except EmptyResultSet:  # an empty query
            parts.append("0")
            continue
        parts.append(f"(SELECT count(*) FROM ({sql}) AS capped)")
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return {str(kind): n for kind, n in zip(kinds, row)}


def browsable(counts: dict[str, int], kind: str = "") -> int:
    """How many results can be paged through: the count (of ``kind``), at most ``COUNT_CAP``."""
    return min(counts.get(kind, 0) if kind else sum(counts.values()), COUNT_CAP)


def search(params: SearchParams, *, kinds=PUBLIC_KINDS, guard: bool = True
           ) -> tuple[QuerySet[SearchEntry], dict[str, int]]:
    """The results, best first, and the capped number of public results of each kind.

    Ranking every match of a common term is what made it slow, so the results are the
    ``COUNT_CAP`` newest matches, ranked among themselves (while a query has at most
    ``COUNT_CAP`` matches this is the full ranking); see ``newest_ids``. The counts come from
    those ids unless they are capped across several kinds or a kind filter hides the other
    kinds (``capped_counts``). The page itself ranks those ids only. At most four queries."""
    entries = public_matching(params, kinds=kinds, guard=guard)
    shown = entries.filter(kind=params.kind) if params.kind in kinds else entries
    newest = newest_ids(shown, params.q)
    if params.kind in kinds or (len(newest) > COUNT_CAP and len(kinds) > 1):
        counts = capped_counts(entries, kinds)
    else:
        counts = {str(kind): 0 for kind in kinds}
        for _pk, kind in newest:
            counts[kind] += 1
    ids = [pk for pk, _kind in newest[:COUNT_CAP]]
    results = ranked(SearchEntry.objects.filter(pk__in=ids), params.q).defer("document", "content")
    return results.order_by("-rank", *NEWEST_FIRST), counts


#: The first look is at entries published in the last year.
RECENT_DAYS = 365
#: The order of ``search_entry_recent_idx``: entries without a date come last.
NEWEST_FIRST = (F("published_on").desc(nulls_last=True), F("id").desc())


def newest_ids(entries: QuerySet[SearchEntry], q: str) -> list[tuple[int, str]]:
    """(id, kind) of the ``COUNT_CAP + 1`` newest of ``entries``, newest first.

    First among the entries of the last year: when that holds ``COUNT_CAP + 1`` matches they
    are the newest overall, and the planner fetches the year's matches through the GIN and
    recency indexes together, never every match of the years before. Otherwise the same
    over all entries (then the query has few matches and the GIN index finds them). A
    common query walks the recency index instead and stops after ``COUNT_CAP + 1`` matches
    (``PLANNER_SETTINGS``). ``work_mem`` is raised for the transaction so that the bitmap of
    a common term stays exact (4 MB makes it lossy: every row of a page rechecked)."""
    ordered = entries.order_by(*NEWEST_FIRST).values_list("pk", "kind")
    recent = Q(published_on__gte=local_today() - dt.timedelta(days=RECENT_DAYS))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(PLANNER_SETTINGS, [COMMON_SHARE, query_bigrams(q)])
        for query in (ordered.filter(recent), ordered):
            newest = list(query[:COUNT_CAP + 1])
            if len(newest) > COUNT_CAP:
                break
    return newest


#: A query whose every bigram is in this share of the entries is "common".
COMMON_SHARE = 0.10

#: One statement, for the search's transaction only. A query is common when every bigram of
#: its Han runs is in at least ``COMMON_SHARE`` of the entries (ANALYZE's most common elements
#: of the vector). Its newest matches are then found by walking the recency index for a few
#: thousand rows, so bitmap and sequential scans are switched off: the planner does not see
#: this for a phrase, as it multiplies the shares of its bigrams as if they were independent
#: (合法、法性、性审、审查 are not), expects a handful of rows, and fetches all of them
#: through the GIN index (460,000 of a million) or reads the whole table.
PLANNER_SETTINGS = """
WITH shares AS (
    SELECT e.lexeme, e.share
    FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lexeme, share)
    WHERE s.tablename = 'search_searchentry' AND s.attname = 'document'
), common AS (
    SELECT coalesce(bool_and(coalesce(shares.share, 0) >= %s), false) AS yes
    FROM unnest(%s::text[]) AS b(lexeme) LEFT JOIN shares USING (lexeme)
)
SELECT set_config('work_mem', '64MB', true),
       set_config('enable_bitmapscan', CASE WHEN yes THEN 'off' ELSE 'on' END, true),
       set_config('enable_seqscan', CASE WHEN yes THEN 'off' ELSE 'on' END, true)
FROM common
"""


def query_bigrams(q: str) -> list[str]:
    """The bigrams of the Han runs of ``q`` that decide whether it is common (none for a 文号)."""
    if _NUMBER_LIKE.search(normalize_number(q.strip())):
        return []
    return list(dict.fromkeys(run[i:i + 2] for run in han_runs(q) for i in range(len(run) - 1)))


class CountedPaginator(Paginator):
    """A paginator told its count (``browsable``), so paging runs no COUNT query."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


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
