"""The workbench and the header at the two sizes people use: at 1366×900 the header is one row (public
and signed in, Chinese and English) and the side navigation's links never wrap; at 390×844 a menu button
folds the header menu and the work navigation; breadcrumbs on the pages; axe finds no WCAG 2.1 AA
violation on the staff pages shown."""
import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests import factories
from tests.browser.screens import fits_the_screen, new_page, shoot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}
LANGUAGES = {"zh-hans": "zh-CN", "en": "en"}


@pytest.fixture
def office(live_server):
    with time_machine.travel("2026-05-11 10:00 +0800", tick=True):
        user = factories.office(username="layout_office")
        factories.decision_in_state("drafting")
        yield user


def sign_in(page, live_server, username, language="zh-hans"):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/work/")


def rows_of(page, selector: str) -> int:
    """1 when every visible element matched by ``selector`` shares one horizontal band (one row), else 2+."""
    return page.evaluate(f"""(() => {{
        const boxes = [...document.querySelectorAll({selector!r})].filter(e => e.offsetParent !== null)
            .map(e => e.getBoundingClientRect());
        return Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom)) ? 1 : 2;
    }})()""")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_header_is_one_row_at_1366_public_and_signed_in(browser, live_server, office, language, tmp_path):
    page = new_page(browser, "desktop")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/library/")
    assert rows_of(page, "header.site .brand, header.site nav.public-nav a, header.site .site-search, "
                         "header.site .account > *") == 1
    assert page.evaluate("document.querySelector('header.site').getBoundingClientRect().height") < 70
    shoot(page, tmp_path, f"header-public-{language}-desktop")
    sign_in(page, live_server, office.username, language)
    assert rows_of(page, "header.site .brand, header.site nav.public-nav a, header.site .site-search, "
                         "header.site .account > *") == 1
    assert page.evaluate("document.querySelector('header.site').getBoundingClientRect().height") < 70
    shoot(page, tmp_path, f"workbench-{language}-desktop")
    page.context.close()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_side_navigation_is_grouped_by_work_and_never_wraps(browser, live_server, office, language, tmp_path):
    page = new_page(browser, "desktop")
    sign_in(page, live_server, office.username, language)
    nav = page.get_by_role("navigation", name="工作导航" if language == "zh-hans" else "Work navigation")
    expect(nav).to_be_visible()
    heights = page.evaluate("[...document.querySelectorAll('nav.sidenav a')].map(a => a.scrollHeight)")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('nav.sidenav a')).lineHeight)")
    assert heights and max(heights) <= line + 12  # one line each (plus padding)
    assert page.evaluate("[...document.querySelectorAll('nav.sidenav a')].every(a => a.scrollWidth <= a.clientWidth)")
    page.goto(f"{live_server.url}/decisions/catalog/")
    expect(page.locator("nav.sidenav a[aria-current=page]")).to_have_count(1)
    expect(page.locator("nav.breadcrumbs a").first).to_be_visible()
    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    assert not violations, [v["id"] for v in violations]
    page.context.close()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_on_a_phone_a_menu_button_folds_the_menus(browser, live_server, office, language, tmp_path):
    page = new_page(browser, "phone")
    sign_in(page, live_server, office.username, language)
    button = page.locator("button.menu-toggle")
    expect(button).to_be_visible()
    expect(page.locator("nav.sidenav")).to_be_hidden()
    expect(page.locator("nav.public-nav")).to_be_hidden()
    assert page.evaluate("document.querySelector('header.site').getBoundingClientRect().height") < 80
    assert fits_the_screen(page, "phone")
    shoot(page, tmp_path, f"workbench-{language}-phone")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("nav.sidenav")).to_be_visible()
    expect(page.locator("nav.public-nav")).to_be_visible()
    shoot(page, tmp_path, f"workbench-menu-open-{language}-phone")
    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    assert not violations, [v["id"] for v in violations]
    page.context.close()
