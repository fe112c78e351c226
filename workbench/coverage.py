"""Coverage (覆盖率) for supervisors (issue 16, domain.md §9): a row per decision body, each figure
computed from the records — never typed in — with the link to the items behind it:

* catalog published, and in Q1 (目录化管理实现100%覆盖; 每年第一季度向社会公布);
* decisions of the year taken to a meeting with a passed legality review;
* contracts of the listed types (浙政办发〔2013〕37号) signed in the year with a review passed first;
* 司法所长列席: the township's meetings on legal matters the head of its 司法所 attended;
* adviser coverage: at least one legal adviser in term; public-lawyer coverage: at least one 公职律师;
* filings on time: contracts filed by their filing deadline and normative documents filed on time.

A fixed number of queries whatever the number of bodies: one grouped query per figure, mapped
to the bodies through the hierarchy read once (``core.bodies``).

Who sees which rows (``coverage_for``): the city's supervisors, the office and administrators
every body; the staff and the head of a district or county government (区县人民政府) the decision
bodies within their district — the district itself, its townships and streets, and any district
department with its own catalog — and nothing else; everyone else nothing (403)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from contracts.workflow import REVIEW_REQUIRED_TYPES
from core.bodies import body_of_units, units_under
from core.models import Department, Role
from deadlines.permissions import can_see_all_deadlines
from decisions.models import Catalog, Decision
from decisions.workflow import DecisionStatus as DS
from legal_affairs.models import LegalAdviser, PublicLawyer, TownshipMeeting
from normative_docs.models import FilingRecord

#: Decisions that reached the meeting (集体讨论) or went beyond it.
DISCUSSED = (DS.DECIDED, DS.DEFERRED, DS.REJECTED, DS.EXECUTING, DS.SUSPENDED, DS.POST_EVALUATION, DS.COMPLETED,
             DS.TERMINATED, DS.ARCHIVED)

COLUMNS = [
    ("catalog", _("目录已公布")),
    ("catalog_q1", _("一季度内公布")),
    ("decisions", _("决策经合法性审查")),
    ("contracts", _("合同签订前经审查")),
    ("meetings", _("司法所长列席")),
    ("advisers", _("法律顾问覆盖")),
    ("public_lawyers", _("公职律师覆盖")),
    ("filings", _("按时备案")),
]


@dataclass
class Cell:
    done: int
    total: int
    url: str = ""

    @property
    def applies(self) -> bool:
        return self.total > 0

    @property
    def rate(self) -> int | None:
        """Whole per cent, rounded down (so 99.5 % is not shown as 100 %); None where nothing applies."""
        return self.done * 100 // self.total if self.total else None

    @property
    def full(self) -> bool:
        return self.done >= self.total


@dataclass
class Row:
    body: Department
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def below_full(self) -> bool:
        return any(cell.applies and not cell.full for cell in self.cells.values())

    def ordered(self) -> list[tuple[str, Cell]]:
        return [(key, self.cells[key]) for key, _label in COLUMNS]


def _reference_day(year: int, today: dt.date) -> dt.date:
    """Advisers and lawyers count as of today within the year, else on the year's last day."""
    return today if today.year == year else dt.date(year, 12, 31)


def district_of(user) -> Department | None:
    """The district or county government whose staff or head ``user`` is, else None."""
    if not user.is_authenticated or not {Role.STAFF, Role.HEAD} & set(user.roles) or not user.department_id:
        return None
    department = user.department
    return department if department.kind == Department.Kind.DISTRICT else None


def can_see_coverage(user) -> bool:
    return can_see_all_deadlines(user) or district_of(user) is not None


def coverage_for(*, user, year: int, today: dt.date, level: str | None = None) -> list[Row]:
    """The coverage rows ``user`` may see: all for supervisors, the office and administrators; a
    district's own and its townships' for that district government's staff and head."""
    if can_see_all_deadlines(user):
        return coverage(year=year, today=today, level=level)
    district = district_of(user)
    if district is None:
        raise PermissionDenied
    return coverage(year=year, today=today, level=level, within=district)


