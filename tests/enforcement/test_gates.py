"""Enforcement rules that hold at the moment of action (issue 12): 首违不罚 only for a first
violation (checked across every body's cases) with the minor harm and the correction stated
with evidence; a decision after day 90, service after 7 days, publicity after 7/20 working days
and withdrawal after 3 working days only with a reason — each refusal and each reason in the
audit trail, the reasons shown wherever the lateness is. Through the services, the API and
the pages."""
import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from core.exceptions import DomainError
from core.models import AuditEvent
from core.rulebook import RuleRefused
from enforcement import services
from enforcement.models import Case
from enforcement.workflow import CaseStatus as C
from tests import factories
from tests.api_support import api, assert_error

pytestmark = pytest.mark.django_db

ARTICLE_33 = "（《中华人民共和国行政处罚法》第三十三条第一款）。"


def on(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


class Body:
    def __init__(self, code: str):
        self.officer = factories.enforcement_officer(code)
        self.colleague = factories.enforcement_officer(code)
        self.head = factories.enforcement_officer(code, head=True)

    def case(self, target: str, day: str, **kwargs) -> Case:
        with on(day):
            return factories.case_in_state(target, officer=self.officer, colleague=self.colleague,
                                           head_user=self.head, **kwargs)


@pytest.fixture
def amr():
    return Body("hz-amr")


@pytest.fixture
def eco():
    return Body("hz-eco")


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def events(case: Case, event_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="enforcement.case", object_id=str(case.pk),
                                          event_type=event_type).order_by("seq"))


def first_violation(body: Body, case: Case, **overrides):
    values = {"outcome": "no_penalty", "no_penalty_ground": "first_violation",
              "reason": "当事人系初次违法，危害后果轻微并已及时改正。", **overrides}
    return services.case_decide(actor=body.head, case_id=case.pk, **values)


# ================================================================== 首违不罚 (E21)
def test_first_violation_is_refused_when_the_party_has_a_case_of_the_same_kind_at_another_body(amr, eco):
    earlier = eco.case(C.INVESTIGATING, "2026-03-02", seed=7)
    case = amr.case(C.NOTIFIED, "2026-05-11", seed=7)
    with on("2026-05-12"):
        facts = factories.first_violation_facts(case, amr.officer)
        with pytest.raises(RuleRefused) as refused:
            first_violation(amr, case, **facts)

    assert refused.value.message == (
        f"当事人在立案前24个月内另有同类违法案件（{earlier.number}），不属于初次违法，不得适用首违不罚{ARTICLE_33}")
    assert refused.value.code == "first_violation_refused"
    assert fresh(case).status == C.NOTIFIED  # nothing of the refused decision is left
    [event] = events(case, "rule_refused")
    assert (event.reason, event.details["rule"], event.actor_id) == (refused.value.message, "E21", amr.head.pk)


def test_first_violation_is_refused_without_minor_harm_correction_and_evidence(amr):
    case = amr.case(C.NOTIFIED, "2026-05-11", seed=8)
    with on("2026-05-12"), pytest.raises(RuleRefused) as refused:
        first_violation(amr, case)
    assert refused.value.message == (
        "适用首违不罚须写明危害后果轻微并及时改正的事实及证据：未写明危害后果轻微的事实；未写明当事人及时改正的事实；"
        f"未选择本案全过程记录作为证据{ARTICLE_33}")
    assert [e.details["rule"] for e in events(case, "rule_refused")] == ["E21-facts"]


def test_evidence_must_be_a_record_of_the_same_case(amr):
    case = amr.case(C.NOTIFIED, "2026-05-11", seed=9)
    other = amr.case(C.NOTIFIED, "2026-05-11", seed=10, key_area="environment")
    with on("2026-05-12"):
        facts = factories.first_violation_facts(other, amr.officer)
        with pytest.raises(RuleRefused, match="未选择本案全过程记录作为证据"):
            first_violation(amr, case, **facts)


