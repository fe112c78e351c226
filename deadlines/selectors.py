"""Every read of the deadline machinery used by pages, the calendar feed and the API.

Lists are fixed-cost: one query for the clocks (with ``select_related``), and the
traffic lights are computed in memory over one shared ``WorkCalendar``, which
loads each year it needs once (two queries per year, whatever the number of rows).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import rulebook
from core.exceptions import CalendarYearUnknown
from core.models import Role, User
from core.workdays import WorkCalendar, local_today

from . import engine
from .models import DeadlineKind, DeadlinePolicy, LegalClock, Notification, Unit
from .permissions import can_see_all_deadlines

OPEN_STATUSES = (LegalClock.Status.RUNNING, LegalClock.Status.PAUSED)


def _clock_list_base() -> QuerySet[LegalClock]:
    return LegalClock.objects.select_related("department", "assignee")


def _by_due_date(clocks: QuerySet[LegalClock]) -> QuerySet[LegalClock]:
    # Undated clocks (paused, or waiting for next year's calendar) come last.
    return clocks.order_by(F("due_on").asc(nulls_last=True), "id")


def _handles_department_clocks(user: User) -> bool:
    """Staff and heads act for their department; reviewers for their review unit's unclaimed reviews."""
    return bool(user.department_id) and bool({Role.STAFF, Role.HEAD, Role.REVIEWER} & set(user.roles))


# ---------------------------------------------------------------- clocks
def deadlines_for(user: User) -> QuerySet[LegalClock]:
    """The person's open clocks: those assigned to them and, for the department's
    staff and head, the department's clocks that nobody is assigned to."""
    if not user.is_authenticated:
        return LegalClock.objects.none()
    mine = Q(assignee=user)
    if _handles_department_clocks(user):
        mine |= Q(department_id=user.department_id, assignee__isnull=True)
    return _by_due_date(_clock_list_base().filter(mine, status__in=OPEN_STATUSES))


#: what 我的工作's table of clocks shows (deadlines/_clock_table.html, without the department's columns), whether
#: a row links (may_see_clock) and its light (light_for) read: only these, and no related row (the two joined
#: users and departments made compiling the union cost more than the rows, ~2.9 ms of CPU)
MY_WORK_CLOCK_COLUMNS = ("id", "label", "kind", "source", "status", "due_on", "warn_on", "unit", "calendar_pending",
                         "assignee", "department")


def soonest_deadlines_for(user: User, limit: int) -> list[LegalClock]:
    """The first ``limit`` rows of ``deadlines_for`` (by due date), for 我的工作, in one query that
    reads only them: the person's clocks and the department's unassigned ones are each read down
    their own partial index, cut at ``limit``, and joined by a ``UNION`` — the ``OR`` of the two
    walks every department's open clocks in due order (0023)."""
    if not user.is_authenticated:
        return []
    branches = [Q(assignee=user)]
    if _handles_department_clocks(user):
        branches.append(Q(department_id=user.department_id, assignee__isnull=True))
    clocks = LegalClock.objects.only(*MY_WORK_CLOCK_COLUMNS)
    parts = [_by_due_date(clocks.filter(branch, status__in=OPEN_STATUSES))[:limit] for branch in branches]
    if len(parts) == 1:
        return list(parts[0])
    # the branches are disjoint (assigned to the person / assigned to nobody): UNION ALL
    return list(parts[0].union(*parts[1:], all=True).order_by(F("due_on").asc(nulls_last=True), "id")[:limit])


def overdue_clocks(user: User, filters: dict | None = None, *, today: dt.date | None = None) -> QuerySet[LegalClock]:
    """Every open clock past its due date, across departments (督办). Supervisors, the
    office and administrators only; filters: ``department`` (id), ``rule`` (code), ``kind``."""
    if not can_see_all_deadlines(user):
        raise PermissionDenied
    filters = filters or {}
    clocks = _clock_list_base().filter(status__in=OPEN_STATUSES, due_on__lt=today or local_today())
    if filters.get("department"):
        clocks = clocks.filter(department_id=filters["department"])
    if filters.get("rule"):
        clocks = clocks.filter(rule=filters["rule"])
    if filters.get("kind"):
        clocks = clocks.filter(kind=filters["kind"])
    return clocks.order_by("due_on", "id")


