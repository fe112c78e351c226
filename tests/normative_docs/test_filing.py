"""The filing review (备案审查): submission on time or late, the formal check, the
supplement, the review against the checklist, the correction report, who may do each,
the R11–R13 clocks on dated cases, and the pages with their permissions and query counts."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.exceptions import DomainError, InvalidState, NotPermitted
from deadlines.models import LegalClock
from normative_docs import filing as filing_services
from normative_docs import services
from normative_docs.models import FilingRecord, NormativeDocument
from normative_docs.workflow import DocumentStatus as N
from normative_docs.workflow import FilingStatus as F
from normative_docs.workflow import RelationKind
from reviews.checklist import checklist_for
from tests import factories
from tests.factories import normative_checklist, normative_document_in_state, pdf_file

pytestmark = pytest.mark.django_db

NOT_FILING_BODY = "只有备案审查机关的审查人员可以办理。"


@pytest.fixture(autouse=True)
def _monday_in_may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def head(db):
    return factories.normative_head("hz-drc")


@pytest.fixture
def justice_reviewer(db):
    return factories.filing_reviewer("hz-justice")


@pytest.fixture
def published(staff_user, head):
    return normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)


def submit(document, head, **kwargs) -> FilingRecord:
    data = {"report": "报送备案报告：制定依据、起草说明、征求意见情况。", "files": [pdf_file("正式文本.pdf")], **kwargs}
    return filing_services.filing_submit(actor=head, document_id=document.pk, **data)


def reload(filing) -> FilingRecord:
    return FilingRecord.objects.get(pk=filing.pk)


def clock(subject, rule: str) -> LegalClock:
    return LegalClock.objects.filter(object_id=subject.pk, rule=rule,
                                     content_type__model=type(subject)._meta.model_name).latest("id")


def under_review(document, head, reviewer) -> FilingRecord:
    filing = submit(document, head)
    filing_services.filing_check(actor=reviewer, filing_id=filing.pk, result="accept")
    return reload(filing)


def correction_requested(document, head, reviewer) -> FilingRecord:
    filing = under_review(document, head, reviewer)
    checklist = {**normative_checklist(), "no_fees": {"answer": "no", "note": "第五条设定收费，无法律依据。"}}
    filing_services.filing_review(actor=reviewer, filing_id=filing.pk, outcome="correction",
                                  opinion="第五条违法设定收费，请予纠正。", checklist=checklist)
    return reload(filing)


# ================================================================== submission (R11)
def test_submission_within_the_deadline_is_on_time(published, head):
    filing = submit(published, head)
    assert (filing.status, filing.on_time, filing.submitted_on, filing.filing_body.code) == (
        F.SUBMITTED, True, dt.date(2026, 5, 11), "hz-justice")
    assert filing.attachments.count() == 1
    assert clock(published, "normative.filing").status == "stopped"


def test_submission_after_the_deadline_is_flagged_late(published, head):
    with time_machine.travel("2026-06-11 09:00 +0800", tick=False):
        filing = submit(published, head, late_reason="正式文本印制延误。")
    assert (reload(filing).on_time, reload(filing).late_reason) == (False, "正式文本印制延误。")


def test_submission_on_the_last_day_is_on_time(published, head):
    with time_machine.travel("2026-06-10 17:00 +0800", tick=False):
        filing = submit(published, head)
    assert reload(filing).on_time is True


def test_a_township_is_late_after_15_days(db):
    township_staff = factories.staff("wuxing-feiying")
    township_head = factories.normative_head("wuxing-feiying")
    document = normative_document_in_state(N.PUBLISHED, staff_user=township_staff, head_user=township_head)
    with time_machine.travel("2026-05-27 09:00 +0800", tick=False):
        filing = submit(document, township_head, late_reason="街道人大工委换届，延后报送。")
    filing = reload(filing)
    assert (filing.filing_body.code, filing.on_time) == ("wuxing", False)


def test_submission_needs_a_report_and_files(published, head):
    with pytest.raises(DomainError) as error:
        submit(published, head, report=" ")
    assert error.value.message == "请填写备案报告（制定依据、起草说明、征求意见、公平竞争审查和合法性审核情况）。"
    with pytest.raises(DomainError) as error:
        submit(published, head, files=[])
    assert error.value.message == "请上传备案材料（文件正式文本、起草说明等）。"
    assert not FilingRecord.objects.exists()


def test_an_unpublished_document_cannot_be_filed(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    with pytest.raises(InvalidState) as error:
        submit(document, head)
    assert error.value.message == "文件公布后方可报送备案。"


def test_a_document_is_filed_once(published, head):
    submit(published, head)
    with pytest.raises(InvalidState) as error:
        submit(published, head)
    assert error.value.message == "该文件已报送备案。"


def test_drafting_staff_may_not_file_for_the_issuer(published, staff_user):
    with pytest.raises(PermissionDenied):
        submit(published, staff_user)


# ================================================================== formal check (R12)
def test_submission_starts_the_three_working_day_formal_check(published, head):
    filing = submit(published, head)
    formal = clock(filing, "normative.formal_check")
    assert (formal.status, formal.due_on, formal.department.code) == ("running", dt.date(2026, 5, 14), "hz-justice")


def test_accepting_registers_the_filing_for_review(published, head, justice_reviewer):
    filing = under_review(published, head, justice_reviewer)
    assert (filing.status, filing.reviewer, filing.checked_on) == (F.UNDER_REVIEW, justice_reviewer,
                                                                    dt.date(2026, 5, 11))
    assert clock(filing, "normative.formal_check").status == "stopped"
    review = clock(filing, "normative.filing_review")
    assert (review.status, review.due_on, review.assignee) == ("running", dt.date(2026, 6, 10), justice_reviewer)


@pytest.mark.parametrize("result", ["incomplete", "out_of_scope"])
def test_incomplete_or_out_of_scope_needs_a_note(published, head, justice_reviewer, result):
    filing = submit(published, head)
    with pytest.raises(DomainError) as error:
        filing_services.filing_check(actor=justice_reviewer, filing_id=filing.pk, result=result, note="")
    assert error.value.message == "材料不全或不予登记的，须写明理由。"
    assert reload(filing).status == F.SUBMITTED


def test_incomplete_starts_the_five_working_day_supplement(published, head, justice_reviewer):
    filing = submit(published, head)
    filing_services.filing_check(actor=justice_reviewer, filing_id=filing.pk, result="incomplete",
                                 note="缺少合法性审核意见书。")
    filing = reload(filing)
    assert (filing.status, filing.check_note) == (F.INCOMPLETE, "缺少合法性审核意见书。")
    supplement = clock(filing, "normative.supplement")
    assert (supplement.due_on, supplement.department.code) == (dt.date(2026, 5, 18), "hz-drc")


def test_out_of_scope_returns_the_filing_and_allows_a_new_one(published, head, justice_reviewer):
    filing = submit(published, head)
    filing_services.filing_check(actor=justice_reviewer, filing_id=filing.pk, result="out_of_scope",
                                 note="属于内部管理文件，不属于备案范围。")
    assert reload(filing).status == F.RETURNED
    assert not LegalClock.objects.filter(object_id=filing.pk, status="running",
                                         content_type__model="filingrecord").exists()
    again = submit(published, head)
    assert again.status == F.SUBMITTED


def test_an_unknown_check_result_is_refused(published, head, justice_reviewer):
    filing = submit(published, head)
    with pytest.raises(DomainError) as error:
        filing_services.filing_check(actor=justice_reviewer, filing_id=filing.pk, result="maybe", note="x")
    assert error.value.message == "请选择形式审查结果。"


def test_a_registered_filing_cannot_be_checked_again(published, head, justice_reviewer):
    filing = under_review(published, head, justice_reviewer)
    with pytest.raises(InvalidState) as error:
        filing_services.filing_check(actor=justice_reviewer, filing_id=filing.pk, result="accept")
    assert error.value.message == "只有已报送、待形式审查的备案可以登记。"


def test_supplement_restarts_the_formal_check(published, head, justice_reviewer):
    filing = submit(published, head)
    filing_services.filing_check(actor=justice_reviewer, filing_id=filing.pk, result="incomplete", note="缺少起草说明。")
    with time_machine.travel("2026-05-13 10:00 +0800", tick=False):
        filing_services.filing_supplement(actor=head, filing_id=filing.pk, note="补充起草说明。",
                                          files=[pdf_file("起草说明.pdf")])
    filing = reload(filing)
    assert filing.status == F.SUBMITTED
    assert filing.attachments.count() == 2
    assert clock(filing, "normative.supplement").status == "stopped"
    formal = clock(filing, "normative.formal_check")
    assert (formal.status, formal.started_on, formal.due_on) == ("running", dt.date(2026, 5, 13), dt.date(2026, 5, 18))
    filing_services.filing_check(actor=justice_reviewer, filing_id=filing.pk, result="accept")
    assert reload(filing).status == F.UNDER_REVIEW


def test_supplement_needs_files_and_an_incomplete_filing(published, head, justice_reviewer):
    filing = submit(published, head)
    with pytest.raises(InvalidState) as error:
        filing_services.filing_supplement(actor=head, filing_id=filing.pk, note="", files=[pdf_file()])
    assert error.value.message == "只有待补正的备案可以补充报送材料。"
    filing_services.filing_check(actor=justice_reviewer, filing_id=filing.pk, result="incomplete", note="缺材料。")
    with pytest.raises(DomainError) as error:
        filing_services.filing_supplement(actor=head, filing_id=filing.pk, note="补充。", files=[])
    assert error.value.message == "请上传补正材料。"
    assert reload(filing).status == F.INCOMPLETE


# ================================================================== review
def test_review_passes_with_a_complete_checklist(published, head, justice_reviewer):
    filing = under_review(published, head, justice_reviewer)
    filing_services.filing_review(actor=justice_reviewer, filing_id=filing.pk, outcome="passed", opinion="符合规定。",
                                  checklist=normative_checklist())
    filing = reload(filing)
    assert (filing.status, filing.reviewed_on, filing.review_opinion) == (F.PASSED, dt.date(2026, 5, 11), "符合规定。")
    assert clock(filing, "normative.filing_review").status == "stopped"
    assert not LegalClock.objects.filter(object_id=filing.pk, rule="normative.correction_report").exists()


def test_review_cannot_pass_with_an_item_unanswered(published, head, justice_reviewer):
    filing = under_review(published, head, justice_reviewer)
    checklist = normative_checklist()
    del checklist["higher_law"]
    with pytest.raises(DomainError) as error:
        filing_services.filing_review(actor=justice_reviewer, filing_id=filing.pk, outcome="passed",
                                      opinion="符合规定。", checklist=checklist)
    assert error.value.message == ("审查要点“不与上位法相抵触”尚未作答（《法规规章备案审查条例》第十条第（二）项）")
    assert reload(filing).status == F.UNDER_REVIEW


def test_review_cannot_pass_with_an_item_failed(published, head, justice_reviewer):
    filing = under_review(published, head, justice_reviewer)
    checklist = {**normative_checklist(), "no_penalty": {"answer": "no", "note": ""}}
    with pytest.raises(DomainError) as error:
        filing_services.filing_review(actor=justice_reviewer, filing_id=filing.pk, outcome="passed",
                                      opinion="符合规定。", checklist=checklist)
    assert error.value.message == "审查要点“未违法设定行政处罚”不符合，不能作出通过的结论"


def test_correction_needs_at_least_one_failed_item(published, head, justice_reviewer):
    filing = under_review(published, head, justice_reviewer)
    with pytest.raises(DomainError) as error:
        filing_services.filing_review(actor=justice_reviewer, filing_id=filing.pk, outcome="correction",
                                      opinion="请纠正。", checklist=normative_checklist())
    assert error.value.message == "提出纠正意见的，须至少指出一项不符合的审查要点。"
    assert reload(filing).status == F.UNDER_REVIEW


def test_review_needs_an_opinion(published, head, justice_reviewer):
    filing = under_review(published, head, justice_reviewer)
    with pytest.raises(DomainError) as error:
        filing_services.filing_review(actor=justice_reviewer, filing_id=filing.pk, outcome="passed", opinion="",
                                      checklist=normative_checklist())
    assert error.value.message == "请填写审查意见。"


def test_correction_request_starts_the_30_day_report_clock(published, head, justice_reviewer):
    filing = correction_requested(published, head, justice_reviewer)
    assert filing.status == F.CORRECTION_REQUESTED
    assert filing.checklist["no_fees"] == {"answer": "no", "note": "第五条设定收费，无法律依据。"}
    report = clock(filing, "normative.correction_report")
    assert (report.status, report.due_on, report.department.code) == ("running", dt.date(2026, 6, 10), "hz-drc")


# ================================================================== correction report (R13)
def test_kept_with_reasons_closes_the_correction(published, head, justice_reviewer):
    filing = correction_requested(published, head, justice_reviewer)
    filing_services.filing_report_correction(actor=head, filing_id=filing.pk, outcome="kept",
                                             report="经研究，该收费有省级规定依据，说明如下……")
    filing = reload(filing)
    assert (filing.status, filing.correction_outcome, filing.corrected_on) == (F.CORRECTED, "kept",
                                                                               dt.date(2026, 5, 11))
    assert clock(filing, "normative.correction_report").status == "stopped"
    assert NormativeDocument.objects.get(pk=published.pk).status == N.PUBLISHED


def test_repealed_repeals_the_document(published, head, justice_reviewer):
    filing = correction_requested(published, head, justice_reviewer)
    filing_services.filing_report_correction(actor=head, filing_id=filing.pk, outcome="repealed",
                                             report="已决定废止该文件。")
    document = NormativeDocument.objects.get(pk=published.pk)
    assert (document.status, document.ended_on) == (N.REPEALED, dt.date(2026, 5, 11))


def test_amended_requires_a_linked_amending_document(published, staff_user, head, justice_reviewer):
    filing = correction_requested(published, head, justice_reviewer)
    with pytest.raises(DomainError) as error:
        filing_services.filing_report_correction(actor=head, filing_id=filing.pk, outcome="amended", report="已修改。")
    assert error.value.message == "修改的，请先起草修改文件并在其中关联本文件（立改废关系），再报告纠正情况。"
    assert reload(filing).status == F.CORRECTION_REQUESTED
    amending = normative_document_in_state(N.DRAFTING, staff_user=staff_user, title="关于修改收费条款的决定")
    services.document_link(actor=staff_user, document_id=amending.pk, older_id=published.pk, kind=RelationKind.AMENDS)
    filing_services.filing_report_correction(actor=head, filing_id=filing.pk, outcome="amended", report="已起草修改决定。")
    assert reload(filing).correction_outcome == "amended"


def test_correction_report_needs_an_outcome_and_a_report(published, head, justice_reviewer):
    filing = correction_requested(published, head, justice_reviewer)
    with pytest.raises(DomainError) as error:
        filing_services.filing_report_correction(actor=head, filing_id=filing.pk, outcome="", report="已处理。")
    assert error.value.message == "请选择纠正结果。"
    with pytest.raises(DomainError) as error:
        filing_services.filing_report_correction(actor=head, filing_id=filing.pk, outcome="kept", report=" ")
    assert error.value.message == "请填写纠正情况报告。"


def test_correction_report_only_after_a_correction_request(published, head, justice_reviewer):
    filing = under_review(published, head, justice_reviewer)
    with pytest.raises(InvalidState) as error:
        filing_services.filing_report_correction(actor=head, filing_id=filing.pk, outcome="kept", report="说明。")
    assert error.value.message == "只有已提出纠正意见的备案可以报告纠正情况。"


# ================================================================== permissions
@pytest.mark.parametrize("who", ["other_body_reviewer", "issuer_head", "supervisor"])
def test_only_the_filing_bodys_reviewers_check_and_review(published, head, justice_reviewer, who):
    user = {"other_body_reviewer": lambda: factories.filing_reviewer("wuxing"), "issuer_head": lambda: head,
            "supervisor": factories.supervisor}[who]()
    filing = submit(published, head)
    with pytest.raises(NotPermitted) as error:
        filing_services.filing_check(actor=user, filing_id=filing.pk, result="accept")
    assert error.value.message == NOT_FILING_BODY
    filing_services.filing_check(actor=justice_reviewer, filing_id=filing.pk, result="accept")
    with pytest.raises(NotPermitted):
        filing_services.filing_review(actor=user, filing_id=filing.pk, outcome="passed", opinion="通过。",
                                      checklist=normative_checklist())
    assert reload(filing).status == F.UNDER_REVIEW


def test_a_district_reviewer_handles_its_townships_filings(db):
    township_staff = factories.staff("wuxing-feiying")
    township_head = factories.normative_head("wuxing-feiying")
    document = normative_document_in_state(N.PUBLISHED, staff_user=township_staff, head_user=township_head)
    filing = submit(document, township_head)
    with pytest.raises(NotPermitted):
        filing_services.filing_check(actor=factories.filing_reviewer("hz-justice"), filing_id=filing.pk,
                                     result="accept")
    filing_services.filing_check(actor=factories.filing_reviewer("wuxing"), filing_id=filing.pk, result="accept")
    assert reload(filing).status == F.UNDER_REVIEW


def test_only_the_issuer_supplements_and_reports(published, head, justice_reviewer, other_staff_user):
    filing = submit(published, head)
    filing_services.filing_check(actor=justice_reviewer, filing_id=filing.pk, result="incomplete", note="缺材料。")
    for user in (justice_reviewer, other_staff_user):
        with pytest.raises(PermissionDenied):
            filing_services.filing_supplement(actor=user, filing_id=filing.pk, note="补充。", files=[pdf_file()])
    assert reload(filing).status == F.INCOMPLETE


# ================================================================== pages
def page(name: str, *args) -> str:
    return reverse(f"normative_docs:{name}", args=args)


CHECK_ACCEPT = {"result": "accept", "note": ""}


def review_post_data(outcome: str = "passed", failing: str | None = None) -> dict:
    data = {"outcome": outcome, "opinion": "经审查，符合规定。"}
    for key, _label, _basis in checklist_for("normative_document"):
        data[f"check_{key}"] = "no" if key == failing else "yes"
        data[f"note_{key}"] = ""
    return data


def test_issuer_head_files_through_the_page(client, published, head):
    client.force_login(head)
    assert client.get(page("filing-submit", published.pk)).status_code == 200
    response = client.post(page("filing-submit", published.pk),
                           {"report": "备案报告。", "files": [pdf_file("正式文本.pdf"), pdf_file("起草说明.pdf")]})
    filing = FilingRecord.objects.get(document=published)
    assert response.status_code == 302
    assert response["Location"] == page("filing-detail", filing.pk)
    assert filing.attachments.count() == 2


def test_filing_page_without_files_shows_the_refusal_and_files_nothing(client, published, head):
    client.force_login(head)
    response = client.post(page("filing-submit", published.pk), {"report": "备案报告。"})
    assert response.status_code == 400
    assert "请上传备案材料（文件正式文本、起草说明等）。" in response.content.decode()
    assert not FilingRecord.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("staff", 403), ("other", 404), ("reviewer", 404), ("head", 200)])
def test_filing_submit_page_permissions(client, published, staff_user, head, who, status):
    user = {"staff": staff_user, "head": head, "other": factories.normative_head("hz-nrp"),
            "reviewer": factories.filing_reviewer("wuxing")}[who]
    client.force_login(user)
    assert client.get(page("filing-submit", published.pk)).status_code == status
    if status != 200:
        assert client.post(page("filing-submit", published.pk),
                           {"report": "报告。", "files": [pdf_file()]}).status_code == status
        assert not FilingRecord.objects.exists()


@pytest.mark.parametrize(("who", "status"), [
    ("justice_reviewer", 200), ("district_reviewer", 200), ("supervisor", 200),
    ("staff", 403), ("head", 403), ("office", 403)])
def test_filing_queue_permissions(client, db, who, status):
    user = {"justice_reviewer": lambda: factories.filing_reviewer("hz-justice"),
            "district_reviewer": lambda: factories.filing_reviewer("wuxing"),
            "supervisor": factories.supervisor, "staff": factories.staff,
            "head": factories.normative_head, "office": factories.office}[who]()
    client.force_login(user)
    assert client.get(page("filing-queue")).status_code == status


def test_queue_shows_the_bodys_filings_by_status_with_counts(client, published, head, justice_reviewer, staff_user):
    submit(published, head)
    second = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head, title="第二个办法")
    under_review(second, head, justice_reviewer)
    client.force_login(justice_reviewer)
    response = client.get(page("filing-queue"))
    counts = {t["status"]: t["count"] for t in response.context["tabs"]}
    assert (counts["submitted"], counts["under_review"], counts["incomplete"]) == (1, 1, 0)
    assert response.context["total"] == 2
    body = response.content.decode()
    assert "已报送备案" in body and "已登记·审查中" in body
    assert published.title in body and "第二个办法" in body
    filtered = client.get(page("filing-queue"), {"status": "under_review"})
    assert [f.document_id for f in filtered.context["page"]] == [second.pk]
    client.force_login(factories.filing_reviewer("wuxing"))
    assert list(client.get(page("filing-queue")).context["page"]) == []
    client.force_login(factories.supervisor())
    assert len(client.get(page("filing-queue")).context["page"]) == 2


def make_filings(count: int, *, creator) -> None:
    """Published documents and their filings as rows (the queue reads rows, not the lifecycle)."""
    drc, justice = factories.department("hz-drc"), factories.department("hz-justice")
    statuses = [F.SUBMITTED, F.INCOMPLETE, F.UNDER_REVIEW, F.CORRECTION_REQUESTED, F.PASSED]
    for i in range(count):
        document = NormativeDocument.objects.create(
            title=f"批量文件{i}", issuer=drc, drafting_department=drc, filing_body=justice, reason="需要。",
            created_by=creator, status=N.PUBLISHED, number=f"湖发改规〔2025〕{i + 1}号",
            published_on=dt.date(2025, 3, 1), effective_on=dt.date(2025, 4, 1))
        FilingRecord.objects.create(document=document, filing_body=justice, status=statuses[i % len(statuses)],
                                    submitted_on=dt.date(2025, 3, 10), submitted_by=creator, filing_report="报告。",
                                    on_time=bool(i % 2))


@pytest.mark.parametrize("rows", [3, 45])
def test_filing_queue_query_count_is_fixed(client, justice_reviewer, head, django_assert_max_num_queries, rows):
    make_filings(rows, creator=head)
    client.force_login(justice_reviewer)
    with django_assert_max_num_queries(7):
        response = client.get(page("filing-queue"))
    assert response.status_code == 200
    assert len(response.context["page"]) == min(rows, 20)


@pytest.mark.parametrize(("who", "status"), [
    ("justice_reviewer", 200), ("issuer_head", 200), ("drafting_staff", 200), ("supervisor", 200),
    ("other_staff", 404), ("district_reviewer", 404)])
def test_filing_detail_permissions(client, published, head, staff_user, justice_reviewer, who, status):
    filing = submit(published, head)
    user = {"justice_reviewer": justice_reviewer, "issuer_head": head, "drafting_staff": staff_user,
            "supervisor": factories.supervisor(), "other_staff": factories.staff("hz-nrp"),
            "district_reviewer": factories.filing_reviewer("wuxing")}[who]
    client.force_login(user)
    response = client.get(page("filing-detail", filing.pk))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "报送备案报告" in body and "正式文本.pdf" in body


def test_detail_shows_clocks_checklist_and_history(client, published, head, justice_reviewer):
    filing = correction_requested(published, head, justice_reviewer)
    client.force_login(justice_reviewer)
    response = client.get(page("filing-detail", filing.pk))
    body = response.content.decode()
    assert [c.rule for c in response.context["clocks"]] == ["normative.correction_report",
                                                             "normative.expiry_notice", "normative.expiry_final"]
    assert "第五条设定收费，无法律依据。" in body and "未违法设定行政事业性收费" in body
    assert [e.action for e in response.context["timeline"]] == [
        "filing_submit", "filing_check_accept", "filing_review_correction"]
    assert response.context["actions"] == []  # the correction report is the issuer's
    client.force_login(head)
    actions = client.get(page("filing-detail", filing.pk)).context["actions"]
    assert [a["name"] for a in actions] == ["correction"]


@pytest.mark.parametrize("rows", [1, 6])
def test_filing_detail_query_count_is_fixed(client, published, head, justice_reviewer,
                                            django_assert_max_num_queries, rows):
    filing = submit(published, head, files=[pdf_file(f"材料{i}.pdf") for i in range(rows)])
    client.force_login(justice_reviewer)
    with django_assert_max_num_queries(10):
        assert client.get(page("filing-detail", filing.pk)).status_code == 200


@pytest.mark.parametrize(("action", "who", "status"), [
    ("check", "justice_reviewer", 200), ("check", "issuer_head", 403), ("check", "supervisor", 403),
    ("check", "district_reviewer", 404), ("check", "other_staff", 404),
    ("review", "justice_reviewer", 200), ("review", "issuer_head", 403),
    ("supplement", "issuer_head", 200), ("supplement", "justice_reviewer", 403), ("supplement", "drafting_staff", 403),
    ("correction", "issuer_head", 200), ("correction", "justice_reviewer", 403),
])
def test_filing_action_page_permissions(client, published, head, staff_user, justice_reviewer, action, who, status):
    filing = submit(published, head)
    user = {"justice_reviewer": justice_reviewer, "issuer_head": head, "drafting_staff": staff_user,
            "supervisor": factories.supervisor(), "other_staff": factories.staff("hz-nrp"),
            "district_reviewer": factories.filing_reviewer("wuxing")}[who]
    client.force_login(user)
    url = page("filing-action", filing.pk, action)
    assert client.get(url).status_code == status
    if status != 200:
        post = {"check": CHECK_ACCEPT, "review": review_post_data(), "supplement": {"note": "补充。"},
                "correction": {"outcome": "kept", "report": "说明。"}}[action]
        assert client.post(url, post).status_code == status
        assert reload(filing).status == F.SUBMITTED


def test_unknown_filing_action_is_404(client, published, head, justice_reviewer):
    filing = submit(published, head)
    client.force_login(justice_reviewer)
    assert client.get(page("filing-action", filing.pk, "approve")).status_code == 404


def test_the_whole_filing_review_through_the_pages(client, published, head, justice_reviewer):
    filing = submit(published, head)
    client.force_login(justice_reviewer)
    response = client.post(page("filing-action", filing.pk, "check"), {"result": "incomplete", "note": ""})
    assert response.status_code == 400
    assert "材料不全或不予登记的，须写明理由。" in response.content.decode()
    assert reload(filing).status == F.SUBMITTED
    response = client.post(page("filing-action", filing.pk, "check"), {"result": "incomplete", "note": "缺起草说明。"})
    assert response.status_code == 302 and reload(filing).status == F.INCOMPLETE

    client.force_login(head)
    response = client.post(page("filing-action", filing.pk, "supplement"),
                           {"note": "补充起草说明。", "files": [pdf_file("起草说明.pdf")]})
    assert response.status_code == 302 and reload(filing).status == F.SUBMITTED

    client.force_login(justice_reviewer)
    client.post(page("filing-action", filing.pk, "check"), CHECK_ACCEPT)
    response = client.post(page("filing-action", filing.pk, "review"), review_post_data("correction"))
    assert response.status_code == 400
    assert "提出纠正意见的，须至少指出一项不符合的审查要点。" in response.content.decode()
    assert reload(filing).status == F.UNDER_REVIEW
    response = client.post(page("filing-action", filing.pk, "review"), review_post_data("correction", "no_fees"))
    assert response.status_code == 302 and reload(filing).status == F.CORRECTION_REQUESTED

    client.force_login(head)
    response = client.post(page("filing-action", filing.pk, "correction"), {"outcome": "repealed", "report": "已废止。"})
    assert response.status_code == 302
    assert reload(filing).status == F.CORRECTED
    assert NormativeDocument.objects.get(pk=published.pk).status == N.REPEALED


def test_review_page_renders_every_checklist_item_with_its_basis(client, published, head, justice_reviewer):
    filing = under_review(published, head, justice_reviewer)
    client.force_login(justice_reviewer)
    body = client.get(page("filing-action", filing.pk, "review")).content.decode()
    for _key, label, basis in checklist_for("normative_document"):
        assert str(label) in body and str(basis) in body
