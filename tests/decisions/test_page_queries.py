"""Every list page runs a fixed number of queries: the same bound holds with
a few rows and with many. A page whose count grows with its rows has an N+1
that belongs in a selector's select_related/prefetch_related."""
import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.models import User
from decisions import services
from decisions.models import Catalog, CatalogAdjustment, CatalogItem
from decisions.workflow import TRACK_PROCEDURES, DecisionStatus, Disclosure, Procedure
from enforcement.models import Case
from normative_docs.models import FilingRecord, NormativeDocument
from reviews.models import ReviewTask
from reviews.services import review_task_claim
from tests import factories
from tests.factories import CatalogFactory, CatalogItemFactory, DecisionFactory
from workbench.views import MY_WORK_ROWS

FEW, MANY = 3, 30
ROWS = pytest.mark.parametrize("rows", [FEW, MANY], ids=["few", "many"])


@pytest.fixture(autouse=True)
def _calendar():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def published_catalog(year: int = 2026) -> Catalog:
    return CatalogFactory(
        year=year, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(year, 3, 10),
        published_at=timezone.make_aware(dt.datetime(year, 3, 20, 9, 0)), document_number=f"湖政发〔{year}〕1号",
    )


def withdraw_adjustments(catalog: Catalog, items: list[CatalogItem], *, publish: bool, office_user=None) -> None:
    """Adjustments through the real services: proposed by the item's department, optionally published."""
    proposers: dict[int, User] = {}
    for item in items:
        if item.lead_department_id not in proposers:
            proposers[item.lead_department_id] = factories.staff(item.lead_department.code)
        adjustment = services.catalog_adjustment_propose(
            actor=proposers[item.lead_department_id], year=catalog.year, kind=CatalogAdjustment.Kind.WITHDRAW,
            reason="情况发生变化，本年度不再实施。", item_id=item.pk)
        if publish:
            services.catalog_adjustment_decide(actor=office_user, adjustment_id=adjustment.pk, approve=True)


def executing_decisions(count: int) -> None:
    staff_user, reviewer_user, office_user = factories.staff(), factories.reviewer(), factories.office()
    for _ in range(count):
        factories.decision_in_state(DecisionStatus.EXECUTING, staff_user=staff_user, reviewer_user=reviewer_user,
                                    office_user=office_user)


# ------------------------------------------------------------------ staff pages
@ROWS
def test_decision_list_query_count(client, staff_user, django_assert_max_num_queries, rows):
    catalog = CatalogFactory(year=2026)
    for n in range(rows):
        item = CatalogItemFactory(catalog=catalog, proposed_by=staff_user) if n % 2 else None
        DecisionFactory(department=staff_user.department, created_by=staff_user, catalog_item=item)
    client.force_login(staff_user)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("decisions:list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == min(rows, 20)


@ROWS
def test_decision_list_query_count_for_office(client, office_user, staff_user, other_staff_user,
                                              django_assert_max_num_queries, rows):
    for n in range(rows):
        creator = staff_user if n % 2 else other_staff_user
        DecisionFactory(department=creator.department, created_by=creator)
    client.force_login(office_user)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("decisions:list"))
    assert len(response.context["page"]) == min(rows, 20)


@pytest.mark.parametrize("procedures", [[Procedure.PUBLIC_COMMENT], list(TRACK_PROCEDURES)], ids=["one", "all"])
def test_decision_detail_query_count(client, staff_user, django_assert_max_num_queries, procedures):
    """An executed decision: procedure records with files, a review, a meeting and a long timeline."""
    decision = factories.decision_in_state(DecisionStatus.EXECUTING, staff_user=staff_user,
                                           required_procedures=procedures)
    for _ in range(len(procedures)):
        services.decision_report_execution(actor=staff_user, decision_id=decision.pk,
                                           reported_on=timezone.localdate(), progress="按计划推进。")
    client.force_login(staff_user)
    # 14, plus 2 per calendar year when a working-day clock is shown (the year's holidays, loaded once).
    with django_assert_max_num_queries(14):  # + the consultations (公众参与) link
        response = client.get(reverse("decisions:detail", args=[decision.pk]))
    assert response.status_code == 200
    assert len(response.context["procedures"]) == len(procedures)
    assert [c.rule for c in response.context["clocks"]] == ["decision.execution_report"]