def clocks_visible_to(user: User) -> QuerySet[LegalClock]:
    """The clocks a person may open: their own, their department's (staff and head),
    all of them for the office, supervisors and administrators."""
    if not user.is_authenticated:
        return LegalClock.objects.none()
    if can_see_all_deadlines(user):
        return LegalClock.objects.all()
    visible = Q(assignee=user)
    if _handles_department_clocks(user):
        visible |= Q(department_id=user.department_id)
    return LegalClock.objects.filter(visible)


def clock_visible_to(user: User, pk: int) -> LegalClock:
    """One clock for its page. Raises ``LegalClock.DoesNotExist`` (a 404) for others."""
    return (clocks_visible_to(user)
            .select_related("department", "assignee", "policy", "content_type", "extension_approved_by")
            .prefetch_related("pauses__paused_by")
            .get(pk=pk))


def may_see_clock(user: User, clock: LegalClock) -> bool:
    """The same rule as ``clocks_visible_to``, for a clock already in memory (whether its page opens)."""
    if not user.is_authenticated:
        return False
    return (can_see_all_deadlines(user) or (clock.assignee_id is not None and clock.assignee_id == user.pk)
            or (_handles_department_clocks(user) and clock.department_id == user.department_id))


# ---------------------------------------------------------------- notifications
def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    notes = Notification.objects.filter(recipient=user)
    if unread_only:
        notes = notes.filter(read_at__isnull=True)
    return notes.order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    """The header's badge: what ``notifications_for(user, unread_only=True)`` lists, counted (one query)."""
    if not user.is_authenticated:
        return 0
    return notifications_for(user, unread_only=True).count()


# ---------------------------------------------------------------- traffic lights
GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"


@dataclass(frozen=True)
class Light:
    """How a clock stands today: a colour, its name, the units left and a sentence."""

    colour: str
    label: str
    days_left: int | None
    text: str


def light_for(clock: LegalClock, *, today: dt.date | None = None, calendar: WorkCalendar | None = None) -> Light:
    """Green; amber from the warning day (and on the due day); red after the due day;
    grey while paused or while the due date waits for next year's calendar.

    ``days_left`` counts in the clock's own unit (working days for working-day clocks,
    calendar days otherwise); being overdue is told in calendar days ("已逾期2日")."""
    today = today or local_today()
    if clock.status == LegalClock.Status.PAUSED:
        return Light(GREY, _("已中止"), None, _("已中止"))
    if clock.due_on is None:
        if clock.calendar_pending:
            return Light(GREY, _("待载入日历"), None, _("待载入日历"))
        return Light(GREY, _("未定"), None, _("到期日未定"))
    try:
        left = engine.days_left(due_on=clock.due_on, unit=clock.unit, today=today, calendar=calendar)
    except CalendarYearUnknown:
        left = (clock.due_on - today).days
    if today > clock.due_on:
        return Light(RED, _("已逾期"), left, _("已逾期%(n)s日") % {"n": (today - clock.due_on).days})
    if today == clock.due_on:
        return Light(AMBER, _("今日到期"), left, _("今日到期"))
    unit = _("个工作日") if clock.unit == Unit.WORKING_DAYS else _("日")
    text = _("剩余%(n)s%(unit)s") % {"n": left, "unit": unit}
    if clock.warn_on is not None and today >= clock.warn_on:
        return Light(AMBER, _("即将到期"), left, text)
    return Light(GREEN, _("正常"), left, text)


def with_lights(clocks: Iterable[LegalClock], *, today: dt.date | None = None,
                calendar: WorkCalendar | None = None) -> list[LegalClock]:
    """The clocks as a list, each with its ``light``; one calendar serves the whole list."""
    today = today or local_today()
    calendar = calendar or WorkCalendar()
    rows = list(clocks)
    for clock in rows:
        clock.light = light_for(clock, today=today, calendar=calendar)
    return rows


def kind_prefix(clock: LegalClock) -> str:
    """"【法定期限】" or "【服务承诺】", as the feed and the lists label a clock."""
    return f"【{DeadlineKind(clock.kind).label}】" if clock.kind in DeadlineKind.values else ""


