"""The decision pages through the Django test client: forms in, services
called, Chinese messages out."""
import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Attachment, AuditEvent
from decisions import services
from decisions.models import CatalogItem, Decision, MeetingRecord, ProcedureRecord
from decisions.workflow import DecisionStatus, MeetingOutcome, MeetingType, Procedure
from reviews.models import ReviewTask
from tests import factories
from tests.factories import PUBLIC_COMMENT_DETAILS, CatalogFactory, CatalogItemFactory

TODAY = "2026-05-11"
DRAFT = {
    "title": "湖州市城市公共交通票价调整方案", "summary": "调整市区公交基准票价，完善优惠政策。",
    "category": "public_policy", "draft_text": "第一条 为了规范公共交通票价……", "disclosure": "public",
}
MEETING = {
    "meeting_type": MeetingType.EXECUTIVE, "session_name": "市政府第31次常务会议", "held_on": TODAY,
    "attendees": "市长、副市长、秘书长", "observers": "市民代表2名", "member_views": "副市长甲：同意。",
    "head_name": "市长", "outcome": MeetingOutcome.ADOPTED,
}
CHECKLIST = {"check_authority": "yes", "check_procedure": "yes", "check_content": "yes"}


@pytest.fixture(autouse=True)
def _calendar():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def errors_of(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


# ================================================================== creating
def test_staff_creates_a_decision_linked_to_a_catalog_item(client, staff_user):
    item = CatalogItemFactory(catalog=CatalogFactory(year=2026), proposed_by=staff_user)
    client.force_login(staff_user)

    response = client.post(reverse("decisions:create"), {**DRAFT, "catalog_item": item.pk})

    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions:detail", args=[decision.pk])
    assert (decision.catalog_item, decision.department, decision.status) == (item, staff_user.department,
                                                                            DecisionStatus.DRAFTING)
    assert decision.required_procedures == [Procedure.PUBLIC_COMMENT, Procedure.RISK_ASSESSMENT]


def test_staff_creates_a_decision_outside_the_catalog_with_a_reason(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("decisions:create"), {
        **DRAFT, "catalog_item": "", "outside_catalog_reason": "省政府临时部署的重大事项，年初未能列入目录。",
        "required_procedures": [Procedure.PUBLIC_COMMENT],
    })

    decision = Decision.objects.get()
    assert response.status_code == 302
    assert decision.catalog_item is None
    assert decision.outside_catalog_reason == "省政府临时部署的重大事项，年初未能列入目录。"
    assert decision.required_procedures == [Procedure.PUBLIC_COMMENT]


def test_decision_outside_the_catalog_without_a_reason_is_refused(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("decisions:create"), {**DRAFT, "catalog_item": "", "outside_catalog_reason": ""})

    assert response.status_code == 400
    assert errors_of(response) == ["决策未关联年度目录事项，须说明目录外决策的理由（《重大行政决策程序暂行条例》第三条）。"]
    assert "须说明目录外决策的理由" in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_cannot_link_another_departments_catalog_item(client, staff_user, other_staff_user):
    item = CatalogItemFactory(catalog=CatalogFactory(year=2026), lead_department=other_staff_user.department,
                              proposed_by=other_staff_user)
    client.force_login(staff_user)

    response = client.post(reverse("decisions:create"), {**DRAFT, "catalog_item": item.pk})

    assert response.status_code == 400
    assert "catalog_item" in response.context["form"].errors
    assert not Decision.objects.exists()


# ================================================================== procedures and evidence
def test_staff_records_a_procedure_with_an_uploaded_pdf(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user)
    client.force_login(staff_user)
    url = reverse("decisions:procedure", args=[decision.pk, Procedure.PUBLIC_COMMENT])

    response = client.post(url, {**PUBLIC_COMMENT_DETAILS, "files": factories.pdf_file("征求意见公告.pdf")})

    assert response.status_code == 302
    record = ProcedureRecord.objects.get(decision=decision)
    assert (record.kind, record.status, record.details["comment_count"]) == (
        Procedure.PUBLIC_COMMENT, ProcedureRecord.Status.COMPLETED, 12)
    attachment = record.attachments.get()
    assert (attachment.original_name, attachment.content_type_name) == ("征求意见公告.pdf", "application/pdf")
    detail = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert reverse("workbench:attachment-download", args=[attachment.pk]) in detail


def test_a_file_named_pdf_whose_content_is_not_pdf_is_refused(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user)
    client.force_login(staff_user)
    fake = SimpleUploadedFile("公告.pdf", b"MZ\x90\x00 this is an executable, not a PDF", content_type="application/pdf")

    response = client.post(reverse("decisions:procedure", args=[decision.pk, Procedure.PUBLIC_COMMENT]),
                           {**PUBLIC_COMMENT_DETAILS, "files": fake})

    assert response.status_code == 400
    assert errors_of(response) == ["文件内容与扩展名不符。"]
    assert not ProcedureRecord.objects.exists()
    assert not Attachment.objects.exists()


def test_a_procedure_without_evidence_is_refused(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user)
    client.force_login(staff_user)

    response = client.post(reverse("decisions:procedure", args=[decision.pk, Procedure.PUBLIC_COMMENT]),
                           PUBLIC_COMMENT_DETAILS)

    assert response.status_code == 400
    assert errors_of(response) == ["请上传“公众参与（征求意见）”的证据材料（如公告截图、签名意见、评估报告）。"]
    assert not ProcedureRecord.objects.exists()


# ================================================================== review
def test_staff_submits_for_review(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user)
    services.decision_record_procedure(actor=staff_user, decision_id=decision.pk, kind=Procedure.PUBLIC_COMMENT,
                                       details=PUBLIC_COMMENT_DETAILS, files=[factories.pdf_file()])
    client.force_login(staff_user)

    response = client.post(reverse("decisions:submit-for-review", args=[decision.pk]), {"note": "请予审查。"})

    assert response.status_code == 302
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.LEGALITY_REVIEW
    task = ReviewTask.objects.get(object_id=decision.pk)
    assert (task.status, task.submitted_by, task.submission_note) == (ReviewTask.Status.OPEN, staff_user, "请予审查。")
    assert (task.submitted_on, task.earliest_decision_on, task.due_on) == (
        dt.date(2026, 5, 11), dt.date(2026, 5, 20), dt.date(2026, 6, 1))


def test_reviewer_claims_and_passes_the_review_on_the_review_page(client, reviewer_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    client.force_login(reviewer_user)

    claimed = client.post(reverse("reviews:review-claim", args=[task.pk]))
    page = client.get(reverse("reviews:review-detail", args=[task.pk]))
    decided = client.post(reverse("reviews:review-detail", args=[task.pk]), {
        **CHECKLIST, "note_content": "第五条表述已建议修改。", "outcome": ReviewTask.Outcome.PASSED,
        "opinion": "经审查，符合法定权限和程序，内容合法。", "early_reason": factories.EARLY_REASON,
    })

    assert claimed.status_code == 302 and claimed["Location"] == reverse("reviews:review-detail", args=[task.pk])
    assert page.status_code == 200 and 'name="check_authority"' in page.content.decode()
    assert decided.status_code == 302 and decided["Location"] == reverse("reviews:review-queue")
    task.refresh_from_db()
    assert (task.status, task.assigned_to, task.outcome) == (ReviewTask.Status.DONE, reviewer_user, "passed")
    assert task.checklist["content"] == {"answer": "yes", "note": "第五条表述已建议修改。"}
    decision.refresh_from_db()
    assert (decision.status, decision.legality_opinion) == (DecisionStatus.READY_FOR_DISCUSSION,
                                                            "经审查，符合法定权限和程序，内容合法。")


def test_review_with_an_unanswered_checklist_item_is_refused(client, reviewer_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    client.force_login(reviewer_user)
    client.post(reverse("reviews:review-claim", args=[task.pk]))

    response = client.post(reverse("reviews:review-detail", args=[task.pk]), {
        "check_authority": "yes", "check_procedure": "yes", "outcome": "passed", "opinion": "同意。"})

    assert response.status_code == 400
    assert ("审查要点“决策草案内容是否符合有关法律、法规、规章和国家政策的规定”尚未作答"
            "（《重大行政决策程序暂行条例》第二十七条第（三）项）") in response.content.decode()
    assert ReviewTask.objects.get(pk=task.pk).status == ReviewTask.Status.CLAIMED
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.LEGALITY_REVIEW


# ================================================================== the office
def test_office_records_the_meeting(client, office_user):
    decision = factories.decision_in_state(DecisionStatus.READY_FOR_DISCUSSION)
    client.force_login(office_user)

    response = client.post(reverse("decisions:meeting", args=[decision.pk]), MEETING)

    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.decided_on) == (DecisionStatus.DECIDED, dt.date(2026, 5, 11))
    assert MeetingRecord.objects.get(decision=decision).session_name == "市政府第31次常务会议"


def test_office_records_the_party_report_and_publishes(client, office_user):
    decision = factories.decision_in_state(DecisionStatus.DECIDED)
    client.force_login(office_user)

    reported = client.post(reverse("decisions:party-report", args=[decision.pk]),
                           {"reported_on": TODAY, "note": "已向市委常委会请示报告。"})
    published = client.post(reverse("decisions:publish", args=[decision.pk]),
                            {"channel": "湖州市人民政府网站", "document_number": "湖政发〔2026〕8号", "confirmed": "on"})

    assert reported.status_code == published.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.EXECUTING
    assert (decision.party_reported_on, decision.document_number) == (dt.date(2026, 5, 11), "湖政发〔2026〕8号")
    listing = client.get(reverse("public:decision-list"))
    assert [d.pk for d in listing.context["page"]] == [decision.pk]


def test_publishing_needs_the_confirmation_of_what_becomes_public(client, office_user):
    decision = factories.decision_in_state(DecisionStatus.DECIDED)
    client.force_login(office_user)
    client.post(reverse("decisions:party-report", args=[decision.pk]), {"reported_on": TODAY, "note": "已报告。"})

    page = client.get(reverse("decisions:publish", args=[decision.pk])).content.decode()
    response = client.post(reverse("decisions:publish", args=[decision.pk]), {"channel": "湖州市人民政府网站"})

    assert "办理后，以下内容将在公众网站公开" in page and "决策主要内容和决策文本" in page
    assert response.status_code == 400 and "请先确认" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DECIDED


def test_publishing_without_the_party_report_is_refused(client, office_user):
    decision = factories.decision_in_state(DecisionStatus.DECIDED)
    client.force_login(office_user)

    response = client.post(reverse("decisions:publish", args=[decision.pk]),
                           {"channel": "湖州市人民政府网站", "confirmed": "on"})

    assert response.status_code == 400
    assert errors_of(response) == [
        "决策出台前应当向同级党委请示报告，请先记录报告情况（《重大行政决策程序暂行条例》第三十一条）"]
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.DECIDED


def test_a_decision_travels_from_creation_to_the_public_pages(client, staff_user, reviewer_user, office_user):
    """The whole way through the pages only, as the three offices would click it."""
    client.force_login(staff_user)
    client.post(reverse("decisions:create"), {
        **DRAFT, "catalog_item": "", "outside_catalog_reason": "省政府临时部署的重大事项。",
        "required_procedures": [Procedure.PUBLIC_COMMENT]})
    decision = Decision.objects.get()
    pk = decision.pk
    assert client.post(reverse("decisions:start-procedures", args=[pk]), {"note": ""}).status_code == 302
    assert client.post(reverse("decisions:procedure", args=[pk, Procedure.PUBLIC_COMMENT]),
                       {**PUBLIC_COMMENT_DETAILS, "files": factories.pdf_file()}).status_code == 302
    assert client.post(reverse("decisions:submit-for-review", args=[pk]), {"note": ""}).status_code == 302

    client.force_login(reviewer_user)
    task = ReviewTask.objects.get(object_id=pk)
    client.post(reverse("reviews:review-claim", args=[task.pk]))
    assert client.post(reverse("reviews:review-detail", args=[task.pk]), {
        **CHECKLIST, "outcome": "passed", "opinion": "经审查，合法。",
        "early_reason": factories.EARLY_REASON}).status_code == 302

    client.force_login(office_user)
    assert client.post(reverse("decisions:meeting", args=[pk]), MEETING).status_code == 302
    assert client.post(reverse("decisions:party-report", args=[pk]),
                       {"reported_on": TODAY, "note": "已报告。"}).status_code == 302
    assert client.post(reverse("decisions:publish", args=[pk]),
                       {"channel": "湖州市人民政府网站", "confirmed": "on"}).status_code == 302

    client.logout()
    listing = client.get(reverse("public:decision-list")).content.decode()
    page = client.get(reverse("public:decision-detail", args=[pk]))
    assert DRAFT["title"] in listing
    assert page.status_code == 200
    body = page.content.decode()
    assert "市政府第31次常务会议" in body and "采纳8条" in body
    assert Decision.objects.get(pk=pk).status == DecisionStatus.EXECUTING


# ================================================================== refusals
def test_a_refused_transition_shows_the_reason_and_changes_nothing(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user)
    client.force_login(staff_user)  # the login is a security event of its own (issue 13)
    events = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()

    response = client.post(reverse("decisions:submit-for-review", args=[decision.pk]), {"note": ""})

    assert response.status_code == 400
    reason = "“公众参与（征求意见）”尚未完成并留存证据，不得提交合法性审查（《重大行政决策程序暂行条例》第十四条、第十五条）"
    assert errors_of(response) == [reason]
    assert reason in response.content.decode()
    unchanged = Decision.objects.get(pk=decision.pk)
    assert (unchanged.status, unchanged.version) == (DecisionStatus.CONSULTING, decision.version)
    assert not ReviewTask.objects.exists()
    [refusal] = AuditEvent.objects.filter(seq__gt=events)  # only the refusal is recorded (issue 12)
    assert (refusal.event_type, refusal.reason) == ("rule_refused", reason)


def test_office_cannot_hold_the_meeting_before_the_legality_review(client, office_user):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING)
    client.force_login(office_user)

    response = client.post(reverse("decisions:meeting", args=[decision.pk]), MEETING)

    assert response.status_code == 400
    assert errors_of(response) == ["合法性审查未通过，不得提交集体讨论（《重大行政决策程序暂行条例》第二十五条）"]
    assert not MeetingRecord.objects.exists()
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.CONSULTING


def test_suspending_without_a_reason_is_a_form_error(client, office_user):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING)
    client.force_login(office_user)

    response = client.post(reverse("decisions:suspend", args=[decision.pk]), {"reason": "", "confirmed": "on"})

    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.EXECUTING


