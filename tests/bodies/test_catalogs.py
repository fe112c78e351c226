"""A catalog per decision body per year (issue 16): a township compiles, gets consent for and
publishes its own catalog beside the city's; items go to the catalog of the body their unit
works for; the public index lists every body's catalogs by level, with a filter; the public API
names each catalog's body and level."""
import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.models import Department, Role
from decisions import services
from decisions.models import Catalog, CatalogItem
from decisions.workflow import Procedure
from tests import factories
from tests.api_support import api

pytestmark = pytest.mark.django_db

JAN, MARCH = "2026-01-15 10:00 +0800", "2026-03-20 10:00 +0800"


def item_data(name: str) -> dict:
    return {"name": name, "content": "明确目标任务、实施步骤和保障措施。", "legal_basis": "《重大行政决策程序暂行条例》第三条",
            "required_procedures": [Procedure.PUBLIC_COMMENT], "planned_completion": dt.date(2026, 10, 31),
            "category": "planning"}


def township_head(code: str = "wuxing-zhili"):
    return factories.UserFactory(department=factories.department(code), roles=[Role.STAFF, Role.HEAD])


def publish_catalog(*, proposer, manager, name: str, body_id: int | None = None) -> Catalog:
    with time_machine.travel(JAN, tick=False):
        item = services.catalog_item_propose(actor=proposer, year=2026, data=item_data(name))
    with time_machine.travel(MARCH, tick=False):
        services.catalog_compile(actor=manager, year=2026, included_ids=[item.pk], body_id=body_id)
        services.catalog_record_party_consent(actor=manager, year=2026, consent_on=dt.date(2026, 3, 18),
                                              note="经党委同意。", body_id=body_id)
        return services.catalog_publish(actor=manager, year=2026, document_number="", body_id=body_id)


@pytest.fixture
def two_catalogs(office_user):
    """The city's and 织里镇's 2026 catalogs, both published in Q1."""
    city = publish_catalog(proposer=factories.staff("hz-drc"), manager=office_user, name="湖州市城市更新三年行动计划")
    head = township_head()
    township = publish_catalog(proposer=factories.staff("wuxing-zhili"), manager=head, name="织里镇童装产业园区规划",
                               body_id=head.department_id)
    return city, township


def test_a_township_item_goes_to_the_township_catalog_not_the_citys(two_catalogs):
    city, township = two_catalogs
    assert (township.body.code, township.decision_body) == ("wuxing-zhili", "吴兴区织里镇人民政府")
    assert list(township.items.values_list("name", flat=True)) == ["织里镇童装产业园区规划"]
    assert list(city.items.values_list("name", flat=True)) == ["湖州市城市更新三年行动计划"]
    assert township.items.get().decision_body == "吴兴区织里镇人民政府"


def test_a_township_publishes_its_own_catalog_in_q1(two_catalogs):
    _city, township = two_catalogs
    assert township.status == Catalog.Status.PUBLISHED and township.published_in_q1


@pytest.mark.parametrize("who", ["township_staff", "other_township_head", "city_office"])
def test_only_the_township_head_manages_the_township_catalog(office_user, who):
    with time_machine.travel(JAN, tick=False):
        services.catalog_item_propose(actor=factories.staff("wuxing-zhili"), year=2026, data=item_data("事项"))
    body = factories.department("wuxing-zhili")
    actor = {"township_staff": lambda: factories.staff("wuxing-zhili"),
             "other_township_head": lambda: township_head("wuxing-balidian"),
             "city_office": lambda: office_user}[who]()
    with pytest.raises(PermissionDenied):
        services.catalog_compile(actor=actor, year=2026, included_ids=list(CatalogItem.objects.values_list(
            "pk", flat=True)), body_id=body.pk)
    assert Catalog.objects.get(body=body).status == Catalog.Status.COLLECTING


def test_a_township_head_may_not_manage_the_city_catalog(office_user):
    with time_machine.travel(JAN, tick=False):
        services.catalog_item_propose(actor=factories.staff("hz-drc"), year=2026, data=item_data("事项"))
    with pytest.raises(PermissionDenied):
        services.catalog_compile(actor=township_head(), year=2026, included_ids=[],
                                 body_id=factories.department("huzhou").pk)


