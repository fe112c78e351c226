"""What the public sees of administrative enforcement, read without an account.

* 事前公开 (before enforcement): the enforcement bodies — departments with a published
  profile, a power or an officer certificate valid today — with their powers and legal
  basis, their certified officers (name and certificate number only, certificates valid
  today only), procedures, remedies and inspection lists.
* 事后公开 (after enforcement): the published decisions (``PublicNotice``) that are *live*:
  published, not withdrawn, and ``takedown_on`` not passed. Expiry is a condition of the
  query, so a notice leaves the site the day after its publicity period ends without any
  job having to run.

Only the masked columns stored on ``PublicNotice`` are read; no column of ``Case`` is
selected (the body filter joins on ``case.body_id`` alone), so the party's name, ID number,
phone or address never reach a public page. Free
text is masked once more on the way out (``masking.mask_text``) in case a person typed a
number into a statement.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from core.dbrouter import read_alias
from core.models import Department
from core.workdays import local_today

from . import masking
from .models import BodyProfile, OfficerCertificate, Power, PublicNotice

#: The columns of a notice the list shows; ``content`` only on the detail page.
NOTICE_LIST_COLUMNS = ("id", "title", "body_name", "decision_number", "party_masked", "published_on", "takedown_on")
NOTICE_DETAIL_COLUMNS = (*NOTICE_LIST_COLUMNS, "id_masked", "content", "withdrawn_on", "withdrawal_statement")


# ================================================================== 事前公开
def _valid_certificates(today: dt.date) -> QuerySet[OfficerCertificate]:
    return OfficerCertificate.objects.filter(valid_from__lte=today, valid_until__gte=today, user__is_active=True)


def public_bodies(*, today: dt.date | None = None) -> QuerySet[Department]:
    """The enforcement bodies, each with ``power_count`` and ``officer_count`` (valid today)."""
    today = today or local_today()
    certificates = _valid_certificates(today)
    officer_counts = (certificates.filter(body=OuterRef("pk")).order_by().values("body")
                      .annotate(n=Count("pk")).values("n"))
    return (Department.objects
            .filter(Exists(BodyProfile.objects.filter(body=OuterRef("pk")))
                    | Exists(Power.objects.filter(body=OuterRef("pk")))
                    | Exists(certificates.filter(body=OuterRef("pk"))))
            .annotate(power_count=Count("powers", distinct=True),
                      officer_count=Coalesce(Subquery(officer_counts, output_field=IntegerField()), 0))
            .only("id", "name", "short_name", "sort_order")
            .order_by("sort_order", "id"))


@dataclass(frozen=True)
class PublicOfficer:
    """Only what the public may know of an officer (国办发〔2018〕118号: 执法人员 and 执法证号)."""

    name: str
    certificate_number: str


@dataclass
class PublicBody:
    body: Department
    profile: BodyProfile | None
    powers: list[Power]
    officers: list[PublicOfficer]


def public_body_get(*, body_id: int, today: dt.date | None = None) -> PublicBody:
    """One enforcement body's public information. Raises ``Department.DoesNotExist`` for a
    department that is not an enforcement body."""
    today = today or local_today()
    body = public_bodies(today=today).get(pk=body_id)
    profile = BodyProfile.objects.filter(body=body).only(
        "id", "body_id", "procedures", "remedies", "inspection_list").first()
    powers = list(Power.objects.filter(body=body).only("id", "name", "category", "legal_basis").order_by("id"))
    # values(): the user row is never loaded, so no other personal data can slip into a template
    officers = [PublicOfficer(name=row["user__full_name"] or "—", certificate_number=row["number"])
                for row in _valid_certificates(today).filter(body=body)
                .values("number", "user__full_name").order_by("number")]
    return PublicBody(body=body, profile=profile, powers=powers, officers=officers)


# ================================================================== 事后公开
def live_notices(*, today: dt.date | None = None) -> QuerySet[PublicNotice]:
    """Notices on the public site today: published, not withdrawn, publicity period not over."""
    today = today or local_today()
    return PublicNotice.objects.filter(withdrawn_on__isnull=True, published_on__lte=today, takedown_on__gte=today)


def notice_list(*, body_id: int | None = None, year: int | None = None,
                today: dt.date | None = None) -> QuerySet[PublicNotice]:
    """Live notices, newest first, optionally of one body and one year of publication."""
    notices = live_notices(today=today).only(*NOTICE_LIST_COLUMNS)
    if body_id:
        notices = notices.filter(case__body_id=body_id)  # a join on the body column only
    if year:
        notices = notices.filter(published_on__year=year)
    return notices.order_by("-published_on", "-id")


#: The year filter of the notices goes back this many years at most.
NOTICE_YEARS_BACK = 10


def notice_years(*, today: dt.date | None = None) -> list[int]:
    """The years in which notices were published and not withdrawn (the last ``NOTICE_YEARS_BACK``),
    newest first: one jump down ``notice_public_idx`` (partial: not withdrawn) per year, a loose index
    scan, never a scan of the notices."""
    today = today or local_today()
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(f"""
            WITH RECURSIVE years(day) AS (
                (SELECT published_on FROM {PublicNotice._meta.db_table} WHERE published_on <= %s
                 AND withdrawn_on IS NULL ORDER BY published_on DESC, id DESC LIMIT 1)
              UNION ALL
                SELECT (SELECT published_on FROM {PublicNotice._meta.db_table}
                        WHERE published_on < date_trunc('year', years.day)::date AND withdrawn_on IS NULL
                        ORDER BY published_on DESC, id DESC LIMIT 1)
                FROM years WHERE years.day IS NOT NULL AND extract(year FROM years.day) > %s)
            SELECT DISTINCT extract(year FROM day)::int FROM years WHERE day IS NOT NULL""",
                       [today, today.year - NOTICE_YEARS_BACK + 1])
        return sorted((year for (year,) in cursor.fetchall() if year > today.year - NOTICE_YEARS_BACK),
                      reverse=True)


def notice_bodies(*, today: dt.date | None = None) -> QuerySet[Department]:
    """The enforcement bodies (a profile or a power of their own), for the filter: the small tables
    of 事前公开, never the notices."""
    return (Department.objects.filter(Exists(BodyProfile.objects.filter(body=OuterRef("pk")))
                                      | Exists(Power.objects.filter(body=OuterRef("pk"))))
            .only("id", "name", "short_name", "sort_order").order_by("sort_order", "id"))


def notice_get(*, notice_id: int, today: dt.date | None = None) -> PublicNotice:
    """A notice within its publicity period — live, or withdrawn (the caller shows only the
    withdrawal statement then). Raises ``PublicNotice.DoesNotExist`` when it was never
    published or its period has ended."""
    today = today or local_today()
    notice = PublicNotice.objects.only(*NOTICE_DETAIL_COLUMNS).get(
        Q(pk=notice_id), published_on__lte=today, takedown_on__gte=today)
    # defence in depth: the stored text is masked at publication; mask again on the way out
    notice.content = masking.mask_text(notice.content)
    notice.withdrawal_statement = masking.mask_text(notice.withdrawal_statement)
    return notice
