"""Real catalogs (issue 12): 履行程序要求 as catalogs write it — 合法性审查 and 集体讨论决定 always
among them, accepted as input and shown on the public page — and 计划完成时间 as a day, a month
or a quarter, stored with its precision, shown as entered, its reminder on the last day of the
period. The real row: 绍兴 东湖街道 2025, "公众参与、合法性审查、集体讨论决定", "2025年12月"."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.exceptions import DomainError
from deadlines.models import LegalClock
from decisions import services
from decisions.models import CatalogItem
from decisions.workflow import Precision, parse_planned, planned_code, planned_label
from tests.api_support import api, assert_error

pytestmark = pytest.mark.django_db

#: The 履行程序要求 and 计划完成时间 of the 东湖街道 2025 row, as printed.
DONGHU_PROCEDURES = "公众参与、合法性审查、集体讨论决定"
DONGHU_PLANNED = "2025年12月"


@pytest.fixture(autouse=True)
def _january_2025():
    with time_machine.travel("2025-01-15 10:00 +0800", tick=False):
        yield


def item_data(**overrides) -> dict:
    return {"name": "东湖街道老旧小区综合改造提升工程", "content": "实施老旧小区综合改造，完善配套设施。",
            "legal_basis": "《重大行政决策程序暂行条例》第三条", "category": "construction",
            "required_procedures": DONGHU_PROCEDURES, "planned_completion": DONGHU_PLANNED, **overrides}


def propose(actor, **overrides) -> CatalogItem:
    return services.catalog_item_propose(actor=actor, year=2025, data=item_data(**overrides))


def publish(office_user, items) -> None:
    services.catalog_compile(actor=office_user, year=2025, included_ids=[i.pk for i in items])
    services.catalog_record_party_consent(actor=office_user, year=2025, consent_on=dt.date(2025, 1, 14),
                                          note="经党工委同意。")
    services.catalog_publish(actor=office_user, year=2025, document_number="越东街发〔2025〕3号")


# ================================================================== the two columns, read
@pytest.mark.parametrize(("text", "day", "precision"), [
    ("2025年12月", dt.date(2025, 12, 31), Precision.MONTH),
    ("2025-12", dt.date(2025, 12, 31), Precision.MONTH),
    ("2026-02", dt.date(2026, 2, 28), Precision.MONTH),
    ("2025-Q4", dt.date(2025, 12, 31), Precision.QUARTER),
    ("2025年第四季度", dt.date(2025, 12, 31), Precision.QUARTER),
    ("2026-Q1", dt.date(2026, 3, 31), Precision.QUARTER),
    ("2025-12-15", dt.date(2025, 12, 15), Precision.DAY),
    ("2025年12月15日", dt.date(2025, 12, 15), Precision.DAY),
])
def test_a_planned_completion_is_a_day_a_month_or_a_quarter_ending_on_its_last_day(text, day, precision):
    assert parse_planned(text) == (day, precision)


def test_a_planned_completion_is_shown_as_entered():
    assert [planned_label(*parse_planned(t)) for t in ("2025年12月", "2025-Q4", "2025-12-15")] == [
        "2025年12月", "2025年第四季度", "2025年12月15日"]
    assert [planned_code(*parse_planned(t)) for t in ("2025年12月", "2025年第四季度", "2025年12月15日")] == [
        "2025-12", "2025-Q4", "2025-12-15"]


# ================================================================== the service
def test_the_real_row_is_entered_with_its_procedures_and_its_month(staff_user):
    item = propose(staff_user)
    assert item.required_procedures == ["public_comment", "legality_review", "collective_discussion"]
    assert (item.planned_completion, item.planned_completion_precision) == (dt.date(2025, 12, 31), "month")
    assert (item.get_required_procedures_display(), item.planned_completion_label) == (DONGHU_PROCEDURES, "2025年12月")


def test_legality_review_and_collective_discussion_are_always_required(staff_user):
    item = propose(staff_user, required_procedures=["hearing"], planned_completion="2025-Q3")
    assert item.required_procedures == ["hearing", "legality_review", "collective_discussion"]
    assert item.get_required_procedures_display() == "听证、合法性审查、集体讨论决定"


def test_a_word_that_is_no_procedure_and_a_date_that_is_no_period_are_refused(staff_user):
    with pytest.raises(DomainError) as error:
        propose(staff_user, required_procedures="公众参与、领导批示")
    assert error.value.message == ("“领导批示”不是履行程序要求：可填写公众参与、听证、专家论证、风险评估、公平竞争审查、合法性审查、"
                                   "集体讨论决定。")
    with pytest.raises(DomainError) as error:
        propose(staff_user, planned_completion="2025年13月")
    assert error.value.message == ("计划完成时间“2025年13月”无法识别：请填写日期（2025-12-31）、月份（2025-12 或 2025年12月）"
                                   "或季度（2025-Q4 或 2025年第四季度）。")
    assert not CatalogItem.objects.exists()


def test_the_reminder_falls_on_the_last_day_of_the_period(staff_user, office_user):
    month = propose(staff_user)
    quarter = propose(staff_user, name="东湖街道公共服务设施布局规划", planned_completion="2025-Q2")
    publish(office_user, [month, quarter])
    due = dict(LegalClock.objects.filter(rule="decision.catalog_item_planned", object_id__in=[month.pk, quarter.pk])
               .values_list("object_id", "due_on"))
    assert due == {month.pk: dt.date(2025, 12, 31), quarter.pk: dt.date(2025, 6, 30)}


def test_a_decision_of_the_item_records_only_the_consulting_procedures(staff_user, office_user):
    item = propose(staff_user)
    publish(office_user, [item])
    decision = services.decision_create(actor=staff_user, data={
        "catalog_item": CatalogItem.objects.get(pk=item.pk), "title": item.name, "summary": item.content,
        "draft_text": "第一条 ……"})
    assert decision.required_procedures == ["public_comment"]
    with pytest.raises(DomainError, match="^合法性审查在审查队列中办理，集体讨论决定在会议记录中办理，不单独记录。$"):
        services.decision_record_procedure(actor=staff_user, decision_id=decision.pk, kind="legality_review",
                                           details={})


def test_a_change_of_the_planned_completion_keeps_its_precision(staff_user, office_user):
    item = propose(staff_user)
    publish(office_user, [item])
    adjustment = services.catalog_adjustment_propose(actor=staff_user, year=2025, kind="change", item_id=item.pk,
                                                     reason="施工图审查延期。", data={"planned_completion": "2026-Q1"})
    assert adjustment.changes == {"planned_completion": ["2025-12", "2026-Q1"]}
    services.catalog_adjustment_decide(actor=office_user, adjustment_id=adjustment.pk, approve=True)
    item = CatalogItem.objects.get(pk=item.pk)
    assert (item.planned_completion, item.planned_completion_label) == (dt.date(2026, 3, 31), "2026年第一季度")
    assert LegalClock.objects.get(rule="decision.catalog_item_planned", object_id=item.pk,
                                  status="running").due_on == dt.date(2026, 3, 31)


# ================================================================== the API, the pages
def test_the_api_accepts_the_real_row_and_answers_at_its_precision(staff_user, office_user, client):
    response = api(staff_user).post("/api/v1/catalogs/2025/items/", item_data(), format="json")
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert (body["required_procedures"], body["required_procedures_display"]) == (
        ["public_comment", "legality_review", "collective_discussion"], DONGHU_PROCEDURES)
    assert (body["planned_completion"], body["planned_completion_precision"], body["planned_completion_display"]) == (
        "2025-12", "month", "2025年12月")
    codes = api(staff_user).post("/api/v1/catalogs/2025/items/", item_data(
        name="东湖街道停车设施建设", required_procedures=["public_comment", "legality_review"],
        planned_completion="2025-Q4"), format="json")
    assert codes.status_code == 201 and codes.json()["planned_completion"] == "2025-Q4"
    assert_error(api(staff_user).post("/api/v1/catalogs/2025/items/", item_data(planned_completion="年底"),
                                      format="json"), 400, "invalid_planned_completion",
                 "计划完成时间“年底”无法识别：请填写日期（2025-12-31）、月份（2025-12 或 2025年12月）或季度（2025-Q4 或 2025年第四季度）。")
    publish(office_user, CatalogItem.objects.all())
    public = client.get("/api/v1/public/catalogs/2025/").json()
    rows = {row["name"]: row for row in public["items"]}
    assert rows["东湖街道老旧小区综合改造提升工程"]["planned_completion_display"] == "2025年12月"
    assert rows["东湖街道停车设施建设"]["required_procedures_display"] == "公众参与、合法性审查、集体讨论决定"


def test_the_public_catalog_shows_the_procedures_and_the_month_as_entered(client, staff_user, office_user):
    publish(office_user, [propose(staff_user)])
    page = client.get(reverse("public:catalog", args=[2025])).content.decode()
    assert DONGHU_PROCEDURES in page and "2025年12月" in page and "2025年12月31日" not in page


def test_the_proposal_page_takes_a_month(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("decisions:catalog-item-propose", args=[2025]), {
        "name": "东湖街道老旧小区综合改造提升工程", "content": "实施改造。", "decision_body": "东湖街道办事处",
        "legal_basis": "《重大行政决策程序暂行条例》", "required_procedures": ["public_comment"],
        "planned_completion": "2025年12月", "category": "construction", "disclosure": "public"})
    assert response.status_code == 302, response.content.decode()
    item = CatalogItem.objects.get()
    assert (item.planned_completion_label, item.get_required_procedures_display()) == ("2025年12月", DONGHU_PROCEDURES)