def test_the_public_index_lists_every_body_by_level_and_filters(client, two_catalogs):
    response = client.get(reverse("public:catalog-index"))
    assert [(c.body.code, c.body.level) for c in response.context["catalogs"]] == [
        ("huzhou", "city"), ("wuxing-zhili", "township")]
    page = response.content.decode()
    assert "吴兴区织里镇人民政府2026年度重大行政决策事项目录" in page and "乡镇（街道）级" in page
    filtered = client.get(reverse("public:catalog-index"), {"level": "township", "year": "2026"})
    assert [c.body.code for c in filtered.context["catalogs"]] == ["wuxing-zhili"]


def test_the_public_index_costs_the_same_for_many_bodies(client, office_user, django_assert_max_num_queries):
    for body in Department.objects.filter(kind=Department.Kind.TOWNSHIP):
        factories.CatalogFactory(body=body, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(2026, 3, 1),
                                 published_at=dt.datetime(2026, 3, 20, tzinfo=dt.UTC))
    with django_assert_max_num_queries(4):
        response = client.get(reverse("public:catalog-index"))
    assert len(response.context["catalogs"]) == Department.objects.filter(kind=Department.Kind.TOWNSHIP).count()


def test_the_township_catalog_has_its_own_public_page(client, two_catalogs):
    _city, township = two_catalogs
    response = client.get(township.public_url)
    assert response.status_code == 200
    assert "织里镇童装产业园区规划" in response.content.decode()
    assert "湖州市城市更新三年行动计划" not in response.content.decode()
    assert client.get(reverse("public:catalog-body", args=[2026, "wuxing-zhili-sfs"])).status_code == 404


def test_the_public_api_names_each_catalogs_body_and_level(two_catalogs):
    answer = api().get("/api/v1/public/catalogs/", {"year": 2026}).json()
    assert answer["years"] == [2026]
    assert [(c["body_name"], c["level"]) for c in answer["catalogs"]] == [
        ("湖州市人民政府", "city"), ("吴兴区织里镇人民政府", "township")]
    only_townships = api().get("/api/v1/public/catalogs/", {"year": 2026, "level": "township"}).json()
    assert [c["body_code"] for c in only_townships["catalogs"]] == ["wuxing-zhili"]
    one = api().get("/api/v1/public/catalogs/2026/", {"body": "wuxing-zhili"}).json()
    assert (one["body_name"], one["level"], [i["name"] for i in one["items"]]) == (
        "吴兴区织里镇人民政府", "township", ["织里镇童装产业园区规划"])


def test_an_unpublished_township_catalog_is_not_public(client):
    with time_machine.travel(JAN, tick=False):
        services.catalog_item_propose(actor=factories.staff("wuxing-zhili"), year=2026, data=item_data("事项"))
    assert client.get(reverse("public:catalog-body", args=[2026, "wuxing-zhili"])).status_code == 404
    assert api().get("/api/v1/public/catalogs/", {"year": 2026}).json()["catalogs"] == []


def test_the_township_head_publishes_through_the_pages(client):
    with time_machine.travel(JAN, tick=False):
        item = services.catalog_item_propose(actor=factories.staff("wuxing-zhili"), year=2026, data=item_data("事项"))
    client.force_login(township_head())
    with time_machine.travel(MARCH, tick=False):
        page = client.get(reverse("decisions:catalog-manage-year", args=[2026]))
        assert page.context["body"].code == "wuxing-zhili" and page.context["can_manage"]
        url = lambda name: reverse(f"decisions:{name}", args=[2026]) + "?body=wuxing-zhili"  # noqa: E731
        client.post(url("catalog-compile"), {"included": [item.pk], "note": ""})
        client.post(url("catalog-party-consent"), {"consent_on": "2026-03-18", "note": "经镇党委同意。"})
        client.post(url("catalog-publish"), {"document_number": "", "confirmed": "on"})
    assert Catalog.objects.get(body__code="wuxing-zhili").status == Catalog.Status.PUBLISHED
