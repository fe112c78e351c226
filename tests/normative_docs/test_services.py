"""The services of a normative document: every legal transition, the illegal ones with
their exact messages, the comment period, numbering, publication, 立改废, expiry and the
clocks R9–R11 and R14 on dated cases."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection

from core.exceptions import Conflict, DomainError, InvalidState, TransitionBlocked
from core.models import AuditEvent
from core.selectors import history_for
from deadlines.models import LegalClock
from normative_docs import services
from normative_docs.models import DocumentRelation, NormativeDocument, NumberSequence
from normative_docs.workflow import DocumentStatus as N
from normative_docs.workflow import RelationKind
from reviews.models import ReviewTask
from tests import factories
from tests.factories import (
    NORMATIVE_PROCEDURE_DETAILS,
    normative_document_in_state,
    pdf_file,
)

pytestmark = pytest.mark.django_db

INVALID_STATE = "当前状态不允许此操作，请刷新页面后重试。"
LEGALITY_FIRST = "未经合法性审核或者经审核不合法的，不得提交集体审议（《优化营商环境条例》第六十三条）"
MAY_11 = "2026-05-11 10:00 +0800"


@pytest.fixture(autouse=True)
def _monday_in_may_2026():
    """Dated tests travel again inside (time_machine nests)."""
    with time_machine.travel(MAY_11, tick=False):
        yield


def reload(document) -> NormativeDocument:
    return NormativeDocument.objects.get(pk=document.pk)


def open_clocks(subject, rule: str | None = None):
    clocks = LegalClock.objects.filter(object_id=subject.pk, status__in=["running", "paused"])
    clocks = clocks.filter(content_type__model=type(subject)._meta.model_name)
    return clocks.filter(rule=rule) if rule else clocks


def record_all_procedures(document, staff_user) -> None:
    for kind in reload(document).required_procedures:
        services.document_record_procedure(actor=staff_user, document_id=document.pk, kind=kind,
                                           details=NORMATIVE_PROCEDURE_DETAILS[kind], files=[pdf_file()])


def carry_to_published(document, *, staff_user, head_user, today=None) -> NormativeDocument:
    """From 动议 to 公布 through the services (as the factory does, for a document made elsewhere)."""
    from reviews import services as review_services

    today = today or dt.date(2026, 5, 11)
    services.document_start_drafting(actor=staff_user, document_id=document.pk)
    services.document_start_procedures(actor=staff_user, document_id=document.pk)
    record_all_procedures(document, staff_user)
    services.document_submit_for_legality_review(actor=staff_user, document_id=document.pk)
    reviewer = factories.reviewer()
    task = ReviewTask.objects.get(object_id=document.pk, kind="normative_document", status="open")
    review_services.review_task_claim(task_id=task.pk, actor=reviewer)
    review_services.review_task_decide(task_id=task.pk, actor=reviewer, outcome="passed", opinion="合法。",
                                       checklist=factories.normative_checklist(), early_reason=factories.EARLY_REASON)
    services.document_deliberate(actor=head_user, document_id=document.pk, held_on=today, meeting="局长办公会议",
                                 outcome="adopted")
    services.document_register(actor=head_user, document_id=document.pk)
    services.document_publish(actor=head_user, document_id=document.pk, published_on=today,
                              effective_on=today + dt.timedelta(days=30), channel="湖州市人民政府网站")
    return reload(document)


@pytest.fixture
def head(db):
    return factories.normative_head("hz-drc")


# ================================================================== legal transitions
def test_propose_records_the_reason_and_the_filing_body(staff_user):
    document = normative_document_in_state(N.PROPOSED, staff_user=staff_user)
    assert document.status == N.PROPOSED
    assert (document.issuer.code, document.drafting_department.code, document.filing_body.code) == (
        "hz-drc", "hz-drc", "hz-justice")
    assert document.required_procedures == ["research", "public_comment", "fair_competition"]
    assert [e.action for e in history_for(document)] == ["propose"]


def test_a_township_files_with_its_district(db):
    township_staff = factories.staff("wuxing-feiying")
    document = normative_document_in_state(N.PROPOSED, staff_user=township_staff)
    assert document.filing_body.code == "wuxing"


@pytest.mark.parametrize(("target", "actions"), [
    (N.DRAFTING, ["propose", "start_drafting"]),
    (N.CONSULTING, ["propose", "start_drafting", "start_procedures"]),
    (N.LEGALITY_REVIEW, ["propose", "start_drafting", "start_procedures", "procedure_completed",
                         "procedure_completed", "procedure_completed", "submit_for_legality_review"]),
])
def test_drafting_steps_are_recorded_in_order(staff_user, target, actions):
    document = normative_document_in_state(target, staff_user=staff_user)
    assert document.status == target
    assert [e.action for e in history_for(document).exclude(action="attachment_upload")] == actions


def test_a_passed_legality_review_makes_the_document_ready_for_deliberation(staff_user):
    document = normative_document_in_state(N.READY_FOR_DELIBERATION, staff_user=staff_user)
    assert (document.status, document.legality_passed) == (N.READY_FOR_DELIBERATION, True)
    assert document.legality_opinion == "经审核，符合法定权限和程序。"


def test_a_failed_review_is_revised_in_a_new_round(staff_user):
    document = normative_document_in_state(N.LEGALITY_FAILED, staff_user=staff_user)
    assert document.legality_passed is False
    services.document_revise(actor=staff_user, document_id=document.pk, note="按审核意见修改。")
    document = reload(document)
    assert (document.status, document.round) == (N.DRAFTING, 2)


def test_a_returned_review_goes_back_to_consulting(staff_user):
    from reviews import services as review_services

    document = normative_document_in_state(N.LEGALITY_REVIEW, staff_user=staff_user)
    reviewer = factories.reviewer()
    task = ReviewTask.objects.get(object_id=document.pk, kind="normative_document")
    review_services.review_task_claim(task_id=task.pk, actor=reviewer)
    review_services.review_task_decide(task_id=task.pk, actor=reviewer, outcome="returned", opinion="请补充调研材料。",
                                       checklist=factories.normative_checklist())
    assert reload(document).status == N.CONSULTING


@pytest.mark.parametrize(("outcome", "status", "round_"), [
    ("adopted", N.DELIBERATED, 1), ("rejected", N.NOT_ADOPTED, 1), ("redraft", N.DRAFTING, 2)])
def test_deliberation_outcomes(staff_user, head, outcome, status, round_):
    document = normative_document_in_state(N.READY_FOR_DELIBERATION, staff_user=staff_user)
    services.document_deliberate(actor=head, document_id=document.pk, held_on=dt.date(2026, 5, 11),
                                 meeting="局长办公会议", outcome=outcome)
    document = reload(document)
    assert (document.status, document.round) == (status, round_)


def test_register_then_publish(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    assert (document.number, document.registration_number, document.registered_on) == (
        "湖发改规〔2026〕1号", "ZJHZ13-2026-0001", dt.date(2026, 5, 11))
    services.document_publish(actor=head, document_id=document.pk, published_on=dt.date(2026, 5, 11),
                              effective_on=dt.date(2026, 6, 10), channel="湖州市人民政府网站")
    document = reload(document)
    assert (document.status, document.published_on, document.valid_until) == (
        N.PUBLISHED, dt.date(2026, 5, 11), dt.date(2031, 6, 9))


def test_update_draft_changes_fields_and_version(staff_user):
    document = normative_document_in_state(N.DRAFTING, staff_user=staff_user, business_related=False)
    assert document.required_procedures == ["research", "public_comment"]
    services.document_update_draft(actor=staff_user, document_id=document.pk, version=document.version,
                                   data={"title": "湖州市促进科技创新若干措施（修改稿）", "business_related": True})
    updated = reload(document)
    assert updated.title == "湖州市促进科技创新若干措施（修改稿）"
    assert updated.version == document.version + 1
    assert updated.required_procedures == ["research", "public_comment", "fair_competition"]


def test_repeal_of_a_published_document(staff_user, head):
    document = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    services.document_repeal(actor=head, document_id=document.pk, reason="上位法修改。")
    document = reload(document)
    assert (document.status, document.ended_on, document.public_status()) == (
        N.REPEALED, dt.date(2026, 5, 11), "repealed")


# ================================================================== illegal: wrong state
@pytest.mark.parametrize(("state", "call", "message"), [
    (N.DRAFTING, lambda d, s, h: services.document_start_drafting(actor=s, document_id=d.pk), INVALID_STATE),
    (N.PROPOSED, lambda d, s, h: services.document_start_procedures(actor=s, document_id=d.pk), INVALID_STATE),
    (N.PROPOSED, lambda d, s, h: services.document_submit_for_legality_review(actor=s, document_id=d.pk),
     INVALID_STATE),
    (N.DRAFTING, lambda d, s, h: services.document_revise(actor=s, document_id=d.pk, note="改"), INVALID_STATE),
    (N.DRAFTING, lambda d, s, h: services.document_open_public_comment(
        actor=s, document_id=d.pk, opened_on=dt.date(2026, 5, 11), closes_on=dt.date(2026, 6, 15), channel="网站"),
     "开始调研论证后方可公开征求意见。"),
    (N.PROPOSED, lambda d, s, h: services.document_record_procedure(
        actor=s, document_id=d.pk, kind="research", details={"summary": "调研"}, files=[pdf_file()]),
     "只有起草或调研论证阶段可以记录程序。"),
    (N.LEGALITY_REVIEW, lambda d, s, h: services.document_update_draft(
        actor=s, document_id=d.pk, version=d.version, data={"title": "改名"}), "送审后不能修改草案；退回后方可修改。"),
    (N.READY_FOR_DELIBERATION, lambda d, s, h: services.document_register(actor=h, document_id=d.pk),
     "集体审议通过后方可统一登记编号。"),
    (N.DELIBERATED, lambda d, s, h: services.document_publish(
        actor=h, document_id=d.pk, published_on=dt.date(2026, 5, 11), effective_on=dt.date(2026, 6, 10),
        channel="网站"), "统一登记编号后方可公布。"),
    (N.DELIBERATED, lambda d, s, h: services.document_deliberate(
        actor=h, document_id=d.pk, held_on=dt.date(2026, 5, 11), meeting="会议", outcome="adopted"), INVALID_STATE),
    (N.REGISTERED, lambda d, s, h: services.document_repeal(actor=h, document_id=d.pk, reason="废止"),
     INVALID_STATE),
])
def test_wrong_state_is_refused_with_the_exact_message(staff_user, head, state, call, message):
    document = normative_document_in_state(state, staff_user=staff_user, head_user=head)
    with pytest.raises(InvalidState) as error:
        call(document, staff_user, head)
    assert error.value.message == message
    assert reload(document).status == state


def test_saving_a_stale_version_is_a_conflict(staff_user):
    document = normative_document_in_state(N.DRAFTING, staff_user=staff_user)
    services.document_update_draft(actor=staff_user, document_id=document.pk, version=document.version,
                                   data={"body": "第一条 新正文。"})
    with pytest.raises(Conflict) as error:
        services.document_update_draft(actor=staff_user, document_id=document.pk, version=document.version,
                                       data={"body": "第一条 另一正文。"})
    assert error.value.message == "草案已被他人修改，请刷新页面后重新编辑。"
    assert reload(document).body == "第一条 新正文。"


# ================================================================== illegal: wrong person
def test_staff_of_another_unit_cannot_even_find_the_draft(staff_user, other_staff_user):
    document = normative_document_in_state(N.DRAFTING, staff_user=staff_user)
    with pytest.raises(NormativeDocument.DoesNotExist):
        services.document_start_procedures(actor=other_staff_user, document_id=document.pk)


@pytest.mark.parametrize(("state", "call"), [
    (N.READY_FOR_DELIBERATION, lambda d, u: services.document_deliberate(
        actor=u, document_id=d.pk, held_on=dt.date(2026, 5, 11), meeting="会议", outcome="adopted")),
    (N.DELIBERATED, lambda d, u: services.document_register(actor=u, document_id=d.pk)),
    (N.REGISTERED, lambda d, u: services.document_publish(
        actor=u, document_id=d.pk, published_on=dt.date(2026, 5, 11), effective_on=dt.date(2026, 6, 10),
        channel="网站")),
    (N.PUBLISHED, lambda d, u: services.document_repeal(actor=u, document_id=d.pk, reason="废止")),
])
def test_drafting_staff_may_not_act_for_the_issuer(staff_user, state, call):
    document = normative_document_in_state(state, staff_user=staff_user)
    with pytest.raises(PermissionDenied):
        call(document, staff_user)
    assert reload(document).status == state


def test_supervisor_may_read_but_not_draft(staff_user, supervisor_user):
    document = normative_document_in_state(N.DRAFTING, staff_user=staff_user)
    with pytest.raises(PermissionDenied):
        services.document_start_procedures(actor=supervisor_user, document_id=document.pk)


def test_reviewer_may_not_propose(reviewer_user):
    with pytest.raises(PermissionDenied):
        services.document_propose(actor=reviewer_user, data={"title": "某办法", "reason": "需要。"})


def test_the_office_acts_for_a_peoples_government(db):
    office = factories.office()
    staff = factories.staff("hz-drc")
    document = normative_document_in_state(N.READY_FOR_DELIBERATION, staff_user=staff,
                                           issuer=factories.department("huzhou"))
    services.document_deliberate(actor=office, document_id=document.pk, held_on=dt.date(2026, 5, 11),
                                 meeting="市政府第30次常务会议", outcome="adopted")
    services.document_register(actor=office, document_id=document.pk)
    assert reload(document).number == "湖政规〔2026〕1号"


# ================================================================== illegal: missing things
def test_proposal_needs_a_title_and_a_reason(staff_user):
    with pytest.raises(DomainError) as error:
        services.document_propose(actor=staff_user, data={"title": "", "reason": "需要。"})
    assert error.value.message == "请填写文件名称。"
    with pytest.raises(DomainError) as error:
        services.document_propose(actor=staff_user, data={"title": "某办法", "reason": " "})
    assert error.value.message == "请说明制定理由（必要性、拟解决的问题、制定依据）。"
    assert not NormativeDocument.objects.exists()


def test_procedures_cannot_start_without_a_body(staff_user):
    document = normative_document_in_state(N.DRAFTING, staff_user=staff_user, body="")
    with pytest.raises(TransitionBlocked) as error:
        services.document_start_procedures(actor=staff_user, document_id=document.pk)
    assert error.value.message == "文件正文为空，请先完成起草（《浙江省行政规范性文件管理办法》）"
    assert reload(document).status == N.DRAFTING


def test_a_procedure_without_evidence_is_refused(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    with pytest.raises(TransitionBlocked) as error:
        services.document_record_procedure(actor=staff_user, document_id=document.pk, kind="research",
                                           details=NORMATIVE_PROCEDURE_DETAILS["research"])
    assert error.value.message == "请上传“调研”的证据材料。"
    assert not document.procedures.exists()


def test_a_procedure_without_its_required_fields_names_them(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    with pytest.raises(TransitionBlocked) as error:
        services.document_record_procedure(actor=staff_user, document_id=document.pk, kind="argumentation",
                                           details={"experts": "湖州师范学院"}, files=[pdf_file()])
    assert any("论证意见" in m for m in error.value.messages)


def test_review_needs_the_explanation_and_every_required_procedure(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user, explanation="")
    services.document_record_procedure(actor=staff_user, document_id=document.pk, kind="research",
                                       details=NORMATIVE_PROCEDURE_DETAILS["research"], files=[pdf_file()])
    with pytest.raises(TransitionBlocked) as error:
        services.document_submit_for_legality_review(actor=staff_user, document_id=document.pk)
    assert error.value.messages == [
        "请填写起草说明（制定依据、主要内容、征求意见及采纳情况）",
        "“公开征求意见”尚未完成并留存证据，不得送请合法性审核（《优化营商环境条例》第六十二条；《法治政府建设示范指标体系》第24项）"
        "；“公平竞争审查”尚未完成并留存证据，不得送请合法性审核（《优化营商环境条例》第六十三条；《公平竞争审查条例》）",
    ]
    assert reload(document).status == N.CONSULTING
    assert not ReviewTask.objects.filter(object_id=document.pk, kind="normative_document").exists()


@pytest.mark.parametrize("state", [N.CONSULTING, N.LEGALITY_REVIEW, N.LEGALITY_FAILED])
def test_deliberation_is_refused_before_the_legality_review_passes(staff_user, head, state):
    document = normative_document_in_state(state, staff_user=staff_user)
    with pytest.raises(TransitionBlocked) as error:
        services.document_deliberate(actor=head, document_id=document.pk, held_on=dt.date(2026, 5, 11),
                                     meeting="局长办公会议", outcome="adopted")
    assert error.value.message == LEGALITY_FIRST
    assert reload(document).status == state


def test_deliberation_needs_a_meeting_and_a_past_date(staff_user, head):
    document = normative_document_in_state(N.READY_FOR_DELIBERATION, staff_user=staff_user)
    with pytest.raises(DomainError) as error:
        services.document_deliberate(actor=head, document_id=document.pk, held_on=dt.date(2026, 5, 11), meeting="",
                                     outcome="adopted")
    assert error.value.message == "请填写审议会议名称。"
    with pytest.raises(DomainError) as error:
        services.document_deliberate(actor=head, document_id=document.pk, held_on=dt.date(2026, 5, 12),
                                     meeting="局长办公会议", outcome="adopted")
    assert error.value.message == "审议日期不能晚于今天：请在会后记录。"


# ================================================================== comment period
BUSINESS_SHORT = "征求意见期限一般不少于30日；少于30日的，须说明理由（《优化营商环境条例》第六十二条）。"
OTHER_SHORT = "征求意见期限一般不少于7个工作日；少于7个工作日的，须说明理由（《法治政府建设示范指标体系》第24项）。"


def test_business_comment_period_under_30_days_is_refused_without_a_reason(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    with pytest.raises(TransitionBlocked) as error:
        services.document_open_public_comment(actor=staff_user, document_id=document.pk,
                                              opened_on=dt.date(2026, 5, 11), closes_on=dt.date(2026, 6, 9),
                                              channel="湖州市人民政府网站")
    assert error.value.message == BUSINESS_SHORT
    assert not open_clocks(document, "normative.public_comment_business").exists()


def test_business_comment_period_of_30_days_is_accepted(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    services.document_open_public_comment(actor=staff_user, document_id=document.pk, opened_on=dt.date(2026, 5, 11),
                                          closes_on=dt.date(2026, 6, 10), channel="湖州市人民政府网站")
    assert open_clocks(document, "normative.public_comment_business").get().due_on == dt.date(2026, 6, 10)


def test_a_short_business_comment_period_is_accepted_with_a_reason(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    services.document_open_public_comment(actor=staff_user, document_id=document.pk, opened_on=dt.date(2026, 5, 11),
                                          closes_on=dt.date(2026, 5, 25), channel="湖州市人民政府网站",
                                          short_period_reason="上级文件要求于6月1日前出台。")
    event = history_for(document).filter(action="public_comment_open").get()
    assert event.reason == "上级文件要求于6月1日前出台。"


@pytest.mark.parametrize(("closes_on", "accepted"), [
    (dt.date(2026, 10, 9), False),   # 11 calendar days, 4 working days (National Day holiday)
    (dt.date(2026, 10, 12), False),  # 14 calendar days, 6 working days (incl. the make-up Saturday 10 Oct)
    (dt.date(2026, 10, 13), True),   # 7 working days
])
def test_other_comment_periods_count_working_days_from_the_calendar(staff_user, closes_on, accepted):
    with time_machine.travel("2026-09-21 10:00 +0800", tick=False):
        document = normative_document_in_state(N.CONSULTING, staff_user=staff_user, business_related=False)
        call = lambda: services.document_open_public_comment(  # noqa: E731
            actor=staff_user, document_id=document.pk, opened_on=dt.date(2026, 9, 28), closes_on=closes_on,
            channel="湖州市人民政府网站")
        if accepted:
            call()
            assert open_clocks(document, "normative.public_comment").get().due_on == closes_on
        else:
            with pytest.raises(TransitionBlocked) as error:
                call()
            assert error.value.message == OTHER_SHORT


def test_the_comment_record_needs_enterprises_heard_when_business_related(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    details = {**NORMATIVE_PROCEDURE_DETAILS["public_comment"], "enterprises_heard": False}
    with pytest.raises(TransitionBlocked) as error:
        services.document_record_procedure(actor=staff_user, document_id=document.pk, kind="public_comment",
                                           details=details, files=[pdf_file()])
    assert error.value.message == ("涉及市场主体经济活动的，应当听取企业和行业协会商会的意见（《优化营商环境条例》第六十二条）。")


def test_the_comment_record_without_enterprises_is_fine_when_not_business_related(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user, business_related=False)
    details = {**NORMATIVE_PROCEDURE_DETAILS["public_comment"], "enterprises_heard": False}
    record = services.document_record_procedure(actor=staff_user, document_id=document.pk, kind="public_comment",
                                                details=details, files=[pdf_file()])
    assert record.details["comment_count"] == 9


def test_the_comment_record_checks_the_recorded_period(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    details = {**NORMATIVE_PROCEDURE_DETAILS["public_comment"], "closes_on": "2026-03-20"}
    with pytest.raises(TransitionBlocked) as error:
        services.document_record_procedure(actor=staff_user, document_id=document.pk, kind="public_comment",
                                           details=details, files=[pdf_file()])
    assert error.value.message == BUSINESS_SHORT


# ================================================================== numbering
def test_numbers_are_sequential_per_issuer(staff_user, head, other_staff_user):
    first = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    second = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head, title="第二个办法")
    other = normative_document_in_state(N.REGISTERED, staff_user=other_staff_user, title="自然资源管理办法")
    assert [first.number, second.number, other.number] == ["湖发改规〔2026〕1号", "湖发改规〔2026〕2号",
                                                         "湖自然资规〔2026〕1号"]
    assert second.registration_number == "ZJHZ13-2026-0002"


def test_a_failed_registration_consumes_no_number(staff_user, head):
    not_ready = normative_document_in_state(N.READY_FOR_DELIBERATION, staff_user=staff_user)
    with pytest.raises(InvalidState):
        services.document_register(actor=head, document_id=not_ready.pk)
    with pytest.raises(PermissionDenied):
        services.document_register(actor=staff_user, document_id=not_ready.pk)
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head, title="第二个办法")
    assert document.number == "湖发改规〔2026〕1号"


def test_a_new_year_restarts_at_one(staff_user, head):
    with time_machine.travel("2025-12-29 10:00 +0800", tick=False):
        last_year = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
        waiting = normative_document_in_state(N.DELIBERATED, staff_user=staff_user, head_user=head, title="第二个办法")
    with time_machine.travel("2026-01-05 10:00 +0800", tick=False):
        services.document_register(actor=head, document_id=waiting.pk)
    assert last_year.number == "湖发改规〔2025〕1号"
    assert reload(waiting).number == "湖发改规〔2026〕1号"
    assert sorted(NumberSequence.objects.values_list("year", "last")) == [(2025, 1), (2026, 1)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_one_and_two():
    with time_machine.travel(MAY_11, tick=False):
        staff_user = factories.staff("hz-drc")
        head = factories.normative_head("hz-drc")
        documents = [normative_document_in_state(N.DELIBERATED, staff_user=staff_user, head_user=head,
                                                 title=f"并发登记办法{i}") for i in range(2)]
        barrier = threading.Barrier(2)
        errors = []

        def register(document_id: int) -> None:
            try:
                barrier.wait(timeout=10)
                services.document_register(actor=head, document_id=document_id)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=register, args=(d.pk,)) for d in documents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    numbers = sorted(NormativeDocument.objects.filter(pk__in=[d.pk for d in documents])
                     .values_list("number", flat=True))
    assert numbers == ["湖发改规〔2026〕1号", "湖发改规〔2026〕2号"]
    assert NumberSequence.objects.get(year=2026).last == 2


# ================================================================== publication
def publish(document, head, **kwargs):
    data = {"published_on": dt.date(2026, 5, 11), "effective_on": dt.date(2026, 6, 10), "channel": "湖州市人民政府网站",
            **kwargs}
    return services.document_publish(actor=head, document_id=document.pk, **data)


def test_effective_date_may_not_precede_publication(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    with pytest.raises(DomainError) as error:
        publish(document, head, published_on=dt.date(2026, 5, 11), effective_on=dt.date(2026, 5, 10))
    assert error.value.message == "未经公布的规范性文件不得施行：施行日期不能早于公布日期。"
    assert reload(document).status == N.REGISTERED


def test_publication_date_may_not_be_in_the_future(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    with pytest.raises(DomainError) as error:
        publish(document, head, published_on=dt.date(2026, 5, 12), effective_on=dt.date(2026, 6, 20))
    assert error.value.message == "公布日期不能晚于今天。"


def test_publication_needs_a_channel(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    with pytest.raises(DomainError) as error:
        publish(document, head, channel=" ")
    assert error.value.message == "请填写公布载体（政府公报、政府网站等）。"


ADJUSTMENT = ("涉及市场主体的文件，公布至施行一般应留出不少于30日的调整适应期；不足的，须说明理由（《优化营商环境条例》第六十五条）。")


def test_a_business_document_needs_a_reason_for_an_adjustment_period_under_30_days(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    with pytest.raises(DomainError) as error:
        publish(document, head, effective_on=dt.date(2026, 6, 9))
    assert error.value.message == ADJUSTMENT
    publish(document, head, effective_on=dt.date(2026, 5, 11), adjustment_reason="落实上级紧急部署，需立即施行。")
    assert reload(document).effective_on == dt.date(2026, 5, 11)


def test_other_documents_may_take_effect_on_publication(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head,
                                           business_related=False)
    publish(document, head, effective_on=dt.date(2026, 5, 11))
    assert reload(document).public_status() == "valid"


def test_validity_is_five_years_from_the_policy_table(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    publish(document, head)
    assert reload(document).valid_until == dt.date(2031, 6, 9)


def test_provisional_documents_are_valid_two_years(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head,
                                           title="湖州市数据要素市场培育暂行办法")
    publish(document, head)
    assert reload(document).valid_until == dt.date(2028, 6, 9)


def test_no_validity_period_with_a_reason(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    publish(document, head, no_validity_reason="依照上级规定长期执行的管理制度。")
    document = reload(document)
    assert (document.valid_until, document.no_validity_reason) == (None, "依照上级规定长期执行的管理制度。")
    assert not open_clocks(document, "normative.expiry_notice").exists()


# ================================================================== 立改废
def test_publishing_a_new_version_repeals_the_old_one(staff_user, head):
    old = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    new = services.document_start_new_version(actor=head, document_id=old.pk)
    assert DocumentRelation.objects.get(newer=new).kind == RelationKind.REPLACES
    carry_to_published(new, staff_user=staff_user, head_user=head)
    old = reload(old)
    assert (old.status, old.ended_on, old.public_status()) == (N.REPEALED, dt.date(2026, 6, 10), "repealed")
    assert not open_clocks(old).exists()


def test_publishing_an_amending_document_marks_the_old_one_amended(staff_user, head):
    old = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    amending = normative_document_in_state(N.PROPOSED, staff_user=staff_user, title="关于修改《湖州市促进科技创新若干措施》的决定")
    services.document_link(actor=staff_user, document_id=amending.pk, older_id=old.pk, kind=RelationKind.AMENDS)
    carry_to_published(amending, staff_user=staff_user, head_user=head)
    old = reload(old)
    assert (old.status, old.public_status()) == (N.AMENDED, "amended")
    assert history_for(old).last().action == "mark_amended"


def test_only_published_documents_can_be_linked(staff_user):
    draft = normative_document_in_state(N.DRAFTING, staff_user=staff_user)
    other = normative_document_in_state(N.DRAFTING, staff_user=staff_user, title="另一个办法")
    with pytest.raises(DomainError) as error:
        services.document_link(actor=staff_user, document_id=draft.pk, older_id=other.pk, kind=RelationKind.REPEALS)
    assert error.value.message == "只能关联已公布的其他文件。"


def test_repeal_needs_a_reason_and_cancels_the_clocks(staff_user, head):
    document = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    assert set(open_clocks(document).values_list("rule", flat=True)) == {
        "normative.filing", "normative.expiry_notice", "normative.expiry_final"}
    with pytest.raises(DomainError) as error:
        services.document_repeal(actor=head, document_id=document.pk, reason="")
    assert error.value.message == "请说明废止理由。"
    services.document_repeal(actor=head, document_id=document.pk, reason="上位法修改。")
    assert not open_clocks(document).exists()
    assert set(LegalClock.objects.filter(object_id=document.pk, content_type__model="normativedocument")
               .values_list("status", flat=True)) == {"cancelled"}


# ================================================================== expiry
def test_documents_expire_due_expires_exactly_the_due_ones(staff_user, head):
    with time_machine.travel(MAY_11, tick=False):
        due = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head, title="到期暂行办法")
        later = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head, title="五年期办法")
        forever = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head, title="长期办法")
        publish(forever, head, no_validity_reason="长期执行。")
    assert reload(due).valid_until == dt.date(2028, 6, 9)
    with time_machine.travel("2028-06-09 23:00 +0800", tick=False):
        assert services.documents_expire_due() == 0  # its last day: still valid
    with time_machine.travel("2028-06-10 02:00 +0800", tick=False):
        assert services.documents_expire_due() == 1
        assert services.documents_expire_due() == 0
    assert [reload(d).status for d in (due, later, forever)] == [N.EXPIRED, N.PUBLISHED, N.PUBLISHED]
    assert reload(due).ended_on == dt.date(2028, 6, 10)
    event = history_for(due).get(action="expire")
    assert (event.action, event.actor_id, event.actor_username, event.target_state) == (
        "expire", None, "system", N.EXPIRED)
    assert not open_clocks(due).exists()


# ================================================================== clocks
def test_r9_comment_clock_warns_three_days_before_closing(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    services.document_open_public_comment(actor=staff_user, document_id=document.pk, opened_on=dt.date(2026, 5, 11),
                                          closes_on=dt.date(2026, 6, 12), channel="湖州市人民政府网站")
    clock = open_clocks(document, "normative.public_comment_business").get()
    assert (clock.started_on, clock.due_on, clock.warn_on, clock.department.code) == (
        dt.date(2026, 5, 11), dt.date(2026, 6, 12), dt.date(2026, 6, 9), "hz-drc")
    record_all_procedures(document, staff_user)
    assert not open_clocks(document, "normative.public_comment_business").exists()


def test_r10_review_clock_runs_on_the_review_task(staff_user):
    document = normative_document_in_state(N.LEGALITY_REVIEW, staff_user=staff_user)
    task = ReviewTask.objects.get(object_id=document.pk, kind="normative_document")
    # Monday 11 May 2026: 5 working days earliest, 15 working days due (no holiday in between).
    assert (task.submitted_on, task.earliest_decision_on, task.due_on) == (
        dt.date(2026, 5, 11), dt.date(2026, 5, 18), dt.date(2026, 6, 1))
    clock = open_clocks(task, "normative_document.legality_review").get()
    assert clock.due_on == dt.date(2026, 6, 1)


def test_r10_review_clock_skips_the_national_day_holiday(staff_user):
    with time_machine.travel("2026-09-28 10:00 +0800", tick=False):
        document = normative_document_in_state(N.LEGALITY_REVIEW, staff_user=staff_user)
    task = ReviewTask.objects.get(object_id=document.pk, kind="normative_document")
    # 29, 30 Sep, 8, 9, 10 (make-up Saturday) Oct → 5; then 12–16, 19–23 Oct → 15.
    assert (task.earliest_decision_on, task.due_on) == (dt.date(2026, 10, 10), dt.date(2026, 10, 23))


def test_r11_filing_clock_is_30_days_from_publication(staff_user, head):
    document = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    clock = open_clocks(document, "normative.filing").get()
    assert (clock.started_on, clock.due_on, clock.department.code) == (
        dt.date(2026, 5, 11), dt.date(2026, 6, 10), "hz-drc")


def test_r11_a_township_files_within_15_days(db):
    township_staff = factories.staff("wuxing-feiying")
    township_head = factories.normative_head("wuxing-feiying")
    document = normative_document_in_state(N.PUBLISHED, staff_user=township_staff, head_user=township_head)
    assert (document.number, document.filing_body.code) == ("飞街规〔2026〕1号", "wuxing")
    assert not open_clocks(document, "normative.filing").exists()
    clock = open_clocks(document, "normative.filing_township").get()
    assert (clock.due_on, clock.department.code) == (dt.date(2026, 5, 26), "wuxing-feiying")


def test_r14_expiry_clocks_warn_six_and_two_months_before(staff_user, head):
    document = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head,
                                           title="湖州市数据要素市场培育暂行办法")
    assert document.valid_until == dt.date(2028, 6, 9)
    notice = open_clocks(document, "normative.expiry_notice").get()
    final = open_clocks(document, "normative.expiry_final").get()
    assert (notice.due_on, notice.warn_on) == (dt.date(2028, 6, 9), dt.date(2027, 12, 9))
    assert (final.due_on, final.warn_on) == (dt.date(2028, 6, 9), dt.date(2028, 4, 9))


def test_every_transition_is_audited_with_its_actor(staff_user, head):
    document = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    events = {e.action: e for e in AuditEvent.objects.filter(object_id=str(document.pk),
                                                              object_type="normative_docs.normativedocument")}
    assert events["start_drafting"].actor_id == staff_user.pk
    assert (events["register"].actor_id, events["register"].target_state) == (head.pk, N.REGISTERED)
    assert (events["publish"].source_state, events["publish"].target_state) == (N.REGISTERED, N.PUBLISHED)