@ROWS
def test_catalog_manage_query_count_for_office_compiling(client, office_user, staff_user, other_staff_user,
                                                         django_assert_max_num_queries, rows):
    catalog = CatalogFactory(year=2027)
    for n in range(rows):
        proposer = staff_user if n % 2 else other_staff_user
        CatalogItemFactory(catalog=catalog, number=None, status=CatalogItem.Status.PROPOSED,
                           lead_department=proposer.department, proposed_by=proposer)
    client.force_login(office_user)
    with django_assert_max_num_queries(11):  # + the decision body whose catalog it is
        response = client.get(reverse("decisions:catalog-manage-year", args=[2027]))
    assert response.status_code == 200
    assert len(response.context["items"]) == rows


@ROWS
def test_catalog_manage_query_count_with_adjustments(client, staff_user, django_assert_max_num_queries, rows):
    catalog = published_catalog(2026)
    items = [CatalogItemFactory(catalog=catalog, proposed_by=staff_user) for _ in range(rows)]
    withdraw_adjustments(catalog, items, publish=False)
    client.force_login(staff_user)
    with django_assert_max_num_queries(9):  # + the decision body the unit works for
        response = client.get(reverse("decisions:catalog-manage-year", args=[2026]))
    assert response.status_code == 200
    assert len(response.context["adjustments"]) == rows


# ------------------------------------------------------------------ 我的工作, review queue, responsibility
@ROWS
def test_my_work_query_count_for_staff(client, staff_user, django_assert_max_num_queries, rows):
    catalog = CatalogFactory(year=2026)
    for n in range(rows):
        DecisionFactory(department=staff_user.department, created_by=staff_user,
                        catalog_item=CatalogItemFactory(catalog=catalog, proposed_by=staff_user) if n % 2 else None)
    client.force_login(staff_user)
    with django_assert_max_num_queries(7):  # + 本单位规范性文件
        response = client.get(reverse("workbench:my-work"))
    assert len(response.context["work"]["department"]) == min(rows, MY_WORK_ROWS)


@ROWS
def test_my_work_query_count_for_reviewer(client, reviewer_user, staff_user, django_assert_max_num_queries, rows):
    for n in range(rows):
        decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
        if n % 2:
            task = ReviewTask.objects.get(object_id=decision.pk)
            review_task_claim(task_id=task.pk, actor=reviewer_user)
    client.force_login(reviewer_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("workbench:my-work"))
    assert len(response.context["reviews"]) == min(rows, MY_WORK_ROWS)


@ROWS
def test_my_work_query_count_for_office(client, office_user, staff_user, reviewer_user, django_assert_max_num_queries,
                                        rows):
    for _ in range(rows):
        factories.decision_in_state(DecisionStatus.READY_FOR_DISCUSSION, staff_user=staff_user,
                                    reviewer_user=reviewer_user)
    catalog = published_catalog(2026)
    items = [CatalogItemFactory(catalog=catalog, proposed_by=staff_user) for _ in range(rows)]
    withdraw_adjustments(catalog, items, publish=False)
    for year in range(2027, 2027 + rows):
        CatalogFactory(year=year)
    client.force_login(office_user)
    ContentType.objects.get_for_models(Case, NormativeDocument, FilingRecord)  # cached per process after the first page
    # + 规范性文件 awaiting a government; + the supervision overview (5 capped counts, the same at any size)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("workbench:my-work"))
    work = response.context["work"]
    assert (len(work["office"]), len(work["catalog_adjustments"]), len(work["catalogs"])) == (
        min(rows, MY_WORK_ROWS), rows, rows)