def test_a_first_violation_stated_with_evidence_is_decided_and_its_facts_kept(amr, eco):
    eco.case(C.INVESTIGATING, "2024-03-01", seed=11)                       # outside the 24 months
    eco.case(C.INVESTIGATING, "2026-03-02", seed=11, key_area="environment")  # another kind
    case = amr.case(C.NOTIFIED, "2026-05-11", seed=11)
    with on("2026-05-12"):
        facts = factories.first_violation_facts(case, amr.officer)
        first_violation(amr, case, **facts)
    case = fresh(case)
    assert (case.status, case.no_penalty_ground) == (C.DECIDED, "first_violation")
    assert case.no_penalty_facts == {
        "ground": "first_violation", "harm": facts["harm_statement"], "correction": facts["correction_statement"],
        "evidence_records": facts["evidence_record_ids"], "period_months": 24, "earlier_cases": 0}
    decided = AuditEvent.objects.filter(object_type="enforcement.case", object_id=str(case.pk), action="decide").get()
    assert decided.details["no_penalty_facts"]["harm"] == facts["harm_statement"]


def test_the_first_violation_period_is_read_from_the_policy_table(amr, eco):
    from deadlines.models import DeadlinePolicy

    DeadlinePolicy.objects.filter(code="enforcement.first_violation_period").update(length=6)
    eco.case(C.INVESTIGATING, "2025-10-01", seed=12)  # within 24 months, not within 6
    case = amr.case(C.NOTIFIED, "2026-05-11", seed=12)
    with on("2026-05-12"):
        first_violation(amr, case, **factories.first_violation_facts(case, amr.officer))
    assert fresh(case).no_penalty_facts["period_months"] == 6


def test_first_violation_through_the_api_refused_then_accepted(amr, eco):
    case = amr.case(C.NOTIFIED, "2026-05-11", seed=13)
    url = f"/api/v1/enforcement-cases/{case.pk}/decide/"
    body = {"outcome": "no_penalty", "no_penalty_ground": "first_violation", "reason": "初次违法。"}
    with on("2026-05-12"):
        response = api(amr.head).post(url, body, format="json")
        assert_error(response, 400, "first_violation_facts_missing",
                     "适用首违不罚须写明危害后果轻微并及时改正的事实及证据：未写明危害后果轻微的事实；未写明当事人及时改正的事实；"
                     f"未选择本案全过程记录作为证据{ARTICLE_33}")
        facts = factories.first_violation_facts(case, amr.officer)
        response = api(amr.head).post(url, {**body, **facts}, format="json")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["no_penalty_facts"]["correction"] == facts["correction_statement"]
    assert [e.details["rule"] for e in events(case, "rule_refused")] == ["E21-facts"]


def test_the_decide_page_offers_the_first_violation_fields_and_shows_the_refusal(client, amr, eco):
    eco.case(C.INVESTIGATING, "2026-03-02", seed=14)
    case = amr.case(C.NOTIFIED, "2026-05-11", seed=14)
    client.force_login(amr.head)
    url = reverse("enforcement:action", args=[case.pk, "decide"])
    with on("2026-05-12"):
        facts = factories.first_violation_facts(case, amr.officer)
        page = client.get(url).content.decode()
        response = client.post(url, {"outcome": "no_penalty", "no_penalty_ground": "first_violation", "fine": "0",
                                     "reason": "初次违法。", **facts})
    assert "首违不罚：危害后果轻微的事实" in page and "首违不罚：证据（本案全过程记录）" in page
    assert response.status_code == 400
    assert "不属于初次违法，不得适用首违不罚" in response.content.decode()


# ================================================================== decision after day 90 (E13)
LATE_DECISION = ("行政处罚案件应当自立案之日起90日内作出决定（2026年4月7日到期），已逾期13日；逾期作出决定须说明理由"
                 "（《中华人民共和国行政处罚法》第六十条）。")


