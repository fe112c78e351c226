"""Every legal transition of an enforcement case and the illegal ones, with their exact
messages and no change left behind: opening with certified officers, recusal, the
full-process record, the notice and hearing, the legal review, the decision, service,
payment with the surcharge, publicity, revocation and the audited reveal."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import DomainError, InvalidState, NotPermitted, TransitionBlocked
from core.models import AuditEvent
from deadlines.models import LegalClock
from enforcement import masking, services
from enforcement.models import (
    BodyProfile,
    Case,
    OfficerCertificate,
    PublicNotice,
    RecordEntry,
    Recusal,
)
from enforcement.workflow import CaseStatus as C
from reviews import services as review_services
from reviews.models import ReviewTask
from tests import factories
from tests.factories import (
    CASE_CLUE,
    case_in_state,
    enforcement_officer,
    legal_reviewer,
    pdf_file,
    valid_resident_id,
)

pytestmark = pytest.mark.django_db

CHECKLIST = {key: {"answer": "yes", "note": ""} for key in
             ("subject", "authority", "facts", "law", "procedure", "discretion", "transfer")}
TWO_OFFICERS = "执法人员不得少于两人（《中华人民共和国行政处罚法》第四十二条）。"
HEAVIER = "不得因当事人陈述、申辩或要求听证而给予更重的处罚（第四十五条）：处罚不得重于告知的内容。"
BASIS = "《中华人民共和国食品安全法》第一百二十四条"


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


@pytest.fixture
def people(officer, colleague, head):
    return {"officer": officer, "colleague": colleague, "head_user": head}


def clue(seed: int = 1, **overrides) -> dict:
    return {**CASE_CLUE, "party_id_number": valid_resident_id(seed), **overrides}


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def unchanged(case: Case) -> None:
    """The refused call left the case as it was."""
    now = fresh(case)
    assert (now.status, now.version) == (case.status, case.version)


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def clock(case_or_entry, rule: str) -> LegalClock:
    from django.contrib.contenttypes.models import ContentType

    return LegalClock.objects.filter(content_type=ContentType.objects.get_for_model(type(case_or_entry)),
                                     object_id=case_or_entry.pk, rule=rule).order_by("-id").first()


# ================================================================== registration
def test_registration_refuses_an_invalid_resident_id_checksum(officer):
    good = valid_resident_id(5)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(DomainError, match="^身份证号码格式或校验位不正确。$") as error:
        services.case_register_clue(actor=officer, data=clue(party_id_number=wrong))
    assert error.value.code == "invalid_id_number"
    assert not Case.objects.exists()


def test_registration_stores_an_upper_case_check_character_and_audits(officer):
    first17 = "33050219800101001"
    id_number = first17 + masking.id_check_character(first17)
    case = services.case_register_clue(actor=officer, data=clue(party_id_number=id_number.lower()))
    assert (case.status, case.party_id_number, case.body) == (C.CLUE, id_number.upper(), officer.department)
    assert AuditEvent.objects.filter(action="register_clue", object_id=str(case.pk)).exists()


def test_an_organisation_is_registered_with_its_credit_code(officer):
    case = services.case_register_clue(actor=officer, data=clue(party_type="organisation", party_name="湖州某食品有限公司",
                                                                party_id_number="91330502MA2B3C4D5E"))
    assert case.party_id_number == "91330502MA2B3C4D5E"


def test_registration_needs_a_title_and_valid_choices(officer):
    with pytest.raises(DomainError, match="^请填写案由。$"):
        services.case_register_clue(actor=officer, data=clue(title=" "))
    with pytest.raises(DomainError, match="^请选择重点领域、执法类型和当事人类型。$"):
        services.case_register_clue(actor=officer, data=clue(key_area="space"))


def test_someone_outside_a_body_cannot_register(reviewer_user):
    with pytest.raises(PermissionDenied):
        services.case_register_clue(actor=reviewer_user, data=clue())


# ================================================================== opening
def test_the_head_opens_with_two_certified_officers_and_the_clocks_start(officer, colleague, head):
    case = services.case_register_clue(actor=officer, data=clue())
    services.case_open(actor=head, case_id=case.pk, officer_ids=[officer.pk, colleague.pk], note="符合立案条件。")
    case = fresh(case)
    assert (case.status, case.opened_on, case.number) == (C.INVESTIGATING, dt.date(2026, 5, 11),
                                                          "市市场监管局罚立〔2026〕1号")
    assert set(case.officers.all()) == {officer, colleague}
    assert clock(case, "enforcement.case_decision").due_on == dt.date(2026, 8, 10)
    assert clock(case, "enforcement.case_day60").due_on == dt.date(2026, 7, 10)
    second = case_in_state(C.INVESTIGATING, officer=officer, colleague=colleague, head_user=head, seed=2)
    assert second.number == "市市场监管局罚立〔2026〕2号"


def test_an_officer_cannot_open_a_case(officer, colleague):
    case = services.case_register_clue(actor=officer, data=clue())
    with pytest.raises(NotPermitted, match="^立案须经执法机关负责人批准。$"):
        services.case_open(actor=officer, case_id=case.pk, officer_ids=[officer.pk, colleague.pk])
    unchanged(case)


def test_opening_needs_two_officers(officer, head):
    case = services.case_register_clue(actor=officer, data=clue())
    with pytest.raises(DomainError, match=f"^{TWO_OFFICERS}$"):
        services.case_open(actor=head, case_id=case.pk, officer_ids=[officer.pk])
    unchanged(case)
    assert not LegalClock.objects.exists()


def test_an_expired_certificate_cannot_be_assigned(officer, head):
    expired = enforcement_officer(full_name="周过期", valid_until=dt.date(2026, 5, 10))
    case = services.case_register_clue(actor=officer, data=clue())
    with pytest.raises(DomainError, match="^周过期没有本机关有效的执法证件，不能承办案件。$") as error:
        services.case_open(actor=head, case_id=case.pk, officer_ids=[officer.pk, expired.pk])
    assert error.value.code == "certificate_invalid"
    unchanged(case)


def test_a_certificate_of_another_body_cannot_be_assigned(officer, head):
    outsider = enforcement_officer(full_name="冯外单位")
    OfficerCertificate.objects.filter(user=outsider).update(body=factories.department("hz-eco"))
    case = services.case_register_clue(actor=officer, data=clue())
    with pytest.raises(DomainError, match="^冯外单位没有本机关有效的执法证件，不能承办案件。$"):
        services.case_open(actor=head, case_id=case.pk, officer_ids=[officer.pk, outsider.pk])
    unchanged(case)


def test_a_case_is_opened_only_once(people):
    case = case_in_state(C.INVESTIGATING, **people)
    with pytest.raises(InvalidState, match="^只有线索可以立案。$"):
        services.case_open(actor=people["head_user"], case_id=case.pk,
                           officer_ids=[people["officer"].pk, people["colleague"].pk])
    unchanged(case)


def test_the_head_declines_a_clue_with_a_reason(officer, head):
    case = services.case_register_clue(actor=officer, data=clue())
    with pytest.raises(NotPermitted, match="^不予立案须经执法机关负责人批准。$"):
        services.case_decline(actor=officer, case_id=case.pk, reason="不属于本机关管辖。")
    with pytest.raises(DomainError, match="^请写明不予立案的理由。$"):
        services.case_decline(actor=head, case_id=case.pk, reason="")
    unchanged(case)
    services.case_decline(actor=head, case_id=case.pk, reason="不属于本机关管辖。")
    assert (fresh(case).status, fresh(case).not_opened_reason) == (C.NOT_OPENED, "不属于本机关管辖。")
    with pytest.raises(InvalidState):
        services.case_open(actor=head, case_id=case.pk, officer_ids=[])


# ================================================================== recusal
def test_a_granted_recusal_removes_the_officer_and_needs_a_replacement(people):
    officer, colleague, head = people["officer"], people["colleague"], people["head_user"]
    case = case_in_state(C.INVESTIGATING, **people)
    recusal = services.case_request_recusal(actor=officer, case_id=case.pk, officer_id=colleague.pk,
                                            reason="执法人员与当事人有利害关系。")
    assert recusal.granted is None
    with pytest.raises(DomainError, match=f"^{TWO_OFFICERS}$"):
        services.case_decide_recusal(actor=head, recusal_id=recusal.pk, granted=True)
    assert Recusal.objects.get(pk=recusal.pk).granted is None and set(case.officers.all()) == {officer, colleague}
    replacement = enforcement_officer(full_name="冯替换")
    services.case_decide_recusal(actor=head, recusal_id=recusal.pk, granted=True, replacement_id=replacement.pk)
    recusal = Recusal.objects.get(pk=recusal.pk)
    assert (recusal.granted, recusal.decided_by, recusal.decided_on) == (True, head, dt.date(2026, 5, 11))
    assert set(fresh(case).officers.all()) == {officer, replacement}
    with pytest.raises(InvalidState, match="^该回避申请已处理。$"):
        services.case_decide_recusal(actor=head, recusal_id=recusal.pk, granted=False)


def test_a_recused_officer_cannot_come_back_as_a_replacement(people):
    officer, colleague, head = people["officer"], people["colleague"], people["head_user"]
    case = case_in_state(C.INVESTIGATING, **people)
    third = enforcement_officer()
    first = services.case_request_recusal(actor=officer, case_id=case.pk, officer_id=colleague.pk, reason="亲属。")
    services.case_decide_recusal(actor=head, recusal_id=first.pk, granted=True, replacement_id=third.pk)
    second = services.case_request_recusal(actor=officer, case_id=case.pk, officer_id=third.pk, reason="同学。")
    with pytest.raises(DomainError, match="^已准予回避的执法人员不得承办本案。$"):
        services.case_decide_recusal(actor=head, recusal_id=second.pk, granted=True, replacement_id=colleague.pk)


def test_a_rejected_recusal_keeps_the_officers_and_only_the_head_decides(people):
    officer, colleague, head = people["officer"], people["colleague"], people["head_user"]
    case = case_in_state(C.INVESTIGATING, **people)
    recusal = services.case_request_recusal(actor=officer, case_id=case.pk, officer_id=colleague.pk, reason="怀疑不公。")
    with pytest.raises(NotPermitted, match="^回避由执法机关负责人决定。$"):
        services.case_decide_recusal(actor=officer, recusal_id=recusal.pk, granted=True)
    services.case_decide_recusal(actor=head, recusal_id=recusal.pk, granted=False)
    assert Recusal.objects.get(pk=recusal.pk).granted is False
    assert set(fresh(case).officers.all()) == {officer, colleague}


def test_recusal_is_requested_only_for_an_officer_of_the_case_with_a_reason(people):
    case = case_in_state(C.INVESTIGATING, **people)
    with pytest.raises(DomainError, match="^只能对本案执法人员申请回避。$"):
        services.case_request_recusal(actor=people["officer"], case_id=case.pk, officer_id=people["head_user"].pk,
                                      reason="理由。")
    with pytest.raises(DomainError, match="^请写明申请回避的理由。$"):
        services.case_request_recusal(actor=people["officer"], case_id=case.pk, officer_id=people["colleague"].pk,
                                      reason=" ")
    assert not Recusal.objects.exists()


# ================================================================== full-process record
def _record(case, actor, officers, kind="inspection", **kwargs):
    values = {"happened_at": dt.datetime(2026, 5, 11, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
              "place": "吴兴区爱山街道某超市", "summary": "现场检查。", "officer_ids": [o.pk for o in officers],
              **kwargs}
    return services.case_add_record(actor=actor, case_id=case.pk, kind=kind, **values)


def test_a_record_entry_needs_two_certified_officers(people):
    officer = people["officer"]
    case = case_in_state(C.INVESTIGATING, **people)
    uncertified = factories.staff("hz-amr")
    with pytest.raises(DomainError, match="^调查取证时执法人员不得少于两人，并应当出示执法证件"):
        _record(case, officer, [officer, uncertified])
    assert not RecordEntry.objects.exists()
    entry = _record(case, officer, [officer, people["colleague"]])
    assert set(entry.officers.all()) == {officer, people["colleague"]}
    assert AuditEvent.objects.filter(action="record_entry", object_id=str(case.pk)).count() == 1


def test_a_seizure_needs_an_audio_video_record_with_a_file(people):
    officer, colleague = people["officer"], people["colleague"]
    case = case_in_state(C.INVESTIGATING, **people)
    message = ("^“查封、扣押”须全程音像记录，请上传音像记录或其说明文件"
               r"（国办发〔2018〕118号（查封扣押财产等现场执法活动全程音像记录））。$")
    with pytest.raises(TransitionBlocked, match=message):
        _record(case, officer, [officer, colleague], kind="seizure")
    with pytest.raises(TransitionBlocked, match=message):
        _record(case, officer, [officer, colleague], kind="seizure", has_audio_video=True)
    assert not RecordEntry.objects.exists()
    entry = _record(case, officer, [officer, colleague], kind="seizure", has_audio_video=True,
                    files=[pdf_file("扣押音像记录说明.pdf")])
    assert entry.attachments.get().original_name == "扣押音像记录说明.pdf"
    assert clock(entry, "enforcement.seizure").due_on == dt.date(2026, 6, 10)


def test_preservation_also_needs_audio_video_but_inspection_does_not(people):
    officer, colleague = people["officer"], people["colleague"]
    case = case_in_state(C.INVESTIGATING, **people)
    with pytest.raises(TransitionBlocked, match="^“先行登记保存”须全程音像记录"):
        _record(case, officer, [officer, colleague], kind="preservation")
    assert _record(case, officer, [officer, colleague], kind="questioning").kind == "questioning"


def test_records_are_kept_between_opening_and_the_decision(people):
    officer, colleague = people["officer"], people["colleague"]
    case = services.case_register_clue(actor=officer, data=clue())
    with pytest.raises(InvalidState, match="^立案后、作出决定前记录调查取证。$"):
        _record(case, officer, [officer, colleague])
    opened = case_in_state(C.INVESTIGATING, seed=2, **people)
    with pytest.raises(DomainError, match="^请填写地点。$"):
        _record(opened, officer, [officer, colleague], place="")
    with pytest.raises(DomainError, match="^请选择执法环节。$"):
        _record(opened, officer, [officer, colleague], kind="party")


# ================================================================== notice
def _notify(case, actor, **overrides):
    values = {"facts": "销售超过保质期的食品。", "penalty_types": ["fine"], "fine": Decimal("5000"), "basis": BASIS,
              **overrides}
    return services.case_notify(actor=actor, case_id=case.pk, **values)


def test_the_notice_is_validated(people):
    officer = people["officer"]
    case = case_in_state(C.INVESTIGATING, **people)
    for overrides, message in (({"facts": ""}, "请填写拟认定的违法事实。"), ({"basis": " "}, "请填写处罚依据。"),
                               ({"penalty_types": ["flogging"]}, "处罚种类不正确。"),
                               ({"fine": Decimal("-1")}, "罚款金额不能为负数。")):
        with pytest.raises(DomainError, match=f"^{message}$"):
            _notify(case, officer, **overrides)
    unchanged(case)
    _notify(case, officer)
    case = fresh(case)
    assert (case.status, case.notified_on, case.proposed_fine) == (C.NOTIFIED, dt.date(2026, 5, 11), Decimal("5000"))
    assert clock(case, "enforcement.hearing_request").due_on == dt.date(2026, 5, 18)


def test_a_warning_alone_opens_no_hearing(people):
    case = case_in_state(C.INVESTIGATING, **people)
    _notify(case, people["officer"], penalty_types=["warning"], fine=Decimal("0"))
    assert clock(case, "enforcement.hearing_request") is None
    with pytest.raises(DomainError, match="^拟作出的处罚不属于听证范围。$"):
        services.case_request_hearing(actor=people["officer"], case_id=case.pk, requested_on=dt.date(2026, 5, 12))


# ================================================================== hearing
def test_a_hearing_request_within_five_working_days_is_accepted(people):
    case = case_in_state(C.NOTIFIED, **people)
    with at("2026-05-18"):
        services.case_request_hearing(actor=people["officer"], case_id=case.pk, requested_on=dt.date(2026, 5, 18))
    case = fresh(case)
    assert (case.status, case.hearing_requested_on) == (C.HEARING_REQUESTED, dt.date(2026, 5, 18))
    assert clock(case, "enforcement.hearing_request").status == "stopped"
    assert clock(case, "enforcement.case_decision").status == "paused"


def test_a_late_hearing_request_is_refused(people):
    case = case_in_state(C.NOTIFIED, **people)
    with at("2026-05-19"), pytest.raises(DomainError) as error:
        services.case_request_hearing(actor=people["officer"], case_id=case.pk, requested_on=dt.date(2026, 5, 19))
    assert error.value.message == "当事人应当在告知后五个工作日内提出听证申请（截至2026-05-18），逾期视为放弃。"
    assert error.value.code == "hearing_request_late"
    unchanged(case)


def test_the_hearing_chair_is_not_an_investigator_and_the_notice_is_seven_days_before(people):
    officer, colleague = people["officer"], people["colleague"]
    case = case_in_state(C.NOTIFIED, **people)
    with pytest.raises(InvalidState, match="^当事人申请听证后方可安排听证。$"):
        services.case_schedule_hearing(actor=officer, case_id=case.pk, hearing_on=dt.date(2026, 5, 20),
                                       notice_on=dt.date(2026, 5, 12), chair_id=people["head_user"].pk)
    services.case_request_hearing(actor=officer, case_id=case.pk, requested_on=dt.date(2026, 5, 11))
    with pytest.raises(DomainError, match="^听证由非本案调查人员主持（《中华人民共和国行政处罚法》第六十四条）。$"):
        services.case_schedule_hearing(actor=officer, case_id=case.pk, hearing_on=dt.date(2026, 5, 20),
                                       notice_on=dt.date(2026, 5, 12), chair_id=colleague.pk)
    with pytest.raises(DomainError, match="^应当在举行听证的7日前通知当事人（《中华人民共和国行政处罚法》第六十四条）。$"):
        services.case_schedule_hearing(actor=officer, case_id=case.pk, hearing_on=dt.date(2026, 5, 18),
                                       notice_on=dt.date(2026, 5, 12), chair_id=people["head_user"].pk)
    with pytest.raises(TransitionBlocked, match="^请先安排听证。$"):
        services.case_hold_hearing(actor=officer, case_id=case.pk, record="听证。")
    assert fresh(case).hearing_on is None
    services.case_schedule_hearing(actor=officer, case_id=case.pk, hearing_on=dt.date(2026, 5, 19),
                                   notice_on=dt.date(2026, 5, 12), chair_id=people["head_user"].pk)
    assert (fresh(case).hearing_on, fresh(case).hearing_chair) == (dt.date(2026, 5, 19), people["head_user"])
    with at("2026-05-19"):
        with pytest.raises(DomainError, match="^请填写听证笔录摘要。$"):
            services.case_hold_hearing(actor=people["head_user"], case_id=case.pk, record="")
        services.case_hold_hearing(actor=people["head_user"], case_id=case.pk, record="当事人陈述申辩。")
    assert fresh(case).status == C.HEARING_HELD


# ================================================================== legal review
def _case(people_or_none=None, **fields) -> Case:
    """An unsaved case of hz-amr to test the grounds."""
    values = {"body": factories.department("hz-amr"), "party_type": "person", "proposed_fine": Decimal("0"),
              "proposed_penalty_types": ["fine"], "status": C.NOTIFIED, **fields}
    return Case(**values)


@pytest.mark.parametrize("party_type, fine, expected", [
    ("person", "10000", []), ("person", "10000.01", ["amount"]),
    ("organisation", "100000", []), ("organisation", "100000.01", ["amount"]),
])
def test_the_amount_ground_uses_the_body_profile_thresholds(party_type, fine, expected):
    assert services.legal_review_grounds(_case(party_type=party_type, proposed_fine=Decimal(fine))) == expected


def test_the_thresholds_come_from_the_body_profile():
    BodyProfile.objects.filter(body__code="hz-amr").update(review_threshold_person=Decimal("3000"))
    assert services.legal_review_grounds(_case(proposed_fine=Decimal("3000.01"))) == ["amount"]


def test_the_other_grounds_of_a_legal_review():
    assert services.legal_review_grounds(_case(status=C.HEARING_HELD)) == ["hearing"]
    assert services.legal_review_grounds(_case(proposed_penalty_types=["licence_revocation"])) == ["major_type"]
    assert services.legal_review_grounds(_case(proposed_penalty_types=["lifetime_ban"])) == ["major_type"]
    assert services.legal_review_grounds(_case(complex_case=True)) == ["complex"]
    assert services.legal_review_grounds(_case(public_interest=True)) == ["public_interest"]
    assert services.legal_review_grounds(_case(proposed_penalty_types=["warning"])) == []


def test_a_reviewer_without_legal_qualification_cannot_claim(people, reviewer_user):
    case = case_in_state(C.LEGAL_REVIEW, fine="50000", **people)
    task = ReviewTask.objects.get(object_id=case.pk, kind="enforcement")
    with pytest.raises(NotPermitted) as error:
        review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)
    assert error.value.message == "重大执法决定的法制审核人员须具有法律职业资格（《中华人民共和国行政处罚法》第五十八条）。"
    task.refresh_from_db()
    assert (task.status, task.assigned_to) == (ReviewTask.Status.OPEN, None)


def _review(case, outcome: str, reviewer=None) -> None:
    reviewer = reviewer or legal_reviewer()
    task = ReviewTask.objects.get(object_id=case.pk, kind="enforcement", status=ReviewTask.Status.OPEN)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer)
    review_services.review_task_decide(task_id=task.pk, actor=reviewer, outcome=outcome, opinion="审核意见。",
                                       checklist=CHECKLIST, early_reason=factories.EARLY_REASON)


def test_a_passed_review_makes_the_case_ready_to_decide(people):
    case = case_in_state(C.LEGAL_REVIEW, fine="50000", **people)
    assert (case.legal_review_required, case.legal_review_grounds) == (True, ["amount"])
    _review(case, "passed")
    case = fresh(case)
    assert (case.status, case.legal_review_passed, case.legal_review_opinion) == (C.READY_TO_DECIDE, True, "审核意见。")


def test_a_returned_review_sends_the_case_back_to_investigation(people):
    case = case_in_state(C.LEGAL_REVIEW, fine="50000", **people)
    _review(case, "returned")
    case = fresh(case)
    assert (case.status, case.legal_review_passed) == (C.INVESTIGATING, False)


# ================================================================== decision
def _decide(case, actor, **overrides):
    values = {"outcome": "penalty", "decision_number": "湖市监罚〔2026〕12号", "penalty_types": ["fine"],
              "fine": Decimal("5000"), **overrides}
    return services.case_decide(actor=actor, case_id=case.pk, **values)


def test_a_decision_is_refused_without_a_required_review(people):
    case = case_in_state(C.NOTIFIED, fine="50000", **people)
    with pytest.raises(TransitionBlocked) as error:
        _decide(case, people["head_user"], fine=Decimal("50000"))
    assert error.value.message == ("本案须经法制审核（罚没金额超过本机关法制审核目录标准），未经法制审核或者审核未通过的，"
                                   "不得作出决定（《中华人民共和国行政处罚法》第五十八条）。")
    unchanged(case)


def test_a_penalty_is_not_heavier_than_the_notice(people):
    case = case_in_state(C.NOTIFIED, fine="5000", **people)
    with pytest.raises(DomainError, match=f"^{HEAVIER}$"):
        _decide(case, people["head_user"], fine=Decimal("6000"))
    with pytest.raises(DomainError, match=f"^{HEAVIER}$"):
        _decide(case, people["head_user"], penalty_types=["fine", "licence_suspension"])
    unchanged(case)
    _decide(case, people["head_user"], fine=Decimal("3000"))
    case = fresh(case)
    assert (case.status, case.outcome, case.fine_amount, case.decided_on) == (
        C.DECIDED, "penalty", Decimal("3000"), dt.date(2026, 5, 11))
    assert clock(case, "enforcement.case_decision").status == "stopped"
    assert clock(case, "enforcement.service").due_on == dt.date(2026, 5, 20)
    assert clock(case, "enforcement.publicity_penalty").due_on == dt.date(2026, 5, 20)


def test_only_the_head_decides_and_a_penalty_needs_a_notice_first(people):
    case = case_in_state(C.INVESTIGATING, **people)
    with pytest.raises(NotPermitted, match="^行政处罚决定由执法机关负责人作出。$"):
        _decide(case, people["officer"])
    with pytest.raises(TransitionBlocked, match="^作出行政处罚决定前，应当告知当事人拟作出的决定及陈述、申辩、听证权利（第四十四条）。$"):
        _decide(case, people["head_user"])
    unchanged(case)


def test_a_penalty_needs_a_decision_number(people):
    case = case_in_state(C.NOTIFIED, **people)
    with pytest.raises(DomainError, match="^请填写决定书文号。$"):
        _decide(case, people["head_user"], decision_number="")
    unchanged(case)


def test_no_penalty_needs_a_ground_and_a_reason(people):
    case = case_in_state(C.INVESTIGATING, **people)
    with pytest.raises(DomainError, match="^请选择不予行政处罚的法定情形。$"):
        _decide(case, people["head_user"], outcome="no_penalty")
    with pytest.raises(DomainError, match="^请写明不予处罚的理由（首违不罚等须说明首次违法、危害后果轻微并及时改正的事实）。$"):
        _decide(case, people["head_user"], outcome="no_penalty", no_penalty_ground="minor")
    unchanged(case)
    _decide(case, people["head_user"], outcome="no_penalty", no_penalty_ground="minor", decision_number="",
            reason="违法行为轻微并已当场改正，没有造成危害后果。")
    case = fresh(case)
    assert (case.status, case.outcome, case.no_penalty_ground, case.fine_amount, case.penalty_types) == (
        C.DECIDED, "no_penalty", "minor", Decimal("0"), [])
    assert clock(case, "enforcement.publicity_other").due_on == dt.date(2026, 6, 8)  # 20 WD
    assert clock(case, "enforcement.publicity_penalty") is None


def test_a_transfer_needs_a_reason_and_starts_no_service_clock(people):
    case = case_in_state(C.INVESTIGATING, **people)
    with pytest.raises(DomainError, match="^请写明移送的司法机关和理由。$"):
        _decide(case, people["head_user"], outcome="transfer")
    unchanged(case)
    _decide(case, people["head_user"], outcome="transfer", reason="涉嫌生产、销售不符合安全标准的食品罪，移送公安机关。")
    case = fresh(case)
    assert (case.status, case.outcome) == (C.DECIDED, "transfer")
    assert clock(case, "enforcement.service") is None
    with pytest.raises(InvalidState, match="^作出处罚或不予处罚决定后方可公开。$"):
        services.case_publish_notice(actor=people["officer"], case_id=case.pk)


# ================================================================== service and payment
def test_the_service_date_is_checked(people):
    case = case_in_state(C.DECIDED, **people)
    message = "^送达日期应在决定日期之后、且不晚于今天。$"
    with pytest.raises(DomainError, match=message):
        services.case_serve(actor=people["officer"], case_id=case.pk, served_on=dt.date(2026, 5, 12))
    with pytest.raises(DomainError, match=message):
        services.case_serve(actor=people["officer"], case_id=case.pk, served_on=dt.date(2026, 5, 10))
    unchanged(case)
    services.case_serve(actor=people["officer"], case_id=case.pk, served_on=dt.date(2026, 5, 11))
    case = fresh(case)
    assert (case.status, case.served_on) == (C.SERVED, dt.date(2026, 5, 11))
    assert clock(case, "enforcement.service").status == "stopped"
    assert clock(case, "enforcement.payment").due_on == dt.date(2026, 5, 26)


@pytest.mark.parametrize("fine, paid_on, expected", [
    ("5000", "2026-05-26", "0"),          # paid on the last day
    ("5000", "2026-05-25", "0"),          # early
    ("5000", "2026-05-27", "150.00"),     # 1 day × 3 % × 5 000
    ("5000", "2026-05-31", "750.00"),     # 5 days × 150
    ("5000", "2026-06-28", "4950.00"),    # 33 days × 150
    ("5000", "2026-06-29", "5000"),       # 34 days would be 5 100: capped at the fine
    ("3333.33", "2026-06-02", "700.00"),  # 7 days × 99.9999 = 699.9993, to the cent
])
def test_the_surcharge_is_three_percent_a_day_capped_at_the_fine(fine, paid_on, expected):
    due = dt.date(2026, 5, 26)
    assert services.surcharge(Decimal(fine), due, dt.date.fromisoformat(paid_on)) == Decimal(expected)


def test_a_short_payment_is_refused_with_the_amount_owed(people):
    case = case_in_state(C.SERVED, fine="5000", **people)
    with at("2026-05-27"):
        with pytest.raises(DomainError) as error:
            services.case_record_payment(actor=people["officer"], case_id=case.pk, paid_on=dt.date(2026, 5, 27),
                                         amount=Decimal("5000"))
        assert error.value.message == "应缴5150.00元（罚款5000.00元，加处罚款150.00元），实缴金额不足。"
        assert error.value.code == "amount_short"
        assert fresh(case).paid_on is None
        services.case_record_payment(actor=people["officer"], case_id=case.pk, paid_on=dt.date(2026, 5, 27),
                                     amount=Decimal("5150"))
    case = fresh(case)
    assert (case.paid_on, case.paid_amount) == (dt.date(2026, 5, 27), Decimal("5150"))
    assert clock(case, "enforcement.payment").status == "stopped"
    event = AuditEvent.objects.get(action="payment", object_id=str(case.pk))
    assert event.details["surcharge"] == "150.00"


def test_payment_is_recorded_only_after_service(people):
    case = case_in_state(C.DECIDED, **people)
    with pytest.raises(InvalidState, match="^送达罚款决定后方可登记缴纳情况。$"):
        services.case_record_payment(actor=people["officer"], case_id=case.pk, paid_on=dt.date(2026, 5, 11),
                                     amount=Decimal("5000"))


def test_closing_is_refused_before_payment(people):
    case = case_in_state(C.SERVED, fine="5000", **people)
    with pytest.raises(TransitionBlocked, match="^罚款尚未缴纳，不能结案；逾期不缴纳的，可依法加处罚款或申请强制执行。$"):
        services.case_close(actor=people["head_user"], case_id=case.pk)
    unchanged(case)
    services.case_record_payment(actor=people["officer"], case_id=case.pk, paid_on=dt.date(2026, 5, 11),
                                 amount=Decimal("5000"))
    with pytest.raises(NotPermitted, match="^结案须经执法机关负责人批准。$"):
        services.case_close(actor=people["officer"], case_id=case.pk)
    services.case_close(actor=people["head_user"], case_id=case.pk)
    assert (fresh(case).status, fresh(case).closed_on) == (C.CLOSED, dt.date(2026, 5, 11))
    services.case_archive(actor=people["officer"], case_id=case.pk)
    assert fresh(case).status == C.ARCHIVED


# ================================================================== publicity
def test_the_published_notice_is_masked(people):
    id_number = valid_resident_id(3)
    case = case_in_state(C.DECIDED, seed=3, **people)
    Case.objects.filter(pk=case.pk).update(
        facts=f"当事人张三（身份证号{id_number}，手机13812345678，账号6222021234567890123）销售过期食品。")
    notice = services.case_publish_notice(actor=people["officer"], case_id=case.pk)
    assert (notice.party_masked, notice.id_masked) == ("张*", id_number[0] + "*" * 16 + id_number[-1])
    assert (notice.published_on, notice.on_time, notice.takedown_on) == (dt.date(2026, 5, 11), True,
                                                                         dt.date(2027, 5, 11))
    assert notice.body_name == "湖州市市场监督管理局" and notice.decision_number == "湖市监罚〔2026〕12号"
    assert "张三" not in notice.content and "13812345678" not in notice.content
    assert "138****5678" in notice.content and "6222***********0123" in notice.content
    assert not masking.contains_unmasked_id(notice.content + notice.id_masked + notice.title)
    assert clock(case, "enforcement.publicity_penalty").status == "stopped"
    with pytest.raises(InvalidState, match="^该决定已公开。$"):
        services.case_publish_notice(actor=people["officer"], case_id=case.pk)


def test_a_notice_after_seven_working_days_is_marked_late(people):
    case = case_in_state(C.DECIDED, **people)
    with at("2026-05-21"):
        notice = services.case_publish_notice(actor=people["officer"], case_id=case.pk,
                                              late_reason="决定书送达后当事人申请更正，延后公开。")
    assert (notice.on_time, notice.late_reason) == (False, "决定书送达后当事人申请更正，延后公开。")


def test_a_revoked_decision_starts_the_withdrawal_clock(people):
    case = case_in_state(C.DECIDED, **people)
    services.case_publish_notice(actor=people["officer"], case_id=case.pk)
    with pytest.raises(NotPermitted, match="^撤销、变更决定由执法机关负责人作出。$"):
        services.case_revoke(actor=people["officer"], case_id=case.pk, reason="复议撤销。")
    with pytest.raises(DomainError, match=r"^请写明撤销或变更的理由（复议决定、判决或自行纠正）。$"):
        services.case_revoke(actor=people["head_user"], case_id=case.pk, reason="")
    unchanged(case)
    services.case_revoke(actor=people["head_user"], case_id=case.pk, reason="行政复议决定撤销原处罚决定。")
    case = fresh(case)
    assert (case.status, case.revoked_on) == (C.REVOKED, dt.date(2026, 5, 11))
    assert clock(case, "enforcement.service").status == "cancelled"
    assert clock(case, "enforcement.withdrawal").due_on == dt.date(2026, 5, 14)


def test_a_notice_is_withdrawn_with_a_statement(people):
    case = case_in_state(C.DECIDED, **people)
    with pytest.raises(InvalidState, match="^没有需要撤回的公开信息。$"):
        services.notice_withdraw(actor=people["officer"], case_id=case.pk, statement="撤回。")
    services.case_publish_notice(actor=people["officer"], case_id=case.pk)
    services.case_revoke(actor=people["head_user"], case_id=case.pk, reason="自行纠正。")
    with pytest.raises(DomainError, match="^请填写撤回说明。$"):
        services.notice_withdraw(actor=people["officer"], case_id=case.pk, statement="")
    with at("2026-05-13"):
        notice = services.notice_withdraw(actor=people["officer"], case_id=case.pk, statement="原决定已撤销，撤回公开信息。")
    assert (notice.withdrawn_on, notice.withdrawal_statement) == (dt.date(2026, 5, 13), "原决定已撤销，撤回公开信息。")
    assert clock(case, "enforcement.withdrawal").status == "stopped"
    with pytest.raises(InvalidState, match="^没有需要撤回的公开信息。$"):
        services.notice_withdraw(actor=people["officer"], case_id=case.pk, statement="再次撤回。")


# ================================================================== personal data
def test_an_officer_of_the_case_reveals_the_personal_data_with_an_audit_event(people):
    case = case_in_state(C.INVESTIGATING, seed=6, **people)
    with pytest.raises(DomainError, match="^请说明查看完整个人信息的事由。$"):
        services.reveal_personal_data(actor=people["officer"], case_id=case.pk, reason="")
    data = services.reveal_personal_data(actor=people["officer"], case_id=case.pk, reason="制作送达回证。")
    assert data == {"party_id_number": valid_resident_id(6), "party_phone": "13812345678",
                    "party_address": "浙江省湖州市吴兴区爱山街道人民路88号"}
    event = AuditEvent.objects.get(action="reveal_personal_data", object_id=str(case.pk))
    assert (event.actor, event.reason, event.event_type) == (people["officer"], "制作送达回证。", "privacy")
    assert valid_resident_id(6) not in str(event.details)
    assert services.reveal_personal_data(actor=people["head_user"], case_id=case.pk, reason="审批。")


def test_others_may_not_reveal_the_personal_data(people, supervisor_user):
    case = case_in_state(C.INVESTIGATING, **people)
    not_on_the_case = enforcement_officer()
    for actor in (not_on_the_case, supervisor_user):
        with pytest.raises(NotPermitted, match="^无权查看完整的个人信息。$"):
            services.reveal_personal_data(actor=actor, case_id=case.pk, reason="查看。")
    with pytest.raises(Case.DoesNotExist):
        services.reveal_personal_data(actor=enforcement_officer("hz-eco", head=True), case_id=case.pk, reason="查看。")
    assert not AuditEvent.objects.filter(action="reveal_personal_data").exists()


def test_the_audit_trail_never_holds_the_full_id_number(people):
    case = case_in_state(C.CLOSED, seed=8, **people)
    services.case_archive(actor=people["officer"], case_id=case.pk)
    texts = [f"{e.object_label} {e.reason} {e.details}" for e in AuditEvent.objects.all()]
    assert not any(masking.contains_unmasked_id(text) for text in texts)
    assert PublicNotice.objects.count() == 0


def test_concluding_a_seizure_ends_its_30_day_clock_and_is_audited():
    from core.models import AuditEvent
    from deadlines.models import LegalClock

    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        officer = factories.enforcement_officer()
        colleague = factories.enforcement_officer()
        case = factories.case_in_state(C.INVESTIGATING, officer=officer, colleague=colleague)
        entry = services.case_add_record(
            actor=officer, case_id=case.pk, kind="seizure", happened_at=timezone.now(), place="超市仓库",
            summary="扣押过期食品12箱。", officer_ids=[officer.pk, colleague.pk], files=[factories.pdf_file()],
            has_audio_video=True)
        services.case_conclude_measure(actor=officer, case_id=case.pk, entry_id=entry.pk, note="予以没收。")

        with pytest.raises(InvalidState, match="该措施已处理完毕"):
            services.case_conclude_measure(actor=officer, case_id=case.pk, entry_id=entry.pk, note="再次处理。")
    assert LegalClock.objects.get(rule="enforcement.seizure", object_id=entry.pk).status == "stopped"
    assert AuditEvent.objects.filter(action="measure_conclude", reason="予以没收。").exists()


def test_a_hearing_scheduled_ahead_starts_the_notice_clock_seven_days_before(monkeypatch):
    from deadlines.models import LegalClock

    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        officer = factories.enforcement_officer()
        case = factories.case_in_state(C.NOTIFIED, officer=officer, fine="200000", penalty_types=["fine"])
        services.case_request_hearing(actor=officer, case_id=case.pk, requested_on=dt.date(2026, 5, 12))
        chair = factories.enforcement_officer()
        services.case_schedule_hearing(actor=officer, case_id=case.pk, hearing_on=dt.date(2026, 6, 1),
                                       notice_on=dt.date(2026, 5, 20), chair_id=chair.pk)

    clock = LegalClock.objects.get(rule="enforcement.hearing_notice", object_id=case.pk)
    assert clock.due_on == dt.date(2026, 5, 25)  # Mon Jun 1 minus 7 days


def test_staff_without_a_valid_certificate_cannot_register_a_clue():
    uncertified = factories.staff("hz-amr")
    expired = enforcement_officer(valid_until=dt.date(2025, 12, 31))
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        for person in (uncertified, expired):
            with pytest.raises(PermissionDenied):
                services.case_register_clue(actor=person, data={**CASE_CLUE, "party_id_number": valid_resident_id(3)})
    assert not Case.objects.exists()


def test_the_amount_owed_is_the_fine_until_the_deadline_then_adds_the_surcharge():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        case = case_in_state(C.SERVED, fine="1000")
    # Served Mon May 11: pay by Tue May 26 (15 days); 2 days late adds 2 × 3 % = 60 yuan.
    assert services.payment_due_on(case) == dt.date(2026, 5, 26)
    assert services.amount_owed(case, dt.date(2026, 5, 26)) == Decimal("1000")
    assert services.amount_owed(case, dt.date(2026, 5, 28)) == Decimal("1060.00")


def test_can_hold_hearing_is_the_bodys_officers_or_the_appointed_chair():
    from enforcement.permissions import can_hold_hearing

    officer, outsider = enforcement_officer("hz-amr"), enforcement_officer("hz-eco")
    case = Case(body_id=officer.department_id, hearing_chair_id=None)
    assert can_hold_hearing(officer, case)
    assert not can_hold_hearing(outsider, case)
    case.hearing_chair_id = outsider.pk
    assert can_hold_hearing(outsider, case)
