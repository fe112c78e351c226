"""Decision services: the statutory procedure records, meetings, the Party
report, publication, suspension and post-evaluation, with their exact messages."""
import datetime as dt

import pytest
import time_machine

from core.exceptions import DomainError, InvalidState, TransitionBlocked
from core.models import AuditEvent
from decisions import services
from decisions.models import Decision, ExecutionReport, PostEvaluation, ProcedureRecord
from decisions.workflow import DecisionStatus as S
from decisions.workflow import Disclosure, Procedure
from tests import factories

pytestmark = pytest.mark.django_db

SHORT_COMMENT = "征求意见期限一般不少于30日；少于30日的，须说明理由（《重大行政决策程序暂行条例》第十五条）。"
LATE_HEARING_MATERIALS = "听证材料应当于听证会7日前送达听证参加人（《重大行政决策程序暂行条例》第十七条）。"
SKIP_GROUND_INVALID = (
    "免予履行程序只能依据法定情形：涉及国家秘密、涉及公共安全或社会稳定、上级机关紧急决策部署"
    "（《湖州市人民政府重大行政决策程序规定》第三条）。"
)
SKIP_REASON_MISSING = "请说明免予履行该程序的具体理由。"
EVALUATOR_IS_ASSESSOR = "决策后评估不得由参与决策前评估的机构承担（《重大行政决策程序暂行条例》第三十六条）。"


@pytest.fixture(autouse=True)
def _may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def consulting(staff_user) -> Decision:
    return factories.decision_in_state(
        S.CONSULTING, staff_user=staff_user,
        required_procedures=[Procedure.PUBLIC_COMMENT, Procedure.HEARING, Procedure.RISK_ASSESSMENT],
    )


def record(decision, actor, kind, details=None, **kwargs) -> ProcedureRecord:
    kwargs.setdefault("files", [factories.pdf_file()])
    return services.decision_record_procedure(actor=actor, decision_id=decision.pk, kind=kind,
                                              details=details if details is not None else {}, **kwargs)


# ================================================================== creating and editing
def test_a_decision_outside_the_catalog_needs_a_reason(staff_user):
    with pytest.raises(DomainError) as error:
        services.decision_create(actor=staff_user, data={"title": "事项", "summary": "内容", "category": "other"})

    assert error.value.message == "决策未关联年度目录事项，须说明目录外决策的理由（《重大行政决策程序暂行条例》第三条）。"


def test_a_decision_linked_to_a_catalog_item_inherits_its_procedures_and_year(staff_user):
    item = factories.CatalogItemFactory(lead_department=staff_user.department,
                                        required_procedures=[Procedure.HEARING])

    decision = services.decision_create(actor=staff_user, data={"title": "事项", "summary": "内容",
                                                                "catalog_item": item.pk})

    assert (decision.required_procedures, decision.year, decision.category) == ([Procedure.HEARING], 2026,
                                                                                item.category)
    assert decision.status == S.DRAFTING
    assert AuditEvent.objects.filter(action="create", object_id=str(decision.pk)).count() == 1


def test_a_linked_decision_sent_with_no_procedures_takes_the_catalogs(staff_user):
    item = factories.CatalogItemFactory(lead_department=staff_user.department,
                                        required_procedures=[Procedure.HEARING])

    decision = services.decision_create(actor=staff_user, data={"title": "事项", "summary": "内容",
                                                                "catalog_item": item.pk, "required_procedures": []})

    assert decision.required_procedures == [Procedure.HEARING]


def test_a_decision_outside_the_catalog_needs_a_category(staff_user):
    with pytest.raises(DomainError) as error:
        services.decision_create(actor=staff_user, data={"title": "事项", "summary": "内容",
                                                         "outside_catalog_reason": "临时部署。"})

    assert error.value.message == "请选择事项类别。"
    assert not Decision.objects.exists()


def test_a_decision_cannot_link_another_departments_catalog_item(staff_user):
    item = factories.CatalogItemFactory(lead_department=factories.department("hz-nrp"))

    with pytest.raises(DomainError) as error:
        services.decision_create(actor=staff_user, data={"title": "事项", "summary": "内容", "catalog_item": item.pk})

    assert error.value.message == "只能关联本单位承办且已列入目录的事项。"


