"""Keyset pagination (core.keyset): every row once, in order, forwards and back, whatever the ties;
an opaque cursor; a capped count; page 1 and a deep page cost the same queries."""
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core import keyset
from core.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments():
    # many ties on sort_order: the primary key decides among them
    Department.objects.bulk_create(Department(code=f"k{i}", name=f"测试单位{i}", kind="department",
                                              sort_order=i % 3) for i in range(23))
    return Department.objects.filter(code__startswith="k")


def walk(queryset, **options):
    request, pages = RequestFactory().get("/"), []
    while True:
        page = keyset.keyset_page(request, queryset, per_page=5, **options)
        pages.append(page)
        if not page.has_next:
            return pages
        request = RequestFactory().get("/?" + page.next_query)


@pytest.mark.parametrize("order", [["sort_order", "id"], ["-sort_order", "-id"], ["sort_order", "-name"]])
def test_walking_forward_lists_every_row_once_in_order(departments, order):
    rows = [d.pk for page in walk(departments.order_by(*order)) for d in page]
    assert rows == list(departments.order_by(*order).values_list("pk", flat=True))


def test_walking_back_gives_the_same_pages(departments):
    pages = walk(departments.order_by("-sort_order", "-id"))
    page, back = pages[-1], []
    while page.has_previous:
        page = keyset.keyset_page(RequestFactory().get("/?" + page.previous_query),
                                  departments.order_by("-sort_order", "-id"), per_page=5)
        back.append([d.pk for d in page])
    assert back == [[d.pk for d in p] for p in reversed(pages[:-1])]
    assert not page.has_previous


def test_the_cursor_is_opaque_and_a_forged_one_gives_the_first_page(departments):
    first = keyset.keyset_page(RequestFactory().get("/?status=x"), departments, per_page=5)
    assert "cursor=" in first.next_query and "status=x" in first.next_query
    assert "sort_order" not in first.next_query
    for forged in ["abc", "W10", keyset.encode_cursor("n", [1])]:
        page = keyset.keyset_page(RequestFactory().get("/", {"cursor": forged}), departments, per_page=5)
        assert [d.pk for d in page] == [d.pk for d in first]


def test_the_count_stops_at_the_cap(departments, monkeypatch):
    monkeypatch.setattr(keyset, "COUNT_CAP", 10)
    page = keyset.keyset_page(RequestFactory().get("/"), departments, per_page=5)
    assert page.count == 11 and page.count_capped and page.count_label == "10+"
    whole = keyset.keyset_page(RequestFactory().get("/"), departments.filter(sort_order=0), per_page=20)
    assert whole.count == 8 and whole.count_label == "8" and not whole.has_other_pages()


def test_a_deep_page_costs_the_queries_of_page_1(departments):
    pages = walk(departments)
    with CaptureQueriesContext(connection) as first:
        assert keyset.keyset_page(RequestFactory().get("/"), departments, per_page=5).count == 23
    with CaptureQueriesContext(connection) as deep:
        assert keyset.keyset_page(RequestFactory().get("/?" + pages[-2].next_query), departments, per_page=5).count
    assert len(first) == len(deep) == 2  # the rows and the capped count
    assert "OFFSET" not in deep.captured_queries[0]["sql"]


def test_a_page_that_shows_no_count_runs_no_count(departments):
    with CaptureQueriesContext(connection) as queries:
        page = keyset.keyset_page(RequestFactory().get("/"), departments, per_page=5)
        list(page)
    assert len(queries) == 1


@pytest.mark.parametrize("values", [["abc", "xyz"], [1, "xyz"], ["\x00", 1], [float("inf"), 1], [1e308, 1],
                                    [2 ** 70, 1], [[1], {"a": 1}]])
def test_a_cursor_with_values_of_the_wrong_kind_gives_the_first_page_not_an_error(departments, values):
    # a hand-edited cursor of the right length: its values do not fit the order's fields
    first = keyset.keyset_page(RequestFactory().get("/"), departments.order_by("sort_order", "id"), per_page=5)
    for direction in ("n", "p"):
        cursor = keyset.encode_cursor(direction, values)
        page = keyset.keyset_page(RequestFactory().get("/", {"cursor": cursor}),
                                  departments.order_by("sort_order", "id"), per_page=5)
        assert [d.pk for d in page] == [d.pk for d in first]


def test_walking_an_order_on_a_nullable_field_passes_the_rows_without_a_value(departments):
    parent = Department.objects.create(code="kp", name="测试上级", kind="department")
    departments.filter(sort_order=1).update(parent=parent)
    order = ["parent_id", "id"]
    rows = [d.pk for page in walk(departments.order_by(*order)) for d in page]
    assert rows == list(departments.order_by(*order).values_list("pk", flat=True))
