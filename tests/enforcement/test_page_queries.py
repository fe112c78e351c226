"""The enforcement pages run a fixed number of queries: the same bound holds with a few
rows and with many."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from enforcement import services
from enforcement.workflow import CaseStatus as C
from tests import factories
from tests.factories import pdf_file

FEW, MANY = 3, 12
ROWS = pytest.mark.parametrize("rows", [FEW, MANY], ids=["few", "many"])


@pytest.fixture(autouse=True)
def _calendar():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def people(db):
    officer = factories.enforcement_officer("hz-amr")
    return {"officer": officer, "colleague": factories.enforcement_officer("hz-amr"),
            "head_user": factories.enforcement_officer("hz-amr", head=True)}


def cases(people, count: int, target=C.INVESTIGATING, **data) -> list:
    return [factories.case_in_state(target, seed=n, **people, **data) for n in range(count)]


@ROWS
def test_list_query_count_for_an_officer(client, people, django_assert_max_num_queries, rows):
    cases(people, rows)
    client.force_login(people["officer"])
    # 6, plus one for the "登记案件线索" button: only certified officers may register a clue.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("enforcement:list"))
    assert len(response.context["page"]) == rows


@ROWS
def test_list_query_count_for_the_supervisor_with_filters(client, people, supervisor_user,
                                                         django_assert_max_num_queries, rows):
    cases(people, rows)
    other = factories.enforcement_officer("hz-eco")
    for n in range(rows):
        factories.case_in_state(C.CLUE, officer=other, seed=100 + n)
    client.force_login(supervisor_user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("enforcement:list"), {"status": C.INVESTIGATING, "key_area": "food_drug",
                                                            "year": 2026})
    assert len(response.context["page"]) == rows


@ROWS
def test_detail_query_count_of_a_case_with_many_records_and_recusals(client, people, django_assert_max_num_queries,
                                                                     rows):
    """An officer's view of a case in legal review: records with files, recusals, a review
    task, the clocks and a long history."""
    officer, colleague = people["officer"], people["colleague"]
    case = factories.case_in_state(C.NOTIFIED, fine="50000", **people)
    for n in range(rows):
        services.case_add_record(actor=officer, case_id=case.pk, kind="questioning",
                                 happened_at=dt.datetime(2026, 5, 11, 8, n, tzinfo=dt.UTC), place="询问室",
                                 summary=f"第{n}次询问。", officer_ids=[officer.pk, colleague.pk],
                                 files=[pdf_file(f"笔录{n}.pdf")])
        services.case_request_recusal(actor=officer, case_id=case.pk, officer_id=colleague.pk, reason=f"理由{n}")
    services.case_submit_for_legal_review(actor=officer, case_id=case.pk)
    client.force_login(officer)
    # 18, of which 2 load this year's holidays for the traffic lights of the working-day clocks.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert response.status_code == 200
    assert len(response.context["records"]) == rows and len(response.context["recusals"]) == rows


@ROWS
def test_detail_query_count_of_a_decided_and_published_case(client, people, supervisor_user,
                                                            django_assert_max_num_queries, rows):
    officer = people["officer"]
    case = factories.case_in_state(C.SERVED, **people)
    services.case_publish_notice(actor=officer, case_id=case.pk)
    for n in range(rows):
        services.reveal_personal_data(actor=officer, case_id=case.pk, reason=f"核对身份{n}")
    client.force_login(supervisor_user)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert response.context["notice"] is not None
    assert response.context["payment"]["paid"] is False


@ROWS
def test_my_work_query_count_for_an_officer_with_cases(client, people, django_assert_max_num_queries, rows):
    cases(people, rows)
    client.force_login(people["officer"])
    with django_assert_max_num_queries(8):  # the body's cases: one query, only when it has some
        response = client.get(reverse("workbench:my-work"))
    assert len(response.context["cases"]) == rows
