"""Reads for 有件必备、有备必审、有错必纠 made visible, and the yearly statistics.

Every function here runs a fixed number of queries: the lists are annotated querysets
(the clock dates come from subqueries) and the counts per issuer are one grouped query
each, whatever the number of rows.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import User
from core.permissions import is_office, is_reviewer, is_supervisor
from core.workdays import local_today
from deadlines.models import LegalClock

from . import reminders
from .models import FilingRecord, NormativeDocument
from .workflow import PUBLISHED_STATES, DocumentStatus, FilingStatus

F = FilingStatus
OPEN_CLOCK = (LegalClock.Status.RUNNING, LegalClock.Status.PAUSED)
FILING_CLOCKS = (reminders.FILING, reminders.FILING_TOWNSHIP)
#: the clocks of a filing waiting for the filing body (or, when incomplete, for the issuer's supplement)
HANDLING_CLOCKS = (reminders.FORMAL_CHECK, reminders.FILING_REVIEW, reminders.SUPPLEMENT)
PENDING_FILING_STATES = (F.SUBMITTED, F.UNDER_REVIEW, F.INCOMPLETE)
#: documents that must be on file (filing_submit accepts these)
FILEABLE_STATES = (DocumentStatus.PUBLISHED, DocumentStatus.AMENDED)
#: an issuer with at least this many late or missing filings and corrections in a year is listed for the notice (通报)
FREQUENT_PROBLEM_THRESHOLD = 2


# ---------------------------------------------------------------- who sees what
def can_view_oversight(user) -> bool:
    """The filing bodies' reviewers (their own body's filings), supervisors and the office (all)."""
    return is_office(user) or is_supervisor(user) or is_reviewer(user)


def _scope(user: User) -> Q:
    """The filing-body condition for ``user`` (on a model with ``filing_body``); PermissionDenied otherwise."""
    if is_office(user) or is_supervisor(user):
        return Q()
    if is_reviewer(user):
        return Q(filing_body_id=user.department_id)
    raise PermissionDenied


def _clocks(model, rules) -> QuerySet[LegalClock]:
    return LegalClock.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                     object_id=OuterRef("pk"), rule__in=rules)


def _live_filings() -> QuerySet[FilingRecord]:
    return FilingRecord.objects.filter(document=OuterRef("pk")).exclude(status=F.RETURNED)


# ---------------------------------------------------------------- 有件必备
def _unfiled(user: User, today: dt.date) -> QuerySet[NormativeDocument]:
    overdue = _clocks(NormativeDocument, FILING_CLOCKS).filter(status__in=OPEN_CLOCK, due_on__lt=today)
    return (NormativeDocument.objects.filter(_scope(user), status__in=FILEABLE_STATES)
            .filter(Exists(overdue)).exclude(Exists(_live_filings())))


def unfiled_overdue(*, user: User, today: dt.date | None = None, issuer_id: int | None = None
                    ) -> QuerySet[NormativeDocument]:
    """Published documents not filed by their deadline (open R11 clock past due, no live filing)."""
    today = today or local_today()
    due = _clocks(NormativeDocument, FILING_CLOCKS).filter(status__in=OPEN_CLOCK).order_by("due_on")
    documents = _unfiled(user, today).annotate(filing_due_on=Subquery(due.values("due_on")[:1]))
    if issuer_id:
        documents = documents.filter(issuer_id=issuer_id)
    return (documents.select_related("issuer", "filing_body")
            .only("id", "title", "number", "status", "published_on", "issuer__name", "issuer__short_name",
                  "filing_body__name", "filing_body__short_name")
            .order_by("filing_due_on", "id"))


# ---------------------------------------------------------------- 有备必审
def _unreviewed(user: User, today: dt.date) -> QuerySet[FilingRecord]:
    overdue = _clocks(FilingRecord, HANDLING_CLOCKS).filter(status__in=OPEN_CLOCK, due_on__lt=today)
    return FilingRecord.objects.filter(_scope(user), status__in=PENDING_FILING_STATES).filter(Exists(overdue))


def unreviewed_overdue(*, user: User, today: dt.date | None = None, issuer_id: int | None = None
                       ) -> QuerySet[FilingRecord]:
    """Filings waiting for the formal check, the review or a supplement past the due date."""
    today = today or local_today()
    clocks = _clocks(FilingRecord, HANDLING_CLOCKS).filter(status__in=OPEN_CLOCK).order_by("due_on")
    filings = _unreviewed(user, today).annotate(clock_due_on=Subquery(clocks.values("due_on")[:1]))
    if issuer_id:
        filings = filings.filter(document__issuer_id=issuer_id)
    return filings.select_related("document", "document__issuer", "reviewer").order_by("clock_due_on", "id")


# ---------------------------------------------------------------- 有错必纠
def _open_corrections(user: User) -> QuerySet[FilingRecord]:
    return FilingRecord.objects.filter(_scope(user), status=F.CORRECTION_REQUESTED)


def corrections_open(*, user: User, issuer_id: int | None = None) -> QuerySet[FilingRecord]:
    """Corrections requested and not yet reported as handled, with the report's due date."""
    clocks = _clocks(FilingRecord, (reminders.CORRECTION_REPORT,)).filter(status__in=OPEN_CLOCK).order_by("due_on")
    filings = _open_corrections(user).annotate(clock_due_on=Subquery(clocks.values("due_on")[:1]))
    if issuer_id:
        filings = filings.filter(document__issuer_id=issuer_id)
    return filings.select_related("document", "document__issuer", "reviewer").order_by("clock_due_on", "id")