def open_clocks_of(*subjects) -> QuerySet[LegalClock]:
    """The open clocks of the given objects (e.g. a decision and its review task), by due date."""
    from django.contrib.contenttypes.models import ContentType

    match = Q(pk__in=[])
    for subject in subjects:
        match |= Q(content_type=ContentType.objects.get_for_model(type(subject)), object_id=subject.pk)
    return _by_due_date(_clock_list_base().filter(match, status__in=OPEN_STATUSES))


# ================================================================== the rules matrix (issue 12)
@dataclass
class MatrixRow:
    rule: rulebook.Rule
    #: each policy row the rule reads, as in force today: (code, "30日", source)
    values: list[tuple[str, str, str]]

    @property
    def enforced(self) -> bool:
        return bool(self.rule.service)


def rules_matrix(*, on: dt.date | None = None) -> list[MatrixRow]:
    """Every rule of the rulebook with the numbers its policy rows hold on ``on`` (one query)."""
    from .services import period_label

    on = on or local_today()
    in_force: dict[str, DeadlinePolicy] = {}
    for policy in DeadlinePolicy.objects.filter(effective_from__lte=on).order_by("code", "-effective_from"):
        in_force.setdefault(policy.code, policy)
    rows = []
    for rule in rulebook.all_rules():
        values = []
        for code in rule.policies:
            policy = in_force.get(code)
            values.append((code, period_label(policy.length, policy.unit), policy.source) if policy
                          else (code, _("（未配置）"), ""))
        rows.append(MatrixRow(rule, values))
    return rows


def rules_matrix_counts(rows: list[MatrixRow]) -> dict[str, int]:
    """How many rules of each kind, and how many the portal does not enforce."""
    counts = {str(kind): 0 for kind in rulebook.Kind.values}
    for row in rows:
        counts[row.rule.kind] += 1
    counts["not_enforced"] = sum(1 for row in rows if not row.enforced)
    return counts


#: 我的期限's kinds of work: the subject's app (a review clock's subject is the review task)
WORK_KINDS = {"decisions": gettext_lazy("重大行政决策"), "normative_docs": gettext_lazy("规范性文件"),
              "enforcement": gettext_lazy("行政执法"), "reviews": gettext_lazy("合法性审查"),
              "consultations": gettext_lazy("征求意见")}


def my_deadlines(user: User, *, kind: str = "", department: int | None = None) -> QuerySet[LegalClock]:
    """我的期限: the person's open clocks (``deadlines_for``), optionally of one kind of work (an app
    label of ``WORK_KINDS``) or one responsible department, soonest first."""
    clocks = deadlines_for(user).select_related("content_type")
    if kind in WORK_KINDS:
        clocks = clocks.filter(content_type__app_label=kind)
    if department:
        clocks = clocks.filter(department_id=department)
    return clocks


def urgency_groups(clocks: Iterable[LegalClock], *, today: dt.date) -> list[dict]:
    """The clocks by urgency: overdue, due this week (to Sunday), this month, later (and undated)."""
    week_end = today + dt.timedelta(days=6 - today.weekday())
    month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    groups = {key: [] for key in ("overdue", "week", "month", "later")}
    for clock in clocks:
        due = clock.due_on
        key = ("later" if due is None else "overdue" if due < today else "week" if due <= week_end
               else "month" if due <= month_end else "later")
        groups[key].append(clock)
    labels = {"overdue": _("已逾期"), "week": _("本周到期"), "month": _("本月到期"), "later": _("以后到期")}
    return [{"key": key, "label": labels[key], "clocks": rows} for key, rows in groups.items()]


def with_responsible(clocks: list[LegalClock]) -> list[LegalClock]:
    """Each clock with ``responsible``: the person who must act — the assignee (a review's
    reviewer), else the head of the responsible unit (one query for the whole list)."""
    unassigned = {clock.department_id for clock in clocks if clock.assignee_id is None and clock.department_id}
    heads: dict[int, User] = {}
    for head in (User.objects.filter(department_id__in=unassigned, roles__contains=[Role.HEAD], is_active=True)
                 .only("id", "full_name", "username", "department_id").order_by("id")):
        heads.setdefault(head.department_id, head)
    for clock in clocks:
        clock.responsible = clock.assignee if clock.assignee_id else heads.get(clock.department_id)
    return clocks
