"""Statistics pages read at the two sizes people use (1366×900, 390×844): each chart shows its title,
both axis labels at a readable size and its data table; nothing overflows the window sideways (a wide
table scrolls inside its own box); axe finds no WCAG 2.1 AA violation. One page load per page and size."""
import datetime as dt

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from enforcement import reports
from enforcement.models import AnnualReport
from tests import factories
from tests.browser.screens import SIZES, new_page, shoot
from tests.browser.test_workbench_layout import WCAG_AA, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# page name -> (path, who signs in (None: the public), whether the page draws charts)
PAGES = {
    "public-report": ("/public/enforcement-reports/2026/", None, True),
    "staff-report": ("/enforcement/reports/?year=2026", "charts_supervisor", True),
    "normative-statistics": ("/normative/statistics/?year=2026", "charts_supervisor", False),
    "supervisor-my-work": ("/work/", "charts_supervisor", False),
}
LONG_NAMES = ["湖州市市场监督管理局", "湖州市生态环境局", "湖州市综合行政执法局", "湖州市交通运输局",
              "湖州市应急管理局", "湖州市农业农村局", "吴兴区综合行政执法局", "南浔区市场监督管理局"]


@pytest.fixture
def statistics(live_server):
    """2027-01-11: one enforcement case decided in 2026 (the live figures) and a published 2026 report
    whose frozen data has eight bodies with long names (the public page)."""
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        factories.case_in_state("decided", fine="55000")
    with time_machine.travel("2027-01-11 10:00 +0800", tick=True):
        data = reports.annual_statistics(year=2026)
        row = data["bodies"][0]
        data["bodies"] = [{**row, "name": name, "opened": 3 * i + 1, "fines": str(12500 * i)}
                          for i, name in enumerate(LONG_NAMES)]
        AnnualReport.objects.create(year=2026, data=data, published_on=dt.date(2027, 1, 10))
        factories.supervisor(username="charts_supervisor")
        yield


def check_charts(page):
    """Each figure: a visible caption (its title), the SVG's axis labels (measure with unit, category)
    drawn at 10 px or more, and a data table with a row per bar."""
    figures = page.locator("figure.chart")
    assert figures.count() == 3
    for index in range(figures.count()):
        figure = figures.nth(index)
        expect(figure.locator("figcaption")).to_be_visible()
        expect(figure.locator("figcaption")).not_to_be_empty()
        expect(figure.locator("svg")).to_be_visible()
        expect(figure.locator("table")).to_be_visible()
        labels = figure.locator("svg > text")
        texts = [t.strip() for t in labels.all_text_contents()]
        measure = figure.locator("thead th").nth(1).inner_text()
        category = figure.locator("thead th").first.inner_text()
        assert measure in texts and category in texts, (texts, measure, category)
        smallest = page.evaluate("""(svg) => Math.min(...[...svg.querySelectorAll('text')].map(t =>
            parseFloat(t.getAttribute('font-size')) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width))""",
                                 figure.locator("svg").element_handle())
        assert smallest >= 10, f"{category}: the smallest text of the chart is drawn at {smallest:.1f} px"


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("name", list(PAGES))
def test_statistics_pages_read_without_sideways_scrolling(browser, live_server, statistics, name, size, tmp_path):
    path, username, has_charts = PAGES[name]
    page = new_page(browser, size)
    if username:
        sign_in(page, live_server, username)
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("h1")).to_be_visible()
    shoot(page, tmp_path, f"charts-{name}-{size}")
    if has_charts:
        check_charts(page)
    else:
        expect(page.locator("main table, [data-testid=supervision-dashboard]").first).to_be_visible()
    # the width of the screen, not window.innerWidth: a phone widens its layout viewport to what overflows
    width = SIZES[size]["width"]
    wide = page.evaluate("""(width) => [...document.querySelectorAll('body *')].filter(e => {
        const box = e.getBoundingClientRect();
        return box.width > 1 && box.right > width + 1 && !e.closest('.table-wrap');
    }).map(e => e.tagName + '.' + e.className).slice(0, 5)""", width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
    assert not wide  # nor is anything cut off at the screen's edge (only a table's own box scrolls)
    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    page.context.close()