def test_a_withheld_decision_needs_the_legal_ground_for_withholding(staff_user):
    with pytest.raises(DomainError) as error:
        services.decision_create(actor=staff_user, data={
            "title": "事项", "summary": "内容", "category": "other", "outside_catalog_reason": "临时部署。",
            "disclosure": Disclosure.WITHHELD})

    assert error.value.message == (
        "依法不予公开的，须写明不予公开的法律依据（《政府信息公开条例》第十四条至第十六条）。")


def test_editing_a_draft_with_a_stale_version_is_refused(staff_user):
    decision = factories.decision_in_state(S.DRAFTING, staff_user=staff_user)
    services.decision_update_draft(actor=staff_user, decision_id=decision.pk, version=decision.version,
                                   data={"summary": "第一次修改"})

    with pytest.raises(DomainError) as error:
        services.decision_update_draft(actor=staff_user, decision_id=decision.pk, version=decision.version,
                                       data={"summary": "基于旧版本的修改"})

    assert error.value.code == "stale_version"
    assert error.value.message == "该决策已被他人修改，请刷新页面后再编辑。"
    assert Decision.objects.get(pk=decision.pk).summary == "第一次修改"


def test_the_draft_cannot_be_edited_once_submitted_for_review(staff_user):
    decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)

    with pytest.raises(InvalidState) as error:
        services.decision_update_draft(actor=staff_user, decision_id=decision.pk, version=decision.version,
                                       data={"summary": "审查中修改"})

    assert error.value.message == "决策已提交审查或已进入后续阶段，不能修改草案。"


# ================================================================== procedure records
def test_a_public_comment_period_of_30_days_is_accepted(consulting, staff_user):
    result = record(consulting, staff_user, Procedure.PUBLIC_COMMENT, factories.PUBLIC_COMMENT_DETAILS)

    assert result.status == ProcedureRecord.Status.COMPLETED
    assert result.details["opened_on"] == "2026-03-02"
    assert result.details["comment_count"] == 12
    assert result.attachments.count() == 1


def test_a_public_comment_period_shorter_than_30_days_without_a_reason_is_refused(consulting, staff_user):
    details = {**factories.PUBLIC_COMMENT_DETAILS, "closes_on": "2026-03-31"}  # 29 days

    with pytest.raises(TransitionBlocked) as error:
        record(consulting, staff_user, Procedure.PUBLIC_COMMENT, details)

    assert error.value.message == SHORT_COMMENT
    assert not ProcedureRecord.objects.filter(decision=consulting).exists()


def test_a_short_public_comment_period_with_a_stated_reason_is_accepted(consulting, staff_user):
    details = {**factories.PUBLIC_COMMENT_DETAILS, "closes_on": "2026-03-12",
               "short_period_reason": "防汛应急需要，缩短征求意见期限。"}

    result = record(consulting, staff_user, Procedure.PUBLIC_COMMENT, details)

    assert result.details["short_period_reason"] == "防汛应急需要，缩短征求意见期限。"


def test_a_public_comment_closing_before_it_opens_is_refused(consulting, staff_user):
    details = {**factories.PUBLIC_COMMENT_DETAILS, "closes_on": "2026-03-01"}

    with pytest.raises(TransitionBlocked) as error:
        record(consulting, staff_user, Procedure.PUBLIC_COMMENT, details)

    assert error.value.message == "征求意见截止日期不能早于开始日期。"


def test_hearing_materials_sent_less_than_7_days_before_are_refused(consulting, staff_user):
    details = {**factories.PROCEDURE_DETAILS[Procedure.HEARING], "held_on": "2026-04-20",
               "materials_sent_on": "2026-04-14"}

    with pytest.raises(TransitionBlocked) as error:
        record(consulting, staff_user, Procedure.HEARING, details)

    assert error.value.message == LATE_HEARING_MATERIALS


def test_hearing_materials_sent_exactly_7_days_before_are_accepted(consulting, staff_user):
    details = {**factories.PROCEDURE_DETAILS[Procedure.HEARING], "held_on": "2026-04-20",
               "materials_sent_on": "2026-04-13"}

    assert record(consulting, staff_user, Procedure.HEARING, details).status == ProcedureRecord.Status.COMPLETED


def test_a_hearing_without_a_signed_record_is_refused(consulting, staff_user):
    details = {**factories.PROCEDURE_DETAILS[Procedure.HEARING], "record_signed": False}

    with pytest.raises(TransitionBlocked) as error:
        record(consulting, staff_user, Procedure.HEARING, details)

    assert error.value.message == "须确认：听证笔录已经听证参加人确认签字。"


