"""Every level, in a real browser (issue 16): a newcomer at 织里镇 publishes the township's
catalog, drafts a contract and sends it to the 织里司法所, the 司法所 reviews it in the shared
queue, the township signs it, and the supervisors' coverage table changes."""
import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from core.models import Role
from decisions import services as decision_services
from reviews.checklist import checklist_for
from tests import factories
from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONTRACT = "织里镇童装产业园标准厂房租赁合同"


def logout(page):
    page.get_by_role("button", name="退出").click()


def zhili_cell(page, column: str):
    return page.locator(f'tr[data-body="wuxing-zhili"] td[data-column="{column}"]')


@time_machine.travel("2026-03-16 10:00 +0800", tick=True)
def test_a_township_publishes_its_catalog_and_signs_a_reviewed_contract(page, live_server):
    town = factories.UserFactory(department=factories.department("wuxing-zhili"), roles=[Role.STAFF, Role.HEAD],
                                 username="t_town", full_name="沈镇干")
    factories.UserFactory(department=factories.department("wuxing-zhili-sfs"), roles=[Role.REVIEWER],
                          username="t_sfs", full_name="许所长")
    factories.supervisor(username="t_super", full_name="周监督")
    decision_services.catalog_item_propose(actor=town, year=2026, data={
        "name": "织里镇童装产业园区提升改造方案", "content": "改造标准厂房，完善消防和污水收集设施。",
        "legal_basis": "《重大行政决策程序暂行条例》", "required_procedures": ["public_comment"],
        "planned_completion": dt.date(2026, 10, 31), "category": "public_policy"})

    # The supervisors' table before: no catalog, no contract for 织里镇.
    login(page, live_server, "t_super")
    page.goto(f"{live_server.url}/work/coverage/?year=2026&level=township")
    expect(zhili_cell(page, "catalog")).to_contain_text("否")
    expect(zhili_cell(page, "contracts")).to_contain_text("不适用")
    logout(page)

    # The township compiles, records the Party committee's consent and publishes its own catalog.
    login(page, live_server, "t_town")
    page.get_by_role("link", name="目录管理").click()
    expect(page.get_by_role("heading", name="吴兴区织里镇人民政府2026年度重大行政决策事项目录管理")).to_be_visible()
    page.get_by_role("button", name="汇总目录").click()
    page.get_by_label("同级党委同意日期").fill("2026-03-13")
    page.get_by_label("同意情况").fill("经织里镇党委会议同意。")
    page.get_by_role("button", name="记录党委同意").click()
    page.get_by_label("我已核对上述内容，确认办理").check()
    page.get_by_role("button", name="公布目录").click()
    expect(page.get_by_test_id("catalog-status")).to_have_text("已公布")

    # ... drafts a contract on state assets and sends it to its 司法所.
    page.goto(f"{live_server.url}/contracts/")
    page.get_by_test_id("contract-new").click()
    page.get_by_label("合同名称").fill(CONTRACT)
    page.get_by_label("合同相对方").fill("湖州某童装有限公司")
    page.get_by_label("合同类型").select_option(label="国有资产出让、出租、承包")
    page.get_by_label("合同金额（元）").fill("1260000")
    page.get_by_label("履行期限起").fill("2026-04-01")
    page.get_by_label("履行期限止").fill("2029-03-31")
    page.get_by_label("主要条款").fill("租赁标的、租金及支付方式、违约责任。")
    page.get_by_label("争议解决方式").select_option(label="向人民法院起诉")
    page.get_by_label("管辖法院或仲裁机构").fill("湖州市吴兴区人民法院")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("status")).to_have_text("起草中")
    contract_url = page.url
    expect(page.get_by_test_id("contract-sign")).to_have_count(0)  # a listed type: no signing before the review
    page.get_by_test_id("contract-submit").click()
    expect(page.get_by_test_id("status")).to_have_text("合法性审查中")
    logout(page)

    # The 司法所 finds it in the shared queue, claims it, answers every point and passes it.
    login(page, live_server, "t_sfs")
    page.goto(f"{live_server.url}/work/reviews/")
    page.get_by_role("link", name=CONTRACT).click()
    expect(page.get_by_text("吴兴区司法局织里司法所")).to_be_visible()
    page.get_by_role("button", name="认领").click()
    for key, _label, _basis in checklist_for("contract"):
        page.locator(f"#id_check_{key}_0").check()
    page.get_by_label("审查结论").select_option(label="通过")
    page.get_by_label("审查意见").fill("经审查，合同主体适格，条款合法，同意签订。")
    page.get_by_role("button", name="提交审查结论").click()
    expect(page.get_by_text("审查结论已提交。")).to_be_visible()
    logout(page)

    # The township signs it.
    login(page, live_server, "t_town")
    page.goto(contract_url)
    expect(page.get_by_test_id("status")).to_have_text("审查通过待签订")
    page.get_by_label("签订人").fill("镇长")
    page.get_by_test_id("contract-sign").click()
    expect(page.get_by_test_id("status")).to_have_text("履行中")
    logout(page)

    # The supervisors' table after: the catalog published in Q1, the contract reviewed before signing.
    login(page, live_server, "t_super")
    page.goto(f"{live_server.url}/work/coverage/?year=2026&level=township")
    expect(zhili_cell(page, "catalog")).to_contain_text("是")
    expect(zhili_cell(page, "catalog_q1")).to_contain_text("是")
    expect(zhili_cell(page, "contracts")).to_contain_text("100%（1/1）")
    zhili_cell(page, "contracts").get_by_role("link").click()
    expect(page.get_by_role("link", name=CONTRACT)).to_be_visible()
