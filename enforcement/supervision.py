"""Reads of the supervision dashboard (司法局 and 政府办, read-only across bodies).

Five lists, each one annotated queryset (a fixed number of queries whatever the rows):

* open cases past their day-90 deadline: an open ``enforcement.case_decision`` clock with
  ``due_on`` before today; and cases decided after it, with the reason given (rule E13);
* decisions not published on time: penalty / no-penalty decisions whose publicity clock is
  open and past due with no ``PublicNotice``, and notices published late (``on_time=False``),
  with the reason given when publishing (rule E3);
* major decisions without legal review: decided cases with a ground of
  ``services.legal_review_grounds`` but ``legal_review_passed`` False, computed in SQL on the
  decision as made (see ``REVIEW_GROUND_CONDITIONS``);
* the same business inspected by several bodies: cases opened by two or more bodies for the
  same party (``party_key``) within 30 days of each other (one correlated self-join).
"""
from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
    Window,
)
from django.db.models import Case as SqlCase
from django.db.models.aggregates import Max

from core.models import Department, User
from core.workdays import local_today
from deadlines.models import LegalClock

from . import reminders
from .models import Case, PublicNotice
from .permissions import can_supervise
from .workflow import MAJOR_PENALTY_TYPES, OPEN_STATES, Outcome, PartyType

OPEN_CLOCK = (LegalClock.Status.RUNNING, LegalClock.Status.PAUSED)
PUBLICITY_CLOCKS = (reminders.PUBLICITY_PENALTY, reminders.PUBLICITY_OTHER)
#: cases of two bodies for the same party opened at most this many days apart are listed
SAME_PARTY_WINDOW_DAYS = 30
CASE_COLUMNS = ("id", "number", "title", "status", "opened_on", "decided_on", "outcome", "party_type",
                "body__name", "body__short_name")


def can_view_supervision(user) -> bool:
    return can_supervise(user)


def _require(user: User) -> None:
    if not can_view_supervision(user):
        raise PermissionDenied


def _clocks(rules) -> QuerySet[LegalClock]:
    return LegalClock.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=OuterRef("pk"),
                                     rule__in=rules)


def _by_body(queryset: QuerySet[Case], body_id: int | None) -> QuerySet[Case]:
    return queryset.filter(body_id=body_id) if body_id else queryset


def bodies_with_cases() -> QuerySet[Department]:
    """The bodies offered in the filter: those with at least one case."""
    return Department.objects.filter(Exists(Case.objects.filter(body_id=OuterRef("pk")))).only(
        "id", "name", "short_name").order_by("sort_order", "id")


# ---------------------------------------------------------------- (a) past day 90
def overdue_open_cases(*, user: User, today: dt.date | None = None, body_id: int | None = None) -> QuerySet[Case]:
    """Open cases whose 90-day decision clock (行政处罚法 Art. 60) is open and past due."""
    _require(user)
    today = today or local_today()
    clocks = _clocks((reminders.CASE_DECISION,)).filter(status__in=OPEN_CLOCK)
    cases = (Case.objects.filter(status__in=OPEN_STATES).filter(Exists(clocks.filter(due_on__lt=today)))
             .annotate(decision_due_on=Subquery(clocks.order_by("due_on").values("due_on")[:1])))
    return (_by_body(cases, body_id).select_related("body").only(*CASE_COLUMNS)
            .order_by("decision_due_on", "id"))


def late_decisions(*, user: User, body_id: int | None = None) -> QuerySet[Case]:
    """Cases decided after their day-90 deadline, with the reason given when deciding (rule E13)."""
    _require(user)
    clocks = _clocks((reminders.CASE_DECISION,)).filter(status=LegalClock.Status.STOPPED,
                                                         due_on__lt=OuterRef("decided_on"))
    cases = (Case.objects.filter(decided_on__isnull=False).filter(Exists(clocks))
             .annotate(decision_due_on=Subquery(clocks.order_by("-id").values("due_on")[:1])))
    return (_by_body(cases, body_id).select_related("body").only(*CASE_COLUMNS, "late_decision_reason")
            .order_by("-decided_on", "-id"))