def test_a_procedure_record_without_evidence_files_is_refused(consulting, staff_user):
    with pytest.raises(TransitionBlocked) as error:
        record(consulting, staff_user, Procedure.PUBLIC_COMMENT, factories.PUBLIC_COMMENT_DETAILS, files=[])

    assert error.value.message == "请上传“公众参与（征求意见）”的证据材料（如公告截图、签名意见、评估报告）。"


def test_a_missing_required_field_is_named(consulting, staff_user):
    details = {k: v for k, v in factories.PUBLIC_COMMENT_DETAILS.items() if k != "channel"}

    with pytest.raises(TransitionBlocked) as error:
        record(consulting, staff_user, Procedure.PUBLIC_COMMENT, details)

    assert error.value.message == "请填写“征求意见渠道”。"


def test_recording_a_procedure_again_updates_the_record_of_the_round(consulting, staff_user):
    record(consulting, staff_user, Procedure.PUBLIC_COMMENT, factories.PUBLIC_COMMENT_DETAILS)

    record(consulting, staff_user, Procedure.PUBLIC_COMMENT, {**factories.PUBLIC_COMMENT_DETAILS, "comment_count": 20},
           files=[])

    only = ProcedureRecord.objects.get(decision=consulting, kind=Procedure.PUBLIC_COMMENT)
    assert only.details["comment_count"] == 20
    assert only.attachments.count() == 1


def test_a_procedure_may_be_skipped_on_a_legal_ground_with_a_reason(consulting, staff_user):
    result = record(consulting, staff_user, Procedure.HEARING, skip_ground="secrecy",
                    skip_reason="决策事项涉及国家秘密，依法不举行听证。", files=[])

    assert result.status == ProcedureRecord.Status.SKIPPED
    assert result.is_closed
    row = AuditEvent.objects.order_by("-seq").first()
    assert (row.action, row.reason, row.details["skip_ground"]) == (
        "procedure_skipped", "决策事项涉及国家秘密，依法不举行听证。", "secrecy")


def test_skipping_a_procedure_on_a_ground_outside_d9_is_refused(consulting, staff_user):
    with pytest.raises(TransitionBlocked) as error:
        record(consulting, staff_user, Procedure.HEARING, skip_ground="too_busy", skip_reason="时间紧。", files=[])

    assert error.value.message == SKIP_GROUND_INVALID


def test_skipping_a_procedure_without_a_ground_is_refused(consulting, staff_user):
    with pytest.raises(TransitionBlocked) as error:
        record(consulting, staff_user, Procedure.HEARING, skip_reason="时间紧。", files=[])

    assert error.value.message == SKIP_GROUND_INVALID


def test_skipping_a_procedure_without_a_reason_is_refused(consulting, staff_user):
    with pytest.raises(TransitionBlocked) as error:
        record(consulting, staff_user, Procedure.HEARING, skip_ground="urgent_order", skip_reason="  ", files=[])

    assert error.value.message == SKIP_REASON_MISSING


def test_skipped_and_completed_procedures_together_allow_submission(consulting, staff_user):
    record(consulting, staff_user, Procedure.PUBLIC_COMMENT, factories.PUBLIC_COMMENT_DETAILS)
    record(consulting, staff_user, Procedure.HEARING, skip_ground="public_safety",
           skip_reason="涉及社会稳定，依法不举行听证。", files=[])
    record(consulting, staff_user, Procedure.RISK_ASSESSMENT, factories.PROCEDURE_DETAILS[Procedure.RISK_ASSESSMENT])

    services.decision_submit_for_legality_review(actor=staff_user, decision_id=consulting.pk)

    assert Decision.objects.get(pk=consulting.pk).status == S.LEGALITY_REVIEW


def test_procedures_cannot_be_recorded_once_under_review(staff_user):
    decision = factories.decision_in_state(S.LEGALITY_REVIEW, staff_user=staff_user)

    with pytest.raises(InvalidState) as error:
        record(decision, staff_user, Procedure.PUBLIC_COMMENT, factories.PUBLIC_COMMENT_DETAILS)

    assert error.value.message == "只有起草或履行程序阶段可以记录法定程序。"