@dataclass
class IssuerCounts:
    issuer_id: int
    name: str
    unfiled: int = 0
    unreviewed: int = 0
    corrections: int = 0

    @property
    def total(self) -> int:
        return self.unfiled + self.unreviewed + self.corrections


def oversight_counts(*, user: User, today: dt.date | None = None) -> list[IssuerCounts]:
    """The three counts per issuer (three grouped queries), the issuers with most problems first."""
    today = today or local_today()
    rows: dict[int, IssuerCounts] = {}

    def add(values, attr: str, prefix: str) -> None:
        for row in values:
            issuer_id = row[f"{prefix}issuer_id"]
            name = row[f"{prefix}issuer__short_name"] or row[f"{prefix}issuer__name"]
            counts = rows.setdefault(issuer_id, IssuerCounts(issuer_id, name))
            setattr(counts, attr, row["n"])

    def grouped(queryset, prefix: str):
        fields = (f"{prefix}issuer_id", f"{prefix}issuer__name", f"{prefix}issuer__short_name")
        return queryset.order_by().values(*fields).annotate(n=Count("id"))

    add(grouped(_unfiled(user, today), ""), "unfiled", "")
    add(grouped(_unreviewed(user, today), "document__"), "unreviewed", "document__")
    add(grouped(_open_corrections(user), "document__"), "corrections", "document__")
    return sorted(rows.values(), key=lambda c: (-c.total, c.name))


# ---------------------------------------------------------------- statistics
@dataclass
class IssuerYear:
    """One issuer's year: documents issued (严控发文数量), their filing, and corrections."""

    issuer_id: int | None
    name: str
    issued: int = 0
    on_time: int = 0
    late: int = 0
    not_filed: int = 0
    pending: int = 0
    corrections_requested: int = 0
    corrections_closed: int = 0

    @property
    def problems(self) -> int:
        """Late or missing filings and corrections requested: what the notice (通报) counts."""
        return self.late + self.not_filed + self.corrections_requested

    def add(self, other: IssuerYear) -> None:
        for name in COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


DOCUMENT_FIELDS = ("issued", "on_time", "late", "not_filed", "pending")
COUNT_FIELDS = (*DOCUMENT_FIELDS, "corrections_requested", "corrections_closed")


