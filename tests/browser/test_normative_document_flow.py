"""A normative document in a real browser, from the draft to the public library: the
drafting unit submits it to the shared review queue, the reviewer passes it, the
issuer deliberates, numbers and publishes it, the filing body registers and reviews
the filing, and the public finds it in the library by its 文号 with its status."""
import pytest
import time_machine
from playwright.sync_api import expect

from normative_docs.workflow import DocumentStatus
from reviews.checklist import checklist_for
from tests import factories
from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "湖州市促进科技创新若干措施"


def logout(page):
    page.get_by_role("button", name="退出").click()


def open_document(page, live_server):
    page.goto(f"{live_server.url}/normative/")
    page.get_by_role("link", name=TITLE).first.click()


@time_machine.travel("2026-05-11 10:00 +0800", tick=True)
def test_a_document_goes_from_draft_to_the_public_library(page, live_server, tmp_path):
    staff = factories.staff("hz-drc", username="n_staff", full_name="张承办")
    factories.normative_head("hz-drc", username="n_head", full_name="李局长")
    factories.reviewer(username="n_reviewer", full_name="王审核")
    factories.filing_reviewer(username="n_filing", full_name="赵备案")
    factories.normative_document_in_state(DocumentStatus.CONSULTING, staff_user=staff, title=TITLE)
    evidence = tmp_path / "材料.pdf"
    evidence.write_bytes(factories.PDF_BYTES)

    # Drafting unit: record the procedures the page asks for, then submit for legality review.
    login(page, live_server, "n_staff")
    open_document(page, live_server)
    document_url = page.url
    expect(page.get_by_role("button", name="送请合法性审核")).to_be_disabled()
    for kind, details in factories.NORMATIVE_PROCEDURE_DETAILS.items():
        if kind in ("evaluation", "argumentation"):
            continue
        page.goto(f"{document_url}procedures/{kind}/")
        for key, value in details.items():
            field = page.locator(f"[name={key}]")
            if value is True:
                field.check()
            else:
                field.fill(str(value))
        page.locator("input[type=file]").set_input_files(str(evidence))
        page.get_by_role("button", name="提交").click()
        expect(page.get_by_test_id("status")).to_have_text("调研论证·征求意见中")
    page.get_by_role("link", name="送请合法性审核").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("合法性审核中")
    logout(page)

    # Reviewer: the document is in the shared queue; claim, answer every point, pass.
    login(page, live_server, "n_reviewer")
    page.goto(f"{live_server.url}/work/reviews/")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name="认领").click()
    for key, _label, _basis in checklist_for("normative_document"):
        page.locator(f"#id_check_{key}_0").check()
    page.get_by_label("审查结论").select_option(label="通过")
    page.get_by_label("审查意见").fill("经审核，制定主体合法，内容不违反上位法。")
    page.get_by_label("提前作出结论的理由").fill("报送材料齐全，经审查机构负责人同意提前出具意见。")
    page.get_by_role("button", name="提交审查结论").click()
    expect(page.get_by_text("审查结论已提交。")).to_be_visible()
    logout(page)

    # Issuer: deliberate, register (the number comes from the issuer's format), publish, file.
    login(page, live_server, "n_head")
    open_document(page, live_server)
    page.get_by_role("link", name="记录集体审议").click()
    page.get_by_label("审议会议").fill("局长办公会议")
    page.get_by_label("审议结果").select_option(label="审议通过")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("集体审议通过")
    page.get_by_role("link", name="统一登记编号").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("number")).to_have_text("湖发改规〔2026〕1号")
    page.get_by_role("link", name="公布", exact=True).click()
    page.get_by_label("施行日期").fill("2026-06-15")
    page.get_by_label("我已核对上述内容，确认办理").check()
    page.get_by_role("button", name="确认公布").click()
    expect(page.get_by_test_id("status")).to_have_text("已公布")
    page.get_by_role("link", name="报送备案", exact=True).click()
    page.get_by_label("备案报告").fill("报送《湖州市促进科技创新若干措施》备案，附起草说明、合法性审核意见。")
    page.locator("input[type=file]").set_input_files(str(evidence))
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("filing-status")).to_have_text("已报送备案")
    logout(page)

    # Filing body: register the filing, review it against the checklist, pass.
    login(page, live_server, "n_filing")
    page.goto(f"{live_server.url}/normative/filings/")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("link", name="形式审查", exact=True).click()
    page.get_by_label("材料齐全，予以登记").check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("filing-status")).to_have_text("已登记·审查中")
    page.get_by_test_id("primary-action").get_by_role("link", name="备案审查").click()
    for key, _label, _basis in checklist_for("normative_document"):
        page.locator(f"#id_check_{key}_0").check()
    page.get_by_label("审查结论").select_option(label="审查通过")
    page.get_by_label("审查意见").fill("经审查，未发现问题。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("filing-status")).to_have_text("审查通过")
    logout(page)

    # The public: find it by its number written with other brackets; read its status.
    page.goto(f"{live_server.url}/library/?q=湖发改规[2026]1号")
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.locator("main")).to_contain_text("湖发改规〔2026〕1号")
    expect(page.locator("main")).to_contain_text("尚未生效")