# ================================================================== meeting, Party report, publication
def test_a_meeting_dated_in_the_future_is_refused(staff_user, office_user):
    decision = factories.decision_in_state(S.READY_FOR_DISCUSSION, staff_user=staff_user)

    with pytest.raises(TransitionBlocked) as error:
        services.decision_record_meeting(actor=office_user, decision_id=decision.pk,
                                         data=factories.meeting_data(held_on=dt.date(2026, 5, 12)))

    assert error.value.message == "会议日期不能晚于今天：请在会后记录集体讨论情况。"


def test_a_meeting_without_member_views_is_refused(staff_user, office_user):
    decision = factories.decision_in_state(S.READY_FOR_DISCUSSION, staff_user=staff_user)

    with pytest.raises(TransitionBlocked) as error:
        services.decision_record_meeting(actor=office_user, decision_id=decision.pk,
                                         data={**factories.meeting_data(), "member_views": ""})

    assert error.value.message == "请填写“组成人员意见”。"


def test_an_adopting_meeting_records_the_decision_date_and_the_dissent(staff_user, office_user):
    decision = factories.decision_in_state(S.READY_FOR_DISCUSSION, staff_user=staff_user)
    data = {**factories.meeting_data(held_on=dt.date(2026, 5, 8)), "dissent": "副市长丙：建议暂缓。"}

    meeting = services.decision_record_meeting(actor=office_user, decision_id=decision.pk, data=data)

    after = Decision.objects.get(pk=decision.pk)
    assert (after.status, after.decided_on) == (S.DECIDED, dt.date(2026, 5, 8))
    assert meeting.dissent == "副市长丙：建议暂缓。"
    row = AuditEvent.objects.filter(event_type="transition").order_by("-seq").first()
    assert (row.action, row.reason, row.details["dissent"]) == ("adopt", "副市长丙：建议暂缓。", "副市长丙：建议暂缓。")


def test_a_party_report_dated_in_the_future_is_refused(staff_user, office_user):
    decision = factories.decision_in_state(S.DECIDED, staff_user=staff_user)

    with pytest.raises(DomainError) as error:
        services.decision_record_party_report(actor=office_user, decision_id=decision.pk,
                                              reported_on=dt.date(2026, 5, 12), note="已报告。")

    assert error.value.message == "报告日期不能晚于今天。"


def test_a_party_report_needs_a_note(staff_user, office_user):
    decision = factories.decision_in_state(S.DECIDED, staff_user=staff_user)

    with pytest.raises(DomainError) as error:
        services.decision_record_party_report(actor=office_user, decision_id=decision.pk,
                                              reported_on=dt.date(2026, 5, 11), note=" ")

    assert error.value.message == "请填写报告情况。"


def test_publishing_needs_a_channel(staff_user, office_user):
    decision = factories.decision_in_state(S.DECIDED, staff_user=staff_user)

    with pytest.raises(DomainError) as error:
        services.decision_publish(actor=office_user, decision_id=decision.pk, channel="")

    assert error.value.message == "请填写公布渠道（政府公报、政府网站、本地主要媒体等）。"


# ================================================================== execution, suspension, post-evaluation
@pytest.fixture
def executing(staff_user, office_user) -> Decision:
    return factories.decision_in_state(S.EXECUTING, staff_user=staff_user, office_user=office_user,
                                       required_procedures=[Procedure.PUBLIC_COMMENT, Procedure.RISK_ASSESSMENT])


@pytest.mark.parametrize("reason", ["", "   "])
def test_suspension_without_a_reason_is_refused(executing, office_user, reason):
    with pytest.raises(DomainError) as error:
        services.decision_suspend(actor=office_user, decision_id=executing.pk, reason=reason)

    assert error.value.code == "reason_required"
    assert error.value.message == "请说明暂停执行的理由。"
    assert Decision.objects.get(pk=executing.pk).status == S.EXECUTING


@pytest.mark.parametrize(("call", "message"), [
    ("decision_resume", "请说明恢复执行的理由。"),
    ("decision_adjust", "请说明调整决策的理由。"),
    ("decision_terminate", "请说明停止执行的理由。"),
])
def test_acts_on_a_suspended_decision_need_a_reason(staff_user, office_user, call, message):
    decision = factories.decision_in_state(S.SUSPENDED, staff_user=staff_user, office_user=office_user)

    with pytest.raises(DomainError) as error:
        getattr(services, call)(actor=office_user, decision_id=decision.pk, reason="")

    assert error.value.message == message


