"""Normative-document rules that hold at the moment of action (issue 12): the comment period's
minimum named with its number and article (优化营商环境条例 Art. 62 — no more "少于的"); validity
at most 5 years, 暂行/试行 at most 2 and never without one; a late filing only with a reason,
shown wherever the late filing is. Each refusal and each reason in the audit trail; through
the services, the API and the pages."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.models import AuditEvent
from core.rulebook import RuleRefused
from deadlines.models import DeadlinePolicy
from normative_docs import filing, services
from normative_docs.models import NormativeDocument
from normative_docs.workflow import DocumentStatus as N
from tests import factories
from tests.api_support import api, assert_error
from tests.factories import normative_document_in_state, pdf_file

pytestmark = pytest.mark.django_db

ZJ = "（《浙江省行政规范性文件管理办法》）。"


@pytest.fixture(autouse=True)
def _monday_in_may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def head(db):
    return factories.normative_head("hz-drc")


def reload(document) -> NormativeDocument:
    return NormativeDocument.objects.get(pk=document.pk)


def rule_events(document, event_type: str) -> list[str]:
    """The rules of the document's refusals or reasons, leaving out the early review conclusion
    every builder records (N8-early) unless a test is about it."""
    return [e.details["rule"] for e in AuditEvent.objects.filter(
        object_type="normative_docs.normativedocument", object_id=str(document.pk), event_type=event_type)
        .order_by("seq")]


def gate_events(document, event_type: str) -> list[str]:
    return [rule for rule in rule_events(document, event_type) if rule != "N8-early"]


def publish(document, head, **kwargs):
    values = {"published_on": dt.date(2026, 5, 11), "effective_on": dt.date(2026, 6, 10),
              "channel": "湖州市人民政府网站", **kwargs}
    return services.document_publish(actor=head, document_id=document.pk, **values)


# ================================================================== comment period (N4, N5)
def test_a_short_comment_period_of_a_business_document_names_thirty_days_and_article_62(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    with pytest.raises(RuleRefused) as refused:
        services.document_open_public_comment(actor=staff_user, document_id=document.pk,
                                              opened_on=dt.date(2026, 5, 11), closes_on=dt.date(2026, 5, 25),
                                              channel="湖州市人民政府网站")
    assert refused.value.message == "征求意见期限一般不少于30日；少于30日的，须说明理由（《优化营商环境条例》第六十二条）。"
    assert rule_events(document, "rule_refused") == ["N4"]
    services.document_open_public_comment(actor=staff_user, document_id=document.pk, opened_on=dt.date(2026, 5, 11),
                                          closes_on=dt.date(2026, 5, 25), channel="湖州市人民政府网站",
                                          short_period_reason="上级文件要求于6月1日前出台。")
    assert rule_events(document, "rule_reason") == ["N4"]


def test_a_short_comment_period_of_another_document_names_seven_working_days(staff_user):
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user, business_related=False)
    response = api(staff_user).post(f"/api/v1/normative-documents/{document.pk}/public-comment/", {
        "opened_on": "2026-05-11", "closes_on": "2026-05-15", "channel": "湖州市人民政府网站"}, format="json")
    assert_error(response, 400, "prerequisites_missing",
                 "征求意见期限一般不少于7个工作日；少于7个工作日的，须说明理由（《法治政府建设示范指标体系》第24项）。")
    assert rule_events(document, "rule_refused") == ["N5"]


def test_the_minimum_comes_from_the_policy_table(staff_user):
    DeadlinePolicy.objects.filter(code="normative.public_comment_business").update(length=45)
    document = normative_document_in_state(N.CONSULTING, staff_user=staff_user)
    with pytest.raises(RuleRefused, match="^征求意见期限一般不少于45日；少于45日的"):
        services.document_open_public_comment(actor=staff_user, document_id=document.pk,
                                              opened_on=dt.date(2026, 5, 11), closes_on=dt.date(2026, 6, 10),
                                              channel="湖州市人民政府网站")


# ================================================================== validity (N14)
def test_a_validity_longer_than_the_policy_is_refused_naming_the_limit(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head,
                                           title="湖州市数据要素市场培育暂行办法")
    with pytest.raises(RuleRefused) as refused:
        publish(document, head, valid_until=dt.date(2029, 6, 9))
    assert refused.value.message == f"暂行、试行的规范性文件有效期不得超过2年（自施行之日起，至迟到2028年6月9日）{ZJ}"
    assert (refused.value.code, reload(document).status) == ("validity_too_long", N.REGISTERED)
    assert rule_events(document, "rule_refused") == ["N14"]
    publish(document, head, valid_until=dt.date(2027, 6, 9))
    assert reload(document).valid_until == dt.date(2027, 6, 9)


def test_other_documents_may_be_valid_five_years_at_most(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    with pytest.raises(RuleRefused, match="^规范性文件有效期不得超过5年（自施行之日起，至迟到2031年6月9日）"):
        publish(document, head, valid_until=dt.date(2031, 6, 10))
    publish(document, head)
    assert reload(document).valid_until == dt.date(2031, 6, 9)


def test_a_provisional_document_without_a_validity_period_is_refused(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head,
                                           title="湖州市公共数据授权运营管理试行办法")
    response = api(head).post(f"/api/v1/normative-documents/{document.pk}/publish/", {
        "published_on": "2026-05-11", "effective_on": "2026-06-10", "channel": "湖州市人民政府网站",
        "no_validity_reason": "长期有效。"}, format="json")
    assert_error(response, 400, "validity_required",
                 f"暂行、试行的规范性文件须载明有效期，且不得超过2年，不能不设有效期{ZJ}")
    assert reload(document).status == N.REGISTERED
    assert rule_events(document, "rule_refused") == ["N14-provisional"]


def test_the_validity_limit_comes_from_the_policy_table(staff_user, head):
    DeadlinePolicy.objects.filter(code="normative.validity_provisional").update(length=18)
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head,
                                           title="湖州市数据要素市场培育暂行办法")
    with pytest.raises(RuleRefused, match="有效期不得超过18个月"):
        publish(document, head, valid_until=dt.date(2028, 6, 9))


def test_a_document_without_a_validity_period_records_the_reason(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)
    publish(document, head, no_validity_reason="依照上级规定长期执行的管理制度。")
    [event] = AuditEvent.objects.filter(object_id=str(document.pk), event_type="rule_reason", details__rule="N14-none")
    assert event.reason == "依照上级规定长期执行的管理制度。"


def test_the_publish_page_offers_the_validity_and_shows_the_refusal(client, staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head,
                                           title="湖州市数据要素市场培育暂行办法")
    client.force_login(head)
    url = reverse("normative_docs:action", args=[document.pk, "publish"])
    assert "有效期至" in client.get(url).content.decode()
    response = client.post(url, {"published_on": "2026-05-11", "effective_on": "2026-06-10",
                                 "channel": "湖州市人民政府网站", "valid_until": "2030-06-09",
                                 "confirmed": "on"})
    assert response.status_code == 400
    assert "暂行、试行的规范性文件有效期不得超过2年" in response.content.decode()


# ================================================================== late filing (N17, N18)
def submit(document, head, **kwargs):
    return filing.filing_submit(actor=head, document_id=document.pk, report="备案报告。", files=[pdf_file()], **kwargs)


def test_filing_after_thirty_days_needs_a_late_reason_shown_in_the_filing_queue(client, staff_user, head):
    document = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)  # due 10 Jun
    with time_machine.travel("2026-06-12 09:00 +0800", tick=False):
        with pytest.raises(RuleRefused) as refused:
            submit(document, head)
        assert refused.value.message == ("规范性文件应当自公布之日起30日内报送备案（2026年6月10日到期），已逾期2日；逾期报送须说明理由"
                                         "（浙江省人大常委会公告第83号）。")
        record = submit(document, head, late_reason="正式文本印制延误。")
        client.force_login(factories.filing_reviewer())
        queue = client.get(reverse("normative_docs:filing-queue")).content.decode()
        detail = client.get(reverse("normative_docs:filing-detail", args=[record.pk])).content.decode()
    assert (record.on_time, record.late_reason) == (False, "正式文本印制延误。")
    assert "逾期理由：正式文本印制延误。" in queue and "正式文本印制延误。" in detail
    assert gate_events(document, "rule_refused") == ["N17"] and gate_events(document, "rule_reason") == ["N17"]


def test_a_township_filing_after_fifteen_days_needs_a_late_reason(db):
    township_staff = factories.staff("wuxing-feiying")
    township_head = factories.normative_head("wuxing-feiying")
    document = normative_document_in_state(N.PUBLISHED, staff_user=township_staff, head_user=township_head)
    with time_machine.travel("2026-05-27 09:00 +0800", tick=False):
        response = api(township_head).post(f"/api/v1/normative-documents/{document.pk}/file/",
                                           {"report": "备案报告。", "files": [pdf_file()]}, format="multipart")
        assert response.status_code == 400 and response.json()["code"] == "late_reason_required"
        assert "应当自公布之日起15日内报送备案（2026年5月26日到期），已逾期1日" in response.json()["message"]
        response = api(township_head).post(f"/api/v1/normative-documents/{document.pk}/file/", {
            "report": "备案报告。", "files": [pdf_file()], "late_reason": "街道人大工委换届。"}, format="multipart")
    assert response.status_code == 201, response.content.decode()
    assert (response.json()["on_time"], response.json()["late_reason"]) == (False, "街道人大工委换届。")


def test_filing_on_time_needs_no_reason(staff_user, head):
    document = normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)
    record = submit(document, head)
    assert (record.on_time, record.late_reason) == (True, "")
    assert gate_events(document, "rule_reason") == []


# ================================================================== the earliest review date (N8)
def test_a_review_concluded_before_its_earliest_date_needs_early_reason(staff_user):
    from reviews import services as review_services
    from reviews.models import ReviewTask

    reviewer = factories.reviewer()
    document = normative_document_in_state(N.LEGALITY_REVIEW, staff_user=staff_user)  # Mon 11 May: earliest 18 May
    task = ReviewTask.objects.get(object_id=document.pk, kind="normative_document")
    review_services.review_task_claim(task_id=task.pk, actor=reviewer)
    decide = {"task_id": task.pk, "actor": reviewer, "outcome": "passed", "opinion": "合法。",
              "checklist": factories.normative_checklist()}
    with pytest.raises(RuleRefused) as refused:
        review_services.review_task_decide(**decide)
    assert refused.value.message == ("合法性审核时间一般不少于5个工作日（2026年5月11日报送，最早于2026年5月18日作出结论）；"
                                     "提前作出结论须说明理由（国办发〔2018〕115号）。")
    review_services.review_task_decide(**decide, early_reason="省政府督办事项，限期出台。")
    assert reload(document).status == N.READY_FOR_DELIBERATION
    assert rule_events(document, "rule_refused") == ["N8-early"] and rule_events(document, "rule_reason") == ["N8-early"]


# ================================================================== publication within 20 working days (N11)
def test_publication_after_twenty_working_days_needs_a_late_reason(staff_user, head):
    document = normative_document_in_state(N.REGISTERED, staff_user=staff_user, head_user=head)  # numbered 11 May
    with time_machine.travel("2026-06-10 10:00 +0800", tick=False):  # the 20th working day was Mon 8 June
        with pytest.raises(RuleRefused) as refused:
            publish(document, head, published_on=dt.date(2026, 6, 10), effective_on=dt.date(2026, 7, 10))
        assert refused.value.message == ("规范性文件应当自2026年5月11日成文之日起20个工作日内公布（2026年6月8日到期）；"
                                         "逾期公布须说明理由（《政府信息公开条例》第二十六条）。")
        publish(document, head, published_on=dt.date(2026, 6, 10), effective_on=dt.date(2026, 7, 10),
                late_reason="审议后按意见修改文本并会签相关部门。")
    assert reload(document).status == N.PUBLISHED
    assert gate_events(document, "rule_refused") == ["N11"] and gate_events(document, "rule_reason") == ["N11"]
