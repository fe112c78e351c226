"""An enforcement case in a real browser, from the clue to the public notice: the officer
registers the clue, the head opens the case with two certified officers, the officer gives
notice of the intended fine, the legal review passes in the shared queue, the head decides,
the officer serves and publishes, and the public reads the notice with the party masked."""
import pytest
import time_machine
from playwright.sync_api import expect

from enforcement import masking
from reviews.checklist import checklist_for
from tests import factories
from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "销售超过保质期食品案"


def logout(page):
    page.get_by_role("button", name="退出").click()


def open_case(page, live_server):
    page.goto(f"{live_server.url}/enforcement/")
    page.get_by_role("link", name=TITLE).first.click()


def act(page, name):
    page.locator("a.button", has_text=name).first.click()


@time_machine.travel("2026-05-11 10:00 +0800", tick=True)
def test_a_case_goes_from_clue_to_a_masked_public_notice(page, live_server):
    officer = factories.enforcement_officer(username="e_officer", full_name="孙执法")
    factories.enforcement_officer(username="e_officer2", full_name="吴执法")
    factories.enforcement_officer(username="e_head", full_name="郑局长", head=True)
    factories.legal_reviewer(username="e_reviewer", full_name="王法审")
    id_number = factories.valid_resident_id(7)

    login(page, live_server, "e_officer")
    page.goto(f"{live_server.url}/enforcement/new/")
    page.get_by_label("案由").fill(TITLE)
    page.get_by_label("线索来源").fill("群众投诉（12315）")
    page.locator("[name=party_name]").fill("张三")
    page.get_by_label("身份证号或统一社会信用代码").fill(id_number)
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_role("button", name="登记线索").click()
    expect(page.get_by_test_id("status")).to_have_text("线索")
    assert not masking.contains_unmasked_id(page.content())
    logout(page)

    login(page, live_server, "e_head")
    open_case(page, live_server)
    act(page, "立案")
    page.get_by_label("孙执法").check()
    page.get_by_label("吴执法").check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("已立案·调查中")
    logout(page)

    login(page, live_server, "e_officer")
    open_case(page, live_server)
    act(page, "告知拟处罚决定")
    page.get_by_label("拟认定的违法事实").fill("当事人在其经营的超市销售超过保质期的食品12箱。")
    page.get_by_label("罚款", exact=True).check()
    page.get_by_label("拟罚没金额（元）").fill("50000")
    page.get_by_label("处罚依据").fill("《中华人民共和国食品安全法》第一百二十四条")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("已告知")
    act(page, "送法制审核")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("法制审核中")
    logout(page)

    login(page, live_server, "e_reviewer")
    page.goto(f"{live_server.url}/work/reviews/")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name="认领").click()
    for key, _label, _basis in checklist_for("enforcement"):
        page.locator(f"#id_check_{key}_0").check()
    page.get_by_label("审查结论").select_option(label="通过")
    page.get_by_label("审查意见").fill("事实清楚，证据充分，适用依据正确，程序合法。")
    page.get_by_label("提前作出结论的理由").fill("报送材料齐全，经审查机构负责人同意提前出具意见。")
    page.get_by_role("button", name="提交审查结论").click()
    expect(page.get_by_text("审查结论已提交。")).to_be_visible()
    logout(page)

    login(page, live_server, "e_head")
    open_case(page, live_server)
    act(page, "作出决定")
    page.get_by_label("给予行政处罚").check()
    page.get_by_label("决定书文号").fill("湖市监罚〔2026〕12号")
    page.get_by_label("罚款", exact=True).check()
    page.get_by_label("罚没金额（元）").fill("50000")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("已作出决定")
    logout(page)

    login(page, live_server, officer.username)
    open_case(page, live_server)
    act(page, "登记送达")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("已送达")
    act(page, "公开执法决定")
    page.get_by_label("我已核对上述内容，确认办理").check()
    page.get_by_role("button", name="确认公开执法决定").click()
    logout(page)

    page.goto(f"{live_server.url}/public/enforcement/notices/")
    page.get_by_role("link", name="湖市监罚〔2026〕12号").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("张*")
    expect(main).to_contain_text("罚款50000.00元")
    assert id_number not in page.content() and "13812345678" not in page.content()
    assert not masking.contains_unmasked_id(page.content())
