"""The enforcement API: a case from the clue to the public notice with token auth, the exact
error body of each illegal call, 404 for another body, a fixed query count for the list,
no unmasked resident ID in any response; and the admin screens of the reference data."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent, Role
from enforcement import masking, services
from enforcement.api.views import CASE_ACTIONS
from enforcement.models import BodyProfile, Case, PublicNotice
from enforcement.workflow import CaseStatus as C
from reviews.models import ReviewTask
from tests import factories
from tests.api_support import api, assert_error
from tests.factories import (
    CASE_CLUE,
    case_in_state,
    enforcement_officer,
    legal_reviewer,
    pdf_file,
    valid_resident_id,
)

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "未找到。", "details": []}
CHECKLIST = {key: {"answer": "yes", "note": ""} for key in
             ("subject", "authority", "facts", "law", "procedure", "discretion", "transfer")}


@pytest.fixture(autouse=True)
def _monday_in_may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def officer(db):
    return enforcement_officer(full_name="孙执法")


@pytest.fixture
def colleague(officer):
    return enforcement_officer(full_name="吴执法")


@pytest.fixture
def head(officer):
    return enforcement_officer(head=True, full_name="郑局长")


def cases_url() -> str:
    return reverse("enforcement-api:case-list")


def detail_url(pk: int) -> str:
    return reverse("enforcement-api:case-detail", args=[pk])


def action_url(pk: int, slug: str) -> str:
    return reverse(f"enforcement-api:case-{slug}", args=[pk])


def public_url() -> str:
    return reverse("enforcement-api:public-notice-list")


def clue(seed: int = 1, **overrides) -> dict:
    id_number = valid_resident_id(seed)
    return {**CASE_CLUE, "party_id_number": id_number,
            "facts": f"当事人张三（公民身份号码{id_number}，电话13812345678）在其经营的超市销售超过保质期的食品。",
            **overrides}


class Recorder:
    """Every response body of a test, to check that none holds a resident ID in the clear."""

    def __init__(self):
        self.bodies: list[str] = []

    def __call__(self, response):
        self.bodies.append(response.content.decode())
        return response


# ================================================================== the lifecycle
def test_a_case_goes_from_clue_to_the_public_notice_through_the_api(officer, colleague, head):
    seen = Recorder()
    staff, boss = api(officer), api(head)
    chair = enforcement_officer(full_name="钱主持")
    response = seen(staff.post(cases_url(), clue(), format="json"))
    assert response.status_code == 201, response.content
    body = response.json()
    pk, id_number = body["id"], valid_resident_id(1)
    assert (body["status"], body["party_name"], body["party_id_masked"]) == (
        C.CLUE, "张*", id_number[:6] + "********" + id_number[-4:])
    assert body["party_phone_masked"] == "138****5678"
    assert body["party_address_masked"] == "浙江省湖州市吴兴区爱山街道****"
    assert id_number not in response.content.decode() and "13812345678" not in response.content.decode()

    response = seen(boss.post(action_url(pk, "open"), {"officer_ids": [officer.pk, colleague.pk]}, format="json"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["number"], body["opened_on"]) == (C.INVESTIGATING, "市市场监管局罚立〔2026〕1号",
                                                                    "2026-05-11")
    assert {o["name"] for o in body["officers"]} == {"孙执法", "吴执法"}
    assert {(c["rule"], c["due_on"]) for c in body["clocks"]} == {
        ("enforcement.case_decision", "2026-08-10"), ("enforcement.case_day60", "2026-07-10")}

    response = seen(staff.post(action_url(pk, "records"), {
        "kind": "inspection", "happened_at": "2026-05-11T09:00:00+08:00", "place": "吴兴区爱山街道某超市",
        "summary": "现场检查发现货架上有超过保质期的食品12件。", "officer_ids": [officer.pk, colleague.pk]},
        format="json"))
    assert response.status_code == 201, response.content
    response = seen(staff.post(action_url(pk, "records"), {
        "kind": "seizure", "happened_at": "2026-05-11T09:30:00+08:00", "place": "吴兴区爱山街道某超市",
        "summary": "扣押超过保质期的食品12件，全程音像记录。", "officer_ids": [officer.pk, colleague.pk],
        "has_audio_video": "true", "files": [pdf_file("扣押现场音像记录说明.pdf")]}, format="multipart"))
    assert response.status_code == 201, response.content
    entry = response.json()
    assert (entry["kind"], entry["has_audio_video"], entry["attachments"][0]["original_name"]) == (
        "seizure", True, "扣押现场音像记录说明.pdf")
    assert len(entry["officers"]) == 2

    response = seen(staff.post(action_url(pk, "notify"), {
        "facts": "销售超过保质期的食品12件。", "penalty_types": ["fine", "confiscation"], "fine": "50000",
        "basis": "《中华人民共和国食品安全法》第一百二十四条"}, format="json"))
    assert response.json()["status"] == C.NOTIFIED
    response = seen(staff.post(action_url(pk, "hearing-request"), {"requested_on": "2026-05-11"}, format="json"))
    assert response.json()["status"] == C.HEARING_REQUESTED
    response = seen(staff.post(action_url(pk, "hearing-schedule"), {
        "hearing_on": "2026-05-20", "notice_on": "2026-05-12", "chair_id": chair.pk}, format="json"))
    assert response.status_code == 200, response.content
    assert (response.json()["hearing_on"], response.json()["hearing_chair_name"]) == ("2026-05-20", "钱主持")
    response = seen(staff.post(action_url(pk, "hearing-hold"), {"record": "当事人到场陈述申辩。"}, format="json"))
    assert response.json()["status"] == C.HEARING_HELD
    response = seen(staff.post(action_url(pk, "submit-review"), {"note": "请法制审核。"}, format="json"))
    body = response.json()
    assert (body["status"], body["legal_review_required"], body["legal_review_grounds"]) == (
        C.LEGAL_REVIEW, True, ["hearing", "amount"])

    reviewer = legal_reviewer()
    task = ReviewTask.objects.get(object_id=pk, kind="enforcement")
    assert seen(api(reviewer).post(reverse("reviews-api:review-claim", args=[task.pk]))).status_code == 200
    assert seen(api(reviewer).get(detail_url(pk))).status_code == 200  # the assigned reviewer reads the case
    response = seen(api(reviewer).post(reverse("reviews-api:review-decide", args=[task.pk]), {
        "outcome": "passed", "opinion": "事实清楚，证据充分，程序合法。", "checklist": CHECKLIST,
        "early_reason": factories.EARLY_REASON}, format="json"))
    assert response.status_code == 200, response.content
    assert seen(staff.get(detail_url(pk))).json()["status"] == C.READY_TO_DECIDE

    response = seen(boss.post(action_url(pk, "decide"), {
        "outcome": "penalty", "decision_number": "湖市监罚〔2026〕12号", "penalty_types": ["fine", "confiscation"],
        "fine": "50000"}, format="json"))
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["fine_amount"]) == (C.DECIDED, "50000.00")
    assert seen(staff.post(action_url(pk, "serve"), {"served_on": "2026-05-11"}, format="json")).json()[
        "status"] == C.SERVED
    response = seen(staff.post(action_url(pk, "payment"), {"paid_on": "2026-05-11", "amount": "50000"},
                               format="json"))
    assert response.json()["paid_on"] == "2026-05-11"
    response = seen(staff.post(action_url(pk, "publish"), {}, format="json"))
    assert response.status_code == 201, response.content
    notice = response.json()
    assert (notice["party_masked"], notice["id_masked"], notice["on_time"], notice["takedown_on"]) == (
        "张*", id_number[0] + "*" * 16 + id_number[-1], True, "2027-05-11")

    response = seen(api().get(public_url()))
    assert response.status_code == 200
    assert response.json()["count"] == 1
    item = response.json()["results"][0]
    assert set(item) == {"id", "title", "body_name", "decision_number", "party_masked", "id_masked", "content",
                         "published_on", "takedown_on"}
    assert item["decision_number"] == "湖市监罚〔2026〕12号" and "张三" not in item["content"]

    response = seen(boss.post(action_url(pk, "close"), {"note": "罚款已缴清。"}, format="json"))
    assert response.json()["status"] == C.CLOSED
    response = seen(staff.post(action_url(pk, "archive"), {}, format="json"))
    body = response.json()
    assert body["status"] == C.ARCHIVED
    assert [e["action"] for e in body["timeline"] if e["target_state"]][:3] == ["register_clue", "open", "notify"]
    assert not any(masking.contains_unmasked_id(text) for text in seen.bodies)


def test_every_service_action_has_an_endpoint():
    assert set(CASE_ACTIONS) == {
        "open", "decline", "recusal-request", "recusal-decide", "records", "pause", "resume", "notify",
        "hearing-request", "hearing-schedule", "hearing-hold", "submit-review", "decide", "serve", "payment",
        "publish", "revoke", "withdraw", "close", "archive", "measure-conclude"}


def test_decline_recusal_pause_resume_revoke_and_withdraw_through_the_api(officer, colleague, head):
    seen = Recorder()
    staff, boss = api(officer), api(head)
    declined = services.case_register_clue(actor=officer, data=clue(2))
    response = seen(boss.post(action_url(declined.pk, "decline"), {"reason": "违法事实不成立。"}, format="json"))
    assert (response.json()["status"], response.json()["not_opened_reason"]) == (C.NOT_OPENED, "违法事实不成立。")

    case = case_in_state(C.INVESTIGATING, officer=officer, colleague=colleague, head_user=head, seed=3)
    response = seen(staff.post(action_url(case.pk, "recusal-request"), {
        "officer_id": colleague.pk, "reason": "执法人员与当事人有亲属关系。"}, format="json"))
    assert response.status_code == 201, response.content
    recusal = response.json()
    assert (recusal["officer_name"], recusal["granted"]) == ("吴执法", None)
    replacement = enforcement_officer(full_name="冯执法")
    response = seen(boss.post(action_url(case.pk, "recusal-decide"), {
        "recusal_id": recusal["id"], "granted": True, "replacement_id": replacement.pk}, format="json"))
    assert response.status_code == 200, response.content
    assert {o["name"] for o in response.json()["officers"]} == {"孙执法", "冯执法"}
    assert response.json()["recusals"][0]["granted"] is True

    response = seen(boss.post(action_url(case.pk, "pause"), {"reason_kind": "testing", "reason": "送检样品。"},
                              format="json"))
    clock = next(c for c in response.json()["clocks"] if c["rule"] == "enforcement.case_decision")
    assert (clock["status"], clock["due_on"], clock["pauses"][0]["reason_kind"]) == ("paused", None, "testing")
    response = seen(boss.post(action_url(case.pk, "resume"), {"note": "检验报告已出具。"}, format="json"))
    clock = next(c for c in response.json()["clocks"] if c["rule"] == "enforcement.case_decision")
    assert (clock["status"], clock["due_on"]) == ("running", "2026-08-10")

    decided = case_in_state(C.DECIDED, officer=officer, colleague=colleague, head_user=head, seed=4)
    seen(staff.post(action_url(decided.pk, "publish"), {}, format="json"))
    response = seen(boss.post(action_url(decided.pk, "revoke"), {"reason": "行政复议决定撤销。"}, format="json"))
    assert response.json()["status"] == C.REVOKED
    assert [c["due_on"] for c in response.json()["clocks"] if c["rule"] == "enforcement.withdrawal"] == [
        "2026-05-14"]
    response = seen(staff.post(action_url(decided.pk, "withdraw"), {"statement": "原处罚决定已被撤销。"},
                               format="json"))
    assert response.status_code == 200, response.content
    assert (response.json()["withdrawn_on"], response.json()["withdrawal_statement"]) == (
        "2026-05-11", "原处罚决定已被撤销。")
    assert api().get(public_url()).json()["count"] == 0
    assert not any(masking.contains_unmasked_id(text) for text in seen.bodies)


# ================================================================== illegal calls
def test_registration_refuses_an_invalid_resident_id(officer):
    wrong = valid_resident_id(5)[:17] + ("0" if valid_resident_id(5)[17] != "0" else "1")
    response = api(officer).post(cases_url(), clue(party_id_number=wrong), format="json")
    assert_error(response, 400, "invalid_id_number", "身份证号码格式或校验位不正确。")
    assert not Case.objects.exists()


def test_only_the_head_opens_a_case(officer, colleague, head):
    case = services.case_register_clue(actor=officer, data=clue())
    response = api(officer).post(action_url(case.pk, "open"), {"officer_ids": [officer.pk, colleague.pk]},
                                 format="json")
    assert_error(response, 403, "permission_denied", "立案须经执法机关负责人批准。")
    response = api(head).post(action_url(case.pk, "open"), {"officer_ids": [officer.pk]}, format="json")
    assert_error(response, 400, "two_officers", "执法人员不得少于两人（《中华人民共和国行政处罚法》第四十二条）。")
    assert Case.objects.get(pk=case.pk).status == C.CLUE


def test_a_seizure_without_audio_video_is_refused(officer, colleague, head):
    case = case_in_state(C.INVESTIGATING, officer=officer, colleague=colleague, head_user=head)
    response = api(officer).post(action_url(case.pk, "records"), {
        "kind": "seizure", "happened_at": "2026-05-11T09:30:00+08:00", "place": "某超市", "summary": "扣押。",
        "officer_ids": [officer.pk, colleague.pk]}, format="json")
    assert_error(response, 400, "prerequisites_missing",
                 "“查封、扣押”须全程音像记录，请上传音像记录或其说明文件（国办发〔2018〕118号（查封扣押财产等现场执法活动全程音像记录））。")
    assert not case.records.exists()


def test_invalid_input_gives_the_standard_400_body(officer, colleague, head):
    case = case_in_state(C.INVESTIGATING, officer=officer, colleague=colleague, head_user=head)
    response = api(officer).post(action_url(case.pk, "records"), {"kind": "inspection", "place": "某超市"},
                                 format="json")
    assert_error(response, 400, "invalid", "提交的数据不正确。")
    assert response.json()["details"][0].startswith("happened_at: ")


def test_a_decision_without_the_required_legal_review_is_refused(officer, colleague, head):
    case = case_in_state(C.NOTIFIED, officer=officer, colleague=colleague, head_user=head, fine="50000")
    response = api(head).post(action_url(case.pk, "decide"), {
        "outcome": "penalty", "decision_number": "湖市监罚〔2026〕12号", "penalty_types": ["fine"], "fine": "50000"},
        format="json")
    assert_error(response, 400, "prerequisites_missing",
                 "本案须经法制审核（罚没金额超过本机关法制审核目录标准），未经法制审核或者审核未通过的，"
                 "不得作出决定（《中华人民共和国行政处罚法》第五十八条）。")
    assert Case.objects.get(pk=case.pk).status == C.NOTIFIED


def test_an_action_in_the_wrong_state_is_a_409(officer, head):
    case = services.case_register_clue(actor=officer, data=clue())
    response = api(officer).post(action_url(case.pk, "notify"), {
        "facts": "事实。", "penalty_types": ["warning"], "fine": "0", "basis": "依据。"}, format="json")
    assert_error(response, 409, "invalid_state", "当前状态不允许此操作，请刷新页面后重试。")
    response = api(head).post(action_url(case.pk, "close"), {}, format="json")
    assert_error(response, 409, "invalid_state", "当前状态不允许此操作，请刷新页面后重试。")


def test_a_late_hearing_request_is_refused(officer, colleague, head):
    case = case_in_state(C.NOTIFIED, officer=officer, colleague=colleague, head_user=head)
    response = api(officer).post(action_url(case.pk, "hearing-request"), {"requested_on": "2026-05-19"},
                                 format="json")
    assert_error(response, 400, "hearing_request_late",
                 "当事人应当在告知后五个工作日内提出听证申请（截至2026-05-18），逾期视为放弃。")


def test_a_recusal_of_another_case_is_not_found(officer, colleague, head):
    first = case_in_state(C.INVESTIGATING, officer=officer, colleague=colleague, head_user=head, seed=1)
    second = case_in_state(C.INVESTIGATING, officer=officer, colleague=colleague, head_user=head, seed=2)
    recusal = services.case_request_recusal(actor=officer, case_id=first.pk, officer_id=colleague.pk, reason="亲属。")
    response = api(head).post(action_url(second.pk, "recusal-decide"), {"recusal_id": recusal.pk, "granted": False},
                              format="json")
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_anonymous_callers_must_log_in():
    assert_error(api().get(cases_url()), 401, "not_authenticated", "请先登录。")


# ================================================================== other bodies
def test_an_officer_of_another_body_gets_404(officer, colleague, head):
    case = case_in_state(C.NOTIFIED, officer=officer, colleague=colleague, head_user=head)
    other = enforcement_officer("hz-eco", head=True)
    client = api(other)
    assert client.get(detail_url(case.pk)).json() == NOT_FOUND
    response = client.post(action_url(case.pk, "hearing-request"), {"requested_on": "2026-05-11"}, format="json")
    assert response.status_code == 404 and response.json() == NOT_FOUND
    assert client.get(cases_url()).json()["count"] == 0
    assert Case.objects.get(pk=case.pk).status == C.NOTIFIED


def test_supervisors_read_every_body_but_cannot_act(officer, colleague, head, supervisor_user):
    case = case_in_state(C.NOTIFIED, officer=officer, colleague=colleague, head_user=head)
    client = api(supervisor_user)
    assert client.get(detail_url(case.pk)).status_code == 200
    assert client.get(cases_url()).json()["count"] == 1
    response = client.post(action_url(case.pk, "hearing-request"), {"requested_on": "2026-05-11"}, format="json")
    assert_error(response, 403, "permission_denied", "无权执行此操作。")


def test_the_list_filters_by_status_and_text(officer, colleague, head):
    case_in_state(C.INVESTIGATING, officer=officer, colleague=colleague, head_user=head, seed=1)
    services.case_register_clue(actor=officer, data=clue(2, title="无证经营案"))
    client = api(officer)
    assert [c["title"] for c in client.get(cases_url(), {"status": "clue"}).json()["results"]] == ["无证经营案"]
    assert client.get(cases_url(), {"q": "罚立〔2026〕1号"}).json()["count"] == 1
    assert_error(client.get(cases_url(), {"status": "nonsense"}), 400, "invalid", "提交的数据不正确。")


# ================================================================== queries and masking
def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(cases_url())
    assert response.status_code == 200
    return len(queries)


def test_the_case_list_runs_a_fixed_number_of_queries(officer, colleague, head, django_assert_max_num_queries):
    client = api(officer)
    for seed in range(2):
        services.case_register_clue(actor=officer, data=clue(seed))
    few = _list_queries(client)
    for seed in range(2, 14):
        services.case_register_clue(actor=officer, data=clue(seed))
    case_in_state(C.INVESTIGATING, officer=officer, colleague=colleague, head_user=head, seed=20)
    assert _list_queries(client) == few
    with django_assert_max_num_queries(6):
        client.get(cases_url())


def test_no_api_response_holds_a_valid_resident_id_in_the_clear(officer, colleague, head, supervisor_user):
    cases = [case_in_state(C.DECIDED, officer=officer, colleague=colleague, head_user=head, seed=seed,
                           facts=f"当事人身份证号{valid_resident_id(seed)}。")
             for seed in (7, 8)]
    services.case_publish_notice(actor=officer, case_id=cases[0].pk)
    bodies = [api(user).get(url).content.decode()
              for user in (officer, head, supervisor_user, None)
              for url in ([cases_url(), public_url()] + [detail_url(c.pk) for c in cases])]
    assert any(valid_resident_id(7)[:6] in text for text in bodies)  # the staff-masked form is there
    assert not any(masking.contains_unmasked_id(text) for text in bodies)


def test_the_public_list_shows_only_live_notices(officer, colleague, head):
    live, withdrawn, expired = (case_in_state(C.DECIDED, officer=officer, colleague=colleague, head_user=head,
                                              seed=seed) for seed in (11, 12, 13))
    for case in (live, withdrawn, expired):
        services.case_publish_notice(actor=officer, case_id=case.pk)
    PublicNotice.objects.filter(case=withdrawn).update(withdrawn_on=dt.date(2026, 5, 11))
    PublicNotice.objects.filter(case=expired).update(takedown_on=dt.date(2026, 5, 10))
    PublicNotice.objects.filter(case=live).update(takedown_on=dt.date(2026, 5, 11))  # its last day still shows
    results = api().get(public_url()).json()["results"]
    assert [r["id"] for r in results] == [live.notice.pk]
    assert api().get(public_url(), {"body": live.body_id}).json()["count"] == 1
    assert api().get(public_url(), {"body": factories.department("hz-eco").pk}).json()["count"] == 0


# ================================================================== admin
@pytest.fixture
def administrator(db):
    return factories.UserFactory(department=factories.department("hz-justice"), roles=[Role.ADMIN], is_staff=True,
                                 is_superuser=True)


def test_an_administrator_changes_a_threshold_with_an_audit_event(client, administrator):
    profile = BodyProfile.objects.get(body__code="hz-amr")
    client.force_login(administrator)
    url = reverse("admin:enforcement_bodyprofile_change", args=[profile.pk])
    response = client.post(url, {"body": profile.body_id, "procedures": profile.procedures,
                                 "remedies": profile.remedies, "inspection_list": profile.inspection_list,
                                 "review_threshold_person": "20000", "review_threshold_organisation": "100000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert str(BodyProfile.objects.get(pk=profile.pk).review_threshold_person) == "20000.00"
    event = AuditEvent.objects.filter(action="bodyprofile_change").get()
    assert event.details["before"] == {"review_threshold_person": "10000.00"}
    assert event.details["after"] == {"review_threshold_person": "20000"}


def test_other_staff_cannot_change_the_reference_data(client, officer):
    officer.is_staff = True
    officer.save()
    from django.contrib.auth.models import Permission

    officer.user_permissions.set(Permission.objects.filter(codename__in=["view_bodyprofile", "change_bodyprofile"]))
    client.force_login(officer)
    profile = BodyProfile.objects.get(body__code="hz-amr")
    url = reverse("admin:enforcement_bodyprofile_change", args=[profile.pk])
    response = client.post(url, {"body": profile.body_id, "review_threshold_person": "1",
                                 "review_threshold_organisation": "1"})
    assert response.status_code == 403
    assert str(BodyProfile.objects.get(pk=profile.pk).review_threshold_person) == "10000.00"


def test_the_case_admin_is_read_only_and_hides_the_party_data(client, administrator, officer, colleague, head):
    case = case_in_state(C.INVESTIGATING, officer=officer, colleague=colleague, head_user=head, seed=9)
    client.force_login(administrator)
    page = client.get(reverse("admin:enforcement_case_change", args=[case.pk])).content.decode()
    assert case.title in page
    for secret in (case.party_id_number, case.party_phone, "人民路88号"):
        assert secret not in page
    response = client.post(reverse("admin:enforcement_case_change", args=[case.pk]), {"title": "改"})
    assert response.status_code == 403