def test_a_decision_after_day_90_needs_a_late_reason_shown_on_the_supervision_page(client, amr):
    case = amr.case(C.NOTIFIED, "2026-01-05", seed=21)  # day 90 falls in 清明: due Tue 7 Apr
    decide = {"outcome": "penalty", "decision_number": "湖市监罚〔2026〕21号", "penalty_types": ["fine"],
              "fine": Decimal(5000)}
    with on("2026-04-20"):
        with pytest.raises(RuleRefused) as refused:
            services.case_decide(actor=amr.head, case_id=case.pk, **decide)
        assert (refused.value.message, refused.value.code) == (LATE_DECISION, "late_reason_required")
        assert fresh(case).status == C.NOTIFIED
        services.case_decide(actor=amr.head, case_id=case.pk, late_reason="案情复杂，检验报告4月15日方出具。", **decide)

    case = fresh(case)
    assert (case.status, case.late_decision_reason) == (C.DECIDED, "案情复杂，检验报告4月15日方出具。")
    [reason] = events(case, "rule_reason")
    assert (reason.reason, reason.details["rule"]) == ("案情复杂，检验报告4月15日方出具。", "E13")
    assert [e.details["rule"] for e in events(case, "rule_refused")] == ["E13"]
    client.force_login(factories.supervisor())
    with on("2026-04-21"):
        board = client.get("/enforcement/supervision/")
        detail = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    assert [c.pk for c in board.context["decided_late"]] == [case.pk]
    assert board.context["decided_late"][0].days_late == 13
    assert "案情复杂，检验报告4月15日方出具。" in board.content.decode()
    assert "案情复杂，检验报告4月15日方出具。" in detail and "超过办理期限" in detail


def test_a_late_decision_through_the_api_needs_late_reason(amr):
    case = amr.case(C.NOTIFIED, "2026-01-05", seed=22)
    url = f"/api/v1/enforcement-cases/{case.pk}/decide/"
    body = {"outcome": "penalty", "decision_number": "湖市监罚〔2026〕22号", "penalty_types": ["fine"], "fine": "5000"}
    with on("2026-04-20"):
        assert_error(api(amr.head).post(url, body, format="json"), 400, "late_reason_required", LATE_DECISION)
        response = api(amr.head).post(url, {**body, "late_reason": "当事人下落不明，公告送达告知书。"}, format="json")
    assert response.status_code == 200
    assert response.json()["late_decision_reason"] == "当事人下落不明，公告送达告知书。"


def test_a_decision_within_day_90_needs_no_reason(amr):
    case = amr.case(C.DECIDED, "2026-01-05", seed=23)
    assert (case.status, case.late_decision_reason) == (C.DECIDED, "")
    assert events(case, "rule_reason") == []


# ================================================================== service, publicity, withdrawal
def test_serving_after_seven_working_days_needs_a_late_reason(amr):
    case = amr.case(C.DECIDED, "2026-05-11", seed=31)  # service due Wed 20 May
    with on("2026-05-21"):
        with pytest.raises(RuleRefused) as refused:
            services.case_serve(actor=amr.officer, case_id=case.pk, served_on=dt.date(2026, 5, 21))
        assert refused.value.message == ("行政处罚决定书应当在7个工作日内送达（2026年5月20日到期），已逾期1日；逾期送达须说明理由"
                                         "（《中华人民共和国行政处罚法》第六十一条、第八十五条）。")
        services.case_serve(actor=amr.officer, case_id=case.pk, served_on=dt.date(2026, 5, 21),
                            late_reason="当事人拒收，改为留置送达。")
    assert fresh(case).late_service_reason == "当事人拒收，改为留置送达。"
    assert [e.details["rule"] for e in events(case, "rule_reason")] == ["E23"]


def test_publicity_after_seven_working_days_needs_a_late_reason_shown_on_the_supervision_page(client, amr):
    case = amr.case(C.DECIDED, "2026-05-11", seed=32)  # publicity due Wed 20 May
    with on("2026-05-22"):
        with pytest.raises(RuleRefused) as refused:
            services.case_publish_notice(actor=amr.officer, case_id=case.pk)
        assert refused.value.message == ("执法决定应当自作出之日起7个工作日内公开（2026年5月20日到期），已逾期2日；逾期公开须说明理由"
                                         "（国办发〔2018〕118号）。")
        notice = services.case_publish_notice(actor=amr.officer, case_id=case.pk, late_reason="决定书更正后公开。")
    assert (notice.on_time, notice.late_reason) == (False, "决定书更正后公开。")
    client.force_login(factories.supervisor())
    with on("2026-05-22"):
        board = client.get("/enforcement/supervision/").content.decode()
        detail = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    assert "逾期理由：决定书更正后公开。" in board and "决定书更正后公开。" in detail
    assert [e.details["rule"] for e in events(case, "rule_refused")] == ["E3"]


