"""The contracts API (/api/v1/contracts/): the same services as the pages."""
import pytest
import time_machine

from reviews.models import ReviewTask
from tests import factories
from tests.api_support import api
from tests.contracts.helpers import TOWNSHIP, contract_checklist

pytestmark = pytest.mark.django_db

BODY = {"title": "织里镇农贸市场摊位出租合同", "counterparty": "张某", "contract_type": "state_assets", "amount": "36000.00",
        "term_start": "2026-06-01", "term_end": "2027-05-31", "key_clauses": "摊位、租金、期限。",
        "dispute_resolution": "arbitration", "dispute_forum": "湖州仲裁委员会"}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def test_a_contract_is_drafted_reviewed_in_the_shared_queue_and_signed_through_the_api():
    staff = factories.staff(TOWNSHIP)
    created = api(staff).post("/api/v1/contracts/", BODY, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert (created.json()["body_name"], created.json()["level"], created.json()["review_required"]) == (
        "吴兴区织里镇人民政府", "township", True)
    assert api(staff).post(f"/api/v1/contracts/{pk}/submit/", {}, format="json").json()["status"] == "legality_review"
    reviewer = factories.reviewer("wuxing-zhili-sfs")
    queue = api(reviewer).get("/api/v1/reviews/", {"kind": "contract"}).json()["results"]
    assert [(t["object_id"], t["kind_display"]) for t in queue] == [(pk, "行政合同")]
    task = queue[0]["id"]
    assert api(reviewer).post(f"/api/v1/reviews/{task}/claim/").status_code == 200
    decided = api(reviewer).post(f"/api/v1/reviews/{task}/decide/", {
        "outcome": "passed", "opinion": "同意签订。", "checklist": contract_checklist()}, format="json")
    assert decided.status_code == 200, decided.json()
    signed = api(staff).post(f"/api/v1/contracts/{pk}/sign/", {"signed_on": "2026-05-11", "signed_by": "镇长"},
                             format="json")
    assert (signed.status_code, signed.json()["status"], signed.json()["filing_due_on"]) == (200, "performing",
                                                                                             "2026-06-10")
    register = api(staff).get("/api/v1/contracts/", {"body": TOWNSHIP}).json()
    assert [c["id"] for c in register["results"]] == [pk]


def test_bad_input_is_a_400_with_the_field_named():
    response = api(factories.staff(TOWNSHIP)).post("/api/v1/contracts/", {**BODY, "term_start": "soon"}, format="json")
    assert response.status_code == 400
    assert "term_start" in str(response.json())


def test_signing_before_review_is_refused_with_the_rule():
    staff = factories.staff(TOWNSHIP)
    pk = api(staff).post("/api/v1/contracts/", BODY, format="json").json()["id"]
    response = api(staff).post(f"/api/v1/contracts/{pk}/sign/", {"signed_on": "2026-05-11", "signed_by": "镇长"},
                               format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "review_required"
    assert ReviewTask.objects.count() == 0
