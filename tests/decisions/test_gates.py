"""Decision rules that hold at the moment of action (issue 12): a legality review concluded
before its earliest date only with ``early_reason`` (the page, the API, the audit trail, the
supervisors' list); the comment period's 30 days, the records of comments, experts and risk;
publication after 20 working days only with a reason."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.exceptions import TransitionBlocked
from core.models import AuditEvent
from core.rulebook import RuleRefused
from decisions import services
from decisions.models import Decision
from decisions.workflow import DecisionStatus as S
from decisions.workflow import Procedure
from reviews import services as review_services
from reviews.models import ReviewTask
from tests import factories
from tests.api_support import api, assert_error

pytestmark = pytest.mark.django_db

#: Submitted Monday 7 December 2026: the 7th working day after is Wednesday 16 December.
EARLY = ("合法性审查时间一般不少于7个工作日（2026年12月7日报送，最早于2026年12月16日作出结论）；提前作出结论须说明理由"
         "（《重大行政决策程序暂行条例》第二十六条）。")


def on(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def events(obj, event_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk),
                                          event_type=event_type).order_by("seq"))


@pytest.fixture
def claimed(staff_user, reviewer_user):
    with on("2026-12-07"):
        decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)
        task = ReviewTask.objects.get(object_id=decision.pk, status=ReviewTask.Status.OPEN)
        review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)
    assert task.earliest_decision_on == dt.date(2026, 12, 16)
    return decision, task


def decide(task, reviewer, **kwargs):
    values = {"outcome": "passed", "opinion": "经审查，符合法定权限和程序。", "checklist": factories.full_checklist(),
              **kwargs}
    return review_services.review_task_decide(task_id=task.pk, actor=reviewer, **values)


# ================================================================== the earliest date (D19)
def test_a_review_concluded_before_its_earliest_date_needs_early_reason(claimed, reviewer_user):
    decision, task = claimed
    with on("2026-12-07"):
        with pytest.raises(RuleRefused) as refused:
            decide(task, reviewer_user)
        assert (refused.value.message, refused.value.code) == (EARLY, "early_reason_required")
        assert ReviewTask.objects.get(pk=task.pk).status == ReviewTask.Status.CLAIMED
        assert Decision.objects.get(pk=decision.pk).status == S.LEGALITY_REVIEW
        decide(task, reviewer_user, early_reason="市政府常务会议12月10日审议，材料齐全，经审查机构负责人同意提前出具意见。")
    task.refresh_from_db()
    assert (task.status, task.early_reason) == (ReviewTask.Status.DONE,
                                                "市政府常务会议12月10日审议，材料齐全，经审查机构负责人同意提前出具意见。")
    assert Decision.objects.get(pk=decision.pk).status == S.READY_FOR_DISCUSSION
    [refusal] = events(decision, "rule_refused")
    [reason] = events(decision, "rule_reason")
    assert (refusal.details["rule"], refusal.reason) == ("D19-early", EARLY)
    assert (reason.details["rule"], reason.reason, reason.actor_id) == ("D19-early", task.early_reason, reviewer_user.pk)


def test_on_the_earliest_date_no_reason_is_needed(claimed, reviewer_user):
    decision, task = claimed
    with on("2026-12-16"):
        decide(task, reviewer_user)
    assert ReviewTask.objects.get(pk=task.pk).early_reason == ""
    assert events(decision, "rule_reason") == []


def test_returning_for_supplements_may_come_at_any_time(claimed, reviewer_user):
    decision, task = claimed
    with on("2026-12-08"):
        decide(task, reviewer_user, outcome="returned", opinion="请补充风险评估报告。")
    assert Decision.objects.get(pk=decision.pk).status == S.CONSULTING


def test_the_decide_api_takes_early_reason(claimed, reviewer_user):
    _decision, task = claimed
    url = f"/api/v1/reviews/{task.pk}/decide/"
    body = {"outcome": "passed", "opinion": "经审查，符合法定权限和程序。", "checklist": factories.full_checklist()}
    with on("2026-12-08"):
        response = api(reviewer_user).post(url, body, format="json")
        assert_error(response, 400, "early_reason_required", EARLY)
        response = api(reviewer_user).post(url, {**body, "early_reason": "上级督办，限期办结。"}, format="json")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["early_reason"] == "上级督办，限期办结。"


def test_the_review_page_asks_for_the_reason_and_supervisors_see_it(client, claimed, reviewer_user):
    _decision, task = claimed
    url = reverse("reviews:review-detail", args=[task.pk])
    form = {"outcome": "passed", "opinion": "经审查，符合法定权限和程序。",
            **{f"check_{key}": "yes" for key in ("authority", "procedure", "content")}}
    with on("2026-12-08"):
        client.force_login(reviewer_user)
        page = client.get(url).content.decode()
        refused = client.post(url, form)
        done = client.post(url, {**form, "early_reason": "上级督办，限期办结。"})
    assert "提前作出结论的理由" in page
    assert refused.status_code == 400 and "提前作出结论须说明理由" in refused.content.decode()
    assert done.status_code == 302
    with on("2026-12-08"):
        client.force_login(factories.supervisor())
        listed = client.get(reverse("reviews:review-queue"), {"state": "early"})
        detail = client.get(url).content.decode()
    assert [t.pk for t in listed.context["page"]] == [task.pk]
    assert "上级督办，限期办结。" in listed.content.decode() and "上级督办，限期办结。" in detail


# ================================================================== consulting (D13, D15–D17)
def test_a_short_comment_period_needs_a_reason_recorded_in_the_audit_trail(staff_user):
    with on("2026-05-11"):
        decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)
        with pytest.raises(RuleRefused) as refused:
            services.decision_open_public_comment(actor=staff_user, decision_id=decision.pk,
                                                  opened_on=dt.date(2026, 5, 11), closes_on=dt.date(2026, 5, 25),
                                                  channel="湖州市人民政府网站")
        assert refused.value.message == ("征求意见期限一般不少于30日；少于30日的，须说明理由"
                                         "（《重大行政决策程序暂行条例》第十五条）。")
        services.decision_open_public_comment(actor=staff_user, decision_id=decision.pk,
                                              opened_on=dt.date(2026, 5, 11), closes_on=dt.date(2026, 5, 25),
                                              channel="湖州市人民政府网站", short_period_reason="上级部署，须于6月前出台。")
    assert [e.details["rule"] for e in events(decision, "rule_refused")] == ["D13"]
    assert [e.reason for e in events(decision, "rule_reason")] == ["上级部署，须于6月前出台。"]


def record(decision, staff_user, kind, details):
    return services.decision_record_procedure(actor=staff_user, decision_id=decision.pk, kind=kind, details=details,
                                              files=[factories.pdf_file()])


def test_a_public_comment_record_needs_the_adoption_summary(staff_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)
    details = {k: v for k, v in factories.PUBLIC_COMMENT_DETAILS.items() if k != "adoption_summary"}
    with pytest.raises(TransitionBlocked, match="^请填写“意见采纳情况”。$"):
        record(decision, staff_user, Procedure.PUBLIC_COMMENT, details)
    assert [e.reason for e in events(decision, "rule_refused")] == ["请填写“意见采纳情况”。"]


def test_expert_opinions_must_be_signed_by_experts_without_a_direct_interest(staff_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user,
                                           required_procedures=[Procedure.EXPERT_ARGUMENTATION])
    details = factories.PROCEDURE_DETAILS[Procedure.EXPERT_ARGUMENTATION]
    with pytest.raises(TransitionBlocked, match="论证意见已由专家签字"):
        record(decision, staff_user, Procedure.EXPERT_ARGUMENTATION, {**details, "opinions_signed": False})
    with pytest.raises(TransitionBlocked, match="论证专家与决策事项无直接利害关系"):
        record(decision, staff_user, Procedure.EXPERT_ARGUMENTATION, {**details, "no_direct_interest": False})


def test_a_risk_assessment_needs_risk_points_mitigation_and_contingency(staff_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user,
                                           required_procedures=[Procedure.RISK_ASSESSMENT])
    details = factories.PROCEDURE_DETAILS[Procedure.RISK_ASSESSMENT]
    for field, label in (("risk_points", "风险点"), ("mitigation", "风险防范化解措施"), ("contingency", "处置预案")):
        with pytest.raises(TransitionBlocked, match=f"^请填写“{label}”。$"):
            record(decision, staff_user, Procedure.RISK_ASSESSMENT, {**details, field: ""})


# ================================================================== publication (D24)
def test_publishing_after_twenty_working_days_needs_a_late_reason(client, staff_user, office_user):
    with on("2026-05-11"):
        decision = factories.decision_in_state(S.DECIDED, staff_user=staff_user, office_user=office_user)
        services.decision_record_party_report(actor=office_user, decision_id=decision.pk,
                                              reported_on=dt.date(2026, 5, 11), note="已报告。")
    with on("2026-06-10"):  # due Tue 9 June (20 working days; 端午 on 19 June is later)
        with pytest.raises(RuleRefused) as refused:
            services.decision_publish(actor=office_user, decision_id=decision.pk, channel="湖州市人民政府网站")
        assert refused.value.message.startswith("决策应当自作出之日起20个工作日内公布（2026年6月8日到期），已逾期2日")
        response = api(office_user).post(f"/api/v1/decisions/{decision.pk}/publish/", {
            "channel": "湖州市人民政府网站", "late_reason": "等待市委常委会会议纪要印发。"}, format="json")
    assert response.status_code == 200, response.content.decode()
    decision = Decision.objects.get(pk=decision.pk)
    assert (decision.status, decision.late_publication_reason) == (S.EXECUTING, "等待市委常委会会议纪要印发。")
    client.force_login(factories.supervisor())
    assert "等待市委常委会会议纪要印发。" in client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert [e.details["rule"] for e in events(decision, "rule_reason")] == ["D19-early", "D24"]  # the builder's review
