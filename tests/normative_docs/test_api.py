"""The normative-documents API: the whole lifecycle from proposal to filing review with
token auth, the exact error body of each illegal call, 404 for other departments, a
fixed query count for the list, and a schema that validates."""
from __future__ import annotations

import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from normative_docs.api.views import DOCUMENT_ACTIONS, FILING_ACTIONS
from normative_docs.models import FilingRecord, NormativeDocument
from normative_docs.workflow import DocumentStatus as N
from reviews.models import ReviewTask
from tests import factories
from tests.api_support import api, assert_error
from tests.factories import (
    NORMATIVE_PROCEDURE_DETAILS,
    normative_checklist,
    normative_document_in_state,
    pdf_file,
)

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "未找到。", "details": []}
LEGALITY_FIRST = "未经合法性审核或者经审核不合法的，不得提交集体审议（《优化营商环境条例》第六十三条）"


@pytest.fixture(autouse=True)
def _monday_in_may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def head(db):
    return factories.normative_head("hz-drc")


def documents_url() -> str:
    return reverse("normative-api:document-list")


def detail_url(pk: int) -> str:
    return reverse("normative-api:document-detail", args=[pk])


def action_url(pk: int, slug: str) -> str:
    return reverse(f"normative-api:document-{slug}", args=[pk])


def filing_url(pk: int, slug: str) -> str:
    return reverse(f"normative-api:filing-{slug}", args=[pk])


def proposal(**overrides) -> dict:
    return {"title": "湖州市促进科技创新若干措施", "reason": "落实省政府部署。", "doc_type": "measures",
            "business_related": True, "body": "", **overrides}


