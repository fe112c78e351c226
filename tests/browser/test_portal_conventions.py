"""Government-portal conventions in a real browser at 1366×900 and 390×844: the footer with its
identity fields and the 网站地图, an Atom feed shown as a readable page (XSL), coloured status badges,
dates that never wrap, and wide tables that scroll inside their box on a phone instead of squeezing."""
import re

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.screens import SIZES, fits_the_screen, new_page, shoot
from tests.i18n.public_site import TRAVEL_TO, build_public_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}


@pytest.fixture
def site(live_server, settings):
    settings.HUZHOU_SITE_CODE, settings.HUZHOU_ICP_NUMBER = "3305000013", "浙ICP备05000013号"
    with time_machine.travel(TRAVEL_TO, tick=True):
        yield build_public_site()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_footer_and_the_site_map(browser, live_server, site, size, tmp_path):
    page = new_page(browser, size)
    page.goto(f"{live_server.url}/library/")
    footer = page.locator("footer.site")
    expect(footer).to_contain_text("网站标识码：3305000013")
    expect(footer).to_contain_text("浙ICP备05000013号")
    footer.get_by_role("link", name="网站地图").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("网站地图")
    expect(page.locator("main")).to_contain_text("规范性文件库")
    assert fits_the_screen(page, size)
    assert not Axe().run(page, options=WCAG_AA).response["violations"]
    shoot(page, tmp_path, f"site-map-{size}")
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_feed_opens_as_a_readable_page(browser, live_server, site, size, tmp_path):
    page = new_page(browser, size)
    page.goto(f"{live_server.url}/public/decisions/")
    page.goto(f"{live_server.url}/feeds/decisions/?view=page")  # the link people click
    expect(page.get_by_role("heading", level=1)).to_have_text("湖州市重大行政决策公开")
    expect(page.get_by_label("订阅地址")).to_have_value(f"{live_server.url}/feeds/decisions/")
    expect(page.locator("ol.feed-entries li").first).to_be_visible()
    shoot(page, tmp_path, f"feed-decisions-{size}")
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_library_shows_coloured_badges_unwrapped_dates_and_a_table_that_scrolls(browser, live_server, site,
                                                                                     size, tmp_path):
    page = new_page(browser, size)
    page.goto(f"{live_server.url}/library/")
    badge = page.locator("table .badge").first
    expect(badge).to_have_class(re.compile(r"badge (ok|warn|bad)"))
    assert badge.inner_text().strip()  # the colour comes with its text
    assert badge.evaluate("b => getComputedStyle(b).backgroundColor") != "rgb(246, 248, 250)"  # not the grey one
    heights = page.evaluate("[...document.querySelectorAll('table time.date')].map(t => t.getBoundingClientRect().height)")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('table time.date')).lineHeight) || 26")
    assert heights and max(heights) <= line + 2  # one line each
    assert fits_the_screen(page, size)
    if size == "phone":
        first_column = page.evaluate("document.querySelector('.table-wrap table td').getBoundingClientRect().width")
        assert first_column > 90  # names are not squeezed to a few characters a line
    shoot(page, tmp_path, f"library-{size}")
    page.context.close()