# ---------------------------------------------------------------- (b) publicity late
def late_publicity(*, user: User, today: dt.date | None = None, body_id: int | None = None) -> QuerySet[Case]:
    """Penalty and no-penalty decisions not published on time: still unpublished after the
    publicity clock's due date (7 / 20 working days), or published late."""
    _require(user)
    today = today or local_today()
    clocks = _clocks(PUBLICITY_CLOCKS)
    overdue = clocks.filter(status__in=OPEN_CLOCK, due_on__lt=today)
    notice = PublicNotice.objects.filter(case_id=OuterRef("pk"))
    cases = (Case.objects.filter(outcome__in=(Outcome.PENALTY, Outcome.NO_PENALTY), decided_on__isnull=False)
             .filter((Exists(overdue) & ~Exists(notice)) | Exists(notice.filter(on_time=False)))
             .annotate(publicity_due_on=Subquery(clocks.order_by("-id").values("due_on")[:1]),
                       notice_published_on=Subquery(notice.values("published_on")[:1]),
                       notice_late_reason=Subquery(notice.values("late_reason")[:1])))
    return (_by_body(cases, body_id).select_related("body").only(*CASE_COLUMNS)
            .order_by("publicity_due_on", "id"))


# ---------------------------------------------------------------- (c) no legal review
def _threshold() -> SqlCase:
    """The body's legal-review amount threshold for the case's kind of party (BodyProfile join)."""
    return SqlCase(
        When(party_type=PartyType.PERSON, then=F("body__enforcement_profile__review_threshold_person")),
        default=F("body__enforcement_profile__review_threshold_organisation"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def _major_type_q() -> Q:
    condition = Q(pk__in=[])
    for penalty_type in MAJOR_PENALTY_TYPES:
        condition |= Q(penalty_types__contains=[str(penalty_type)])
    return condition


#: The grounds of ``services.legal_review_grounds`` as SQL on the decision as made (the decided
#: penalty types and fine, as ``case_decide`` checks them): a hearing record, a major penalty
#: type, a fine above the body's threshold (no BodyProfile = no amount ground), a complex case,
#: a major public interest.
REVIEW_GROUND_CONDITIONS = {
    "hearing": lambda: ~Q(hearing_record=""),
    "major_type": _major_type_q,
    "amount": lambda: Q(review_threshold__isnull=False, fine_amount__gt=F("review_threshold")),
    "complex": lambda: Q(complex_case=True),
    "public_interest": lambda: Q(public_interest=True),
}


def with_review_grounds(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate ``ground_<key>`` booleans and ``review_needed`` (any of them)."""
    queryset = queryset.annotate(review_threshold=_threshold())
    needed = Q(pk__in=[])
    for key, condition in REVIEW_GROUND_CONDITIONS.items():
        queryset = queryset.annotate(**{f"ground_{key}": ExpressionWrapper(condition(), output_field=BooleanField())})
        needed |= condition()
    return queryset.annotate(review_needed=ExpressionWrapper(needed, output_field=BooleanField()))


def unreviewed_major_decisions(*, user: User, body_id: int | None = None) -> QuerySet[Case]:
    """Decided cases (of any outcome) with a legal-review ground and no passed legal review."""
    _require(user)
    cases = with_review_grounds(Case.objects.filter(decided_on__isnull=False, legal_review_passed=False))
    cases = cases.filter(review_needed=True)
    return (_by_body(cases, body_id).select_related("body")
            .only(*CASE_COLUMNS, "fine_amount", "penalty_types").order_by("-decided_on", "-id"))


# ---------------------------------------------------------------- (d) same party, several bodies
def same_party_several_bodies(*, user: User, body_id: int | None = None) -> QuerySet[Case]:
    """Cases opened for the same party (``party_key``, the blind index of the ID number) by two or more bodies within 30 days of
    each other (a correlated self-join), the parties with the latest case first, each party's
    cases together. With ``body_id``: the parties one of whose flagged cases is that body's."""
    _require(user)
    window = dt.timedelta(days=SAME_PARTY_WINDOW_DAYS)
    other_body = (Case.objects.filter(party_key=OuterRef("party_key"), opened_on__isnull=False,
                                      opened_on__gte=ExpressionWrapper(OuterRef("opened_on") - window,
                                                                       output_field=DateField()),
                                      opened_on__lte=ExpressionWrapper(OuterRef("opened_on") + window,
                                                                       output_field=DateField()))
                  .exclude(body_id=OuterRef("body_id")))
    flagged = Case.objects.filter(opened_on__isnull=False).filter(Exists(other_body))
    cases = flagged
    if body_id:
        cases = cases.filter(party_key__in=flagged.filter(body_id=body_id).values("party_key"))
    cases = cases.annotate(party_latest=Window(Max("opened_on"), partition_by=[F("party_key")]))
    return (cases.select_related("body").only(*CASE_COLUMNS, "party_name", "party_id_number", "party_key")
            .order_by(F("party_latest").desc(), "party_key", "opened_on", "id"))

