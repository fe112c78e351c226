"""A member of the public comments on an open draft without an account, and later reads the
answer: the drafting unit approves and answers the comment after closing and publishes the
意见采纳情况说明. The live server runs in this process, so time travel moves it too."""
import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from consultations.models import Consultation
from deadlines.models import OutboxEmail
from decisions import services as decision_services
from decisions.workflow import DecisionStatus
from tests import factories
from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "湖州市中心城区公交线网优化方案"
COMMENT = "建议在吾悦广场至湖州站之间增开早晚高峰大站快线，缩短通勤时间。"


@time_machine.travel("2026-05-11 10:00 +0800", tick=True)
def test_the_public_comments_and_later_reads_the_disposition(page, live_server):
    staff = factories.staff("hz-drc", username="c_staff", full_name="张承办")
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff, title=TITLE)
    decision_services.decision_open_public_comment(actor=staff, decision_id=decision.pk, opened_on=dt.date(2026, 5, 11),
                                                   closes_on=dt.date(2026, 6, 10), channel="湖州市人民政府网站“意见征集”栏目")

    # The public: from the home page to the consultation; comment with a name and an e-mail address.
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="征求意见").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("main")).to_contain_text("2026年6月10日24时")
    page.get_by_label("意见内容").fill(COMMENT)
    page.get_by_label("姓名或名称").fill("陈市民")
    page.get_by_label("电子邮箱").fill("chen@example.com")
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_role("status")).to_contain_text("意见已提交")
    code = page.get_by_test_id("tracking-code").inner_text()
    assert len(code) == 10
    consultation_url = f"{live_server.url}/consultations/{Consultation.objects.get().pk}/"
    page.goto(consultation_url)
    expect(page.locator("main")).not_to_contain_text(COMMENT)  # not yet moderated

    with time_machine.travel("2026-06-11 09:00 +0800", tick=True):
        # The drafting unit, after the closing moment: approve, answer, publish the summary.
        login(page, live_server, "c_staff")
        page.goto(f"{live_server.url}/decisions/{decision.pk}/")
        page.get_by_role("link", name="审核意见、答复采纳情况").click()
        expect(page.get_by_test_id("consultation-status")).to_have_text("已截止")
        page.get_by_role("combobox", name="审核结果").select_option(label="公开")
        page.get_by_role("button", name="保存审核结果").click()
        expect(page.get_by_role("status")).to_contain_text("已保存审核结果")
        page.get_by_role("combobox", name="采纳情况").select_option(label="部分采纳")
        page.get_by_label("理由", exact=True).fill("高峰大站快线纳入第二阶段实施，先行开通早高峰班次。")
        page.get_by_role("button", name="保存采纳情况").click()
        expect(page.get_by_role("status")).to_contain_text("已保存采纳情况")
        page.get_by_label("意见采纳情况说明").fill("共收到意见1条，部分采纳1条。")
        page.get_by_label("我已核对上述内容，确认办理").check()
        page.get_by_role("button", name="公布采纳情况").click()
        expect(page.get_by_test_id("consultation-status")).to_have_text("已公布采纳情况")
        page.get_by_role("button", name="退出").click()

        # The public reloads the page and reads the answer.
        page.goto(consultation_url)
        main = page.locator("main")
        expect(main).to_contain_text(COMMENT)
        expect(main).to_contain_text("陈市民")
        expect(main).not_to_contain_text("chen@example.com")
        expect(page.get_by_test_id("disposition")).to_contain_text("部分采纳")
        expect(page.get_by_test_id("disposition")).to_contain_text("高峰大站快线纳入第二阶段实施")
        expect(main).to_contain_text("共收到意见1条，部分采纳1条。")

    assert OutboxEmail.objects.get().to_address == "chen@example.com"