# ================================================================== the lifecycle
def test_the_whole_lifecycle_through_the_api(staff_user, head):
    staff = api(staff_user)
    response = staff.post(documents_url(), proposal(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    pk = body["id"]
    assert (body["status"], body["issuer_name"], body["filing_body_name"]) == (
        N.PROPOSED, "湖州市发展和改革委员会", "湖州市司法局")
    assert body["required_procedures"] == ["research", "public_comment", "fair_competition"]

    assert staff.post(action_url(pk, "start-drafting"), {}, format="json").json()["status"] == N.DRAFTING
    response = staff.patch(detail_url(pk), {"version": body["version"] + 1, "body": "第一条 为了……，制定本措施。",
                                            "explanation": "起草说明。"}, format="json")
    assert response.status_code == 200, response.content
    assert staff.post(action_url(pk, "start-procedures"), {}, format="json").json()["status"] == N.CONSULTING
    response = staff.post(action_url(pk, "public-comment"), {
        "opened_on": "2026-05-11", "closes_on": "2026-06-10", "channel": "湖州市人民政府网站"}, format="json")
    assert response.status_code == 200, response.content
    for kind in ("research", "public_comment", "fair_competition"):
        response = staff.post(action_url(pk, "procedures"), {
            "kind": kind, "details": json.dumps(NORMATIVE_PROCEDURE_DETAILS[kind]), "files": [pdf_file()]},
            format="multipart")
        assert response.status_code == 201, response.content
        assert response.json()["kind"] == kind and len(response.json()["attachments"]) == 1
    response = staff.post(action_url(pk, "submit-for-review"), {"note": "请审核。"}, format="json")
    assert response.json()["status"] == N.LEGALITY_REVIEW

    reviewer = factories.reviewer()
    task = ReviewTask.objects.get(object_id=pk, kind="normative_document")
    assert api(reviewer).post(reverse("reviews-api:review-claim", args=[task.pk])).status_code == 200
    response = api(reviewer).post(reverse("reviews-api:review-decide", args=[task.pk]), {
        "outcome": "passed", "opinion": "经审核，合法。", "checklist": normative_checklist(),
        "early_reason": factories.EARLY_REASON}, format="json")
    assert response.status_code == 200, response.content

    issuer = api(head)
    response = issuer.post(action_url(pk, "deliberate"), {"held_on": "2026-05-11", "meeting": "局长办公会议",
                                                          "outcome": "adopted"}, format="json")
    assert response.json()["status"] == N.DELIBERATED
    response = issuer.post(action_url(pk, "register"), {}, format="json")
    assert (response.json()["number"], response.json()["registration_number"]) == (
        "湖发改规〔2026〕1号", "ZJHZ13-2026-0001")
    response = issuer.post(action_url(pk, "publish"), {"published_on": "2026-05-11", "effective_on": "2026-06-10",
                                                       "channel": "湖州市人民政府网站"}, format="json")
    body = response.json()
    assert (body["status"], body["public_status"], body["valid_until"]) == (N.PUBLISHED, "not_yet_effective",
                                                                          "2031-06-09")
    response = issuer.post(action_url(pk, "file"), {"report": "备案报告。", "files": [pdf_file("正式文本.pdf")]},
                           format="multipart")
    assert response.status_code == 201, response.content
    filing = response.json()
    assert (filing["status"], filing["on_time"], filing["attachments"][0]["original_name"]) == (
        "submitted", True, "正式文本.pdf")

    filing_reviewer = api(factories.filing_reviewer("hz-justice"))
    response = filing_reviewer.post(filing_url(filing["id"], "check"), {"result": "accept"}, format="json")
    assert response.json()["status"] == "under_review"
    response = filing_reviewer.post(filing_url(filing["id"], "review"), {
        "outcome": "passed", "opinion": "符合规定。", "checklist": normative_checklist()}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "passed"

    detail = staff.get(detail_url(pk)).json()
    assert [f["status"] for f in detail["filings"]] == ["passed"]
    assert [p["kind"] for p in detail["procedures"]] == ["fair_competition", "public_comment", "research"]
    actions = [e["action"] for e in detail["timeline"]]
    assert actions[:3] == ["propose", "start_drafting", "update_draft"]
    assert {"register", "publish", "filing_submit", "filing_check_accept", "filing_review_passed"} <= set(actions)


def test_correction_supplement_and_report_through_the_api(staff_user, head):
    document = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    filing = api(head).post(action_url(document.pk, "file"), {"report": "报告。", "files": [pdf_file()]},
                            format="multipart").json()
    reviewer = api(factories.filing_reviewer("hz-justice"))
    reviewer.post(filing_url(filing["id"], "check"), {"result": "incomplete", "note": "缺起草说明。"}, format="json")
    response = api(head).post(filing_url(filing["id"], "supplement"), {"note": "补充。", "files": [pdf_file()]},
                              format="multipart")
    assert response.json()["status"] == "submitted"
    reviewer.post(filing_url(filing["id"], "check"), {"result": "accept"}, format="json")
    checklist = {**normative_checklist(), "no_fees": {"answer": "no", "note": "违法收费。"}}
    response = reviewer.post(filing_url(filing["id"], "review"), {"outcome": "correction", "opinion": "请纠正。",
                                                                  "checklist": checklist}, format="json")
    assert response.json()["status"] == "correction_requested"
    response = api(head).post(filing_url(filing["id"], "correction"), {"outcome": "repealed", "report": "已废止。"},
                              format="json")
    assert (response.json()["status"], response.json()["correction_outcome"]) == ("corrected", "repealed")
    assert NormativeDocument.objects.get(pk=document.pk).status == N.REPEALED


def test_new_version_link_and_repeal_through_the_api(staff_user, head):
    old = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    response = api(head).post(action_url(old.pk, "new-version"), {}, format="json")
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["status"] == N.PROPOSED
    assert [(r["kind"], r["older"]) for r in new["changes_made"]] == [("replaces", old.pk)]
    draft = normative_document_in_state(N.DRAFTING, staff_user=staff_user, title="关于废止的决定")
    response = api(staff_user).post(action_url(draft.pk, "link"), {"older_id": old.pk, "kind": "repeals"},
                                    format="json")
    assert response.status_code == 201 and response.json()["older_title"] == old.title
    response = api(head).post(action_url(old.pk, "repeal"), {"reason": "上位法修改。"}, format="json")
    assert response.json()["status"] == N.REPEALED
    assert [r["newer"] for r in api(head).get(detail_url(old.pk)).json()["changed_by"]] == [new["id"], draft.pk]


def test_every_action_has_an_endpoint():
    assert set(DOCUMENT_ACTIONS) == {"start-drafting", "start-procedures", "public-comment", "procedures",
                                     "submit-for-review", "revise", "deliberate", "register", "publish", "link",
                                     "new-version", "repeal", "file"}
    assert set(FILING_ACTIONS) == {"check", "supplement", "review", "correction"}


# ================================================================== illegal calls
def test_registering_a_draft_is_an_invalid_state(staff_user, head):
    document = normative_document_in_state(N.DRAFTING, staff_user=staff_user)
    response = api(head).post(action_url(document.pk, "register"), {}, format="json")
    assert_error(response, 409, "invalid_state", "集体审议通过后方可统一登记编号。")


def test_a_procedure_without_files_names_the_missing_evidence(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    response = api(staff_user).post(action_url(document.pk, "procedures"), {
        "kind": "research", "details": NORMATIVE_PROCEDURE_DETAILS["research"]}, format="json")
    assert response.json() == {"code": "prerequisites_missing", "message": "请上传“调研”的证据材料。",
                               "details": ["请上传“调研”的证据材料。"]}
    assert response.status_code == 400


def test_deliberation_before_the_legality_review_is_blocked(staff_user, head):
    document = normative_document_in_state(N.LEGALITY_REVIEW, staff_user=staff_user)
    response = api(head).post(action_url(document.pk, "deliberate"), {
        "held_on": "2026-05-11", "meeting": "局长办公会议", "outcome": "adopted"}, format="json")
    assert_error(response, 400, "prerequisites_missing", LEGALITY_FIRST)


def test_submitting_without_procedures_lists_every_gap(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    response = api(staff_user).post(action_url(document.pk, "submit-for-review"), {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "prerequisites_missing"
    assert len(body["details"]) == 1 and body["details"][0].startswith("“调研”尚未完成并留存证据")


def test_a_stale_patch_is_a_conflict(staff_user):
    document = normative_document_in_state(N.DRAFTING, staff_user=staff_user)
    response = api(staff_user).patch(detail_url(document.pk), {"version": document.version - 1, "title": "新名称"},
                                     format="json")
    assert_error(response, 409, "conflict", "草案已被他人修改，请刷新页面后重新编辑。")
    assert NormativeDocument.objects.get(pk=document.pk).title == document.title


def test_a_short_comment_period_is_refused(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    response = api(staff_user).post(action_url(document.pk, "public-comment"), {
        "opened_on": "2026-05-11", "closes_on": "2026-05-20", "channel": "网站"}, format="json")
    assert_error(response, 400, "prerequisites_missing",
                 "征求意见期限一般不少于30日；少于30日的，须说明理由（《优化营商环境条例》第六十二条）。")


def test_drafting_staff_may_not_register(staff_user):
    document = normative_document_in_state(N.DELIBERATED, staff_user=staff_user)
    response = api(staff_user).post(action_url(document.pk, "register"), {}, format="json")
    assert_error(response, 403, "permission_denied", "无权执行此操作。")
    assert NormativeDocument.objects.get(pk=document.pk).number == ""


def test_missing_dates_are_invalid_input(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    response = api(head).post(action_url(document.pk, "publish"), {"channel": "网站"}, format="json")
    assert_error(response, 400, "invalid", "提交的数据不正确。")
    assert response.json()["details"] == ["published_on: 该字段是必填项。", "effective_on: 该字段是必填项。"]


def test_effective_before_publication_is_refused(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    response = api(head).post(action_url(document.pk, "publish"), {
        "published_on": "2026-05-11", "effective_on": "2026-05-01", "channel": "网站"}, format="json")
    assert_error(response, 400, "effective_before_publication", "未经公布的规范性文件不得施行：施行日期不能早于公布日期。")


def test_filing_without_files_is_refused(staff_user, head):
    document = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    response = api(head).post(action_url(document.pk, "file"), {"report": "报告。"}, format="multipart")
    assert_error(response, 400, "files_required", "请上传备案材料（文件正式文本、起草说明等）。")
    assert not FilingRecord.objects.exists()


def test_a_reviewer_of_another_body_may_not_check(staff_user, head):
    document = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    filing = api(head).post(action_url(document.pk, "file"), {"report": "报告。", "files": [pdf_file()]},
                            format="multipart").json()
    response = api(factories.filing_reviewer("wuxing")).post(filing_url(filing["id"], "check"), {"result": "accept"},
                                                             format="json")
    assert_error(response, 403, "permission_denied", "只有备案审查机关的审查人员可以办理。")
    assert FilingRecord.objects.get(pk=filing["id"]).status == "submitted"


def test_correction_without_a_failed_item_is_refused(staff_user, head):
    document = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    filing = api(head).post(action_url(document.pk, "file"), {"report": "报告。", "files": [pdf_file()]},
                            format="multipart").json()
    reviewer = api(factories.filing_reviewer("hz-justice"))
    reviewer.post(filing_url(filing["id"], "check"), {"result": "accept"}, format="json")
    response = reviewer.post(filing_url(filing["id"], "review"), {
        "outcome": "correction", "opinion": "请纠正。", "checklist": normative_checklist()}, format="json")
    assert_error(response, 400, "checklist_no_problem", "提出纠正意见的，须至少指出一项不符合的审查要点。")


def test_anonymous_caller_gets_401(db):
    response = api().get(documents_url())
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "请先登录。", "details": []}


# ================================================================== visibility
def test_other_departments_document_is_404(staff_user, other_staff_user):
    document = normative_document_in_state(N.DRAFTING, staff_user=staff_user)
    client = api(other_staff_user)
    assert client.get(detail_url(document.pk)).json() == NOT_FOUND
    assert client.get(detail_url(document.pk)).status_code == 404
    response = client.post(action_url(document.pk, "start-procedures"), {}, format="json")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    response = client.patch(detail_url(document.pk), {"version": document.version, "title": "x"}, format="json")
    assert response.status_code == 404
    assert NormativeDocument.objects.get(pk=document.pk).status == N.DRAFTING


def test_list_shows_only_visible_documents_and_filters(staff_user, other_staff_user, supervisor_user):
    mine = normative_document_in_state(N.DRAFTING, staff_user=staff_user)
    normative_document_in_state(N.PROPOSED, staff_user=staff_user, title="另一个办法")
    normative_document_in_state(N.DRAFTING, staff_user=other_staff_user, title="自然资源办法")
    body = api(staff_user).get(documents_url()).json()
    assert body["count"] == 2
    assert {d["title"] for d in body["results"]} == {mine.title, "另一个办法"}
    filtered = api(staff_user).get(documents_url(), {"status": "drafting"}).json()
    assert [d["id"] for d in filtered["results"]] == [mine.pk]
    assert api(staff_user).get(documents_url(), {"q": "另一"}).json()["count"] == 1
    assert api(supervisor_user).get(documents_url()).json()["count"] == 3


def test_list_searches_numbers_in_any_bracket_style(staff_user, head):
    normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    body = api(head).get(documents_url(), {"q": "湖发改规[2026]1号"}).json()
    assert [d["number"] for d in body["results"]] == ["湖发改规〔2026〕1号"]


@pytest.mark.parametrize("rows", [2, 30])
def test_list_query_count_is_fixed(staff_user, django_assert_max_num_queries, rows):
    drc = factories.department("hz-drc")
    justice = factories.department("hz-justice")
    NormativeDocument.objects.bulk_create([
        NormativeDocument(title=f"文件{i}", issuer=drc, drafting_department=drc, filing_body=justice, reason="需要。",
                          created_by=staff_user) for i in range(rows)])
    client = api(staff_user)
    with django_assert_max_num_queries(5):
        response = client.get(documents_url())
    assert response.json()["count"] == rows


# ================================================================== schema
def test_the_openapi_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/normative-documents/{id}/publish/" in schema
    assert "/api/v1/normative-filings/{id}/review/" in schema