# ================================================================== editing
def edit_data(decision, **changes) -> dict:
    return {
        "title": decision.title, "summary": decision.summary, "category": decision.category,
        "required_procedures": decision.required_procedures, "draft_text": decision.draft_text,
        "explanation": decision.explanation, "outside_catalog_reason": decision.outside_catalog_reason,
        "disclosure": decision.disclosure, "withheld_reason": decision.withheld_reason,
        "version": decision.version, **changes,
    }


def test_staff_edits_the_draft(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=staff_user)
    client.force_login(staff_user)
    form = client.get(reverse("decisions:edit", args=[decision.pk]))
    assert form.context["form"]["version"].value() == decision.version

    response = client.post(reverse("decisions:edit", args=[decision.pk]), edit_data(decision, title="新名称"))

    assert response.status_code == 302
    saved = Decision.objects.get(pk=decision.pk)
    assert (saved.title, saved.version) == ("新名称", decision.version + 1)


def test_stale_edit_shows_the_conflict_and_keeps_the_other_change(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=staff_user)
    services.decision_update_draft(actor=staff_user, decision_id=decision.pk, version=decision.version,
                                   data={"title": "同事先保存的名称"})
    client.force_login(staff_user)

    response = client.post(reverse("decisions:edit", args=[decision.pk]), edit_data(decision, title="我的名称"))

    assert response.status_code == 400
    assert errors_of(response) == ["该决策已被他人修改，请刷新页面后再编辑。"]
    assert "该决策已被他人修改" in response.content.decode()
    assert Decision.objects.get(pk=decision.pk).title == "同事先保存的名称"


def test_editing_after_submission_is_refused(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff_user)
    client.force_login(staff_user)

    response = client.post(reverse("decisions:edit", args=[decision.pk]), edit_data(decision, title="新名称"))

    assert response.status_code == 400
    assert errors_of(response) == ["决策已提交审查或已进入后续阶段，不能修改草案。"]
    assert Decision.objects.get(pk=decision.pk).title == decision.title


def test_an_incomplete_catalog_addition_is_refused_with_the_missing_columns(client, staff_user):
    CatalogFactory(year=2026, status="published", party_consent_on=dt.date(2026, 3, 10),
                   published_at=dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC))
    client.force_login(staff_user)

    response = client.post(reverse("decisions:catalog-adjustment-propose", args=[2026]),
                           {"kind": "add", "reason": "新增部署。", "name": "只有名称的事项"})

    assert response.status_code == 400
    assert errors_of(response) == ["增加事项须填写事项名称、主要内容、法律政策依据、计划完成时间和类别。"]
    assert not CatalogItem.objects.filter(name="只有名称的事项").exists()
