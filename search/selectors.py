"""Every read of the search index. The index holds public items only: an entry is written or
deleted on commit of each change of its item (``search.sync``), an enforcement notice's entry
says its take-down day (``visible_until``), so the search reads the index alone and never
checks a hit against the source tables (decision record 0023)."""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQueryField
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop

from core.dbrouter import read_alias
from core.models import Department
from core.pagecache import generation
from core.workdays import local_today
from decisions.models import CatalogItem
from decisions.workflow import PUBLISHED_STATES as DECISION_PUBLISHED_STATES
from normative_docs.workflow import PublicStatus, number_query

from .models import NON_PUBLIC_KINDS, PUBLIC_KINDS, SearchEntry
from .text import (
    COMMON_SHARE,
    ENTRY_YEAR,
    KIND,
    Shares,
    coarse_start,
    common_share,
    filter_lexemes,
    lookup,
    narrowed,
    query_words,
    since_lexemes,
    token_share,
    tsquery_literal,
    tsquery_tokens,
    within,
)

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


def visible_today() -> Q:
    """Entries public today: those without a last day, and those not past it."""
    return Q(visible_until__isnull=True) | Q(visible_until__gte=local_today())


def _matches(tsquery: str) -> Func:
    """``document @@ '<tsquery literal>'::tsquery`` (the literal is never parsed as text)."""
    return Func(F("document"), Cast(Value(tsquery), output_field=SearchQueryField()),
                template="%(expressions)s", arg_joiner=" @@ ", output_field=BooleanField())


def of_kinds(kinds: Sequence[str]) -> Q:
    """Entries of these kinds. Every public kind is asked as "none of the others", which no index answers:
    as ``kind IN (…)`` PostgreSQL ANDed the GIN bitmap of a window with the bitmap of the kind index over
    every entry (at 1,000,000 entries, 营商环境 41 ms instead of 8)."""
    if set(kinds) == set(PUBLIC_KINDS):
        return ~Q(kind__in=NON_PUBLIC_KINDS)
    return Q(kind__in=kinds)


def matching(q: str, *, kinds=PUBLIC_KINDS, since: dt.date | None = None, shares: Shares | None = None,
             check_runs: bool = True, filters: list[str] = (), columns: Q | None = None,
             common: float = COMMON_SHARE) -> QuerySet[SearchEntry]:
    """Entries that contain the query — or, for a 文号 (``number_query``: any bracket style,
    stray spaces), the entries with that number alone, never a longer serial or another year; with
    ``since``, only those published on or after that day. Every Han run of the query must
    occur in the entry with its characters adjacent: the GIN index finds the entries holding
    its bigrams (乡村振兴: 乡村、村振、振兴, which may occur apart), and each run of three or
    more characters is checked as a substring of the stored text (two characters are one
    bigram, exact). The publication day is asked of the same GIN index (``since_lexemes``),
    so that it reads only the matches of those days. With the index's ``shares`` the index
    is asked for fewer tokens and the stored text checked instead (``text.lookup``, with
    ``common``). Without ``check_runs`` the substring checks are left to the caller (``newest_ids``).

    Filters: the ``filters`` lexemes (``text.filter_lexemes``: a kind, year, department or status)
    are asked of the same GIN index, and the columns of the row are not checked again (PostgreSQL
    would AND the GIN bitmap with a bitmap of a column's index, every entry of that kind or year:
    slower than the GIN index alone); a 文号, found by its number, is filtered by ``columns``, the
    same filters on the columns. One public kind named in ``filters`` is checked as such. An
    empty query matches nothing."""
    number = number_query(q)
    if number is not None:  # a 文号 matches that number only, never a text that resembles it
        by_number = number.condition() & (columns or Q())
        return SearchEntry.objects.filter(of_kinds(kinds)).filter(
            by_number & Q(published_on__gte=since) if since is not None else by_number)
    in_index = len(kinds) == 1 and f"{KIND}{kinds[0]}" in filters
    entries = SearchEntry.objects.filter(of_kinds(PUBLIC_KINDS if in_index else kinds))
    if not tsquery_literal(q):
        return entries.none()
    plan = lookup(q, shares, windowed=since is not None, common=common)
    tsquery = narrowed(plan.tsquery(), filters)
    if since is not None:
        tsquery = within(tsquery, since_lexemes(since, local_today()))
    condition = Q()
    for run in plan.runs if check_runs else ():
        condition &= Q(content__contains=run)
    condition &= Q(_matches(tsquery))
    return entries.filter(condition)


