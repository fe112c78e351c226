"""Coverage (issue 16): a row per decision body, every figure computed from the records with a
link to them, bodies below 100 % marked, a fixed number of queries at 5 and at 50 bodies; the
page and GET /api/v1/coverage/?year= for supervisors only."""
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services as contract_services
from core.models import Department, Role
from decisions.models import Catalog
from legal_affairs import services as legal
from tests import factories
from tests.api_support import api
from tests.contracts.helpers import reviewed
from workbench.coverage import coverage

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 11)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def row_of(rows, code):
    return next(row for row in rows if row.body.code == code)


def test_every_decision_body_has_a_row_and_an_empty_year_is_below_full():
    rows = coverage(year=2026, today=TODAY)
    assert {row.body.code for row in rows} == set(Department.objects.filter(is_decision_body=True)
                                                  .values_list("code", flat=True))
    zhili = row_of(rows, "wuxing-zhili")
    assert (zhili.cells["catalog"].done, zhili.cells["advisers"].done, zhili.below_full) == (0, 0, True)
    assert not zhili.cells["meetings"].applies and not row_of(rows, "huzhou").cells["meetings"].applies


def test_the_figures_follow_the_records():
    staff = factories.staff("wuxing-zhili")
    factories.CatalogFactory(body=factories.department("wuxing-zhili"), status=Catalog.Status.PUBLISHED,
                             party_consent_on=dt.date(2026, 3, 1), published_at=dt.datetime(2026, 3, 20, 2, tzinfo=dt.UTC))
    contract = reviewed(staff)
    contract_services.contract_sign(actor=staff, contract_id=contract.pk, signed_on=TODAY, signed_by="镇长")
    legal.meeting_record(actor=staff, data={"held_on": TODAY, "session": "联席会议", "topics": "合同", "legal_matters": True,
                                            "sifasuo_head_attended": True})
    legal.meeting_record(actor=staff, data={"held_on": TODAY, "session": "联席会议2", "topics": "征收", "legal_matters": True,
                                            "sifasuo_head_attended": False, "absence_reason": "出差。"})
    legal.adviser_register(actor=staff, data={"name": "钱律师", "kind": "in_house", "term_start": dt.date(2026, 1, 1),
                                              "term_end": dt.date(2026, 12, 31)})
    zhili = row_of(coverage(year=2026, today=TODAY), "wuxing-zhili")
    cells = {key: (cell.done, cell.total) for key, cell in zhili.cells.items()}
    assert cells == {"catalog": (1, 1), "catalog_q1": (1, 1), "decisions": (0, 0), "contracts": (1, 1),
                     "meetings": (1, 2), "advisers": (1, 1), "public_lawyers": (0, 1), "filings": (0, 0)}
    assert zhili.cells["meetings"].rate == 50 and zhili.below_full
    assert zhili.cells["contracts"].url == "/contracts/?body=wuxing-zhili"


def test_a_contract_signed_without_review_counts_against_the_body():
    """Only contracts of 'other' types may be signed without review; a listed type signed before
    the review passed cannot happen through the services, so the denominator counts listed types."""
    staff = factories.staff("wuxing-zhili")
    contract = reviewed(staff)
    contract_services.contract_sign(actor=staff, contract_id=contract.pk, signed_on=TODAY, signed_by="镇长")
    other = contract_services.contract_draft(actor=staff, data={
        "title": "保洁服务合同", "counterparty": "某物业公司", "contract_type": "other", "term_start": TODAY,
        "term_end": dt.date(2027, 5, 10), "key_clauses": "服务内容。", "dispute_resolution": "litigation",
        "dispute_forum": "吴兴区人民法院"})
    contract_services.contract_sign(actor=staff, contract_id=other.pk, signed_on=TODAY, signed_by="镇长")
    assert row_of(coverage(year=2026, today=TODAY), "wuxing-zhili").cells["contracts"].total == 1


