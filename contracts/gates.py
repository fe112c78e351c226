"""The rules of administrative contracts (浙政办发〔2013〕37号, domain.md §9) in the rulebook."""
from __future__ import annotations

from django.utils.translation import gettext_noop

from core.rulebook import Kind, Rule, register

T = "tests/contracts/test_services.py::"
ARTICLE = gettext_noop("《关于规范行政机关合同管理的意见》（浙政办发〔2013〕37号）")

register(
    Rule("C1", "C1", gettext_noop("涉及国有资产、财政资金、自然资源和公共资源、招商引资、政府投融资等的合同，签订前须经合法性审查并通过"),
         ARTICLE, Kind.REFUSED, "contracts.services.contract_sign",
         T + "test_a_contract_of_a_listed_type_cannot_be_signed_before_its_review_passes",
         message=gettext_noop("%(type)s合同签订前须经%(unit)s合法性审查并通过"), error_code="review_required"),
    Rule("C2", "C2", gettext_noop("合同合法性审查由决策机关的合法性审查机构办理（乡镇街道为司法所）"),
         ARTICLE, Kind.DEADLINE, "contracts.services.contract_submit_for_legality_review",
         T + "test_a_township_contract_goes_to_its_sifasuo", policies=("contract.legality_review",)),
    Rule("C4", "C4", gettext_noop("合同签订后报送备案"), ARTICLE, Kind.DEADLINE, "contracts.services.contract_sign",
         T + "test_signing_starts_the_filing_clock_and_milestone_reminders", policies=("contract.filing",)),
)