def narrowing(params: SearchParams, kind: str = "") -> list[str]:
    """The lexemes of the search's year, department and status filters, and of ``kind`` (the kind
    searched alone), asked of the GIN index with the query (``text.filter_lexemes``)."""
    return filter_lexemes(kind=kind, year=params.year, department_id=params.department, status=params.status)


def public_matching(params: SearchParams, *, kinds=PUBLIC_KINDS, **options) -> QuerySet[SearchEntry]:
    """Entries matching the query and every filter but ``kind`` (for the counts per kind), public
    today; one public kind alone is asked of the index too (``narrowing``, ``matching``).
    ``options`` go to ``matching``."""
    kind = kinds[0] if len(kinds) == 1 and kinds[0] in PUBLIC_KINDS else ""
    columns = Q()
    if params.year:
        columns &= Q(year=params.year)
    if params.department:
        columns &= Q(department_id=params.department)
    if params.status:
        columns &= Q(status=params.status)
    return matching(params.q, kinds=kinds, filters=narrowing(params, kind), columns=columns,
                    **options).filter(visible_today())


def browsable(counts: dict[str, int], kind: str = "") -> int:
    """How many results can be paged through: the count (of ``kind``), at most ``COUNT_CAP``."""
    return min(counts.get(kind, 0) if kind else sum(counts.values()), COUNT_CAP)


class Counts(dict):
    """The number of results of each kind. Counted among the newest ``COUNT_CAP + 1`` matches of
    all kinds (the search's window, never a count of a huge set): when there are more (``windowed``),
    each kind's number is its share of the newest, and the kind shown, when filtered, is counted
    up to ``COUNT_CAP + 1`` on its own (a value above ``COUNT_CAP`` means "more")."""

    def __init__(self, counts: dict[str, int], windowed: bool = False):
        super().__init__(counts)
        self.windowed = windowed


#: Seconds the counts by kind of a query are kept, so that choosing a kind filter after a search asks
#: the index once (the key holds the page cache's generation: a publication ends them).
COUNTS_SECONDS = 300


def _counts_key(params: SearchParams, kinds) -> str:
    raw = "|".join(map(str, (params.q, params.year, params.department, params.status, *kinds)))
    return f"search:counts:{generation()}:{local_today()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def search(params: SearchParams, *, kinds=PUBLIC_KINDS, **_ignored) -> tuple[RankedResults, Counts]:
    """The results, best first, and the number of results of each kind (``Counts``).

    The results are the ``COUNT_CAP`` newest matches (``newest_ids``), those whose title or
    文号 holds the query first, then the others, each newest first. While a query has at most
    ``COUNT_CAP`` matches these are all of them. The counts by kind come from the newest matches
    of all kinds; a kind filter narrows those, or, when they are capped, asks for the newest of
    that kind alone (a second bounded search; the first is skipped when the same query's counts
    were found a moment before, ``COUNTS_SECONDS``). A page of the results reads its own rows only."""
    def of_kinds(only=kinds):
        return lambda **options: public_matching(params, kinds=only, **options)

    # a year's entries are published in that year, mostly: its windows end with the year
    until = dt.date(params.year, 12, 31) if params.year else None

    key = _counts_key(params, kinds)
    known = cache.get(key) if params.kind in kinds else None
    if known is not None and known[1]:  # the counts of all kinds, windowed, from this query a moment ago
        newest = newest_ids(of_kinds((params.kind,)), params.q, narrowed=narrowing(params, params.kind), until=until)
        counts = Counts({**known[0], params.kind: len(newest)}, windowed=True)
        best_first = sorted(newest[:COUNT_CAP], key=lambda row: not row[2])
        return RankedResults([pk for pk, _kind, _in_title in best_first]), counts
    everything = newest_ids(of_kinds(), params.q, narrowed=narrowing(params), until=until)
    counts = Counts({str(kind): 0 for kind in kinds}, windowed=len(everything) > COUNT_CAP)
    for _pk, kind, _in_title in everything:
        counts[kind] += 1
    cache.set(key, (dict(counts), counts.windowed), COUNTS_SECONDS)
    newest = everything
    if params.kind in kinds:
        if counts.windowed:
            newest = newest_ids(of_kinds((params.kind,)), params.q, narrowed=narrowing(params, params.kind),
                                until=until)
            counts[params.kind] = len(newest)
        else:
            newest = [row for row in everything if row[1] == params.kind]
    best_first = sorted(newest[:COUNT_CAP], key=lambda row: not row[2])  # stable: newest first within each
    return RankedResults([pk for pk, _kind, _in_title in best_first]), counts