def test_a_post_evaluation_by_the_pre_decision_risk_assessor_is_refused(executing, office_user):
    with pytest.raises(TransitionBlocked) as error:
        services.decision_start_post_evaluation(actor=office_user, decision_id=executing.pk, trigger="public_comments",
                                                evaluator="湖州市社会稳定风险评估中心")

    assert error.value.message == EVALUATOR_IS_ASSESSOR
    assert not PostEvaluation.objects.filter(decision=executing).exists()
    assert Decision.objects.get(pk=executing.pk).status == S.EXECUTING


def test_the_assessor_check_ignores_surrounding_spaces(executing, office_user):
    with pytest.raises(TransitionBlocked) as error:
        services.decision_start_post_evaluation(actor=office_user, decision_id=executing.pk, trigger="public_comments",
                                                evaluator="  湖州市社会稳定风险评估中心 ")

    assert error.value.message == EVALUATOR_IS_ASSESSOR


def test_a_post_evaluation_needs_one_of_the_three_legal_triggers(executing, office_user):
    with pytest.raises(TransitionBlocked) as error:
        services.decision_start_post_evaluation(actor=office_user, decision_id=executing.pk, trigger="routine",
                                                evaluator="第三方评估机构乙")

    assert error.value.message == "决策后评估须依据法定情形启动（《重大行政决策程序暂行条例》第三十六条）。"


def test_a_post_evaluation_by_an_independent_evaluator_starts(executing, office_user):
    evaluation = services.decision_start_post_evaluation(actor=office_user, decision_id=executing.pk,
                                                         trigger="below_expectation", evaluator="第三方评估机构乙")

    assert (evaluation.evaluator, evaluation.started_on) == ("第三方评估机构乙", dt.date(2026, 5, 11))
    assert Decision.objects.get(pk=executing.pk).status == S.POST_EVALUATION


def test_concluding_a_post_evaluation_needs_findings(staff_user, office_user):
    decision = factories.decision_in_state(S.POST_EVALUATION, staff_user=staff_user, office_user=office_user)

    with pytest.raises(DomainError) as error:
        services.decision_conclude_post_evaluation(actor=office_user, decision_id=decision.pk, conclusion="continue",
                                                   findings="")

    assert error.value.message == "请填写评估结论并选择处理建议。"


def test_concluding_a_post_evaluation_stamps_the_evaluation(staff_user, office_user):
    decision = factories.decision_in_state(S.POST_EVALUATION, staff_user=staff_user, office_user=office_user)

    services.decision_conclude_post_evaluation(actor=office_user, decision_id=decision.pk, conclusion="terminate",
                                               findings="明显未达到预期效果。")

    evaluation = PostEvaluation.objects.get(decision=decision)
    assert (evaluation.conclusion, evaluation.completed_on) == ("terminate", dt.date(2026, 5, 11))
    assert Decision.objects.get(pk=decision.pk).status == S.TERMINATED


def test_an_execution_report_is_recorded_while_executing(executing, staff_user):
    report = services.decision_report_execution(actor=staff_user, decision_id=executing.pk,
                                                reported_on=dt.date(2026, 5, 11), progress="已完成第一阶段任务。")

    assert ExecutionReport.objects.get(pk=report.pk).decision_id == executing.pk


def test_an_execution_report_before_publication_is_refused(staff_user):
    decision = factories.decision_in_state(S.DECIDED, staff_user=staff_user)

    with pytest.raises(InvalidState) as error:
        services.decision_report_execution(actor=staff_user, decision_id=decision.pk,
                                           reported_on=dt.date(2026, 5, 11), progress="进展。")

    assert error.value.message == "决策公布执行后方可报告执行情况。"


def test_completion_dated_in_the_future_is_refused(executing, staff_user):
    with pytest.raises(DomainError) as error:
        services.decision_complete_execution(actor=staff_user, decision_id=executing.pk,
                                             completed_on=dt.date(2026, 5, 12))

    assert error.value.message == "执行完毕日期不能晚于今天。"


def test_archiving_stamps_the_archive_time(staff_user):
    decision = factories.decision_in_state(S.ARCHIVED, staff_user=staff_user)

    assert decision.archived_at is not None
    assert decision.completed_on == dt.date(2026, 5, 11)
