"""Township legal affairs and legal advisers (issue 16): each township's 党政联席会议 with whether
the head of its 司法所 attended, the meetings that took legal matters without them; the registry
of 法律顾问 and 公职律师 per body, opinions attached to a decision, contract or review, an annual
evaluation; through the services, the pages and the API, scoped by body."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from contracts.models import Contract
from core.exceptions import DomainError, NotPermitted
from core.models import Role
from legal_affairs import services
from legal_affairs.models import LegalAdviser, TownshipMeeting
from tests import factories
from tests.api_support import api
from tests.contracts.helpers import drafted

pytestmark = pytest.mark.django_db

TOWNSHIP = "wuxing-zhili"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def meeting(staff, *, legal=True, attended=True, reason=""):
    return services.meeting_record(actor=staff, data={
        "held_on": dt.date(2026, 5, 8), "session": "镇党政联席会议第12次", "topics": "童装产业园厂房租赁合同",
        "legal_matters": legal, "sifasuo_head_attended": attended, "absence_reason": reason})


def adviser(staff, **overrides):
    return services.adviser_register(actor=staff, data={
        "name": "钱律师", "kind": "retained", "firm": "浙江某律师事务所", "term_start": dt.date(2026, 1, 1),
        "term_end": dt.date(2026, 12, 31), "contract_reference": "法律顾问聘用合同（2026）", **overrides})


def test_a_legal_meeting_without_the_sifasuo_head_needs_a_reason_and_is_listed():
    staff = factories.staff(TOWNSHIP)
    with pytest.raises(DomainError, match="须说明原因"):
        meeting(staff, attended=False)
    gap = meeting(staff, attended=False, reason="司法所长参加县级培训。")
    meeting(staff, attended=True)
    meeting(staff, legal=False, attended=False)
    assert list(TownshipMeeting.objects.legal_without_sifasuo()) == [gap]


def test_only_a_townships_staff_record_its_meetings():
    with pytest.raises(NotPermitted):
        meeting(factories.staff("hz-drc"))


def test_the_meetings_page_lists_the_gaps_to_the_sifasuo_but_not_to_another_township(client):
    staff = factories.staff(TOWNSHIP)
    gap = meeting(staff, attended=False, reason="出差。")
    client.force_login(factories.reviewer("wuxing-zhili-sfs"))
    assert list(client.get(reverse("legal_affairs:meetings"), {"gaps": "1"}).context["page"]) == [gap]
    client.force_login(factories.staff("wuxing-balidian"))
    assert list(client.get(reverse("legal_affairs:meetings")).context["page"]) == []


def test_a_meeting_is_recorded_through_the_page(client):
    client.force_login(factories.staff(TOWNSHIP))
    response = client.post(reverse("legal_affairs:meetings"), {
        "held_on": "2026-05-08", "session": "镇党政联席会议", "topics": "征收补偿方案", "legal_matters": "on",
        "sifasuo_head_attended": "on"})
    assert response.status_code == 302
    assert TownshipMeeting.objects.get().sifasuo_head_attended


def test_a_retained_adviser_needs_a_firm_and_a_term_in_order():
    staff = factories.staff(TOWNSHIP)
    with pytest.raises(DomainError, match="执业机构"):
        adviser(staff, firm="")
    with pytest.raises(DomainError, match="聘期止"):
        adviser(staff, term_end=dt.date(2025, 1, 1))


def test_an_opinion_is_attached_to_a_contract_and_counted_in_the_evaluation():
    staff = factories.staff(TOWNSHIP)
    retained = adviser(staff)
    contract = drafted(staff)
    opinion = services.opinion_attach(actor=staff, adviser_id=retained.pk, subject_kind="contract",
                                      object_id=contract.pk, given_on=dt.date(2026, 5, 9), opinion="建议增加违约金条款。")
    assert opinion.subject == contract
    head = factories.UserFactory(department=factories.department(TOWNSHIP), roles=[Role.STAFF, Role.HEAD])
    evaluation = services.adviser_evaluate(actor=head, adviser_id=retained.pk, year=2026, grade="excellent",
                                           comments="响应及时，意见质量高。")
    assert evaluation.opinions_given == 1
    with pytest.raises(NotPermitted):
        services.adviser_evaluate(actor=staff, adviser_id=retained.pk, year=2025, grade="competent", comments="—")


def test_an_opinion_cannot_be_attached_to_what_the_user_cannot_see():
    staff = factories.staff(TOWNSHIP)
    retained = adviser(staff)
    theirs = drafted(factories.staff("wuxing-balidian"))
    with pytest.raises(Contract.DoesNotExist):
        services.opinion_attach(actor=staff, adviser_id=retained.pk, subject_kind="contract", object_id=theirs.pk,
                                given_on=dt.date(2026, 5, 9), opinion="意见。")


def test_the_adviser_api_registers_lists_and_scopes_by_body():
    staff = factories.staff(TOWNSHIP)
    created = api(staff).post("/api/v1/legal-advisers/", {
        "name": "孙顾问", "kind": "in_house", "term_start": "2026-01-01", "term_end": "2027-12-31"}, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["body_name"], created.json()["level"]) == ("吴兴区织里镇人民政府", "township")
    pk = created.json()["id"]
    contract = drafted(staff)
    attached = api(staff).post(f"/api/v1/legal-advisers/{pk}/opinions/", {
        "subject_kind": "contract", "object_id": contract.pk, "given_on": "2026-05-10", "opinion": "同意。"},
        format="json")
    assert attached.status_code == 201 and attached.json()["opinions"][0]["subject_kind"] == "contract"
    assert [a["id"] for a in api(staff).get("/api/v1/legal-advisers/").json()["results"]] == [pk]
    assert api(factories.staff("wuxing-balidian")).get("/api/v1/legal-advisers/").json()["results"] == []
    assert api(factories.staff("wuxing-balidian")).get(f"/api/v1/legal-advisers/{pk}/").status_code == 404
    assert len(api(factories.supervisor()).get("/api/v1/legal-advisers/").json()["results"]) == 1
    assert api().get("/api/v1/legal-advisers/").status_code == 401


def test_the_public_lawyer_api_registers_and_refuses_a_duplicate_certificate():
    staff = factories.staff("wuxing")
    body = {"name": "李公职", "certificate_number": "GZ3305020001", "certified_on": "2024-06-01"}
    assert api(staff).post("/api/v1/public-lawyers/", body, format="json").status_code == 201
    again = api(staff).post("/api/v1/public-lawyers/", body, format="json")
    assert again.status_code == 409
    listed = api(factories.supervisor()).get("/api/v1/public-lawyers/").json()["results"]
    assert [(p["body_name"], p["level"]) for p in listed] == [("吴兴区人民政府", "county")]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_adviser_registry_costs_the_same_for_many_rows(client, django_assert_max_num_queries, rows):
    staff = factories.staff(TOWNSHIP)
    for n in range(rows):
        adviser(staff, name=f"顾问{n}")
    client.force_login(factories.supervisor())
    with django_assert_max_num_queries(7):
        response = client.get(reverse("legal_affairs:advisers"))
    assert len(response.context["page"].object_list) == min(rows, 20)
    assert LegalAdviser.objects.count() == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_meetings_page_costs_the_same_for_many_rows(client, django_assert_max_num_queries, rows):
    staff = factories.staff(TOWNSHIP)
    for _ in range(rows):
        meeting(staff)
    client.force_login(factories.supervisor())
    with django_assert_max_num_queries(8):
        response = client.get(reverse("legal_affairs:meetings"))
    assert response.status_code == 200
    assert response.content.decode().count("镇党政联席会议第12次") == min(rows, 20)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_public_lawyer_registry_costs_the_same_for_many_rows_and_pages_by_keyset(client, django_assert_max_num_queries,
                                                                                     rows):
    staff = factories.staff(TOWNSHIP)
    for n in range(rows):
        services.public_lawyer_register(actor=staff, data={"name": f"公职律师{n:02d}",
                                                           "certificate_number": f"GZ33050{n:05d}",
                                                           "certified_on": dt.date(2024, 6, 1)})
    client.force_login(factories.supervisor())
    with django_assert_max_num_queries(7):
        response = client.get(reverse("legal_affairs:public-lawyers"))
    page = response.context["page"]
    assert len(page.object_list) == min(rows, 20) and page.has_next == (rows > 20)
    if page.has_next:  # the second page follows from the cursor, never an offset
        second = client.get(f"{reverse('legal_affairs:public-lawyers')}?{page.next_query}").context["page"]
        names = [p.name for p in page.object_list] + [p.name for p in second.object_list]
        assert sorted(names) == [f"公职律师{n:02d}" for n in range(rows)]
