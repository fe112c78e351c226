import time_machine

from core.audit import verify_chain
from decisions.workflow import DecisionStatus
from tests import factories


@time_machine.travel("2026-05-11 10:00 +0800", tick=False)
def test_a_decision_can_be_carried_to_archive(db):
    decision = factories.decision_in_state(DecisionStatus.ARCHIVED)
    assert decision.status == DecisionStatus.ARCHIVED
    checked, problem = verify_chain()
    assert problem is None and checked > 5