def test_publicity_through_the_api_needs_late_reason(amr):
    case = amr.case(C.DECIDED, "2026-05-11", seed=33)
    url = f"/api/v1/enforcement-cases/{case.pk}/publish/"
    with on("2026-05-22"):
        response = api(amr.officer).post(url, {}, format="json")
        assert response.status_code == 400 and response.json()["code"] == "late_reason_required"
        response = api(amr.officer).post(url, {"late_reason": "决定书更正后公开。"}, format="json")
    assert response.status_code == 201
    assert response.json()["late_reason"] == "决定书更正后公开。"


def test_withdrawal_after_three_working_days_needs_a_late_reason(amr):
    case = amr.case(C.DECIDED, "2026-05-11", seed=34)
    with on("2026-05-11"):
        services.case_publish_notice(actor=amr.officer, case_id=case.pk)
        services.case_revoke(actor=amr.head, case_id=case.pk, reason="复议决定撤销。")  # withdraw by Thu 14 May
    with on("2026-05-18"):
        with pytest.raises(RuleRefused) as refused:
            services.notice_withdraw(actor=amr.officer, case_id=case.pk, statement="原决定已被撤销。")
        assert refused.value.message.startswith("决定被撤销、变更的，应当在3个工作日内撤回原公开信息（2026年5月14日到期），已逾期4日")
        notice = services.notice_withdraw(actor=amr.officer, case_id=case.pk, statement="原决定已被撤销。",
                                          late_reason="复议决定书5月15日方送达本机关。")
    assert notice.late_withdrawal_reason == "复议决定书5月15日方送达本机关。"


# ================================================================== the earliest legal-review date (E8)
def test_a_legal_review_concluded_before_its_earliest_date_needs_early_reason(amr):
    from reviews import services as review_services
    from reviews.checklist import checklist_for
    from reviews.models import ReviewTask

    case = amr.case(C.LEGAL_REVIEW, "2026-05-11", seed=41)  # earliest Tue 12 May (1 working day)
    reviewer = factories.legal_reviewer()
    task = ReviewTask.objects.get(object_id=case.pk, kind="enforcement")
    decide = {"task_id": task.pk, "actor": reviewer, "outcome": "passed", "opinion": "事实清楚，程序合法。",
              "checklist": {k: {"answer": "yes", "note": ""} for k, _l, _b in checklist_for("enforcement")}}
    with on("2026-05-11"):
        review_services.review_task_claim(task_id=task.pk, actor=reviewer)
        response = api(reviewer).post(f"/api/v1/reviews/{task.pk}/decide/", {
            key: value for key, value in decide.items() if key not in ("task_id", "actor")}, format="json")
        assert response.status_code == 400 and response.json()["code"] == "early_reason_required"
        assert "法制审核时间一般不少于1个工作日（2026年5月11日报送，最早于2026年5月12日作出结论）" in response.json()["message"]
    with on("2026-05-12"):
        review_services.review_task_decide(**decide)  # on the earliest date: no reason needed
    assert fresh(case).status == C.READY_TO_DECIDE
    assert [e.details["rule"] for e in events(case, "rule_refused")] == ["E8-early"]


def test_the_legal_review_checks_the_discretion_benchmark(amr):
    from reviews import services as review_services
    from reviews.checklist import checklist_for
    from reviews.models import ReviewTask

    case = amr.case(C.LEGAL_REVIEW, "2026-05-11", seed=42)
    reviewer = factories.legal_reviewer()
    task = ReviewTask.objects.get(object_id=case.pk, kind="enforcement")
    checklist = {k: {"answer": "yes", "note": ""} for k, _l, _b in checklist_for("enforcement") if k != "discretion"}
    with on("2026-05-12"):
        review_services.review_task_claim(task_id=task.pk, actor=reviewer)
        with pytest.raises(DomainError) as refused:
            review_services.review_task_decide(task_id=task.pk, actor=reviewer, outcome="passed", opinion="合法。",
                                               checklist=checklist)
    assert "行政裁量适当，符合裁量基准" in refused.value.message
    assert "《中华人民共和国行政处罚法》第三十四条" in refused.value.message
