"""我的期限 in a real browser at the two sizes people use: the groups by urgency, the later ones folded
until opened, the filter by kind of work, no sideways scrolling on a phone; axe finds no WCAG 2.1 AA
violation."""
import datetime as dt

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.db import transaction
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import login
from tests.browser.screens import fits_the_screen, new_page, shoot
from tests.deadlines.conftest import NOW, make_clock, view_rules  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_my_deadlines_are_grouped_with_the_later_ones_folded(browser, live_server, make_clock, size,  # noqa: F811
                                                             tmp_path):
    with time_machine.travel(NOW, tick=True):
        staff = factories.staff(username=f"deadlines_{size}")
        with transaction.atomic():
            for label, due in (("逾期的审查意见答复", dt.date(2026, 5, 8)), ("本周到期的报送", dt.date(2026, 5, 15)),
                               ("本月到期的评估", dt.date(2026, 5, 28)), ("五年后的有效期届满", dt.date(2031, 6, 30))):
                make_clock(department=staff.department, fixed_due_on=due, label=label)
        page = new_page(browser, size)
        login(page, live_server, staff.username)
        page.goto(f"{live_server.url}/work/my-deadlines/")
        expect(page.get_by_test_id("group-overdue")).to_contain_text("逾期的审查意见答复")
        expect(page.get_by_test_id("group-week")).to_contain_text("本周到期的报送")
        expect(page.get_by_test_id("group-month")).to_contain_text("本月到期的评估")
        later = page.get_by_test_id("group-later")
        expect(later.get_by_text("五年后的有效期届满")).to_be_hidden()  # folded
        assert fits_the_screen(page, size)
        violations = Axe().run(page, options=WCAG_AA).response["violations"]
        assert not violations, [v["id"] for v in violations]
        shoot(page, tmp_path, f"my-deadlines-{size}")
        later.locator("summary").click()
        expect(later.get_by_text("五年后的有效期届满")).to_be_visible()

        page.get_by_label("事项类别").select_option(label="行政执法")
        page.get_by_role("button", name="筛选").click()
        expect(page.get_by_text("逾期的审查意见答复")).to_have_count(0)
        page.context.close()