@ROWS
def test_review_queue_query_count(client, reviewer_user, staff_user, other_staff_user, django_assert_max_num_queries,
                                  rows):
    for n in range(rows):
        decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW,
                                               staff_user=staff_user if n % 2 else other_staff_user)
        if n % 3 == 0:
            review_task_claim(task_id=ReviewTask.objects.get(object_id=decision.pk).pk, actor=reviewer_user)
    client.force_login(reviewer_user)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("reviews:review-queue"))
    assert len(response.context["page"]) == min(rows, 20)


@ROWS
def test_review_queue_query_count_for_supervisor(client, supervisor_user, staff_user, reviewer_user,
                                                 django_assert_max_num_queries, rows):
    for _ in range(rows):
        factories.decision_in_state(DecisionStatus.READY_FOR_DISCUSSION, staff_user=staff_user,
                                    reviewer_user=reviewer_user)
    client.force_login(supervisor_user)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("reviews:review-queue"), {"state": "done"})
    assert len(response.context["page"]) == min(rows, 20)


@ROWS
def test_responsibility_query_count(client, supervisor_user, staff_user, django_assert_max_num_queries, rows):
    for _ in range(rows):
        factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user)
    client.force_login(supervisor_user)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("workbench:responsibility", args=[staff_user.pk]))
    assert response.status_code == 200
    assert len(response.context["page"]) == rows


# ------------------------------------------------------------------ public pages
@ROWS
def test_public_home_query_count(client, db, django_assert_max_num_queries, rows):
    executing_decisions(rows)
    for year in range(2000, 2000 + rows):
        published_catalog(year)
    with django_assert_max_num_queries(2):
        response = client.get(reverse("public:home"))
    assert len(response.context["latest"]) == min(rows, 8)


@ROWS
def test_public_catalog_index_query_count(client, db, django_assert_max_num_queries, rows):
    for year in range(2000, 2000 + rows):
        published_catalog(year)
    CatalogFactory(year=2099)
    with django_assert_max_num_queries(2):  # the catalogs and the years of the filter
        response = client.get(reverse("public:catalog-index"))
    assert len(response.context["catalogs"]) == rows


@ROWS
def test_public_catalog_query_count(client, office_user, staff_user, other_staff_user, django_assert_max_num_queries,
                                    rows):
    catalog = published_catalog(2026)
    proposers = [staff_user, other_staff_user]
    items = [CatalogItemFactory(catalog=catalog, lead_department=proposers[n % 2].department,
                                proposed_by=proposers[n % 2]) for n in range(rows)]
    CatalogItemFactory.create_batch(rows, catalog=catalog, proposed_by=staff_user, disclosure=Disclosure.WITHHELD,
                                    withheld_reason="涉及国家秘密，依法不予公开。")
    withdraw_adjustments(catalog, items[: rows // 2 + 1], publish=True, office_user=office_user)
    with django_assert_max_num_queries(4):  # + the disclosure record (索引号)
        response = client.get(reverse("public:catalog", args=[2026]))
    assert response.status_code == 200
    assert len(response.context["items"]) == rows
    assert len(response.context["adjustments"]) == rows // 2 + 1


@ROWS
def test_public_decision_list_query_count(client, db, django_assert_max_num_queries, rows):
    executing_decisions(rows)
    with django_assert_max_num_queries(2):
        response = client.get(reverse("public:decision-list"))
    assert len(response.context["page"]) == min(rows, 20)


@pytest.mark.parametrize("procedures", [[Procedure.PUBLIC_COMMENT], list(TRACK_PROCEDURES)], ids=["one", "all"])
def test_public_decision_detail_query_count(client, db, django_assert_max_num_queries, procedures):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING, required_procedures=procedures)
    with django_assert_max_num_queries(7):  # + the disclosure record (索引号), + the consultations link
        response = client.get(reverse("public:decision-detail", args=[decision.pk]))
    assert response.status_code == 200
    assert len(response.context["records"]) == len(procedures)
