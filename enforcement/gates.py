"""The rules of administrative enforcement (domain.md §4) in the rulebook: what is refused,
what needs a recorded reason, what is a computed deadline; the service that enforces each and
the test that pins it (``manage.py rules_matrix``)."""
from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from core.rulebook import Kind, Rule, register

T = "tests/enforcement/test_gates.py::"

register(
    Rule("E21", "E21", N_("首违不罚须为初次违法：同一当事人在期间内无同类违法行为（查询全部执法机关的案件）"),
         N_("《中华人民共和国行政处罚法》第三十三条第一款"), Kind.REFUSED, "enforcement.services.case_decide",
         T + "test_first_violation_is_refused_when_the_party_has_a_case_of_the_same_kind_at_another_body",
         policies=("enforcement.first_violation_period",),
         message=N_("当事人在立案前%(months)s个月内另有同类违法案件（%(cases)s），不属于初次违法，不得适用首违不罚"),
         error_code="first_violation_refused"),
    Rule("E21-facts", "E21", N_("首违不罚须写明危害后果轻微、及时改正的事实，并以本案全过程记录为证据"),
         N_("《中华人民共和国行政处罚法》第三十三条第一款"), Kind.REFUSED, "enforcement.services.case_decide",
         T + "test_first_violation_is_refused_without_minor_harm_correction_and_evidence",
         message=N_("适用首违不罚须写明危害后果轻微并及时改正的事实及证据：%(gaps)s"),
         error_code="first_violation_facts_missing"),
    Rule("E13", "E13", N_("自立案之日起90日内作出处罚决定；逾期作出须说明理由"),
         N_("《中华人民共和国行政处罚法》第六十条"), Kind.REASON, "enforcement.services.case_decide",
         T + "test_a_decision_after_day_90_needs_a_late_reason_shown_on_the_supervision_page",
         policies=("enforcement.case_decision",), reason_field="late_reason",
         message=N_("行政处罚案件应当自立案之日起%(period)s内作出决定（%(due)s到期），已逾期%(days_late)s日；"
                    "逾期作出决定须说明理由"),
         error_code="late_reason_required"),
    Rule("E23", "E23", N_("行政处罚决定书在7日内送达；逾期送达须说明理由"),
         N_("《中华人民共和国行政处罚法》第六十一条、第八十五条"), Kind.REASON, "enforcement.services.case_serve",
         T + "test_serving_after_seven_working_days_needs_a_late_reason",
         policies=("enforcement.service",), reason_field="late_reason",
         message=N_("行政处罚决定书应当在%(period)s内送达（%(due)s到期），已逾期%(days_late)s日；逾期送达须说明理由"),
         error_code="late_reason_required"),
    Rule("E3", "E3", N_("执法决定在7个工作日（处罚、许可）或20个工作日（其他）内公开；逾期公开须说明理由"),
         N_("国办发〔2018〕118号"), Kind.REASON, "enforcement.services.case_publish_notice",
         T + "test_publicity_after_seven_working_days_needs_a_late_reason_shown_on_the_supervision_page",
         policies=("enforcement.publicity_penalty", "enforcement.publicity_other"), reason_field="late_reason",
         message=N_("执法决定应当自作出之日起%(period)s内公开（%(due)s到期），已逾期%(days_late)s日；逾期公开须说明理由"),
         error_code="late_reason_required"),
    Rule("E4", "E4", N_("决定被撤销、变更的，3个工作日内撤回原公开信息；逾期撤回须说明理由"),
         N_("《中华人民共和国行政处罚法》第四十八条、第八十五条"), Kind.REASON, "enforcement.services.notice_withdraw",
         T + "test_withdrawal_after_three_working_days_needs_a_late_reason",
         policies=("enforcement.withdrawal",), reason_field="late_reason",
         message=N_("决定被撤销、变更的，应当在%(period)s内撤回原公开信息（%(due)s到期），已逾期%(days_late)s日；"
                    "逾期撤回须说明理由"),
         error_code="late_reason_required"),
)
