"""The whole happy path in a real browser: staff files and submits, the
reviewer passes, the office records the meeting and publishes, and the public
reads the decision."""
import re

import pytest
import time_machine
from playwright.sync_api import expect

from core.models import AuditEvent
from decisions.models import Decision
from decisions.workflow import DecisionStatus
from tests import factories
from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.get_by_role("button", name="退出").click()


@time_machine.travel("2026-05-11 10:00 +0800", tick=True)
def test_staff_reviewer_and_office_carry_a_decision_to_the_public(page, live_server, tmp_path):
    staff = factories.staff("hz-drc", username="b_staff", full_name="张承办")
    factories.reviewer(username="b_reviewer", full_name="王审查")
    factories.office(username="b_office", full_name="陈秘书")
    item = factories.CatalogItemFactory(name="湖州市促进民营经济高质量发展若干政策", lead_department=staff.department,
                                        proposed_by=staff, required_procedures=["public_comment"])
    evidence = tmp_path / "征求意见公告.pdf"
    evidence.write_bytes(factories.PDF_BYTES)

    # Staff: create, start procedures, record the public comment with evidence, submit.
    login(page, live_server, "b_staff")
    page.get_by_role("link", name="新建决策事项").first.click()
    page.get_by_label("关联年度目录事项").select_option(label=f"{item.catalog.year}年 {item.number}. {item.name}")
    page.get_by_label("决策事项名称").fill("湖州市促进民营经济高质量发展若干政策")
    page.get_by_label("主要内容").fill("在融资支持、要素保障、政务服务等方面出台支持措施。")
    page.get_by_label("决策草案").fill("第一条 为了促进民营经济高质量发展，制定本政策。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("status")).to_have_text("起草中")

    page.get_by_role("link", name="启动法定程序").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("履行程序中")
    expect(page.get_by_role("button", name="提交合法性审查")).to_be_disabled()

    page.get_by_role("link", name="记录", exact=True).click()
    page.get_by_label("征求意见开始日期").fill("2026-04-01")
    page.get_by_label("征求意见截止日期").fill("2026-04-10")
    page.get_by_label("征求意见渠道").fill("湖州市人民政府门户网站")
    page.get_by_label("收到意见数（条）").fill("12")
    page.get_by_label("意见采纳情况").fill("采纳8条，未采纳4条并说明理由。")
    page.get_by_label(re.compile("证据材料")).set_input_files(str(evidence))
    page.get_by_role("button", name="提交").click()
    # Bad input: a 9-day comment period without a reason is refused with the article.
    expect(page.get_by_role("alert")).to_contain_text("征求意见期限一般不少于30日")
    page.get_by_label("征求意见截止日期").fill("2026-05-01")
    page.get_by_label(re.compile("证据材料")).set_input_files(str(evidence))
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("link", name="征求意见公告.pdf")).to_be_visible()

    page.get_by_role("link", name="提交合法性审查").click()
    expect(page.get_by_test_id("submission-summary")).to_contain_text("证据材料1份")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("合法性审查中")
    logout(page)

    # Reviewer: claim, fill the checklist, pass.
    login(page, live_server, "b_reviewer")
    page.get_by_role("link", name="湖州市促进民营经济高质量发展若干政策", exact=True).first.click()
    page.get_by_role("button", name="认领").click()
    expect(page.get_by_test_id("review-status")).to_have_text("审查中")
    for key in ("authority", "procedure", "content"):
        page.locator(f"#id_check_{key}_0").check()  # 符合
    page.get_by_label("审查结论").select_option(label="通过")
    page.get_by_label("审查意见").fill("经审查，符合法定权限和程序，内容合法。")
    page.get_by_role("button", name="提交审查结论").click()
    # submitted today, so before the earliest date (7 working days): refused without a reason
    expect(page.get_by_role("alert")).to_contain_text("提前作出结论须说明理由")
    page.get_by_label("审查意见").fill("经审查，符合法定权限和程序，内容合法。")
    page.get_by_label("提前作出结论的理由").fill("市政府常务会议已排期，报送材料齐全。")
    page.get_by_role("button", name="提交审查结论").click()
    expect(page.get_by_text("审查结论已提交。")).to_be_visible()
    logout(page)

    # Office: record the meeting, the Party report, publish.
    login(page, live_server, "b_office")
    page.get_by_role("link", name="湖州市促进民营经济高质量发展若干政策", exact=True).first.click()
    page.get_by_role("link", name="记录集体讨论").click()
    page.get_by_label("会议类型").select_option(label="政府常务会议")
    page.get_by_label("会议名称").fill("市政府第42次常务会议")
    page.get_by_label("出席人员").fill("市长、副市长、秘书长")
    page.get_by_label(re.compile("列席人员")).fill("市民代表2名、记者1名")
    page.get_by_label("组成人员意见").fill("副市长：同意。")
    page.get_by_label("行政首长决定").select_option(label="通过")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("已决策")
    page.get_by_role("link", name="记录向党委报告").click()
    page.get_by_label("报告情况").fill("已向市委请示报告。")
    page.get_by_role("button", name="提交").click()
    page.get_by_role("link", name="公布决策").click()
    expect(page.get_by_test_id("step-hint")).to_contain_text("20个工作日内")
    expect(page.get_by_role("group")).to_contain_text("决策主要内容和决策文本")  # what becomes public
    page.get_by_label("文号").fill("湖政发〔2026〕12号")
    page.get_by_role("button", name="确认公布决策").click()
    expect(page.get_by_text("请先确认")).to_be_visible()  # not published without the box ticked
    page.get_by_label("我已核对上述内容，确认办理").check()
    page.get_by_role("button", name="确认公布决策").click()
    expect(page.get_by_test_id("status")).to_have_text("已公布·执行中")
    logout(page)

    # The public: the decision is listed and readable without an account.
    page.goto(f"{live_server.url}/public/decisions/")
    page.get_by_role("link", name="湖州市促进民营经济高质量发展若干政策").click()
    expect(page.get_by_role("heading", name="湖州市促进民营经济高质量发展若干政策")).to_be_visible()
    expect(page.get_by_text("湖政发〔2026〕12号")).to_be_visible()

    decision = Decision.objects.get(title="湖州市促进民营经济高质量发展若干政策")
    assert decision.status == DecisionStatus.EXECUTING
    assert AuditEvent.objects.filter(object_id=str(decision.pk), event_type="transition").count() == 6
