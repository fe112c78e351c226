"""Every list endpoint runs a fixed number of queries, however many rows it shows:
the same bound holds for 3 rows and for 30."""
from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from decisions import services
from decisions.models import Catalog, CatalogAdjustment
from decisions.workflow import DecisionStatus as S
from decisions.workflow import Disclosure
from reviews import services as review_services
from reviews.models import ReviewTask
from tests import factories
from tests.api_support import api

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("rows", [3, 30])]

ALL_ON_ONE_PAGE = {"page_size": 100}


@pytest.fixture(autouse=True)
def _monday_in_may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    cache.clear()


def test_decision_list_query_count(staff_user, rows, django_assert_max_num_queries):
    items = factories.CatalogItemFactory.create_batch(3)
    for n in range(rows):
        link = {"catalog_item": items[n % 3], "outside_catalog_reason": ""} if n % 2 else {}
        factories.decision_in_state(S.DRAFTING, staff_user=staff_user, **link)
    client = api(staff_user)
    with django_assert_max_num_queries(3):  # token, count, page
        response = client.get(reverse("decisions-api:decision-list"), ALL_ON_ONE_PAGE)
    assert len(response.json()["results"]) == rows


def test_review_queue_query_count(staff_user, reviewer_user, rows, django_assert_max_num_queries):
    for n in range(rows):
        decision = factories.decision_in_state(S.DRAFTING, staff_user=staff_user, required_procedures=[])
        services.decision_submit_for_legality_review(actor=staff_user, decision_id=decision.pk)
        if n % 2:
            task = ReviewTask.objects.get(object_id=decision.pk)
            review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)
    client = api(reviewer_user)
    with django_assert_max_num_queries(3):  # token, count, page
        response = client.get(reverse("reviews-api:review-list"), ALL_ON_ONE_PAGE)
    assert len(response.json()["results"]) == rows


def test_public_catalog_query_count(staff_user, office_user, rows, django_assert_max_num_queries):
    catalog = factories.CatalogFactory(year=2026, status=Catalog.Status.COMPILED)
    items = factories.CatalogItemFactory.create_batch(rows, catalog=catalog)
    factories.CatalogItemFactory(catalog=catalog, disclosure=Disclosure.WITHHELD, withheld_reason="《保守国家秘密法》")
    services.catalog_record_party_consent(actor=office_user, year=2026, consent_on=catalog.created_at.date(), note="同意")
    services.catalog_publish(actor=office_user, year=2026)
    for item in items[::3]:
        adjustment = services.catalog_adjustment_propose(actor=staff_user, year=2026, item_id=item.pk,
                                                         kind=CatalogAdjustment.Kind.WITHDRAW, reason="不再需要。")
        services.catalog_adjustment_decide(actor=office_user, adjustment_id=adjustment.pk, approve=True)
    client = api()
    with django_assert_max_num_queries(3):  # catalog, items, adjustments
        response = client.get(reverse("decisions-api:public-catalog", kwargs={"year": 2026}))
    assert response.json()["item_count"] == rows


def test_public_decision_list_query_count(staff_user, office_user, rows, django_assert_max_num_queries):
    for n in range(rows):
        link = {"catalog_item": factories.CatalogItemFactory(), "outside_catalog_reason": ""} if n % 2 else {}
        factories.decision_in_state(S.EXECUTING, staff_user=staff_user, office_user=office_user, **link)
    client = api()
    with django_assert_max_num_queries(2):  # count, page
        response = client.get(reverse("decisions-api:public-decision-list"), ALL_ON_ONE_PAGE)
    assert len(response.json()["results"]) == rows
