"""The decisions, catalog and public API: happy paths with token auth, the
exact error of each illegal call, 404 for other departments, and what the
public may never see."""
from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from decisions.api.views import DECISION_ACTIONS
from decisions.models import Catalog, CatalogItem, Decision
from decisions.workflow import DecisionStatus as S
from decisions.workflow import Disclosure, Procedure
from reviews.models import ReviewTask
from tests import factories
from tests.api_support import api, assert_error

pytestmark = pytest.mark.django_db

INVALID_STATE = "当前状态不允许此操作，请刷新页面后重试。"
NOT_FOUND = {"code": "not_found", "message": "未找到。", "details": []}


@pytest.fixture(autouse=True)
def _monday_in_may_2026():
    """Dates in payloads and the working-day calendar assume this day."""
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    cache.clear()


def url(name: str, **kwargs) -> str:
    return reverse(f"decisions-api:{name}", kwargs=kwargs)


def action_url(decision: Decision, slug: str) -> str:
    return url("decision-" + slug.replace("/", "-"), pk=decision.pk)


def new_decision_data(**overrides) -> dict:
    return {
        "title": "湖州市城市公共交通票价调整方案",
        "summary": "调整公交基础票价并完善优惠政策。",
        "draft_text": "第一条 为了……制定本方案。",
        "outside_catalog_reason": "上级部署的临时性重大事项。",
        "category": "public_policy",
        "required_procedures": [Procedure.PUBLIC_COMMENT],
        **overrides,
    }


# ================================================================== auth
def test_token_login_returns_a_token_that_authenticates(staff_user):
    response = api().post(reverse("core-api:token"), {"username": "staff_drc", "password": "Test-Passw0rd!"},
                          format="json")
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get(url("decision-list")).status_code == 200


def test_token_login_with_a_wrong_password_answers_in_our_error_format(staff_user):
    response = api().post(reverse("core-api:token"), {"username": "staff_drc", "password": "wrong"}, format="json")
    assert_error(response, 400, "invalid", "提交的数据不正确。")
    assert response.json()["details"] == ["无法使用提供的认证信息登录。"]


def test_anonymous_caller_gets_401_in_our_error_format(db):
    response = api().get(url("decision-list"))
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "请先登录。", "details": []}