def in_title(q: str) -> ExpressionWrapper:
    """True when the title or the 文号 holds every word of the query (or the 文号 is the
    query in another bracket style): columns of the row itself, never the text."""
    if number_query(q) is not None:
        return Value(True)  # a 文号 query matches by the number alone
    hit = Q()
    for word in query_words(q):
        hit &= Q(title__icontains=word) | Q(number__icontains=word)
    return ExpressionWrapper(hit, output_field=BooleanField()) if hit else Value(False)


class RankedResults(Sequence):
    """The ids of the results in their order; a slice (a page) reads its own rows only, in
    one query, without the stored text and vector."""

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            ids = self.ids[index]
            rows = SearchEntry.objects.defer("document", "content").in_bulk(ids)
            return [rows[pk] for pk in ids if pk in rows]
        return SearchEntry.objects.defer("document", "content").get(pk=self.ids[index])

    def __iter__(self):
        return iter(self[:])


#: The order of ``search_entry_recent_idx``: entries without a date come last.
NEWEST_FIRST = (F("published_on").desc(nulls_last=True), F("id").desc())
#: A window is chosen to hold about this many times the matches looked for.
WINDOW_MARGIN = 1.5
#: Windows looked at before all entries are; a window longer than ``WIDEST_WINDOW`` days is
#: not looked at (all entries are, at once).
MAX_WINDOWS = 3
WIDEST_WINDOW = 3 * 365
#: With fewer entries than this, all of them are looked at at once.
SMALL_INDEX = 5000


