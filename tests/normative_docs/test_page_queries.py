"""The normative document pages run a fixed number of queries: the same bound holds with
a few rows and with many."""
import pytest
import time_machine
from django.urls import reverse

from normative_docs import services
from normative_docs.workflow import DocumentStatus as N
from normative_docs.workflow import RelationKind
from tests import factories

FEW, MANY = 3, 12
ROWS = pytest.mark.parametrize("rows", [FEW, MANY], ids=["few", "many"])


@pytest.fixture(autouse=True)
def _calendar():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def proposals(user, count: int) -> None:
    for n in range(count):
        services.document_propose(actor=user, data={"title": f"湖州市第{n}号管理办法", "reason": "规范管理。"})


def published(count: int, staff_user, head_user) -> list:
    return [factories.normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head_user,
                                                  title=f"湖州市科技创新第{n}号措施") for n in range(count)]


@ROWS
def test_list_query_count_for_staff(client, staff_user, django_assert_max_num_queries, rows):
    proposals(staff_user, rows)
    client.force_login(staff_user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("normative_docs:list"))
    assert len(response.context["page"]) == rows


@ROWS
def test_list_query_count_for_the_filing_bodys_reviewer(client, staff_user, django_assert_max_num_queries, rows):
    head = factories.normative_head("hz-drc")
    published(rows, staff_user, head)
    reviewer = factories.filing_reviewer()
    client.force_login(reviewer)
    with django_assert_max_num_queries(7):  # + whether the reviewer may register historical documents
        response = client.get(reverse("normative_docs:list"))
    assert len(response.context["page"]) == rows


@ROWS
def test_list_query_count_for_supervisor(client, staff_user, other_staff_user, supervisor_user,
                                         django_assert_max_num_queries, rows):
    proposals(staff_user, rows)
    proposals(other_staff_user, rows)
    client.force_login(supervisor_user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("normative_docs:list"), {"status": N.PROPOSED, "year": 2026})
    assert len(response.context["page"]) == min(2 * rows, 20)


@ROWS
def test_detail_query_count_of_a_draft_with_relations_and_related_documents(client, staff_user,
                                                                            django_assert_max_num_queries, rows):
    """A draft linked to many published documents, each also a related document, with a long history."""
    head = factories.normative_head("hz-drc")
    olders = published(rows, staff_user, head)
    draft = factories.normative_document_in_state(N.CONSULTING, staff_user=staff_user, title="湖州市科技创新综合措施")
    for older in olders:
        services.document_link(actor=staff_user, document_id=draft.pk, older_id=older.pk, kind=RelationKind.AMENDS)
    client.force_login(staff_user)
    # 15, of which 2 load this year's holidays for the traffic lights of the working-day clocks.
    with django_assert_max_num_queries(15):  # + the consultations (公众参与) link
        response = client.get(reverse("normative_docs:detail", args=[draft.pk]))
    assert response.status_code == 200
    assert len(response.context["replaces"]) == rows
    assert len(response.context["related"]) == min(rows, 5)


@ROWS
def test_detail_query_count_of_a_published_document_replaced_many_times(client, staff_user,
                                                                         django_assert_max_num_queries, rows):
    head = factories.normative_head("hz-drc")
    old = factories.normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    for _ in range(rows):
        services.document_start_new_version(actor=staff_user, document_id=old.pk)
    client.force_login(head)
    with django_assert_max_num_queries(15):  # + the consultations (公众参与) link
        response = client.get(reverse("normative_docs:detail", args=[old.pk]))
    assert response.status_code == 200
    assert len(response.context["changed_by"]) == rows


@ROWS
def test_my_work_query_count_with_normative_documents(client, staff_user, django_assert_max_num_queries, rows):
    proposals(staff_user, rows)
    client.force_login(staff_user)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("workbench:my-work"))
    assert len(response.context["normative"]) == rows


@ROWS
def test_my_work_query_count_for_the_office(client, staff_user, office_user, django_assert_max_num_queries, rows):
    reviewer = factories.reviewer()
    for n in range(rows):
        factories.normative_document_in_state(N.READY_FOR_DELIBERATION, staff_user=staff_user, reviewer_user=reviewer,
                                              issuer=factories.department("huzhou"), title=f"湖州市第{n}号实施意见")
    client.force_login(office_user)
    with django_assert_max_num_queries(16):  # + the supervision overview (5 capped counts, the same at any size)
        response = client.get(reverse("workbench:my-work"))
    assert len(response.context["normative"]) == rows
    assert "待审议、编号、公布的规范性文件" in response.content.decode()