# ================================================================== create, read, update
def test_staff_creates_a_decision_and_reads_it_back(staff_user):
    response = api(staff_user).post(url("decision-list"), new_decision_data(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == S.DRAFTING and body["department_name"] == "湖州市发展和改革委员会"
    assert [event["action"] for event in body["timeline"]] == ["create"]
    detail = api(staff_user).get(url("decision-detail", pk=body["id"])).json()
    assert detail["title"] == "湖州市城市公共交通票价调整方案" and detail["version"] == 1


def test_create_linked_to_a_catalog_item_takes_its_category_and_procedures(staff_user):
    item = factories.CatalogItemFactory(category="planning", required_procedures=[Procedure.HEARING])
    data = new_decision_data(catalog_item=item.pk, outside_catalog_reason="")
    del data["category"], data["required_procedures"]
    response = api(staff_user).post(url("decision-list"), data, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["category"], response.json()["required_procedures"]) == ("planning", ["hearing"])


def test_create_outside_the_catalog_without_a_reason_is_refused(staff_user):
    response = api(staff_user).post(url("decision-list"), new_decision_data(outside_catalog_reason=""), format="json")
    assert_error(response, 400, "catalog_link_required",
                 "决策未关联年度目录事项，须说明目录外决策的理由（《重大行政决策程序暂行条例》第三条）。")


def test_create_linked_to_another_departments_item_is_refused(staff_user):
    item = factories.CatalogItemFactory(lead_department=factories.department("hz-nrp"))
    response = api(staff_user).post(url("decision-list"), new_decision_data(catalog_item=item.pk), format="json")
    assert_error(response, 400, "invalid_catalog_item", "只能关联本单位承办且已列入目录的事项。")


def test_create_without_a_category_is_invalid(staff_user):
    data = new_decision_data()
    del data["category"]
    response = api(staff_user).post(url("decision-list"), data, format="json")
    assert_error(response, 400, "category_required", "请选择事项类别。")
    assert not Decision.objects.exists()


def test_create_by_a_reviewer_is_forbidden(reviewer_user):
    response = api(reviewer_user).post(url("decision-list"), new_decision_data(), format="json")
    assert_error(response, 403, "permission_denied", "无权执行此操作。")


def test_update_with_the_current_version_saves_and_bumps_the_version(staff_user):
    decision = factories.decision_in_state(S.DRAFTING, staff_user=staff_user)
    response = api(staff_user).patch(url("decision-detail", pk=decision.pk),
                                     {"version": decision.version, "title": "修改后的名称"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["version"]) == ("修改后的名称", decision.version + 1)


def test_update_with_a_stale_version_is_refused(staff_user):
    decision = factories.decision_in_state(S.DRAFTING, staff_user=staff_user)
    response = api(staff_user).patch(url("decision-detail", pk=decision.pk),
                                     {"version": decision.version - 1, "title": "修改后的名称"}, format="json")
    assert_error(response, 400, "stale_version", "该决策已被他人修改，请刷新页面后再编辑。")


def test_update_after_submission_for_review_is_a_conflict(staff_user):
    decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)
    response = api(staff_user).patch(url("decision-detail", pk=decision.pk),
                                     {"version": decision.version, "title": "修改后的名称"}, format="json")
    assert_error(response, 409, "invalid_state", "决策已提交审查或已进入后续阶段，不能修改草案。")


def test_list_filters_by_status_year_department_and_category(staff_user, office_user):
    drafting = factories.decision_in_state(S.DRAFTING, staff_user=staff_user)
    consulting = factories.decision_in_state(S.CONSULTING, staff_user=staff_user, category="planning")
    old = factories.decision_in_state(S.DRAFTING, staff_user=staff_user, year=2025)
    elsewhere = factories.decision_in_state(S.DRAFTING, staff_user=factories.staff("hz-nrp"))
    client = api(office_user)

    def ids(**params) -> set[int]:
        response = client.get(url("decision-list"), params)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {drafting.pk, consulting.pk, old.pk, elsewhere.pk}
    assert ids(status="consulting") == {consulting.pk}
    assert ids(year=2025) == {old.pk}
    assert ids(department=elsewhere.department_id) == {elsewhere.pk}
    assert ids(category="planning") == {consulting.pk}


def test_list_with_an_unknown_status_is_invalid(staff_user):
    response = api(staff_user).get(url("decision-list"), {"status": "nonsense"})
    assert_error(response, 400, "invalid", "提交的数据不正确。")


def test_list_is_paginated(staff_user):
    for _n in range(3):
        factories.decision_in_state(S.DRAFTING, staff_user=staff_user)
    body = api(staff_user).get(url("decision-list"), {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


# ================================================================== the whole lifecycle
def test_a_decision_goes_from_draft_to_archive_through_the_api(staff_user, reviewer_user, office_user):
    staff, office = api(staff_user), api(office_user)
    decision_id = staff.post(url("decision-list"), new_decision_data(), format="json").json()["id"]
    decision = Decision(pk=decision_id)

    def step(client, slug, data=None, expected=200, **kwargs):
        response = client.post(action_url(decision, slug), data or {}, **{"format": "json", **kwargs})
        assert response.status_code == expected, (slug, response.content.decode())
        return response.json()

    assert step(staff, "start-procedures")["status"] == S.CONSULTING
    record = step(staff, "procedures", {"kind": Procedure.PUBLIC_COMMENT,
                                        "details": json.dumps(factories.PUBLIC_COMMENT_DETAILS),
                                        "files": [factories.pdf_file()]}, expected=201, format="multipart")
    assert record["status"] == "completed" and record["attachments"][0]["original_name"] == "evidence.pdf"
    assert step(staff, "submit-for-review", {"note": "请审查。"})["status"] == S.LEGALITY_REVIEW

    task = ReviewTask.objects.get(object_id=decision_id)
    reviewer = api(reviewer_user)
    assert reviewer.post(reverse("reviews-api:review-claim", kwargs={"pk": task.pk})).status_code == 200
    response = reviewer.post(reverse("reviews-api:review-decide", kwargs={"pk": task.pk}),
                             {"outcome": "passed", "opinion": "符合法定权限和程序。",
                              "checklist": factories.full_checklist(), "early_reason": factories.EARLY_REASON},
                             format="json")
    assert response.status_code == 200, response.content

    meeting = step(office, "meeting", {**factories.meeting_data(), "held_on": "2026-05-11"}, expected=201)
    assert meeting["outcome"] == "adopted"
    step(office, "party-report", {"reported_on": "2026-05-11", "note": "已向市委常委会报告。"})
    assert step(office, "publish", {"channel": "湖州市人民政府网站"})["status"] == S.EXECUTING
    step(staff, "execution-reports", {"reported_on": "2026-05-11", "progress": "已完成一期。"}, expected=201)
    assert step(office, "suspend", {"reason": "情况紧急，暂停执行。"})["status"] == S.SUSPENDED
    assert step(office, "resume", {"reason": "情况已消除。"})["status"] == S.EXECUTING
    evaluation = step(office, "post-evaluation", {"trigger": "public_comments", "evaluator": "第三方评估机构"},
                      expected=201)
    assert evaluation["trigger"] == "public_comments"
    concluded = step(office, "post-evaluation/conclude", {"conclusion": "continue", "findings": "效果良好。"})
    assert concluded["status"] == S.EXECUTING
    assert step(staff, "complete", {"completed_on": "2026-05-11"})["status"] == S.COMPLETED
    archived = step(staff, "archive", {"note": "归档。"})
    assert archived["status"] == S.ARCHIVED
    assert len(archived["procedure_records"]) == 1 and len(archived["meeting_records"]) == 1
    steps = [e["action"] for e in archived["timeline"] if not e["action"].startswith("clock_")]
    assert steps[-2:] == ["complete_execution", "archive"]
    assert "clock_stopped" in [e["action"] for e in archived["timeline"]]  # completion ends the report clock
    assert api().get(url("public-decision-detail", pk=decision_id)).status_code == 200


def test_a_procedure_can_be_skipped_on_a_legal_ground(staff_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)
    response = api(staff_user).post(action_url(decision, "procedures"),
                                    {"kind": "public_comment", "skip_ground": "secrecy", "skip_reason": "涉及国家秘密。"},
                                    format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "skipped"


def test_revise_after_a_failed_review_starts_a_new_round(staff_user):
    decision = factories.decision_in_state(S.LEGALITY_FAILED, staff_user=staff_user)
    body = api(staff_user).post(action_url(decision, "revise"), {"note": "按审查意见修改。"}, format="json").json()
    assert (body["status"], body["round"]) == (S.DRAFTING, 2)


@pytest.mark.parametrize(("slug", "target"), [("adjust", S.DRAFTING), ("terminate", S.TERMINATED)])
def test_the_decision_body_adjusts_or_terminates_a_suspended_decision(staff_user, office_user, slug, target):
    decision = factories.decision_in_state(S.SUSPENDED, staff_user=staff_user, office_user=office_user)
    response = api(office_user).post(action_url(decision, slug), {"reason": "经集体讨论决定。"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == target


# ================================================================== illegal calls
MEETING = {**factories.meeting_data(), "held_on": "2026-05-11"}
ILLEGAL_CALLS = [
    # slug, state, who, payload, status, code, message
    ("start-procedures", S.CONSULTING, "staff", {}, 409, "invalid_state", INVALID_STATE),
    ("start-procedures", S.DRAFTING, "office", {}, 403, "permission_denied", "无权执行此操作。"),
    ("procedures", S.CONSULTING, "staff", {"kind": "public_comment", "details": factories.PUBLIC_COMMENT_DETAILS},
     400, "prerequisites_missing", "请上传“公众参与（征求意见）”的证据材料（如公告截图、签名意见、评估报告）。"),
    ("procedures", S.CONSULTING, "staff", {"kind": "public_comment", "skip_ground": "too_busy", "skip_reason": "忙"},
     400, "prerequisites_missing", "免予履行程序只能依据法定情形：涉及国家秘密、涉及公共安全或社会稳定、上级机关紧急决策部署"
                                   "（《湖州市人民政府重大行政决策程序规定》第三条）。"),
    ("procedures", S.CONSULTING, "staff", {"kind": "sightseeing"}, 400, "invalid_procedure", "未知的程序类型。"),
    ("procedures", S.LEGALITY_REVIEW, "staff", {"kind": "public_comment"}, 409, "invalid_state",
     "只有起草或履行程序阶段可以记录法定程序。"),
    ("submit-for-review", S.CONSULTING, "staff", {}, 400, "prerequisites_missing",
     "“公众参与（征求意见）”尚未完成并留存证据，不得提交合法性审查（《重大行政决策程序暂行条例》第十四条、第十五条）"),
    ("submit-for-review", S.LEGALITY_REVIEW, "staff", {}, 409, "invalid_state", INVALID_STATE),
    ("revise", S.DRAFTING, "staff", {"note": "修改"}, 409, "invalid_state", INVALID_STATE),
    ("meeting", S.CONSULTING, "office", MEETING, 400, "prerequisites_missing",
     "合法性审查未通过，不得提交集体讨论（《重大行政决策程序暂行条例》第二十五条）"),
    ("meeting", S.READY_FOR_DISCUSSION, "office", {}, 400, "prerequisites_missing", "请填写“会议类型”。"),
    ("meeting", S.READY_FOR_DISCUSSION, "staff", MEETING, 403, "permission_denied", "无权执行此操作。"),
    ("meeting", S.EXECUTING, "office", MEETING, 409, "invalid_state", INVALID_STATE),
    ("party-report", S.EXECUTING, "office", {"reported_on": "2026-05-11", "note": "已报告。"}, 409, "invalid_state",
     "决策作出后、公布前记录向党委报告情况。"),
    ("party-report", S.DECIDED, "office", {"reported_on": "2026-05-12", "note": "已报告。"}, 400, "date_in_future",
     "报告日期不能晚于今天。"),
    ("party-report", S.DECIDED, "office", {"reported_on": "2026-05-11"}, 400, "note_required", "请填写报告情况。"),
    ("publish", S.DECIDED, "office", {"channel": "湖州市人民政府网站"}, 400, "prerequisites_missing",
     "决策出台前应当向同级党委请示报告，请先记录报告情况（《重大行政决策程序暂行条例》第三十一条）"),
    ("publish", S.DECIDED, "office", {}, 400, "channel_required", "请填写公布渠道（政府公报、政府网站、本地主要媒体等）。"),
    ("publish", S.EXECUTING, "office", {"channel": "湖州市人民政府网站"}, 409, "invalid_state", INVALID_STATE),
    ("execution-reports", S.DECIDED, "staff", {"reported_on": "2026-05-11", "progress": "进展"}, 409, "invalid_state",
     "决策公布执行后方可报告执行情况。"),
    ("execution-reports", S.EXECUTING, "staff", {"reported_on": "2026-05-11"}, 400, "progress_required",
     "请填写执行进展。"),
    ("suspend", S.EXECUTING, "office", {}, 400, "reason_required", "请说明暂停执行的理由。"),
    ("suspend", S.EXECUTING, "staff", {"reason": "暂停"}, 403, "permission_denied", "无权执行此操作。"),
    ("suspend", S.SUSPENDED, "office", {"reason": "暂停"}, 409, "invalid_state", INVALID_STATE),
    ("resume", S.EXECUTING, "office", {"reason": "恢复"}, 409, "invalid_state", INVALID_STATE),
    ("adjust", S.EXECUTING, "office", {"reason": "调整"}, 409, "invalid_state", INVALID_STATE),
    ("adjust", S.SUSPENDED, "office", {}, 400, "reason_required", "请说明调整决策的理由。"),
    ("terminate", S.EXECUTING, "office", {"reason": "停止"}, 409, "invalid_state", INVALID_STATE),
    ("post-evaluation", S.EXECUTING, "office", {"trigger": "boredom", "evaluator": "评估机构"}, 400,
     "prerequisites_missing", "决策后评估须依据法定情形启动（《重大行政决策程序暂行条例》第三十六条）。"),
    ("post-evaluation", S.SUSPENDED, "office", {"trigger": "public_comments", "evaluator": "评估机构"}, 409,
     "invalid_state", INVALID_STATE),
    ("post-evaluation/conclude", S.EXECUTING, "office", {"conclusion": "continue", "findings": "良好"}, 409,
     "invalid_state", INVALID_STATE),
    ("post-evaluation/conclude", S.POST_EVALUATION, "office", {"conclusion": "continue"}, 400,
     "evaluation_incomplete", "请填写评估结论并选择处理建议。"),
    ("complete", S.EXECUTING, "staff", {"completed_on": "2026-05-12"}, 400, "date_in_future",
     "执行完毕日期不能晚于今天。"),
    ("complete", S.SUSPENDED, "staff", {"completed_on": "2026-05-11"}, 409, "invalid_state", INVALID_STATE),
    ("archive", S.EXECUTING, "staff", {}, 409, "invalid_state", INVALID_STATE),
    ("public-comment", S.DRAFTING, "staff", {"opened_on": "2026-05-11", "closes_on": "2026-06-10", "channel": "网站"},
     409, "invalid_state", "启动法定程序后方可公开征求意见。"),
    ("public-comment", S.CONSULTING, "staff", {"opened_on": "2026-05-11", "closes_on": "2026-05-25", "channel": "网站"},
     400, "prerequisites_missing", "征求意见期限一般不少于30日；少于30日的，须说明理由（《重大行政决策程序暂行条例》第十五条）。"),
    ("public-comment", S.CONSULTING, "staff", {"opened_on": "2026-05-11", "closes_on": "2026-06-10"},
     400, "channel_required", "请填写征求意见渠道。"),
    ("hearing", S.CONSULTING, "staff", {"held_on": "2026-05-15"}, 400, "too_soon",
     "听证材料应当于听证会7日前送达，听证会最早可安排在2026年5月18日（星期一）（《重大行政决策程序暂行条例》第十七条）。"),
    ("hearing", S.EXECUTING, "staff", {"held_on": "2026-06-15"}, 409, "invalid_state", "启动法定程序后方可安排听证。"),
]


@pytest.mark.parametrize(("slug", "state", "who", "payload", "status", "code", "message"), ILLEGAL_CALLS,
                         ids=[f"{c[0]}-{c[1]}-{c[4]}-{c[5]}" for c in ILLEGAL_CALLS])
def test_an_illegal_action_answers_with_status_code_and_exact_message(
        staff_user, office_user, slug, state, who, payload, status, code, message):
    decision = factories.decision_in_state(state, staff_user=staff_user, office_user=office_user)
    actor = {"staff": staff_user, "office": office_user}[who]
    response = api(actor).post(action_url(decision, slug), payload, format="json")
    assert_error(response, status, code, message)


def test_every_action_has_an_illegal_call_test():
    assert {call[0] for call in ILLEGAL_CALLS} == set(DECISION_ACTIONS)


def test_post_evaluation_by_the_risk_assessor_is_refused(staff_user, office_user):
    decision = factories.decision_in_state(S.EXECUTING, staff_user=staff_user, office_user=office_user,
                                           required_procedures=[Procedure.PUBLIC_COMMENT, Procedure.RISK_ASSESSMENT])
    response = api(office_user).post(action_url(decision, "post-evaluation"),
                                     {"trigger": "public_comments", "evaluator": "湖州市社会稳定风险评估中心"},
                                     format="json")
    assert_error(response, 400, "prerequisites_missing",
                 "决策后评估不得由参与决策前评估的机构承担（《重大行政决策程序暂行条例》第三十六条）。")


def test_a_blocked_action_lists_every_unmet_check_in_details(staff_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)
    client = api(staff_user)
    client.patch(url("decision-detail", pk=decision.pk), {"version": decision.version, "draft_text": ""},
                 format="json")
    response = client.post(action_url(decision, "submit-for-review"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["details"] == [
        "决策草案内容为空，请先完成草案起草（《重大行政决策程序暂行条例》第十二条）",
        "“公众参与（征求意见）”尚未完成并留存证据，不得提交合法性审查（《重大行政决策程序暂行条例》第十四条、第十五条）",
    ]


# ================================================================== other departments
def test_staff_of_another_department_gets_404_on_detail_and_update(staff_user, other_staff_user):
    decision = factories.decision_in_state(S.DRAFTING, staff_user=staff_user)
    client = api(other_staff_user)
    assert client.get(url("decision-detail", pk=decision.pk)).json() == NOT_FOUND
    response = client.patch(url("decision-detail", pk=decision.pk), {"version": 1, "title": "x"}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("slug", list(DECISION_ACTIONS))
def test_staff_of_another_department_gets_404_on_every_action(staff_user, other_staff_user, slug):
    decision = factories.decision_in_state(S.DRAFTING, staff_user=staff_user)
    valid_for_every_action = {"kind": "public_comment", "reported_on": "2026-05-11", "completed_on": "2026-05-11",
                              "opened_on": "2026-05-11", "closes_on": "2026-06-10", "held_on": "2026-06-10"}
    response = api(other_staff_user).post(action_url(decision, slug), valid_for_every_action, format="json")
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_another_departments_decisions_are_not_listed(staff_user, other_staff_user):
    factories.decision_in_state(S.DRAFTING, staff_user=staff_user)
    assert api(other_staff_user).get(url("decision-list")).json()["count"] == 0


# ================================================================== catalog
ITEM = {"name": "湖州市国土空间总体规划", "content": "编制国土空间总体规划。", "legal_basis": "《土地管理法》",
        "required_procedures": ["public_comment", "expert_argumentation"], "planned_completion": "2026-12-31",
        "category": "planning"}
WITHHELD = {**ITEM, "name": "涉密事项", "disclosure": "withheld", "withheld_reason": "《保守国家秘密法》第九条"}


def published_catalog(year: int = 2026) -> Catalog:
    return factories.CatalogFactory(year=year, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(2026, 3, 1),
                                    published_at=dt.datetime(2026, 3, 20, tzinfo=dt.UTC))


def test_catalog_goes_from_proposals_to_public_through_the_api(staff_user, office_user):
    staff, office = api(staff_user), api(office_user)
    public_id = staff.post(url("catalog-items", year=2026), ITEM, format="json").json()["id"]
    withheld = staff.post(url("catalog-items", year=2026), WITHHELD, format="json")
    assert withheld.status_code == 201, withheld.content
    compiled = office.post(url("catalog-compile", year=2026), {"included_ids": [public_id, withheld.json()["id"]]},
                           format="json")
    assert compiled.json()["status"] == Catalog.Status.COMPILED
    office.post(url("catalog-party-consent", year=2026), {"consent_on": "2026-03-01", "note": "市委同意。"},
                format="json")
    published = office.post(url("catalog-publish", year=2026), {"document_number": "湖政发〔2026〕1号"},
                            format="json").json()
    assert (published["status"], published["published_in_q1"]) == (Catalog.Status.PUBLISHED, False)

    adjustment = staff.post(url("catalog-adjustments", year=2026),
                            {"kind": "change", "item_id": public_id, "reason": "工作调整。",
                             "data": {"planned_completion": "2027-06-30"}}, format="json")
    assert adjustment.status_code == 201, adjustment.content
    decided = office.post(url("catalog-adjustment-decide", pk=adjustment.json()["id"]), {"approve": True},
                          format="json")
    assert decided.json()["status"] == "published"

    body = api().get(url("public-catalog", year=2026)).json()
    assert [item["name"] for item in body["items"]] == [ITEM["name"]] and body["item_count"] == 1
    assert body["items"][0]["planned_completion"] == "2027-06-30"
    assert [a["kind"] for a in body["adjustments"]] == ["change"]


def test_adding_an_item_to_a_published_catalog_goes_through_an_adjustment(staff_user, office_user):
    published_catalog()
    response = api(staff_user).post(url("catalog-adjustments", year=2026),
                                    {"kind": "add", "reason": "新增部署。", "data": ITEM}, format="json")
    assert response.status_code == 201, response.content
    api(office_user).post(url("catalog-adjustment-decide", pk=response.json()["id"]), {"approve": True}, format="json")
    assert CatalogItem.objects.get(name=ITEM["name"]).status == CatalogItem.Status.INCLUDED


def test_proposing_an_item_after_compilation_is_refused(staff_user):
    factories.CatalogFactory(year=2026, status=Catalog.Status.COMPILED)
    response = api(staff_user).post(url("catalog-items", year=2026), ITEM, format="json")
    assert_error(response, 400, "catalog_closed", "2026年度目录已汇总，新增事项请通过目录调整提出。")


def test_a_withheld_item_needs_its_legal_basis(staff_user):
    response = api(staff_user).post(url("catalog-items", year=2026), {**WITHHELD, "withheld_reason": ""},
                                    format="json")
    assert_error(response, 400, "withheld_reason_required",
                 "依法不予公开的，须写明不予公开的法律依据（《政府信息公开条例》第十四条至第十六条）。")


def test_only_the_office_compiles(staff_user):
    factories.CatalogFactory(year=2026)
    response = api(staff_user).post(url("catalog-compile", year=2026), {"included_ids": []}, format="json")
    assert_error(response, 403, "permission_denied", "无权执行此操作。")


def test_compiling_an_unknown_year_is_404(office_user):
    response = api(office_user).post(url("catalog-compile", year=2031), {"included_ids": []}, format="json")
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_compiling_twice_is_a_conflict(office_user):
    factories.CatalogFactory(year=2026, status=Catalog.Status.COMPILED)
    response = api(office_user).post(url("catalog-compile", year=2026), {"included_ids": [1]}, format="json")
    assert_error(response, 409, "invalid_state", "目录已汇总，不能重复汇总。")


def test_compiling_without_choosing_an_item_is_refused(office_user):
    factories.CatalogItemFactory(status=CatalogItem.Status.PROPOSED)
    response = api(office_user).post(url("catalog-compile", year=2026), {"included_ids": []}, format="json")
    assert_error(response, 400, "catalog_empty", "请至少选择一个列入目录的事项。")


def test_party_consent_cannot_be_dated_in_the_future(office_user):
    factories.CatalogFactory(year=2026, status=Catalog.Status.COMPILED)
    response = api(office_user).post(url("catalog-party-consent", year=2026), {"consent_on": "2026-05-12"},
                                     format="json")
    assert_error(response, 400, "date_in_future", "党委同意日期不能晚于今天。")


def test_publishing_without_party_consent_is_blocked(office_user):
    factories.CatalogFactory(year=2026, status=Catalog.Status.COMPILED)
    response = api(office_user).post(url("catalog-publish", year=2026), {}, format="json")
    assert_error(response, 400, "prerequisites_missing",
                 "目录须经同级党委同意后公布（《重大行政决策程序暂行条例》第三条第三款）。")


def test_adjusting_an_unpublished_catalog_is_a_conflict(staff_user):
    factories.CatalogFactory(year=2026)
    response = api(staff_user).post(url("catalog-adjustments", year=2026), {"kind": "withdraw", "reason": "r"},
                                    format="json")
    assert_error(response, 409, "invalid_state", "目录公布后方可提出调整。")


def test_adjusting_another_departments_item_is_refused(staff_user):
    item = factories.CatalogItemFactory(catalog=published_catalog(), lead_department=factories.department("hz-nrp"))
    response = api(staff_user).post(url("catalog-adjustments", year=2026),
                                    {"kind": "withdraw", "item_id": item.pk, "reason": "不再需要。"}, format="json")
    assert_error(response, 400, "item_not_adjustable", "只能调整本单位承办且在目录中的事项。")


def test_a_change_that_changes_nothing_is_refused(staff_user):
    item = factories.CatalogItemFactory(catalog=published_catalog())
    response = api(staff_user).post(url("catalog-adjustments", year=2026),
                                    {"kind": "change", "item_id": item.pk, "reason": "调整。",
                                     "data": {"name": item.name}}, format="json")
    assert_error(response, 400, "no_changes", "没有需要变更的内容。")


def test_an_adjustment_is_decided_only_once(staff_user, office_user):
    item = factories.CatalogItemFactory(catalog=published_catalog())
    adjustment = api(staff_user).post(url("catalog-adjustments", year=2026),
                                      {"kind": "withdraw", "item_id": item.pk, "reason": "不再需要。"}, format="json")
    decide = url("catalog-adjustment-decide", pk=adjustment.json()["id"])
    assert api(office_user).post(decide, {"approve": False}, format="json").status_code == 200
    assert_error(api(office_user).post(decide, {"approve": True}, format="json"), 409, "invalid_state",
                 "该调整已处理。")


# ================================================================== public
def test_public_catalog_of_an_unpublished_year_is_404(db):
    factories.CatalogItemFactory(catalog=factories.CatalogFactory(year=2026, status=Catalog.Status.COMPILED))
    assert api().get(url("public-catalog", year=2026)).json() == NOT_FOUND
    assert api().get(url("public-catalog-years")).json() == {"years": []}


def test_public_catalog_never_lists_or_counts_withheld_items(db):
    catalog = published_catalog()
    shown = factories.CatalogItemFactory(catalog=catalog)
    factories.CatalogItemFactory(catalog=catalog, disclosure=Disclosure.WITHHELD, withheld_reason="《保守国家秘密法》")
    factories.CatalogItemFactory(catalog=catalog, status=CatalogItem.Status.NOT_INCLUDED)
    body = api().get(url("public-catalog", year=2026)).json()
    assert [item["id"] for item in body["items"]] == [shown.pk] and body["item_count"] == 1
    assert api().get(url("public-catalog-years")).json() == {"years": [2026]}


def test_public_decisions_show_only_published_public_decisions(staff_user, office_user):
    public = factories.decision_in_state(S.EXECUTING, staff_user=staff_user, office_user=office_user)
    withheld = factories.decision_in_state(S.EXECUTING, staff_user=staff_user, office_user=office_user,
                                           disclosure=Disclosure.WITHHELD, withheld_reason="《保守国家秘密法》")
    decided = factories.decision_in_state(S.DECIDED, staff_user=staff_user, office_user=office_user)
    client = api()
    assert [row["id"] for row in client.get(url("public-decision-list")).json()["results"]] == [public.pk]
    assert client.get(url("public-decision-detail", pk=public.pk)).json()["title"] == public.title
    for hidden in (withheld, decided):
        assert client.get(url("public-decision-detail", pk=hidden.pk)).json() == NOT_FOUND


def test_public_endpoints_throttle_anonymous_callers(db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "public": "2/min", "login": "2/min"})
    client = api()
    assert [client.get(url("public-catalog-years")).status_code for _n in range(3)] == [200, 200, 429]
    assert client.get(url("public-decision-list")).json()["code"] == "throttled"
