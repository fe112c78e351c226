"""The supervisors' coverage table at 1366×900: a body's 层级 (乡镇（街道）级, 区县级, 市级) reads on one line,
even when every figure is a partial one with its badge (the widest the table shows)."""
import pytest
import time_machine

from tests import factories
from tests.browser.screens import new_page, shoot
from tests.browser.test_workbench_layout import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_level_column_of_the_coverage_table_never_wraps_at_1366(browser, live_server, tmp_path):
    with time_machine.travel("2026-05-11 10:00 +0800", tick=True):
        factories.supervisor(username="coverage_supervisor")
        page = new_page(browser, "desktop")
        sign_in(page, live_server, "coverage_supervisor")
        page.goto(f"{live_server.url}/work/coverage/?year=2026")
        # every figure as the template writes a partial one: the widest cells, as in a year with data
        page.evaluate("""document.querySelectorAll('[data-testid=coverage-table] td[data-column]').forEach(cell => {
            cell.innerHTML = '<a href="#">33%（1/3）</a> <span class="badge bad">未达标</span>'; })""")
        shoot(page, tmp_path, "coverage-desktop")
        lines = page.evaluate("""[...document.querySelectorAll(
                '[data-testid=coverage-table] tbody tr > td:first-of-type, [data-testid=coverage-table] thead th:nth-child(2)')]
            .map(cell => { const range = document.createRange(); range.selectNodeContents(cell);
                           return [cell.textContent.trim(),
                                   new Set([...range.getClientRects()].map(r => Math.round(r.top))).size]; })""")
        levels = {text for text, _count in lines}
        assert "乡镇（街道）级" in levels and "层级" in levels
        assert all(count == 1 for _text, count in lines), [line for line in lines if line[1] != 1][:5]
        page.context.close()
