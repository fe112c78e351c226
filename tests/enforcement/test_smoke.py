"""One case from the clue to the public notice through the services."""
import datetime as dt

import pytest
import time_machine

from deadlines.models import LegalClock
from enforcement import masking, services
from enforcement.models import Case, PublicNotice
from enforcement.workflow import CaseStatus as C
from tests import factories

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-05-11 10:00 +0800", tick=False)
def test_a_case_goes_from_clue_to_a_masked_public_notice():
    officer = factories.enforcement_officer()
    case = factories.case_in_state(C.DECIDED, officer=officer, fine="50000")

    clock = LegalClock.objects.get(rule="enforcement.case_decision", object_id=case.pk)
    assert clock.status == "stopped" and clock.due_on == dt.date(2026, 8, 10)
    assert case.legal_review_passed and case.number == "市市场监管局罚立〔2026〕1号"
    notice = services.case_publish_notice(actor=officer, case_id=case.pk)

    assert notice.on_time and notice.party_masked == "张*"
    assert notice.id_masked == case.party_id_number[0] + "*" * 16 + case.party_id_number[-1]
    assert not masking.contains_unmasked_id(notice.content + notice.id_masked)
    assert PublicNotice.objects.count() == 1
    assert Case.objects.get(pk=case.pk).status == C.DECIDED