@dataclass
class YearStatistics:
    year: int
    rows: list[IssuerYear]
    total: IssuerYear
    frequent: list[IssuerYear]
    threshold: int


def statistics_for_year(*, user: User, year: int, today: dt.date | None = None) -> YearStatistics:
    """Per issuer: documents published in ``year``; of these, filed on time, filed late, not filed
    although due, not yet due; corrections requested (review date in the year) and closed (report
    date in the year). Two grouped queries."""
    today = today or local_today()
    scope = _scope(user)
    live = _live_filings()
    due = _clocks(NormativeDocument, FILING_CLOCKS).order_by("-id").values("due_on")[:1]
    documents = (
        NormativeDocument.objects.filter(scope, status__in=PUBLISHED_STATES, published_on__year=year)
        .annotate(filed=Exists(live), filed_on_time=Exists(live.filter(on_time=True)), filing_due=Subquery(due))
        .order_by().values("issuer_id", "issuer__name", "issuer__short_name")
        .annotate(
            issued=Count("id"),
            on_time=Count("id", filter=Q(filed_on_time=True)),
            late=Count("id", filter=Q(filed=True, filed_on_time=False)),
            not_filed=Count("id", filter=Q(filed=False, filing_due__lt=today)),
            pending=Count("id", filter=Q(filed=False) & (Q(filing_due__gte=today) | Q(filing_due__isnull=True))),
        )
    )
    requested = Q(status__in=(F.CORRECTION_REQUESTED, F.CORRECTED), reviewed_on__year=year)
    closed = Q(status=F.CORRECTED, corrected_on__year=year)
    corrections = (
        FilingRecord.objects.filter(scope).filter(requested | closed)
        .order_by().values("document__issuer_id", "document__issuer__name", "document__issuer__short_name")
        .annotate(corrections_requested=Count("id", filter=requested), corrections_closed=Count("id", filter=closed))
    )
    rows: dict[int, IssuerYear] = {}
    for row in documents:
        rows[row["issuer_id"]] = IssuerYear(row["issuer_id"], row["issuer__short_name"] or row["issuer__name"],
                                            **{k: row[k] for k in DOCUMENT_FIELDS})
    for row in corrections:
        issuer_id = row["document__issuer_id"]
        item = rows.setdefault(issuer_id, IssuerYear(
            issuer_id, row["document__issuer__short_name"] or row["document__issuer__name"]))
        item.corrections_requested = row["corrections_requested"]
        item.corrections_closed = row["corrections_closed"]
    ordered = sorted(rows.values(), key=lambda r: (-r.issued, r.name))
    total = IssuerYear(None, _("合计"))
    for row in ordered:
        total.add(row)
    frequent = sorted((r for r in ordered if r.problems >= FREQUENT_PROBLEM_THRESHOLD),
                      key=lambda r: (-r.problems, r.name))
    return YearStatistics(year=year, rows=ordered, total=total, frequent=frequent,
                          threshold=FREQUENT_PROBLEM_THRESHOLD)


CSV_COLUMNS = (
    ("name", gettext_lazy("制定机关")), ("issued", gettext_lazy("发文数量")),
    ("on_time", gettext_lazy("按时报送备案")), ("late", gettext_lazy("逾期报送备案")),
    ("not_filed", gettext_lazy("逾期未报送备案")), ("pending", gettext_lazy("待报送（未到期）")),
    ("corrections_requested", gettext_lazy("提出纠正意见")), ("corrections_closed", gettext_lazy("纠正办结")),
    ("problems", gettext_lazy("问题合计")),
)


def statistics_csv(stats: YearStatistics) -> str:
    """The table as CSV text starting with a byte-order mark, so that Excel reads the Chinese as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(label) for _key, label in CSV_COLUMNS])
    for row in [*stats.rows, stats.total]:
        writer.writerow([getattr(row, key) for key, _label in CSV_COLUMNS])
    return buffer.getvalue()
