"""Contracts carried through the real services."""
from __future__ import annotations

import datetime as dt

from contracts import services
from contracts.models import Contract
from reviews import services as review_services
from reviews.checklist import checklist_for
from reviews.models import ReviewTask
from tests import factories

TOWNSHIP = "wuxing-zhili"
SIFASUO = "wuxing-zhili-sfs"


def contract_data(**overrides) -> dict:
    return {"title": "织里镇童装产业园标准厂房租赁合同", "counterparty": "湖州某童装有限公司", "contract_type": "state_assets",
            "amount": "1200000.00", "term_start": dt.date(2026, 6, 1), "term_end": dt.date(2029, 5, 31),
            "key_clauses": "租赁标的、租金及支付方式、违约责任。", "dispute_resolution": "litigation",
            "dispute_forum": "湖州市吴兴区人民法院", "confidentiality": True, **overrides}


def contract_checklist(answer: str = "yes") -> dict:
    return {key: {"answer": answer, "note": ""} for key, _label, _basis in checklist_for("contract")}


def drafted(staff=None, **overrides) -> Contract:
    staff = staff or factories.staff(TOWNSHIP)
    return services.contract_draft(actor=staff, data=contract_data(**overrides))


def reviewed(staff=None, reviewer=None, outcome: str = "passed", **overrides) -> Contract:
    staff = staff or factories.staff(TOWNSHIP)
    contract = drafted(staff, **overrides)
    services.contract_submit_for_legality_review(actor=staff, contract_id=contract.pk)
    task = ReviewTask.objects.get(object_id=contract.pk, kind="contract", status="open")
    reviewer = reviewer or factories.reviewer(task.review_unit.code)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer)
    review_services.review_task_decide(task_id=task.pk, actor=reviewer, outcome=outcome,
                                       opinion="经审查，合同主体适格，条款合法。", checklist=contract_checklist(),
                                       early_reason=factories.EARLY_REASON)
    return Contract.objects.get(pk=contract.pk)
