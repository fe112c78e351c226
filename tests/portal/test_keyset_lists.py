"""Lists do not grow with their table: page 1 and a deep page cost the same queries, with no OFFSET
and no exact count; next/previous links carry an opaque cursor (rel="next"/"prev")."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from decisions.workflow import DecisionStatus, Disclosure
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_public_decisions():
    start = timezone.make_aware(dt.datetime(2026, 1, 1, 9))
    return [factories.DecisionFactory(title=f"湖州市第{i}号决策", status=DecisionStatus.EXECUTING,
                                      disclosure=Disclosure.PUBLIC, published_at=start + dt.timedelta(days=i // 3))
            for i in range(65)]  # three a day: ties on the date, the id decides


def deep(client, url, pages, next_of):
    response = client.get(url)
    for _ in range(pages):
        response = client.get(next_of(response))
    return response


@pytest.mark.parametrize("name", ["public:decision-list", "public:execution-tracker"])
def test_a_deep_public_page_costs_what_page_1_costs(client, many_public_decisions, name):
    url = reverse(name)
    with CaptureQueriesContext(connection) as first:
        page_1 = client.get(url)
    seen = [d.pk for d in page_1.context["page"]]
    response = page_1
    for _ in range(2):
        nxt = url + "?" + response.context["page"].next_query
        with CaptureQueriesContext(connection) as deeper:
            response = client.get(nxt)
        seen += [d.pk for d in response.context["page"]]
    assert len(deeper) == len(first)
    assert not [q for q in deeper.captured_queries if "OFFSET" in q["sql"] or "COUNT(*) FROM" in q["sql"]
                and "LIMIT 1001" not in q["sql"]]
    assert 'rel="prev"' in response.content.decode() and 'rel="next"' in response.content.decode()
    assert len(seen) == len(set(seen)) == 60  # every row once, in order


def test_the_public_list_says_a_capped_count(client, many_public_decisions, monkeypatch):
    from core import keyset

    monkeypatch.setattr(keyset, "COUNT_CAP", 50)
    response = client.get(reverse("public:decision-list"))
    assert response.context["page"].count_label == "50+"


def test_a_deep_api_page_costs_what_page_1_costs(client, many_public_decisions, django_assert_max_num_queries):
    body = client.get("/api/v1/public/decisions/").json()
    assert body["count"] == 65 and body["count_capped"] is False and len(body["results"]) == 20
    seen = [r["id"] for r in body["results"]]
    with CaptureQueriesContext(connection) as queries:
        while body["next"]:
            body = client.get(body["next"]).json()
            seen += [r["id"] for r in body["results"]]
    assert len(queries) == 3 * 2  # three pages after the first: the rows and the capped count each
    assert len(set(seen)) == 65
    assert client.get("/api/v1/public/decisions/", {"page_size": 10**9}).json()["results"].__len__() == 65


def test_a_deep_staff_page_costs_what_page_1_costs(client, office_user, many_public_decisions):
    client.force_login(office_user)
    url = reverse("decisions:list")
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    response = client.get(url + "?" + response.context["page"].next_query)
    with CaptureQueriesContext(connection) as deeper:
        client.get(url + "?" + response.context["page"].next_query)
    assert len(deeper) == len(first)
    assert not [q for q in deeper.captured_queries if "OFFSET" in q["sql"]]


def test_a_big_catalog_continues_on_the_next_page_and_so_does_its_api(client, monkeypatch):
    from portal import public_views
    from tests.portal.test_feeds import published_catalog

    catalog = published_catalog()
    items = [factories.CatalogItemFactory(catalog=catalog, name=f"湖州市第{i}项事项") for i in range(3)]
    monkeypatch.setattr(public_views, "CATALOG_PAGE_SIZE", 2)
    first = client.get(reverse("public:catalog", args=[catalog.year]))
    second = client.get(reverse("public:catalog", args=[catalog.year]) + "?" + first.context["items"].next_query)
    names = [i.name for i in first.context["items"]] + [i.name for i in second.context["items"]]
    assert sorted(names) == sorted(i.name for i in items) and 'rel="next"' in first.content.decode()

    body = client.get(f"/api/v1/public/catalogs/{catalog.year}/", {"page_size": 2}).json()
    assert len(body["items"]) == 2 and body["item_count"] == 3 and body["next"]
    assert len(client.get(body["next"]).json()["items"]) == 1