def coverage(*, year: int, today: dt.date, level: str | None = None, within: Department | None = None) -> list[Row]:
    """A row per decision body (of every level, or of ``level``; with ``within``, only the bodies
    at or below that unit)."""
    bodies = list(Department.objects.filter(is_decision_body=True).order_by("sort_order", "id"))
    if level:
        bodies = [body for body in bodies if body.level == level]
    if within is not None:
        below = units_under(within)
        bodies = [body for body in bodies if body.pk in below]
    body_of = body_of_units()  # unit id -> decision body id (one query)
    ids = {body.pk for body in bodies}
    day = _reference_day(year, today)

    catalogs = {row["body_id"]: row for row in Catalog.objects.filter(year=year, body_id__in=ids)
                .values("body_id", "status", "published_at")}
    decisions: dict[int, list[int]] = {}
    for row in (Decision.objects.filter(year=year, status__in=DISCUSSED).order_by().values("department_id")
                .annotate(total=Count("id"), done=Count("id", filter=Q(legality_passed=True)))):
        tally = decisions.setdefault(body_of.get(row["department_id"]), [0, 0])
        tally[0] += row["done"]
        tally[1] += row["total"]
    contracts = {row["body_id"]: row for row in (
        Contract.objects.filter(body_id__in=ids, signed_on__year=year, contract_type__in=REVIEW_REQUIRED_TYPES)
        .order_by().values("body_id").annotate(total=Count("id"), done=Count("id", filter=Q(legality_passed=True))))}
    contract_filings = {row["body_id"]: row for row in (
        Contract.objects.filter(body_id__in=ids, filing_due_on__year=year, filing_due_on__lte=today)
        .order_by().values("body_id").annotate(
            total=Count("id"), done=Count("id", filter=Q(filed_on__isnull=False,
                                                         filed_on__lte=F("filing_due_on")))))}
    normative_filings: dict[int, list[int]] = {}
    for row in (FilingRecord.objects.filter(submitted_on__year=year).order_by().values("document__issuer_id")
                .annotate(total=Count("id"), done=Count("id", filter=Q(on_time=True)))):
        tally = normative_filings.setdefault(body_of.get(row["document__issuer_id"]), [0, 0])
        tally[0] += row["done"]
        tally[1] += row["total"]
    meetings = {row["township_id"]: row for row in (
        TownshipMeeting.objects.filter(township_id__in=ids, held_on__year=year, legal_matters=True).order_by()
        .values("township_id").annotate(total=Count("id"), done=Count("id", filter=Q(sifasuo_head_attended=True))))}
    advised = set(LegalAdviser.objects.filter(body_id__in=ids, term_start__lte=day, term_end__gte=day)
                  .values_list("body_id", flat=True).distinct())
    lawyered = set(PublicLawyer.objects.filter(body_id__in=ids, active=True, certified_on__lte=day)
                   .values_list("body_id", flat=True).distinct())

    contracts_url = reverse("contracts:list")
    rows = []
    for body in bodies:
        catalog = catalogs.get(body.pk)
        published = catalog is not None and catalog["status"] == Catalog.Status.PUBLISHED
        in_q1 = published and timezone.localdate(catalog["published_at"]) <= dt.date(year, 3, 31)
        manage = f"{reverse('decisions:catalog-manage-year', args=[year])}?body={body.code}"
        decided = decisions.get(body.pk, [0, 0])
        signed = contracts.get(body.pk, {"done": 0, "total": 0})
        filed = contract_filings.get(body.pk, {"done": 0, "total": 0})
        normative = normative_filings.get(body.pk, [0, 0])
        held = meetings.get(body.pk, {"done": 0, "total": 0})
        township = body.kind == Department.Kind.TOWNSHIP
        rows.append(Row(body=body, cells={
            "catalog": Cell(int(published), 1, manage),
            "catalog_q1": Cell(int(in_q1), 1, manage),
            "decisions": Cell(decided[0], decided[1],
                              f"{reverse('decisions:list')}?year={year}&body={body.code}"),
            "contracts": Cell(signed["done"], signed["total"], f"{contracts_url}?body={body.code}"),
            "meetings": Cell(held["done"], held["total"] if township else 0,
                             f"{reverse('legal_affairs:meetings')}?township={body.code}"),
            "advisers": Cell(int(body.pk in advised), 1, f"{reverse('legal_affairs:advisers')}?body={body.code}"),
            "public_lawyers": Cell(int(body.pk in lawyered), 1,
                                   f"{reverse('legal_affairs:public-lawyers')}?body={body.code}"),
            "filings": Cell(filed["done"] + normative[0], filed["total"] + normative[1],
                            f"{contracts_url}?body={body.code}"),
        }))
    return rows


def summary(rows: list[Row]) -> dict[str, int | None]:
    """Per column: the share of bodies at 100 % among those where it applies."""
    result = {}
    for key, _label in COLUMNS:
        applicable = [row.cells[key] for row in rows if row.cells[key].applies]
        result[key] = (sum(cell.full for cell in applicable) * 100 // len(applicable)) if applicable else None
    return result