def newest_ids(matches: Callable[..., QuerySet[SearchEntry]], q: str, *, wanted: int | None = None,
               floor: dt.date | None = None, narrowed: list[str] = (),
               until: dt.date | None = None) -> list[tuple[int, str, bool]]:
    """(id, kind, query in the title) of the ``wanted`` (``COUNT_CAP + 1``) newest entries of
    ``matches()``, newest first. ``floor``: ``matches`` holds no entry published before that
    day (a digest's range), so a window reaching it is the last. ``narrowed``: the filter lexemes
    ``matches`` asks the index for (their shares size the windows, a year's excepted); ``until``:
    the matches are mostly published up to that day (a year filter's last day), so the windows
    are counted back from it (each window still holds every match published since its first day,
    later ones included).

    Fetching every match of a term in 15 % of a million entries and sorting them is what is
    slow: each match is a row read from the table. So the newest matches are first looked
    for among the entries published in the last few days (``matches(since=…)``: the GIN
    index holds the publication day, month and year of each entry and reads only the
    matches of those days). The window is chosen from the share of the entries holding the
    query's rarest token (ANALYZE's most common elements of the vector) and the number of
    entries per day, to hold about ``WINDOW_MARGIN`` times the matches needed; when it holds
    fewer, the next window is chosen from the matches it had, and after ``MAX_WINDOWS`` all
    entries are looked at (then the query has few matches). When a window holds more than
    ``COUNT_CAP`` matches they are the newest overall. ``work_mem`` is raised for the
    transaction so that bitmaps stay exact, and plain index and sequential scans are
    switched off: the planner would otherwise walk the recency index reading the vector of
    every row, or the whole table, when it misjudges a phrase's share."""
    title_hit = in_title(q)
    number_like = number_query(q) is not None

    def newest(since: dt.date | None) -> list[tuple[int, str, bool]]:
        # the window's rows (the filters' shares of its entries): a word more common than they
        # make worth it is checked in the rows rather than decoded from the index
        common = (common_share(statistics.entries_between(since, today) * narrowing_share, statistics.entries)
                  if since is not None else COMMON_SHARE)
        runs = [] if number_like else lookup(q, statistics.shares, windowed=since is not None, common=common).runs
        rows = (matches(since=since, shares=statistics.shares, check_runs=not runs, common=common)
                .annotate(in_title=title_hit).order_by(*NEWEST_FIRST))
        if not runs:
            return list(rows.values_list("pk", "kind", "in_title")[:wanted])
        return newest_holding(rows, runs, wanted)

    wanted = wanted or COUNT_CAP + 1
    statistics = index_statistics()
    share = statistics.share(q)
    narrowing_share = 1.0  # as if independent of the query; a year is where the windows end
    for lexeme in narrowed:
        if not lexeme.startswith(ENTRY_YEAR):
            narrowing_share *= token_share(statistics.shares, lexeme) if statistics.shares else 1.0
    share = share and share * narrowing_share
    today = min(local_today(), until) if until else local_today()
    days = first_window(wanted, share, statistics, today)
    with transaction.atomic(using=read_alias()):  # the public read's database (a replica, if any)
        with connections[read_alias()].cursor() as cursor:
            cursor.execute(PLANNER_SETTINGS)
        for _ in range(MAX_WINDOWS):
            if days is None or days > WIDEST_WINDOW:
                break
            start = today - dt.timedelta(days=days - 1)
            since = window_start(days, today, share and share * statistics.entries,
                                 statistics.entries_between(start, today))
            if floor is not None and since <= floor:
                break
            found = newest(since)
            if len(found) == wanted:
                return found
            held = max(statistics.entries_between(since, today), 1.0)
            grown = held * WINDOW_MARGIN * wanted / len(found) if found else held * 8
            earlier = statistics.start_holding(max(grown, 2 * held), today)
            days = max((today - earlier).days + 1, 2 * ((today - since).days + 1)) if earlier else None
        return newest(None)


def newest_holding(rows: QuerySet[SearchEntry], runs: list[str], wanted: int) -> list[tuple[int, str, bool]]:
    """(id, kind, in_title) of the first ``wanted`` of ``rows`` (newest first) whose stored text
    holds every run. The rows are ordered before their text is read (``OFFSET 0`` keeps
    PostgreSQL from checking the text of every row first), and reading stops at ``wanted``:
    the text, stored out of line, is the costly part of each row."""
    try:
        sql, params = rows.values_list("pk", "kind", "in_title", "published_on", "content").query.sql_with_params()
    except EmptyResultSet:
        return []
    holds = " AND ".join("w.content LIKE %s" for _run in runs)
    patterns = ["%" + re.sub(r"([\\%_])", r"\\\1", run) + "%" for run in runs]
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT w.id, w.kind, w.in_title FROM ({sql} OFFSET 0) AS w (id, kind, in_title, published_on, "
                       f"content) WHERE {holds} "
                       f"ORDER BY w.published_on DESC NULLS LAST, w.id DESC LIMIT %s", [*params, *patterns, wanted])
        return [tuple(row) for row in cursor.fetchall()]