def queries_for(bodies: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        rows = coverage(year=2026, today=TODAY)
    assert len(rows) == bodies
    return len(queries)


def test_the_coverage_costs_the_same_at_5_and_at_50_bodies():
    keep = ["huzhou", "wuxing", "wuxing-zhili", "nanxun", "anji-dipu"]
    Department.objects.filter(is_decision_body=True).exclude(code__in=keep).update(is_decision_body=False)
    at_5 = queries_for(5)
    wuxing = Department.objects.get(code="wuxing")
    for n in range(45):
        Department.objects.create(code=f"test-town-{n}", name=f"测试镇{n}", kind="township", level="township",
                                  parent=wuxing, is_decision_body=True, sort_order=100 + n)
    at_50 = queries_for(50)
    print(f"\ncoverage queries: {at_5} at 5 bodies, {at_50} at 50 bodies")
    assert at_5 == at_50 <= 12


def page_queries_for(client, bodies: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workbench:coverage"), {"year": 2026})
    assert len(response.context["rows"]) == bodies
    return len(queries)


def test_the_coverage_page_costs_the_same_at_5_and_at_50_bodies(client):
    client.force_login(factories.supervisor())
    keep = ["huzhou", "wuxing", "wuxing-zhili", "nanxun", "anji-dipu"]
    Department.objects.filter(is_decision_body=True).exclude(code__in=keep).update(is_decision_body=False)
    client.get(reverse("workbench:coverage"))  # the session and the header's badges warmed up alike
    at_5 = page_queries_for(client, 5)
    wuxing = Department.objects.get(code="wuxing")
    for n in range(45):
        Department.objects.create(code=f"test-town-{n}", name=f"测试镇{n}", kind="township", level="township",
                                  parent=wuxing, is_decision_body=True, sort_order=100 + n)
    at_50 = page_queries_for(client, 50)
    print(f"\ncoverage page queries: {at_5} at 5 bodies, {at_50} at 50 bodies")
    assert at_5 == at_50 <= 16


def test_the_page_links_each_cell_and_marks_bodies_below_full(client):
    client.force_login(factories.supervisor())
    response = client.get(reverse("workbench:coverage"), {"year": 2026, "level": "township"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-body="wuxing-zhili" class="below"' in page
    assert 'href="/legal-affairs/meetings/?township=wuxing-zhili"' not in page  # no meeting: not applicable
    assert 'href="/legal-affairs/advisers/?body=wuxing-zhili"' in page
    assert all(row.body.level == "township" for row in response.context["rows"])


@pytest.mark.parametrize(("who", "status"), [("supervisor", 200), ("office", 200), ("staff", 403),
                                             ("reviewer", 403), ("anonymous", 302)])
def test_only_supervisors_and_the_office_open_the_coverage_page(client, who, status):
    user = {"supervisor": factories.supervisor, "office": factories.office,
            "staff": lambda: factories.staff("wuxing-zhili"), "reviewer": factories.reviewer,
            "anonymous": lambda: None}[who]()
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("workbench:coverage")).status_code == status


def test_the_api_returns_a_row_per_body_with_body_name_level_and_links():
    staff = factories.staff("wuxing")
    legal.public_lawyer_register(actor=staff, data={"name": "李公职", "certificate_number": "GZ1",
                                                    "certified_on": dt.date(2024, 1, 1)})
    answer = api(factories.supervisor()).get("/api/v1/coverage/", {"year": 2026}).json()
    wuxing = next(row for row in answer["rows"] if row["body_code"] == "wuxing")
    assert (wuxing["body_name"], wuxing["level"], wuxing["below_full"]) == ("吴兴区人民政府", "county", True)
    assert wuxing["cells"]["public_lawyers"] == {"done": 1, "total": 1, "rate": 100, "full": True,
                                                 "url": "http://testserver/legal-affairs/public-lawyers/?body=wuxing"}
    assert answer["summary"]["public_lawyers"] == 100 // len(answer["rows"])  # one body of all at 100 %
    assert api(factories.staff("wuxing-zhili")).get("/api/v1/coverage/").status_code == 403
    assert api(factories.supervisor()).get("/api/v1/coverage/", {"year": "x"}).status_code == 400


@pytest.mark.parametrize(("published", "in_q1"), [("2026-03-31 23:30 +0800", 1), ("2026-04-01 00:30 +0800", 0)])
def test_q1_is_judged_by_the_huzhou_date_of_publication(published, in_q1):
    factories.CatalogFactory(body=factories.department("wuxing"), status=Catalog.Status.PUBLISHED,
                             party_consent_on=dt.date(2026, 3, 1),
                             published_at=dt.datetime.strptime(published, "%Y-%m-%d %H:%M %z"))
    assert row_of(coverage(year=2026, today=TODAY), "wuxing").cells["catalog_q1"].done == in_q1


# ================================================================== district governments (区县)
WUXING_BODIES = {"wuxing", "wuxing-feiying", "wuxing-zhili", "wuxing-balidian"}


def district_user(code: str = "wuxing", role: Role = Role.STAFF):
    return factories.UserFactory(department=factories.department(code), roles=[role])


@pytest.mark.parametrize("role", [Role.STAFF, Role.HEAD])
def test_a_district_government_s_staff_and_head_see_their_district_and_its_townships_only(client, role):
    client.force_login(district_user(role=role))
    response = client.get(reverse("workbench:coverage"), {"year": 2026})
    assert response.status_code == 200
    assert {row.body.code for row in response.context["rows"]} == WUXING_BODIES
    page = response.content.decode()
    assert 'data-body="nanxun"' not in page and 'data-body="huzhou"' not in page
    assert "显示吴兴区人民政府及所辖乡镇（街道）的决策机关。" in page


def test_a_district_s_api_answer_holds_only_its_own_bodies_and_the_level_filter_narrows_them():
    answer = api(district_user("nanxun")).get("/api/v1/coverage/", {"year": 2026}).json()
    assert {row["body_code"] for row in answer["rows"]} == {"nanxun", "nanxun-lianshi", "nanxun-nanxun",
                                                           "nanxun-shuanglin"}
    townships = api(district_user()).get("/api/v1/coverage/", {"year": 2026, "level": "township"}).json()
    assert {row["body_code"] for row in townships["rows"]} == WUXING_BODIES - {"wuxing"}


def test_a_district_s_department_with_its_own_catalog_is_in_its_coverage():
    Department.objects.filter(code="wuxing-justice").update(is_decision_body=True)
    answer = api(district_user()).get("/api/v1/coverage/", {"year": 2026}).json()
    assert {row["body_code"] for row in answer["rows"]} == WUXING_BODIES | {"wuxing-justice"}


@pytest.mark.parametrize("who", ["township_staff", "district_reviewer", "district_bureau_staff",
                                 "township_head", "city_staff"])
def test_nobody_else_below_the_city_opens_coverage_page_or_api(client, who):
    user = {"township_staff": lambda: factories.staff("wuxing-zhili"),
            "district_reviewer": lambda: factories.reviewer("wuxing-justice"),
            "district_bureau_staff": lambda: factories.staff("wuxing-justice"),
            "township_head": lambda: district_user("wuxing-zhili", Role.HEAD),
            "city_staff": lambda: factories.staff("hz-drc")}[who]()
    client.force_login(user)
    assert client.get(reverse("workbench:coverage")).status_code == 403
    assert api(user).get("/api/v1/coverage/").status_code == 403


def test_the_workbench_menu_offers_coverage_to_a_district_s_staff_but_not_to_a_township_s(client):
    client.force_login(district_user())
    assert reverse("workbench:coverage") in client.get(reverse("workbench:my-work")).content.decode()
    client.force_login(factories.staff("wuxing-zhili"))
    assert reverse("workbench:coverage") not in client.get(reverse("workbench:my-work")).content.decode()


def test_a_district_s_coverage_page_costs_the_same_at_4_and_at_49_bodies(client):
    client.force_login(district_user())
    client.get(reverse("workbench:coverage"))  # the session and the header's badges warmed up alike
    at_4 = page_queries_for(client, 4)
    wuxing = Department.objects.get(code="wuxing")
    for n in range(45):
        Department.objects.create(code=f"test-town-{n}", name=f"测试镇{n}", kind="township", level="township",
                                  parent=wuxing, is_decision_body=True, sort_order=100 + n)
    at_49 = page_queries_for(client, 49)
    print(f"\ndistrict coverage page queries: {at_4} at 4 bodies, {at_49} at 49 bodies")
    assert at_4 == at_49 <= 17
