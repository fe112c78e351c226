"""The staff pages of a normative document through the Django test client: who may open
what, forms in, services called, Chinese messages out, nothing changed on a refusal."""
import datetime as dt

import pytest
import time_machine
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.models import Attachment, Department, Role
from deadlines.models import LegalClock
from normative_docs import services
from normative_docs.models import DocumentRelation, DraftingProcedure, NormativeDocument
from normative_docs.selectors import (
    ENDED_STATES,
    GOVERNMENT_KINDS,
    ISSUER_STATES,
    normative_work_for,
)
from normative_docs.workflow import DocumentStatus as N
from normative_docs.workflow import Procedure, RelationKind
from reviews.models import ReviewTask
from tests import factories
from tests.factories import (
    NORMATIVE_PROCEDURE_DETAILS,
    UserFactory,
    department,
    pdf_file,
)

TODAY = "2026-05-11"
PROPOSAL = {"title": "湖州市促进民营经济高质量发展若干措施", "doc_type": "measures", "reason": "落实省委省政府部署，优化营商环境。",
            "business_related": "on", "major_rights_impact": "on"}


@pytest.fixture(autouse=True)
def _calendar():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def head_user(db):
    return factories.normative_head("hz-drc", username="head_drc")


def in_state(state, staff_user, **data) -> NormativeDocument:
    return factories.normative_document_in_state(state, staff_user=staff_user, **data)


