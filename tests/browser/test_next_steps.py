"""Clear next steps in a real browser at the two sizes people use: the document's primary step stands out
with its one-line explanation, the irreversible one is secondary, and publishing asks for the
confirmation of what becomes public before anything happens; axe finds no WCAG 2.1 AA violation."""
import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from normative_docs.models import NormativeDocument
from normative_docs.workflow import DocumentStatus
from tests import factories
from tests.browser.helpers import login
from tests.browser.screens import fits_the_screen, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_primary_step_is_explained_and_publishing_needs_the_confirmation(browser, live_server, size, tmp_path):
    with time_machine.travel("2026-05-11 10:00 +0800", tick=True):
        head = factories.normative_head(username=f"steps_head_{size}")
        document = factories.normative_document_in_state(DocumentStatus.REGISTERED, head_user=head)
        page = new_page(browser, size)
        login(page, live_server, head.username)
        page.goto(f"{live_server.url}/normative/{document.pk}/")
        primary = page.get_by_test_id("primary-action")
        expect(primary).to_have_count(1)
        expect(primary.get_by_role("link", name="公布")).to_be_visible()
        expect(primary).to_contain_text("未经公布的不得作为行政管理依据")
        assert fits_the_screen(page, size)
        violations = Axe().run(page, options=WCAG_AA).response["violations"]
        assert not violations, [v["id"] for v in violations]
        shoot(page, tmp_path, f"next-steps-document-{size}")

        primary.get_by_role("link", name="公布").click()
        expect(page.get_by_test_id("step-hint")).to_be_visible()
        expect(page.get_by_text("办理后，以下内容将在公众网站公开")).to_be_visible()
        page.get_by_label("施行日期").fill("2026-06-15")
        page.locator("main form button[type=submit]").click()  # the box is not ticked: refused, nothing published
        expect(page.get_by_text("请先确认").first).to_be_visible()
        assert NormativeDocument.objects.get(pk=document.pk).status == DocumentStatus.REGISTERED
        page.get_by_label("我已核对上述内容，确认办理").check()
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_test_id("status")).to_have_text("已公布")
        page.context.close()
