"""Every public page passes axe-core's WCAG 2.0/2.1 A and AA rules in Chinese and in English,
fits a phone screen (375×812) without sideways scrolling, and can be used from the keyboard.

axe-core is the copy bundled in the ``axe-playwright-python`` wheel (axe.min.js from npm):
nothing is fetched from a CDN at test time."""
import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from tests.i18n.public_site import NEW_PAGES, TRAVEL_TO, build_public_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}
LANGUAGES = {"zh-hans": "zh-CN", "en": "en"}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def site(live_server):
    with time_machine.travel(TRAVEL_TO, tick=True):
        site = build_public_site()
        yield site


def public_pages(page, live_server, site) -> dict[str, str]:
    """The public pages; a page another part of the portal has not routed yet is left out."""
    pages = dict(site.urls())
    for name, url in NEW_PAGES.items():
        response = page.request.get(f"{live_server.url}{url}")
        if response.status == 404:
            print(f"SKIPPED {name} ({url}): route does not exist yet")
            continue
        pages[name] = url
    return pages


def report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
            lines.append(f"      {node['html'][:160]}")
    return "\n".join(lines)


def choose_language(page, live_server, code):
    page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_public_page_has_no_wcag_21_aa_violation(page, live_server, site, language):
    axe = Axe()
    choose_language(page, live_server, language)
    failures = {}
    for name, url in public_pages(page, live_server, site).items():
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, f"{name} {url}: {response.status}"
        assert page.get_attribute("html", "lang") == LANGUAGES[language]
        violations = axe.run(page, options=WCAG_AA).response["violations"]
        if violations:
            failures[f"{name} {url}"] = report(violations)
    assert not failures, "\n\n".join(f"== {where}\n{text}" for where, text in failures.items())


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_public_pages_fit_a_phone_screen_without_sideways_scrolling(browser, live_server, site, language):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        choose_language(page, live_server, language)
        too_wide = {}
        for name, url in public_pages(page, live_server, site).items():
            page.goto(f"{live_server.url}{url}")
            # against the screen's width: a phone widens window.innerWidth to whatever overflows
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[name] = width
        assert not too_wide, f"pages wider than the phone screen ({PHONE['width']} px): {too_wide}"
    finally:
        context.close()


def test_on_a_phone_the_navigation_links_are_all_visible_and_usable(browser, live_server, site):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        page.get_by_role("button", name="菜单").click()  # on a phone the menu folds behind its button
        links = page.get_by_role("navigation", name="主导航").get_by_role("link")
        assert links.count() >= 5
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], links.nth(i).inner_text()
            assert box["height"] >= 24, "touch target too small"
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="规范性文件库").click()
        assert page.get_by_role("heading", level=1).inner_text() == "行政规范性文件库"
    finally:
        context.close()


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(page, live_server, site):
    page.goto(f"{live_server.url}/library/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip", "#content"]
    assert page.locator("a.skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside_main, "the next Tab after the skip link must land inside the main content"


def test_the_checker_reports_a_planted_violation(page, live_server, site):
    """Guards the guard: an unlabeled input and low-contrast text planted in a page are reported."""
    page.goto(f"{live_server.url}/")
    # the page's CSP refuses style attributes in markup, so the low contrast is set through the CSSOM
    page.evaluate("""(() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input type=text><p id=planted>低对比度</p>');
        const planted = document.getElementById('planted');
        planted.style.color = '#ccc';
        planted.style.background = '#fff';
    })()""")
    found = {v["id"] for v in Axe().run(page, options=WCAG_AA).response["violations"]}
    assert {"label", "color-contrast"} <= found


def test_the_language_switch_works_from_the_keyboard_and_keeps_the_reader_on_the_page(page, live_server, site):
    """Choosing a language does not itself reload the page (WCAG 3.2.2); the button does, and
    the reader stays on the same page and query."""
    page.goto(f"{live_server.url}/library/?q=%E7%A7%91%E6%8A%80")
    page.get_by_label("语言").select_option("en")
    assert page.get_attribute("html", "lang") == "zh-CN"
    page.get_by_role("button", name="切换").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/library/?q=%E7%A7%91%E6%8A%80"
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Library of normative documents"
    assert page.get_by_label("Language").input_value() == "en"
