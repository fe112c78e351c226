"""Who may see and act on a contract, at every level (issue 16): the permission matrix of the
pages and the API. What a user may not see is a 404; what they may see but not do is a 403."""
import pytest
import time_machine
from django.urls import reverse

from contracts import services
from contracts.models import Contract
from contracts.workflow import ContractStatus as S
from tests import factories
from tests.api_support import api
from tests.contracts.helpers import TOWNSHIP, drafted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


WHO = {
    "own_township_staff": None,  # the contract's drafter
    "township_colleague": lambda: factories.staff(TOWNSHIP),
    "other_township_staff": lambda: factories.staff("wuxing-balidian"),
    "sifasuo_reviewer": lambda: factories.reviewer("wuxing-zhili-sfs"),
    "other_sifasuo_reviewer": lambda: factories.reviewer("nanxun-lianshi-sfs"),
    "district_reviewer": lambda: factories.reviewer("wuxing-justice"),
    "city_reviewer": lambda: factories.reviewer("hz-justice"),
    "district_staff": lambda: factories.staff("wuxing"),
    "city_supervisor": factories.supervisor,
    "anonymous": lambda: None,
}
# who: (detail page, sign page POST, list shows it, API detail, API sign POST)
MATRIX = {
    "own_township_staff": (200, 302, True, 200, 200),
    "township_colleague": (200, 302, True, 200, 200),
    "other_township_staff": (404, 404, False, 404, 404),
    "sifasuo_reviewer": (200, 403, True, 200, 403),
    "other_sifasuo_reviewer": (404, 404, False, 404, 404),
    "district_reviewer": (404, 404, False, 404, 404),
    "city_reviewer": (404, 404, False, 404, 404),
    "district_staff": (404, 404, False, 404, 404),
    "city_supervisor": (200, 403, True, 200, 403),
    "anonymous": (302, 302, None, 401, 401),
}
CASES = [pytest.param(who, *expected, id=who) for who, expected in MATRIX.items()]


def under_review():
    staff = factories.staff(TOWNSHIP)
    contract = drafted(staff, contract_type="other")  # signing needs no review: the refusal is the permission's
    services.contract_submit_for_legality_review(actor=staff, contract_id=contract.pk)
    return staff, contract


@pytest.mark.parametrize(("who", "detail", "sign", "listed", "api_detail", "api_sign"), CASES)
def test_contract_permission_matrix(client, who, detail, sign, listed, api_detail, api_sign):
    staff, contract = under_review()
    user = staff if who == "own_township_staff" else WHO[who]()
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == detail
    if listed is not None:
        page = client.get(reverse("contracts:list"))
        assert (contract in page.context["page"].object_list) is listed
    assert api(user).get(f"/api/v1/contracts/{contract.pk}/").status_code == api_detail
    sign_data = {"signed_on": "2026-05-11", "signed_by": "镇长"}
    status = client.post(reverse("contracts:action", args=[contract.pk, "sign"]), sign_data).status_code
    assert status == sign
    # the contract is under review: even its own unit's signing attempt is refused by the state, not the permission
    api_status = api(user).post(f"/api/v1/contracts/{contract.pk}/sign/", sign_data, format="json").status_code
    assert api_status == (409 if api_sign == 200 else api_sign)
    assert Contract.objects.get(pk=contract.pk).status == S.LEGALITY_REVIEW


def test_the_permission_matrix_covers_every_level():
    levels = {"township", "county", "city"}
    units = {"wuxing-zhili", "wuxing-balidian", "wuxing-zhili-sfs", "nanxun-lianshi-sfs", "wuxing-justice", "hz-justice",
             "wuxing"}
    from core.models import Department

    assert {d.level for d in Department.objects.filter(code__in=units)} == levels
    assert len(MATRIX) * 5 == 50  # cells of this matrix


@pytest.mark.parametrize("rows", [3, 30])
def test_the_register_costs_the_same_for_many_contracts(client, django_assert_max_num_queries, rows):
    staff = factories.staff(TOWNSHIP)
    for _n in range(rows):
        drafted(staff)
    client.force_login(staff)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("contracts:list"), {"body": TOWNSHIP})
    assert len(response.context["page"].object_list) == min(rows, 20)
