"""The contract's pages read as a person reads them."""
import pytest
from django.urls import reverse

from tests import factories
from tests.contracts.helpers import TOWNSHIP, drafted

pytestmark = pytest.mark.django_db


def test_the_amount_is_written_with_thousands_separators_on_the_detail_and_the_register(client):
    staff = factories.staff(TOWNSHIP)
    contract = drafted(staff)
    client.force_login(staff)
    detail = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    register = client.get(reverse("contracts:list")).content.decode()
    assert "1,200,000.00" in detail and "1,200,000.00" in register
    assert "1200000.00" not in detail and "1200000.00" not in register


def test_a_drafted_contract_explains_its_next_step(client):
    staff = factories.staff(TOWNSHIP)
    contract = drafted(staff)
    client.force_login(staff)
    detail = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'data-testid="step-hint"' in detail and "未经审查通过不得签订" in detail