def first_window(wanted: int, share: float | None, statistics: IndexStatistics, today: dt.date) -> int | None:
    """Days back from ``today`` to expect ``WINDOW_MARGIN × wanted`` matches (the entries published
    in those days, ``IndexStatistics.entries_between``, times the query's ``share``); None (look at
    all entries at once) for a small index, or when ANALYZE has not seen the table or the query's
    tokens."""
    if not share or not statistics.entries or statistics.entries < SMALL_INDEX:
        return None
    start = statistics.start_holding(WINDOW_MARGIN * wanted / share, today)
    return (today - start).days + 1 if start else None


def window_start(days: int, today: dt.date, matches: float | None, window_entries: float | None) -> dt.date:
    """The first day of a window of ``days`` ending ``today``, moved back to the first of its
    month or year (``coarse_start``). When the query's estimated ``matches`` in all entries are
    fewer than the window's entries, the window starts on the first of its year: each year
    lexeme then has more entries than the query's rarest token, and the GIN index walks that
    token's short posting list, checking the years, instead of merging the posting lists of the
    months."""
    start = today - dt.timedelta(days=days - 1)
    if matches and window_entries and matches < window_entries:
        return start.replace(month=1, day=1)
    return coarse_start(start, today)


#: The planner settings of the search's transaction (see ``newest_ids``); JIT compiling and
#: parallel workers cost more than these short queries take.
PLANNER_SETTINGS = """
SELECT set_config('work_mem', '64MB', true), set_config('enable_indexscan', 'off', true),
       set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true),
       set_config('max_parallel_workers_per_gather', '0', true)
"""

#: What ANALYZE saw of the index: the share of entries holding each of its most common
#: lexemes, the number of entries, and the oldest and newest publication days.
INDEX_STATISTICS = """
SELECT (SELECT most_common_elems::text::text[] FROM pg_stats WHERE schemaname = current_schema()
          AND tablename = 'search_searchentry' AND attname = 'document'),
       (SELECT most_common_elem_freqs FROM pg_stats WHERE schemaname = current_schema()
          AND tablename = 'search_searchentry' AND attname = 'document'),
       (SELECT histogram_bounds::text::date[] FROM pg_stats WHERE schemaname = current_schema()
          AND tablename = 'search_searchentry' AND attname = 'published_on'),
       (SELECT reltuples FROM pg_class WHERE oid = 'search_searchentry'::regclass),
       (SELECT most_common_vals::text::date[] FROM pg_stats WHERE schemaname = current_schema()
          AND tablename = 'search_searchentry' AND attname = 'published_on'),
       (SELECT most_common_freqs FROM pg_stats WHERE schemaname = current_schema()
          AND tablename = 'search_searchentry' AND attname = 'published_on'),
       (SELECT null_frac FROM pg_stats WHERE schemaname = current_schema()
          AND tablename = 'search_searchentry' AND attname = 'published_on')
"""
#: Seconds the statistics are kept by a process (they change at the next ANALYZE).
STATISTICS_SECONDS = 300


