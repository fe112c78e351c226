"""The staff pages of an enforcement case through the Django test client: who may open
what, forms in, services called, Chinese messages out, nothing changed on a refusal, and
personal data masked everywhere but the audited reveal."""
import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from core.models import Attachment, AuditEvent
from deadlines.models import LegalClock
from enforcement import masking, services
from enforcement.models import Case, PublicNotice, RecordEntry, Recusal
from enforcement.workflow import CaseStatus as C
from reviews.models import ReviewTask
from tests import factories
from tests.factories import CASE_CLUE, pdf_file, valid_resident_id

TODAY = "2026-05-11"
BASIS = "《中华人民共和国食品安全法》第一百二十四条"


@pytest.fixture(autouse=True)
def _calendar():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def officer(db):
    return factories.enforcement_officer("hz-amr", username="officer_amr")


@pytest.fixture
def colleague(db):
    return factories.enforcement_officer("hz-amr", username="colleague_amr")


@pytest.fixture
def head(db):
    return factories.enforcement_officer("hz-amr", head=True, username="head_amr")


@pytest.fixture
def spare(db):
    """A third certified officer of the body, not on the case."""
    return factories.enforcement_officer("hz-amr", username="spare_amr")


@pytest.fixture
def outsider(db):
    """An officer of another enforcement body."""
    return factories.enforcement_officer("hz-eco", username="officer_eco")


@pytest.fixture
def in_state(officer, colleague, head):
    def build(target, **data):
        return factories.case_in_state(target, officer=officer, colleague=colleague, head_user=head, **data)
    return build


def action_url(case, action: str) -> str:
    return reverse("enforcement:action", args=[case.pk, action])