def errors_of(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


def action_url(document, action: str) -> str:
    return reverse("normative_docs:action", args=[document.pk, action])


def unchanged(document) -> bool:
    fresh = NormativeDocument.objects.get(pk=document.pk)
    return (fresh.status, fresh.version, fresh.title, fresh.number) == (document.status, document.version,
                                                                      document.title, document.number)


# ================================================================== the permission matrix
DRAFTER_ACTIONS = ["start-procedures", "submit-for-review", "link", "start-drafting", "public-comment", "revise"]
ISSUER_ACTIONS = ["deliberate", "register", "publish", "repeal"]
DRAFTER_PAGES = ["edit", "procedure", *DRAFTER_ACTIONS]
POSTABLE = [*DRAFTER_PAGES, *ISSUER_ACTIONS, "new-version"]
ALL_PAGES = ["detail", *POSTABLE]

POST_DATA = {
    "edit": {"title": "修改后的名称", "doc_type": "measures", "reason": "理由。", "body": "第一条", "version": "3"},
    "procedure": {"summary": "调研情况。", "files": []},
    "start-procedures": {"note": ""}, "submit-for-review": {"note": ""}, "start-drafting": {"note": ""},
    "revise": {"note": "按审核意见修改。"},
    "public-comment": {"opened_on": TODAY, "closes_on": "2026-06-15", "channel": "湖州市人民政府网站"},
    "link": {"older": "0", "kind": RelationKind.REPLACES},
    "deliberate": {"held_on": TODAY, "meeting": "局长办公会议", "outcome": "adopted"},
    "register": {},
    "publish": {"published_on": TODAY, "effective_on": "2026-06-15", "channel": "湖州市人民政府网站", "confirmed": "on"},
    "repeal": {"reason": "上位法修改。"},
    "new-version": {},
}

MATRIX = [
    # who              pages                                  method  status
    ("other-staff", ALL_PAGES, "GET", 404),
    ("other-staff", POSTABLE, "POST", 404),
    ("anonymous", ALL_PAGES, "GET", 302),
    ("anonymous", POSTABLE, "POST", 302),
    ("reviewer", ALL_PAGES, "GET", 404),  # no review task, not filed with them: not visible at all
    ("staff", ["detail", *DRAFTER_PAGES], "GET", 200),
    ("staff", ISSUER_ACTIONS, "GET", 403),
    ("staff", ISSUER_ACTIONS, "POST", 403),
    ("head", ["detail", *DRAFTER_PAGES, *ISSUER_ACTIONS], "GET", 200),
    ("supervisor", ["detail"], "GET", 200),
    ("supervisor", POSTABLE, "GET", 403),
    ("supervisor", POSTABLE, "POST", 403),
    ("office", ["detail"], "GET", 200),  # the issuer is a department, not a people's government
    ("office", POSTABLE, "POST", 403),
]
CASES = [pytest.param(who, page, method, status, id=f"{who}-{method}-{page}-{status}")
         for who, pages, method, status in MATRIX for page in pages]


def page_url(page: str, document) -> str:
    if page in ("detail", "edit"):
        return reverse(f"normative_docs:{page}", args=[document.pk])
    if page == "procedure":
        return reverse("normative_docs:procedure", args=[document.pk, Procedure.RESEARCH])
    return action_url(document, page)


@pytest.mark.parametrize(("who", "page", "method", "status"), CASES)
def test_normative_page_permission_matrix(client, staff_user, who, page, method, status):
    document = in_state(N.DRAFTING, staff_user)
    user = {
        "staff": lambda: staff_user,
        "other-staff": lambda: factories.staff("hz-nrp"),
        "head": lambda: factories.normative_head("hz-drc"),
        "reviewer": factories.reviewer,
        "supervisor": factories.supervisor,
        "office": factories.office,
        "anonymous": lambda: None,
    }[who]()
    if user is not None:
        client.force_login(user)
    url = page_url(page, document)

    response = client.get(url) if method == "GET" else client.post(url, POST_DATA[page])

    assert response.status_code == status
    if status == 302:
        assert response["Location"] == f"{reverse('login')}?next={url}"
    if method == "POST":
        assert unchanged(document)


def test_another_departments_document_is_the_same_404_as_a_missing_one(client, staff_user, other_staff_user):
    document = in_state(N.DRAFTING, staff_user)
    client.force_login(other_staff_user)
    hidden = client.get(reverse("normative_docs:detail", args=[document.pk]))
    missing = client.get(reverse("normative_docs:detail", args=[document.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_unknown_action_and_unknown_procedure_are_404(client, staff_user):
    document = in_state(N.DRAFTING, staff_user)
    client.force_login(staff_user)
    assert client.get(action_url(document, "approve")).status_code == 404
    assert client.get(reverse("normative_docs:procedure", args=[document.pk, "hearing"])).status_code == 404


def test_reviewer_sees_a_document_while_its_legality_review_is_open(client, staff_user, reviewer_user):
    document = in_state(N.LEGALITY_REVIEW, staff_user)
    client.force_login(reviewer_user)
    assert client.get(reverse("normative_docs:detail", args=[document.pk])).status_code == 200
    response = client.post(action_url(document, "deliberate"), POST_DATA["deliberate"])
    assert response.status_code == 403
    assert unchanged(document)


def test_office_acts_as_issuer_for_the_city_government(client, staff_user):
    document = in_state(N.READY_FOR_DELIBERATION, staff_user, issuer=department("huzhou"))
    office = factories.office()
    client.force_login(office)
    response = client.get(reverse("normative_docs:detail", args=[document.pk]))
    assert [a["name"] for a in response.context["actions"]] == ["deliberate"]
    assert client.get(action_url(document, "deliberate")).status_code == 200


# ================================================================== list
def test_list_shows_only_documents_of_the_users_unit(client, staff_user, other_staff_user):
    mine = in_state(N.DRAFTING, staff_user)
    theirs = in_state(N.DRAFTING, other_staff_user, title="湖州市国土空间规划管理办法")
    client.force_login(staff_user)
    response = client.get(reverse("normative_docs:list"))
    assert [d.pk for d in response.context["page"]] == [mine.pk]
    assert theirs.title not in response.content.decode()


def test_list_filters_by_status_and_year(client, staff_user):
    drafting = in_state(N.DRAFTING, staff_user)
    proposed = in_state(N.PROPOSED, staff_user, title="湖州市数据资源管理办法")
    client.force_login(staff_user)
    response = client.get(reverse("normative_docs:list"), {"status": N.PROPOSED, "year": "2026"})
    assert [d.pk for d in response.context["page"]] == [proposed.pk]
    response = client.get(reverse("normative_docs:list"), {"year": "2025"})
    assert list(response.context["page"]) == []
    assert drafting.pk in [d.pk for d in client.get(reverse("normative_docs:list")).context["page"]]


def test_supervisor_lists_every_unit(client, staff_user, other_staff_user, supervisor_user):
    in_state(N.DRAFTING, staff_user)
    in_state(N.DRAFTING, other_staff_user, title="湖州市国土空间规划管理办法")
    client.force_login(supervisor_user)
    assert len(client.get(reverse("normative_docs:list")).context["page"]) == 2


# ================================================================== proposal
def test_staff_proposes_a_document_issued_by_their_own_department(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("normative_docs:create"), {**PROPOSAL, "issuer": staff_user.department_id})

    document = NormativeDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("normative_docs:detail", args=[document.pk])
    assert (document.status, document.issuer, document.drafting_department) == (
        N.PROPOSED, staff_user.department, staff_user.department)
    assert document.required_procedures == [Procedure.RESEARCH, Procedure.PUBLIC_COMMENT, Procedure.FAIR_COMPETITION]


def test_staff_may_not_name_another_issuer(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("normative_docs:create"), {**PROPOSAL, "issuer": department("huzhou").pk})

    assert response.status_code == 400
    assert response.context["form"].errors["issuer"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert not NormativeDocument.objects.exists()


def test_the_office_proposes_for_a_peoples_government(client, db):
    office = UserFactory(department=department("hz-office"), roles=[Role.STAFF, Role.OFFICE])
    client.force_login(office)

    response = client.post(reverse("normative_docs:create"), {**PROPOSAL, "issuer": department("wuxing").pk})

    assert response.status_code == 302
    document = NormativeDocument.objects.get()
    assert (document.issuer.code, document.drafting_department.code) == ("wuxing", "hz-office")


def test_proposal_without_a_reason_is_refused(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("normative_docs:create"), {**PROPOSAL, "reason": "", "issuer": staff_user.department_id})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["该字段是必填项。"]
    assert not NormativeDocument.objects.exists()


def test_users_without_a_unit_may_not_propose(client, supervisor_user):
    client.force_login(supervisor_user)
    assert client.get(reverse("normative_docs:create")).status_code == 403
    assert client.post(reverse("normative_docs:create"), PROPOSAL).status_code == 403


# ================================================================== detail
def test_detail_shows_number_dates_validity_and_filing_clock(client, staff_user, head_user):
    document = in_state(N.PUBLISHED, staff_user, head_user=head_user)
    client.force_login(head_user)

    response = client.get(reverse("normative_docs:detail", args=[document.pk]))

    body = response.content.decode()
    assert "湖发改规〔2026〕1号" in body and "ZJHZ13-2026-0001" in body
    assert "至 2031年6月9日" in body and response.context["public_status"] == "尚未生效"
    assert [c.rule for c in response.context["clocks"]] == ["normative.filing", "normative.expiry_notice",
                                                           "normative.expiry_final"]
    assert [a["name"] for a in response.context["actions"]] == ["filing-submit", "repeal", "new-version"]
    assert reverse("normative_docs:filing-submit", args=[document.pk]) in body


def test_detail_lists_procedures_with_their_evidence_and_the_review(client, staff_user):
    document = in_state(N.LEGALITY_REVIEW, staff_user)
    client.force_login(staff_user)

    response = client.get(reverse("normative_docs:detail", args=[document.pk]))

    procedures = response.context["procedures"]
    assert [p["kind"] for p in procedures] == [Procedure.RESEARCH, Procedure.PUBLIC_COMMENT, Procedure.FAIR_COMPETITION]
    assert all(p["record"] for p in procedures)
    attachment = procedures[0]["record"].attachments.all()[0]
    assert reverse("workbench:attachment-download", args=[attachment.pk]) in response.content.decode()
    assert [t.status for t in response.context["reviews"]] == [ReviewTask.Status.OPEN]
    assert "normative_document.legality_review" in [c.rule for c in response.context["clocks"]]


def test_detail_names_what_still_blocks_the_submission(client, staff_user):
    document = in_state(N.CONSULTING, staff_user)
    client.force_login(staff_user)

    response = client.get(reverse("normative_docs:detail", args=[document.pk]))

    submit = next(a for a in response.context["actions"] if a["name"] == "submit-for-review")
    assert submit["blocked"] == [
        "“调研”尚未完成并留存证据，不得送请合法性审核（《浙江省行政规范性文件管理办法》；湖州市规范性文件“动议、起草、调研、评估、论证、审核、审议、公布”全流程管理）；"
        "“公开征求意见”尚未完成并留存证据，不得送请合法性审核（《优化营商环境条例》第六十二条；《法治政府建设示范指标体系》第24项）；"
        "“公平竞争审查”尚未完成并留存证据，不得送请合法性审核（《优化营商环境条例》第六十三条；《公平竞争审查条例》）"]
    assert "尚不能办理" in response.content.decode()


def test_detail_shows_the_history_with_chinese_state_names(client, staff_user):
    document = in_state(N.CONSULTING, staff_user)
    client.force_login(staff_user)
    body = client.get(reverse("normative_docs:detail", args=[document.pk])).content.decode()
    assert "起草中 → 调研论证·征求意见中" in body


def test_evidence_file_downloads_for_the_unit_and_not_for_another(client, staff_user, other_staff_user):
    document = in_state(N.LEGALITY_REVIEW, staff_user)
    record = DraftingProcedure.objects.get(document=document, kind=Procedure.RESEARCH)
    attachment = Attachment.objects.get(object_id=record.pk, content_type__model="draftingprocedure")
    url = reverse("workbench:attachment-download", args=[attachment.pk])
    client.force_login(other_staff_user)
    assert client.get(url).status_code == 404
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# ================================================================== editing and procedures
def test_staff_saves_the_draft(client, staff_user):
    document = in_state(N.DRAFTING, staff_user)
    client.force_login(staff_user)

    response = client.post(reverse("normative_docs:edit", args=[document.pk]), {
        "title": document.title, "doc_type": "measures", "reason": document.reason, "body": "第一条 新的正文。",
        "explanation": "说明。", "business_related": "on", "major_rights_impact": "on", "version": document.version})

    assert response.status_code == 302
    saved = NormativeDocument.objects.get(pk=document.pk)
    assert (saved.body, saved.version) == ("第一条 新的正文。", document.version + 1)


def test_a_stale_draft_is_refused_with_409(client, staff_user):
    document = in_state(N.DRAFTING, staff_user)
    client.force_login(staff_user)

    response = client.post(reverse("normative_docs:edit", args=[document.pk]), {
        "title": "别人的标题", "doc_type": "measures", "reason": document.reason, "body": "第一条",
        "version": document.version - 1})

    assert response.status_code == 409
    assert errors_of(response) == ["草案已被他人修改，请刷新页面后重新编辑。"]
    assert unchanged(document)


def test_staff_records_a_procedure_with_evidence(client, staff_user):
    document = in_state(N.CONSULTING, staff_user)
    client.force_login(staff_user)

    response = client.post(reverse("normative_docs:procedure", args=[document.pk, Procedure.RESEARCH]),
                           {**NORMATIVE_PROCEDURE_DETAILS["research"], "files": [pdf_file("调研报告.pdf")]})

    assert response.status_code == 302
    record = DraftingProcedure.objects.get(document=document, kind=Procedure.RESEARCH)
    assert record.details == NORMATIVE_PROCEDURE_DETAILS["research"]
    assert [a.original_name for a in record.attachments.all()] == ["调研报告.pdf"]


def test_procedure_without_evidence_is_refused(client, staff_user):
    document = in_state(N.CONSULTING, staff_user)
    client.force_login(staff_user)

    response = client.post(reverse("normative_docs:procedure", args=[document.pk, Procedure.RESEARCH]),
                           NORMATIVE_PROCEDURE_DETAILS["research"])

    assert response.status_code == 400
    assert errors_of(response) == ["请上传“调研”的证据材料。"]
    assert not DraftingProcedure.objects.filter(document=document).exists()


# ================================================================== the actions, each once through and once refused
def post_action(client, document, action, data=None):
    return client.post(action_url(document, action), data if data is not None else POST_DATA[action])


def test_start_drafting(client, staff_user):
    document = in_state(N.PROPOSED, staff_user)
    client.force_login(staff_user)
    response = post_action(client, document, "start-drafting")
    assert response.status_code == 302
    assert NormativeDocument.objects.get(pk=document.pk).status == N.DRAFTING


def test_start_drafting_twice_is_refused_with_409(client, staff_user):
    document = in_state(N.DRAFTING, staff_user)
    client.force_login(staff_user)
    response = post_action(client, document, "start-drafting")
    assert response.status_code == 409
    assert errors_of(response) == ["当前状态不允许此操作，请刷新页面后重试。"]
    assert unchanged(document)


def test_start_procedures(client, staff_user):
    document = in_state(N.DRAFTING, staff_user)
    client.force_login(staff_user)
    assert post_action(client, document, "start-procedures").status_code == 302
    assert NormativeDocument.objects.get(pk=document.pk).status == N.CONSULTING


def test_start_procedures_without_a_body_is_refused(client, staff_user):
    document = in_state(N.DRAFTING, staff_user, body="")
    client.force_login(staff_user)
    response = post_action(client, document, "start-procedures")
    assert response.status_code == 400
    assert errors_of(response) == ["文件正文为空，请先完成起草（《浙江省行政规范性文件管理办法》）"]
    assert unchanged(document)


def test_open_public_comment(client, staff_user):
    document = in_state(N.CONSULTING, staff_user)
    client.force_login(staff_user)
    response = post_action(client, document, "public-comment")
    assert response.status_code == 302
    assert LegalClock.objects.get(object_id=document.pk, rule="normative.public_comment_business").due_on == \
        dt.date(2026, 6, 15)


def test_a_short_comment_period_without_a_reason_is_refused(client, staff_user):
    document = in_state(N.CONSULTING, staff_user)
    client.force_login(staff_user)
    response = post_action(client, document, "public-comment", {**POST_DATA["public-comment"], "closes_on": "2026-05-20"})
    assert response.status_code == 400
    assert errors_of(response) == ["征求意见期限一般不少于30日；少于30日的，须说明理由（《优化营商环境条例》第六十二条）。"]
    assert unchanged(document)


def test_submit_for_legality_review(client, staff_user):
    document = in_state(N.CONSULTING, staff_user)
    for kind in document.required_procedures:
        services.document_record_procedure(actor=staff_user, document_id=document.pk, kind=kind,
                                           details=NORMATIVE_PROCEDURE_DETAILS[kind], files=[pdf_file()])
    client.force_login(staff_user)
    assert post_action(client, document, "submit-for-review").status_code == 302
    assert NormativeDocument.objects.get(pk=document.pk).status == N.LEGALITY_REVIEW
    assert ReviewTask.objects.filter(object_id=document.pk, kind="normative_document").count() == 1


def test_submission_without_the_procedures_is_refused(client, staff_user):
    document = in_state(N.DRAFTING, staff_user, business_related=False, major_rights_impact=False)
    client.force_login(staff_user)
    response = post_action(client, document, "submit-for-review")
    assert response.status_code == 400
    assert errors_of(response) == ["“调研”尚未完成并留存证据，不得送请合法性审核（《浙江省行政规范性文件管理办法》；"
                                   "湖州市规范性文件“动议、起草、调研、评估、论证、审核、审议、公布”全流程管理）"]
    assert unchanged(document)
    assert not ReviewTask.objects.filter(object_id=document.pk, kind="normative_document").exists()


def test_revise_after_a_failed_review(client, staff_user):
    document = in_state(N.LEGALITY_FAILED, staff_user)
    client.force_login(staff_user)
    assert post_action(client, document, "revise").status_code == 302
    revised = NormativeDocument.objects.get(pk=document.pk)
    assert (revised.status, revised.round) == (N.DRAFTING, 2)


def test_revise_while_drafting_is_refused(client, staff_user):
    document = in_state(N.DRAFTING, staff_user)
    client.force_login(staff_user)
    response = post_action(client, document, "revise")
    assert response.status_code == 409
    assert errors_of(response) == ["当前状态不允许此操作，请刷新页面后重试。"]
    assert unchanged(document)


def test_head_records_the_deliberation(client, staff_user, head_user):
    document = in_state(N.READY_FOR_DELIBERATION, staff_user)
    client.force_login(head_user)
    assert post_action(client, document, "deliberate").status_code == 302
    deliberated = NormativeDocument.objects.get(pk=document.pk)
    assert (deliberated.status, deliberated.deliberation_meeting) == (N.DELIBERATED, "局长办公会议")


def test_deliberation_before_the_legality_review_is_refused(client, staff_user, head_user):
    document = in_state(N.LEGALITY_REVIEW, staff_user)
    client.force_login(head_user)
    response = post_action(client, document, "deliberate")
    assert response.status_code == 400
    assert errors_of(response) == ["未经合法性审核或者经审核不合法的，不得提交集体审议（《优化营商环境条例》第六十三条）"]
    assert unchanged(document)


def test_head_registers_the_document(client, staff_user, head_user):
    document = in_state(N.DELIBERATED, staff_user, head_user=head_user)
    client.force_login(head_user)
    assert post_action(client, document, "register").status_code == 302
    registered = NormativeDocument.objects.get(pk=document.pk)
    assert (registered.number, registered.registration_number) == ("湖发改规〔2026〕1号", "ZJHZ13-2026-0001")


def test_registration_before_deliberation_is_refused(client, staff_user, head_user):
    document = in_state(N.READY_FOR_DELIBERATION, staff_user)
    client.force_login(head_user)
    response = post_action(client, document, "register")
    assert response.status_code == 409
    assert errors_of(response) == ["集体审议通过后方可统一登记编号。"]
    assert unchanged(document)


def test_head_publishes_the_document(client, staff_user, head_user):
    document = in_state(N.REGISTERED, staff_user, head_user=head_user)
    client.force_login(head_user)
    assert post_action(client, document, "publish").status_code == 302
    published = NormativeDocument.objects.get(pk=document.pk)
    assert (published.status, published.effective_on, published.valid_until) == (
        N.PUBLISHED, dt.date(2026, 6, 15), dt.date(2031, 6, 14))


def test_publishing_needs_the_confirmation_of_what_becomes_public(client, staff_user, head_user):
    document = in_state(N.REGISTERED, staff_user, head_user=head_user)
    client.force_login(head_user)
    page = client.get(action_url(document, "publish")).content.decode()
    unconfirmed = {k: v for k, v in POST_DATA["publish"].items() if k != "confirmed"}
    response = post_action(client, document, "publish", unconfirmed)
    assert "办理后，以下内容将在公众网站公开" in page and "文件正文、起草说明和附件" in page and "公布后不能撤回" in page
    assert response.status_code == 400 and "请先确认" in response.content.decode()
    assert unchanged(document)


def test_taking_effect_before_publication_is_refused(client, staff_user, head_user):
    document = in_state(N.REGISTERED, staff_user, head_user=head_user)
    client.force_login(head_user)
    response = post_action(client, document, "publish", {**POST_DATA["publish"], "effective_on": "2026-05-10"})
    assert response.status_code == 400
    assert errors_of(response) == ["未经公布的规范性文件不得施行：施行日期不能早于公布日期。"]
    assert unchanged(document)


def test_head_repeals_a_published_document(client, staff_user, head_user):
    document = in_state(N.PUBLISHED, staff_user, head_user=head_user)
    client.force_login(head_user)
    assert post_action(client, document, "repeal").status_code == 302
    repealed = NormativeDocument.objects.get(pk=document.pk)
    assert (repealed.status, repealed.ended_on) == (N.REPEALED, dt.date(2026, 5, 11))


def test_repealing_a_draft_is_refused(client, staff_user, head_user):
    document = in_state(N.DRAFTING, staff_user)
    client.force_login(head_user)
    response = post_action(client, document, "repeal")
    assert response.status_code == 409
    assert errors_of(response) == ["当前状态不允许此操作，请刷新页面后重试。"]
    assert unchanged(document)


def test_new_version_opens_a_draft_that_replaces_the_old(client, staff_user, head_user):
    old = in_state(N.PUBLISHED, staff_user, head_user=head_user)
    client.force_login(staff_user)

    response = post_action(client, old, "new-version")

    new = NormativeDocument.objects.exclude(pk=old.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("normative_docs:detail", args=[new.pk])
    assert (new.status, new.body) == (N.PROPOSED, old.body)
    assert DocumentRelation.objects.get(newer=new).older == old


def test_new_version_of_an_unpublished_document_is_404(client, staff_user):
    document = in_state(N.DRAFTING, staff_user)
    client.force_login(staff_user)
    assert post_action(client, document, "new-version").status_code == 404
    assert NormativeDocument.objects.count() == 1


def test_staff_links_a_draft_to_the_document_it_amends(client, staff_user, head_user):
    older = in_state(N.PUBLISHED, staff_user, head_user=head_user)
    draft = in_state(N.DRAFTING, staff_user, title="关于修改《湖州市促进科技创新若干措施》的决定")
    client.force_login(staff_user)

    response = post_action(client, draft, "link", {"older": older.pk, "kind": RelationKind.AMENDS})

    assert response.status_code == 302
    relation = DocumentRelation.objects.get(newer=draft)
    assert (relation.older, relation.kind) == (older, RelationKind.AMENDS)


def test_linking_after_submission_is_refused(client, staff_user, head_user):
    older = in_state(N.PUBLISHED, staff_user, head_user=head_user)
    draft = in_state(N.LEGALITY_REVIEW, staff_user, title="湖州市科技创新券管理办法")
    client.force_login(staff_user)

    response = post_action(client, draft, "link", {"older": older.pk, "kind": RelationKind.AMENDS})

    assert response.status_code == 409
    assert errors_of(response) == ["送审后不能修改立改废关系。"]
    assert not DocumentRelation.objects.exists()


# ================================================================== the 立改废 chain and the side-by-side diff
def replaced_pair(staff_user, head_user):
    old = in_state(N.PUBLISHED, staff_user, head_user=head_user)
    new = services.document_start_new_version(actor=staff_user, document_id=old.pk)
    services.document_update_draft(actor=staff_user, document_id=new.pk, version=new.version, data={
        "body": "第一条 为了促进科技创新，制定本办法。\n第二条 本办法适用于本市行政区域。\n第三条 本办法自公布之日起施行。"})
    return old, NormativeDocument.objects.get(pk=new.pk)


def test_detail_shows_the_chain_both_ways_with_a_link_to_the_diff(client, staff_user, head_user):
    old, new = replaced_pair(staff_user, head_user)
    client.force_login(staff_user)
    diff_url = reverse("normative_docs:diff", args=[new.pk, old.pk])

    new_page = client.get(reverse("normative_docs:detail", args=[new.pk]))
    old_page = client.get(reverse("normative_docs:detail", args=[old.pk]))

    assert [r.older for r in new_page.context["replaces"]] == [old]
    assert [r.newer for r in old_page.context["changed_by"]] == [new]
    assert diff_url in new_page.content.decode() and diff_url in old_page.content.decode()


def test_diff_shows_both_versions_line_by_line_with_the_changes_marked(client, staff_user, head_user):
    old, new = replaced_pair(staff_user, head_user)
    client.force_login(staff_user)

    response = client.get(reverse("normative_docs:diff", args=[new.pk, old.pk]))

    assert response.status_code == 200
    assert [r["kind"] for r in response.context["rows"]] == ["replace", "equal", "insert"]
    body = response.content.decode()
    assert "<del>……</del>" in body and "<ins>促进科技创新</ins>" in body
    assert "<ins>第三条 本办法自公布之日起施行。</ins>" in body


def test_diff_needs_both_documents_visible(client, staff_user, head_user, other_staff_user):
    old, new = replaced_pair(staff_user, head_user)
    theirs = in_state(N.DRAFTING, other_staff_user, title="湖州市国土空间规划管理办法")
    client.force_login(staff_user)
    assert client.get(reverse("normative_docs:diff", args=[new.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("normative_docs:diff", args=[new.pk, new.pk])).status_code == 404
    client.force_login(other_staff_user)
    assert client.get(reverse("normative_docs:diff", args=[new.pk, old.pk])).status_code == 404


# ================================================================== the related-documents panel
def test_the_draft_shows_published_documents_on_the_same_subject(client, staff_user, head_user):
    published = in_state(N.PUBLISHED, staff_user, head_user=head_user, title="湖州市促进科技创新若干措施")
    unrelated = in_state(N.PUBLISHED, staff_user, head_user=head_user, title="湖州市城市道路挖掘管理办法",
                         body="第一条 为了加强城市道路挖掘管理，保障道路完好，制定本办法。")
    draft = in_state(N.DRAFTING, staff_user, title="湖州市科技创新券管理办法",
                     body="第一条 为了促进科技创新，发挥科技创新券作用，制定本办法。")
    client.force_login(staff_user)

    response = client.get(reverse("normative_docs:detail", args=[draft.pk]))

    scores = dict(response.context["related"])
    assert next(iter(scores)) == published
    assert scores[published] > 2 * scores.get(unrelated, 0)
    assert reverse("normative_docs:diff", args=[draft.pk, published.pk]) in response.content.decode()


def test_a_published_document_shows_no_related_panel(client, staff_user, head_user):
    document = in_state(N.PUBLISHED, staff_user, head_user=head_user)
    client.force_login(staff_user)
    response = client.get(reverse("normative_docs:detail", args=[document.pk]))
    assert response.context["related"] is None
    assert 'data-testid="related"' not in response.content.decode()


def test_looking_up_related_documents_before_proposing_saves_nothing(client, staff_user, head_user):
    published = in_state(N.PUBLISHED, staff_user, head_user=head_user)
    client.force_login(staff_user)

    response = client.post(reverse("normative_docs:create"), {
        **PROPOSAL, "title": "湖州市科技创新促进办法", "issuer": staff_user.department_id, "lookup": "1"})

    assert response.status_code == 200
    assert [d for d, _score in response.context["related"]] == [published]
    assert published.title in response.content.decode()
    assert NormativeDocument.objects.count() == 1


# ================================================================== 我的工作
def test_my_work_lists_the_units_documents(client, staff_user, other_staff_user):
    mine = in_state(N.DRAFTING, staff_user)
    in_state(N.DRAFTING, other_staff_user, title="湖州市国土空间规划管理办法")
    client.force_login(staff_user)
    response = client.get(reverse("workbench:my-work"))
    assert [d.pk for d in response.context["normative"]] == [mine.pk]
    assert "本单位规范性文件" in response.content.decode()


def test_my_work_reads_the_same_documents_as_the_drafter_or_issuer_condition(staff_user, other_staff_user, office_user):
    """本单位规范性文件 is read as one index-ordered branch per way of belonging, joined by a UNION
    (0023): for every cut, the same documents in the same order as the one ``OR`` condition —
    drafted by the unit, issued by it (drafted elsewhere), both, and for the office those at a
    government's deliberation; ended documents never."""
    drc, nrp = staff_user.department, other_staff_user.department
    city = Department.objects.filter(kind=Department.Kind.CITY).first()
    shapes = [(drc, drc, N.DRAFTING), (drc, city, N.READY_FOR_DELIBERATION), (nrp, drc, N.DRAFTING),
              (nrp, nrp, N.DRAFTING), (drc, drc, N.NOT_ADOPTED), (nrp, city, N.DELIBERATED), (drc, drc, N.DRAFTING),
              (nrp, drc, N.REGISTERED)]
    now = timezone.now()
    for n, (drafter, issuer, status) in enumerate(shapes):
        document = in_state(N.DRAFTING, staff_user, title=f"湖州市测试管理办法{n}")
        # interleaved by last change, two of them at the same moment (the id decides)
        NormativeDocument.objects.filter(pk=document.pk).update(
            drafting_department=drafter, issuer=issuer, status=status,
            updated_at=now - dt.timedelta(minutes=(n * 5) % 7 if n != 6 else 1))

    def by_one_condition(user):
        condition = Q(pk__in=[])
        if {Role.STAFF, Role.HEAD} & set(user.roles):
            condition |= Q(drafting_department=user.department) | Q(issuer=user.department)
        if Role.OFFICE in user.roles:
            condition |= Q(issuer__kind__in=GOVERNMENT_KINDS, status__in=ISSUER_STATES)
        return [d.pk for d in NormativeDocument.objects.filter(condition).exclude(status__in=ENDED_STATES)
                .order_by("-updated_at", "-id")]

    for user in (staff_user, other_staff_user, office_user):
        full = by_one_condition(user)
        assert full
        for cut in range(1, len(full) + 2):
            assert [d.pk for d in normative_work_for(user=user, limit=cut)] == full[:cut], (user.username, cut)


def test_looking_up_keeps_what_was_typed_without_errors(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("normative_docs:create"), {"title": "湖州市科技创新促进办法", "reason": "",
                                                              "issuer": staff_user.department_id, "lookup": "1"})
    assert response.status_code == 200
    assert not response.context["form"].is_bound
    body = response.content.decode()
    assert 'value="湖州市科技创新促进办法"' in body and "该字段是必填项" not in body
    assert "未发现同一事项的已公布文件。" in body