@dataclass
class IndexStatistics:
    shares: Shares
    entries: float = 0
    per_day: float | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    #: ANALYZE's histogram of the publication days (as many entries between each two bounds), the
    #: days it leaves out because they are among the most common (a catalog published on one day)
    #: with their shares, and the share of entries in the histogram.
    bounds: list[dt.date] = field(default_factory=list)
    common_days: dict[dt.date, float] = field(default_factory=dict)
    histogram_share: float = 1.0

    def entries_between(self, start: dt.date, end: dt.date) -> float:
        """About how many entries were published from ``start`` to ``end`` (both included): the
        common days counted as ANALYZE saw them, the others spread evenly within each bucket of
        the histogram. An index fills unevenly (a year's catalog in one day, more items each
        year): this, not an average rate, sizes the windows."""
        share = sum(freq for day, freq in self.common_days.items() if start <= day <= end)
        first, last = start.toordinal(), end.toordinal() + 1
        buckets = len(self.bounds) - 1
        covered = 0.0
        for low, high in zip(self.bounds, self.bounds[1:], strict=False):
            low, high = low.toordinal(), high.toordinal()
            if high > low:
                covered += max(0, min(high, last) - max(low, first)) / (high - low)
            elif first <= low < last:
                covered += 1
        if buckets > 0:
            share += self.histogram_share * covered / buckets
        return share * self.entries

    def start_holding(self, entries: float, end: dt.date) -> dt.date | None:
        """The latest day from which about ``entries`` entries were published up to ``end``; None
        when all the entries published up to ``end`` are fewer."""
        if self.first_day is None or self.entries_between(self.first_day, end) < entries:
            return None
        low, high = self.first_day.toordinal(), end.toordinal()  # entries_between(low) >= entries
        while low < high:
            middle = (low + high + 1) // 2
            if self.entries_between(dt.date.fromordinal(middle), end) >= entries:
                low = middle
            else:
                high = middle - 1
        return dt.date.fromordinal(low)

    def share(self, q: str) -> float | None:
        """An upper bound of the share of entries matching ``q``: the smallest share among its
        tokens (a token ANALYZE does not list is rarer than any it lists; a prefix at most the
        sum of the lexemes it starts). None for a 文号 (looked for in all entries at once)."""
        if not self.shares or number_query(q) is not None:
            return None
        return min((token_share(self.shares, token, prefix) for token, prefix in tsquery_tokens(q)), default=None)


_statistics: tuple[float, IndexStatistics] | None = None


def index_statistics() -> IndexStatistics:
    """The index's statistics, read at most every ``STATISTICS_SECONDS`` per process."""
    global _statistics
    if _statistics is None or time.monotonic() - _statistics[0] > STATISTICS_SECONDS:
        with connections[read_alias()].cursor() as cursor:
            cursor.execute(INDEX_STATISTICS)
            lexemes, freqs, days, entries, common, common_freqs, null_share = cursor.fetchone()
        shares = Shares(zip(lexemes, freqs)) if lexemes else Shares()  # the freqs end with three summary values
        common_days = dict(zip(common or [], common_freqs or [], strict=False))
        known = sorted([*(days or []), *common_days])
        span = (known[-1] - known[0]).days + 1 if known else None
        _statistics = (time.monotonic(), IndexStatistics(
            shares, entries or 0, (entries / span) if span else None, known[0] if known else None,
            known[-1] if known else None, list(days or []), common_days,
            max(0.0, 1 - sum(common_days.values()) - (null_share or 0))))
    return _statistics[1]


class CountedPaginator(Paginator):
    """A paginator told its count (``browsable``), so paging runs no COUNT query."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


#: Oldest year offered by the year filter when ANALYZE has not seen the index yet.
FIRST_YEAR = 2015


def status_choices() -> list[tuple[str, str]]:
    """Every status a public entry may have (from the lifecycles' choices, never the index)."""
    return [
        *((str(status), str(status.label)) for status in DECISION_PUBLISHED_STATES),
        (str(CatalogItem.Status.INCLUDED), str(CatalogItem.Status.INCLUDED.label)),
        (str(CatalogItem.Status.WITHDRAWN), str(CatalogItem.Status.WITHDRAWN.label)),
        *((str(status), str(status.label)) for status in PublicStatus),
        ("live", gettext_noop("公示中")),  # stored in Chinese in the index, translated when shown
    ]


def facets() -> dict[str, list]:
    """Filter choices without reading the index: the years between the oldest and newest
    publication day ANALYZE saw (or from ``FIRST_YEAR``), the departments, the statuses."""
    statistics = index_statistics()
    this_year = local_today().year
    first = statistics.first_day.year if statistics.first_day else FIRST_YEAR
    last = max(statistics.last_day.year, this_year) if statistics.last_day else this_year
    return {
        "years": list(range(last, first - 1, -1)),
        "departments": list(Department.objects.order_by("sort_order", "id").values_list("id", "name")),
        "statuses": status_choices(),
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