def errors_of(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


def unchanged(case) -> bool:
    fresh = Case.objects.get(pk=case.pk)
    return (fresh.status, fresh.version, fresh.number) == (case.status, case.version, case.number)


def text(response) -> str:
    return response.content.decode()


# ================================================================== permissions
@pytest.mark.parametrize("page", ["detail", "record-add", "reveal", "notify"])
def test_officer_of_another_body_gets_404(client, in_state, outsider, page):
    case = in_state(C.INVESTIGATING)
    client.force_login(outsider)
    url = action_url(case, page) if page == "notify" else reverse(f"enforcement:{page}", args=[case.pk])
    hidden = client.get(url)
    assert hidden.status_code == 404


def test_another_bodys_case_is_the_same_404_as_a_missing_one(client, in_state, outsider):
    case = in_state(C.CLUE)
    client.force_login(outsider)
    hidden = client.get(reverse("enforcement:detail", args=[case.pk]))
    missing = client.get(reverse("enforcement:detail", args=[case.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_officer_of_another_body_cannot_post_an_action(client, in_state, outsider):
    case = in_state(C.CLUE)
    client.force_login(outsider)
    response = client.post(action_url(case, "decline"), {"reason": "不属于本机关管辖。"})
    assert response.status_code == 404
    assert unchanged(case)


@pytest.mark.parametrize("name", ["enforcement:list", "enforcement:create"])
def test_anonymous_visitor_goes_to_login(client, db, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_anonymous_post_of_an_action_goes_to_login(client, in_state):
    case = in_state(C.CLUE)
    response = client.post(action_url(case, "decline"), {"reason": "理由"})
    assert response.status_code == 302
    assert unchanged(case)


HEAD_ONLY = [
    ("open", C.CLUE, {"officer_ids": []}, "立案须经执法机关负责人批准。"),
    ("decline", C.CLUE, {"reason": "不属于本机关管辖。"}, "不予立案须经执法机关负责人批准。"),
    ("pause", C.INVESTIGATING, {"reason_kind": "testing", "reason": "送检。"}, "中止案件办理期限须经执法机关负责人批准。"),
    ("resume", C.INVESTIGATING, {"note": ""}, "恢复案件办理期限须经执法机关负责人批准。"),
    ("decide", C.NOTIFIED, {"outcome": "penalty", "decision_number": "湖市监罚〔2026〕1号", "penalty_types": ["fine"],
                            "fine": "5000"}, "行政处罚决定由执法机关负责人作出。"),
    ("revoke", C.DECIDED, {"reason": "复议决定撤销。"}, "撤销、变更决定由执法机关负责人作出。"),
    ("close", C.SERVED, {"note": ""}, "结案须经执法机关负责人批准。"),
    ("recusal-decide", C.INVESTIGATING, {"decision": "refuse"}, "回避由执法机关负责人决定。"),
]


@pytest.mark.parametrize(("action", "state", "data", "message"), HEAD_ONLY, ids=[a for a, *_ in HEAD_ONLY])
def test_head_only_actions_are_refused_to_staff_with_the_reason(client, in_state, officer, action, state, data,
                                                                 message):
    case = in_state(state)
    client.force_login(officer)

    shown = client.get(action_url(case, action))
    posted = client.post(action_url(case, action), data)

    assert shown.status_code == posted.status_code == 403
    assert message in text(shown) and message in text(posted)
    assert unchanged(case)


def test_the_services_refuse_staff_with_the_same_message_as_the_page(in_state, officer):
    case = in_state(C.CLUE)
    with pytest.raises(services.NotPermitted) as refused:
        services.case_open(actor=officer, case_id=case.pk, officer_ids=[])
    assert refused.value.message == "立案须经执法机关负责人批准。"


def test_supervisor_reads_every_case_but_acts_on_none(client, in_state, supervisor_user, outsider):
    case = in_state(C.INVESTIGATING)
    factories.case_in_state(C.CLUE, officer=outsider, seed=7)
    client.force_login(supervisor_user)
    assert len(client.get(reverse("enforcement:list")).context["page"]) == 2
    detail = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert detail.status_code == 200 and detail.context["actions"] == []
    response = client.post(action_url(case, "notify"), {"facts": "事实", "fine": "1", "basis": BASIS})
    assert response.status_code == 403
    assert "您无权办理本案的此项操作。" in text(response)
    assert unchanged(case)


def test_list_shows_only_the_bodys_cases(client, in_state, officer, outsider):
    mine = in_state(C.CLUE)
    theirs = factories.case_in_state(C.CLUE, officer=outsider, seed=9, title="超标排放大气污染物案")
    client.force_login(officer)
    response = client.get(reverse("enforcement:list"))
    assert [c.pk for c in response.context["page"]] == [mine.pk]
    assert theirs.title not in text(response)


def test_list_filters_by_status_key_area_and_year(client, in_state, officer):
    opened = in_state(C.INVESTIGATING)
    in_state(C.CLUE, seed=2, key_area="labour")
    client.force_login(officer)
    by_status = client.get(reverse("enforcement:list"), {"status": C.INVESTIGATING})
    by_area = client.get(reverse("enforcement:list"), {"key_area": "labour"})
    by_year = client.get(reverse("enforcement:list"), {"year": 2025})
    assert [c.pk for c in by_status.context["page"]] == [opened.pk]
    assert [c.key_area for c in by_area.context["page"]] == ["labour"]
    assert list(by_year.context["page"]) == []


def test_navigation_offers_enforcement_to_officers(client, officer):
    client.force_login(officer)
    assert reverse("enforcement:list") in text(client.get(reverse("workbench:my-work")))


# ================================================================== the clue
CLUE_POST = {**{k: v for k, v in CASE_CLUE.items() if k != "ways"}, "ways": ["reasoned", "contactless"],
             "clue_received_on": TODAY, "complex_case": "on"}


def test_officer_registers_a_clue(client, officer):
    client.force_login(officer)
    assert client.get(reverse("enforcement:create")).status_code == 200
    response = client.post(reverse("enforcement:create"), {**CLUE_POST, "party_id_number": valid_resident_id(3)})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("enforcement:detail", args=[case.pk])
    assert (case.status, case.body, case.ways, case.complex_case) == (C.CLUE, officer.department,
                                                                     ["reasoned", "contactless"], True)


def test_a_wrong_id_number_is_refused_by_the_service(client, officer):
    client.force_login(officer)
    wrong = valid_resident_id(3)[:17] + ("0" if valid_resident_id(3)[17] != "0" else "1")
    response = client.post(reverse("enforcement:create"), {**CLUE_POST, "party_id_number": wrong})
    assert response.status_code == 400
    assert errors_of(response) == ["身份证号码格式或校验位不正确。"]
    assert not Case.objects.exists()


def test_a_returned_clue_form_does_not_show_the_typed_id_number(client, officer):
    client.force_login(officer)
    id_number = valid_resident_id(4)
    response = client.post(reverse("enforcement:create"), {**CLUE_POST, "title": "", "party_id_number": id_number})
    assert response.status_code == 400
    assert id_number not in text(response) and not masking.contains_unmasked_id(text(response))


def test_a_reviewer_cannot_register_a_clue(client, reviewer_user):
    client.force_login(reviewer_user)
    assert client.get(reverse("enforcement:create")).status_code == 403


# ================================================================== actions: success and refusal
def test_head_opens_a_case_with_two_certified_officers(client, in_state, head, officer, colleague):
    case = in_state(C.CLUE)
    client.force_login(head)
    assert client.get(action_url(case, "open")).status_code == 200
    response = client.post(action_url(case, "open"), {"officer_ids": [officer.pk, colleague.pk], "note": "同意立案。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == C.INVESTIGATING and case.number
    assert LegalClock.objects.filter(object_id=case.pk, rule="enforcement.case_decision", status="running").exists()


def test_opening_with_one_officer_is_refused(client, in_state, head, officer):
    case = in_state(C.CLUE)
    client.force_login(head)
    response = client.post(action_url(case, "open"), {"officer_ids": [officer.pk]})
    assert response.status_code == 400
    assert errors_of(response) == ["执法人员不得少于两人（《中华人民共和国行政处罚法》第四十二条）。"]
    assert unchanged(case)


def test_an_officer_with_an_expired_certificate_is_not_offered(client, in_state, head):
    expired = factories.enforcement_officer("hz-amr", valid_until=dt.date(2026, 1, 31))
    case = in_state(C.CLUE)
    client.force_login(head)
    response = client.get(action_url(case, "open"))
    assert expired not in response.context["form"].fields["officer_ids"].queryset


def test_head_declines_a_clue(client, in_state, head):
    case = in_state(C.CLUE)
    client.force_login(head)
    response = client.post(action_url(case, "decline"), {"reason": "不属于本机关管辖，已告知举报人。"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == C.NOT_OPENED


def test_declining_an_opened_case_is_a_conflict(client, in_state, head):
    case = in_state(C.INVESTIGATING)
    client.force_login(head)
    response = client.post(action_url(case, "decline"), {"reason": "理由。"})
    assert response.status_code == 409
    assert errors_of(response) == ["当前状态不允许此操作，请刷新页面后重试。"]
    assert unchanged(case)


def test_recusal_is_requested_and_granted_with_a_replacement(client, in_state, officer, colleague, head, spare):
    case = in_state(C.INVESTIGATING)
    client.force_login(officer)
    response = client.post(action_url(case, "recusal-request"), {"officer_id": colleague.pk,
                                                                 "reason": "与当事人有利害关系。"})
    assert response.status_code == 302
    recusal = Recusal.objects.get(case=case)
    client.force_login(head)
    response = client.post(action_url(case, "recusal-decide"), {"recusal_id": recusal.pk, "decision": "grant",
                                                                "replacement_id": spare.pk})
    assert response.status_code == 302
    assert set(Case.objects.get(pk=case.pk).officers.all()) == {officer, spare}
    assert Recusal.objects.get(pk=recusal.pk).granted is True


def test_granting_a_recusal_without_a_replacement_is_refused(client, in_state, officer, colleague, head):
    case = in_state(C.INVESTIGATING)
    recusal = services.case_request_recusal(actor=officer, case_id=case.pk, officer_id=colleague.pk, reason="亲属。")
    client.force_login(head)
    response = client.post(action_url(case, "recusal-decide"), {"recusal_id": recusal.pk, "decision": "grant"})
    assert response.status_code == 400
    assert errors_of(response) == ["执法人员不得少于两人（《中华人民共和国行政处罚法》第四十二条）。"]
    assert Recusal.objects.get(pk=recusal.pk).granted is None


def test_recusal_of_someone_not_on_the_case_is_not_offered(client, in_state, officer, spare):
    case = in_state(C.INVESTIGATING)
    client.force_login(officer)
    response = client.post(action_url(case, "recusal-request"), {"officer_id": spare.pk, "reason": "理由。"})
    assert response.status_code == 400
    assert not Recusal.objects.exists()


def test_head_pauses_and_resumes_the_case_clock(client, in_state, head):
    case = in_state(C.INVESTIGATING)
    client.force_login(head)
    response = client.post(action_url(case, "pause"), {"reason_kind": "testing", "reason": "样品送检。"})
    assert response.status_code == 302
    clock = LegalClock.objects.get(object_id=case.pk, rule="enforcement.case_decision")
    assert clock.status == "paused"
    detail = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert "resume" in [a["name"] for a in detail.context["actions"]]
    assert "pause" not in [a["name"] for a in detail.context["actions"]]
    response = client.post(action_url(case, "resume"), {"note": "检测结果已出。"})
    assert response.status_code == 302
    assert LegalClock.objects.get(pk=clock.pk).status == "running"


def test_pausing_a_paused_clock_is_a_conflict(client, in_state, head):
    case = in_state(C.INVESTIGATING)
    services.case_pause(actor=head, case_id=case.pk, reason_kind="testing", reason="送检。")
    client.force_login(head)
    response = client.post(action_url(case, "pause"), {"reason_kind": "testing", "reason": "再次送检。"})
    assert response.status_code == 409
    assert errors_of(response) == ["案件办理期限未在计时中。"]


def test_officer_notifies_the_intended_penalty(client, in_state, officer):
    case = in_state(C.INVESTIGATING)
    client.force_login(officer)
    response = client.post(action_url(case, "notify"), {"facts": "销售过期食品。", "penalty_types": ["fine"],
                                                        "fine": "5000", "basis": BASIS})
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.proposed_fine, case.proposed_penalty_types) == (C.NOTIFIED, Decimal("5000"), ["fine"])


def test_notifying_a_clue_is_a_conflict(client, in_state, officer):
    case = in_state(C.CLUE)
    client.force_login(officer)
    response = client.post(action_url(case, "notify"), {"facts": "事实。", "fine": "0", "basis": BASIS})
    assert response.status_code == 409
    assert unchanged(case)


def test_hearing_is_requested_scheduled_and_held(client, in_state, officer, spare):
    case = in_state(C.NOTIFIED)
    client.force_login(officer)
    assert client.post(action_url(case, "hearing-request"), {"requested_on": TODAY}).status_code == 302
    assert LegalClock.objects.get(object_id=case.pk, rule="enforcement.case_decision").status == "paused"
    response = client.post(action_url(case, "hearing-schedule"), {"hearing_on": "2026-05-20", "notice_on": TODAY,
                                                                  "chair_id": spare.pk})
    assert response.status_code == 302
    response = client.post(action_url(case, "hearing-hold"), {"record": "当事人到场陈述申辩。"})
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.hearing_chair, case.hearing_on) == (C.HEARING_HELD, spare, dt.date(2026, 5, 20))


def test_a_late_hearing_request_is_refused(client, in_state, officer):
    case = in_state(C.NOTIFIED)
    client.force_login(officer)
    response = client.post(action_url(case, "hearing-request"), {"requested_on": "2026-05-25"})
    assert response.status_code == 400
    assert errors_of(response)[0].startswith("当事人应当在告知后五个工作日内提出听证申请")
    assert unchanged(case)


def test_an_investigator_cannot_chair_the_hearing(client, in_state, officer, colleague):
    case = in_state(C.NOTIFIED)
    services.case_request_hearing(actor=officer, case_id=case.pk, requested_on=dt.date(2026, 5, 11))
    client.force_login(officer)
    response = client.post(action_url(case, "hearing-schedule"), {"hearing_on": "2026-05-20", "notice_on": TODAY,
                                                                  "chair_id": colleague.pk})
    assert response.status_code == 400
    assert errors_of(response) == ["听证由非本案调查人员主持（《中华人民共和国行政处罚法》第六十四条）。"]
    assert Case.objects.get(pk=case.pk).hearing_on is None


def test_holding_an_unscheduled_hearing_is_refused(client, in_state, officer):
    case = in_state(C.NOTIFIED)
    services.case_request_hearing(actor=officer, case_id=case.pk, requested_on=dt.date(2026, 5, 11))
    case = Case.objects.get(pk=case.pk)
    client.force_login(officer)
    response = client.post(action_url(case, "hearing-hold"), {"record": "笔录。"})
    assert response.status_code == 400
    assert errors_of(response) == ["请先安排听证。"]
    assert unchanged(case)


def test_officer_submits_for_legal_review(client, in_state, officer):
    case = in_state(C.NOTIFIED, fine="50000")
    client.force_login(officer)
    response = client.post(action_url(case, "submit-review"), {"note": ""})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == C.LEGAL_REVIEW
    assert ReviewTask.objects.filter(object_id=case.pk, kind="enforcement").count() == 1
    detail = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert "罚没金额超过本机关法制审核目录标准" in text(detail)
    assert len(detail.context["reviews"]) == 1
    assert "enforcement.legality_review" in [c.rule for c in detail.context["clocks"]]


def test_submitting_a_clue_for_review_is_a_conflict(client, in_state, officer):
    case = in_state(C.CLUE)
    client.force_login(officer)
    assert client.post(action_url(case, "submit-review"), {"note": ""}).status_code == 409
    assert not ReviewTask.objects.exists()


def test_head_decides_no_penalty_for_a_minor_violation(client, in_state, head):
    case = in_state(C.NOTIFIED)
    client.force_login(head)
    response = client.post(action_url(case, "decide"), {
        "outcome": "no_penalty", "no_penalty_ground": "minor", "fine": "0",
        "reason": "违法行为轻微并已及时改正，没有造成危害后果。"})
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.outcome, case.no_penalty_ground) == (C.DECIDED, "no_penalty", "minor")


def test_a_penalty_heavier_than_the_notice_is_refused(client, in_state, head):
    case = in_state(C.NOTIFIED, fine="5000")
    client.force_login(head)
    response = client.post(action_url(case, "decide"), {"outcome": "penalty", "decision_number": "湖市监罚〔2026〕3号",
                                                        "penalty_types": ["fine"], "fine": "8000"})
    assert response.status_code == 400
    assert errors_of(response) == ["不得因当事人陈述、申辩或要求听证而给予更重的处罚（第四十五条）：处罚不得重于告知的内容。"]
    assert unchanged(case)


def test_no_decision_without_a_required_legal_review(client, in_state, head):
    case = in_state(C.NOTIFIED, fine="50000")
    client.force_login(head)
    response = client.post(action_url(case, "decide"), {"outcome": "penalty", "decision_number": "湖市监罚〔2026〕4号",
                                                        "penalty_types": ["fine"], "fine": "50000"})
    assert response.status_code == 400
    assert errors_of(response)[0].startswith("本案须经法制审核（罚没金额超过本机关法制审核目录标准）")
    assert unchanged(case)


def test_officer_records_service(client, in_state, officer):
    case = in_state(C.DECIDED)
    client.force_login(officer)
    assert client.post(action_url(case, "serve"), {"served_on": TODAY}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == C.SERVED


def test_service_in_the_future_is_refused(client, in_state, officer):
    case = in_state(C.DECIDED)
    client.force_login(officer)
    response = client.post(action_url(case, "serve"), {"served_on": "2026-05-20"})
    assert response.status_code == 400
    assert errors_of(response) == ["送达日期应在决定日期之后、且不晚于今天。"]
    assert unchanged(case)


def test_officer_records_the_payment(client, in_state, officer):
    case = in_state(C.SERVED)
    client.force_login(officer)
    assert client.post(action_url(case, "payment"), {"paid_on": TODAY, "amount": "5000"}).status_code == 302
    assert Case.objects.get(pk=case.pk).paid_on == dt.date(2026, 5, 11)


def test_a_late_payment_without_the_surcharge_is_refused_and_the_surcharge_shown(client, in_state, officer):
    case = in_state(C.SERVED, fine="1000")
    with time_machine.travel("2026-05-29 10:00 +0800", tick=False):  # due 26 May: 3 days late
        client.force_login(officer)
        detail = client.get(reverse("enforcement:detail", args=[case.pk]))
        response = client.post(action_url(case, "payment"), {"paid_on": "2026-05-29", "amount": "1000"})
    assert detail.context["payment"]["surcharge"] == Decimal("90.00")
    assert response.status_code == 400
    assert errors_of(response) == ["应缴1090.00元（罚款1000.00元，加处罚款90.00元），实缴金额不足。"]
    assert unchanged(case)


def test_officer_publishes_the_masked_notice(client, in_state, officer):
    case = in_state(C.DECIDED)
    client.force_login(officer)
    preview = client.get(action_url(case, "publish"))
    assert preview.context["preview"]["party_masked"] == "张*"
    assert not masking.contains_unmasked_id(text(preview))
    assert client.post(action_url(case, "publish"), {"confirmed": "on"}).status_code == 302
    notice = PublicNotice.objects.get(case=case)
    assert notice.on_time and notice.party_masked == "张*"


def test_publishing_the_notice_needs_the_confirmation_of_what_becomes_public(client, in_state, officer):
    case = in_state(C.DECIDED)
    client.force_login(officer)
    page = text(client.get(action_url(case, "publish")))
    response = client.post(action_url(case, "publish"), {})
    assert "办理后，以下内容将在公众网站公开" in page and "确认公开执法决定" in page
    assert response.status_code == 400 and "请先确认" in text(response)
    assert not PublicNotice.objects.filter(case=case).exists()


def test_publishing_twice_is_a_conflict(client, in_state, officer):
    case = in_state(C.DECIDED)
    services.case_publish_notice(actor=officer, case_id=case.pk)
    client.force_login(officer)
    response = client.post(action_url(case, "publish"), {"confirmed": "on"})
    assert response.status_code == 409
    assert errors_of(response) == ["该决定已公开。"]


def test_head_revokes_and_the_officer_withdraws_the_notice(client, in_state, officer, head):
    case = in_state(C.DECIDED)
    services.case_publish_notice(actor=officer, case_id=case.pk)
    client.force_login(head)
    assert client.post(action_url(case, "revoke"), {"reason": "行政复议决定撤销。"}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == C.REVOKED
    client.force_login(officer)
    assert client.post(action_url(case, "withdraw"), {"statement": "原处罚决定已被撤销，撤回公开信息。"}).status_code == 302
    assert PublicNotice.objects.get(case=case).withdrawn_on == dt.date(2026, 5, 11)


def test_revoking_a_clue_is_a_conflict(client, in_state, head):
    case = in_state(C.CLUE)
    client.force_login(head)
    assert client.post(action_url(case, "revoke"), {"reason": "理由。"}).status_code == 409
    assert unchanged(case)


def test_withdrawing_without_a_notice_is_a_conflict(client, in_state, officer):
    case = in_state(C.DECIDED)
    client.force_login(officer)
    response = client.post(action_url(case, "withdraw"), {"statement": "说明。"})
    assert response.status_code == 409
    assert errors_of(response) == ["没有需要撤回的公开信息。"]


def test_head_closes_and_the_officer_archives(client, in_state, officer, head):
    case = in_state(C.SERVED)
    services.case_record_payment(actor=officer, case_id=case.pk, paid_on=dt.date(2026, 5, 11), amount=Decimal("5000"))
    client.force_login(head)
    assert client.post(action_url(case, "close"), {"note": ""}).status_code == 302
    client.force_login(officer)
    assert client.post(action_url(case, "archive"), {}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == C.ARCHIVED


def test_closing_with_the_fine_unpaid_is_refused(client, in_state, head):
    case = in_state(C.SERVED)
    client.force_login(head)
    response = client.post(action_url(case, "close"), {"note": ""})
    assert response.status_code == 400
    assert errors_of(response) == ["罚款尚未缴纳，不能结案；逾期不缴纳的，可依法加处罚款或申请强制执行。"]
    assert unchanged(case)


def test_archiving_an_open_case_is_a_conflict(client, in_state, officer):
    case = in_state(C.DECIDED)
    client.force_login(officer)
    assert client.post(action_url(case, "archive"), {}).status_code == 409
    assert unchanged(case)


def test_an_unknown_action_is_404(client, in_state, officer):
    case = in_state(C.CLUE)
    client.force_login(officer)
    assert client.get(action_url(case, "start-drafting")).status_code == 404


# ================================================================== the full-process record
RECORD = {"kind": "inspection", "happened_at": "2026-05-11T09:30", "place": "吴兴区人民路88号超市",
          "summary": "现场检查发现货架上有超过保质期的食品。"}


def test_officer_records_an_inspection_with_files(client, in_state, officer, colleague):
    case = in_state(C.INVESTIGATING)
    client.force_login(officer)
    assert client.get(reverse("enforcement:record-add", args=[case.pk])).status_code == 200
    response = client.post(reverse("enforcement:record-add", args=[case.pk]),
                           {**RECORD, "officers": [officer.pk, colleague.pk], "files": [pdf_file("检查笔录.pdf")]})
    assert response.status_code == 302
    entry = RecordEntry.objects.get(case=case)
    assert entry.attachments.get().original_name == "检查笔录.pdf"
    detail = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert reverse("workbench:attachment-download", args=[entry.attachments.get().pk]) in text(detail)
    assert "执法证号" in text(detail)


def test_a_seizure_without_audio_video_is_refused(client, in_state, officer, colleague):
    case = in_state(C.INVESTIGATING)
    client.force_login(officer)
    response = client.post(reverse("enforcement:record-add", args=[case.pk]),
                           {**RECORD, "kind": "seizure", "officers": [officer.pk, colleague.pk]})
    assert response.status_code == 400
    assert errors_of(response)[0].startswith("“查封、扣押”须全程音像记录")
    assert not RecordEntry.objects.exists()


def test_a_supervisor_cannot_add_a_record(client, in_state, supervisor_user):
    case = in_state(C.INVESTIGATING)
    client.force_login(supervisor_user)
    assert client.get(reverse("enforcement:record-add", args=[case.pk])).status_code == 403


def record_file(case, officer, colleague):
    entry = services.case_add_record(actor=officer, case_id=case.pk, kind="evidence",
                                     happened_at=dt.datetime(2026, 5, 11, 9, 0, tzinfo=dt.UTC), place="超市",
                                     summary="提取票据。", officer_ids=[officer.pk, colleague.pk], files=[pdf_file()])
    return entry.attachments.get()


def test_a_record_file_downloads_for_the_body_and_is_audited(client, in_state, officer, colleague):
    case = in_state(C.INVESTIGATING)
    attachment = record_file(case, officer, colleague)
    client.force_login(colleague)
    response = client.get(reverse("workbench:attachment-download", args=[attachment.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="attachment_download", object_id=str(case.pk),
                                     actor=colleague).exists()


def test_a_record_file_is_404_for_another_body(client, in_state, officer, colleague, outsider):
    case = in_state(C.INVESTIGATING)
    attachment = record_file(case, officer, colleague)
    client.force_login(outsider)
    assert client.get(reverse("workbench:attachment-download", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# ================================================================== personal data
def test_detail_masks_the_party_for_staff(client, in_state, officer):
    case = in_state(C.INVESTIGATING)
    client.force_login(officer)
    response = client.get(reverse("enforcement:detail", args=[case.pk]))
    body = text(response)
    assert masking.mask_id(case.party_id_number, staff=True) in body
    assert "138****5678" in body and "13812345678" not in body
    assert "人民路88号" not in body
    assert not masking.contains_unmasked_id(body)


def test_no_unmasked_id_in_the_list_or_detail_even_inside_free_text(client, in_state, officer, head):
    id_in_facts = valid_resident_id(11)
    case = in_state(C.NOTIFIED, seed=5, facts=f"当事人（身份证号{id_in_facts}）销售过期食品。")
    services.case_pause(actor=head, case_id=case.pk, reason_kind="other", reason=f"核实身份{id_in_facts}")
    client.force_login(officer)
    listing = text(client.get(reverse("enforcement:list")))
    detail = text(client.get(reverse("enforcement:detail", args=[case.pk])))
    assert "张*" in listing and "张三" not in listing
    assert not masking.contains_unmasked_id(listing)
    assert not masking.contains_unmasked_id(detail)


def test_officer_of_the_case_reveals_the_full_data_with_a_reason(client, in_state, officer):
    case = in_state(C.INVESTIGATING)
    client.force_login(officer)
    response = client.post(reverse("enforcement:reveal", args=[case.pk]), {"reason": "制作送达回证需核对身份。"})
    assert response.status_code == 200
    body = text(response)
    assert case.party_id_number in body and "13812345678" in body and "人民路88号" in body
    assert masking.contains_unmasked_id(body)
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="reveal_personal_data")
    assert (event.actor, event.reason, event.object_id) == (officer, "制作送达回证需核对身份。", str(case.pk))


def test_a_reveal_without_a_reason_is_refused_and_not_audited(client, in_state, officer):
    case = in_state(C.INVESTIGATING)
    client.force_login(officer)
    response = client.post(reverse("enforcement:reveal", args=[case.pk]), {"reason": ""})
    assert response.status_code == 400
    assert not masking.contains_unmasked_id(text(response))
    assert not AuditEvent.objects.filter(action="reveal_personal_data").exists()


def test_staff_not_on_the_case_may_not_reveal(client, in_state, spare):
    case = in_state(C.INVESTIGATING)
    client.force_login(spare)
    response = client.post(reverse("enforcement:reveal", args=[case.pk]), {"reason": "好奇。"})
    assert response.status_code == 403
    assert "无权查看完整的个人信息。" in text(response)
    assert not masking.contains_unmasked_id(text(response))
    assert "no-store" in response["Cache-Control"]
    assert not AuditEvent.objects.filter(action="reveal_personal_data").exists()


def test_staff_of_another_body_gets_404_on_reveal(client, in_state, outsider):
    case = in_state(C.INVESTIGATING)
    client.force_login(outsider)
    assert client.post(reverse("enforcement:reveal", args=[case.pk]), {"reason": "核对。"}).status_code == 404
    assert not AuditEvent.objects.filter(action="reveal_personal_data").exists()


def test_the_legal_reviewer_reads_the_case_under_review_masked(client, in_state):
    reviewer = factories.legal_reviewer()
    case = in_state(C.LEGAL_REVIEW)
    client.force_login(reviewer)
    response = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert response.status_code == 200
    assert response.context["party"]["name"] == "张*" and response.context["actions"] == []
    assert not masking.contains_unmasked_id(text(response))


def test_supervisor_sees_the_party_name_masked_and_no_reveal_form(client, in_state, supervisor_user):
    case = in_state(C.INVESTIGATING)
    client.force_login(supervisor_user)
    response = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert response.context["party"]["name"] == "张*" and response.context["reveal_form"] is None
    assert reverse("enforcement:reveal", args=[case.pk]) not in text(response)


# ================================================================== 我的工作
def test_my_work_lists_the_bodys_cases(client, in_state, officer):
    case = in_state(C.INVESTIGATING)
    client.force_login(officer)
    response = client.get(reverse("workbench:my-work"))
    assert [c.pk for c in response.context["cases"]] == [case.pk]
    assert "本单位执法案件" in text(response)


def test_my_work_has_no_case_section_for_a_department_without_cases(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("workbench:my-work"))
    assert response.context["cases"] == []
    assert "本单位执法案件" not in text(response)
